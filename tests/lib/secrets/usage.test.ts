import { test } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "jsonc-eslint-parser";
import { readersOf, variableUses } from "../../../lib/secrets/index.js";

/** The variable reads of a document, scanned from its tokens. */
function usesOf(text: string, jsonSyntax?: "JSONC" | "JSON5") {
  const { ast } = parseForESLint(text, jsonSyntax ? { jsonSyntax } : {});
  return variableUses(ast.tokens, text);
}

test("every read is counted with its member path, names ignore case", () => {
  const uses = usesOf(`{
    "a": "[variables('Url')]",
    "b": "[concat(VARIABLES('url'), variables('bag').member[0], variables('bag')[parameters('i')])]",
    "c": "variables('url') is plain text",
    "d": "[[variables('url')]"
  }`);
  assert.equal(uses.dynamic, false);
  assert.deepEqual(uses.paths.get("url"), [[], []]);
  assert.equal(readersOf(uses, "URL", []), 2);
  assert.equal(readersOf(uses, "bag", ["member", "0"]), 2, "the computed index may be any member");
  assert.equal(readersOf(uses, "bag", ["other"]), 1);
  assert.equal(readersOf(uses, "unread", []), 0);
});

test("reads written with JSON escapes are decoded, and an escaped leading bracket is seen", () => {
  const uses = usesOf(`{ "a": "[\\u0076ariables('x')]", "b": "\\u005bvariables('x')]", "c": "[variables(\\u0027x\\u0027)]" }`);
  assert.equal(readersOf(uses, "x", []), 3);
});

test("a computed variable name, a template literal or a single-quoted expression make every variable shared", () => {
  assert.equal(usesOf(`{ "a": "[variables(concat('u', 'rl'))]" }`).dynamic, true);
  assert.equal(usesOf("{ a: `[variables('x')]` }").dynamic, true);
  assert.equal(usesOf(`{ a: '[variables(\\'x\\')]' }`, "JSON5").dynamic, true);
  assert.equal(readersOf(usesOf(`{ "a": "[variables(concat('u', 'rl'))]" }`), "x", []), Infinity);
  assert.equal(variableUses(null, "").dynamic, true, "no token list: nothing is known");
});

test("the scan is cached per token list", () => {
  const text = `{ "a": "[variables('x')]" }`;
  const { ast } = parseForESLint(text, { jsonSyntax: "JSONC" });
  assert.equal(variableUses(ast.tokens, text), variableUses(ast.tokens, text));
});

test("reads in comments are not reads; strings that cannot spell `variables` are not looked at", () => {
  const text = `{
    // "[variables('x')]" in a comment
    "a": "[VARIABLES('x')]", /* "[variables('y')]" */ "b": "[concat(variables('x'), variables('z'))]",
    "c": "[concat('no', 'read')]", "d": "\\\\[variables('x')]"
  }`;
  const uses = usesOf(text, "JSONC");
  assert.equal(uses.dynamic, false);
  assert.deepEqual([...uses.paths.keys()], ["x", "z"]);
  assert.equal(readersOf(uses, "x", []), 2, "a string starting with an escaped backslash is plain text");
  // A single-quoted string is read only when it may spell a read; one that cannot leaves the scan exact.
  assert.equal(usesOf(`{ a: '[concat(1, 2)]', b: "[variables('x')]" }`, "JSON5").dynamic, false);
});
