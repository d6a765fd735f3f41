import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluateNode } from "../../../lib/expression/index.js";
import { offendingText, possibleValues, surelyNotNull } from "../../../lib/template/describe.js";
import { jsonNode, TestScope } from "../expression/helpers.js";

const scope = new TestScope(`{
  "parameters": { "p": { "type": "string" }, "n": { "type": "string", "defaultValue": null } },
  "variables": {
    "url": "[uri('https://example.com/', variables('file'))]",
    "file": "[concat('dsc', '.zip')]",
    "chain": "[variables('url')]",
    "empty": null,
    "obj": { "url": null },
    "loop": "[variables('loop')]",
    "fromParam": "[parameters('n')]"
  }
}`);

/** Values surelyNotNull proves, and values it leaves to evaluation. */
const CASES: [string, boolean][] = [
  [`{}`, true],
  [`[]`, true],
  [`1`, true],
  [`false`, true],
  [`"plain text"`, true],
  [`"[[not an expression]"`, true],
  [`"[concat('a', parameters('p'))]"`, true],
  [`"[toLower(parameters('n'))]"`, true],
  [`"[resourceId('Microsoft.Compute/virtualMachines', parameters('p'))]"`, true],
  [`"[length(parameters('p'))]"`, true],
  [`"[variables('url')]"`, true],
  [`"[VARIABLES('Chain')]"`, true],
  [`null`, false],
  [`"[parameters('n')]"`, false],
  [`"[variables('empty')]"`, false],
  [`"[variables('fromParam')]"`, false],
  [`"[variables('obj').url]"`, false],
  [`"[if(equals(parameters('p'), 'x'), null(), 'a')]"`, false],
  [`"[coalesce(parameters('n'), 'a')]"`, false],
  [`"[json('null')]"`, false],
  [`"[variables('loop')]"`, false],
  [`"[variables('missing')]"`, false],
  [`"[variables(concat('u', 'rl'))]"`, false],
  [`"[variables('url', 'x')]"`, false],
  [`"[concat('a'"`, true],
  [`"[concat('a',]"`, false],
];

test("surelyNotNull proves non-null values without evaluating, and only those", () => {
  for (const [text, expected] of CASES) assert.equal(surelyNotNull(jsonNode(text), scope), expected, text);
  assert.equal(surelyNotNull(undefined, scope), false);
});

test("the evaluator never finds null where surelyNotNull proves there is none", () => {
  for (const [text, proven] of CASES) {
    if (!proven) continue;
    const values = possibleValues(evaluateNode(jsonNode(text), scope));
    assert.ok(!values.includes(null), text);
  }
});

test("offendingText names a known value, or the offending values of one that differs between deployments", () => {
  const choice = new TestScope(`{ "parameters": { "v": { "type": "string", "defaultValue": "a", "allowedValues": ["a", "b", "c"] } } }`);
  const known = evaluateNode(jsonNode(`"[concat('a', 'b')]"`), choice);
  const varying = evaluateNode(jsonNode(`"[parameters('v')]"`), choice);
  assert.deepEqual(possibleValues(varying), ["a", "b", "c"]);
  assert.equal(offendingText(known, []), '"ab"');
  assert.equal(offendingText(varying, ["b"]), '"b" in some deployments');
  assert.equal(offendingText(varying, ["b", "c"]), '"b" or "c" in some deployments');
  // every value offends: no deployment is fine
  assert.equal(offendingText(varying, ["a", "b", "c"], (v) => `<${String(v)}>`), "<a>, <b> or <c>");
});
