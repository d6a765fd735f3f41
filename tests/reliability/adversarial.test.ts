// Adversarial inputs: deep nesting, huge strings and argument lists, long variable chains and
// cycles, megabytes of SAS-like text, unterminated expressions. Each is linted with every rule and
// must finish without a throw (a parse error is fine) and without a rule-less (crash) message.
// Durations are printed for the lead to quote; speed itself is the benchmark's business.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Linter } from "eslint";
import plugin from "../../index.js";
import { PARAMETERS_SCHEMA } from "../helpers/at.js";
import { deploymentTemplate } from "../helpers/templates.js";

const SAS = "?sv=2021-06-08&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&st=2020-01-01T00:00:00Z&spr=https&sig=Zm9vYmFyYmF6%3D";

/** Template parts around one scale-set DSC extension. */
interface Parts {
  parameters?: string;
  variables?: string;
  /** Extra members of the extension's `properties`. */
  properties?: string;
  settings?: string;
  protectedSettings?: string;
}

/** A template with a scale set whose profile holds one DSC extension, and a VM with a nested one. */
function template({ parameters = "{}", variables = "{}", properties = "", settings = "{}", protectedSettings = "{}" }: Parts): string {
  const extensionProperties = `{
        "publisher": "Microsoft.Powershell",
        "type": "DSC",
        ${properties ? `${properties},` : `"typeHandlerVersion": "2.83",`}
        "autoUpgradeMinorVersion": false,
        "settings": ${settings},
        "protectedSettings": ${protectedSettings}
      }`;
  const resources = `    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "apiVersion": "2024-07-01",
      "name": "vmss1",
      "properties": {
        "upgradePolicy": { "mode": "Automatic" },
        "virtualMachineProfile": { "extensionProfile": { "extensions": [{ "name": "dsc", "properties": ${extensionProperties} }] } }
      }
    },
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "vm1",
      "resources": [
        {
          "type": "extensions",
          "apiVersion": "2024-07-01",
          "name": "dsc",
          "location": "[resourceGroup().location]",
          "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
          "properties": ${extensionProperties}
        }
      ]
    }`;
  return deploymentTemplate(resources, { parameters, variables });
}

/** `depth` nested objects around `inner`. */
function nestObjects(depth: number, inner = "1"): string {
  return `${'{"a":'.repeat(depth)}${inner}${"}".repeat(depth)}`;
}

