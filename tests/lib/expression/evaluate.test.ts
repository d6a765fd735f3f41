import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  describeValue,
  emptyProvenance,
  evaluateExpr,
  evaluateNode,
  evaluateString,
  parseExpression,
  parseTemplateString,
  reasonText,
  startParseCacheFile,
  type JsonValue,
  type UnknownReason,
  type Provenance,
  type Value,
  type EvalScope,
} from "../../../lib/expression/index.js";
import { jsonNode, TestScope } from "./helpers.js";
import { TemplateScope } from "../../../lib/template/scope.js";
import type { AST } from "../../../lib/json/types.js";

const empty = new TestScope();

function ev(s: string, scope: EvalScope = empty): Value {
  return evaluateString(s, scope);
}

/** The known value `value` with its provenance. */
function knownValue(value: JsonValue, prov: Provenance): Value {
  return { kind: "known", value, prov };
}

function val(s: string, scope: EvalScope = empty): JsonValue {
  const v = ev(s, scope);
  assert.equal(v.kind, "known", `${s}: ${describeValue(v)}`);
  return (v as { value: JsonValue }).value;
}

function reason(s: string, scope: EvalScope = empty): unknown {
  const v = ev(s, scope);
  assert.equal(v.kind, "unknown", `${s}: ${describeValue(v)}`);
  return (v as { reason: unknown }).reason;
}

function malformed(s: string, scope: TestScope = empty): void {
  const r = reason(s, scope) as { code: string };
  assert.equal(r.code, "malformed", `${s}: ${JSON.stringify(r)}`);
}

describe("literals", () => {
  it("plain strings are known, with the literal in provenance", () => {
    assert.deepEqual(ev("hello"), knownValue("hello", { ...emptyProvenance(), literals: ["hello"] }));
    assert.equal(val("[[x]"), "[x]");
    assert.equal(val("['a''b']"), "a'b");
    assert.equal(val("[-12]"), -12);
    assert.equal(val("[1.5]"), 1.5);
  });

  it("malformed expressions are unknown(malformed)", () => {
    malformed("[concat('a']");
    malformed("[]");
    malformed("[foo]"); // bare identifier
    malformed("[" + "9".repeat(400) + "]");
  });
});

