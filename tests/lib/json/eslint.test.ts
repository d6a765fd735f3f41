import assert from "node:assert/strict";
import { describe, it } from "node:test";
import json from "@eslint/json";
import { Linter, type Rule } from "eslint";
import { toCompatCreate } from "eslint-json-compat-utils";
import eslintPluginJsonc from "eslint-plugin-jsonc";
import * as jsoncParser from "jsonc-eslint-parser";
import type { AST } from "jsonc-eslint-parser";
import {
  findProperty,
  formatContext,
  formatJson,
  getObjectValue,
  insertProperty,
  isObject,
  keyLoc,
  moveProperty,
  removeProperty,
  rootExpression,
  wrapProperties,
  type JsonFixer,
  type JsonSourceCode,
  type TextEdit,
} from "../../../lib/json/index.js";
import { data } from "./helpers.js";

/** A fix built from the document root; returns null (no fix) once there is nothing left to do. */
type Op = (sc: JsonSourceCode, fixer: JsonFixer, root: AST.JSONObjectExpression) => TextEdit[] | null;

/** The property an op works on (reported at its key), or undefined when the op is done. */
type Pick = (root: AST.JSONObjectExpression) => AST.JSONProperty | AST.JSONObjectExpression | undefined;

/** A `create` that reports `pick(root)` once with `op` as fix. */
function makeCreate(pick: Pick, op: Op): Rule.RuleModule["create"] {
  return (context) => ({
    Program() {
      const sc = context.sourceCode as unknown as JsonSourceCode;
      const root = rootExpression(sc.ast);
      const target = isObject(root) ? pick(root) : undefined;
      if (!isObject(root) || !target) return;
      const loc = target.type === "JSONProperty" ? keyLoc(target) : target.loc;
      context.report({ loc, message: "fix me", fix: (fixer) => op(sc, fixer as unknown as JsonFixer, root) as Rule.Fix[] | null });
    },
  });
}

/** Flat configs running one inline rule under the three JSON front ends. */
function configs(pick: Pick, op: Op): Record<string, Linter.Config[]> {
  const create = makeCreate(pick, op);
  const rule = (c: Rule.RuleModule["create"]) => ({ rules: { op: { meta: { type: "suggestion", fixable: "code", schema: [] }, create: c } } }) as never;
  const files = ["**/*.json"];
  return {
    "jsonc-eslint-parser": [{ files, plugins: { t: rule(create) }, languageOptions: { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } }, rules: { "t/op": "error" } }],
    "jsonc/x": [{ files, plugins: { jsonc: eslintPluginJsonc as never, t: rule(create) }, language: "jsonc/x", rules: { "t/op": "error" } }],
    "json/jsonc (compat)": [
      { files, plugins: { json: json as never, t: rule(toCompatCreate(create) as Rule.RuleModule["create"]) }, language: "json/jsonc", languageOptions: { allowTrailingCommas: true }, rules: { "t/op": "error" } },
    ],
  };
}

/** Runs verifyAndFix under every front end and checks output and report location. */
function expectEverywhere(text: string, pick: Pick, op: Op, expected: string, loc?: { line: number; column: number }) {
  for (const [name, config] of Object.entries(configs(pick, op))) {
    const linter = new Linter({ configType: "flat" });
    const first = linter.verify(text, config, { filename: "t.json" });
    assert.deepEqual(first.map((m) => m.fatal ?? false), [false], `${name}: one report, no fatal error`);
    if (loc) assert.deepEqual({ line: first[0]!.line, column: first[0]!.column }, loc, `${name}: location`);
    const result = linter.verifyAndFix(text, config, { filename: "t.json" });
    assert.equal(result.output, expected, name);
    assert.equal(result.fixed, true, name);
    assert.deepEqual(result.messages, [], `${name}: nothing left to report`);
    data(expected.replace(/^\uFEFF/, ""));
  }
}

/** Picks root property `name`. */
const rootProp = (name: string): Pick => (root) => findProperty(root, name);

describe("fixers through real ESLint (parser, jsonc language, @eslint/json compat)", () => {
  it("moves a commented multi-line property into a new child (BOM, CRLF, 4 spaces)", () => {
    const text = "\uFEFF{\r\n    // about a\r\n    \"a\": [\r\n        1\r\n    ], // trailing a\r\n    \"b\": 2\r\n}\r\n";
    const expected = "\uFEFF{\r\n    \"props\": {\r\n        // about a\r\n        \"a\": [\r\n            1\r\n        ] // trailing a\r\n    },\r\n    \"b\": 2\r\n}\r\n";
    expectEverywhere(text, rootProp("a"), (sc, fixer, root) => moveProperty(sc, fixer, findProperty(root, "a")!, { parent: root, key: "props" }), expected, { line: 3, column: 5 });
  });
  it("removes the last property and the comma before it", () => {
    const text = `{\n  "a": 1, // one\n  "b": {\n    "c": 2\n  }\n}\n`;
    expectEverywhere(text, rootProp("b"), (sc, fixer, root) => removeProperty(sc, fixer, findProperty(root, "b")!), `{\n  "a": 1 // one\n}\n`, { line: 3, column: 3 });
  });
  it("removes a property with a JSONC trailing comma", () => {
    const text = `{\n  "a": 1,\n  "b": 2,\n}`;
    expectEverywhere(text, rootProp("a"), (sc, fixer, root) => removeProperty(sc, fixer, findProperty(root, "a")!), `{\n  "b": 2,\n}`);
  });
  it("inserts a formatted value into an empty nested object (tabs)", () => {
    const text = `{\n\t"p": {}\n}`;
    const pick: Pick = (root) => (findProperty(getObjectValue(root, "p"), "v") ? undefined : getObjectValue(root, "p"));
    const op: Op = (sc, fixer, root) => insertProperty(sc, fixer, getObjectValue(root, "p")!, "v", formatJson({ x: [1] }, formatContext(sc)));
    expectEverywhere(text, pick, op, `{\n\t"p": {\n\t\t"v": {\n\t\t\t"x": [\n\t\t\t\t1\n\t\t\t]\n\t\t}\n\t}\n}`, { line: 2, column: 7 });
  });
  it("wraps keys of a one-line object", () => {
    const text = `{"type": "x", "a": 1, "b": -2}`;
    const op: Op = (sc, fixer, root) => wrapProperties(sc, fixer, root, [findProperty(root, "a")!, findProperty(root, "b")!], "properties");
    expectEverywhere(text, rootProp("a"), op, `{"type": "x", "properties": {"a": 1, "b": -2}}`, { line: 1, column: 15 });
  });
});
