import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "jsonc-eslint-parser";
import rule from "../../rules/scale-set-node-name.js";
import { getTemplateModel } from "../../lib/template/model.js";
import { dscArguments, findDscArguments } from "../../lib/template/arguments.js";
import { runRuleTests } from "../helpers/tester.js";
import { deploymentTemplate, dscConfigModule, dscScaleSet, nestedDeployment, scaleSetResource, type TemplateParts } from "../helpers/templates.js";
import { at, errorAt, oneError, PARAMETERS_SCHEMA, SCHEMA } from "../helpers/at.js";


/** A scale set whose profile holds one DSC extension with the given `settings`/`protectedSettings` members. */
function vmss(settings: string, parts: TemplateParts = {}): string {
  return dscScaleSet(['"typeHandlerVersion": "2.83"', settings], parts);
}

/** `settings.configurationArguments` holding `args`. */
const publicArgs = (args: string) => `"settings": { "configurationArguments": { ${args} } }`;

/** A VM with a nested DSC child extension: out of scope for the rule. */
function vm(settings: string): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "variables": { "vmName": "web-01" },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "[variables('vmName')]",
      "resources": [
        {
          "type": "extensions",
          "apiVersion": "2024-07-01",
          "name": "Microsoft.Powershell.DSC",
          "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', variables('vmName'))]"],
          "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83", ${settings} }
        }
      ]
    }
  ]
}`;
}

const DSC_PROPS = `"publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83"`;

/** A scale set with a nested `extensions` child resource. */
const nestedChild = `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "apiVersion": "2024-07-01",
      "name": "vmss1",
      "properties": { "upgradePolicy": { "mode": "Automatic" } },
      "resources": [
        {
          "type": "extensions",
          "apiVersion": "2024-07-01",
          "name": "Microsoft.Powershell.DSC",
          "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachineScaleSets', 'vmss1')]"],
          "properties": { ${DSC_PROPS}, "settings": { "configurationArguments": { "nodeName": "vmss1" } } }
        }
      ]
    }
  ]
}`;

/** A top-level scale-set child extension whose parent is not in the template. */
const topLevelChild = `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": { "vmssName": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
      "apiVersion": "2024-07-01",
      "name": "[concat(parameters('vmssName'), '/dsc')]",
      "properties": { ${DSC_PROPS}, "settings": { "configurationArguments": { "nodeName": "[parameters('vmssName')]" } } }
    }
  ]
}`;

/** languageVersion 2.0: symbolic resources, the scale set and its child extension. */
const languageVersion2 = `{
  "$schema": "${SCHEMA}",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "variables": { "machine": "[toUpper('web')]" },
  "resources": {
    "vmss": { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2024-07-01", "name": "vmss1" },
    "dsc": {
      "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
      "apiVersion": "2024-07-01",
      "name": "vmss1/dsc",
      "dependsOn": ["vmss"],
      "properties": { ${DSC_PROPS}, "settings": { "configurationArguments": { "nodeName": "[variables('machine')]" } } }
    }
  }
}`;

/** A nested deployment whose inner template holds a scale set with a DSC profile entry. */
function nested(scope: "inner" | "outer", passed: string): string {
  return nestedDeployment({
    scope,
    name: "inner-deployment",
    outerParameters: `{ "nodeName": { "type": "string", "defaultValue": "web-vmss" } }`,
    passed: `{ "nodeName": { "value": "${passed}" } }`,
    innerParameters: `{ "nodeName": { "type": "string" } }`,
    resource: scaleSetResource(
      `        "extensions": [
          { "name": "dsc", "properties": { ${DSC_PROPS}, "settings": { "configurationArguments": { "nodeName": "[parameters('nodeName')]" } } } }
        ]`,
      "",
    ),
  });
}

/**
 * The inner template of `nested("inner", ...)` with a default of its own, given its parameters as one
 * expression (`createObject`); the value passed, not the default, is what the extension gets.
 */
function nestedBlock(passed: string, innerDefault: string): string {
  return nested("inner", passed)
    .replace(`"parameters": { "nodeName": { "value": "${passed}" } }`, `"parameters": "[createObject('nodeName', createObject('value', '${passed}'))]"`)
    .replace(`"parameters": { "nodeName": { "type": "string" } }`, `"parameters": { "nodeName": { "type": "string", "defaultValue": "${innerDefault}" } }`);
}

/** `nestedBlock` with the whole parameters block replaced by `block`. */
function nestedWithBlock(block: string, innerDefault: string): string {
  return nestedBlock("localhost", innerDefault).replace(`"parameters": "[createObject('nodeName', createObject('value', 'localhost'))]"`, `"parameters": "${block}"`);
}
// a block known before deployment that lacks the parameter: the default applies
const blockLacks = nestedWithBlock("[json('{}')]", "web");
// a Key Vault reference passed in a block: a value known only at deployment
const blockKeyVault = nestedWithBlock("[createObject('nodeName', createObject('reference', createObject('keyVault', createObject('id', 'kv'), 'secretName', 's')))]", "localhost");

/** A scale set whose profile extensions come from a property copy loop. */
function propertyCopy(nodeName: string): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
${scaleSetResource(`            "copy": [
              {
                "name": "extensions",
                "count": 1,
                "input": { "name": "dsc", "properties": { ${DSC_PROPS}, "settings": { "configurationArguments": { "nodeName": "${nodeName}" } } } }
              }
            ]`)}
  ]
}`;
}

