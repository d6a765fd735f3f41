import { test } from "node:test";
import assert from "node:assert/strict";
import { Linter, type Rule } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import { evaluateNode } from "../../../lib/expression/index.js";
import { findProperty, getPath } from "../../../lib/json/access.js";
import type { ExtensionInfo } from "../../../lib/template/model.js";
import { parseFormat } from "../../../lib/secrets/index.js";
import rule from "../../../rules/sas-token-in-protected-settings.js";
import { analyze, template } from "./helpers.js";

const TOKEN = "?sv=2022-11-02&sp=r&se=2030-01-01T00:00:00Z&sig=AbC%2Fd%3D";

/** Parameters with defaults so that every URL evaluates to a known string. */
const PARAMETERS = `{
    "_artifactsLocation": { "type": "string", "defaultValue": "https://example.blob.core.windows.net/artifacts/" },
    "_artifactsLocationSasToken": { "type": "secureString", "defaultValue": "${TOKEN}" },
    "storageSas": { "type": "secureString", "defaultValue": "${TOKEN.slice(1)}" }
  }`;

const linter = new Linter();
const config: Linter.Config[] = [
  {
    files: ["**/*.json"],
    plugins: { t: { rules: { r: rule as unknown as Rule.RuleModule } } },
    languageOptions: { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } },
    rules: { "t/r": "error" },
  },
];

/** The URL the DSC handler downloads from: `<holder>.url` plus the protected token (as is). */
function downloadUrl(ext: ExtensionInfo, holder: "configuration" | "configurationData"): string {
  const url = getPath(ext.properties, ["settings", holder, "url"]);
  assert.ok(url, "the URL exists");
  const tokenKey = holder === "configuration" ? "configurationUrlSasToken" : "configurationDataUrlSasToken";
  const token = findProperty(ext.dsc?.protectedSettings, tokenKey);
  const parts = [url, ...(token ? [token.value] : [])].map((node) => {
    const value = evaluateNode(node, ext.scope);
    assert.equal(value.kind, "known", `evaluates: ${JSON.stringify(value)}`);
    return (value as { value: unknown }).value;
  });
  return parts.join("");
}

interface Case {
  name: string;
  settings: string;
  variables?: string;
  holder?: "configuration" | "configurationData";
  /** Apply the (single) suggestion instead of the fix. */
  suggestion?: boolean;
  /** Expected URL value after the change, as written. */
  url: string;
  /** Expected token value, as written. */
  token: string;
  /** Other text the fix is expected to change (the variable holding the token). */
  variablesAfter?: string;
}

