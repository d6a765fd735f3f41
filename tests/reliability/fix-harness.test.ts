// The fix-safety harness catches what it promises to catch: fake rules with good and bad fixes.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Rule } from "eslint";
import { dataOf, diffData, FixHarness, isCovered, parseJsonc, type FailureKind } from "../helpers/fix-harness.js";

type Fixer = Rule.RuleFixer;
type Member = { key: { value?: unknown; name?: unknown }; value: { range: [number, number] }; range: [number, number] };

/** The members of the top-level object of the linted file. */
function members(context: Rule.RuleContext): Member[] {
  const program = context.sourceCode.ast as unknown as { body: { expression: { properties: Member[] } }[] };
  return program.body[0]?.expression.properties ?? [];
}

/** The top-level member named `name`. */
function member(context: Rule.RuleContext, name: string): Member | undefined {
  return members(context).find((m) => (m.key.value ?? m.key.name) === name);
}

/** A fix function carrying declared paths, as declareFix (lib/rule.ts) makes it. */
function declared(paths: string[], fix: (fixer: Fixer) => Rule.Fix | Rule.Fix[] | null): Rule.ReportFixer {
  return Object.assign(fix, { paths }) as Rule.ReportFixer;
}

/**
 * A fake rule that reports once on the member `key` (when present and its value is not written
 * `done`) with the given fix and suggestions.
 */
function fake(key: string, make: (context: Rule.RuleContext, m: Member) => Pick<Rule.ReportDescriptor, "fix" | "suggest">, done?: string): Rule.RuleModule {
  return {
    meta: { type: "problem", fixable: "code", hasSuggestions: true, messages: { found: "Found.", fixIt: "Fix it." }, schema: [] },
    create(context) {
      return {
        Program() {
          const m = member(context, key);
          if (m && context.sourceCode.getText(m.value as never) !== done) context.report({ loc: { line: 1, column: 0 }, messageId: "found", ...make(context, m) });
        },
      };
    },
  };
}

const RULES: Record<string, Rule.RuleModule> = {
  good: fake("a", (_, m) => ({ fix: declared(["/a"], (f) => f.replaceTextRange(m.value.range, "2")) }), "2"),
  stray: fake("b", (c, m) => ({
    fix: declared(["/b"], (f) => [f.replaceTextRange(m.value.range, "3"), f.replaceTextRange(member(c, "y")!.value.range, "2")]),
  }), "3"),
  undeclared: fake("u", (_, m) => ({ fix: (f) => f.replaceTextRange(m.value.range, "true") }), "true"),
  comment: fake("c", (c) => {
    const comment = c.sourceCode.getAllComments()[0];
    return comment ? { fix: declared(["/c"], (f) => f.removeRange(comment.range!)) } : {};
  }),
  breaks: fake("p", (_, m) => ({ fix: declared(["/p"], (f) => f.insertTextAfterRange(m.value.range, ",,")) })),
  endless: fake("e", (_, m) => ({ fix: declared(["/e"], (f) => f.insertTextBeforeRange(m.range, '"e": 0, ')) })),
  move: fake("m", (c, m) => {
    const target = member(c, "o")!;
    const text = c.sourceCode.getText(m as never);
    const next = c.sourceCode.getTokenAfter(m as never)!;
    return {
      fix: declared(["/m", "/o/m"], (f) => [f.removeRange([m.range[0], next.range![1]]), f.insertTextAfterRange([target.value.range[0], target.value.range[0] + 1], text)]),
      suggest: [{ messageId: "fixIt", fix: declared(["/m"], (f) => [f.removeRange([m.range[0], next.range![1]]), f.insertTextAfterRange([target.value.range[0], target.value.range[0] + 1], text)]) }],
    };
  }),
};
const ENTRIES = Object.fromEntries(Object.keys(RULES).map((name) => [`arm-dsc/${name}`, "error" as const]));

