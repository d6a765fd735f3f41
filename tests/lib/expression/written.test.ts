import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluateExpr, parseExpression, writtenValues, type EvalScope, type Segment } from "../../../lib/expression/index.js";
import { parseForESLint } from "jsonc-eslint-parser";
import { TemplateScope } from "../../../lib/template/scope.js";
import { TestScope } from "./helpers.js";

const template = `{
  "parameters": {
    "cfg": { "type": "object", "defaultValue": { "settings": { "nodeName": "localhost" }, "empty": null, "list": ["a", "b"] } },
    "size": { "type": "object", "allowedValues": [{ "n": "small" }, { "n": "large" }] },
    "open": { "type": "object" },
    "flag": { "type": "bool" }
  },
  "variables": {
    "args": { "nodeName": "web01" },
    "alias": "[variables('args')]",
    "looped": { "copy": [{ "name": "disks", "count": 2, "input": "[copyIndex('disks')]" }] },
    "self": "[variables('self')]",
    "text": "abc"
  }
}`;

/** What the query finds for `text` read through `path`: each node's value, the lookups crossed, completeness and misses. */
function query(text: string, path: Segment[] = [], scope: EvalScope = new TestScope(template)) {
  const parsed = parseExpression(text);
  if (!("expr" in parsed)) throw new Error(parsed.error);
  const found = writtenValues(parsed.expr, scope, path, evaluateExpr);
  return {
    values: found.values.map((v) => JSON.stringify(nodeValue(v.node))),
    through: found.values.map((v) => v.crossed.map((hop) => `${hop.kind} ${hop.name}`).join(" > ")),
    complete: found.complete,
    misses: found.misses,
  };
}

/** A written node's JSON value (the test templates hold no expressions where values end). */
function nodeValue(node: { range: [number, number] }): unknown {
  return JSON.parse(template.slice(node.range[0], node.range[1]));
}

describe("writtenValues", () => {
  it("follows variables, parameter defaults and member paths to the written node", () => {
    assert.deepEqual(query("variables('args')", ["nodeName"]), { values: ['"web01"'], through: ["variable args"], complete: true, misses: [] });
    assert.deepEqual(query("parameters('cfg').settings", ["NODENAME"]).values, ['"localhost"']);
    assert.deepEqual(query("tryGet(parameters('cfg'), 'list', 1)").values, ['"b"']);
    assert.deepEqual(query("parameters('cfg')['settings']").values, ['{"nodeName":"localhost"}']);
    // an expression on the way is followed, and every lookup crossed is named
    assert.deepEqual(query("variables('alias')", ["nodeName"]), { values: ['"web01"'], through: ["variable alias > variable args"], complete: true, misses: [] });
  });

  it("takes the branches of if() that its condition allows", () => {
    assert.deepEqual(query("if(equals(1, 1), variables('args'), parameters('cfg'))").values, ['{"nodeName":"web01"}']);
    assert.deepEqual(query("if(parameters('flag'), variables('args'), parameters('cfg').settings)", ["nodeName"]).values, ['"web01"', '"localhost"']);
  });

  it("takes coalesce() arguments up to the first one that is surely not null", () => {
    assert.deepEqual(query("coalesce(tryGet(parameters('cfg'), 'missing'), null(), variables('args'), parameters('cfg'))").values, ['{"nodeName":"web01"}']);
    // a written null, and an argument that may be null, let the next one count too
    assert.deepEqual(query("coalesce(parameters('cfg').empty, variables('args'))").values, ["null", '{"nodeName":"web01"}']);
    // an argument that cannot be followed ends it: what follows is a fallback for a value not seen
    assert.deepEqual(query("coalesce(parameters('open'), variables('args'))"), { values: [], through: [], complete: false, misses: [] });
  });

  it("reads createObject() through a key", () => {
    assert.deepEqual(query("createObject('a', variables('args'), 'b', 1)", ["A", "nodeName"]).values, ['"web01"']);
    assert.deepEqual(query("createObject('a', 1)", ["b"]), { values: [], through: [], complete: true, misses: [1] });
    // read whole, it is not written anywhere
    assert.equal(query("createObject('a', 1)").complete, false);
  });

  it("reads an element of a variable a copy loop builds as its input", () => {
    const text = `{ "variables": { "copy": [{ "name": "exts", "count": 2, "input": { "name": "[concat('dsc', copyIndex('exts'))]", "v": "2.83" } }] } }`;
    const root = (parseForESLint(text).ast.body[0] as unknown as { expression: never }).expression;
    const scope = new TemplateScope(root);
    const read = (expr: string, path: Segment[]) => {
      const parsed = parseExpression(expr);
      if (!("expr" in parsed)) throw new Error(parsed.error);
      const found = writtenValues(parsed.expr, scope, path, evaluateExpr);
      return { values: found.values.map((v) => text.slice(v.node.range[0], v.node.range[1])), complete: found.complete, through: found.values.map((v) => v.crossed.map((h) => h.name)) };
    };
    assert.deepEqual(read("variables('exts')", [1, "v"]), { values: ['"2.83"'], complete: true, through: [["exts"]] });
    // the whole list is its elements, all written as the one input
    assert.equal(read("variables('exts')", []).complete, false);
    assert.equal(read("variables('exts')", []).values.length, 1);
    assert.equal(read("variables('exts')", ["v"]).complete, false);
  });

  it("takes each allowed value of a parameter that has them", () => {
    assert.deepEqual(query("parameters('size').n").values, ['"small"', '"large"']);
  });

  it("records members the written value lacks, and how much of the path was left", () => {
    assert.deepEqual(query("variables('args')", ["settings", "nodeName"]), { values: [], through: [], complete: true, misses: [2] });
    assert.deepEqual(query("parameters('cfg').empty", ["x"]).misses, [1]);
    assert.deepEqual(query("parameters('cfg').list", [5]).misses, [1]);
    // a member read inside a followed expression counts beyond the path's length
    assert.deepEqual(query("tryGet(parameters('cfg'), 'missing')", ["x"]).misses, [2]);
  });

  it("marks opaque ways as incomplete", () => {
    for (const text of [
      "union(variables('args'), parameters('cfg'))",
      "parameters('open')",
      "variables(concat('a', 'rgs'))",
      "variables('nothing')",
      "variables('args')[parameters('open').key]",
      "variables('text').length",
      "variables('looped')",
    ]) {
      const path = text === "variables('looped')" ? ["other"] : [];
      assert.equal(query(text, path).complete, false, text);
    }
  });

  it("ends a cycle within its budget, and shares a budget it is given", () => {
    assert.deepEqual(query("variables('self')", ["x"]), { values: [], through: [], complete: false, misses: [] });
    const budget = { steps: 3 };
    const parsed = parseExpression("variables('alias').nodeName");
    assert.ok("expr" in parsed);
    const first = writtenValues(parsed.expr, new TestScope(template), [], evaluateExpr, budget);
    assert.deepEqual([first.values.length, first.exhausted, budget.steps], [1, false, 0]);
    const second = writtenValues(parsed.expr, new TestScope(template), [], evaluateExpr, budget);
    assert.deepEqual([second.values.length, second.complete, second.exhausted], [0, false, true]);
  });
});

