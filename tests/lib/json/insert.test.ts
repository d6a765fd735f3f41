import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  applyEdits,
  createFixer,
  detectEol,
  detectIndentUnit,
  formatContext,
  formatJson,
  indentText,
  insertProperty,
  mergeEdits,
  renameKey,
  replaceNode,
  setProperty,
} from "../../../lib/json/index.js";
import { child, doc, expectFix, prop } from "./helpers.js";

/** Converts `\n` to `\r\n`. */
const crlf = (s: string) => s.replace(/\n/g, "\r\n");

/** Inserts `"key": valueText` at the end of the root object of `text`. */
function insertRoot(text: string, key: string, valueText: string) {
  const d = doc(text);
  return { d, edits: insertProperty(d.sc, d.fixer, d.root, key, valueText) };
}

describe("formatJson / indentText", () => {
  const ctx = { indent: "", unit: "  ", eol: "\n" };
  it("prints nested values with the unit", () => {
    assert.equal(formatJson({ a: [1, { b: null }], c: {} , d: []}, ctx), `{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ],\n  "c": {},\n  "d": []\n}`);
  });
  it("starts at a base indentation with tabs and CRLF", () => {
    assert.equal(formatJson({ a: 1 }, { indent: "\t", unit: "\t", eol: "\r\n" }), `{\r\n\t\t"a": 1\r\n\t}`);
  });
  it("prints scalars and empty containers", () => {
    assert.equal(formatJson("x\ny", ctx), `"x\\ny"`);
    assert.equal(formatJson({}, ctx), "{}");
    assert.equal(formatJson([], ctx), "[]");
  });
  it("throws for values JSON cannot represent", () => {
    assert.throws(() => formatJson(undefined, ctx), TypeError);
  });
  it("re-indents lines 2..n, keeping blank lines empty", () => {
    assert.equal(indentText("{\r\n  \"a\": 1,\n\n}", "    ", "\n"), `{\n      "a": 1,\n\n    }`);
  });
});

describe("layout detection", () => {
  it("detects the line ending", () => {
    assert.equal(detectEol("{\r\n}"), "\r\n");
    assert.equal(detectEol("{\n}"), "\n");
    assert.equal(detectEol("{}"), "\n");
  });
  it("detects the indentation unit from the file", () => {
    assert.equal(detectIndentUnit(doc(`{\n    "a": 1\n}`).sc), "    ");
    assert.equal(detectIndentUnit(doc(`{\n\t"a": 1\n}`).sc), "\t");
    assert.equal(detectIndentUnit(doc(`{"a": 1}`).sc), "  ");
    assert.equal(detectIndentUnit(doc(`{"a": {\n   "b": 1\n}}`).sc), "   ");
  });
  it("prefers the object's own indentation step", () => {
    const d = doc(`{\n  "a": {\n      "b": 1\n  }\n}`);
    assert.equal(detectIndentUnit(d.sc, child(d.root, "a")), "    ");
    assert.deepEqual(formatContext(d.sc), { indent: "", unit: "  ", eol: "\n" });
  });
});