/** `depth` nested arrays around `inner`. */
function nestArrays(depth: number, inner = "1"): string {
  return `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;
}

/** An expression nested `depth` calls deep. */
function nestedExpression(depth: number): string {
  return `[${"concat(".repeat(depth)}'x'${")".repeat(depth)}]`;
}

/** A chain of `length` variables ending in `last`; each one refers to the one before. */
function variableChain(prefix: string, length: number, first: string): string[] {
  const out = [`"${prefix}0": ${JSON.stringify(first)}`];
  for (let i = 1; i < length; i++) out.push(`"${prefix}${i}": "[variables('${prefix}${i - 1}')]"`);
  return out;
}

/** `count` pretty-printed DSC profile entries with distinct node names. */
function manyExtensions(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `          {
            "name": "dsc${i}",
            "properties": {
              "publisher": "Microsoft.Powershell",
              "type": "DSC",
              "typeHandlerVersion": "2.9",
              "settings": { "configurationArguments": { "nodeName": "node${i}" } }
            }
          }`,
  );
}

/** SAS-like text repeated to about `bytes` characters. */
function sasText(bytes: number): string {
  return SAS.repeat(Math.ceil(bytes / SAS.length)).slice(0, bytes);
}

const INPUTS: Record<string, () => string> = {
  "JSON nested 3,000 deep in a template's resources": () =>
    template({}).replace('"resources": [', `"resources": [${nestObjects(1500, nestArrays(1500))}, `),
  "JSON nested 3,000 deep in a DSC setting": () => template({ settings: `{ "configurationArguments": { "deep": ${nestObjects(3000)} } }` }),
  "JSON nested 400 deep (within the parser's limit) in resources, settings and a variable": () =>
    template({
      variables: `{ "deep": ${nestObjects(400, '"[variables(\'deep\')]"')} }`,
      settings: `{ "configurationArguments": { "deep": ${nestObjects(200, nestArrays(200, '"[parameters(\'x\')]"'))}, "nodeName": "[variables('deep')]" } }`,
      protectedSettings: `{ "configurationArguments": "[variables('deep')]" }`,
    }).replace('"resources": [', `"resources": [${nestArrays(400, nestObjects(1))}, { "type": "Microsoft.Compute/virtualMachines", "name": "deep", "resources": ${nestArrays(399)} }, `),
  "plain JSON nested 3,000 deep (objects)": () => nestObjects(3000),
  "plain JSON nested 3,000 deep (arrays)": () => nestArrays(3000),
  "expression nested 5,000 deep in a DSC setting": () =>
    template({ settings: `{ "configuration": { "url": "${nestedExpression(5000)}" }, "configurationArguments": { "nodeName": "${nestedExpression(5000)}" } }` }),
  "expression with 100,000 arguments": () =>
    template({ settings: `{ "configuration": { "url": "[concat(${Array.from({ length: 100_000 }, (_, i) => `'a${i % 10}'`).join(", ")})]" } }` }),
  "8 MB string in a setting (of two extensions)": () => template({ settings: `{ "configurationArguments": { "nodeName": "${"x".repeat(8 * 1024 * 1024)}" } }` }),
  "8 MB expression string in a setting (of two extensions)": () =>
    template({ settings: `{ "configuration": { "url": "[concat('${"y".repeat(8 * 1024 * 1024)}', parameters('sas'))]" } }`, parameters: '{ "sas": { "type": "string" } }' }),
  "2,000-long variable chain into typeHandlerVersion and configuration.url": () =>
    template({
      variables: `{ ${[...variableChain("v", 2000, "2.83"), ...variableChain("u", 2000, `https://acct.blob.core.windows.net/c/config.zip${SAS}`)].join(", ")} }`,
      properties: `"typeHandlerVersion": "[variables('v1999')]"`,
      settings: `{ "configuration": { "url": "[variables('u1999')]", "script": "c.ps1", "function": "Main" }, "configurationArguments": { "nodeName": "[variables('v1999')]" } }`,
    }),
  "variable cycle": () =>
    template({
      variables: `{ "a": "[variables('b')]", "b": "[concat(variables('c'), 'x')]", "c": "[variables('a')]", "self": "[variables('self')]", "obj": { "x": "[variables('obj')]" } }`,
      properties: `"typeHandlerVersion": "[variables('a')]"`,
      settings: `{ "configuration": { "url": "[variables('b')]" }, "configurationArguments": { "nodeName": "[variables('self')]", "o": "[variables('obj').x]" } }`,
    }),
  "parameter default cycle": () =>
    template({
      parameters: `{ "p": { "type": "string", "defaultValue": "[parameters('q')]" }, "q": { "type": "string", "defaultValue": "[parameters('p')]" } }`,
      properties: `"typeHandlerVersion": "[parameters('p')]"`,
      settings: `{ "configurationArguments": { "nodeName": "[parameters('q')]" } }`,
    }),
  "SAS-like text repeated to 1 MB in a setting": () => template({ settings: `{ "configurationArguments": { "nodeName": "${sasText(1024 * 1024)}" } }` }),
  "SAS-like text repeated to 1 MB in a parameters file": () =>
    `{ "$schema": "${PARAMETERS_SCHEMA}", "contentVersion": "1.0.0.0", "parameters": { "sas": { "value": "${sasText(1024 * 1024)}" } } }`,
  "1 MB of sig= without a SAS": () => template({ settings: `{ "configuration": { "url": "${"sig=".repeat(256 * 1024)}" } }` }),
  "unterminated expressions": () =>
    template({
      properties: `"typeHandlerVersion": "[concat('2.83'"`,
      settings: `{ "configuration": { "url": "[concat(", "script": "['unterminated", "function": "[${"(".repeat(10_000)}" }, "configurationArguments": { "nodeName": "[parameters('x'", "b": "[${"concat('a', ".repeat(20_000)}" } }`,
    }),
  "union() of 2,000 objects that share a nested path, and of two 8,000-key objects": () => {
    const shared = Array.from({ length: 2000 }, (_, i) => `"o${i}": { "a": { "b": { "c": { "k${i}": ${i} } } } }`);
    const wide = (name: string, prefix: string) => `"${name}": { ${Array.from({ length: 8000 }, (_, i) => `"${prefix}${i}": ${i}`).join(", ")} }`;
    const union = `"[union(${Array.from({ length: 2000 }, (_, i) => `variables('o${i}')`).join(", ")})]"`;
    return template({
      variables: `{ ${shared.join(", ")}, ${wide("w1", "key")}, ${wide("w2", "KEY")}, "u": ${union}, "uw": "[union(variables('w1'), variables('w2'))]" }`,
      settings: `{ "configurationArguments": "[variables('u')]" }`,
      protectedSettings: `{ "configurationArguments": "[variables('uw')]" }`,
    });
  },
  "member chain of 20,000 reads on createObject() in a protected token key": () =>
    template({
      parameters: '{ "sas": { "type": "secureString" } }',
      protectedSettings: `{ "configurationUrlSasToken": "[createObject('a', parameters('sas'))${".a".repeat(20_000)}]" }`,
    }),
  "an object variable of 8,000 members, each naming a VM and its DSC extension": () => {
    const members = Array.from({ length: 8000 }, (_, i) => `"vm_${i}": "vm${i}"`).join(", ");
    const settings = '{ "configuration": { "url": "https://acct.blob.core.windows.net/c/c.zip", "script": "c.ps1", "function": "Main" } }';
    const resources = Array.from(
      { length: 8000 },
      (_, i) => `{ "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "[variables('names').vm_${i}]" },
    { "type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2024-07-01", "name": "[concat(variables('names').vm_${i}, '/dsc')]",
      "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83", "settings": ${settings} } }`,
    );
    return deploymentTemplate(resources.join(",\n    "), { variables: `{ "names": { ${members} } }` });
  },
  "shallowMerge() of two 8,000-key objects as the configuration arguments": () => {
    const wide = (prefix: string) => `{ ${Array.from({ length: 8000 }, (_, i) => `"${prefix}${i}": "v${i}"`).join(", ")} }`;
    return template({
      variables: `{ "a": ${wide("a")}, "b": ${wide("B")} }`,
      settings: `{ "configurationArguments": "[shallowMerge(createArray(variables('a'), variables('b')))]" }`,
    });
  },
  "4,000 configuration arguments read in turn from json() of two texts": () => {
    const text = (prefix: string) => JSON.stringify(JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`${prefix}${i}`, `v${i}`]))).replaceAll("'", "''"));
    const args = Array.from({ length: 2000 }, (_, i) => `"a${i}": "[json(variables('a')).a${i}]", "b${i}": "[json(variables('b')).b${i}]"`);
    return template({ variables: `{ "a": ${text("a")}, "b": ${text("b")} }`, settings: `{ "configurationArguments": { ${args.join(", ")} } }` });
  },
  "1,000 scale sets with a fix each, and a comment after every brace and comma": () => {
    const profile = (i: number) =>
      `{ "name": "dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83", "settings": { "configurationArguments": { "nodeName": "web${i}" } } } }`;
    const resources = Array.from(
      { length: 1000 },
      (_, i) => `{ "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2024-07-01", "name": "ss${i}",
      "properties": { "upgradePolicy": { "mode": "Automatic" }, "virtualMachineProfile": { "extensionProfile": { "extensions": [${profile(i)}] } } } }`,
    );
    return deploymentTemplate(resources.join(",\n    ")).replaceAll(",", ", /* c */").replaceAll("{", "{ // c\n");
  },
  "2,000 DSC extensions on one scale set, pretty-printed": () => template({}).replace('"extensions": [', `"extensions": [\n${manyExtensions(2000).join(",\n")},`),
  "1,000 DSC extensions on one scale set, on one line": () => template({}).replace(/\s*\n\s*/g, " ").replace('"extensions": [', `"extensions": [${manyExtensions(1000).join(", ").replace(/\s*\n\s*/g, " ")}, `),
};

const linter = new Linter();
const durations: { name: string; ms: number; cpuMs: number; messages: number; parseError: boolean }[] = [];

for (const [name, build] of Object.entries(INPUTS)) {
  test(`adversarial: ${name}`, (t) => {
    const text = build();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const messages = linter.verify(text, plugin.configs.all, { filename: "adversarial.json" });
    const used = process.cpuUsage(cpu);
    const ms = Math.round(performance.now() - started);
    const cpuMs = Math.round((used.user + used.system) / 1000);
    const parseError = messages.some((m) => m.fatal);
    durations.push({ name, ms, cpuMs, messages: messages.length, parseError });
    t.diagnostic(
      `${name}: ${ms} ms (${cpuMs} ms CPU), ${(text.length / 1024 / 1024).toFixed(2)} MB, ${messages.length} message(s)${parseError ? " (parse error)" : ""}`,
    );
    const crashes = messages.filter((m) => !m.fatal && !m.ruleId);
    assert.deepEqual(crashes.map((m) => m.message), [], "messages without a rule");
  });
}

test("adversarial: slowest inputs", (t) => {
  for (const d of [...durations].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
    t.diagnostic(`${d.ms} ms (${d.cpuMs} ms CPU)  ${d.name}${d.parseError ? " (parse error)" : ""}`);
  }
});