describe("functions", () => {
  it("concat", () => {
    assert.equal(val("[concat('a', 'b', 'c')]"), "abc");
    assert.equal(val("[CONCAT('a', 1, true())]"), "a1True");
    assert.deepEqual(val("[concat(createArray(1, 2), createArray('x'))]"), [1, 2, "x"]);
    malformed("[concat(createArray(1), 'a')]");
    malformed("[concat()]");
    malformed("[concat(createObject())]");
  });

  it("format", () => {
    assert.equal(val("[format('{0}-{1}', 'a', 2)]"), "a-2");
    assert.equal(val("[format('{{{0}}}', 'x')]"), "{x}");
    assert.equal(val("[format('{1}{0}{1}', 'a', 'b')]"), "bab");
    assert.equal(val("[format('[{0,4}|{0,-4}]', 'ab')]"), "[  ab|ab  ]");
    assert.equal(val("[format('no items')]"), "no items");
    assert.deepEqual(reason("[format('{0:N2}', 1)]"), { code: "unsupported", name: "format" });
    malformed("[format('{1}', 'a')]");
    malformed("[format('{x}', 'a')]");
    malformed("[format('a}b')]");
    malformed("[format('{0', 'a')]");
  });

  it("uri", () => {
    assert.equal(val("[uri('https://a/b/c.json', 'd/e.zip')]"), "https://a/b/d/e.zip");
    assert.equal(val("[uri('http://contoso.org/firstpath', 'myscript.sh')]"), "http://contoso.org/myscript.sh");
    assert.equal(val("[uri('http://contoso.org/firstpath/', 'myscript.sh')]"), "http://contoso.org/firstpath/myscript.sh");
    assert.equal(val("[uri('https://a/b/', 'https://other/x')]"), "https://other/x");
    assert.equal(val("[uri('https://a/b/c', 'd?sv=1&sig=a%3D')]"), "https://a/b/d?sv=1&sig=a%3D");
    malformed("[uri('not a uri', 'x')]");
    malformed("[uri('https://a/', 1)]");
  });

  it("toLower / toUpper / trim", () => {
    assert.equal(val("[toLower('AbC')]"), "abc");
    assert.equal(val("[toUpper('AbC')]"), "ABC");
    assert.equal(val("[trim('  a b \t')]"), "a b");
    malformed("[toLower(1)]");
  });

  it("string", () => {
    assert.equal(val("[string('x')]"), "x");
    assert.equal(val("[string(5)]"), "5");
    assert.equal(val("[string(true())]"), "True");
    assert.equal(val("[string(createObject('a', createArray(1, 'b')))]"), '{"a":[1,"b"]}');
    assert.equal(val("[string(json('null'))]"), "");
  });

  it("if", () => {
    assert.equal(val("[if(true(), 'a', 'b')]"), "a");
    assert.equal(val("[if(equals(1, 2), 'a', 'b')]"), "b");
    // Only the chosen branch is evaluated.
    assert.equal(val("[if(true(), 'a', reference('x'))]"), "a");
    malformed("[if('yes', 'a', 'b')]");
    malformed("[if(true(), 'a')]");
  });

  it("equals / not / and / or", () => {
    assert.equal(val("[equals('a', 'a')]"), true);
    assert.equal(val("[equals('a', 'A')]"), false);
    assert.equal(val("[equals(1, '1')]"), false);
    assert.equal(val("[equals(createObject('a', 1, 'b', 2), createObject('b', 2, 'a', 1))]"), true);
    assert.equal(val("[equals(createArray(1, 2), createArray(2, 1))]"), false);
    assert.equal(val("[not(false())]"), true);
    assert.equal(val("[and(true(), true(), false())]"), false);
    assert.equal(val("[and(true(), true())]"), true);
    assert.equal(val("[or(false(), true())]"), true);
    assert.equal(val("[or(false(), false())]"), false);
    malformed("[not('true')]");
    malformed("[and(true(), 1)]");
  });

  it("empty / length", () => {
    assert.equal(val("[empty('')]"), true);
    assert.equal(val("[empty('a')]"), false);
    assert.equal(val("[empty(createArray())]"), true);
    assert.equal(val("[empty(createObject())]"), true);
    assert.equal(val("[empty(json('null'))]"), true);
    assert.equal(val("[length('abc')]"), 3);
    assert.equal(val("[length(createArray(1, 2))]"), 2);
    assert.equal(val("[length(createObject('a', 1))]"), 1);
    malformed("[length(1)]");
    malformed("[empty(1)]");
  });

  it("replace", () => {
    assert.equal(val("[replace('a-b-c', '-', '+-')]"), "a+-b+-c");
    assert.equal(val("[replace('aaa', 'A', 'b')]"), "aaa");
    malformed("[replace('a', '', 'b')]");
  });

  it("json / createArray / createObject / true / false / null", () => {
    assert.deepEqual(val(`[json('{"a": [1, true, null]}')]`), { a: [1, true, null] });
    assert.equal(val("[json('null')]"), null);
    malformed("[json('{')]");
    assert.deepEqual(val("[createArray(1, 'a', createArray())]"), [1, "a", []]);
    assert.deepEqual(val("[createObject('k', 'v', 'n', 1)]"), { k: "v", n: 1 });
    malformed("[createObject('k')]");
    malformed("[createObject(1, 2)]");
    assert.equal(val("[true()]"), true);
    assert.equal(val("[FALSE()]"), false);
    assert.equal(val("[null()]"), null);
    malformed("[true(1)]");
  });

  it("items: an object's members as key and value, by key", () => {
    assert.deepEqual(val("[items(createObject('web', createObject('v', '2.83'), 'app', 1))]"), [
      { key: "app", value: 1 },
      { key: "web", value: { v: "2.83" } },
    ]);
    assert.deepEqual(val("[items(createObject())]"), []);
    malformed("[items(createArray(1))]");
    // Bicep's `for x in items(obj)`: any element, read by an index known only at deployment
    const v = ev("[items(createObject('a', '2.83', 'b', '2.80'))[copyIndex()].value]");
    assert.deepEqual(v.kind === "choice" && v.values, ["2.83", "2.80"]);
  });

  it("shallowMerge: the objects' members in turn, a later one replacing an earlier one whole", () => {
    assert.deepEqual(val("[shallowMerge(createArray(createObject('a', createObject('x', 1), 'nodeName', 'web'), createObject('a', createObject('y', 2), 'NodeName', 'localhost')))]"), {
      a: { y: 2 },
      NodeName: "localhost",
    });
    malformed("[shallowMerge(createArray(1))]");
    malformed("[shallowMerge(createObject())]");
    // A name given again moves to the end, in its last spelling.
    const merged = val("[shallowMerge(createArray(createObject('a', 1, 'b', 2), createObject('c', 3), createObject('A', 4)))]") as Record<string, JsonValue>;
    assert.deepEqual(Object.entries(merged), [["b", 2], ["c", 3], ["A", 4]]);
  });

  it("json: each text parsed once per file, and an error names the function as written", () => {
    startParseCacheFile({});
    const first = `[json('{"v": [1]}').v]`;
    const second = `[json('{"v": [2]}').v]`;
    const parsed = val(first);
    assert.deepEqual([parsed, val(second), val(first), val(second)], [[1], [2], [1], [2]]);
    // Read again after another text, it is the value parsed the first time (one parse per text).
    assert.equal(val(first), parsed);
    // The cache holds about 8 million characters of text, the least recently used going first:
    // large texts read once each do not pile up (the first text is parsed anew).
    const large = (c: string, n: number) => `[json('["${c.repeat(n)}"]')]`;
    const secondValue = val(second);
    for (const c of "abc") assert.equal((val(large(c, 2_100_000)) as string[])[0]!.length, 2_100_000);
    // read again, the second text is the most recently used: it stays when the next one comes
    assert.equal(val(second), secondValue);
    val(large("d", 2_100_000));
    assert.notEqual(val(first), parsed);
    assert.deepEqual(val(first), [1]);
    // A text longer than the cache holds is kept alone, as the last one parsed.
    const huge = large("e", 8_500_000);
    assert.equal(val(huge), val(huge));
    assert.match((reason("[JSON('{')]") as { message: string }).message, /^JSON\(\)/);
    // and a message keeps that spelling; a sentence reads on in lower case
    assert.equal(reasonText(reason("[JSON('{')]") as UnknownReason), "the expression is malformed (JSON(): the argument is not valid JSON)");
    assert.equal(reasonText({ code: "malformed", message: "Unterminated string literal" }), "the expression is malformed (unterminated string literal)");
    assert.match((reason("[json('{')]") as { message: string }).message, /^json\(\)/);
  });

  it("createObject and json keep __proto__ as an own property", () => {
    const v = val("[createObject('__proto__', 1)]") as Record<string, JsonValue>;
    assert.ok(Object.hasOwn(v, "__proto__"));
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
  });

  it("tryGet", () => {
    assert.equal(val("[tryGet(createObject('Version', '2.83'), 'version')]"), "2.83");
    assert.equal(val("[tryGet(createObject('a', 1), 'b')]"), null);
    assert.equal(val("[tryGet(createArray('x', 'y'), 1)]"), "y");
    assert.equal(val("[tryGet(createArray('x'), 5)]"), null);
    assert.equal(val("[tryGet(createObject('a', createObject('b', 'deep')), 'a', 'b')]"), "deep");
    assert.equal(val("[tryGet(createObject('a', null()), 'a', 'b')]"), null);
    assert.equal(val("[coalesce(tryGet(json('{}'), 'typeHandlerVersion'), '2.77')]"), "2.77");
    malformed("[tryGet('text', 'a')]");
    malformed("[tryGet(createArray(1), 'a')]");
  });

  it("coalesce", () => {
    assert.equal(val("[coalesce(json('null'), 'a', reference('x'))]"), "a");
    assert.equal(val("[coalesce(null(), null())]"), null);
    assert.deepEqual(reason("[coalesce(reference('x'), 'a')]"), { code: "runtimeFunction", name: "reference" });
  });

  it("string search functions", () => {
    assert.equal(val("[startsWith('Hello', 'he')]"), true);
    assert.equal(val("[endsWith('Hello', 'LO')]"), true);
    assert.equal(val("[endsWith('Hello', 'x')]"), false);
    assert.equal(val("[contains('Hello', 'ell')]"), true);
    assert.equal(val("[contains('Hello', 'ELL')]"), false);
    assert.equal(val("[contains(createArray(1, 'a'), 'a')]"), true);
    assert.equal(val("[contains(createArray(1, 'a'), 2)]"), false);
    assert.equal(val("[contains(createObject('Key', 1), 'key')]"), true);
    assert.equal(val("[indexOf('abcABC', 'B')]"), 1);
    assert.equal(val("[lastIndexOf('abcABC', 'b')]"), 4);
    assert.equal(val("[indexOf('abc', 'x')]"), -1);
  });

  it("substring / split / first / last / skip / take / join / padLeft", () => {
    assert.equal(val("[substring('hello', 1, 3)]"), "ell");
    assert.equal(val("[substring('hello', 2)]"), "llo");
    malformed("[substring('hello', 4, 3)]");
    assert.deepEqual(val("[split('a,b;c', createArray(',', ';'))]"), ["a", "b", "c"]);
    assert.deepEqual(val("[split('a--b', '-')]"), ["a", "", "b"]);
    assert.deepEqual(val("[split('abc', '')]"), ["abc"]);
    assert.equal(val("[first(createArray('x', 'y'))]"), "x");
    assert.equal(val("[last(createArray('x', 'y'))]"), "y");
    assert.equal(val("[first('abc')]"), "a");
    assert.equal(val("[last('abc')]"), "c");
    assert.deepEqual(val("[skip(createArray(1, 2, 3), 2)]"), [3]);
    assert.equal(val("[take('abc', 2)]"), "ab");
    assert.equal(val("[join(createArray('a', 'b'), '/')]"), "a/b");
    assert.equal(val("[padLeft('7', 3, '0')]"), "007");
    assert.equal(val("[padLeft(7, 2)]"), " 7");
  });

  it("arithmetic and conversions", () => {
    assert.equal(val("[add(1, 2)]"), 3);
    assert.equal(val("[sub(1, 2)]"), -1);
    assert.equal(val("[mul(3, 4)]"), 12);
    assert.equal(val("[div(7, 2)]"), 3);
    assert.equal(val("[div(-7, 2)]"), -3);
    assert.equal(val("[mod(7, 3)]"), 1);
    malformed("[div(1, 0)]");
    malformed("[add('1', 2)]");
    assert.equal(val("[int('42')]"), 42);
    assert.equal(val("[int('-3')]"), -3);
    malformed("[int('4.5')]");
    assert.equal(val("[bool('TRUE')]"), true);
    assert.equal(val("[bool(0)]"), false);
    malformed("[bool('yes')]");
    assert.equal(val("[greater(2, 1)]"), true);
    assert.equal(val("[lessOrEquals(2, 2)]"), true);
    assert.equal(val("[less(2, 2)]"), false);
    assert.equal(val("[greaterOrEquals(1, 2)]"), false);
    assert.deepEqual(reason("[greater('a', 'B')]"), { code: "unsupported", name: "greater" });
    assert.equal(val("[min(3, 1, 2)]"), 1);
    assert.equal(val("[max(createArray(3, 1, 2))]"), 3);
    assert.deepEqual(val("[range(5, 3)]"), [5, 6, 7]);
    assert.deepEqual(val("[array('a')]"), ["a"]);
  });

  it("union / base64", () => {
    assert.deepEqual(val("[union(createArray(1, 2), createArray(2, 3))]"), [1, 2, 3]);
    assert.deepEqual(val("[union(createObject('a', 1), createObject('b', 2, 'a', 3))]"), { a: 3, b: 2 });
    // nested objects merge recursively, arrays do not, and names match in any case
    assert.deepEqual(val("[union(createObject('a', createObject('x', 1, 'y', 2)), createObject('A', createObject('y', 3)))]"), { a: { x: 1, y: 3 } });
    assert.deepEqual(val("[union(createObject('l', createArray(1)), createObject('l', createArray(2)))]"), { l: [2] });
    // three objects into one member, two levels deep; a later non-object replaces, and a later object then starts afresh
    assert.deepEqual(
      val(
        "[union(createObject('a', createObject('b', createObject('x', 1))), createObject('A', createObject('B', createObject('y', 2), 'c', 3)), createObject('a', createObject('b', createObject('x', 4, 'z', 5))))]",
      ),
      { a: { b: { x: 4, y: 2, z: 5 }, c: 3 } },
    );
    assert.deepEqual(val("[union(createObject('a', createObject('x', 1)), createObject('a', 2), createObject('A', createObject('y', 3)), createObject('a', createObject('z', 4)))]"), {
      a: { y: 3, z: 4 },
    });
    assert.equal(val("[base64('hi')]"), "aGk=");
    // member reads match names in any case, in small and in wide objects, and json() read twice gives one value
    const wide = JSON.stringify(Object.fromEntries([...Array.from({ length: 20 }, (_, i) => [`Key${i}`, i]), ["key7", 70]]));
    const read = (member: string) => val(`[json('${wide}').${member}]`);
    assert.equal(read("KEY3"), 3);
    assert.equal(read("key7"), 70);
    assert.equal(read("KEY7"), 7);
    assert.equal(val("[json('{\"Small\": 1}').SMALL]"), 1);
    assert.equal(val("[add(json('{\"A\": 2}').a, json('{\"A\": 2}').A)]"), 4);
    assert.equal(val("[base64ToString('aGk=')]"), "hi");
  });

  it("reports wrong argument counts as malformed", () => {
    malformed("[toLower('a', 'b')]");
    malformed("[uri('a')]");
    malformed("[parameters()]");
  });

  it("member and index access", () => {
    assert.equal(val("[createObject('Outer', createObject('Inner', 5)).outer.INNER]"), 5);
    assert.equal(val("[createArray('a', 'b')[1]]"), "b");
    assert.equal(val("[createObject('k', 1)['K']]"), 1);
    assert.equal(val(`[json('{"keys":[{"value":"v"}]}').keys[0].value]`), "v");
    malformed("[createArray('a')[1]]");
    malformed("[createArray('a')['x']]");
    malformed("[createObject('a', 1).b]");
    malformed("['str'.length]");
  });

  it("runtime functions are unknown but keep provenance", () => {
    const scope = new TestScope(`{
      "parameters": { "sas": { "type": "secureString" }, "loc": { "type": "string", "defaultValue": "[resourceGroup().location]" } }
    }`);
    const v = ev("[concat(reference('st').primaryEndpoints.blob, 'c/x.zip', parameters('sas'))]", scope);
    assert.equal(v.kind, "unknown");
    assert.deepEqual(v.kind === "unknown" && v.reason, { code: "runtimeFunction", name: "reference" });
    assert.deepEqual(v.prov.parameters, ["sas"]);
    assert.deepEqual(v.prov.functions, ["concat", "reference"]);
    assert.deepEqual(v.prov.literals, ["st", "c/x.zip"]);
    for (const fn of ["resourceGroup().id", "subscription().subscriptionId", "deployment().name", "environment().name", "copyIndex()", "newGuid()", "utcNow()", "uniqueString('a')", "resourceId('t', 'n')", "listKeys('x', '1').keys"]) {
      const r = ev(`[${fn}]`) as { kind: string; reason: { code: string } };
      assert.equal(r.kind, "unknown", fn);
      assert.equal(r.reason.code, "runtimeFunction", fn);
    }
    const user = ev("[contoso.Fn(parameters('sas'))]", scope);
    assert.deepEqual(user.kind === "unknown" && user.reason, { code: "runtimeFunction", name: "contoso.Fn" });
    assert.deepEqual(user.prov.functions, ["contoso.fn"]);
    assert.deepEqual(user.prov.parameters, ["sas"]);
    const loc = ev("[parameters('LOC')]", scope);
    assert.deepEqual(loc.kind === "unknown" && loc.reason, { code: "runtimeFunction", name: "resourceGroup" });
    assert.deepEqual(loc.prov.parameters, ["loc"]);
    assert.deepEqual(loc.prov.functions, ["resourcegroup"]);
  });
});