describe("insertProperty: multi-line objects", () => {
  it("appends after the last property with the siblings' indentation", () => {
    const { d, edits } = insertRoot(`{\n  "a": 1\n}`, "b", `{\n  "x": [\n    1\n  ]\n}`);
    expectFix(d, edits, `{\n  "a": 1,\n  "b": {\n    "x": [\n      1\n    ]\n  }\n}`, { a: 1, b: { x: [1] } });
  });
  it("puts the comma before the last property's trailing comment", () => {
    const { d, edits } = insertRoot(`{\n  "a": 1 // one\n}`, "b", "2");
    expectFix(d, edits, `{\n  "a": 1, // one\n  "b": 2\n}`);
  });
  it("keeps a JSONC trailing comma last", () => {
    const { d, edits } = insertRoot(`{\n  "a": 1, // one\n}`, "b", "2");
    expectFix(d, edits, `{\n  "a": 1, // one\n  "b": 2,\n}`);
  });
  it("inserts after a given property, before the next one's own comments", () => {
    const d = doc(`{\n  "a": 1,\n  // about c\n  "c": 3\n}`);
    expectFix(d, insertProperty(d.sc, d.fixer, d.root, "b", "2", { after: prop(d.root, "a") }), `{\n  "a": 1,\n  "b": 2,\n  // about c\n  "c": 3\n}`);
  });
  it("inserts into a nested object in a 4-space file", () => {
    const d = doc(`{\n    "p": {\n        "x": 1\n    }\n}`);
    const obj = child(d.root, "p");
    expectFix(d, insertProperty(d.sc, d.fixer, obj, "y", formatJson([1, 2], formatContext(d.sc))), `{\n    "p": {\n        "x": 1,\n        "y": [\n            1,\n            2\n        ]\n    }\n}`);
  });
  it("uses tabs and CRLF from the file", () => {
    const d = doc(crlf(`{\n\t"a": 1,\n\t"p": {\n\t\t"x": true\n\t}\n}\n`));
    const value = formatJson({ k: [1, {}] }, formatContext(d.sc));
    expectFix(
      d,
      insertProperty(d.sc, d.fixer, child(d.root, "p"), "y", value),
      crlf(`{\n\t"a": 1,\n\t"p": {\n\t\t"x": true,\n\t\t"y": {\n\t\t\t"k": [\n\t\t\t\t1,\n\t\t\t\t{}\n\t\t\t]\n\t\t}\n\t}\n}\n`),
    );
  });
  it("copies the key/value separator of the object", () => {
    const { d, edits } = insertRoot(`{\n  "a":1\n}`, "b", "2");
    expectFix(d, edits, `{\n  "a":1,\n  "b":2\n}`);
  });
  it("moves following same-line content to its own line when inserting in the middle", () => {
    const d = doc(`{\n  "a": 1, "b": 2\n}`);
    expectFix(d, insertProperty(d.sc, d.fixer, d.root, "k", "0", { after: prop(d.root, "a") }), `{\n  "a": 1,\n  "k": 0,\n  "b": 2\n}`);
  });
  it("keeps the closing brace at the object's indentation after a same-line trailing comma", () => {
    const { d, edits } = insertRoot(`{\n  "a": 1, }`, "b", "2");
    expectFix(d, edits, `{\n  "a": 1,\n  "b": 2,\n}`);
  });
  it("works behind a BOM and a leading comment", () => {
    const { d, edits } = insertRoot(`\uFEFF// c\n{\n  "a": 1\n}`, "b", "true");
    expectFix(d, edits, `// c\n{\n  "a": 1,\n  "b": true\n}`);
  });
});

describe("insertProperty: empty objects", () => {
  it("expands the root {} into a multi-line object", () => {
    const { d, edits } = insertRoot(`{}`, "a", `{\n  "x": 1\n}`);
    expectFix(d, edits, `{\n  "a": {\n    "x": 1\n  }\n}`);
  });
  it("indents from the line of a nested {}", () => {
    const d = doc(`{\n    "p": {\n    }\n}`);
    expectFix(d, insertProperty(d.sc, d.fixer, child(d.root, "p"), "a", "1"), `{\n    "p": {\n        "a": 1\n    }\n}`);
  });
  it("stays on one line when the surrounding object is one line", () => {
    const d = doc(`{ "p": {}, "q": 1 }`);
    expectFix(d, insertProperty(d.sc, d.fixer, child(d.root, "p"), "a", "1"), `{ "p": { "a": 1 }, "q": 1 }`);
  });
  it("keeps comments inside the empty object", () => {
    const d = doc(`{\n  "p": {\n    // nothing yet\n  }\n}`);
    expectFix(d, insertProperty(d.sc, d.fixer, child(d.root, "p"), "a", "1"), `{\n  "p": {\n    // nothing yet\n    "a": 1\n  }\n}`);
  });
  it("keeps a same-line block comment inside the empty object", () => {
    const d = doc(`{\n  "p": { /* todo */ }\n}`);
    expectFix(d, insertProperty(d.sc, d.fixer, child(d.root, "p"), "a", "1"), `{\n  "p": { /* todo */\n    "a": 1\n  }\n}`);
  });
  it("uses CRLF in an empty object", () => {
    const d = doc(crlf(`{\n  "p": {}\n}`));
    expectFix(d, insertProperty(d.sc, d.fixer, child(d.root, "p"), "a", "1"), crlf(`{\n  "p": {\n    "a": 1\n  }\n}`));
  });
});