const cases: Case[] = [
  {
    name: "concat with the token last",
    settings: `{ "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'DSC/x.zip', parameters('_artifactsLocationSasToken'))]", "script": "x.ps1", "function": "Main" } }`,
    url: "[concat(parameters('_artifactsLocation'), 'DSC/x.zip')]",
    token: "[parameters('_artifactsLocationSasToken')]",
  },
  {
    name: "concat of two pieces keeps the URL piece alone",
    settings: `{ "configuration": { "url": "[concat(uri(parameters('_artifactsLocation'), 'DSC/x.zip'), parameters('_artifactsLocationSasToken'))]" } }`,
    url: "[uri(parameters('_artifactsLocation'), 'DSC/x.zip')]",
    token: "[parameters('_artifactsLocationSasToken')]",
  },
  {
    name: "uri(base, concat(path, token))",
    settings: `{ "configuration": { "url": "[uri(parameters('_artifactsLocation'), concat('DSC/x.zip', parameters('_artifactsLocationSasToken')))]" } }`,
    url: "[uri(parameters('_artifactsLocation'), 'DSC/x.zip')]",
    token: "[parameters('_artifactsLocationSasToken')]",
  },
  {
    name: "uri(base, format(path{0}, token))",
    settings: `{ "configuration": { "url": "[uri(parameters('_artifactsLocation'), format('DSC/x.zip{0}', parameters('_artifactsLocationSasToken')))]" } }`,
    url: "[uri(parameters('_artifactsLocation'), 'DSC/x.zip')]",
    token: "[parameters('_artifactsLocationSasToken')]",
  },
  {
    name: "format with the token placeholder last",
    settings: `{ "configuration": { "url": "[format('{0}DSC/x.zip{1}', parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'))]" } }`,
    url: "[format('{0}DSC/x.zip', parameters('_artifactsLocation'))]",
    token: "[parameters('_artifactsLocationSasToken')]",
  },
  {
    name: "format renumbers the placeholders after the token argument",
    settings: `{ "configuration": { "url": "[format('{1}DSC/{{v}}x.zip{0}', parameters('_artifactsLocationSasToken'), parameters('_artifactsLocation'))]" } }`,
    url: "[format('{0}DSC/{{v}}x.zip', parameters('_artifactsLocation'))]",
    token: "[parameters('_artifactsLocationSasToken')]",
  },
  {
    name: "a SAS-named parameter appended with '?'",
    settings: `{ "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', '?', parameters('storageSas'))]" } }`,
    url: "[concat(parameters('_artifactsLocation'), 'x.zip', '?')]",
    token: "[parameters('storageSas')]",
  },
  {
    name: "a literal URL with its token",
    settings: `{ "configuration": { "url": "https://example.blob.core.windows.net/artifacts/x.zip${TOKEN}" } }`,
    url: "https://example.blob.core.windows.net/artifacts/x.zip",
    token: TOKEN,
  },
  {
    name: "a literal token as the last piece",
    settings: `{ "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip${TOKEN}')]" } }`,
    url: "[concat(parameters('_artifactsLocation'), 'x.zip')]",
    token: TOKEN,
  },
  {
    name: "a token behind if() stays whole",
    settings: `{ "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', if(empty(parameters('_artifactsLocationSasToken')), '', parameters('_artifactsLocationSasToken')))]" } }`,
    url: "[concat(parameters('_artifactsLocation'), 'x.zip')]",
    token: "[if(empty(parameters('_artifactsLocationSasToken')), '', parameters('_artifactsLocationSasToken'))]",
  },
  {
    name: "configurationData.url",
    holder: "configurationData",
    settings: `{ "configurationData": { "url": "[concat(parameters('_artifactsLocation'), 'data.psd1', parameters('_artifactsLocationSasToken'))]" } }`,
    url: "[concat(parameters('_artifactsLocation'), 'data.psd1')]",
    token: "[parameters('_artifactsLocationSasToken')]",
  },
  {
    name: "a variable read only here: its definition loses the token",
    settings: `{ "configuration": { "url": "[variables('zipUrl')]" } }`,
    variables: `{ "zipUrl": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" }`,
    url: "[variables('zipUrl')]",
    token: "[parameters('_artifactsLocationSasToken')]",
    variablesAfter: `{ "zipUrl": "[concat(parameters('_artifactsLocation'), 'x.zip')]" }`,
  },
  {
    name: "a member of an object variable read only here",
    settings: `{ "configuration": { "url": "[variables('dsc').zip]", "script": "[variables('dsc').script]" } }`,
    variables: `{ "dsc": { "zip": "[uri(parameters('_artifactsLocation'), format('x.zip{0}', parameters('_artifactsLocationSasToken')))]", "script": "x.ps1" } }`,
    url: "[variables('dsc').zip]",
    token: "[parameters('_artifactsLocationSasToken')]",
    variablesAfter: `{ "dsc": { "zip": "[uri(parameters('_artifactsLocation'), 'x.zip')]", "script": "x.ps1" } }`,
  },
  {
    name: "a token inside a variable used as the last piece",
    settings: `{ "configuration": { "url": "[concat(parameters('_artifactsLocation'), variables('file'))]" } }`,
    variables: `{ "file": "[concat('DSC/x.zip', parameters('_artifactsLocationSasToken'))]" }`,
    url: "[concat(parameters('_artifactsLocation'), variables('file'))]",
    token: "[parameters('_artifactsLocationSasToken')]",
    variablesAfter: `{ "file": "DSC/x.zip" }`,
  },
  {
    name: "a shared variable is inlined by a suggestion",
    suggestion: true,
    settings: `{ "configuration": { "url": "[variables('zipUrl')]" }, "configurationArguments": { "n": "[length(variables('zipUrl'))]" } }`,
    variables: `{ "zipUrl": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" }`,
    url: "[concat(parameters('_artifactsLocation'), 'x.zip')]",
    token: "[parameters('_artifactsLocationSasToken')]",
  },
  {
    name: "a second read written with JSON escapes still makes the variable shared",
    suggestion: true,
    settings: `{ "configuration": { "url": "[variables('zipUrl')]" }, "configurationArguments": { "n": "[length(\\u0076ariables('zipUrl'))]" } }`,
    variables: `{ "zipUrl": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]" }`,
    url: "[concat(parameters('_artifactsLocation'), 'x.zip')]",
    token: "[parameters('_artifactsLocationSasToken')]",
  },
  {
    name: "a token variable used whole moves as a variable read",
    settings: `{ "configuration": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', variables('sas'))]" } }`,
    variables: `{ "sas": "[parameters('_artifactsLocationSasToken')]" }`,
    url: "[concat(parameters('_artifactsLocation'), 'x.zip')]",
    token: "[variables('sas')]",
  },
];

