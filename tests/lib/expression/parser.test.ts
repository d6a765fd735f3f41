import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  callName,
  isExpressionString,
  parseExpression,
  parseTemplateString,
  tokenize,
  walkExpr,
  type Expr,
} from "../../../lib/expression/index.js";
import { stripOffsets } from "./helpers.js";

function expr(s: string): Expr {
  const p = parseTemplateString(s);
  assert.equal(p.kind, "expression", `${s}: ${JSON.stringify(p)}`);
  return (p as { expr: Expr }).expr;
}

function error(s: string): { message: string; offset: number } {
  const p = parseTemplateString(s);
  assert.equal(p.kind, "error", `${s} should not parse: ${JSON.stringify(p)}`);
  return p as { message: string; offset: number };
}

const str = (value: string) => ({ type: "String", value });
const num = (raw: string) => ({ type: "Number", value: Number(raw), raw });
const call = (name: string, args: unknown[], namespace: string | null = null) => ({ type: "Call", namespace, name, args });

describe("lexer", () => {
  it("produces tokens with offsets shifted by base", () => {
    const r = tokenize("f( 'a''b', -1.5 ).x[0]", 1);
    assert.ok("tokens" in r);
    assert.deepEqual(
      r.tokens.map((t) => [t.type, t.value, t.start, t.end]),
      [
        ["identifier", "f", 1, 2],
        ["(", "(", 2, 3],
        ["string", "a'b", 4, 10],
        [",", ",", 10, 11],
        ["number", "-1.5", 12, 16],
        [")", ")", 17, 18],
        [".", ".", 18, 19],
        ["identifier", "x", 19, 20],
        ["[", "[", 20, 21],
        ["number", "0", 21, 22],
        ["]", "]", 22, 23],
        ["eof", "", 23, 23],
      ],
    );
  });

  it("lexes '1.' as a number followed by a dot", () => {
    const r = tokenize("1.a");
    assert.ok("tokens" in r);
    assert.deepEqual(
      r.tokens.map((t) => t.type),
      ["number", ".", "identifier", "eof"],
    );
  });

  it("reports unterminated strings at the opening quote", () => {
    assert.deepEqual(tokenize("f('abc", 1), { error: "Unterminated string literal", offset: 3 });
  });

  it("reports a lone sign and stray characters, a blank one by its code", () => {
    assert.deepEqual(tokenize("-x"), { error: "Expected a digit after '-'", offset: 0 });
    assert.deepEqual(tokenize("a + b"), { error: "Expected a digit after '+'", offset: 2 });
    assert.deepEqual(tokenize("a \u2018b"), { error: "Unexpected character '\u2018'", offset: 2 });
    assert.deepEqual(tokenize("a\u200bb"), { error: "Unexpected character '\\u200b'", offset: 1 });
    assert.deepEqual(tokenize("a\u0308"), { error: "Unexpected character '\\u0308'", offset: 1 });
  });

  it("reads letters, digits and spaces of any script, and a sign before a number, as ARM does", () => {
    const kinds = (text: string) => {
      const r = tokenize(text);
      return "error" in r ? r : r.tokens.map((t) => `${t.type}:${t.value}`);
    };
    assert.deepEqual(kinds("größe\u3000ф1(+1,\u00a0-2)"), ["identifier:größe", "identifier:ф1", "(:(", "number:+1", ",:,", "number:-2", "):)", "eof:"]);
    // nor is a byte-order mark a space there (.NET's IsWhiteSpace says no)
    assert.deepEqual(kinds("a,\ufeffb"), { error: "Unexpected character '\\ufeff'", offset: 2 });
    // a digit of another script does not start a number (ARM takes it for one and rejects it)
    assert.deepEqual(kinds("\u0663"), { error: "Unexpected character '\u0663'", offset: 0 });
  });
});