/** A scale set with its extension profile at the wrong path (`properties.extensionProfile`). */
const misplacedProfile = `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "apiVersion": "2024-07-01",
      "name": "vmss1",
      "properties": {
        "extensionProfile": {
          "extensions": [{ "name": "dsc", "properties": { ${DSC_PROPS}, "settings": { "configurationArguments": { "nodeName": "web01" } } } }]
        }
      }
    }
  ]
}`;

const commentsAndBom = `\uFEFF{
  // a scale set written as JSONC
  "$schema": "${SCHEMA}",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "name": "vmss1",
      "properties": {
        "virtualMachineProfile": {
          "extensionProfile": {
            "extensions": [
              {
                "name": "dsc",
                "properties": {
                  "publisher": "Microsoft.Powershell",
                  "type": "DSC",
                  "settings": {
                    "configurationArguments": {
                      /* copied from the VM template */ "nodeName": "web-01", // fix me
                    },
                  },
                },
              },
            ],
          },
        },
      },
    },
  ],
}`;

const caseInsensitive = `{
  "$SCHEMA": "${SCHEMA}",
  "Resources": [
    {
      "TYPE": "MICROSOFT.COMPUTE/VIRTUALMACHINESCALESETS",
      "Name": "vmss1",
      "Properties": {
        "VirtualMachineProfile": {
          "ExtensionProfile": {
            "Extensions": [
              {
                "Name": "dsc",
                "Properties": {
                  "Publisher": "microsoft.powershell",
                  "Type": "dsc",
                  "Settings": { "ConfigurationArguments": { "NODENAME": "Web01" } }
                }
              }
            ]
          }
        }
      }
    }
  ]
}`;

const onVmss = { name: "dsc", parent: "scale set 'vmss1'" };
const LOCALHOST = `"localhost"`;

/** The code with the `occurrence`-th `snippet` replaced by "localhost". */
function fixed(code: string, snippet: string, occurrence = 1): string {
  let index = -1;
  for (let i = 0; i < occurrence; i++) index = code.indexOf(snippet, index + 1);
  return code.slice(0, index) + LOCALHOST + code.slice(index + snippet.length);
}

/** An invalid case: one `notLocalhost` report on the `occurrence`-th `snippet`, fixed to "localhost". */
function notLocalhost(code: string, snippet: string, key: string, value: string, origin = "", occurrence = 1) {
  return {
    code,
    output: fixed(code, snippet, occurrence),
    errors: [{ messageId: "notLocalhost" as const, data: { ...onVmss, key, value, origin }, ...at(code, snippet, occurrence) }],
  };
}

/** An invalid case: one `unproven` report on `snippet` (key nodeName), fixed to "localhost". */
function unproven(code: string, snippet: string, reason: string, origin = "") {
  return {
    code,
    output: fixed(code, snippet),
    errors: [{ messageId: "unproven" as const, data: { ...onVmss, key: "nodeName", reason, origin }, ...at(code, snippet) }],
  };
}

