import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  describeValue,
  evaluateNode,
  evaluateString,
  parseTemplateString,
  printExpr,
  printTemplateString,
  walkExpr,
  type Expr,
  type Value,
} from "../../../lib/expression/index.js";
import { jsonNode, stripOffsets, TestScope } from "./helpers.js";

const ident = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,7}$/);

const quoteHeavy = fc.string({ unit: fc.constantFrom("'", "''", "a", "[", "]", "(", ")", ",", ".", " ", "{", "}", "\\", '"') });
const stringValue = fc.oneof(fc.string(), fc.string({ unit: "binary" }), quoteHeavy);

const numberRaw = fc.oneof(
  fc.integer().map(String),
  fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.stringMatching(/^[0-9]{1,5}$/)).map(([a, b]) => `${a}.${b}`),
  fc.stringMatching(/^-?[0-9]{1,25}$/),
);

const at = { start: 0, end: 0 };

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr; leaf: Expr; call: Expr; member: Expr; index: Expr }>((tie) => ({
  leaf: fc.oneof(
    stringValue.map((value): Expr => ({ type: "String", value, ...at })),
    numberRaw.map((raw): Expr => ({ type: "Number", value: Number(raw), raw, ...at })),
    ident.map((name): Expr => ({ type: "Identifier", name, ...at })),
  ),
  call: fc
    .record({ namespace: fc.option(ident, { nil: null }), name: ident, args: fc.array(tie("expr"), { maxLength: 4 }) })
    .map(({ namespace, name, args }): Expr => ({ type: "Call", namespace, name, args, ...at })),
  member: fc.record({ object: tie("expr"), property: ident }).map(({ object, property }): Expr => ({ type: "Member", object, property, ...at })),
  index: fc.record({ object: tie("expr"), index: tie("expr") }).map(({ object, index }): Expr => ({ type: "Index", object, index, ...at })),
  expr: fc.oneof({ depthSize: "small", withCrossShrink: true }, tie("leaf"), tie("call"), tie("member"), tie("index")),
})).expr;

function checkOffsets(s: string, e: Expr): void {
  walkExpr(e, (n) => {
    assert.ok(n.start >= 1 && n.start <= n.end && n.end <= s.length - 1, `offsets ${n.start}-${n.end} in ${s}`);
  });
}

function assertValue(v: Value): void {
  assert.ok(v.kind === "known" || v.kind === "choice" || v.kind === "unknown");
  assert.ok(Array.isArray(v.prov.parameters) && Array.isArray(v.prov.literals));
  assert.ok(v.prov.literals.length <= 64);
  assert.equal(new Set(v.prov.parameters).size, v.prov.parameters.length);
  assert.equal(new Set(v.prov.functions).size, v.prov.functions.length);
  assert.equal(typeof describeValue(v), "string");
}

