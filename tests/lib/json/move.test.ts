import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { moveProperty, wrapProperties } from "../../../lib/json/index.js";
import { child, data, doc, expectFix, prop } from "./helpers.js";

/** Converts `\n` to `\r\n`. */
const crlf = (s: string) => s.replace(/\n/g, "\r\n");

const EXT = `{
  "properties": {
    "settings": {
      "a": 1
    },
    // the configuration
    "configuration": {
      "url": "x", // the url
      "nested": [
        1,
        2
      ]
    }
  }
}`;

describe("moveProperty", () => {
  it("moves a multi-line property one level up (shallower), with its comments", () => {
    const d = doc(EXT);
    const props = child(d.root, "properties");
    const out = expectFix(
      d,
      moveProperty(d.sc, d.fixer, prop(props, "configuration"), { obj: d.root }),
      `{
  "properties": {
    "settings": {
      "a": 1
    }
  },
  // the configuration
  "configuration": {
    "url": "x", // the url
    "nested": [
      1,
      2
    ]
  }
}`,
    );
    assert.deepEqual(data(out), { properties: { settings: { a: 1 } }, configuration: { url: "x", nested: [1, 2] } });
  });
  it("moves a property into a sibling object (deeper)", () => {
    const d = doc(EXT);
    const props = child(d.root, "properties");
    expectFix(
      d,
      moveProperty(d.sc, d.fixer, prop(props, "configuration"), { obj: child(props, "settings") }),
      `{
  "properties": {
    "settings": {
      "a": 1,
      // the configuration
      "configuration": {
        "url": "x", // the url
        "nested": [
          1,
          2
        ]
      }
    }
  }
}`,
    );
  });
  it("creates the target object in another parent, renaming the key", () => {
    const d = doc(EXT);
    const props = child(d.root, "properties");
    expectFix(
      d,
      moveProperty(d.sc, d.fixer, prop(props, "configuration"), { parent: d.root, key: "extra" }, { rename: "cfg" }),
      `{
  "properties": {
    "settings": {
      "a": 1
    }
  },
  "extra": {
    // the configuration
    "cfg": {
      "url": "x", // the url
      "nested": [
        1,
        2
      ]
    }
  }
}`,
    );
  });
  it("uses an existing target object found case-insensitively", () => {
    const d = doc(EXT);
    const props = child(d.root, "properties");
    expectFix(
      d,
      moveProperty(d.sc, d.fixer, prop(child(props, "configuration"), "url"), { parent: props, key: "SETTINGS" }),
      `{
  "properties": {
    "settings": {
      "a": 1,
      "url": "x" // the url
    },
    // the configuration
    "configuration": {
      "nested": [
        1,
        2
      ]
    }
  }
}`,
    );
  });
  it("wraps into a new child of its own object", () => {
    const d = doc(`{\n  "type": "x",\n  "a": 1\n}`);
    expectFix(d, moveProperty(d.sc, d.fixer, prop(d.root, "a"), { parent: d.root, key: "properties" }), `{\n  "type": "x",\n  "properties": {\n    "a": 1\n  }\n}`);
  });
  it("moves into an empty object in a 4-space file", () => {
    const d = doc(`{\n    "a": {},\n    "v": [\n        1\n    ]\n}`);
    expectFix(d, moveProperty(d.sc, d.fixer, prop(d.root, "v"), { obj: child(d.root, "a") }), `{\n    "a": {\n        "v": [\n            1\n        ]\n    }\n}`);
  });
  it("moves up into the enclosing object when the source is its last property", () => {
    const d = doc(`{\n  "c": 0,\n  "a": {\n    "b": 1\n  }\n}`);
    expectFix(d, moveProperty(d.sc, d.fixer, prop(child(d.root, "a"), "b"), { obj: d.root }), `{\n  "c": 0,\n  "a": {},\n  "b": 1\n}`);
  });
  it("keeps tabs and CRLF", () => {
    const d = doc(crlf(`{\n\t"a": 1,\n\t"p": {\n\t\t"x": {\n\t\t\t"y": true\n\t\t}\n\t}\n}\n`));
    expectFix(d, moveProperty(d.sc, d.fixer, prop(child(d.root, "p"), "x"), { obj: d.root }), crlf(`{\n\t"a": 1,\n\t"p": {},\n\t"x": {\n\t\t"y": true\n\t}\n}\n`));
  });
  it("works in one-line objects", () => {
    const d = doc(`{"a": {"b": 1}, "c": {"d": 2}}`);
    expectFix(d, moveProperty(d.sc, d.fixer, prop(child(d.root, "c"), "d"), { obj: child(d.root, "a") }), `{"a": {"b": 1, "d": 2}, "c": {}}`);
  });
  it("pads a new one-line child as its parent's braces are padded", () => {
    const padded = doc(`{ "p": { "q": 1 }, "c": { "d": 2 } }`);
    expectFix(padded, moveProperty(padded.sc, padded.fixer, prop(child(padded.root, "c"), "d"), { parent: child(padded.root, "p"), key: "new" }), `{ "p": { "q": 1, "new": { "d": 2 } }, "c": {} }`);
    const tight = doc(`{"p": {"q": 1}, "c": {"d": 2}}`);
    expectFix(tight, moveProperty(tight.sc, tight.fixer, prop(child(tight.root, "c"), "d"), { parent: child(tight.root, "p"), key: "new" }), `{"p": {"q": 1, "new": {"d": 2}}, "c": {}}`);
  });
  it("keeps comments inside the moved value", () => {
    const d = doc(`{\n  "p": {\n    "v": [\n      1, // one\n      /* two */ 2\n    ]\n  },\n  "q": {}\n}`);
    expectFix(
      d,
      moveProperty(d.sc, d.fixer, prop(child(d.root, "p"), "v"), { obj: child(d.root, "q") }),
      `{\n  "p": {},\n  "q": {\n    "v": [\n      1, // one\n      /* two */ 2\n    ]\n  }\n}`,
    );
  });
  it("refuses to move a property into itself or its own object", () => {
    const d = doc(`{\n  "a": {\n    "b": 1\n  }\n}`);
    assert.equal(moveProperty(d.sc, d.fixer, prop(d.root, "a"), { obj: child(d.root, "a") }), null);
    assert.equal(moveProperty(d.sc, d.fixer, prop(d.root, "a"), { parent: child(d.root, "a"), key: "z" }), null);
    assert.equal(moveProperty(d.sc, d.fixer, prop(d.root, "a"), { obj: d.root }), null);
  });
  it("refuses a name clash or a non-object target", () => {
    const d = doc(`{"a": 1, "p": {"A": 2}, "s": "x"}`);
    assert.equal(moveProperty(d.sc, d.fixer, prop(d.root, "a"), { obj: child(d.root, "p") }), null);
    assert.equal(moveProperty(d.sc, d.fixer, prop(d.root, "a"), { parent: d.root, key: "s" }), null);
  });
  it("refuses a one-line target when comments would have to move", () => {
    const d = doc(`{\n  "p": {"x": 1},\n  // about a\n  "a": 1\n}`);
    assert.equal(moveProperty(d.sc, d.fixer, prop(d.root, "a"), { obj: child(d.root, "p") }), null);
  });
});