// Locations
const literal = vmss(publicArgs(`"nodeName": "web01"`));
const protectedArgs = vmss(`"settings": {}, "protectedSettings": { "configurationArguments": { "nodeName": "web01" } }`);
const bothBlocks = vmss(
  `"settings": { "configurationArguments": { "nodeName": "a" } }, "protectedSettings": { "configurationArguments": { "NodeName": "b" } }`,
);
const legacyObject = vmss(`"settings": { "ModulesUrl": "https://x/y.zip", "Properties": { "nodeName": "web01", "Role": "web" } }`);
const legacyArray = vmss(
  `"settings": { "Properties": [{ "Name": "Role", "Value": "web", "TypeName": "System.String" }, { "Name": "NodeName", "Value": "web01", "TypeName": "System.String" }] }`,
);
// a Name given by an expression counts by its value
const legacyArrayComputedName = vmss(`"settings": { "Properties": [{ "Name": "[variables('n')]", "Value": "web01" }] }`, { variables: `{ "n": "nodeName" }` });
const legacyProtected = vmss(`"settings": {}, "protectedSettings": { "Properties": { "nodeName": "web01" } }`);
const legacyProtectedArray = vmss(`"settings": {}, "protectedSettings": { "Properties": [{ "Name": "nodename", "Value": true }] }`);
const machineName = vmss(publicArgs(`"nodeName": "localhost", "MachineName": "web01"`));
const duplicates = vmss(publicArgs(`"nodeName": "localhost", "nodeName": "web01"`));

// Resolution paths
const viaVariable = vmss(publicArgs(`"nodeName": "[variables('vmName')]"`), { variables: `{ "vmName": "web-01" }` });
const viaDefault = vmss(publicArgs(`"nodeName": "[parameters('vmssName')]"`), {
  parameters: `{ "vmssName": { "type": "string", "defaultValue": "web-vmss" } }`,
});
const noDefault = vmss(publicArgs(`"nodeName": "[parameters('nodeName')]"`), {
  parameters: `{ "nodeName": { "type": "string" } }`,
});
const allowedValues = vmss(publicArgs(`"nodeName": "[parameters('nodeName')]"`), {
  parameters: `{ "nodeName": { "type": "string", "defaultValue": "localhost", "allowedValues": ["localhost", "web01"] } }`,
});
const copyIndex = vmss(publicArgs(`"nodeName": "[concat('web', copyIndex())]"`));
const vmNameVariable = vmss(publicArgs(`"nodeName": "[variables('vmName')]"`), {
  variables: `{ "vmName": "[concat(parameters('prefix'), copyIndex())]" }`,
  parameters: `{ "prefix": { "type": "string", "defaultValue": "web" } }`,
});
const reference = vmss(publicArgs(`"nodeName": "[reference('vmss1').osProfile.computerNamePrefix]"`));
const missingVariable = vmss(publicArgs(`"nodeName": "[variables('vmName')]"`));
const malformed = vmss(publicArgs(`"nodeName": "[concat('local', ]"`));
const numberValue = vmss(publicArgs(`"nodeName": 42`));
const nullValue = vmss(publicArgs(`"nodeName": null`));
const objectWithComment = vmss(publicArgs(`"nodeName": { "name": "web01" /* keep */ }`));

