import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseTemplateString, printExpr, printTemplateString, type Expr } from "../../../lib/expression/index.js";

function canon(s: string): string {
  const p = parseTemplateString(s);
  assert.equal(p.kind, "expression");
  return printTemplateString((p as { expr: Expr }).expr);
}

describe("printer", () => {
  it("prints canonically", () => {
    assert.equal(canon("[concat( 'a',1 ,x.y )]"), "[concat('a', 1, x.y)]");
    assert.equal(canon("[ f ( ) ]"), "[f()]");
    assert.equal(canon("['it''s']"), "['it''s']");
    assert.equal(canon("[ns.Fn(  -1.50 )]"), "[ns.Fn(-1.50)]");
    assert.equal(canon("[listKeys(resourceId('a','b'),'2019-01-01').keys[ 0 ].value]"), "[listKeys(resourceId('a', 'b'), '2019-01-01').keys[0].value]");
    assert.equal(canon("[f()[g()]['k']]"), "[f()[g()]['k']]");
  });

  it("keeps the original spelling of names", () => {
    assert.equal(canon("[CONCAT(Parameters('X'))]"), "[CONCAT(Parameters('X'))]");
  });

  it("escapes quotes in strings", () => {
    const e: Expr = { type: "String", value: "a'b''c", start: 0, end: 0 };
    assert.equal(printExpr(e), "'a''b''''c'");
  });

  it("prints numbers whose raw text is not a literal from the value", () => {
    const n = (value: number, raw: string): Expr => ({ type: "Number", value, raw, start: 0, end: 0 });
    assert.equal(printExpr(n(5, "")), "5");
    assert.equal(printExpr(n(1e21, "1e21")), "1000000000000000000000");
    assert.equal(printExpr(n(1e-7, "1e-7")), "0.0000001");
    assert.equal(printExpr(n(-2.5, "x")), "-2.5");
    assert.equal(printExpr(n(3, "3")), "3");
  });

  it("prints deep trees without recursion", () => {
    let e: Expr = { type: "String", value: "x", start: 0, end: 0 };
    for (let i = 0; i < 50_000; i++) e = { type: "Member", object: e, property: "p", start: 0, end: 0 };
    const text = printExpr(e);
    assert.equal(text.length, 3 + 2 * 50_000);
    let c: Expr = { type: "Number", value: 1, raw: "1", start: 0, end: 0 };
    for (let i = 0; i < 50_000; i++) c = { type: "Call", namespace: null, name: "f", args: [c], start: 0, end: 0 };
    assert.ok(printExpr(c).startsWith("f(f(f("));
  });
});