/** The failures the harness finds in `text`, as `kind ruleId messageId`. */
function failures(text: string): string[] {
  const harness = new FixHarness({ ruleModules: RULES, rules: ENTRIES, allowUndeclared: new Set() });
  return harness.check(text).failures.map((f) => `${f.kind} ${f.ruleId ?? "-"} ${f.messageId ?? "-"}`);
}

/** The failure kinds of one rule (and of the whole --fix run) on `text`. */
function kinds(text: string): FailureKind[] {
  return failures(text).map((f) => f.split(" ")[0] as FailureKind);
}

describe("fix harness", () => {
  test("a fix that changes only its declared path passes", () => {
    assert.deepEqual(failures('{ "a": 1, "z": [1, 2] }'), []);
  });

  test("a change outside the declared paths fails, for the fix and for the --fix run", () => {
    assert.deepEqual(failures('{ "b": 1, "y": 1 }'), ["paths arm-dsc/stray found", "paths - -"]);
  });

  test("a fix without declared paths fails and names the rule and messageId", () => {
    const harness = new FixHarness({ ruleModules: RULES, rules: ENTRIES, allowUndeclared: new Set() });
    const [failure] = harness.check('{ "u": false }').failures;
    assert.equal(failure?.kind, "undeclared");
    assert.match(failure!.message, /arm-dsc\/undeclared \(found\).*declares no paths/);
  });

  test("an allow-listed rule's undeclared fix is recorded, not failed", () => {
    const harness = new FixHarness({ ruleModules: RULES, rules: ENTRIES, allowUndeclared: new Set(["undeclared"]) });
    const result = harness.check('{ "u": false }');
    assert.deepEqual(result.failures, []);
    assert.equal(result.undeclared.length, 1);
  });

  test("a lost comment fails", () => {
    assert.deepEqual(kinds('{ "c": 1 /* keep me */ }'), ["comments", "comments"]);
  });

  test("output that does not parse fails", () => {
    assert.ok(kinds('{ "p": 1 }').includes("parse"));
  });

  test("a fix that never settles fails as not idempotent", () => {
    assert.deepEqual(kinds('{ "e": 1 }'), ["idempotent"]);
  });

  test("a move counts at the old and the new path; a suggestion declaring only one fails", () => {
    assert.deepEqual(failures('{ "m": 1, "o": {} }'), ["paths arm-dsc/move fixIt"]);
  });

  test("reports silenced by a disable comment are not fixes", () => {
    assert.deepEqual(failures('/* eslint-disable */ { "a": 1, "b": 1, "y": 1, "u": 1 }'), []);
  });
});

describe("structural diff", () => {
  const diff = (a: string, b: string) => diffData(dataOf(parseJsonc(a)), dataOf(parseJsonc(b)));

  test("changed, added and removed keys and elements, each at its own pointer", () => {
    assert.deepEqual(diff('{ "a": 1, "b": { "c": [1, 2] }, "d": 0 }', '{ "a": 2, "b": { "c": [1, 2, 3] }, "e": 0 }'), ["/a", "/b/c/2", "/d", "/e"]);
  });

  test("a type change is a change of the whole value; equal data is no change", () => {
    assert.deepEqual(diff('{ "v": 2.20 }', '{ "v": "2.20" }'), ["/v"]);
    assert.deepEqual(diff('{ "v": [1] }', '{ "v": { "0": 1 } }'), ["/v"]);
    assert.deepEqual(diff('{ "a": 1, /* c */ "b": [] }', '{"b":[],"a":1}'), []);
  });

  test("keys are escaped (RFC 6901) and __proto__ is an ordinary key", () => {
    assert.deepEqual(diff('{ "a/b": 1, "m~n": 1, "__proto__": 1 }', '{ "a/b": 2, "m~n": 2, "__proto__": 2 }'), ["/a~1b", "/m~0n", "/__proto__"]);
  });

  test("coverage: equal to or below a declared pointer", () => {
    assert.ok(isCovered("/a/b", ["/a"]));
    assert.ok(isCovered("/a", ["/a"]));
    assert.ok(!isCovered("/ab", ["/a"]));
    assert.ok(isCovered("/anything", [""]));
  });
});