describe("writtenValues reads", () => {
  it("names every variable and parameter the answer depends on", () => {
    const scope = new TestScope(`{
      "parameters": { "flag": { "type": "bool", "defaultValue": true }, "override": { "type": "object", "defaultValue": {} } },
      "variables": { "a": { "x": 1 }, "b": { "x": 2 }, "chosen": "[if(parameters('flag'), variables('a'), variables('b'))]" }
    }`);
    const parsed = parseExpression("coalesce(tryGet(parameters('override'), 'x'), variables('chosen').x)");
    assert.ok("expr" in parsed);
    const found = writtenValues(parsed.expr, scope, [], evaluateExpr);
    assert.equal(found.values.length, 1);
    // the passed-over override and the condition's parameter decide the answer as much as the variables read
    assert.deepEqual(
      found.reads.map((hop) => `${hop.kind} ${hop.name}`),
      ["parameter override", "variable chosen", "parameter flag", "variable a"],
    );
  });
});

describe("work on chains of if() and contains()", () => {
  it("stays bounded however deep the chain: nested queries share a budget and memoise", () => {
    // Each condition reads the next variable's member, and both branches do too: unshared, the
    // queries the conditions start would multiply (2^depth).
    for (const depth of [20, 80]) {
      const variables: Record<string, unknown> = {};
      for (let i = 0; i < depth; i++) {
        variables[`c${i}`] = { flag: `[if(variables('c${i + 1}').flag, true(), variables('c${i + 1}').flag)]` };
        variables[`v${i}`] = `[if(contains(variables('v${i + 1}'), 'k'), variables('v${i + 1}'), variables('v${i + 1}'))]`;
      }
      variables[`c${depth}`] = { flag: "[parameters('p')]" };
      variables[`v${depth}`] = { ver: "2.83", k: "[reference('x').y]" };
      const text = JSON.stringify({ parameters: { p: { type: "bool" } }, variables });
      for (const expression of ["variables('c0').flag", "variables('v0').ver"]) {
        const scope = new TestScope(text);
        const parsed = parseExpression(expression);
        assert.ok("expr" in parsed);
        evaluateExpr(parsed.expr, scope);
        assert.ok(scope.lookups < 200_000, `${expression} at depth ${depth}: ${scope.lookups} lookups`);
      }
    }
  });
});
