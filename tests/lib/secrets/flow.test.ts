import { test } from "node:test";
import assert from "node:assert/strict";
import { atomText, type Atom } from "../../../lib/secrets/index.js";
import type { EvalScope } from "../../../lib/expression/index.js";
import { ARTIFACTS, analyze, at, template } from "./helpers.js";

/** Short names of atoms for assertions. */
function names(atoms: readonly Atom[]): string[] {
  return atoms.map((a) => (a.kind === "parameter" && a.path.length ? `${atomText(a)}.${a.path.join(".")}` : atomText(a)));
}

test("follows variables, concat, format, uri, if and coalesce", () => {
  const { analysis, ext } = analyze(
    template(`"settings": { "configuration": { "url": "[variables('url')]" }, "a": "[if(empty(parameters('x')), variables('b'), coalesce(parameters('y'), 'z'))]" }`, {
      parameters: `{ "x": { "type": "string" }, "y": { "type": "string" }, "sasToken": { "type": "string" } }`,
      variables: `{ "url": "[uri('https://h/', format('x.zip{0}', variables('tok')))]", "tok": "[concat('?', parameters('sasToken'))]", "b": "[toLower(listKeys('id', '1').keys[0].value)]" }`,
    }),
  );
  const url = analysis.flow.node(at(ext, "settings", "configuration", "url"), ext.scope);
  assert.deepEqual(names(url), ["parameter 'sasToken'"]);
  assert.equal(analysis.sasSource(url)?.kind, "parameter");
  const a = analysis.flow.node(at(ext, "settings", "a"), ext.scope);
  // the condition of if() (and what empty() reads) does not flow
  assert.deepEqual(names(a), ["listKeys()", "parameter 'y'"]);
  assert.equal(analysis.credentialSource(a)?.kind, "call");
});

test("condition-only and id functions do not carry their arguments", () => {
  const { analysis, ext } = analyze(
    template(`"settings": { "a": "[length(parameters('sasToken'))]", "b": "[uniqueString(parameters('sasToken'))]", "c": "[resourceId('x/y', parameters('sasToken'))]" }`, {
      parameters: `{ "sasToken": { "type": "secureString" } }`,
    }),
  );
  for (const key of ["a", "b", "c"]) assert.deepEqual(analysis.flow.node(at(ext, "settings", key), ext.scope), [], key);
});

test("member paths select one member of an object variable", () => {
  const { analysis, ext } = analyze(
    template(`"settings": { "configuration": { "url": "[variables('dsc').url]", "script": "[variables('dsc').script]" } }`, {
      parameters: ARTIFACTS,
      variables: `{ "dsc": { "url": "[concat(parameters('_artifactsLocation'), 'x.zip', parameters('_artifactsLocationSasToken'))]", "script": "x.ps1" } }`,
    }),
  );
  assert.deepEqual(names(analysis.flow.node(at(ext, "settings", "configuration", "url"), ext.scope)), [
    "parameter '_artifactsLocation'",
    "parameter '_artifactsLocationSasToken'",
  ]);
  assert.deepEqual(analysis.flow.node(at(ext, "settings", "configuration", "script"), ext.scope), []);
});

test("tryGet reads one member, as a member path does", () => {
  // The shape of AVM modules: one object parameter carries settings and protectedSettings.
  const { analysis, ext } = analyze(
    template(`"settings": { "a": "[coalesce(tryGet(variables('cfg'), 'settings'), createObject())]", "b": "[tryGet(variables('cfg'), 'protectedSettings', 'key')]", "c": "[tryGet(variables('cfg'), parameters('which'))]" }`, {
      parameters: `{ "key": { "type": "secureString" }, "which": { "type": "string" } }`,
      variables: `{ "cfg": { "settings": { "nodeName": "localhost" }, "protectedSettings": { "key": "[parameters('key')]" } } }`,
    }),
  );
  assert.deepEqual(analysis.flow.node(at(ext, "settings", "a"), ext.scope), []);
  assert.deepEqual(names(analysis.flow.node(at(ext, "settings", "b"), ext.scope)), ["parameter 'key'"]);
  // a computed key may read any member
  assert.deepEqual(names(analysis.flow.node(at(ext, "settings", "c"), ext.scope)), ["parameter 'key'"]);
});

