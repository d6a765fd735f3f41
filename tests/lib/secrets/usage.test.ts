import { test } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "jsonc-eslint-parser";
import { ANY, declarationOf, parameterUses, readersOf, readersOfWritten, variableUses } from "../../../lib/secrets/index.js";
import { getPath, rootExpression, stringLeaves } from "../../../lib/json/index.js";

/** The variable reads of a document, scanned from its tokens. */
function usesOf(text: string, jsonSyntax?: "JSONC" | "JSON5") {
  return bothUses(text, jsonSyntax).variables;
}

/** The variable and the parameter reads of a document. */
function bothUses(text: string, jsonSyntax?: "JSONC" | "JSON5") {
  const { ast } = parseForESLint(text, jsonSyntax ? { jsonSyntax } : {});
  return { variables: variableUses(ast.tokens, text), parameters: parameterUses(ast.tokens, text) };
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

test("tryGet() reads a member path; parameter reads are counted as variable reads are", () => {
  const text = `{
    "a": "[tryGet(variables('cfg'), 'settings', 'url')]",
    "b": "[coalesce(tryGet(parameters('ext'), 'settings'), createObject())]",
    "c": "[tryGet(parameters('ext'), 'typeHandlerVersion')]",
    "d": "[tryGet(variables('cfg'), parameters('key'))]"
  }`;
  const { variables, parameters } = bothUses(text);
  assert.deepEqual(variables.paths.get("cfg"), [["settings", "url"], [ANY]]);
  assert.equal(readersOf(variables, "cfg", ["settings", "url"]), 2, "the computed key may be any member");
  assert.equal(readersOf(parameters, "ext", ["settings", "configurationArguments"]), 1);
  assert.equal(readersOf(parameters, "ext", []), 2);
  assert.equal(readersOf(parameters, "key", []), 1);
});

test("empty(), length() and contains() test a value's presence: its members' values are not read", () => {
  const text = `{
    "a": "[if(empty(variables('dsc')), null(), variables('dsc'))]",
    "b": "[if(contains(parameters('cfg'), 'upgrade'), parameters('cfg').upgrade, false())]",
    "c": "[length(variables('dsc').nodeName)]"
  }`;
  const { variables, parameters } = bothUses(text);
  assert.equal(readersOf(variables, "dsc", ["settings", "nodeName"]), 1, "the else branch only");
  assert.equal(readersOf(variables, "dsc", ["nodeName"]), 2, "the length of the member itself changes with it");
  assert.equal(readersOf(variables, "dsc", []), 3, "an edit of the whole value reaches every read");
  assert.equal(readersOf(parameters, "cfg", ["upgrade"]), 1);
});

test("a written value is traced to the variable, parameter default or passed parameter that holds it", () => {
  const text = `{
    "$schema": "s",
    "parameters": { "node": { "type": "string", "defaultValue": "web01" }, "list": { "type": "array", "defaultValue": [{ "n": "x" }] } },
    "variables": { "cfg": { "args": [{ "Name": "nodeName", "Value": "web02" }] } },
    "resources": [
      { "type": "Microsoft.Resources/deployments", "properties": {
        "parameters": { "ext": { "value": { "settings": { "nodeName": "web03" } } } },
        "template": { "resources": [], "outputs": { "o": { "value": "[concat(parameters('ext').settings.nodeName, parameters('node'), variables('cfg').args[0].Value)]" } } } },
        "name": "web04" }
    ]
  }`;
  const { ast } = parseForESLint(text, {});
  const root = rootExpression(ast)!;
  const leaf = (value: string) => stringLeaves(root).find((n) => n.value === value)!;
  assert.deepEqual(declarationOf(leaf("web01")), { fn: "parameters", name: "node", path: [] });
  assert.deepEqual(declarationOf(leaf("x")), { fn: "parameters", name: "list", path: ["0", "n"] });
  assert.deepEqual(declarationOf(leaf("web02")), { fn: "variables", name: "cfg", path: ["args", "0", "Value"] });
  assert.deepEqual(declarationOf(leaf("web03")), { fn: "parameters", name: "ext", path: ["settings", "nodeName"] });
  assert.equal(declarationOf(leaf("web04")), null);
  assert.equal(declarationOf(getPath(root, ["parameters", "node", "type"])!), null);
  assert.equal(readersOfWritten(ast.tokens, text, leaf("web01")), 1);
  assert.equal(readersOfWritten(ast.tokens, text, leaf("x")), 0);
  assert.equal(readersOfWritten(ast.tokens, text, leaf("web04")), Infinity);
});