// Arguments written elsewhere and read through an expression
const argsVariable = vmss(`"settings": { "configurationArguments": "[variables('args')]" }`, { variables: `{ "args": { "nodeName": "web01" } }` });
const settingsParameter = vmss(`"settings": "[parameters('dscSettings')]"`, {
  parameters: `{ "vmssName": { "type": "string", "defaultValue": "web" }, "dscSettings": { "type": "object", "defaultValue": { "configurationArguments": { "NodeName": "[parameters('vmssName')]" } } } }`,
});
const argsGuarded = vmss(`"settings": { "configurationArguments": "[if(empty(variables('args')), json('null'), variables('args'))]" }`, { variables: `{ "args": { "nodeName": "web01" } }` });
// The written node name has another reader: setting it there would change that one too.
const argsShared = vmss(`"settings": { "configurationArguments": "[variables('args')]", "configuration": { "script": "[concat(variables('args').nodeName, '.ps1')]" } }`, {
  variables: `{ "args": { "nodeName": "web01" } }`,
});
const passedNoDefault = vmss(`"settings": { "configurationArguments": "[variables('args')]" }`, {
  parameters: `{ "node": { "type": "string" } }`,
  variables: `{ "args": { "nodeName": "[parameters('node')]" } }`,
});
const protectedLegacyVariable = vmss(`"settings": {}, "protectedSettings": "[variables('secret')]"`, {
  variables: `{ "secret": { "Properties": [{ "Name": "nodeName", "Value": "web01", "TypeName": "System.String" }] } }`,
});
// A parameter restricted to written objects: each may be deployed, but editing one would change what it accepts.
const allowedSettings = vmss(`"settings": "[parameters('dscSettings')]"`, {
  parameters: `{ "dscSettings": { "type": "object", "defaultValue": { "configurationArguments": { "nodeName": "localhost" } }, "allowedValues": [{ "configurationArguments": { "nodeName": "web01" } }, { "configurationArguments": { "nodeName": "localhost" } }] } }`,
});
// The same for the arguments object alone: each allowed object is one the extension may read.
const allowedArguments = vmss(`"settings": { "configurationArguments": "[parameters('dscArgs')]" }`, {
  parameters: `{ "dscArgs": { "type": "object", "defaultValue": { "nodeName": "localhost" }, "allowedValues": [{ "nodeName": "web01" }, { "nodeName": "localhost" }] } }`,
});
// The extension list itself comes from a variable: reported where the entry is written, without the autofix.
const listVariable = deploymentTemplate(scaleSetResource(`            "extensions": "[variables('extensions')]"`), {
  variables: `{ "extensions": [{ "name": "dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83", "settings": { "configurationArguments": { "nodeName": "web01" } } } }] }`,
});
const listVariableShared = listVariable.replace(`"name": "vmss1"`, `"name": "vmss1", "tags": { "node": "[variables('extensions')[0].properties.settings.configurationArguments.nodeName]" }`);
assert.notEqual(listVariableShared, listVariable);
const moduleSettings = dscConfigModule(`{ "settings": { "configurationArguments": { "nodeName": "web01" } } }`, "vmss");
const MODULE_SETTINGS = `"[coalesce(tryGet(parameters('extensionDSCConfig'), 'settings'), createObject())]"`;

/** An invalid case: one report on the expression `via` for the argument written as `snippet`, with a suggestion that sets it there. */
function passed(
  code: string,
  via: string,
  snippet: string,
  problem: { messageId: "notLocalhost"; value: string } | { messageId: "unproven"; reason: string },
  origin: (line: number) => string,
  { key = "nodeName", names = onVmss } = {},
) {
  const { messageId, ...rest } = problem;
  const line = at(code, snippet).line;
  return {
    code,
    errors: [
      {
        messageId,
        data: { ...names, key, ...rest, origin: origin(line) },
        ...at(code, via),
        suggestions: [{ messageId: "setWrittenLocalhost" as const, data: { key, line: String(line) }, output: fixed(code, snippet) }],
      },
    ],
  };
}

const seedVmss = readFileSync(new URL("../../examples/vmss-dsc.json", import.meta.url), "utf8");
const seedVm = readFileSync(new URL("../../examples/vm-dsc.json", import.meta.url), "utf8");