test("literal tokens, reference() paths and SAS list functions", () => {
  const { analysis, ext } = analyze(
    template(
      `"settings": { "a": "[concat('https://h/x?', 'sv=1&sig=abc')]", "b": "[reference('kv').outputs.storageKey.value]", "c": "[listAccountSas('acct', '2021-01-01', variables('p')).accountSasToken]", "d": "[reference('aa').registrationUrl]" }`,
      { variables: `{ "p": {} }` },
    ),
  );
  const a = analysis.flow.node(at(ext, "settings", "a"), ext.scope);
  assert.equal(analysis.sasSource(a)?.kind, "literal");
  const b = analysis.flow.node(at(ext, "settings", "b"), ext.scope);
  assert.deepEqual(names(b), ["reference().outputs.storageKey.value"]);
  assert.ok(analysis.credentialSource(b));
  assert.equal(analysis.sasSource(b), undefined);
  const c = analysis.flow.node(at(ext, "settings", "c"), ext.scope);
  assert.deepEqual(names(c), ["listAccountSas()"]);
  assert.ok(analysis.sasSource(c));
  assert.equal(analysis.credentialSource(c), undefined);
  const d = analysis.flow.node(at(ext, "settings", "d"), ext.scope);
  assert.equal(analysis.credentialSource(d), undefined);
});

test("a parameter passed to configurationUrlSasToken carries a SAS token, whatever its name", () => {
  const { analysis, ext } = analyze(
    template(`"settings": { "x": "[parameters('blobKey')]" }, "protectedSettings": { "configurationUrlSasToken": "[variables('t')]" }`, {
      parameters: `{ "blobKey": { "type": "secureString" } }`,
      variables: `{ "t": "[parameters('blobKey')]" }`,
    }),
  );
  const x = analysis.flow.node(at(ext, "settings", "x"), ext.scope);
  assert.ok(analysis.sasSource(x));
  assert.equal(analysis.credentialSource(x), undefined);
});

test("a secure object is a credential as a whole or through a secret-named member only", () => {
  const { analysis, ext } = analyze(
    template(`"settings": { "a": "[parameters('cfg').hostPoolName]", "b": "[parameters('cfg').registrationToken]", "c": "[parameters('cfg')]" }`, {
      parameters: `{ "cfg": { "type": "secureObject" } }`,
    }),
  );
  assert.equal(analysis.credentialSource(analysis.flow.node(at(ext, "settings", "a"), ext.scope)), undefined);
  assert.ok(analysis.credentialSource(analysis.flow.node(at(ext, "settings", "b"), ext.scope)));
  assert.ok(analysis.credentialSource(analysis.flow.node(at(ext, "settings", "c"), ext.scope)));
});

test("inner-scoped nested templates: a parameter carries what the outer deployment supplies", () => {
  const text = template(`"settings": {}`, {
    parameters: ARTIFACTS,
    extra: `
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "inner",
      "properties": {
        "mode": "Incremental",
        "expressionEvaluationOptions": { "scope": "inner" },
        "parameters": { "token": { "value": "[parameters('_artifactsLocationSasToken')]" } },
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": { "token": { "type": "string" }, "_artifactsLocationSasToken": { "type": "string", "defaultValue": "" } },
          "resources": [
            {
              "type": "Microsoft.Compute/virtualMachines/extensions",
              "apiVersion": "2024-07-01",
              "name": "vm2/dsc",
              "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "settings": { "configuration": { "url": "[concat('https://h/x.zip', parameters('token'))]" } } }
            }
          ]
        }
      }
    },`,
  });
  const { model, analysis } = analyze(text);
  const inner = model.dscExtensions.find((e) => e.name === "vm2/dsc")!;
  const atoms = analysis.flow.node(at(inner, "settings", "configuration", "url"), inner.scope);
  assert.deepEqual(names(atoms), ["parameter 'token'", "parameter '_artifactsLocationSasToken'"]);
  // the outer parameter, not the inner one of the same name
  const outer = atoms[1]!;
  assert.ok(outer.kind === "parameter" && outer.decl.type === "secureString");
});