describe("insertProperty: one-line objects", () => {
  it("appends on the same line", () => {
    const { d, edits } = insertRoot(`{"a": 1, "b": 2}`, "c", "3");
    expectFix(d, edits, `{"a": 1, "b": 2, "c": 3}`);
  });
  it("follows compact spacing", () => {
    const { d, edits } = insertRoot(`{"a":1,"b":2}`, "c", "3");
    expectFix(d, edits, `{"a":1,"b":2,"c":3}`);
  });
  it("keeps a trailing comma", () => {
    const { d, edits } = insertRoot(`{"a": 1,}`, "c", "3");
    expectFix(d, edits, `{"a": 1, "c": 3,}`);
  });
  it("inserts after a given property", () => {
    const d = doc(`{"a": 1, "b": 2}`);
    expectFix(d, insertProperty(d.sc, d.fixer, d.root, "k", `"v"`, { after: prop(d.root, "a") }), `{"a": 1, "k": "v", "b": 2}`);
  });
  it("goes after a trailing block comment", () => {
    const { d, edits } = insertRoot(`{"a": 1 /* one */}`, "c", "3");
    expectFix(d, edits, `{"a": 1 /* one */, "c": 3}`);
  });
});

describe("insertProperty: refusals", () => {
  it("refuses an existing key (any casing)", () => {
    assert.equal(insertRoot(`{"Name": 1}`, "name", "2").edits, null);
  });
  it("refuses an anchor from another object", () => {
    const d = doc(`{"a": {"b": 1}}`);
    assert.equal(insertProperty(d.sc, d.fixer, d.root, "k", "1", { after: prop(child(d.root, "a"), "b") }), null);
  });
});

describe("setProperty", () => {
  it("replaces the value of an existing key, case-insensitively, re-indented", () => {
    const d = doc(`{\n  "p": {\n    "Mode": "a"\n  }\n}`);
    expectFix(d, setProperty(d.sc, d.fixer, child(d.root, "p"), "mode", `{\n  "x": 1\n}`), `{\n  "p": {\n    "Mode": {\n      "x": 1\n    }\n  }\n}`);
  });
  it("inserts a missing key", () => {
    const d = doc(`{\n  "a": 1\n}`);
    expectFix(d, setProperty(d.sc, d.fixer, d.root, "b", "2"), `{\n  "a": 1,\n  "b": 2\n}`);
  });
  it("targets the last duplicate", () => {
    const d = doc(`{"a": 1, "A": 2}`);
    expectFix(d, setProperty(d.sc, d.fixer, d.root, "a", "3"), `{"a": 1, "A": 3}`);
  });
  it("refuses to drop comments inside the old value", () => {
    const d = doc(`{"a": [1 /* one */]}`);
    assert.equal(setProperty(d.sc, d.fixer, d.root, "a", "3"), null);
  });
});

describe("renameKey / replaceNode", () => {
  it("keeps the quote style of the key", () => {
    const d = doc(`{'a': 1, b: 2, "c": 3, d: 4}`, "JSON5");
    const [a, b, c, dd] = d.root.properties;
    const edits = [
      ...renameKey(d.fixer, a!, "it's"),
      ...renameKey(d.fixer, b!, "x-y"),
      ...renameKey(d.fixer, c!, 'q"'),
      ...renameKey(d.fixer, dd!, "e"),
    ];
    expectFix(d, edits, `{'it\\'s': 1, "x-y": 2, "q\\"": 3, e: 4}`, { "it's": 1, "x-y": 2, 'q"': 3, e: 4 });
  });
  it("replaces a node verbatim", () => {
    const d = doc(`{"a": 1}`);
    expectFix(d, replaceNode(d.fixer, prop(d.root, "a").value, "[2]"), `{"a": [2]}`);
  });
});

describe("applyEdits / mergeEdits", () => {
  const fixer = createFixer();
  it("apply in range order and reject overlaps", () => {
    assert.equal(applyEdits("abcdef", [fixer.removeRange([4, 5]), fixer.insertTextBeforeRange([0, 1], ">")]), ">abcdf");
    assert.throws(() => applyEdits("abcdef", [fixer.removeRange([0, 3]), fixer.removeRange([2, 4])]));
  });
  it("merge touching edits, keep insert order at one offset, refuse overlaps", () => {
    const merged = mergeEdits(fixer, [fixer.insertTextAfterRange([0, 2], "2"), fixer.insertTextAfterRange([0, 2], "3"), fixer.removeRange([2, 3])]);
    assert.deepEqual(merged, [{ range: [2, 3], text: "23" }]);
    assert.equal(mergeEdits(fixer, [fixer.removeRange([0, 3]), fixer.removeRange([2, 4])]), null);
  });
});
