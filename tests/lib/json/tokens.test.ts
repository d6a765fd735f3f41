import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseForESLint } from "jsonc-eslint-parser";
import { nextBackslash, tokensHolding, type TextSearch } from "../../../lib/json/tokens.js";
import type { JsonToken } from "../../../lib/json/types.js";

/** The file's tokens (comments excluded, as the template model keeps them). */
function tokensOf(text: string): JsonToken[] {
  return parseForESLint(text, { jsonSyntax: "JSONC" }).ast.tokens as unknown as JsonToken[];
}

/** A TextSearch for `needle`, counting its calls in `calls`. */
function search(needle: string, calls: number[] = []): TextSearch {
  return (text, from) => {
    calls.push(from);
    return text.indexOf(needle, from);
  };
}

const values = (tokens: JsonToken[]) => tokens.map((t) => t.value);

describe("tokensHolding", () => {
  const text = `{ // x in a comment
  "ax": "xx x", /* x */ "b": [1, "x\\\\y"], "c": "none"
}`;
  const tokens = tokensOf(text);

  it("gives each token that holds a match once, in source order, and passes over comments", () => {
    assert.deepEqual(values(tokensHolding(tokens, text, [search("x")])), [`"ax"`, `"xx x"`, `"x\\\\y"`]);
  });

  it("merges several searches in source order", () => {
    assert.deepEqual(values(tokensHolding(tokens, text, [nextBackslash, search("b")])), [`"b"`, `"x\\\\y"`]);
    assert.deepEqual(values(tokensHolding(tokens, text, [search("none"), search("ax")])), [`"ax"`, `"none"`]);
  });

  it("searches each needle again only past the tokens already taken", () => {
    const calls: number[] = [];
    tokensHolding(tokens, text, [search("x", calls)]);
    // From the start; from the next token after each match in a comment; past each token taken.
    const after = (snippet: string) => text.indexOf(snippet);
    assert.deepEqual(calls, [0, after(`"ax"`), after(`: "xx`), after(`, /*`), after(`"b"`), after(`], "c"`)]);
  });

  it("finds nothing without matches, tokens or searches", () => {
    assert.deepEqual(tokensHolding(tokens, text, [search("zzz")]), []);
    assert.deepEqual(tokensHolding([], text, [search("x")]), []);
    assert.deepEqual(tokensHolding(tokens, text, []), []);
    assert.deepEqual(tokensHolding(tokensOf(`"x" // x`), `"x" // x`, [search("x")]).length, 1);
  });
});