for (const c of cases) {
  test(`URL split keeps the download URL: ${c.name}`, () => {
    const holder = c.holder ?? "configuration";
    const before = template(`"settings": ${c.settings}`, { parameters: PARAMETERS, variables: c.variables ?? "{}" });
    const original = analyze(before);
    const expectedUrl = downloadUrl(original.ext, holder);
    assert.ok(expectedUrl.endsWith(TOKEN) || expectedUrl.endsWith(TOKEN.slice(1)), expectedUrl);

    let after: string;
    const messages = linter.verify(before, config, { filename: "t.json" });
    const message = messages.find((m) => m.line === lineOf(before, `"url"`));
    assert.ok(message, `reported: ${JSON.stringify(messages.map((m) => m.message))}`);
    if (c.suggestion) {
      assert.equal(message.fix, undefined);
      const fix = message.suggestions?.[0]?.fix;
      assert.ok(fix, "has a suggestion");
      after = before.slice(0, fix.range[0]) + fix.text + before.slice(fix.range[1]);
    } else {
      assert.ok(message.fix, "has a fix");
      after = linter.verifyAndFix(before, config, { filename: "t.json" }).output;
    }
    const changed = analyze(after);
    assert.equal(downloadUrl(changed.ext, holder), expectedUrl);
    const url = getPath(changed.ext.properties, ["settings", holder, "url"]);
    assert.equal(url?.type === "JSONLiteral" ? url.value : undefined, c.url);
    const tokenKey = holder === "configuration" ? "configurationUrlSasToken" : "configurationDataUrlSasToken";
    const token = findProperty(changed.ext.dsc?.protectedSettings, tokenKey)?.value;
    assert.equal(token?.type === "JSONLiteral" ? token.value : undefined, c.token);
    if (c.variablesAfter) assert.ok(after.includes(`"variables": ${c.variablesAfter}`), after);
    else if (!c.suggestion) assert.ok(after.includes(`"variables": ${c.variables ?? "{}"}`));
    // nothing is left to report on the URL, and a second pass changes nothing
    assert.deepEqual(
      linter.verify(after, config, { filename: "t.json" }).filter((m) => m.line === lineOf(after, `"url"`)),
      [],
    );
    assert.equal(linter.verifyAndFix(after, config, { filename: "t.json" }).fixed, false);
  });
}

test("no split when the token is not the last piece", () => {
  for (const url of [
    "[concat(parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'), '&x=1')]",
    "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'), '')]",
    "[format('{0}x.zip{1}&v={0}', parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'))]",
    "[format('{0}x.zip{1}', parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'), parameters('storageSas'))]",
    "[uri(parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'))]",
    "[if(empty(parameters('_artifactsLocationSasToken')), parameters('_artifactsLocation'), concat(parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken')))]",
    `https://h/x.zip${TOKEN}#part`,
    "[parameters('_artifactsLocationSasToken')]",
  ]) {
    const text = template(`"settings": { "configuration": { "url": ${JSON.stringify(url)} } }`, { parameters: PARAMETERS });
    const messages = linter.verify(text, config, { filename: "t.json" });
    assert.equal(messages.length, 1, url);
    assert.equal(messages[0]!.fix, undefined, url);
    assert.equal(messages[0]!.suggestions, undefined, url);
  }
});

test("parseFormat reads plain placeholders and escapes only", () => {
  assert.deepEqual(parseFormat("{0}a{{b}}{12}"), [{ index: 0 }, "a{b}", { index: 12 }]);
  assert.equal(parseFormat("{0,5}"), null);
  assert.equal(parseFormat("{0:x}"), null);
  assert.equal(parseFormat("a}b"), null);
  assert.equal(parseFormat("{"), null);
  assert.deepEqual(parseFormat(""), []);
});

test("the analysis of a template is shared by the rules (one per model)", () => {
  const a = analyze(template(`"settings": {}`));
  const b = analyze(template(`"settings": {}`));
  assert.notEqual(a.analysis, b.analysis);
});

/** 1-based line of the first occurrence of `snippet`. */
function lineOf(text: string, snippet: string): number {
  return text.slice(0, text.indexOf(snippet)).split("\n").length;
}
