import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseJSON, traverseNodes, type AST } from "jsonc-eslint-parser";
import {
  asciiLower,
  findEachProperty,
  findProperties,
  findProperty,
  getArrayValue,
  getObjectValue,
  getPath,
  getStringValue,
  getValue,
  isArray,
  isBooleanLiteral,
  isNullLiteral,
  isNumberLiteral,
  isObject,
  isProperty,
  isStringLiteral,
  jsonPointer,
  keyEquals,
  keyLoc,
  pathTo,
  propertyName,
  resolvePointer,
  rootExpression,
  staticValue,
  stepsTo,
  stringLeaves,
  valueStartingAt,
} from "../../../lib/json/index.js";

/** Root object of a JSONC (or JSON5) text. */
function rootOf(text: string, jsonSyntax: "JSONC" | null = "JSONC"): AST.JSONObjectExpression {
  const root = rootExpression(parseJSON(text, { jsonSyntax }));
  assert.ok(isObject(root));
  return root;
}

const TEMPLATE = `{
  "Resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "properties": { "Settings": { "wmfVersion": "latest" }, "autoUpgradeMinorVersion": true },
      "count": 2,
      "nothing": null,
      "list": [1, "two"]
    }
  ]
}`;

const GARBAGE: unknown[] = [null, undefined, 0, 1, "x", true, {}, [], { type: 5 }, { type: "JSONObjectExpression" }, () => 1];

describe("propertyName", () => {
  it("reads string, identifier and number keys", () => {
    const root = rootOf(`{"a": 1, b: 2, 3: 4, 1e1: 5}`, null);
    assert.deepEqual(
      root.properties.map((p) => propertyName(p)),
      ["a", "b", "3", "10"],
    );
  });
  it("returns null for missing input", () => {
    assert.equal(propertyName(null), null);
    assert.equal(propertyName(undefined), null);
    assert.equal(propertyName({ key: null } as never), null);
  });
});

describe("keyEquals / asciiLower", () => {
  it("ignores ASCII case only", () => {
    assert.equal(keyEquals("wmfVersion", "WMFVERSION"), true);
    assert.equal(keyEquals("a", "ab"), false);
    assert.equal(asciiLower("ÄBC"), "Äbc");
    assert.equal(keyEquals("\u0130", "i"), false);
  });
  it("lower-cases A-Z and nothing else, on ASCII and non-ASCII text alike", () => {
    assert.equal(asciiLower("configurationArguments"), "configurationarguments");
    assert.equal(asciiLower("A-Z_[@]`{~} 09"), "a-z_[@]`{~} 09");
    assert.equal(asciiLower("already lower"), "already lower");
    // toLowerCase would map these: the Kelvin sign to k, dotted I to i plus a combining dot, Greek capitals.
    assert.equal(asciiLower("\u212AEY"), "\u212Aey");
    assert.equal(asciiLower("\u0130D"), "\u0130d");
    assert.equal(asciiLower("\u03A3A"), "\u03A3a");
  });
});

