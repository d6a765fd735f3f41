import { readFileSync } from "node:fs";
import rule from "../../rules/no-hardcoded-sas-token.js";
import { runRuleTests } from "../helpers/tester.js";
import { at, errorAt, PARAMETERS_SCHEMA, SCHEMA } from "../helpers/at.js";
import { dscOnVm } from "../helpers/templates.js";

// The signature is shaped like a real one (the Base64 of 32 bytes); placeholders are not reported.
const TOKEN = "sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig=ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3RzLTMyYnl0ZXM%3D";
/** Where the signature starts: the token split there has no piece that is a token alone. */
const SIG = TOKEN.indexOf("sig=") + 4;
const REDACTED = "sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig=***";
/**
 * A token in the default of a parameter that carries a DSC extension's token: secure-sas-token-parameter
 * reports that default (with a suggestion to remove it), so this rule does not; another parameter's is reported.
 */
const feedDefault = dscOnVm(
  `"settings": { "configuration": { "url": "https://acct.blob.core.windows.net/c/c.zip", "script": "c.ps1", "function": "Main" } },
        "protectedSettings": { "configurationUrlSasToken": "[parameters('dscToken')]" }`,
  {
    parameters: `{ "dscToken": { "type": "secureString", "defaultValue": "?${TOKEN}" }, "otherToken": { "type": "secureString", "defaultValue": "?${TOKEN}" } }`,
  },
);

const examples = ["vm-dsc.json", "vmss-dsc.json"].map((f) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), "utf8"));

const inTemplate = `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "packageUrl": { "type": "string", "defaultValue": "https://acct.blob.core.windows.net/p/app.zip?${TOKEN}" }
  },
  "variables": {
    "token": "[concat('?', '${TOKEN}')]",
    "pieces": "[concat('https://h/x.zip?', '${TOKEN.slice(0, SIG)}', '${TOKEN.slice(SIG)}', parameters('suffix'))]",
    "formatted": "[format('{0}x.zip?${TOKEN.slice(0, SIG)}{1}', parameters('base'), '${TOKEN.slice(SIG)}')]",
    "escaped": "[[not an expression ?${TOKEN.toUpperCase()}]",
    "list": ["a", { "deep": "?${TOKEN}" }],
    "settings": { "defaultValue": "?${TOKEN}" }
  },
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "inner",
      "properties": {
        "mode": "Incremental",
        "template": {
          "$schema": "${SCHEMA}",
          "contentVersion": "1.0.0.0",
          "parameters": { "source": { "type": "object", "defaultValue": { "url": "https://h/x.zip?${TOKEN}" } } },
          "resources": []
        }
      }
    },
    {
      "type": "Microsoft.Logic/workflows",
      "apiVersion": "2019-05-01",
      "name": "app",
      "properties": { "definition": { "parameters": { "packageUrl": { "type": "String", "defaultValue": "https://h/p.zip?${TOKEN}" } } } }
    }
  ]
}`;

const parametersFile = `{
  "$schema": "${PARAMETERS_SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "_artifactsLocationSasToken": { "value": "?${TOKEN}" },
    "note": { "value": "[concat('not', 'evaluated ?${TOKEN}')]" },
    "adminPassword": { "reference": { "keyVault": { "id": "kv" }, "secretName": "pw" } }
  }
}`;

const ESCAPED = TOKEN.replace("sig=", "sig\\u003d");
const many = Array.from({ length: 50 }, (_, i) => (i === 37 ? `"?${TOKEN}"` : `"item ${i}"`)).join(", ");
const escapedAndMany = `{ "$schema": "${SCHEMA}", "variables": { "escaped": "?${ESCAPED}", "many": [${many}] }, "resources": [] }`;

// Tokens in comments and keys are passed over; an escape inside `sig` itself is still read.
const SPELLED = TOKEN.replace("sig=", "s\\u0069g=");
const amongComments = `{
  // ?${TOKEN} in a comment is not a value
  "$schema": "${SCHEMA}",
  /* "x": "?${TOKEN}" */
  "variables": { "?${TOKEN}": "?${SPELLED}", "path": "C:\\\\dsc\\\\sig=", "after": "?${TOKEN}" },
  "resources": []
}`;

