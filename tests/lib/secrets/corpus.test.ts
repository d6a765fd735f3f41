// The secret rules' fixes on the real-world corpus: every fixed file parses, a second pass changes
// nothing, and every configuration URL that evaluates before the fix downloads the same URL after
// it (URL plus protected token).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { Linter, type Rule } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import { evaluateNode } from "../../../lib/expression/index.js";
import { findProperty, getPath, jsonPointer } from "../../../lib/json/access.js";
import { getTemplateModel, type ExtensionInfo } from "../../../lib/template/model.js";
import sas from "../../../rules/sas-token-in-protected-settings.js";
import credentials from "../../../rules/credentials-in-protected-settings.js";
import secure from "../../../rules/secure-sas-token-parameter.js";
import hardcoded from "../../../rules/no-hardcoded-sas-token.js";

const root = new URL("../../corpus/templates/", import.meta.url);
const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json")).sort();

const rules = { sas, credentials, secure, hardcoded } as unknown as Record<string, Rule.RuleModule>;
const config: Linter.Config[] = [
  {
    files: ["**/*.json"],
    plugins: { s: { rules } },
    languageOptions: { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } },
    rules: Object.fromEntries(Object.keys(rules).map((r) => [`s/${r}`, "error"])),
  },
];

/** Download URLs (url + protected token) of every DSC extension that evaluate, by pointer and holder. */
function downloadUrls(text: string): Map<string, string> {
  const model = getTemplateModel(jsoncParser.parseForESLint(text, { jsonSyntax: "JSONC" }).ast, text);
  const out = new Map<string, string>();
  for (const ext of model.dscExtensions) {
    for (const [holder, key] of [
      ["configuration", "configurationUrlSasToken"],
      ["configurationData", "configurationDataUrlSasToken"],
    ] as const) {
      const url = downloadUrl(ext, holder, key);
      if (url !== undefined) out.set(`${jsonPointer(ext.node)} ${holder}`, url);
    }
  }
  return out;
}

/** `url + token` of one extension when both are known before deployment. */
function downloadUrl(ext: ExtensionInfo, holder: string, key: string): string | undefined {
  const url = getPath(ext.properties, ["settings", holder, "url"]);
  if (!url) return undefined;
  const token = findProperty(ext.dsc?.protectedSettings, key)?.value;
  let text = "";
  for (const node of token ? [url, token] : [url]) {
    const value = evaluateNode(node, ext.scope);
    if (value.kind !== "known" || typeof value.value !== "string") return undefined;
    text += value.value;
  }
  return text;
}

test("secret fixes on the corpus parse, are idempotent and keep download URLs", () => {
  const linter = new Linter();
  let fixed = 0;
  let compared = 0;
  for (const file of files) {
    const text = readFileSync(new URL(file, root), "utf8");
    const result = linter.verifyAndFix(text, config, { filename: "corpus.json" });
    assert.deepEqual(result.messages.filter((m) => m.fatal), [], file);
    if (!result.fixed) continue;
    fixed++;
    jsoncParser.parseJSON(result.output, { jsonSyntax: "JSONC" });
    assert.equal(linter.verifyAndFix(result.output, config, { filename: "corpus.json" }).fixed, false, `${file}: second pass`);
    const before = downloadUrls(text);
    const after = downloadUrls(result.output);
    for (const [where, url] of before) {
      assert.equal(after.get(where), url, `${file} ${where}`);
      compared++;
    }
  }
  assert.ok(fixed >= 10, `fixed ${fixed} files`);
  assert.ok(compared > 0);
});
