import { test } from "node:test";
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { parseForESLint } from "jsonc-eslint-parser";
import { getValue } from "../../../lib/json/access.js";
import { parseCached, parseStringNode, type StringNode } from "../../../lib/expression/index.js";
import { getTemplateModel } from "../../../lib/template/model.js";
import { SCHEMA } from "../../helpers/at.js";

/** A template whose `variables.v` is the given string. */
function templateWith(value: string): string {
  return JSON.stringify({ $schema: SCHEMA, variables: { v: value }, resources: [] });
}

/** The string node `variables.v` of a parsed template, after its model (and parse cache) is built. */
function variableNode(text: string): { ast: object; node: StringNode } {
  const { ast } = parseForESLint(text, { jsonSyntax: "JSONC" });
  const model = getTemplateModel(ast, text);
  const node = getValue(getValue(model.root, "variables"), "v");
  assert.ok(node?.type === "JSONLiteral");
  return { ast, node };
}

test("a file's expressions are parsed once, by their text", () => {
  const { node } = variableNode(templateWith("[concat('a', 'b')]"));
  const first = parseStringNode(node);
  assert.equal(parseStringNode(node), first, "the same node");
  assert.equal(parseCached("[concat('a', 'b')]"), first, "the same text elsewhere in the file");
  assert.notEqual(parseCached("[concat('a', 'c')]"), first);
});

test("each file has its own cache; outside a file nothing is kept", () => {
  const a = variableNode(templateWith("[parameters('p')]"));
  const parsedInA = parseStringNode(a.node);
  const b = variableNode(templateWith("[parameters('p')]"));
  assert.notEqual(parseStringNode(b.node), parsedInA, "the second file parses its own copy");
  assert.deepEqual(parseStringNode(b.node), parsedInA, "to the same result");
});

/** Lints-like use of one file: its model, a cached parse; returns a weak reference to its AST. */
function useAndForgetFile(): WeakRef<object> {
  const { ast, node } = variableNode(templateWith("[variables('x')]"));
  parseStringNode(node);
  return new WeakRef(ast);
}

test("the cache does not keep a linted file's AST alive", async () => {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  const ref = useAndForgetFile();
  // A WeakRef's target stays alive until the current job ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(ref.deref(), undefined, "the AST was collected");
});