describe("findProperty / findProperties", () => {
  const root = rootOf(`{"name": 1, "Name": 2, "other": 3, "NAME": 4}`);
  it("matches case-insensitively, the last duplicate wins", () => {
    const found = findProperty(root, "nAmE");
    assert.ok(found);
    assert.equal(staticValue(found.value), 4);
  });
  it("returns all matches in source order", () => {
    assert.deepEqual(
      findProperties(root, "name").map((p) => staticValue(p.value)),
      [1, 2, 4],
    );
  });
  it("returns nothing for absent keys and non-objects", () => {
    assert.equal(findProperty(root, "missing"), undefined);
    for (const g of GARBAGE) {
      assert.equal(findProperty(g, "name"), undefined);
      assert.deepEqual(findProperties(g, "name"), []);
    }
    assert.equal(findProperty(rootExpression(parseJSON(`[1]`)), "0"), undefined);
  });
  it("gives the same answers on an object large enough to be indexed", () => {
    // 40 filler keys put the object past the scanned size; the keys under test sit among them.
    const filler = Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`).join(", ");
    const large = rootOf(`{ "name": 1, ${filler}, "Name": 2, "\u00c4": 5, 7: 6, unquoted: 8, "NAME": 4, "K3": 9 }`, null);
    assert.ok(isObject(large) && large.properties.length > 40);
    assert.equal(staticValue(findProperty(large, "nAmE")?.value), 4);
    assert.equal(staticValue(findProperty(large, "k3")?.value), 9);
    assert.equal(staticValue(findProperty(large, "k39")?.value), 39);
    assert.equal(staticValue(findProperty(large, "7")?.value), 6);
    assert.equal(staticValue(findProperty(large, "UNQUOTED")?.value), 8);
    // ARM folds ASCII letters only: Ä is not ä.
    assert.equal(staticValue(findProperty(large, "\u00c4")?.value), 5);
    assert.equal(findProperty(large, "\u00e4"), undefined);
    assert.equal(findProperty(large, "missing"), undefined);
    // A second lookup answers the same (from the index).
    assert.equal(findProperty(large, "NAME"), findProperty(large, "name"));
  });
});

describe("typed getters", () => {
  const root = rootOf(TEMPLATE);
  const resource = getArrayValue(root, "resources")?.elements[0];
  it("walk the expected shapes", () => {
    assert.ok(isObject(resource));
    assert.equal(getStringValue(resource, "TYPE"), "Microsoft.Compute/virtualMachines/extensions");
    assert.ok(getObjectValue(resource, "properties"));
    assert.ok(getArrayValue(resource, "list"));
    assert.equal(staticValue(getValue(resource, "count")), 2);
  });
  it("skip wrong types quietly", () => {
    assert.equal(getObjectValue(resource, "list"), undefined);
    assert.equal(getArrayValue(resource, "properties"), undefined);
    assert.equal(getStringValue(resource, "count"), undefined);
    assert.equal(getStringValue(resource, "nothing"), undefined);
    assert.equal(getObjectValue(resource, "nothing"), undefined);
    for (const g of GARBAGE) {
      assert.equal(getValue(g, "a"), undefined);
      assert.equal(getObjectValue(g, "a"), undefined);
      assert.equal(getArrayValue(g, "a"), undefined);
      assert.equal(getStringValue(g, "a"), undefined);
    }
  });
});

describe("getPath", () => {
  const root = rootOf(TEMPLATE);
  it("walks objects case-insensitively and arrays by number or numeric string", () => {
    assert.equal(staticValue(getPath(root, ["resources", 0, "properties", "settings", "WMFVERSION"])), "latest");
    assert.equal(staticValue(getPath(root, ["resources", "0", "list", 1])), "two");
    assert.equal(getPath(root, []), root);
  });
  it("returns undefined for missing or mistyped steps", () => {
    assert.equal(getPath(root, ["resources", 1]), undefined);
    assert.equal(getPath(root, ["resources", -1]), undefined);
    assert.equal(getPath(root, ["resources", "01"]), undefined);
    assert.equal(getPath(root, ["resources", "type"]), undefined);
    assert.equal(getPath(root, ["resources", 0, "count", "x"]), undefined);
    assert.equal(getPath(root, ["resources", 0, "nothing", 0]), undefined);
    for (const g of GARBAGE) assert.equal(getPath(g, ["a"]), undefined);
  });
  it("skips array holes", () => {
    assert.equal(getPath(rootOf(`{"a": [1,,2]}`, null), ["a", 1]), undefined);
  });
});

describe("stringLeaves / pathTo / stepsTo", () => {
  const root = rootOf(`{ "a": { "B": ["x", 1, { "c": "y" }], "d": "z" }, "e": "w", "f": { "g": "v" } }`);
  const values = (nodes: AST.JSONStringLiteral[]) => nodes.map((n) => n.value);
  it("lists the strings in document order, skipping the subtrees asked", () => {
    assert.deepEqual(values(stringLeaves(root)), ["x", "y", "z", "w", "v"]);
    assert.deepEqual(values(stringLeaves(root, new Set([getValue(root, "a")!, getPath(root, ["f", "g"])!]))), ["w"]);
    assert.deepEqual(values(stringLeaves(getPath(root, ["e"])!)), ["w"]);
  });
  it("names a leaf's place below a root, with the keys as written and element indexes", () => {
    const [x, y, z] = stringLeaves(root);
    assert.equal(pathTo(root, y!, "settings"), "settings.a.B[2].c");
    assert.equal(pathTo(getValue(root, "a")!, x!, "a"), "a.B[0]");
    assert.equal(pathTo(z!, z!, "d"), "d");
    assert.deepEqual(
      stepsTo(root, y!).map((step) => (typeof step === "number" ? step : propertyName(step))),
      ["a", "B", 2, "c"],
    );
  });
  it("finds an element's index among many, holes included", () => {
    const list = getValue(rootOf(`{ "a": [${Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? "" : `"v${i}"`)).join(",")}] }`, null), "a");
    assert.ok(isArray(list));
    for (const [i, element] of list.elements.entries()) {
      if (element) assert.deepEqual(stepsTo(list, element), [i]);
    }
  });
  it("gives no steps for a node outside the root", () => {
    assert.deepEqual(stepsTo(getValue(root, "f")!, stringLeaves(root)[0]!), []);
  });
});

describe("type guards", () => {
  const root = rootOf(`{"s": "x", "n": 1, "neg": -1, "t": true, "f": false, "z": null, "o": {}, "a": []}`);
  const v = (name: string) => getValue(root, name);
  it("recognise each literal kind", () => {
    assert.equal(isStringLiteral(v("s")), true);
    assert.equal(isNumberLiteral(v("n")), true);
    assert.equal(isNumberLiteral(v("neg")), false);
    assert.equal(isBooleanLiteral(v("t")), true);
    assert.equal(isBooleanLiteral(v("f")), true);
    assert.equal(isNullLiteral(v("z")), true);
    assert.equal(isObject(v("o")), true);
    assert.equal(isArray(v("a")), true);
    assert.equal(isProperty(root.properties[0]), true);
  });
  it("do not confuse kinds", () => {
    assert.equal(isStringLiteral(v("n")), false);
    assert.equal(isNullLiteral(v("f")), false);
    assert.equal(isBooleanLiteral(v("z")), false);
    assert.equal(isObject(v("a")), false);
    assert.equal(isArray(v("o")), false);
  });
  it("accept garbage and return false", () => {
    for (const g of GARBAGE) {
      for (const guard of [isObject, isArray, isProperty, isStringLiteral, isNumberLiteral, isBooleanLiteral, isNullLiteral]) {
        assert.equal(guard(g), false);
      }
    }
  });
});

describe("staticValue", () => {
  it("evaluates nodes", () => {
    assert.deepEqual(staticValue(rootOf(`{"a": [1, -2, {"b": null}]}`)), { a: [1, -2, { b: null }] });
  });
  it("never throws", () => {
    for (const g of GARBAGE) assert.doesNotThrow(() => staticValue(g));
    assert.equal(staticValue(null), undefined);
    assert.equal(staticValue({ type: "JSONBogus" }), undefined);
    assert.equal(staticValue({ type: "JSONObjectExpression", properties: [{ type: "JSONProperty" }] }), undefined);
  });
});

describe("jsonPointer / resolvePointer", () => {
  const text = `{"a": {"b/c": [10, {"m~n": true}]}, "": {"x": -1}, "dup": 1, "dup": 2}`;
  const root = rootOf(text);
  it("builds RFC 6901 pointers with escapes", () => {
    const deep = getPath(root, ["a", "b/c", 1, "m~n"]);
    assert.equal(jsonPointer(deep), "/a/b~1c/1/m~0n");
    assert.equal(jsonPointer(root), "");
    assert.equal(jsonPointer(getPath(root, ["", "x"])), "//x");
  });
  it("gives a property and its key the pointer of the member", () => {
    const prop = findProperty(getValue(root, "a"), "b/c")!;
    assert.equal(jsonPointer(prop), "/a/b~1c");
    assert.equal(jsonPointer(prop.key), "/a/b~1c");
  });
  it("points through unary expressions to the member", () => {
    const neg = getPath(root, ["", "x"]) as AST.JSONUnaryExpression;
    assert.equal(jsonPointer(neg.argument), "//x");
  });
  it("round-trips every expression of the document", () => {
    let count = 0;
    traverseNodes(root.parent.parent, {
      enterNode(node) {
        if (node.type === "JSONProperty" || node.type === "Program" || node.type === "JSONExpressionStatement") return;
        if (node.parent?.type === "JSONProperty" && node.parent.key === node) return;
        if (node.parent?.type === "JSONUnaryExpression") return;
        const ptr = jsonPointer(node);
        if (node.type.startsWith("JSON") && ptr !== "/dup") assert.equal(resolvePointer(root, ptr), node, ptr);
        count++;
      },
      leaveNode() {},
    });
    assert.ok(count > 8);
  });
  it("resolves exact-case keys, last duplicate wins", () => {
    assert.equal(staticValue(resolvePointer(root, "/dup")), 2);
    assert.equal(resolvePointer(root, "/A"), undefined);
  });
  it("rejects malformed pointers", () => {
    assert.equal(resolvePointer(root, "a"), undefined);
    assert.equal(resolvePointer(root, "/a/b~1c/01"), undefined);
    assert.equal(resolvePointer(root, "/a/b~1c/5"), undefined);
    assert.equal(resolvePointer(root, "/dup/x"), undefined);
    assert.equal(resolvePointer(null, ""), undefined);
  });
  it("accepts garbage", () => {
    for (const g of GARBAGE) assert.doesNotThrow(() => jsonPointer(g));
    assert.equal(jsonPointer(null), "");
  });
});

describe("rootExpression / keyLoc", () => {
  it("returns the top-level value", () => {
    const program = parseJSON(`// lead\n[1]`, { jsonSyntax: "JSONC" });
    assert.ok(isArray(rootExpression(program)));
    for (const g of GARBAGE) assert.equal(rootExpression(g), undefined);
    assert.equal(rootExpression({ type: "Program", body: [] }), undefined);
  });
  it("reports on the key", () => {
    const root = rootOf(`{\n  "a": 1\n}`);
    assert.deepEqual(JSON.parse(JSON.stringify(keyLoc(root.properties[0]!))), { start: { line: 2, column: 2 }, end: { line: 2, column: 5 } });
  });
});