test("cycles and long chains end", () => {
  const vars: Record<string, string> = { a: "[variables('b')]", b: "[concat(variables('a'), parameters('sasToken'))]" };
  for (let i = 0; i < 300; i++) vars[`v${i}`] = `[variables('v${i + 1}')]`;
  vars.v300 = "[parameters('sasToken')]";
  const { analysis, ext } = analyze(
    template(`"settings": { "a": "[variables('a')]", "b": "[variables('v0')]" }`, {
      parameters: `{ "sasToken": { "type": "string" } }`,
      variables: JSON.stringify(vars),
    }),
  );
  assert.ok(analysis.sasSource(analysis.flow.node(at(ext, "settings", "a"), ext.scope)));
  // past the hop limit the chain is not followed (no crash, no stack overflow)
  analysis.flow.node(at(ext, "settings", "b"), ext.scope);
});

test("cost stays linear on long variable chains and wide objects", () => {
  const vars: Record<string, unknown> = {};
  for (let i = 0; i < 2000; i++) vars[`v${i}`] = i === 0 ? "[parameters('sasToken')]" : `[concat(variables('v${i - 1}'), variables('v${Math.floor(i / 2)}'))]`;
  vars.wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, `[variables('v${i % 2000}')]`]));
  const { analysis, ext } = analyze(
    template(`"settings": { "a": "[variables('wide')]" }`, { parameters: `{ "sasToken": { "type": "string" } }`, variables: JSON.stringify(vars) }),
  );
  // The work is counted, not timed: every variable read written in the file is looked up at most
  // once (each definition is walked once); without the memo the v-chain alone would be exponential,
  // so the count stops the walk as soon as it passes the number of reads.
  const reads = 1 + 20_000 + 2 * 1999;
  let lookups = 0;
  const scope: EvalScope = Object.create(ext.scope as object) as EvalScope;
  scope.variable = (name) => {
    if (++lookups > reads) throw new Error(`more variable lookups than the ${reads} reads in the file`);
    return ext.scope.variable(name);
  };
  assert.ok(analysis.sasSource(analysis.flow.node(at(ext, "settings", "a"), scope)));
  assert.equal(lookups, reads, "every read looked up once");
});

test("a user-defined function's output is followed into the template's variables and its other functions", () => {
  const text = template(`"settings": { "a": "[ns.outer(parameters('key'))]" }`, {
    parameters: `{ "key": { "type": "secureString" }, "sasToken": { "type": "secureString" } }`,
    variables: `{ "_1.token": "[parameters('sasToken')]" }`,
  }).replace(
    `"parameters": {`,
    `"functions": [{ "namespace": "ns", "members": {
      "inner": { "parameters": [{ "name": "k", "type": "string" }], "output": { "type": "string", "value": "[concat(parameters('k'), variables('_1.token'))]" } },
      "outer": { "parameters": [{ "name": "k", "type": "string" }], "output": { "type": "string", "value": "[ns.inner(parameters('k'))]" } }
    } }],
  "parameters": {`,
  );
  assert.ok(text.includes(`"functions"`));
  const { analysis, ext } = analyze(text);
  assert.deepEqual(names(analysis.flow.node(at(ext, "settings", "a"), ext.scope)), ["parameter 'key'", "parameter 'sasToken'"]);
});