describe("properties", () => {
  it("print -> parse round-trips expression trees and printing is idempotent", () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        const printed = printTemplateString(e);
        const parsed = parseTemplateString(printed);
        assert.equal(parsed.kind, "expression", `${printed}: ${JSON.stringify(parsed)}`);
        if (parsed.kind !== "expression") return;
        assert.deepEqual(stripOffsets(parsed.expr), stripOffsets(e));
        assert.equal(printTemplateString(parsed.expr), printed);
        assert.equal(parsed.text, printExpr(e));
        checkOffsets(printed, parsed.expr);
      }),
      { numRuns: 2000, seed: 20240501 },
    );
  });

  const exprish = fc.string({ unit: fc.constantFrom("[", "]", "(", ")", "'", ",", ".", " ", "a", "b", "f", "0", "1", "-", "concat", "parameters", "variables", "if", "format", "{0}") });

  it("parseTemplateString and evaluateString never throw on arbitrary strings", () => {
    const scope = new TestScope(`{"parameters": {"a": {"type": "string", "defaultValue": "x"}}, "variables": {"b": "[parameters('a')]"}}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), exprish, exprish.map((s) => `[${s}]`)), (s) => {
        const parsed = parseTemplateString(s);
        if (parsed.kind === "expression") {
          checkOffsets(s, parsed.expr);
          // Any string that parses round-trips through the canonical printer.
          const printed = printTemplateString(parsed.expr);
          const again = parseTemplateString(printed);
          assert.equal(again.kind, "expression");
          if (again.kind === "expression") {
            assert.deepEqual(stripOffsets(again.expr), stripOffsets(parsed.expr));
            assert.equal(printTemplateString(again.expr), printed);
          }
        } else if (parsed.kind === "error") {
          assert.ok(parsed.offset >= 0 && parsed.offset <= s.length, `offset ${parsed.offset} for ${JSON.stringify(s)}`);
          assert.ok(parsed.message.length > 0);
        }
        assertValue(evaluateString(s, scope));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  // Random templates: variables whose values are printed expressions over a small vocabulary.
  const names = ["v0", "v1", "v2", "v3", "V4"];
  const fnNames = ["concat", "format", "if", "equals", "not", "toLower", "string", "createArray", "createObject", "coalesce", "length", "json", "uri", "replace", "reference", "contoso.f", "true", "false", "empty", "split", "union"];
  const small: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom("a", "b", "", "{0}", "https://x/y/", "null", "'", "true").map((value): Expr => ({ type: "String", value, ...at })),
      fc.integer({ min: -2, max: 3 }).map((value): Expr => ({ type: "Number", value, raw: String(value), ...at })),
      fc.constantFrom(...names, "p0", "p1", "p2", "missing").map((n): Expr => ({
        type: "Call",
        namespace: null,
        name: n.startsWith("p") ? "parameters" : "variables",
        args: [{ type: "String", value: n, ...at }],
        ...at,
      })),
      fc.record({ name: fc.constantFrom(...fnNames), args: fc.array(tie("e"), { maxLength: 3 }) }).map(({ name, args }): Expr => {
        const dot = name.indexOf(".");
        return dot < 0
          ? { type: "Call", namespace: null, name, args, ...at }
          : { type: "Call", namespace: name.slice(0, dot), name: name.slice(dot + 1), args, ...at };
      }),
      fc.record({ object: tie("e"), property: fc.constantFrom("a", "b", "value") }).map(({ object, property }): Expr => ({ type: "Member", object, property, ...at })),
      fc.record({ object: tie("e"), index: tie("e") }).map(({ object, index }): Expr => ({ type: "Index", object, index, ...at })),
    ),
  })).e;

  const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      small.map((e) => printTemplateString(e)),
      fc.oneof(fc.string(), exprish, fc.integer(), fc.boolean(), fc.constant(null)),
      fc.array(tie("v"), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom("a", "b", "copy", "value"), tie("v"), { maxKeys: 3 }),
    ),
  })).v;

  const templateArb = fc.record({
    variables: fc.dictionary(fc.constantFrom(...names), jsonValue, { maxKeys: 5 }),
    parameters: fc.dictionary(
      fc.constantFrom("p0", "p1", "p2"),
      fc.record(
        {
          type: fc.constantFrom("string", "securestring", "array", "int"),
          defaultValue: jsonValue,
          allowedValues: fc.array(jsonValue, { minLength: 1, maxLength: 3 }),
        },
        { requiredKeys: ["type"] },
      ),
      { maxKeys: 3 },
    ),
  });

  function summary(v: Value): unknown {
    if (v.kind === "unknown") return { kind: v.kind, code: v.reason.code };
    return v.kind === "known" ? { kind: v.kind, value: v.value } : { kind: v.kind, values: v.values };
  }

  it("evaluateNode never throws on random templates, and memoization does not change results", () => {
    fc.assert(
      fc.property(templateArb, fc.constantFrom(...names), (template, first) => {
        const text = JSON.stringify(template);
        const root = jsonNode(text);
        const warm = new TestScope(root);
        assertValue(evaluateString(`[variables('${first}')]`, warm));
        if (root.type === "JSONObjectExpression") {
          for (const prop of root.properties) assertValue(evaluateNode(prop.value, warm));
        }
        for (const name of names) {
          const cold = new TestScope(root);
          const a = evaluateString(`[variables('${name}')]`, cold);
          const b = evaluateString(`[variables('${name}')]`, warm);
          assertValue(a);
          assert.deepEqual(summary(b), summary(a), `${name} in ${text}`);
          assert.deepEqual(new Set(b.prov.parameters), new Set(a.prov.parameters), `${name} in ${text}`);
        }
      }),
      { numRuns: 400, seed: 42 },
    );
  });
});
