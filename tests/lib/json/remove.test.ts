import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { removeProperties, removeProperty } from "../../../lib/json/index.js";
import { child, doc, expectFix, prop } from "./helpers.js";

/** Converts `\n` to `\r\n`. */
const crlf = (s: string) => s.replace(/\n/g, "\r\n");

/** Removes property `name` of the root object of `text`. */
function removeRoot(text: string, name: string) {
  const d = doc(text);
  return { d, edits: removeProperty(d.sc, d.fixer, prop(d.root, name)) };
}

const COMMENTED = `{
  "a": 1,
  // about b
  "b": 2, // trailing b
  "c": 3
}`;

describe("removeProperty: multi-line objects", () => {
  it("refuses to remove a property with its own-line and trailing comments (they would be lost)", () => {
    assert.equal(removeRoot(COMMENTED, "b").edits, null);
  });
  it("removes the first property, leaving the next one's comments", () => {
    const { d, edits } = removeRoot(COMMENTED, "a");
    expectFix(d, edits, `{\n  // about b\n  "b": 2, // trailing b\n  "c": 3\n}`);
  });
  it("removes the last property and the comma before it, keeping the previous trailing comment", () => {
    const { d, edits } = removeRoot(COMMENTED, "c");
    expectFix(d, edits, `{\n  "a": 1,\n  // about b\n  "b": 2 // trailing b\n}`);
  });
  it("removes the only property as {}", () => {
    const { d, edits } = removeRoot(`{\n  "a": {\n    "x": 1\n  }\n}\n`, "a");
    expectFix(d, edits, `{}\n`, {});
  });
  it("refuses to remove the only property when a comment would go with it", () => {
    assert.equal(removeRoot(`{\n  // the only one\n  "a": {\n    "x": 1\n  } // done\n}\n`, "a").edits, null);
  });
  it("refuses to remove a property under a multi-line block comment", () => {
    assert.equal(removeRoot(`{\n  "a": 1,\n  /* about b\n     more */\n  "b": 2,\n  "c": 3\n}`, "b").edits, null);
  });
  it("keeps a header comment on the brace line", () => {
    const { d, edits } = removeRoot(`{ // header\n  "a": 1,\n  "b": 2\n}`, "a");
    expectFix(d, edits, `{ // header\n  "b": 2\n}`);
  });
  it("keeps the header comment when the only property goes", () => {
    const { d, edits } = removeRoot(`{ // header\n  "a": 1\n}`, "a");
    expectFix(d, edits, `{ // header\n}`, {});
  });
  it("keeps a comment separated from the property by a blank line", () => {
    const { d, edits } = removeRoot(`{\n  "a": 1,\n  // group\n\n  "b": 2,\n  "c": 3\n}`, "b");
    expectFix(d, edits, `{\n  "a": 1,\n  // group\n\n  "c": 3\n}`);
  });
  it("leaves no blank line behind when the removed last property was separated by one", () => {
    const { d, edits } = removeRoot(`{\n  "a": 1,\n\n  "b": 2\n}`, "b");
    expectFix(d, edits, `{\n  "a": 1\n}`);
  });
  it("leaves no blank line under the brace when the first property goes", () => {
    const { d, edits } = removeRoot(`{\n  "a": 1,\n\n  "b": 2\n}`, "a");
    expectFix(d, edits, `{\n  "b": 2\n}`);
  });
  it("handles two properties on one line of a multi-line object", () => {
    const text = `{\n  "a": 1, "b": 2,\n  "c": 3\n}`;
    let r = removeRoot(text, "b");
    expectFix(r.d, r.edits, `{\n  "a": 1,\n  "c": 3\n}`);
    r = removeRoot(text, "a");
    expectFix(r.d, r.edits, `{\n  "b": 2,\n  "c": 3\n}`);
  });
  it("handles a closing brace on the last property's line", () => {
    const { d, edits } = removeRoot(`{\n  "a": 1,\n  "b": 2 }`, "b");
    expectFix(d, edits, `{\n  "a": 1 }`);
  });
  it("handles comma-first layout", () => {
    const text = `{\n    "a": 1\n  , "b": 2\n  , "c": 3\n}`;
    let r = removeRoot(text, "b");
    expectFix(r.d, r.edits, `{\n    "a": 1\n  , "c": 3\n}`);
    r = removeRoot(text, "c");
    expectFix(r.d, r.edits, `{\n    "a": 1\n  , "b": 2\n}`);
  });
  it("removes a nested property at its own depth", () => {
    const d = doc(`{\n  "p": {\n    "x": 1,\n    "y": [\n      2\n    ]\n  },\n  "q": 0\n}`);
    expectFix(d, removeProperty(d.sc, d.fixer, prop(child(d.root, "p"), "y")), `{\n  "p": {\n    "x": 1\n  },\n  "q": 0\n}`);
  });
  it("refuses to remove a comment between the value and its comma", () => {
    assert.equal(removeRoot(`{\n  "a": 1 /* one */,\n  "b": 2\n}`, "a").edits, null);
  });
});

describe("removeProperty: one-line objects", () => {
  it("removes first and last", () => {
    let r = removeRoot(`{"a": 1, "b": 2}`, "a");
    expectFix(r.d, r.edits, `{"b": 2}`);
    r = removeRoot(`{"a": 1, "b": 2}`, "b");
    expectFix(r.d, r.edits, `{"a": 1}`);
  });
  it("keeps brace padding", () => {
    const { d, edits } = removeRoot(`{ "a": 1, "b": 2, "c": 3 }`, "b");
    expectFix(d, edits, `{ "a": 1, "c": 3 }`);
  });
  it("removes the only property", () => {
    const { d, edits } = removeRoot(`{ "a": 1 }`, "a");
    expectFix(d, edits, `{}`);
  });
  it("keeps block comments that sit between two properties", () => {
    const text = `{ /* k */ "a": 1, /* c */ "b": 2 /* t */ }`;
    assert.equal(removeRoot(text, "b").edits, null, "the trailing /* t */ would be lost");
    const r = removeRoot(text, "a");
    expectFix(r.d, r.edits, `{ /* k */ /* c */ "b": 2 /* t */ }`);
  });
});

