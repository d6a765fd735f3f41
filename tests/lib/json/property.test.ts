import assert from "node:assert/strict";
import { describe, it } from "node:test";
import json from "@eslint/json";
import { Linter, type Rule } from "eslint";
import { toCompatCreate } from "eslint-json-compat-utils";
import eslintPluginJsonc from "eslint-plugin-jsonc";
import fc from "fast-check";
import { parseForESLint, type AST } from "jsonc-eslint-parser";
import {
  applyEdits,
  createFixer,
  formatContext,
  formatJson,
  insertProperty,
  isObject,
  jsonPointer,
  keyLoc,
  moveProperty,
  removeProperties,
  rootExpression,
  wrapProperties,
  type TextEdit,
} from "../../../lib/json/index.js";
import { data, doc, type Doc } from "./helpers.js";

// Random JSONC documents in many layouts; every fix must parse, change the data only as intended,
// keep every comment it does not own, and never add blank lines.

type Value = number | string | Value[] | Obj;
interface Member {
  value: Value;
  lead: "none" | "line" | "block";
  trail: "none" | "line" | "block";
  blank: boolean;
}
interface Obj {
  members: Member[];
  oneLine: boolean;
  trailingComma: boolean;
}
interface Layout {
  unit: string;
  eol: string;
}

const member = (value: fc.Arbitrary<Value>): fc.Arbitrary<Member> =>
  fc.record({
    value,
    lead: fc.constantFrom("none", "none", "line", "block"),
    trail: fc.constantFrom("none", "none", "line", "block"),
    blank: fc.boolean(),
  }) as fc.Arbitrary<Member>;

const { value: valueArb } = fc.letrec<{ value: Value; obj: Obj }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.integer({ min: -5, max: 99 }),
    fc.constantFrom("s", "x/y", "~"),
    fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
    tie("obj") as fc.Arbitrary<Value>,
  ),
  obj: fc.record({
    members: fc.array(member(tie("value") as fc.Arbitrary<Value>), { maxLength: 4 }),
    oneLine: fc.boolean(),
    trailingComma: fc.boolean(),
  }),
}));

const rootArb = fc.record({
  members: fc.array(member(valueArb), { minLength: 1, maxLength: 5 }),
  oneLine: fc.constant(false),
  trailingComma: fc.boolean(),
});
const layoutArb = fc.record({ unit: fc.constantFrom("  ", "    ", "\t"), eol: fc.constantFrom("\n", "\r\n") });