describe("isExpressionString / literal classification", () => {
  it("classifies strings", () => {
    assert.equal(isExpressionString("[a()]"), true);
    assert.equal(isExpressionString("[[a()]"), false);
    assert.equal(isExpressionString("[a()"), false);
    assert.equal(isExpressionString(" [a()]"), false);
    assert.equal(isExpressionString("[a()] "), false);
    assert.equal(isExpressionString("[]"), true);
    assert.equal(isExpressionString("["), false);
    assert.equal(isExpressionString("]"), false);
    assert.equal(isExpressionString(""), false);
  });

  it("returns literals unchanged or unescaped", () => {
    assert.deepEqual(parseTemplateString("hello"), { kind: "literal", value: "hello" });
    assert.deepEqual(parseTemplateString("[[x]"), { kind: "literal", value: "[x]" });
    assert.deepEqual(parseTemplateString("[[concat('a')]"), { kind: "literal", value: "[concat('a')]" });
    assert.deepEqual(parseTemplateString("[[x"), { kind: "literal", value: "[[x" });
    assert.deepEqual(parseTemplateString("[test] value"), { kind: "literal", value: "[test] value" });
    assert.deepEqual(parseTemplateString("[[]"), { kind: "literal", value: "[]" });
    assert.deepEqual(parseTemplateString(""), { kind: "literal", value: "" });
  });
});

