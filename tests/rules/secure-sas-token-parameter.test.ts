import { readFileSync } from "node:fs";
import assert from "node:assert/strict";
import rule from "../../rules/secure-sas-token-parameter.js";
import { runRuleTests } from "../helpers/tester.js";
import { dscConfigModule, dscVmExtension, nestedDeployment } from "../helpers/templates.js";
import { at, oneError, PARAMETERS_SCHEMA, SCHEMA } from "../helpers/at.js";

/** A template with the given parameters and one DSC extension on `vm1` with the given properties. */
function dsc(parameters: string, props: string, variables = "{}"): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {
    ${parameters}
  },
  "variables": ${variables},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/dsc",
      "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83", ${props} }
    }
  ]
}`;
}

const URL_PROPS = `"settings": { "configuration": { "url": "https://h/x.zip", "script": "x.ps1", "function": "Main" } }`;
const TOKEN_PROPS = `${URL_PROPS}, "protectedSettings": { "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]" }`;
const ARTIFACTS_REASON = "is passed to protectedSettings.configurationUrlSasToken of DSC extension 'vm1/dsc'";
const examples = ["vm-dsc.json", "vmss-dsc.json"].map((f) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), "utf8"));

const plainString = dsc(`"_artifactsLocationSasToken": { "type": "string", "defaultValue": "" }`, TOKEN_PROPS);
const withDefault = dsc(
  `"_artifactsLocationSasToken": {
      "type": "secureString",
      "defaultValue": "?sv=2022-11-02&sp=r&se=2030-01-01&sig=AbC%3D"
    }`,
  TOKEN_PROPS,
);
const renamed = dsc(
  `"blobToken": { "type": "String" }`,
  `${URL_PROPS}, "protectedSettings": { "configurationUrlSasToken": "[variables('token')]" }`,
  `{ "token": "[if(empty(parameters('blobToken')), '', concat('?', parameters('blobToken')))]" }`,
);
/** `blobToken`, a plain string parameter, passed to configurationUrlSasToken as `value` (an expression). */
const reshaped = (value: string) =>
  dsc(`"blobToken": { "type": "string" }`, `${URL_PROPS}, "protectedSettings": { "configurationUrlSasToken": "${value}" }`);
// as Bicep writes '?${blobToken}', and the text functions that pass the token on
const RESHAPED = [
  "[format('?{0}', parameters('blobToken'))]",
  "[string(parameters('blobToken'))]",
  "[replace(parameters('blobToken'), '?', '')]",
  "[substring(parameters('blobToken'), 1)]",
  "[trim(parameters('blobToken'))]",
].map(reshaped);
/** `blobToken` passed to configurationUrlSasToken of protected settings built by an expression, as Bicep writes a spread. */
const builtBlock = (protectedSettings: string) =>
  dsc(`"blobToken": { "type": "string" }`, `${URL_PROPS}, "protectedSettings": "${protectedSettings}"`, `{ "base": { "configurationArguments": {} } }`);
const BUILT = [
  "[union(variables('base'), createObject('configurationUrlSasToken', parameters('blobToken')))]",
  "[shallowMerge(createArray(variables('base'), createObject('configurationUrlSasToken', parameters('blobToken'))))]",
  "[createObject('configurationUrlSasToken', parameters('blobToken'))]",
].map(builtBlock);
/** ... built where a variable, a parameter default or a user-defined function writes it. */
const builtVariable = dsc(
  `"blobToken": { "type": "string" }`,
  `${URL_PROPS}, "protectedSettings": "[union(variables('base'), variables('token'))]"`,
  `{ "base": { "configurationArguments": {} }, "token": "[createObject('configurationUrlSasToken', parameters('blobToken'))]" }`,
);
const builtDefault = dsc(
  `"blobToken": { "type": "string" }, "block": { "type": "object", "defaultValue": { "configurationUrlSasToken": "[parameters('blobToken')]" } }`,
  `${URL_PROPS}, "protectedSettings": "[parameters('block')]"`,
);
const builtFunction = dsc(`"blobToken": { "type": "string" }`, `${URL_PROPS}, "protectedSettings": "[__bicep.block(parameters('blobToken'))]"`).replace(
  `"parameters": {`,
  `"functions": [{ "namespace": "__bicep", "members": { "block": { "parameters": [{ "name": "token", "type": "String" }], "output": { "type": "object", "value": "[createObject('configurationUrlSasToken', parameters('token'))]" } } } }],
  "parameters": {`,
);
assert.ok(builtFunction.includes(`"functions"`));
BUILT.push(builtVariable, builtDefault, builtFunction);
/** Other parameters in such a block are not the token: a base object, and an argument. */
const builtOthers = dsc(
  `"base": { "type": "secureObject" }, "adminUser": { "type": "string" }, "blobToken": { "type": "secureString" }`,
  `${URL_PROPS}, "protectedSettings": "[union(parameters('base'), createObject('configurationArguments', createObject('user', parameters('adminUser'))), createObject('configurationUrlSasToken', parameters('blobToken')))]"`,
);
/** A token parameter with a Bicep user-defined type, `definition` being the definitions' JSON text. */
const userTyped = (definition: string) =>
  dsc(`"blobToken": { "$ref": "#/definitions/token" }`, `${URL_PROPS}, "protectedSettings": { "configurationUrlSasToken": "[parameters('blobToken')]" }`).replace(
    `"parameters": {`,
    `"definitions": { "token": ${definition}, "secret": { "type": "secureString" } },\n  "parameters": {`,
  );
const appended = dsc(
  `"storageSasToken": { "type": "string", "defaultValue": "[parameters('other')]" },
    "other": { "type": "string", "defaultValue": "" }`,
  `"settings": { "ModulesUrl": "[concat('https://h/x.zip', parameters('storageSasToken'))]", "ConfigurationFunction": "x.ps1\\\\Main" }`,
);
const commentedDefault = dsc(
  `"_artifactsLocationSasToken": {
      "type": "secureString",
      "defaultValue": "x" // set by the pipeline
    }`,
  TOKEN_PROPS,
);
const unused = dsc(`"_artifactsLocationSasToken": { "type": "string" }`, `"settings": {}`);
const untyped = dsc(`"_artifactsLocationSasToken": { "defaultValue": "" }`, TOKEN_PROPS);

/** An inner-scoped deployment that passes the outer `sas` parameter as its `token` (`passed`). */
const passingSas = (passed: string) => nestedDeployment({
  scope: "inner",
  name: "inner",
  outerParameters: `{
    "sas": { "type": "string" }
  }`,
  passed: `{ "token": ${passed} }`,
  innerParameters: `{ "token": { "type": "string" } }`,
  resource: dscVmExtension(
    ['"settings": { "configuration": { "url": "https://h/x.zip" } }', `"protectedSettings": { "configurationUrlSasToken": "[parameters('token')]" }`],
    "",
  ),
});
const innerScope = passingSas(`{ "value": "[parameters('sas')]" }`);
// as Bicep writes a module's parameter
const innerScopeExpression = passingSas(`"[createObject('value', parameters('sas'))]"`);
// ... and the whole parameters block as one expression
const innerScopeBlock = innerScope.replace(`"parameters": { "token": { "value": "[parameters('sas')]" } }`, `"parameters": "[createObject('token', createObject('value', parameters('sas')))]"`);
assert.notEqual(innerScopeBlock, innerScope);
const innerReason = "is passed to protectedSettings.configurationUrlSasToken of DSC extension 'vm1/dsc'";
/** A module that appends its `key` to the download URL, passed the outer `packageKey`; `outer` and `inner` are their types. */
const appendingModule = (outer: string, inner: string) =>
  nestedDeployment({
    scope: "inner",
    name: "inner",
    outerParameters: `{ "packageKey": { "type": "${outer}" } }`,
    passed: `{ "key": { "value": "[parameters('packageKey')]" } }`,
    innerParameters: `{ "key": { "type": "${inner}" } }`,
    resource: dscVmExtension([`"settings": { "configuration": { "url": "[concat('https://h/x.zip', parameters('key'))]", "script": "x.ps1", "function": "Main" } }`], ""),
  });
const appendedReason = "is appended as a SAS token to settings.configuration.url of DSC extension 'vm1/dsc'";
/** A module whose SAS URL parameter is the download URL, passed the artifacts location, a file and the token (`passed`). */
const sasUrlModule = (passed: string) =>
  nestedDeployment({
    scope: "inner",
    name: "inner",
    outerParameters: `{ "_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" } }`,
    passed: `{ "packageSasUrl": { "value": "${passed}" } }`,
    innerParameters: `{ "packageSasUrl": { "type": "secureString" } }`,
    resource: dscVmExtension([`"settings": { "configuration": { "url": "[parameters('packageSasUrl')]", "script": "x.ps1", "function": "Main" } }`], ""),
  });
/** ... and a SAS URL parameter whose default builds it so. */
const sasUrlDefault = dsc(
  `"_artifactsLocation": { "type": "string" }, "_artifactsLocationSasToken": { "type": "secureString" },
    "packageSasUrl": { "type": "secureString", "defaultValue": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" }`,
  `"settings": { "configuration": { "url": "[parameters('packageSasUrl')]", "script": "x.ps1", "function": "Main" } }`,
);
// An AVM-shaped module: the token key is written in the caller's object, which the module passes on whole.
const moduleToken = dscConfigModule(
  `{ "protectedSettings": { "configurationUrlSasToken": "[parameters('zipToken')]" } }`,
  "vm",
  `{ "zipToken": { "type": "string" } }`,
);
const moduleSecureToken = moduleToken.replace(`"zipToken": { "type": "string" }`, `"zipToken": { "type": "secureString" }`);

const DATA_PROPS = `"settings": { "configuration": { "url": "https://h/x.zip", "script": "x.ps1", "function": "Main" }, "configurationData": { "url": "https://h/x.psd1" } },
      "protectedSettings": { "configurationUrlSasToken": "[parameters('_artifactsLocationSasToken')]", "configurationDataUrlSasToken": "[parameters('dataSasToken')]" }`;
/** A token parameter whose default is `defaultText` (JSON text), next to a secure artifacts token. */
const dataToken = (defaultText: string) =>
  dsc(
    `"_artifactsLocationSasToken": { "type": "secureString", "defaultValue": "" },
    "dataSasToken": { "type": "secureString", "defaultValue": ${defaultText} }`,
    DATA_PROPS,
  );
const literalInDefault = dataToken(`"[concat('?sv=2022-11-02&sp=r&se=2030-01-01&sig=', 'AbC%3D')]"`);

runRuleTests("secure-sas-token-parameter", rule, {
  valid: [
    builtOthers,
    moduleSecureToken,
    ...examples,
    // defaults that write no token: another secure parameter passed on, a new GUID
    dataToken(`"[parameters('_artifactsLocationSasToken')]"`),
    dataToken(`"[newGuid()]"`),
    dsc(`"_artifactsLocationSasToken": { "type": "secureString" }`, TOKEN_PROPS),
    dsc(`"_artifactsLocationSasToken": { "type": "securestring", "defaultValue": "" }`, TOKEN_PROPS),
    dsc(`"_artifactsLocationSasToken": { "type": "secureString", "defaultValue": null }`, TOKEN_PROPS),
    // a whole SAS URL built from the artifacts location: only the piece that ends it is its token
    sasUrlModule("[format('{0}dsc.zip{1}', parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'))]"),
    sasUrlModule("[concat(parameters('_artifactsLocation'), 'dsc.zip', parameters('_artifactsLocationSasToken'))]"),
    sasUrlDefault,
    // a user-defined type that is a secure string, directly or through another definition; one that cannot be read
    userTyped(`{ "type": "securestring", "metadata": { "description": "SAS" } }`),
    userTyped(`{ "$ref": "#/definitions/secret" }`),
    userTyped(`{ "properties": {} }`),
    // a parameter that only picks the token's form is not the token
    reshaped("[if(parameters('blobToken'), '?', '')]").replace(`"blobToken": { "type": "string" }`, `"blobToken": { "type": "bool" }`),
    reshaped("[format(parameters('blobToken'), 'x')]"),
    // a SAS-named parameter that no SAS position reads
    dsc(`"storageSas": { "type": "string" }`, `"settings": { "configurationArguments": { "n": "[length(parameters('storageSas'))]" } }`),
    // no DSC extension in the file: not this plugin's business
    `{ "$schema": "${SCHEMA}", "parameters": { "_artifactsLocationSasToken": { "type": "string" } }, "resources": [] }`,
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": { "_artifactsLocationSasToken": { "value": "x" } } }`,
  ],
  invalid: [
    (() => {
      // the definition says string; it may serve other parameters, so no suggestion edits it
      const code = userTyped(`{ "type": "string" }`);
      return { code, errors: [{ messageId: "notSecure" as const, data: { parameter: "blobToken", reason: ARTIFACTS_REASON, type: "string" }, ...at(code, `"#/definitions/token"`), suggestions: [] }] };
    })(),
    ...[...RESHAPED, ...BUILT].map((code) => ({
      code,
      errors: [
        {
          messageId: "notSecure" as const,
          data: { parameter: "blobToken", reason: ARTIFACTS_REASON, type: "string" },
          ...at(code, `"string"`),
          suggestions: [
            { messageId: "makeSecure" as const, data: { parameter: "blobToken" }, output: code.replace(`{ "type": "string" }`, `{ "type": "secureString" }`) },
          ],
        },
      ],
    })),
    {
      // an expression default that writes a token into the template
      code: literalInDefault,
      errors: [
        {
          messageId: "hasDefault",
          data: {
            parameter: "dataSasToken",
            reason: "is passed to protectedSettings.configurationDataUrlSasToken of DSC extension 'vm1/dsc'",
            value: `"[concat('?sv=2022-11-02&sp=r&se=2030-01-01&sig=***', 'AbC%3D')]"`,
          },
          ...at(literalInDefault, `"defaultValue"`, 2),
          suggestions: [
            {
              messageId: "removeDefault",
              data: { parameter: "dataSasToken" },
              output: literalInDefault.replace(
                `"dataSasToken": { "type": "secureString", "defaultValue": "[concat('?sv=2022-11-02&sp=r&se=2030-01-01&sig=', 'AbC%3D')]" }`,
                `"dataSasToken": { "type": "secureString" }`,
              ),
            },
          ],
        },
      ],
    },
    {
      code: plainString,
      errors: [
        {
          messageId: "notSecure",
          data: { parameter: "_artifactsLocationSasToken", reason: ARTIFACTS_REASON, type: "string" },
          ...at(plainString, `"string"`),
          suggestions: [
            {
              messageId: "makeSecure",
              data: { parameter: "_artifactsLocationSasToken" },
              output: plainString.replace(`{ "type": "string", "defaultValue": "" }`, `{ "type": "secureString", "defaultValue": "" }`),
            },
          ],
        },
      ],
    },
    {
      code: withDefault,
      errors: [
        {
          messageId: "hasDefault",
          data: {
            parameter: "_artifactsLocationSasToken",
            reason: ARTIFACTS_REASON,
            value: `"?sv=2022-11-02&sp=r&se=2030-01-01&sig=***"`,
          },
          ...at(withDefault, `"defaultValue"`),
          suggestions: [
            {
              messageId: "removeDefault",
              data: { parameter: "_artifactsLocationSasToken" },
              output: withDefault.replace(`"type": "secureString",\n      "defaultValue": "?sv=2022-11-02&sp=r&se=2030-01-01&sig=AbC%3D"`, `"type": "secureString"`),
            },
          ],
        },
      ],
    },
    {
      code: renamed,
      errors: [
        {
          messageId: "notSecure",
          data: { parameter: "blobToken", reason: ARTIFACTS_REASON, type: "String" },
          ...at(renamed, `"String"`),
          suggestions: [
            {
              messageId: "makeSecure",
              data: { parameter: "blobToken" },
              output: renamed.replace(`{ "type": "String" }`, `{ "type": "secureString" }`),
            },
          ],
        },
      ],
    },
    {
      code: appended,
      errors: [
        {
          messageId: "notSecure",
          data: { parameter: "storageSasToken", reason: "is appended as a SAS token to settings.ModulesUrl of DSC extension 'vm1/dsc'", type: "string" },
          ...at(appended, `"string"`),
          suggestions: [
            {
              messageId: "makeSecure",
              data: { parameter: "storageSasToken" },
              output: appended.replace(`"storageSasToken": { "type": "string"`, `"storageSasToken": { "type": "secureString"`),
            },
          ],
        },
        // the default writes no token, but passes 'other' on: that parameter carries the token too
        {
          messageId: "notSecure",
          data: { parameter: "other", reason: "is appended as a SAS token to settings.ModulesUrl of DSC extension 'vm1/dsc'", type: "string" },
          ...at(appended, `"string"`, 2),
          suggestions: [
            {
              messageId: "makeSecure",
              data: { parameter: "other" },
              output: appended.replace(`"other": { "type": "string"`, `"other": { "type": "secureString"`),
            },
          ],
        },
      ],
    },
    oneError(commentedDefault, "hasDefault", { parameter: "_artifactsLocationSasToken", reason: ARTIFACTS_REASON, value: `"x"` }, `"defaultValue"`),
    {
      code: unused,
      errors: [
        {
          messageId: "notSecure",
          data: { parameter: "_artifactsLocationSasToken", reason: "carries the artifacts location SAS token", type: "string" },
          ...at(unused, `"string"`),
          suggestions: [
            {
              messageId: "makeSecure",
              data: { parameter: "_artifactsLocationSasToken" },
              output: unused.replace(`{ "type": "string" }`, `{ "type": "secureString" }`),
            },
          ],
        },
      ],
    },
    {
      code: untyped,
      errors: [
        {
          messageId: "missingType",
          data: { parameter: "_artifactsLocationSasToken", reason: ARTIFACTS_REASON },
          ...at(untyped, `"_artifactsLocationSasToken"`),
          suggestions: [
            {
              messageId: "insertType",
              data: { parameter: "_artifactsLocationSasToken" },
              output: untyped.replace(`{ "defaultValue": "" }`, `{ "defaultValue": "", "type": "secureString" }`),
            },
          ],
        },
      ],
    },
    {
      code: moduleToken,
      errors: [
        {
          messageId: "notSecure",
          data: { parameter: "zipToken", reason: innerReason, type: "string" },
          ...at(moduleToken, `"string"`),
          suggestions: [{ messageId: "makeSecure", data: { parameter: "zipToken" }, output: moduleSecureToken }],
        },
      ],
    },
    // a plain string on the way of a token through a module, before or after the secure one
    ...[
      { code: appendingModule("string", "secureString"), parameter: "packageKey" },
      { code: appendingModule("secureString", "string"), parameter: "key" },
    ].map(({ code, parameter }) => ({
      code,
      errors: [
        {
          messageId: "notSecure" as const,
          data: { parameter, reason: appendedReason, type: "string" },
          ...at(code, `"string"`),
          suggestions: [
            { messageId: "makeSecure" as const, data: { parameter }, output: code.replace(`"${parameter}": { "type": "string" }`, `"${parameter}": { "type": "secureString" }`) },
          ],
        },
      ],
    })),
    ...[innerScope, innerScopeExpression, innerScopeBlock].map((code) => ({
      code,
      errors: [
        {
          messageId: "notSecure",
          data: { parameter: "sas", reason: innerReason, type: "string" },
          ...at(code, `"string"`),
          suggestions: [
            {
              messageId: "makeSecure",
              data: { parameter: "sas" },
              output: code.replace(`"sas": { "type": "string" }`, `"sas": { "type": "secureString" }`),
            },
          ],
        },
        {
          messageId: "notSecure",
          data: { parameter: "token", reason: innerReason, type: "string" },
          ...at(code, `"string"`, 2),
          suggestions: [
            {
              messageId: "makeSecure",
              data: { parameter: "token" },
              output: code.replace(`"token": { "type": "string" }`, `"token": { "type": "secureString" }`),
            },
          ],
        },
      ],
    })),
  ],
});