describe("parameters", () => {
  const template = `{
    "parameters": {
      "Plain": { "type": "string", "defaultValue": "x" },
      "noDefault": { "type": "secureString" },
      "version": { "type": "string", "defaultValue": "2.77", "allowedValues": ["2.77", "2.83", "2.77"] },
      "single": { "type": "string", "defaultValue": "a", "allowedValues": ["a"] },
      "computed": { "type": "string", "defaultValue": "[concat(parameters('plain'), '-', variables('suffix'))]" },
      "arr": { "type": "array", "defaultValue": ["a"], "allowedValues": ["a", "b"] },
      "selfRef": { "type": "string", "defaultValue": "[parameters('selfRef')]" }
    },
    "variables": { "suffix": "sfx" }
  }`;

  it("uses the default value", () => {
    const scope = new TestScope(template);
    const v = ev("[parameters('plain')]", scope);
    assert.deepEqual(v, knownValue("x", { parameters: ["Plain"], variables: [], functions: [], literals: ["x"], inputs: [] }));
    assert.equal(val("[PARAMETERS('PLAIN')]", scope), "x");
  });

  it("evaluates expression defaults in the scope", () => {
    const scope = new TestScope(template);
    const v = ev("[parameters('computed')]", scope);
    assert.equal(v.kind === "known" && v.value, "x-sfx");
    assert.deepEqual(v.prov.parameters, ["computed", "Plain"]);
    assert.deepEqual(v.prov.variables, ["suffix"]);
    assert.deepEqual(v.prov.functions, ["concat"]);
    assert.deepEqual(v.prov.literals, ["x", "-", "sfx"]);
  });

  it("parameter without default is unknown but in provenance", () => {
    const scope = new TestScope(template);
    const v = ev("[concat('?', parameters('NODEFAULT'))]", scope);
    assert.deepEqual(v, {
      kind: "unknown",
      reason: { code: "parameterWithoutDefault", name: "noDefault" },
      prov: { parameters: ["noDefault"], variables: [], functions: ["concat"], literals: ["?"], inputs: [] },
    });
    assert.equal(describeValue(ev("[parameters('noDefault')]", scope)), "unknown (parameter 'noDefault' has no default value)");
  });

  it("undeclared parameter", () => {
    const scope = new TestScope(template);
    assert.deepEqual(reason("[parameters('nope')]", scope), { code: "missingParameter", name: "nope" });
  });

  it("allowedValues give a deduplicated choice", () => {
    const scope = new TestScope(template);
    const v = ev("[parameters('version')]", scope);
    assert.equal(v.kind, "choice");
    assert.deepEqual(v.kind === "choice" && v.values, ["2.77", "2.83"]);
    assert.deepEqual(v.prov.parameters, ["version"]);
    assert.equal(describeValue(v), 'one of "2.77", "2.83"');
    assert.deepEqual(ev("[parameters('single')]", scope).kind, "known");
    // array parameters: allowedValues constrain elements, so the default is used
    assert.deepEqual(val("[parameters('arr')]", scope), ["a"]);
  });

  it("choices flow through string functions", () => {
    const scope = new TestScope(template);
    const v = ev("[concat('v', toUpper(parameters('version')))]", scope);
    assert.deepEqual(v.kind === "choice" && v.values, ["v2.77", "v2.83"]);
    const e = ev("[equals(parameters('version'), '2.83')]", scope);
    assert.deepEqual(e.kind === "choice" && e.values, [false, true]);
    const pick = ev("[if(equals(parameters('version'), '2.83'), 'new', 'old')]", scope);
    assert.deepEqual(pick.kind === "choice" && pick.values, ["new", "old"]);
    assert.deepEqual(pick.prov.parameters, ["version"]);
  });

  it("too many combinations are tooComplex", () => {
    const allowed = JSON.stringify(Array.from({ length: 10 }, (_, i) => `v${i}`));
    const scope = new TestScope(`{"parameters": {"p": {"type": "string", "allowedValues": ${allowed}}}}`);
    assert.equal(ev("[parameters('p')]", scope).kind, "choice");
    assert.deepEqual(reason("[concat(parameters('p'), '-', parameters('p'))]", scope), { code: "tooComplex" });
    const three = new TestScope(`{"parameters": {"p": {"type": "string", "allowedValues": ["a", "b", "c"]}}}`);
    const v = ev("[concat(parameters('p'), parameters('p'))]", three);
    assert.equal(v.kind === "choice" && v.values.length, 9);
  });

  it("parameter cycle", () => {
    const scope = new TestScope(template);
    assert.deepEqual(reason("[parameters('selfRef')]", scope), { code: "cycle", name: "selfRef" });
  });

  it("supplied values win over defaults and allowedValues, evaluated in their own scope", () => {
    const outer = new TestScope(`{"parameters": {"o": {"type": "string", "defaultValue": "outerValue"}}, "variables": {"v": "[concat(parameters('o'), '!')]"}}`);
    const inner = new TestScope(template);
    inner.supply("plain", `"[variables('v')]"`, outer).supply("version", `"9.9"`, outer);
    const v = ev("[parameters('plain')]", inner);
    assert.equal(v.kind === "known" && v.value, "outerValue!");
    assert.deepEqual(v.prov.parameters, ["Plain", "o"]);
    assert.deepEqual(v.prov.variables, ["v"]);
    assert.equal(val("[parameters('version')]", inner), "9.9");
  });
});