describe("parser", () => {
  it("parses string escapes", () => {
    assert.deepEqual(stripOffsets(expr("['it''s']")), str("it's"));
    assert.deepEqual(stripOffsets(expr("['''']")), str("'"));
    assert.deepEqual(stripOffsets(expr("['']")), str(""));
    assert.deepEqual(stripOffsets(expr("['a]b[c']")), str("a]b[c"));
  });

  it("parses numbers", () => {
    assert.deepEqual(stripOffsets(expr("[42]")), num("42"));
    assert.deepEqual(stripOffsets(expr("[-7]")), num("-7"));
    assert.deepEqual(stripOffsets(expr("[2.77]")), num("2.77"));
    assert.deepEqual(stripOffsets(expr("[-0.5]")), num("-0.5"));
  });

  it("parses calls with arguments and whitespace", () => {
    assert.deepEqual(
      stripOffsets(expr("[  concat ( 'a' ,parameters( 'b' ) , 1 )  ]")),
      call("concat", [str("a"), call("parameters", [str("b")]), num("1")]),
    );
    assert.deepEqual(stripOffsets(expr("[utcNow()]")), call("utcNow", []));
    assert.deepEqual(stripOffsets(expr("[\tf(\n)\r]")), call("f", []));
  });

  it("keeps the original spelling of function names", () => {
    const e = expr("[CONCAT('a')]");
    assert.equal(e.type === "Call" && e.name, "CONCAT");
    assert.equal(callName(e), "concat");
  });

  it("parses namespaced (user-defined) calls", () => {
    assert.deepEqual(stripOffsets(expr("[contoso.uniqueName('x')]")), call("uniqueName", [str("x")], "contoso"));
    const e = expr("[Contoso.Fn()]");
    assert.equal(callName(e), "contoso.fn");
  });

  it("parses member and index chains", () => {
    assert.deepEqual(stripOffsets(expr("[reference(x).outputs.y.value]")), {
      type: "Member",
      object: {
        type: "Member",
        object: { type: "Member", object: call("reference", [{ type: "Identifier", name: "x" }]), property: "outputs" },
        property: "y",
      },
      property: "value",
    });
    assert.deepEqual(stripOffsets(expr("[listKeys(resourceId('a','b'), '2019-01-01').keys[0].value]")), {
      type: "Member",
      object: {
        type: "Index",
        object: {
          type: "Member",
          object: call("listKeys", [call("resourceId", [str("a"), str("b")]), str("2019-01-01")]),
          property: "keys",
        },
        index: num("0"),
      },
      property: "value",
    });
    assert.deepEqual(stripOffsets(expr("[f()[g()]['k']]")), {
      type: "Index",
      object: { type: "Index", object: call("f", []), index: call("g", []) },
      index: str("k"),
    });
  });

  it("treats a.b without a call as member access on an identifier", () => {
    assert.deepEqual(stripOffsets(expr("[a.b]")), { type: "Member", object: { type: "Identifier", name: "a" }, property: "b" });
    assert.deepEqual(stripOffsets(expr("[a.b.c]")), {
      type: "Member",
      object: { type: "Member", object: { type: "Identifier", name: "a" }, property: "b" },
      property: "c",
    });
    assert.deepEqual(stripOffsets(expr("[x]")), { type: "Identifier", name: "x" });
  });

  it("records offsets into the full string", () => {
    const s = "[concat('a', parameters('b')).x]";
    const e = expr(s);
    assert.equal(e.type, "Member");
    assert.equal(e.start, 1);
    assert.equal(e.end, s.length - 1);
    if (e.type !== "Member" || e.object.type !== "Call") throw new Error("shape");
    const [a, p] = e.object.args;
    assert.equal(s.slice(a!.start, a!.end), "'a'");
    assert.equal(s.slice(p!.start, p!.end), "parameters('b')");
    assert.equal(s.slice(e.object.start, e.object.end), "concat('a', parameters('b'))");
  });

  it("returns the inner text", () => {
    const p = parseTemplateString("[ f() ]");
    assert.equal(p.kind === "expression" && p.text, " f() ");
  });

  it("parseExpression uses the given base (default 0)", () => {
    const r = parseExpression("f('a')");
    assert.ok("expr" in r);
    assert.equal(r.expr.start, 0);
    const bad = parseExpression("f(", 10);
    assert.ok("error" in bad);
    assert.equal(bad.offset, 12);
  });

  it("reports errors with offsets", () => {
    assert.deepEqual(error("[]"), { kind: "error", message: "Expected an expression but found end of expression", offset: 1 });
    assert.equal(error("[   ]").offset, 4);
    assert.equal(error("[concat('a'"  + "]").offset, 11);
    assert.match(error("[concat('a'"  + "]").message, /Expected ',' or '\)'/);
    assert.equal(error("[concat('a]").offset, 8); // unterminated string starts at the quote
    assert.equal(error("[f(1,)]").offset, 5);
    assert.equal(error("[f(,1)]").offset, 3);
    assert.equal(error("[f() g()]").offset, 5);
    assert.match(error("[f() g()]").message, /after the end of the expression/);
    assert.equal(error("[f())]").offset, 4);
    assert.equal(error("[f().]").offset, 5);
    assert.match(error("[f().]").message, /property name/);
    assert.equal(error("[f().1]").offset, 5);
    assert.match(error("[f()[0]").message, /Expected .\]./); // ends with "]" but the index is unclosed
    assert.equal(error("[f()[]]").offset, 5);
    assert.equal(error("[f(]").offset, 3);
    assert.equal(error("[)]").offset, 1);
    assert.equal(error("[a.b.c()]").offset, 6); // a call on a member is not valid
    assert.equal(error("[-]").offset, 1);
    assert.equal(error("[f(\"x\")]").offset, 3);
    assert.equal(error("[a,b]").offset, 2);
  });

  it("rejects nesting deeper than the limit without throwing", () => {
    const deep = `[${"f(".repeat(600)}${")".repeat(600)}]`;
    const e = error(deep);
    assert.match(e.message, /nested/);
    const ok = `[${"f(".repeat(400)}${")".repeat(400)}]`;
    assert.equal(parseTemplateString(ok).kind, "expression");
  });
});

describe("walkExpr / callName", () => {
  it("visits every node, parents first, in source order", () => {
    const names: string[] = [];
    walkExpr(expr("[a(b('x'), c(1)[d()].p)]"), (e) => {
      names.push(e.type === "Call" ? e.name : e.type);
    });
    assert.deepEqual(names, ["a", "b", "String", "Member", "Index", "c", "Number", "d"]);
  });

  it("callName returns null for non-calls", () => {
    assert.equal(callName(expr("['x']")), null);
    assert.equal(callName(expr("[a.b]")), null);
  });
});