describe("removeProperty: JSONC trailing commas", () => {
  it("keeps the trailing comma on the new last property (one line)", () => {
    const { d, edits } = removeRoot(`{"a":1,"b":2,}`, "b");
    expectFix(d, edits, `{"a":1,}`);
  });
  it("keeps the trailing comma on the new last property (multi-line)", () => {
    const { d, edits } = removeRoot(`{\n  "a": 1, // stays\n  "b": 2,\n}`, "b");
    expectFix(d, edits, `{\n  "a": 1, // stays\n}`);
  });
  it("empties the object", () => {
    let r = removeRoot(`{"a":1,}`, "a");
    expectFix(r.d, r.edits, `{}`);
    r = removeRoot(`{\n  "a": 1,\n}`, "a");
    expectFix(r.d, r.edits, `{}`);
  });
});

describe("removeProperty: line endings, indentation, BOM", () => {
  it("removes whole CRLF lines", () => {
    const { d, edits } = removeRoot(crlf(`{\n\t"a": 1,\n\t"b": {\n\t\t"x": true\n\t}\n}\n`), "a");
    expectFix(d, edits, crlf(`{\n\t"b": {\n\t\t"x": true\n\t}\n}\n`));
  });
  it("removes the last CRLF property", () => {
    const { d, edits } = removeRoot(crlf(`{\n    "a": 1,\n    "b": 2\n}`), "b");
    expectFix(d, edits, crlf(`{\n    "a": 1\n}`));
  });
  it("works on the BOM-stripped text ESLint hands to rules", () => {
    const { d, edits } = removeRoot(`\uFEFF{"a": 1, "b": 2}`, "a");
    expectFix(d, edits, `{"b": 2}`);
  });
  it("does not assume the object starts at offset 0", () => {
    const { d, edits } = removeRoot(`// leading comment\n\n  {\n    "a": 1,\n    "b": 2\n  }\n`, "a");
    expectFix(d, edits, `// leading comment\n\n  {\n    "b": 2\n  }\n`);
  });
});

describe("removeProperty: refusals", () => {
  it("returns null when a comment sits inside the property", () => {
    assert.equal(removeRoot(`{\n  "a": /* x */ 1,\n  "b": 2\n}`, "a").edits, null);
    assert.equal(removeRoot(`{\n  "a": {\n    // keep me\n    "x": 1\n  },\n  "b": 2\n}`, "a").edits, null);
  });
  it("returns null for a foreign node", () => {
    const d = doc(`{"a": {"b": 1}}`);
    const inner = prop(child(d.root, "a"), "b");
    assert.equal(removeProperties(d.sc, d.fixer, [prop(d.root, "a"), inner]), null);
  });
});

describe("removeProperties", () => {
  const TEXT = `{\n  "a": 1,\n  "b": 2,\n  "c": 3,\n  "d": 4\n}`;
  it("merges adjacent properties into one edit", () => {
    const d = doc(TEXT);
    const edits = removeProperties(d.sc, d.fixer, [prop(d.root, "b"), prop(d.root, "c")]);
    assert.equal(edits?.length, 1);
    expectFix(d, edits, `{\n  "a": 1,\n  "d": 4\n}`);
  });
  it("removes non-adjacent properties (order of the input does not matter)", () => {
    const d = doc(TEXT);
    expectFix(d, removeProperties(d.sc, d.fixer, [prop(d.root, "d"), prop(d.root, "a"), prop(d.root, "d")]), `{\n  "b": 2,\n  "c": 3\n}`);
  });
  it("removes a trailing run including the last property", () => {
    const d = doc(TEXT);
    expectFix(d, removeProperties(d.sc, d.fixer, [prop(d.root, "c"), prop(d.root, "d")]), `{\n  "a": 1,\n  "b": 2\n}`);
  });
  it("removes first and last of a one-line object", () => {
    const d = doc(`{"a": 1, "b": 2, "c": 3}`);
    expectFix(d, removeProperties(d.sc, d.fixer, [prop(d.root, "c"), prop(d.root, "a")]), `{"b": 2}`);
  });
  it("turns the object into {} when all go", () => {
    const d = doc(`{\n  "a": 1,\n  "b": 2, "c": 3\n}`);
    expectFix(d, removeProperties(d.sc, d.fixer, d.root.properties), `{}`, {});
  });
  it("refuses to remove all properties when their comments would go", () => {
    const d = doc(COMMENTED);
    assert.equal(removeProperties(d.sc, d.fixer, d.root.properties), null);
  });
  it("keeps comments that belong to no removed property", () => {
    const d = doc(`{ // header\n  "a": 1,\n  "b": 2\n}`);
    expectFix(d, removeProperties(d.sc, d.fixer, d.root.properties), `{ // header\n}`);
  });
  it("returns null when a detached comment sits between removed properties", () => {
    const d = doc(`{\n  "a": 1,\n  // detached\n\n  "b": 2\n}`);
    assert.equal(removeProperties(d.sc, d.fixer, d.root.properties), null);
  });
  it("returns [] for nothing to remove", () => {
    const d = doc(TEXT);
    assert.deepEqual(removeProperties(d.sc, d.fixer, []), []);
  });
});
