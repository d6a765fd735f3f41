import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import plugin from "../../index.js";
import { rules } from "../../rules/index.js";
import { docsUrl } from "../../lib/rule.js";
import { PLUGIN_NAME, PLUGIN_VERSION } from "../../lib/version.js";

const root = new URL("../../", import.meta.url);
const list = (dir: string, suffix: string) =>
  readdirSync(new URL(dir, root))
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length))
    .sort();

test("rules/, tests/rules/ and docs/rules/ are one-to-one with the exported rules", () => {
  const exported = Object.keys(plugin.rules).sort();
  assert.deepEqual(list("rules/", ".ts").filter((n) => n !== "index"), exported);
  assert.deepEqual(list("tests/rules/", ".test.ts"), exported);
  assert.deepEqual(list("docs/rules/", ".md"), exported);
});

test("every rule has complete meta", () => {
  for (const [name, rule] of Object.entries(rules) as [string, (typeof rules)[keyof typeof rules]][]) {
    assert.equal(plugin.rules[name as keyof typeof rules], rule, `${name}: the plugin exports the rule module`);
    const meta = rule.meta;
    assert.equal(rule.name, name, `${name}: name`);
    assert.equal((meta.docs as { url?: string }).url, docsUrl(name), `${name}: docs.url`);
    assert.match(meta.docs?.description ?? "", /^(Enforce|Require|Disallow) /u, `${name}: description`);
    assert.ok(["problem", "suggestion", "layout"].includes(meta.type), `${name}: type`);
    assert.ok(Array.isArray(meta.schema), `${name}: schema`);
    for (const [id, message] of Object.entries(meta.messages)) {
      assert.match(message, /[.]$/u, `${name}.${id} ends with a period`);
      assert.match(message, /^[A-Z'"{]/u, `${name}.${id} starts with a capital`);
    }
    const options = (meta.schema as { properties?: Record<string, { description?: string }> }[])[0]?.properties ?? {};
    for (const [option, schema] of Object.entries(options)) {
      assert.ok(schema.description, `${name}: option ${option} has a description`);
    }
  }
});

test("plugin meta matches package.json", () => {
  const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { name: string; version: string };
  assert.equal(PLUGIN_NAME, pkg.name);
  assert.equal(PLUGIN_VERSION, pkg.version);
  assert.deepEqual(plugin.meta, { name: pkg.name, version: pkg.version, namespace: "arm-dsc" });
});

test("configs are arrays of named objects over .json and .jsonc files", () => {
  const ruleIds = Object.keys(plugin.rules).map((n) => `arm-dsc/${n}`);
  for (const [name, config] of Object.entries(plugin.configs)) {
    assert.ok(Array.isArray(config), name);
    assert.deepEqual(config.map((c) => c.name), ["arm-dsc/base", `arm-dsc/${name}`]);
    for (const c of config) assert.deepEqual(c.files, ["**/*.json", "**/*.jsonc"]);
  }
  assert.deepEqual(Object.keys(plugin.configs.all[1]!.rules ?? {}).sort(), ruleIds.sort());
  assert.deepEqual(Object.keys(plugin.configs.strict[1]!.rules ?? {}).sort(), ruleIds.sort());
  const recommended = Object.entries(rules)
    .filter(([, r]) => r.meta.docs?.recommended)
    .map(([n]) => `arm-dsc/${n}`);
  assert.deepEqual(Object.keys(plugin.configs.recommended[1]!.rules ?? {}).sort(), recommended.sort());
});