describe("wrapProperties", () => {
  it("wraps keys of a one-line object in braces padded like the object's", () => {
    const padded = doc(`{ "name": "dsc", "publisher": "p", "type": "DSC" }`);
    expectFix(
      padded,
      wrapProperties(padded.sc, padded.fixer, padded.root, [prop(padded.root, "publisher"), prop(padded.root, "type")], "properties"),
      `{ "name": "dsc", "properties": { "publisher": "p", "type": "DSC" } }`,
    );
    const tight = doc(`{"name": "dsc", "publisher": "p"}`);
    expectFix(tight, wrapProperties(tight.sc, tight.fixer, tight.root, [prop(tight.root, "publisher")], "properties"), `{"name": "dsc", "properties": {"publisher": "p"}}`);
  });
  it("wraps misplaced keys into a new child at the first one's position", () => {
    const d = doc(`{\n  "type": "x",\n  "a": 1, // a!\n  "name": "n",\n  "b": 2\n}`);
    expectFix(
      d,
      wrapProperties(d.sc, d.fixer, d.root, [prop(d.root, "a"), prop(d.root, "b")], "properties"),
      `{\n  "type": "x",\n  "properties": {\n    "a": 1, // a!\n    "b": 2\n  },\n  "name": "n"\n}`,
      { type: "x", properties: { a: 1, b: 2 }, name: "n" },
    );
  });
  it("wraps every property of an object", () => {
    const d = doc(EXT);
    const props = child(d.root, "properties");
    expectFix(
      d,
      wrapProperties(d.sc, d.fixer, props, props.properties, "inner"),
      `{
  "properties": {
    "inner": {
      "settings": {
        "a": 1
      },
      // the configuration
      "configuration": {
        "url": "x", // the url
        "nested": [
          1,
          2
        ]
      }
    }
  }
}`,
    );
  });
  it("wraps on one line", () => {
    const d = doc(`{"type": "x", "a": 1, "b": 2}`);
    expectFix(d, wrapProperties(d.sc, d.fixer, d.root, [prop(d.root, "a"), prop(d.root, "b")], "properties"), `{"type": "x", "properties": {"a": 1, "b": 2}}`);
  });
  it("moves into an existing child (any casing)", () => {
    const d = doc(`{\n  "a": 1,\n  "Properties": {},\n  "b": [\n    1\n  ]\n}`);
    expectFix(d, wrapProperties(d.sc, d.fixer, d.root, [prop(d.root, "a"), prop(d.root, "b")], "properties"), `{\n  "Properties": {\n    "a": 1,\n    "b": [\n      1\n    ]\n  }\n}`);
  });
  it("keeps a JSONC trailing comma and tabs", () => {
    const d = doc(`{\n\t"type": "x",\n\t"a": 1,\n\t"b": 2,\n}`);
    expectFix(d, wrapProperties(d.sc, d.fixer, d.root, [prop(d.root, "a"), prop(d.root, "b")], "p"), `{\n\t"type": "x",\n\t"p": {\n\t\t"a": 1,\n\t\t"b": 2\n\t},\n}`);
  });
  it("moves a deeper multi-line value into the new level", () => {
    const d = doc(`{\n    "x": {\n        "k": [\n            1\n        ]\n    }\n}`);
    const x = child(d.root, "x");
    expectFix(d, wrapProperties(d.sc, d.fixer, x, [prop(x, "k")], "w"), `{\n    "x": {\n        "w": {\n            "k": [\n                1\n            ]\n        }\n    }\n}`);
  });
  it("refuses when the target child is one of the wrapped keys or is not an object", () => {
    const d = doc(`{"a": 1, "p": 2}`);
    assert.equal(wrapProperties(d.sc, d.fixer, d.root, [prop(d.root, "a"), prop(d.root, "p")], "p"), null);
    assert.equal(wrapProperties(d.sc, d.fixer, d.root, [prop(d.root, "a")], "p"), null);
    assert.equal(wrapProperties(d.sc, d.fixer, d.root, [], "p"), null);
  });
  it("keeps a detached comment that stays outside the wrapped run", () => {
    const d = doc(`{\n  "a": 1,\n  "k": 0,\n  // detached\n\n  "b": 2\n}`);
    expectFix(d, wrapProperties(d.sc, d.fixer, d.root, [prop(d.root, "a"), prop(d.root, "b")], "p"), `{\n  "p": {\n    "a": 1,\n    "b": 2\n  },\n  "k": 0\n  // detached\n}`);
  });
  it("refuses to lose a detached comment between wrapped properties", () => {
    const d = doc(`{\n  "a": 1,\n  "b": 2,\n  // detached\n\n  "c": 3,\n  "d": 4\n}`);
    assert.equal(wrapProperties(d.sc, d.fixer, d.root, d.root.properties, "p"), null);
  });
});