runRuleTests("no-hardcoded-sas-token", rule, {
  valid: [
    ...examples,
    // a token built from a parameter: the signature is not written down
    `{ "$schema": "${SCHEMA}", "variables": { "t": "[concat('?sv=2022-11-02&sp=r&sig=', parameters('signature'))]" }, "resources": [] }`,
    `{ "$schema": "${SCHEMA}", "variables": { "t": "[format('?sv=2022-11-02&sp=r&sig={0}{1}', parameters('signature'), 'ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3RzLTMyYnl0ZXM')]" }, "resources": [] }`,
    // sig= alone, or with keys that are not SAS keys
    `{ "$schema": "${SCHEMA}", "variables": { "a": "https://h/x?sig=abc", "b": "https://h/x?sr=b&sig=abc" }, "resources": [] }`,
    // example tokens whose signature cannot be real: a description's example, placeholders, a redaction
    `{ "$schema": "${SCHEMA}", "parameters": { "destination": { "type": "string", "metadata": { "description": "For example: https://acct.blob.core.windows.net/c?sp=racwl&st=2021-01-01T12:00:00&se=2021-02-01T12:00:00&spr=https&sv=2021-01-01&sig=123412341234" } } }, "resources": [] }`,
    `{ "$schema": "${SCHEMA}", "variables": { "a": "?sv=2022-11-02&sp=r&sig=XXXXXXXX", "b": "?sv=2022-11-02&sp=r&sig=***", "c": "?sv=2022-11-02&sp=r&sig=<signature>" }, "resources": [] }`,
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": { "sasToken": { "value": "?sv=2022-11-02&sp=r&se=2030-01-01&sig=REPLACE_ME" } } }`,
    // not a template or parameters file
    `{ "url": "https://h/x?${TOKEN}" }`,
    // a property key is not a value: ARM never sends it anywhere
    `{ "$schema": "${SCHEMA}", "variables": { "https://h/x?${TOKEN}": "plain" }, "resources": [] }`,
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": { "_artifactsLocationSasToken": { "value": "" } } }`,
  ],
  invalid: [
    {
      code: feedDefault,
      errors: [errorAt(feedDefault, "inParameterDefault", { token: `?${REDACTED}`, parameter: "otherToken", where: "/parameters/otherToken/defaultValue" }, `"?${TOKEN}"`, 2)],
    },
    {
      code: inTemplate,
      errors: [
        errorAt(inTemplate, "inParameterDefault", { token: `?${REDACTED}`, parameter: "packageUrl", where: "/parameters/packageUrl/defaultValue" }, `"https://acct.blob.core.windows.net/p/app.zip?${TOKEN}"`),
        errorAt(inTemplate, "inTemplate", { token: REDACTED, where: "/variables/token" }, `"[concat('?', '${TOKEN}')]"`),
        // a token written in pieces of one concat()
        errorAt(inTemplate, "inTemplate", { token: `?${REDACTED}`, where: "/variables/pieces" }, `"[concat('https://h/x.zip?', '${TOKEN.slice(0, SIG)}', '${TOKEN.slice(SIG)}', parameters('suffix'))]"`),
        // ... or of one format(), as Bicep writes an interpolated string
        errorAt(inTemplate, "inTemplate", { token: `?${REDACTED}`, where: "/variables/formatted" }, `"[format('{0}x.zip?${TOKEN.slice(0, SIG)}{1}', parameters('base'), '${TOKEN.slice(SIG)}')]"`),
        errorAt(inTemplate, "inTemplate", { token: `?${REDACTED.toUpperCase()}`, where: "/variables/escaped" }, `"[[not an expression ?${TOKEN.toUpperCase()}]"`),
        errorAt(inTemplate, "inTemplate", { token: `?${REDACTED}`, where: "/variables/list/1/deep" }, `"?${TOKEN}"`),
        // a member named defaultValue that is no parameter's
        errorAt(inTemplate, "inTemplate", { token: `?${REDACTED}`, where: "/variables/settings/defaultValue" }, `"?${TOKEN}"`, 2),
        // inside a nested template's parameter default
        errorAt(
          inTemplate,
          "inParameterDefault",
          { token: `?${REDACTED}`, parameter: "source", where: "/resources/0/properties/template/parameters/source/defaultValue/url" },
          `"https://h/x.zip?${TOKEN}"`,
        ),
        // a Logic App definition's parameters are not the template's
        errorAt(inTemplate, "inTemplate", { token: `?${REDACTED}`, where: "/resources/1/properties/definition/parameters/packageUrl/defaultValue" }, `"https://h/p.zip?${TOKEN}"`),
      ],
    },
    {
      // `sig\u003d` is `sig=` once the JSON string is read; a token among many array elements is found
      code: escapedAndMany,
      errors: [
        { messageId: "inTemplate", data: { token: `?${REDACTED}`, where: "/variables/escaped" }, ...at(escapedAndMany, `"?${ESCAPED}"`) },
        { messageId: "inTemplate", data: { token: `?${REDACTED}`, where: "/variables/many/37" }, ...at(escapedAndMany, `"?${TOKEN}"`) },
      ],
    },
    {
      code: amongComments,
      errors: [
        { messageId: "inTemplate", data: { token: `?${REDACTED}`, where: `/variables/?${TOKEN}` }, ...at(amongComments, `"?${SPELLED}"`) },
        { messageId: "inTemplate", data: { token: `?${REDACTED}`, where: "/variables/after" }, ...at(amongComments, `"?${TOKEN}"`, 3) },
      ],
    },
    {
      code: parametersFile,
      errors: [
        errorAt(parametersFile, "inParametersFile", { token: `?${REDACTED}`, where: "/parameters/_artifactsLocationSasToken/value" }, `"?${TOKEN}"`),
        errorAt(parametersFile, "inParametersFile", { token: `?${REDACTED}`, where: "/parameters/note/value" }, `"[concat('not', 'evaluated ?${TOKEN}')]"`),
      ],
    },
  ],
});