describe("variables", () => {
  const template = `{
    "parameters": { "sas": { "type": "secureString" }, "name": { "type": "string", "defaultValue": "vm" } },
    "variables": {
      "Base": "https://example.com/dsc/",
      "zip": "[concat(variables('base'), parameters('name'), '.zip')]",
      "url": "[concat(variables('ZIP'), parameters('sas'))]",
      "obj": { "a": "[variables('zip')]", "list": [1, "[parameters('name')]", true, null] },
      "pick": "[variables('obj').list[1]]",
      "a": "[variables('b')]",
      "b": "[concat('x', variables('a'))]",
      "self": "[variables('self')]",
      "loop": { "copy": [ { "name": "disks", "count": 2, "input": "[copyIndex('disks')]" } ] },
      "missing": "[variables('doesNotExist')]"
    }
  }`;

  it("evaluates nested variables with provenance", () => {
    const scope = new TestScope(template);
    const v = ev("[variables('zip')]", scope);
    assert.deepEqual(v, {
      kind: "known",
      value: "https://example.com/dsc/vm.zip",
      prov: {
        parameters: ["name"],
        variables: ["zip", "Base"],
        functions: ["concat"],
        literals: ["https://example.com/dsc/", "vm", ".zip"],
        inputs: [],
      },
    });
  });

  it("keeps taint through unknown values", () => {
    const scope = new TestScope(template);
    const v = ev("[variables('url')]", scope);
    assert.equal(v.kind, "unknown");
    assert.deepEqual(v.prov.parameters, ["name", "sas"]);
    assert.deepEqual(v.prov.variables, ["url", "zip", "Base"]);
  });

  it("evaluates objects and arrays member-wise", () => {
    const scope = new TestScope(template);
    assert.deepEqual(val("[variables('obj')]", scope), { a: "https://example.com/dsc/vm.zip", list: [1, "vm", true, null] });
    assert.equal(val("[variables('pick')]", scope), "vm");
  });

  it("detects cycles", () => {
    const scope = new TestScope(template);
    const v = ev("[variables('a')]", scope);
    assert.equal(v.kind === "unknown" && v.reason.code, "cycle");
    assert.deepEqual(reason("[variables('self')]", scope), { code: "cycle", name: "self" });
    // a second evaluation gives the same answer (no stale cache)
    assert.equal(ev("[variables('b')]", scope).kind, "unknown");
  });

  it("keeps taint in cyclic variables whatever the evaluation order", () => {
    const t = `{"parameters": {"sas": {"type": "secureString"}}, "variables": {
      "a": "[concat(parameters('sas'), variables('b'))]", "b": "[variables('a')]", "c": "[variables('b')]" }}`;
    const scope = new TestScope(t);
    assert.deepEqual(ev("[variables('a')]", scope).prov.parameters, ["sas"]);
    assert.deepEqual(ev("[variables('b')]", scope).prov.parameters, ["sas"]);
    assert.deepEqual(ev("[variables('c')]", scope).prov.parameters, ["sas"]);
  });

  it("copy variables are unknown", () => {
    const scope = new TestScope(template);
    const v = ev("[variables('loop')]", scope);
    assert.deepEqual(v.kind === "unknown" && v.reason, { code: "unsupported", name: "copy" });
    assert.deepEqual(v.prov.functions, ["copyindex"]);
  });

  it("missing variables", () => {
    const scope = new TestScope(template);
    assert.deepEqual(reason("[variables('missing')]", scope), { code: "missingVariable", name: "doesNotExist" });
    assert.deepEqual(reason("[variables('nothing')]", scope), { code: "missingVariable", name: "nothing" });
  });

  it("a variable that the variables' copy section builds is declared, though not evaluated", () => {
    const scope = new TemplateScope(jsonNode(`{ "variables": { "copy": [{ "name": "vers", "count": 2, "input": "2.83" }] } }`) as AST.JSONObjectExpression);
    assert.deepEqual(reason("[variables('vers')]", scope), { code: "copyVariable", name: "vers" });
    assert.equal(describeValue(ev("[variables('vers')]", scope)), "unknown (variable 'vers' is built by a copy loop)");
  });

  it("memoizes per scope", () => {
    const scope = new TestScope(template);
    ev("[variables('url')]", scope);
    const lookups = scope.lookups;
    ev("[variables('url')]", scope);
    assert.equal(scope.lookups, lookups + 1); // only the top-level lookup, served from the cache
    assert.ok(scope.cache.size > 0);
  });

  it("variable names computed by expressions", () => {
    const scope = new TestScope(template);
    assert.equal(val("[variables(concat('ba', 'se'))]", scope), "https://example.com/dsc/");
  });
});

