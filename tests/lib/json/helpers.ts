import assert from "node:assert/strict";
import { SourceCode } from "eslint";
import { getStaticJSONValue, parseForESLint, parseJSON, type AST } from "jsonc-eslint-parser";
import { rootExpression } from "../../../lib/json/access.js";
import { applyEdits, createFixer } from "../../../lib/json/fix.js";
import type { JsonFixer, JsonSourceCode, TextEdit } from "../../../lib/json/types.js";

/** A parsed JSONC document with a real ESLint SourceCode, as the Linter builds it (BOM stripped). */
export interface Doc {
  sc: JsonSourceCode;
  fixer: JsonFixer;
  root: AST.JSONObjectExpression;
  text: string;
  syntax: "JSONC" | "JSON5";
}

/** Parses `text` the way ESLint does (strips a BOM, then parses as JSONC). */
export function doc(text: string, jsonSyntax: "JSONC" | "JSON5" = "JSONC"): Doc {
  const stripped = text.replace(/^\uFEFF/, "");
  const { ast, visitorKeys } = parseForESLint(stripped, { jsonSyntax });
  const sc = new SourceCode({ text: stripped, ast: ast as never, visitorKeys }) as unknown as JsonSourceCode;
  const root = rootExpression(ast);
  assert.ok(root && root.type === "JSONObjectExpression", "test documents must be objects");
  return { sc, fixer: createFixer(), root, text: stripped, syntax: jsonSyntax };
}

/** Static data of a JSONC (or JSON5) text. */
export function data(text: string, jsonSyntax: "JSONC" | "JSON5" = "JSONC"): unknown {
  return getStaticJSONValue(parseJSON(text, { jsonSyntax }));
}

/** Applies `edits` to the doc, asserts the output text and that it parses as JSONC; returns the output. */
export function expectFix(d: Doc, edits: TextEdit[] | null, expected: string, expectedData?: unknown): string {
  assert.ok(edits, "expected a fix, got null");
  const out = applyEdits(d.text, edits);
  assert.equal(out, expected);
  const parsed = data(out, d.syntax);
  if (expectedData !== undefined) assert.deepEqual(parsed, expectedData);
  return out;
}

/** Property `name` of `obj` (exact match), failing the test when absent. */
export function prop(obj: AST.JSONObjectExpression, name: string): AST.JSONProperty {
  const found = obj.properties.find((p) => (p.key.type === "JSONLiteral" ? p.key.value : p.key.name) === name);
  assert.ok(found, `no property ${name}`);
  return found;
}

/** Object value of property `name` of `obj`. */
export function child(obj: AST.JSONObjectExpression, name: string): AST.JSONObjectExpression {
  const value = prop(obj, name).value;
  assert.equal(value.type, "JSONObjectExpression");
  return value as AST.JSONObjectExpression;
}