runRuleTests("scale-set-node-name", rule, {
  valid: [
    // written wrong: valid-dsc-settings reports it, with the reason (checked here once mended)
    malformed,
    vmss(publicArgs(`"nodeName": "[parameters('vmssName')"`)),
    vmss(`"settings": { "Properties": [{ "Name": "nodeName", "Value": "[concat('vm', parameters('i')) ", "TypeName": "System.String" }] }`),
    // the seed layouts: localhost on the scale set, the VM name on the single VM
    { code: seedVmss, filename: "vmss-dsc.json" },
    { code: seedVm, filename: "vm-dsc.json" },
    vmss(publicArgs(`"nodeName": "LocalHost"`)),
    vmss(`"settings": {}, "protectedSettings": { "configurationArguments": { "NodeName": "LOCALHOST" } }`),
    vmss(`"settings": { "Properties": [{ "Name": "nodeName", "Value": "localhost", "TypeName": "System.String" }] }`),
    vmss(`"settings": { "Properties": { "NodeName": "localhost" } }`),
    // a null argument is left out (the reference, 4.3), as if it were not written
    nullValue,
    vmss(publicArgs(`"nodeName": "[parameters('node')]"`), { parameters: `{ "node": { "type": "string", "defaultValue": "[null()]" } }` }),
    vmss(publicArgs(`"nodeName": "[variables('node')]"`), { variables: `{ "node": "[toLower('LOCALHOST')]" }` }),
    vmss(publicArgs(`"nodeName": "[parameters('node')]"`), {
      parameters: `{ "node": { "type": "string", "defaultValue": "localhost" } }`,
    }),
    vmss(publicArgs(`"nodeName": "[parameters('node')]"`), {
      parameters: `{ "node": { "type": "string", "defaultValue": "localhost", "allowedValues": ["localhost", "LOCALHOST"] } }`,
    }),
    nested("inner", "localhost"),
    nestedBlock("localhost", "web"),
    // union() merges nested objects, the later value winning
    nestedWithBlock("[union(createObject('nodeName', createObject('value', 'web01')), createObject('nodeName', createObject('value', 'localhost')))]", "web"),
    propertyCopy("localhost"),
    // no node name at all: the configuration may say `Node localhost` itself
    vmss(publicArgs(`"RegistrationUrl": "[reference('automation').registrationUrl]"`)),
    vmss(`"settings": { "configuration": { "url": "https://x/y.zip", "script": "a.ps1", "function": "Main" } }`),
    // only the configured keys are node names
    vmss(publicArgs(`"nodeName": "localhost", "MachineName": "web01"`)),
    { code: vmss(publicArgs(`"nodeName": "web01", "MachineName": "localhost"`)), options: [{ nodeNameKeys: ["machineName"] }] },
    // a later duplicate wins
    vmss(publicArgs(`"nodeName": "web01", "NODENAME": "localhost"`)),
    // single VMs pass the VM name (the documented pattern)
    vm(publicArgs(`"nodeName": "[variables('vmName')]"`)),
    vm(publicArgs(`"nodeName": "[concat('web', copyIndex())]"`)),
    // other extensions on a scale set
    vmss(publicArgs(`"nodeName": "web01"`)).replace(`"publisher": "Microsoft.Powershell"`, `"publisher": "Microsoft.Compute"`),
    // wrongly typed configurationArguments and Properties are skipped quietly
    vmss(`"settings": { "configurationArguments": [{ "nodeName": "web01" }] }`),
    vmss(`"settings": { "configurationArguments": "nodeName=web01" }`),
    vmss(`"settings": { "configurationArguments": null }, "protectedSettings": { "configurationArguments": 5 }`),
    vmss(`"settings": { "Properties": "nodeName" }, "protectedSettings": { "Properties": null }`),
    vmss(`"settings": { "Properties": [null, 1, "nodeName", [], { "Name": 5, "Value": "web01" }, { "Name": "[variables('n')]", "Value": "web01" }] }`),
    vmss(`"settings": { "Properties": [{ "Name": "nodeName" }] }`),
    // arguments read through an expression: where they are written, the branch a known condition takes
    vmss(`"settings": { "configurationArguments": "[variables('args')]" }`, { variables: `{ "args": { "nodeName": "localhost", "Role": "web" } }` }),
    vmss(`"settings": "[if(equals(parameters('env'), 'test'), variables('test'), variables('prod'))]"`, {
      parameters: `{ "env": { "type": "string" } }`,
      variables: `{ "test": { "configurationArguments": { "nodeName": "localhost" } }, "prod": { "configurationArguments": { "nodeName": "LOCALHOST" } } }`,
    }),
    vmss(`"settings": "[if(equals('a', 'b'), variables('vm'), variables('ss'))]"`, {
      variables: `{ "vm": { "configurationArguments": { "nodeName": "web01" } }, "ss": { "configurationArguments": { "nodeName": "localhost" } } }`,
    }),
    dscConfigModule(`{ "settings": { "configurationArguments": { "nodeName": "localhost" } } }`, "vmss"),
    // arguments built by an expression whose node name is localhost in every branch
    vmss(`"settings": { "configurationArguments": "[if(parameters('x'), createObject('nodeName', 'localhost'), createObject('NodeName', 'LocalHost'))]" }`),
    // ... or that have no node name at all
    vmss(`"settings": { "configurationArguments": "[createObject('Role', 'web')]" }`),
    // a module on a single VM may pass the VM name
    dscConfigModule(`{ "settings": { "configurationArguments": { "nodeName": "vm1" } } }`),
    vmss(`"settings": "[concat("`),
    vmss(`"settings": null, "protectedSettings": []`),
    // not a deployment template
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": { "nodeName": { "value": "web01" } } }`,
    `{ "settings": { "configurationArguments": { "nodeName": "web01" } } }`,
    `[1, 2, 3]`,
  ],
  invalid: [
    notLocalhost(literal, `"web01"`, "nodeName", `"web01"`),
    notLocalhost(protectedArgs, `"web01"`, "nodeName", `"web01"`),
    {
      code: bothBlocks,
      output: fixed(fixed(bothBlocks, `"a"`), `"b"`),
      errors: [
        { messageId: "notLocalhost", data: { ...onVmss, key: "nodeName", value: `"a"`, origin: "" }, ...at(bothBlocks, `"a"`) },
        { messageId: "notLocalhost", data: { ...onVmss, key: "NodeName", value: `"b"`, origin: "" }, ...at(bothBlocks, `"b"`) },
      ],
    },
    notLocalhost(legacyObject, `"web01"`, "nodeName", `"web01"`),
    notLocalhost(legacyArray, `"web01"`, "NodeName", `"web01"`),
    notLocalhost(legacyArrayComputedName, `"web01"`, "nodeName", `"web01"`),
    notLocalhost(legacyProtected, `"web01"`, "nodeName", `"web01"`),
    notLocalhost(legacyProtectedArray, "true", "nodename", "true"),
    { ...notLocalhost(machineName, `"web01"`, "MachineName", `"web01"`), options: [{ nodeNameKeys: ["nodeName", "MachineName", "ComputerName"] }] },
    notLocalhost(duplicates, `"web01"`, "nodeName", `"web01"`),
    notLocalhost(caseInsensitive, `"Web01"`, "NODENAME", `"Web01"`),
    notLocalhost(commentsAndBom, `"web-01"`, "nodeName", `"web-01"`),
    // resolution paths
    notLocalhost(viaVariable, `"[variables('vmName')]"`, "nodeName", `"web-01"`, " (from variable 'vmName')"),
    notLocalhost(viaDefault, `"[parameters('vmssName')]"`, "nodeName", `"web-vmss"`, " (from parameter 'vmssName')"),
    notLocalhost(allowedValues, `"[parameters('nodeName')]"`, "nodeName", `"web01" in some deployments`, " (from parameter 'nodeName')"),
    unproven(noDefault, `"[parameters('nodeName')]"`, "parameter 'nodeName' has no default value"),
    unproven(blockKeyVault, `"[parameters('nodeName')]"`, "reference() is only known at deployment time", " (from parameter 'nodeName')"),
    notLocalhost(blockLacks, `"[parameters('nodeName')]"`, "nodeName", `"web"`, " (from parameter 'nodeName')"),
    unproven(copyIndex, `"[concat('web', copyIndex())]"`, "copyIndex() is only known at deployment time"),
    unproven(vmNameVariable, `"[variables('vmName')]"`, "copyIndex() is only known at deployment time", " (from variable 'vmName')"),
    unproven(reference, `"[reference('vmss1').osProfile.computerNamePrefix]"`, "reference() is only known at deployment time"),
    unproven(missingVariable, `"[variables('vmName')]"`, "variable 'vmName' is not declared"),
    notLocalhost(numberValue, "42", "nodeName", "42"),
    {
      // replacing the object would drop its comment: reported without a fix
      code: objectWithComment,
      output: null,
      errors: [
        errorAt(objectWithComment, "notLocalhost", { ...onVmss, key: "nodeName", value: `{"name":"web01"}`, origin: "" }, `{ "name": "web01" /* keep */ }`),
      ],
    },
    // placements
    {
      code: nestedChild,
      output: fixed(nestedChild, `"vmss1"`, 2),
      errors: [
        errorAt(nestedChild, "notLocalhost", { name: "Microsoft.Powershell.DSC", parent: "scale set 'vmss1'", key: "nodeName", value: `"vmss1"`, origin: "" }, `"vmss1"`, 2),
      ],
    },
    {
      code: topLevelChild,
      output: fixed(topLevelChild, `"[parameters('vmssName')]"`),
      errors: [
        {
          messageId: "unproven",
          data: {
            name: "[concat(parameters('vmssName'), '/dsc')]",
            parent: "scale set '[parameters('vmssName')]'",
            key: "nodeName",
            reason: "parameter 'vmssName' has no default value",
            origin: "",
          },
          ...at(topLevelChild, `"[parameters('vmssName')]"`),
        },
      ],
    },
    {
      code: languageVersion2,
      output: fixed(languageVersion2, `"[variables('machine')]"`),
      errors: [
        errorAt(languageVersion2, "notLocalhost", { name: "vmss1/dsc", parent: "scale set 'vmss1'", key: "nodeName", value: `"WEB"`, origin: " (from variable 'machine')" }, `"[variables('machine')]"`),
      ],
    },
    notLocalhost(nested("inner", "web01"), `"[parameters('nodeName')]"`, "nodeName", `"web01"`, " (from parameter 'nodeName')"),
    notLocalhost(nestedBlock("web01", "localhost"), `"[parameters('nodeName')]"`, "nodeName", `"web01"`, " (from parameter 'nodeName')"),
    notLocalhost(nested("outer", "localhost"), `"[parameters('nodeName')]"`, "nodeName", `"web-vmss"`, " (from parameter 'nodeName')"),
    unproven(propertyCopy("[concat('web', copyIndex('extensions'))]"), `"[concat('web', copyIndex('extensions'))]"`, "copyIndex() is only known at deployment time"),
    notLocalhost(misplacedProfile, `"web01"`, "nodeName", `"web01"`),
    {
      // other expressions may read a variable: no autofix edits it; with the extension its one reader, a suggestion does
      code: listVariable,
      output: null,
      errors: [
        {
          ...errorAt(listVariable, "notLocalhost", { ...onVmss, key: "nodeName", value: `"web01"`, origin: "" }, `"web01"`),
          suggestions: [{ messageId: "setWrittenLocalhost", data: { key: "nodeName", line: String(at(listVariable, `"web01"`).line) }, output: listVariable.replace(`"web01"`, `"localhost"`) }],
        },
      ],
    },
    {
      // ... not when something else reads the same entry
      code: listVariableShared,
      errors: [{ ...errorAt(listVariableShared, "notLocalhost", { ...onVmss, key: "nodeName", value: `"web01"`, origin: "" }, `"web01"`), suggestions: [] }],
    },
    {
      code: allowedSettings,
      errors: [
        {
          ...errorAt(allowedSettings, "notLocalhost", { ...onVmss, key: "nodeName", value: `"web01"`, origin: ` (written on line ${at(allowedSettings, `"web01"`).line}, read through parameter 'dscSettings')` }, `"[parameters('dscSettings')]"`),
          suggestions: [],
        },
      ],
    },
    {
      code: allowedArguments,
      errors: [
        {
          ...errorAt(allowedArguments, "notLocalhost", { ...onVmss, key: "nodeName", value: `"web01"`, origin: ` (written on line ${at(allowedArguments, `"web01"`).line}, read through parameter 'dscArgs')` }, `"[parameters('dscArgs')]"`),
          suggestions: [],
        },
      ],
    },
    // read through an expression: reported there, set where written by a suggestion
    // a presence test of the variable does not read its node name
    passed(argsGuarded, `"[if(empty(variables('args')), json('null'), variables('args'))]"`, `"web01"`, { messageId: "notLocalhost", value: `"web01"` }, (line) => ` (written on line ${line}, read through variable 'args')`),
    // arguments built by an expression: reported on it, with nothing written to set
    ...(
      [
        [`"[union(variables('args'), createObject())]"`, `"web01"`, ""],
        [`"[createObject('nodeName', 'ss1')]"`, `"ss1"`, ""],
        [`"[if(parameters('x'), createObject('nodeName', 'localhost'), createObject('nodeName', 'web02'))]"`, `"web02"`, ", in some deployments"],
        [`"[shallowMerge(createArray(createObject('Role', 'web'), createObject('nodeName', 'web03')))]"`, `"web03"`, ""],
      ] as const
    ).map(([args, value, some]) => {
      const code = vmss(`"settings": { "configurationArguments": ${args} }`, { parameters: `{ "x": { "type": "bool" } }`, variables: `{ "args": { "nodeName": "web01" } }` });
      return oneError(code, "notLocalhost", { ...onVmss, key: "nodeName", value, origin: ` (built by the expression${some})` }, args);
    }),
    // ... and a whole settings block an expression builds
    ...[`"[createObject('configurationArguments', createObject('nodeName', 'web04'))]"`, `"[union(variables('base'), createObject('configurationArguments', createObject('nodeName', 'web04')))]"`].map((settings) => {
      const code = vmss(`"settings": ${settings}`, { variables: `{ "base": { "configuration": { "url": "https://h/x.zip", "script": "x.ps1", "function": "Main" } } }` });
      return oneError(code, "notLocalhost", { ...onVmss, key: "nodeName", value: `"web04"`, origin: " (built by the expression)" }, settings);
    }),
    passed(argsVariable, `"[variables('args')]"`, `"web01"`, { messageId: "notLocalhost", value: `"web01"` }, (line) => ` (written on line ${line}, read through variable 'args')`),
    {
      code: argsShared,
      errors: [
        {
          messageId: "notLocalhost",
          data: { ...onVmss, key: "nodeName", value: `"web01"`, origin: ` (written on line ${at(argsShared, `"web01"`).line}, read through variable 'args')` },
          ...at(argsShared, `"[variables('args')]"`),
          suggestions: [],
        },
      ],
    },
    passed(
      settingsParameter,
      `"[parameters('dscSettings')]"`,
      `"[parameters('vmssName')]"`,
      { messageId: "notLocalhost", value: `"web"` },
      (line) => ` (from parameter 'vmssName', written on line ${line}, read through parameter 'dscSettings')`,
      { key: "NodeName" },
    ),
    passed(passedNoDefault, `"[variables('args')]"`, `"[parameters('node')]"`, { messageId: "unproven", reason: "parameter 'node' has no default value" }, (line) => ` (written on line ${line}, read through variable 'args')`),
    passed(protectedLegacyVariable, `"[variables('secret')]"`, `"web01"`, { messageId: "notLocalhost", value: `"web01"` }, (line) => ` (written on line ${line}, read through variable 'secret')`),
    passed(
      moduleSettings,
      MODULE_SETTINGS,
      `"web01"`,
      { messageId: "notLocalhost", value: `"web01"` },
      (line) => ` (written on line ${line}, read through parameter 'extensionDSCConfig')`,
      { names: { name: "ss1/dsc", parent: "scale set 'ss1'" } },
    ),
  ],
});