/** Renders a value; comment texts are numbered so each one is unique. */
function render(v: Value, indent: string, layout: Layout, counter: { n: number }): string {
  if (typeof v === "number" || typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return JSON.stringify(v);
  if (v.members.length === 0) return "{}";
  return v.oneLine ? renderOneLine(v, indent, layout, counter) : renderMulti(v, indent, layout, counter);
}

/** Renders a one-line object (block comments only). */
function renderOneLine(o: Obj, indent: string, layout: Layout, counter: { n: number }): string {
  const parts = o.members.map((m, i) => {
    const lead = m.lead === "block" ? `/* c${counter.n++} */ ` : "";
    return `${lead}"k${i}": ${render(m.value, indent, { ...layout }, counter)}`;
  });
  return `{${parts.join(", ")}${o.trailingComma ? "," : ""}}`;
}

/** Renders a multi-line object with comments, blank lines and an optional trailing comma. */
function renderMulti(o: Obj, indent: string, layout: Layout, counter: { n: number }): string {
  const inner = indent + layout.unit;
  let out = "{";
  o.members.forEach((m, i) => {
    out += layout.eol + (m.blank ? layout.eol : "");
    if (m.lead === "line") out += `${inner}// c${counter.n++}${layout.eol}`;
    if (m.lead === "block") out += `${inner}/* c${counter.n++} */${layout.eol}`;
    out += `${inner}"k${i}": ${render(m.value, inner, layout, counter)}`;
    if (i < o.members.length - 1 || o.trailingComma) out += ",";
    if (m.trail === "line") out += ` // c${counter.n++}`;
    if (m.trail === "block") out += ` /* c${counter.n++} */`;
  });
  return out + layout.eol + indent + "}";
}

/** Comment texts of a JSONC document. */
function comments(text: string): string[] {
  return parseForESLint(text, { jsonSyntax: "JSONC" }).ast.comments.map((c) => c.value.trim()).sort();
}

/** Number of blank lines. */
const blankLines = (text: string) => text.split(/\r?\n/).filter((l) => l.trim() === "").length;

/** All objects of the document. */
function objects(d: Doc): AST.JSONObjectExpression[] {
  const out: AST.JSONObjectExpression[] = [];
  const stack: unknown[] = [d.root];
  while (stack.length) {
    const n = stack.pop();
    if (isObject(n)) {
      out.push(n);
      for (const p of n.properties) stack.push(p.value);
    }
  }
  return out;
}

/** The JS object at an RFC 6901 pointer. */
function at(root: unknown, pointer: string): Record<string, unknown> {
  let cur = root as Record<string, unknown>;
  for (const seg of pointer.split("/").slice(1)) cur = cur[seg.replace(/~1/g, "/").replace(/~0/g, "~")] as Record<string, unknown>;
  return cur;
}

/** Applies edits and checks parse + expected data + comments + blank lines. */
function check(d: Doc, edits: TextEdit[] | null, mutate: (before: unknown) => void, commentRule: "same" | "subset"): void {
  if (edits === null) return;
  const out = applyEdits(d.text, edits);
  const expected = data(d.text);
  mutate(expected);
  assert.deepEqual(data(out), expected, `data mismatch\n--- input\n${d.text}\n--- output\n${out}`);
  const before = comments(d.text);
  const after = comments(out);
  if (commentRule === "same") assert.deepEqual(after, before, `comments changed\n${d.text}\n---\n${out}`);
  else assert.ok(after.every((c) => before.includes(c)), "new comments appeared");
  assert.ok(blankLines(out) <= blankLines(d.text), `blank line added\n--- input\n${d.text}\n--- output\n${out}`);
  assert.ok(!/[ \t]+\r?$/m.test(out) || /[ \t]+\r?$/m.test(d.text), `trailing whitespace added\n${JSON.stringify(out)}`);
}

const docArb = fc.tuple(rootArb, layoutArb).map(([root, layout]) => doc(render(root, "", layout, { n: 0 })));
const RUNS = { numRuns: 300, seed: 20240611 };

describe("fixers on random JSONC layouts", () => {
  it("removeProperties", () => {
    fc.assert(
      fc.property(docArb, fc.nat(), fc.nat(), (d, pickObj, mask) => {
        const objs = objects(d).filter((o) => o.properties.length > 0);
        const obj = objs[pickObj % objs.length]!;
        const props = obj.properties.filter((_, i) => (mask >> i) & 1 || obj.properties.length === 1);
        if (props.length === 0) return;
        const ptr = jsonPointer(obj);
        const names = props.map((p) => (p.key as AST.JSONStringLiteral).value);
        check(d, removeProperties(d.sc, d.fixer, props), (v) => names.forEach((n) => delete at(v, ptr)[n]), "subset");
      }),
      RUNS,
    );
  });
  it("insertProperty", () => {
    fc.assert(
      fc.property(docArb, fc.nat(), fc.nat(), fc.constantFrom<unknown>(1, "v", { a: [1, { b: 2 }] }, {}, []), (d, pickObj, pickAfter, value) => {
        const objs = objects(d);
        const obj = objs[pickObj % objs.length]!;
        const after = obj.properties.length > 0 ? obj.properties[pickAfter % obj.properties.length] : undefined;
        const ptr = jsonPointer(obj);
        const edits = insertProperty(d.sc, d.fixer, obj, "new", formatJson(value, formatContext(d.sc)), { after });
        assert.ok(edits, "insertion into a plain object always works");
        check(d, edits, (v) => (at(v, ptr)["new"] = value), "same");
      }),
      RUNS,
    );
  });
  it("moveProperty", () => {
    fc.assert(
      fc.property(docArb, fc.nat(), fc.nat(), fc.boolean(), (d, pickProp, pickTarget, create) => {
        const props = objects(d).flatMap((o) => o.properties);
        const prop = props[pickProp % props.length]!;
        const targets = objects(d);
        const target = targets[pickTarget % targets.length]!;
        const name = (prop.key as AST.JSONStringLiteral).value;
        const from = jsonPointer(prop.parent);
        const to = jsonPointer(target);
        const edits = create
          ? moveProperty(d.sc, d.fixer, prop, { parent: target, key: "box" }, { rename: "moved" })
          : moveProperty(d.sc, d.fixer, prop, { obj: target });
        check(d, edits, (v) => {
          const value = at(v, from)[name];
          delete at(v, from)[name];
          if (create) at(v, to)["box"] = { moved: value };
          else at(v, to)[name] = value;
        }, "same");
      }),
      RUNS,
    );
  });
  it("wrapProperties", () => {
    fc.assert(
      fc.property(docArb, fc.nat(), fc.nat(), (d, pickObj, mask) => {
        const objs = objects(d).filter((o) => o.properties.length > 0);
        const obj = objs[pickObj % objs.length]!;
        const props = obj.properties.filter((_, i) => (mask >> i) & 1 || i === 0);
        const ptr = jsonPointer(obj);
        const names = props.map((p) => (p.key as AST.JSONStringLiteral).value);
        check(d, wrapProperties(d.sc, d.fixer, obj, props, "wrap"), (v) => {
          const o = at(v, ptr);
          const box: Record<string, unknown> = {};
          for (const n of names) {
            box[n] = o[n];
            delete o[n];
          }
          o["wrap"] = box;
        }, "same");
      }),
      RUNS,
    );
  });
});

/** Every edit the fixers produce for each property of a document, as comparable data. */
function allEdits(sc: Doc["sc"], root: AST.JSONObjectExpression): unknown[] {
  const d = { sc, fixer: createFixer(), root } as Doc;
  return objects(d).flatMap((o) =>
    o.properties.map((p) => [
      removeProperties(d.sc, d.fixer, [p]),
      insertProperty(d.sc, d.fixer, o, "new", "[\n  1\n]", { after: p }),
      moveProperty(d.sc, d.fixer, p, { parent: root, key: "box" }),
      wrapProperties(d.sc, d.fixer, o, [p], "wrap"),
      keyLoc(p),
    ]),
  );
}

describe("front ends agree", () => {
  it("the parser, jsonc/x and @eslint/json (compat) give identical edits and key locations", () => {
    let seen: unknown[] = [];
    const create: Rule.RuleModule["create"] = (context) => ({
      Program() {
        const sc = context.sourceCode as unknown as Doc["sc"];
        seen = JSON.parse(JSON.stringify(allEdits(sc, rootExpression(sc.ast) as AST.JSONObjectExpression)));
      },
    });
    const plugin = (c: Rule.RuleModule["create"]) => ({ rules: { all: { meta: { schema: [] }, create: c } } }) as never;
    const files = ["**/*.json"];
    const fronts: Record<string, Linter.Config[]> = {
      "jsonc/x": [{ files, plugins: { jsonc: eslintPluginJsonc as never, t: plugin(create) }, language: "jsonc/x", rules: { "t/all": "error" } }],
      "json/jsonc": [{ files, plugins: { json: json as never, t: plugin(toCompatCreate(create) as Rule.RuleModule["create"]) }, language: "json/jsonc", languageOptions: { allowTrailingCommas: true }, rules: { "t/all": "error" } }],
    };
    fc.assert(
      fc.property(docArb, (d) => {
        const expected = JSON.parse(JSON.stringify(allEdits(d.sc, d.root)));
        for (const [name, config] of Object.entries(fronts)) {
          seen = [];
          const messages = new Linter({ configType: "flat" }).verify(d.text, config, { filename: "t.json" });
          assert.deepEqual(messages, [], name);
          assert.deepEqual(seen, expected, `${name}\n${d.text}`);
        }
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