describe("provenance lists", () => {
  const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const quoted = (items: string[]): string => items.map((x) => `'${x}'`).join(", ");

  it("keeps each literal once, in first-seen order, past the length where a list starts a Set", () => {
    const twenty = names("l", 20);
    const v = ev(`[concat(${quoted([...twenty, ...twenty.slice().reverse()])})]`);
    assert.deepEqual(v.prov.literals, twenty);
  });

  it("caps literals at 64 and names at 256", () => {
    assert.deepEqual(ev(`[concat(${quoted(names("l", 70))})]`).prov.literals, names("l", 64));
    const decls = names("p", 300).map((n) => `"${n}": { "type": "string", "defaultValue": "" }`);
    const scope = new TestScope(`{ "parameters": { ${decls.join(", ")} } }`);
    const reads = names("p", 300).map((n) => `parameters('${n}')`);
    assert.deepEqual(ev(`[concat(${reads.join(", ")}, ${reads.slice(0, 20).join(", ")})]`, scope).prov.parameters, names("p", 256));
  });

  it("merges names that two arguments share only once", () => {
    const decls = names("p", 18).map((n) => `"${n}": { "type": "string", "defaultValue": "x" }`);
    const scope = new TestScope(`{ "parameters": { ${decls.join(", ")} }, "variables": {
      "a": "[concat(${names("p", 18).map((n) => `parameters('${n}')`).join(", ")})]",
      "b": "[concat(parameters('p17'), parameters('p0'), 'y')]" } }`);
    const v = ev("[concat(variables('a'), variables('b'), variables('a'))]", scope);
    assert.deepEqual(v.prov.parameters, names("p", 18));
    assert.deepEqual(v.prov.variables, ["a", "b"]);
    assert.deepEqual(v.prov.literals, ["x", "y"]);
  });
});

describe("evaluateNode / evaluateExpr", () => {
  it("evaluates JSON values member-wise", () => {
    const scope = new TestScope(`{"parameters": {"p": {"type": "string", "allowedValues": ["x", "y"]}}}`);
    const v = evaluateNode(jsonNode(`{"a": "[parameters('p')]", "b": [1, -2, "[[lit]"], "c": null, "d": false}`), scope);
    assert.equal(v.kind, "choice");
    assert.deepEqual(v.kind === "choice" && v.values, [
      { a: "x", b: [1, -2, "[lit]"], c: null, d: false },
      { a: "y", b: [1, -2, "[lit]"], c: null, d: false },
    ]);
    assert.deepEqual(v.prov.literals, ["x", "y", "[lit]"]);
  });

  it("an unknown member makes the object unknown but keeps provenance", () => {
    const scope = new TestScope(`{"parameters": {"p": {"type": "string"}}}`);
    const v = evaluateNode(jsonNode(`{"a": "lit", "b": "[parameters('p')]"}`), scope);
    assert.equal(v.kind, "unknown");
    assert.deepEqual(v.prov.parameters, ["p"]);
    assert.deepEqual(v.prov.literals, ["lit"]);
  });

  it("evaluateExpr evaluates a parsed expression", () => {
    const p = parseTemplateString("[concat('a', 'b')]");
    assert.equal(p.kind, "expression");
    if (p.kind !== "expression") return;
    const v = evaluateExpr(p.expr, empty);
    assert.deepEqual(v, knownValue("ab", { parameters: [], variables: [], functions: ["concat"], literals: ["a", "b"], inputs: [] }));
  });
});

describe("robustness", () => {
  it("a scope that throws does not make evaluation throw", () => {
    const scope = new TestScope();
    scope.parameter = () => {
      throw new Error("boom");
    };
    const v = evaluateString("[parameters('x')]", scope);
    assert.equal(v.kind === "unknown" && v.reason.code, "malformed");
    // the next evaluation starts afresh
    assert.equal(val("[concat('a')]"), "a");
  });

  it("malformed messages carry the offset", () => {
    const r = reason("[concat('a',)]") as { code: string; message: string };
    assert.equal(r.code, "malformed");
    assert.match(r.message, /offset 12/);
  });
});

describe("describeValue", () => {
  it("describes values", () => {
    assert.equal(describeValue(ev("2.77")), '"2.77"');
    assert.equal(describeValue(ev("[createArray(1, 'a')]")), '[1,"a"]');
    assert.equal(describeValue(ev("[reference('x')]")), "unknown (reference() is only known at deployment time)");
    assert.equal(describeValue(ev("[variables('x')]")), "unknown (variable 'x' is not declared)");
    assert.ok(describeValue(ev("x".repeat(1000))).length < 100);
  });
});

