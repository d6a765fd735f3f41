// Pathological inputs for the secret rules: each must finish without throwing. Speed is the bench's
// business (npm run bench); the test timeout is only a guard against a hang (a scan that turned
// quadratic on these inputs would run for many minutes, the linear one takes well under a second).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Linter, type Rule } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import sas from "../../../rules/sas-token-in-protected-settings.js";
import credentials from "../../../rules/credentials-in-protected-settings.js";
import secure from "../../../rules/secure-sas-token-parameter.js";
import hardcoded from "../../../rules/no-hardcoded-sas-token.js";
import { template } from "./helpers.js";

const rules = { sas, credentials, secure, hardcoded } as unknown as Record<string, Rule.RuleModule>;
const config: Linter.Config[] = [
  {
    files: ["**/*.json"],
    plugins: { s: { rules } },
    languageOptions: { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } },
    rules: Object.fromEntries(Object.keys(rules).map((r) => [`s/${r}`, "error"])),
  },
];

/** Lints `text` with the four rules and returns the time taken and the messages. */
function lint(text: string): { ms: number; messages: Linter.LintMessage[] } {
  const linter = new Linter();
  const start = performance.now();
  const messages = linter.verify(text, config, { filename: "t.json" });
  return { ms: performance.now() - start, messages };
}

/** The hang guard of each case (see the top of the file). */
const HANG_GUARD_MS = 120_000;

const SAS_PARAM = `{ "sasToken": { "type": "secureString" } }`;

const cases: { name: string; text: () => string; reports?: number }[] = [
  {
    name: "a 2 MB string of almost-tokens",
    text: () => template(`"settings": { "x": ${JSON.stringify(`?${"sv=1&sig=&".repeat(180_000)}`)} }`),
    reports: 1,
  },
  {
    name: "a 1 MB run of '=' and letters",
    text: () => template(`"settings": { "x": ${JSON.stringify(`${"sig".repeat(100_000)}${"=".repeat(700_000)}`)} }`),
    reports: 0,
  },
  {
    name: "a chain of 5,000 variables",
    text: () => {
      const vars: Record<string, string> = { v0: "[parameters('sasToken')]" };
      for (let i = 1; i < 5000; i++) vars[`v${i}`] = `[concat(variables('v${i - 1}'), 'x')]`;
      return template(`"settings": { "configuration": { "url": "[variables('v4999')]" } }`, { parameters: SAS_PARAM, variables: JSON.stringify(vars) });
    },
  },
  {
    name: "a URL nested 400 concat() deep",
    text: () => {
      let expr = "parameters('sasToken')";
      for (let i = 0; i < 400; i++) expr = `concat('a', ${expr})`;
      return template(`"settings": { "configuration": { "url": "[${expr}]" } }`, { parameters: SAS_PARAM });
    },
    reports: 1,
  },
  {
    name: "an object variable with 50,000 members read by a computed index",
    text: () => {
      const big = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i % 1000 ? `v${i}` : "[parameters('sasToken')]"]));
      return template(
        `"settings": { "configurationArguments": { "a": "[variables('big')[parameters('key')]]", "b": "[variables('big').k1]" } }`,
        { parameters: `{ "sasToken": { "type": "secureString" }, "key": { "type": "string" } }`, variables: JSON.stringify({ big }) },
      );
    },
    reports: 1,
  },
  {
    name: "1,000 DSC extensions sharing one token variable",
    text: () => {
      const extra = Array.from(
        { length: 1000 },
        (_, i) => `{ "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm${i}/dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "settings": { "configuration": { "url": "[variables('u')]" }, "configurationArguments": { "password": "[parameters('sasToken')]" } } } },`,
      ).join("\n");
      return template(`"settings": {}`, { parameters: SAS_PARAM, variables: `{ "u": "[concat('https://h/x.zip', parameters('sasToken'))]" }`, extra });
    },
    reports: 2000,
  },
  {
    name: "user-defined functions that call the one before twice, 14 deep",
    text: () => udfChain(14, (prev) => `concat(ns.${prev}(parameters('s')), ns.${prev}(parameters('s')))`),
    reports: 1,
  },
  {
    name: "user-defined functions that call the one before in both branches of if(), 14 deep",
    text: () => udfChain(14, (prev) => `if(empty(parameters('s')), ns.${prev}(parameters('s')), ns.${prev}(parameters('s')))`),
    reports: 1,
  },
  {
    name: "protectedSettings built by a union() of a variable's object four times, 14 deep",
    text: () => {
      const vars: Record<string, string> = { v0: "[createObject('configurationUrlSasToken', parameters('tok'))]" };
      for (let i = 1; i <= 14; i++) vars[`v${i}`] = `[union(${Array(4).fill(`variables('v${i - 1}')`).join(", ")})]`;
      return template(`"protectedSettings": "[variables('v14')]"`, { parameters: `{ "tok": { "type": "string" } }`, variables: JSON.stringify(vars) });
    },
    // the token parameter is a plain string
    reports: 1,
  },
  {
    name: "format() that repeats a 24,000-character argument 24,000 times",
    text: () => template(`"settings": { "x": ${JSON.stringify(`[format('sig=${"{0}".repeat(24_000)}', '${"x".repeat(24_000)}')]`)} }`),
    reports: 0,
  },
];

/**
 * A DSC extension whose URL ends with `ns.f<depth>(parameters('sasToken'))`, where f0 appends its
 * argument to a base URL and each later function's output is `call(previous function's name)`.
 */
function udfChain(depth: number, call: (previous: string) => string): string {
  const members: Record<string, unknown> = { f0: { parameters: [{ name: "s", type: "string" }], output: { type: "string", value: "[concat('https://h/', parameters('s'))]" } } };
  for (let i = 1; i <= depth; i++) members[`f${i}`] = { parameters: [{ name: "s", type: "string" }], output: { type: "string", value: `[${call(`f${i - 1}`)}]` } };
  return template(`"settings": { "configuration": { "url": "[concat('https://h/x.zip', ns.f${depth}(parameters('sasToken')))]" } }`, { parameters: SAS_PARAM }).replace(
    `"parameters": {`,
    `"functions": [{ "namespace": "ns", "members": ${JSON.stringify(members)} }],\n  "parameters": {`,
  );
}

for (const c of cases) {
  test(`secret rules on ${c.name}`, { timeout: HANG_GUARD_MS }, (t) => {
    const text = c.text();
    const { ms, messages } = lint(text);
    t.diagnostic(`${c.name}: ${Math.round(ms)} ms`);
    assert.deepEqual(messages.filter((m) => m.fatal), []);
    if (c.reports !== undefined) assert.equal(messages.length, c.reports, JSON.stringify(messages.slice(0, 3).map((m) => m.message)));
  });
}