describe("valueStartingAt", () => {
  it("finds every value by its first offset, and no key", () => {
    const text = `{ "a": [1, { "b": "x" }, [true, null]], "c": { "d": -2 }, "e": "y" }`;
    const root = rootOf(text);
    const values: AST.JSONNode[] = [];
    traverseNodes(root, {
      enterNode(node) {
        if (node.type !== "JSONProperty" && !(node.parent?.type === "JSONProperty" && node.parent.key === node)) values.push(node);
      },
      leaveNode() {},
    });
    assert.ok(values.length > 10);
    for (const node of values) {
      // `-2`: the unary expression starts at the sign; its number literal is a level below.
      const expected = node.parent?.type === "JSONUnaryExpression" ? undefined : node;
      assert.equal(valueStartingAt(root, node.range[0]), expected, text.slice(...node.range));
    }
    for (const key of ['"a"', '"b"', '"e"']) assert.equal(valueStartingAt(root, text.indexOf(key)), undefined, key);
    assert.equal(valueStartingAt(root, text.indexOf(`"x"`) + 1), undefined, "inside a value, after its start");
  });

  it("steps over the holes of a sparse array", () => {
    const text = `{ "a": [1, , "x", , "y"] }`;
    const root = rootOf(text, null);
    const found = valueStartingAt(root, text.indexOf('"y"'));
    assert.ok(isStringLiteral(found) && found.value === "y");
    assert.equal(valueStartingAt(root, text.indexOf(", ,") + 2), undefined);
  });
});

describe("findEachProperty", () => {
  it("answers like findProperty for each name, in one pass", () => {
    const root = rootOf(`{ "Type": "a", "name": "b", "type": "c", "NAME": "d", "other": 1 }`);
    const names = ["type", "name", "missing", "OTHER"];
    const found = findEachProperty(root, names);
    assert.deepEqual(found, names.map((n) => findProperty(root, n)));
    assert.deepEqual(found.map((p) => p && propertyName(p)), ["type", "NAME", undefined, "other"]);
  });
});