describe("written members", () => {
  const template = `{
    "parameters": {
      "sas": { "type": "secureString" },
      "settings": { "type": "object", "defaultValue": { "version": "2.9", "id": "[newGuid()]" } },
      "size": { "type": "object", "defaultValue": { "v": "small" }, "allowedValues": [{ "v": "small" }, { "v": "large" }] }
    },
    "variables": {
      "cfg": { "Version": "2.83", "token": "[parameters('sas')]", "list": ["[parameters('sas')]", "vm1"] },
      "m": { "x": "[variables('m').x]" },
      "plain": { "a": 1 },
      "exprs": { "version": "[toLower('2.9')]", "enabled": "[false()]", "alias": "[variables('cfg').Version]", "where": "[resourceGroup().location]" }
    }
  }`;

  it("reads a written member alone, so an unknown sibling does not make it unknown", () => {
    const scope = new TestScope(template);
    assert.deepEqual(ev("[variables('cfg').version]", scope), knownValue("2.83", { parameters: [], variables: ["cfg"], functions: [], literals: ["2.83"], inputs: [] }));
    assert.equal(val("[variables('cfg').list[1]]", scope), "vm1");
    assert.equal(val("[variables('cfg')['list'][1]]", scope), "vm1");
    // the whole value is still unknown, and so is the member that holds the unknown part
    assert.equal(ev("[variables('cfg')]", scope).kind, "unknown");
    assert.deepEqual(ev("[variables('cfg').token]", scope).prov.parameters, ["sas"]);
  });

  it("reads a member written as an expression alone, beside a sibling known only at deployment", () => {
    const scope = new TestScope(template);
    assert.deepEqual(ev("[variables('exprs').version]", scope), knownValue("2.9", { parameters: [], variables: ["exprs"], functions: ["tolower"], literals: ["2.9"], inputs: [] }));
    assert.equal(val("[variables('exprs').enabled]", scope), false);
    // an expression that leads to JSON is still followed there
    assert.deepEqual(ev("[variables('exprs').alias]", scope).prov.variables, ["exprs", "cfg"]);
    assert.equal(val("[variables('exprs').alias]", scope), "2.83");
    assert.deepEqual(reason("[variables('exprs').where]", scope), { code: "runtimeFunction", name: "resourceGroup" });
  });

  it("reads a member of an object built by createObject() alone", () => {
    assert.equal(val("[createObject('v', '2.9', 'where', resourceGroup().location).v]"), "2.9");
    assert.equal(val("[createObject('a', createObject('b', createArray(1, 2)), 'id', newGuid()).A.b[1]]"), 2);
    assert.equal(val("[createObject('v', '2.9', 'where', resourceGroup().location)['V']]"), "2.9");
    // the member that holds the unknown part stays unknown, and a missing one is still an error
    assert.deepEqual(reason("[createObject('v', '2.9', 'where', resourceGroup().location).where]"), { code: "runtimeFunction", name: "resourceGroup" });
    assert.equal(ev("[createObject('v', '2.9', 'where', resourceGroup().location).missing]").kind, "unknown");
  });

  it("reads a member of an object a variable builds, or Bicep merges, alone", () => {
    const scope = new TestScope(`{
      "parameters": { "sas": { "type": "secureString" }, "flag": { "type": "bool" } },
      "variables": {
        "base": { "configuration": { "url": "https://h/x.zip" } },
        "built": "[createObject('version', '2.83', 'token', parameters('sas'))]",
        "merged": "[union(createObject('version', '2.83'), createObject('token', parameters('sas')))]",
        "spread": "[shallowMerge(createArray(variables('base'), createObject('nodeName', 'localhost', 'token', parameters('sas'))))]",
        "deep": "[union(createObject('a', createObject('b', 1)), createObject('a', createObject('c', 2)))]",
        "opaque": "[union(parameters('sas'), createObject('version', '2.83'))]",
        "chosen": "[if(parameters('flag'), createObject('v', '2.83', 'token', parameters('sas')), createObject())]"
      }
    }`);
    assert.deepEqual(ev("[variables('built').version]", scope), knownValue("2.83", { parameters: [], variables: ["built"], functions: [], literals: ["2.83"], inputs: [] }));
    assert.equal(val("[tryGet(variables('built'), 'version')]", scope), "2.83");
    assert.equal(val("[variables('merged').version]", scope), "2.83");
    assert.equal(val("[variables('spread').nodeName]", scope), "localhost");
    assert.equal(val("[variables('spread').configuration.url]", scope), "https://h/x.zip");
    assert.deepEqual(ev("[variables('built').token]", scope).prov.parameters, ["sas"]);
    // tryGet() of a built object: the member alone, or null where a createObject lacks it
    assert.equal(val("[tryGet(createObject('v', '2.83', 'token', parameters('sas')), 'v')]", scope), "2.83");
    assert.equal(val("[tryGet(createObject('token', parameters('sas')), 'v')]", scope), null);
    // a read of a value chosen by if() is the same read on each branch (Bicep's `cond ? {...} : {}`)
    const picked = ev("[coalesce(tryGet(variables('chosen'), 'v'), '2.80')]", scope);
    assert.deepEqual(picked.kind === "choice" && [...picked.values].sort(), ["2.80", "2.83"]);
    // union merges nested objects: a deeper read of a key both have is the whole value's
    assert.equal(ev("[variables('deep').a.b]", scope).kind, "known");
    // an object of unknown keys in a merge may hold the member too
    assert.equal(ev("[variables('opaque').version]", scope).kind, "unknown");
  });

  it("reads a member of a parameter's default, naming the parameter", () => {
    const scope = new TestScope(template);
    const v = ev("[parameters('settings').version]", scope);
    assert.equal(v.kind === "known" && v.value, "2.9");
    assert.deepEqual(v.prov.parameters, ["settings"]);
  });

  it("falls back to the whole value where no member is written", () => {
    const scope = new TestScope(template);
    malformed("[variables('plain').missing]", scope);
    // a parameter limited to allowedValues may take any of them
    const size = ev("[parameters('size').v]", scope);
    assert.deepEqual(size.kind === "choice" && size.values, ["small", "large"]);
  });

  it("detects a member that reads itself", () => {
    const scope = new TestScope(template);
    assert.deepEqual(reason("[variables('m').x]", scope), { code: "cycle", name: "m" });
  });
});

describe("tryGet over written values", () => {
  // The shape Bicep compiles `cfg.?settings` and AVM modules' `extensionDSCConfig` to.
  const template = `{
    "parameters": {
      "key": { "type": "secureString" },
      "cfg": {
        "type": "object",
        "defaultValue": {
          "settings": { "configurationArguments": { "nodeName": "localhost" } },
          "protectedSettings": { "configurationArguments": { "RegistrationKey": "[parameters('key')]" } },
          "nothing": null,
          "list": ["a"]
        }
      }
    },
    "variables": {
      "looped": { "copy": [{ "name": "disks", "count": 2, "input": "[copyIndex('disks')]" }], "token": "[parameters('key')]" }
    }
  }`;

  it("reads the member alone, so an unknown sibling does not make it unknown", () => {
    const scope = new TestScope(template);
    assert.deepEqual(ev("[tryGet(parameters('cfg'), 'settings', 'configurationArguments', 'nodeName')]", scope), knownValue("localhost", { parameters: ["cfg"], variables: [], functions: [], literals: ["localhost"], inputs: [] }));
    assert.deepEqual(val("[coalesce(tryGet(parameters('cfg'), 'settings'), createObject())]", scope), {
      configurationArguments: { nodeName: "localhost" },
    });
    assert.equal(val("[tryGet(parameters('cfg'), 'list', 0)]", scope), "a");
    assert.equal(ev("[parameters('cfg')]", scope).kind, "unknown");
  });

  it("reads a key that the written value lacks as null, as ARM does", () => {
    const scope = new TestScope(template);
    assert.deepEqual(ev("[tryGet(parameters('cfg'), 'typeHandlerVersion')]", scope), knownValue(null, { parameters: ["cfg"], variables: [], functions: [], literals: [], inputs: [] }));
    assert.equal(val("[coalesce(tryGet(parameters('cfg'), 'typeHandlerVersion'), '2.77')]", scope), "2.77");
    assert.equal(val("[tryGet(parameters('cfg'), 'nothing', 'deeper')]", scope), null);
    assert.equal(val("[tryGet(parameters('cfg'), 'list', 5)]", scope), null);
    assert.equal(val("[tryGet(tryGet(parameters('cfg'), 'missing'), 'deeper')]", scope), null);
  });

  it("leaves a missing member read with '.' after tryGet, and a property copy loop, to the whole value", () => {
    const scope = new TestScope(template);
    // null.deeper is an error at deployment; the whole value is unknown here, so the read is too
    assert.equal(ev("[tryGet(parameters('cfg'), 'missing').deeper]", scope).kind, "unknown");
    // a copy loop adds members, so a key it may add is not known to be missing
    assert.equal(ev("[tryGet(variables('looped'), 'disks')]", scope).kind, "unknown");
  });
});