/** The DSC extension model of a one-extension template. */
function onlyExtension(code: string) {
  const model = getTemplateModel(parseForESLint(code).ast, code);
  assert.equal(model.dscExtensions.length, 1);
  return model.dscExtensions[0]!;
}

describe("lib/template/arguments", () => {
  it("returns arguments from every location with their block, container and type name", () => {
    const code = vmss(
      `"settings": { "configurationArguments": { "A": 1 }, "Properties": [{ "Name": "B", "Value": 2, "TypeName": "System.Int32" }, { "Name": "C" }] },
       "protectedSettings": { "configurationArguments": { "D": 3 }, "Properties": { "E": 4 } }`,
    );
    const args = dscArguments(onlyExtension(code).dsc);
    assert.deepEqual(
      args.map((a) => [a.key, a.location, a.block, a.typeName, a.valueNode?.type ?? null, a.container.type]),
      [
        ["A", "public", "settings", null, "JSONLiteral", "JSONObjectExpression"],
        ["D", "protected", "protectedSettings", null, "JSONLiteral", "JSONObjectExpression"],
        ["B", "legacyArray", "settings", "System.Int32", "JSONLiteral", "JSONObjectExpression"],
        ["C", "legacyArray", "settings", null, null, "JSONObjectExpression"],
        ["E", "legacyObject", "protectedSettings", null, "JSONLiteral", "JSONObjectExpression"],
      ],
    );
    const b = args.find((a) => a.key === "B")!;
    assert.equal(b.keyNode.type, "JSONLiteral");
    assert.equal(b.property?.value, b.valueNode);
    assert.equal(b.collection.type, "JSONArrayExpression");
    assert.equal(b.collectionName, "Properties");
  });

  it("matches names case-insensitively and marks shadowed duplicates", () => {
    const ext = onlyExtension(vmss(publicArgs(`"NodeName": "a", "x": 1, "NODENAME": "b"`)));
    const found = findDscArguments(ext.dsc, ["nodename"]);
    assert.deepEqual(
      found.map((a) => [a.key, a.shadowed]),
      [
        ["NodeName", true],
        ["NODENAME", false],
      ],
    );
    assert.deepEqual(findDscArguments(ext.dsc, []), []);
    assert.deepEqual(dscArguments(undefined), []);
  });
});