describe("members and shapes of values passed on", () => {
  // A module's caller passes one object through a variable; one member is known only at deployment.
  const outer = `{
    "parameters": { "password": { "type": "secureString" } },
    "variables": {
      "dsc": { "typeHandlerVersion": "2.83", "autoUpgradeMinorVersion": false, "settings": { "password": "[parameters('password')]" } },
      "list": ["[parameters('password')]", "b"]
    }
  }`;
  const inner = `{ "parameters": { "cfg": { "type": "object" }, "viaExpr": { "type": "object" }, "items": { "type": "array" } } }`;

  /** The inner scope, with `cfg` passed as "[variables('dsc')]", `viaExpr` as createObject's value, and `items` as the list. */
  function scopes(): TestScope {
    const outerScope = new TestScope(outer);
    const innerScope = new TestScope(inner).supply("cfg", `"[variables('dsc')]"`, outerScope).supply("items", `"[variables('list')]"`, outerScope);
    const parsed = parseExpression("variables('dsc')");
    assert.ok("expr" in parsed);
    innerScope.params.get("viaexpr")!.supplied = { expr: parsed.expr, scope: outerScope };
    return innerScope;
  }

  it("reads a member where it is written, through the caller's variable", () => {
    const scope = scopes();
    // the caller's variable flows in too
    assert.deepEqual(ev("[parameters('cfg').typeHandlerVersion]", scope), knownValue("2.83", { parameters: ["cfg"], variables: ["dsc"], functions: [], literals: ["2.83"], inputs: [] }));
    assert.equal(val("[tryGet(parameters('viaExpr'), 'autoUpgradeMinorVersion')]", scope), false);
    assert.equal(val("[coalesce(tryGet(parameters('viaExpr'), 'enableAutomaticUpgrade'), true())]", scope), true);
    assert.equal(ev("[parameters('cfg').settings]", scope).kind, "unknown");
  });

  it("answers contains(), empty() and length() from the written keys and elements", () => {
    const scope = scopes();
    assert.equal(val("[contains(parameters('cfg'), 'TypeHandlerVersion')]", scope), true);
    assert.equal(val("[contains(parameters('viaExpr'), 'protectedSettings')]", scope), false);
    assert.equal(val("[if(contains(parameters('cfg'), 'autoUpgradeMinorVersion'), parameters('cfg').autoUpgradeMinorVersion, true())]", scope), false);
    assert.equal(val("[empty(parameters('cfg'))]", scope), false);
    assert.equal(val("[length(parameters('cfg'))]", scope), 3);
    assert.equal(val("[length(parameters('items'))]", scope), 2);
    assert.equal(val("[empty(parameters('items'))]", scope), false);
    // an element's value is needed here, and it is not known
    assert.equal(ev("[contains(parameters('items'), 'b')]", scope).kind, "unknown");
    assert.equal(ev("[contains(parameters('cfg'), parameters('password'))]", new TestScope(outer)).kind, "unknown");
  });
});

describe("an index known only at deployment", () => {
  const template = `{
    "parameters": { "size": { "type": "string" } },
    "variables": { "versions": ["2.83", "2.9", "2.83"], "bySize": { "small": "2.77", "large": "2.83" }, "none": [] }
  }`;

  it("reads one of the elements of a known array or object", () => {
    const scope = new TestScope(template);
    assert.deepEqual(ev("[variables('versions')[copyIndex()]]", scope), {
      kind: "choice",
      values: ["2.83", "2.9"],
      prov: { parameters: [], variables: ["versions"], functions: ["copyindex"], literals: ["2.83", "2.9"], inputs: [] },
    });
    const bySize = ev("[variables('bySize')[parameters('size')]]", scope);
    assert.deepEqual(bySize.kind === "choice" && bySize.values, ["2.77", "2.83"]);
  });

  it("keeps the reason where there is nothing to choose from, or the index is wrong", () => {
    const scope = new TestScope(template);
    assert.deepEqual(reason("[variables('none')[copyIndex()]]", scope), { code: "runtimeFunction", name: "copyIndex" });
    assert.deepEqual(reason("[variables('versions')[variables('missing')]]", scope), { code: "missingVariable", name: "missing" });
    assert.deepEqual(reason("[reference('x').list[copyIndex()]]", scope), { code: "runtimeFunction", name: "reference" });
  });
});

describe("alternatives that fail", () => {
  const template = `{
    "parameters": { "enable": { "type": "bool" } },
    "variables": {
      "dsc": { "typeHandlerVersion": "2.83" },
      "cfg": "[if(parameters('enable'), variables('dsc'), createObject('enabled', false()))]"
    }
  }`;

  it("leaves out a branch or combination that fails, as ARM evaluates only the one taken", () => {
    const scope = new TestScope(template);
    // the guard of older modules: the member is read only where contains() says it exists
    assert.deepEqual(
      possible(ev("[if(contains(variables('cfg'), 'typeHandlerVersion'), variables('cfg').typeHandlerVersion, '2.77')]", scope)),
      ["2.83", "2.77"],
    );
    assert.equal(val("[variables('cfg').typeHandlerVersion]", scope), "2.83");
    assert.equal(val("[if(parameters('enable'), variables('dsc').missing, 'b')]", scope), "b");
  });

  it("keeps the failure when every alternative fails", () => {
    const scope = new TestScope(template);
    assert.deepEqual(reason("[variables('cfg').missing]", scope), { code: "malformed", message: "property 'missing' does not exist" });
    assert.deepEqual(reason("[if(parameters('enable'), variables('dsc').a, variables('dsc').b)]", scope), {
      code: "malformed",
      message: "property 'a' does not exist",
    });
  });
});

/** The values a value may take. */
function possible(value: Value): unknown {
  return value.kind === "known" ? [value.value] : value.kind === "choice" ? value.values : value.reason;
}

describe("lambdas", () => {
  const scope = new TestScope(`{
    "parameters": { "names": { "type": "array", "defaultValue": ["Web", "Sql"] }, "free": { "type": "array" } },
    "variables": {
      "vms": [{ "name": "a", "dsc": true, "v": "2.83", "n": 3 }, { "name": "b", "dsc": false, "v": "2.9", "n": 1 }, { "name": "c", "dsc": true, "v": "2.80", "n": 2 }]
    }
  }`);

  it("applies filter, map, reduce, sort, toObject, mapValues and groupBy to known arrays", () => {
    assert.deepEqual(val("[map(filter(variables('vms'), lambda('vm', lambdaVariables('vm').dsc)), lambda('vm', lambdaVariables('vm').name))]", scope), ["a", "c"]);
    assert.deepEqual(val("[map(parameters('names'), lambda('n', 'i', concat(toLower(lambdaVariables('n')), string(lambdaVariables('i')))))]", scope), ["web0", "sql1"]);
    assert.equal(val("[reduce(variables('vms'), '', lambda('cur', 'next', concat(lambdaVariables('cur'), lambdaVariables('next').name)))]", scope), "abc");
    assert.deepEqual(val("[map(sort(variables('vms'), lambda('x', 'y', less(lambdaVariables('x').n, lambdaVariables('y').n))), lambda('x', lambdaVariables('x').name))]", scope), ["b", "c", "a"]);
    assert.deepEqual(val("[toObject(variables('vms'), lambda('x', lambdaVariables('x').name), lambda('x', lambdaVariables('x').v))]", scope), { a: "2.83", b: "2.9", c: "2.80" });
    assert.deepEqual(val("[mapValues(createObject('a', 1, 'b', 2), lambda('v', mul(lambdaVariables('v'), 10)))]", scope), { a: 10, b: 20 });
    assert.deepEqual(val("[objectKeys(groupBy(variables('vms'), lambda('x', string(lambdaVariables('x').dsc))))]", scope), ["True", "False"]);
    // lambdas nest: the inner one sees the outer one's variables
    assert.deepEqual(val("[map(parameters('names'), lambda('n', map(createArray(1, 2), lambda('k', concat(lambdaVariables('n'), string(lambdaVariables('k')))))))]", scope), [["Web1", "Web2"], ["Sql1", "Sql2"]]);
    // an element of a filtered loop, at an index known only at deployment, is one of the elements
    const element = ev("[filter(variables('vms'), lambda('vm', lambdaVariables('vm').dsc))[copyIndex()].v]", scope);
    assert.deepEqual(element.kind === "choice" && element.values, ["2.83", "2.80"]);
  });

  it("is known only at deployment when the array or an application is", () => {
    assert.deepEqual(reason("[filter(parameters('free'), lambda('x', true()))]", scope), { code: "runtimeFunction", name: "filter" });
    assert.deepEqual(reason("[map(parameters('names'), lambda('n', concat(lambdaVariables('n'), resourceGroup().location)))]", scope), { code: "runtimeFunction", name: "map" });
    // a predicate that is not a boolean, a lambda not written as one, a variable no lambda declares
    assert.deepEqual(reason("[filter(parameters('names'), lambda('n', 'yes'))]", scope), { code: "runtimeFunction", name: "filter" });
    assert.deepEqual(reason("[filter(parameters('names'), variables('vms'))]", scope), { code: "runtimeFunction", name: "filter" });
    malformed("[lambdaVariables('x')]", scope);
  });

  it("indexFromEnd, tryIndexFromEnd, objectKeys and flatten", () => {
    assert.equal(val("[indexFromEnd(parameters('names'), 1)]", scope), "Sql");
    assert.equal(val("[tryIndexFromEnd(parameters('names'), 3)]", scope), null);
    assert.deepEqual(val("[flatten(createArray(createArray(1), createArray(2, 3)))]", scope), [1, 2, 3]);
    assert.deepEqual(val("[objectKeys(variables('vms')[0])]", scope), ["name", "dsc", "v", "n"]);
    malformed("[indexFromEnd(parameters('names'), 3)]", scope);
  });
});

describe("user-defined functions", () => {
  const scope = new TemplateScope(
    jsonNode(`{
      "functions": [{ "namespace": "ns", "members": {
        "version": { "parameters": [], "output": { "type": "string", "value": "2.83" } },
        "name": { "parameters": [{ "name": "prefix", "type": "string" }], "output": { "type": "string", "value": "[concat(parameters('prefix'), '-vm')]" } },
        "imported": { "parameters": [], "output": { "type": "string", "value": "[variables('_1.version')]" } },
        "named": { "parameters": [{ "name": "prefix", "type": "string" }], "output": { "type": "string", "value": "[toUpper(ns.name(parameters('prefix')))]" } }
      } }],
      "parameters": { "base": { "type": "string", "defaultValue": "web" }, "prefix": { "type": "string", "defaultValue": "template" } },
      "variables": { "_1.version": "[concat(ns.version(), '')]" }
    }`) as AST.JSONObjectExpression,
  );

  it("evaluates a call as the function's output, its parameters bound to the arguments", () => {
    assert.equal(val("[ns.version()]", scope), "2.83");
    assert.equal(val("[NS.Name(parameters('base'))]", scope), "web-vm");
    // the argument's sources are the value's, not the function's parameter
    assert.deepEqual(ev("[ns.name(parameters('base'))]", scope).prov.parameters, ["base"]);
  });

  it("reads the template's variables and other functions, as Bicep compiles imported variables", () => {
    assert.equal(val("[ns.imported()]", scope), "2.83");
    assert.equal(val("[ns.named(parameters('base'))]", scope), "WEB-VM");
    // a variable is evaluated where it is declared: its parameters are the template's, not the function's
    const fromParameter = new TemplateScope(
      jsonNode(`{
        "functions": [{ "namespace": "ns", "members": { "read": { "parameters": [{ "name": "prefix", "type": "string" }], "output": { "type": "string", "value": "[variables('fromParameter')]" } } } }],
        "parameters": { "prefix": { "type": "string", "defaultValue": "template" } },
        "variables": { "fromParameter": "[parameters('prefix')]" }
      }`) as AST.JSONObjectExpression,
    );
    assert.equal(val("[ns.read('argument')]", fromParameter), "template");
  });

  it("leaves a function it does not know, or a call with other arguments, to deployment", () => {
    assert.deepEqual(reason("[ns.other()]", scope), { code: "runtimeFunction", name: "ns.other" });
    assert.deepEqual(reason("[ns.name()]", scope), { code: "runtimeFunction", name: "ns.name" });
  });
});

describe("parameters of one user-defined type", () => {
  it("name themselves, though their allowed values are the type's", () => {
    const scope = new TemplateScope(
      jsonNode(`{
        "definitions": { "version": { "type": "string", "allowedValues": ["2.80", "2.83"] } },
        "parameters": { "web": { "$ref": "#/definitions/version" }, "api": { "$ref": "#/definitions/version" } }
      }`) as AST.JSONObjectExpression,
    );
    assert.deepEqual(ev("[parameters('web')]", scope).prov.parameters, ["web"]);
    assert.deepEqual(ev("[parameters('api')]", scope).prov.parameters, ["api"]);
  });
});
