import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseForESLint } from "jsonc-eslint-parser";
import { classifySchema, getTemplateModel } from "../../../lib/template/model.js";
import { jsonPointer } from "../../../lib/json/access.js";
import { namesMatch, piecesText, splitSegments, stringPieces } from "../../../lib/template/names.js";
import { TemplateScope } from "../../../lib/template/scope.js";
import { evaluateNode } from "../../../lib/expression/index.js";
import { SCHEMA } from "../../helpers/at.js";

/** The model of a JSONC text. */
function model(text: string) {
  return getTemplateModel(parseForESLint(text, { jsonSyntax: "JSONC" }).ast, text);
}

/** An inner-scoped nested deployment `name` with `deploymentMembers` (how it passes parameters) and the template members `template`. */
function innerDeployment(name: string, deploymentMembers: string, template: string): string {
  return `{
        "type": "Microsoft.Resources/deployments",
        "name": "${name}",
        "properties": {
          "expressionEvaluationOptions": { "scope": "inner" },
          ${deploymentMembers},
          "template": {
            ${template}
          }
        }
      }`;
}

/** Placement, parent kind, parent name and pointer of every DSC extension. */
function summary(text: string) {
  return model(text).dscExtensions.map((e) => [e.placement, e.parentKind, e.parent ? e.parentName : null, jsonPointer(e.node)]);
}

const dsc = `"properties": { "publisher": "Microsoft.Powershell", "type": "DSC" }`;

test("file kinds come from $schema, case-insensitively, at every deployment scope", () => {
  assert.deepEqual(classifySchema(SCHEMA), { kind: "deploymentTemplate", level: "resourceGroup" });
  assert.deepEqual(
    classifySchema("HTTP://SCHEMA.MANAGEMENT.AZURE.COM/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"),
    { kind: "deploymentTemplate", level: "subscription" },
  );
  assert.equal(classifySchema("https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#").level, "managementGroup");
  assert.equal(classifySchema("https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#").level, "tenant");
  assert.equal(classifySchema("https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#").kind, "deploymentParameters");
  assert.equal(classifySchema("https://json.schemastore.org/package.json").kind, "other");
  // Azure China's documentation writes its own host
  assert.deepEqual(classifySchema("https://schema.management.azure.cn/schemas/2015-01-01/deploymentTemplate.json#"), { kind: "deploymentTemplate", level: "resourceGroup" });
  assert.equal(classifySchema("https://schema.management.azure.cn/schemas/2015-01-01/deploymentParameters.json#").kind, "deploymentParameters");
  // the 2015 preview form of early templates
  assert.deepEqual(classifySchema("http://schemas.microsoft.org/azure/deploymentTemplate?api-version=2015-01-01-preview#"), { kind: "deploymentTemplate", level: "resourceGroup" });
  assert.equal(classifySchema("http://schemas.microsoft.org/azure/deploymentTemplateX?api-version=2015-01-01#").kind, "other");
  assert.equal(classifySchema("http://example.com/schemas.microsoft.org/azure/deploymentTemplate").kind, "other");
  assert.equal(model(`{"name": "x"}`).kind, "other");
  assert.equal(model(`[1]`).kind, "other");
  assert.equal(model(`{"$schema": 5, "resources": []}`).kind, "other");
});

test("extensions in all four placements, with their parents", () => {
  const text = `{
    "$schema": "${SCHEMA}",
    "variables": { "vmName": "vm1" },
    "resources": [
      { "type": "Microsoft.Compute/virtualMachines", "name": "[variables('vmName')]",
        "resources": [ { "type": "extensions", "name": "dsc", ${dsc} } ] },
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "[concat(variables('vmName'), '/dsc2')]", ${dsc} },
      { "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "ss",
        "properties": { "virtualMachineProfile": { "extensionProfile": { "extensions": [ { "name": "e", ${dsc} } ] } } },
        "resources": [ { "type": "extensions", "name": "child", ${dsc} } ] },
      { "type": "Microsoft.Compute/virtualMachineScaleSets/extensions", "name": "ss/top", ${dsc} },
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "elsewhere/dsc", ${dsc} },
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm1/cse",
        "properties": { "publisher": "Microsoft.Compute", "type": "CustomScriptExtension" } }
    ]
  }`;
  assert.deepEqual(summary(text), [
    ["vm-nested-child", "vm", "vm1", "/resources/0/resources/0"],
    ["vm-top-level", "vm", "vm1", "/resources/1"],
    ["vmss-profile", "vmss", "ss", "/resources/2/properties/virtualMachineProfile/extensionProfile/extensions/0"],
    ["vmss-nested-child", "vmss", "ss", "/resources/2/resources/0"],
    ["vmss-top-level", "vmss", "ss", "/resources/3"],
    ["vm-top-level", "vm", null, "/resources/4"],
  ]);
  assert.equal(model(text).extensions.length, 7);
});

test("misplaced profiles and property-copy input are extensions too", () => {
  const text = `{
    "$schema": "${SCHEMA}",
    "resources": [
      { "type": "Microsoft.Compute/virtualMachines", "name": "vm", "properties": { "extensionProfile": { "extensions": [ { "name": "a", ${dsc} } ] } } },
      { "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "ss", "properties": {
          "extensionProfile": { "extensions": [ { "name": "b", ${dsc} } ] },
          "virtualMachineProfile": {
            "extensions": [ { "name": "c", ${dsc} } ],
            "extensionProfile": { "copy": [ { "name": "Extensions", "count": 1, "input": { "name": "d", ${dsc} } } ] } } } }
    ]
  }`;
  const exts = model(text).dscExtensions;
  assert.deepEqual(
    exts.map((e) => [e.name, e.placement, e.profilePath, e.fromPropertyCopy]),
    [
      ["a", "vm-profile", "properties.extensionProfile", false],
      ["d", "vmss-profile", null, true],
      ["b", "vmss-misplaced-profile", "properties.extensionProfile", false],
      ["c", "vmss-misplaced-profile", "properties.virtualMachineProfile.extensions", false],
    ],
  );
});

test("nested deployments: inner scope takes the passed parameters, outer scope the parent's", () => {
  const inner = (scope: string) => `{
    "$schema": "${SCHEMA}",
    "parameters": { "publisher": { "type": "string", "defaultValue": "Microsoft.Powershell" } },
    "resources": [ { "type": "Microsoft.Resources/deployments", "name": "d", "properties": {
      "expressionEvaluationOptions": { "scope": "${scope}" },
      "parameters": { "publisher": { "value": "Contoso" } },
      "template": { "$schema": "${SCHEMA}",
        "parameters": { "publisher": { "type": "string" } },
        "resources": [ { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm/x",
          "properties": { "publisher": "[parameters('publisher')]", "type": "DSC" } } ] } } } ]
  }`;
  assert.equal(model(inner("inner")).dscExtensions.length, 0);
  assert.equal(model(inner("outer")).dscExtensions.length, 1);
  assert.equal(model(inner("Outer")).templates.length, 2);
});

test("an extension in a nested deployment has the enclosing template's machine as parent, in the same resource group only", () => {
  const text = (target: string) => `{
    "$schema": "${SCHEMA}",
    "resources": [
      { "type": "Microsoft.Compute/virtualMachines", "name": "vm1" },
      { "type": "Microsoft.Resources/deployments", "name": "outer", ${target}
        "properties": { "template": { "$schema": "${SCHEMA}", "resources": [
          { "type": "Microsoft.Resources/deployments", "name": "inner",
            "properties": { "template": { "$schema": "${SCHEMA}", "resources": [
              { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm1/dsc", ${dsc} } ] } } } ] } } }
    ]
  }`;
  const pointer = "/resources/1/properties/template/resources/0/properties/template/resources/0";
  for (const same of ["", `"resourceGroup": "[resourceGroup().name]",`, `"subscriptionId": "[Subscription().subscriptionId]",`]) {
    assert.deepEqual(summary(text(same)), [["vm-top-level", "vm", "vm1", pointer]], same);
  }
  for (const other of [`"resourceGroup": "rg2",`, `"subscriptionId": "[parameters('sub')]",`, `"scope": "[resourceGroup('rg2')]",`]) {
    assert.deepEqual(summary(text(other)), [["vm-top-level", "vm", null, pointer]], other);
  }
});

test("a scale set's extension list built by a variable copy loop (Bicep's `var exts = [for ...]`)", () => {
  const text = `{
    "$schema": "${SCHEMA}",
    "variables": {
      "copy": [{ "name": "exts", "count": 2, "input": { "name": "[concat('dsc', copyIndex('exts'))]", ${dsc} } }]
    },
    "resources": [
      { "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "ss1",
        "properties": { "virtualMachineProfile": { "extensionProfile": { "extensions": "[variables('exts')]" } } } }
    ]
  }`;
  assert.deepEqual(summary(text), [["vmss-profile", "vmss", "ss1", "/variables/copy/0/input"]]);
  // its entries are written in a variable others may read: no autofix edits them
  assert.equal(model(text).shared.length > 0, true);
  // an input that reads another array at the loop's index: each of its elements is an entry
  const fromArray = text
    .replace(`"copy": [`, `"defs": [{ "name": "a", "properties": {} }, { "name": "b", ${dsc} }], "copy": [`)
    .replace(/"input": \{.*\} \}\]/u, `"input": "[variables('defs')[copyIndex('exts')]]" }]`);
  assert.deepEqual(summary(fromArray), [["vmss-profile", "vmss", "ss1", "/variables/defs/1"]]);
  // at an index that is not the loop's, the element is not known; a count or an offset picks the elements the loop reads
  assert.deepEqual(summary(fromArray.replace("copyIndex('exts')", "parameters('i')")), []);
  assert.deepEqual(summary(fromArray.replace(`"count": 2`, `"count": 1`)), []);
  // a count from a parameter's default does not limit what a deployment reaches: each element, and one read by index
  const defaultCount = fromArray.replace(`"count": 2`, `"count": "[parameters('n')]"`).replace(`"variables": {`, `"parameters": { "n": { "type": "int", "defaultValue": 1 } },\n    "variables": {`);
  assert.deepEqual(summary(defaultCount), [["vmss-profile", "vmss", "ss1", "/variables/defs/1"]]);
  assert.deepEqual(summary(defaultCount.replace(`"[variables('exts')]"`, `"[createArray(variables('exts')[1])]"`)), [["vmss-profile", "vmss", "ss1", "/variables/defs/1"]]);
  assert.deepEqual(summary(fromArray.replace(`"count": 2`, `"count": 1`).replace(`"[variables('exts')]"`, `"[createArray(variables('exts')[1])]"`)), []);
  assert.deepEqual(summary(fromArray.replace(`"count": 2`, `"count": 1`).replace("copyIndex('exts')", "copyIndex('exts', 1)")), [["vmss-profile", "vmss", "ss1", "/variables/defs/1"]]);
  // a resource loop's index reads one element per instance: not every element onto one scale set
  assert.deepEqual(summary(fromArray.replace("copyIndex('exts')", "copyIndex()")), []);
  // a loop over another copy loop (Bicep's `[for e in inner: e]`): the inner loop's count still holds
  const nested = fromArray
    .replace(`"count": 2, "input": "[variables('defs')[copyIndex('exts')]]" }`, `"count": 1, "input": "[variables('defs')[copyIndex('inner', 1)]]" }, { "name": "outer", "count": "[length(variables('unknown'))]", "input": "[variables('inner')[copyIndex('outer')]]" }`)
    .replace(`"name": "exts"`, `"name": "inner"`)
    .replace(`"[variables('exts')]"`, `"[variables('outer')]"`);
  assert.deepEqual(summary(nested), [["vmss-profile", "vmss", "ss1", "/variables/defs/1"]]);
  assert.deepEqual(summary(nested.replace("copyIndex('inner', 1)", "copyIndex('inner')")), []);
});

test("a scale set's property copy loop whose input reads another array at the loop's index (Bicep's `extensions: [for e in defs: e]`)", () => {
  const text = `{
    "$schema": "${SCHEMA}",
    "variables": { "defs": [{ "name": "a", "properties": {} }, { "name": "b", ${dsc} }] },
    "resources": [
      { "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "ss1",
        "properties": { "virtualMachineProfile": { "extensionProfile": {
          "copy": [{ "name": "Extensions", "count": 2, "input": "[variables('defs')[copyIndex('extensions')]]" }] } } } }
    ]
  }`;
  assert.deepEqual(summary(text), [["vmss-profile", "vmss", "ss1", "/variables/defs/1"]]);
  assert.equal(model(text).dscExtensions[0]!.fromPropertyCopy, true);
  // the loop's count still picks the elements; another loop's index is not known
  assert.deepEqual(summary(text.replace(`"count": 2`, `"count": 1`)), []);
  assert.deepEqual(summary(text.replace("copyIndex('extensions')", "copyIndex('other')")), []);
});

test("a nested child of another machine's extension type: on its enclosing machine with a one-segment name, as typed with a full one", () => {
  const text = (name: string) => `{
    "$schema": "${SCHEMA}",
    "resources": [
      { "type": "Microsoft.Compute/virtualMachines", "name": "vm1",
        "resources": [{ "type": "Microsoft.Compute/virtualMachineScaleSets/extensions", "name": "${name}", ${dsc} }] }
    ]
  }`;
  assert.deepEqual(
    model(text("dsc")).dscExtensions.map((e) => [e.placement, e.parentKind]),
    [["vm-nested-child", "vm"]],
  );
  assert.deepEqual(
    model(text("vm1/dsc")).dscExtensions.map((e) => [e.placement, e.parentKind, e.parent?.resource.nameText ?? null]),
    [["vmss-nested-child", "vmss", null]],
  );
  // with a full name, on the scale set its name names: not on the VM it is declared in
  const withScaleSet = text("ss1/dsc").replace(`"resources": [\n`, `"resources": [\n      { "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "ss1" },\n`);
  assert.deepEqual(
    model(withScaleSet).dscExtensions.map((e) => [e.placement, e.parentKind, e.parent?.resource.nameText ?? null, e.parentName]),
    [["vmss-nested-child", "vmss", "ss1", "ss1"]],
  );
});

test("languageVersion 2.0 object resources, case-insensitive types and DSC through variables", () => {
  const text = `{
    "$schema": "${SCHEMA}",
    "languageVersion": "2.0",
    "variables": { "pub": "MICROSOFT.POWERSHELL", "kind": "[toLower('DSC')]" },
    "resources": {
      "vm": { "type": "microsoft.compute/VIRTUALMACHINES", "name": "vm1" },
      "ext": { "TYPE": "Microsoft.Compute/virtualMachines/extensions", "NAME": "vm1/x",
        "Properties": { "Publisher": "[variables('pub')]", "Type": "[variables('kind')]" } }
    }
  }`;
  const m = model(text);
  assert.equal(m.templates[0]!.languageVersion, "2.0");
  assert.deepEqual(summary(text), [["vm-top-level", "vm", "vm1", "/resources/ext"]]);
  assert.equal(m.resources.find((r) => r.symbolicName === "vm")?.type, "microsoft.compute/VIRTUALMACHINES");
});

test("copy-loop parents match instance names", () => {
  const scope = new TemplateScope(undefined);
  const vm = stringPieces("[concat(variables('prefix'), copyIndex())]", scope);
  const first = splitSegments(stringPieces("[concat(variables('prefix'), '0/dsc')]", scope))[0]!;
  const loop = splitSegments(stringPieces("[concat(variables('prefix'), copyIndex(1), '/dsc')]", scope))[0]!;
  const other = splitSegments(stringPieces("[concat(variables('other'), '0/dsc')]", scope))[0]!;
  assert.ok(namesMatch(vm, first));
  assert.ok(namesMatch(vm, loop));
  assert.ok(!namesMatch(vm, other));
  assert.equal(piecesText(first), "[concat(variables('prefix'), '0')]");
  assert.equal(piecesText(splitSegments(stringPieces("[concat(parameters('p'), '-s2d-', copyIndex(1), '/dsc')]", scope))[0]!), "[concat(parameters('p'), '-s2d-', copyIndex(1))]");
  assert.equal(piecesText(splitSegments(stringPieces("[concat(parameters('p'), '/dsc')]", scope))[0]!), "[parameters('p')]");
  assert.equal(piecesText(splitSegments(stringPieces("[concat('vm', '-01', '/dsc')]", scope))[0]!), "vm-01");
  assert.equal(piecesText([{ lit: "it's-" }, { expr: "copyindex()", text: "copyIndex()" }]), "[concat('it''s-', copyIndex())]");
});

test("names in messages: a parameter's default is not their value, though parents match through it", () => {
  const text = (prefixDefault: string) => `{
    "$schema": "${SCHEMA}",
    "parameters": { "prefix": { "type": "string", "defaultValue": "${prefixDefault}" } },
    "variables": { "vmPrefix": "[concat(parameters('prefix'), '-')]" },
    "resources": [
      { "type": "Microsoft.Compute/virtualMachines", "name": "[concat(parameters('prefix'), '-0')]" },
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "[concat(variables('vmPrefix'), '0/dsc')]", ${dsc} }
    ]
  }`;
  // the parent is still found through the parameter's piece; the names are given as written
  const [ext] = model(text("")).dscExtensions;
  assert.equal(ext!.name, "[concat(variables('vmPrefix'), '0/dsc')]");
  assert.equal(ext!.parentName, "[concat(parameters('prefix'), '-0')]");
  assert.equal(ext!.parent?.resource.nameText, "[concat(parameters('prefix'), '-0')]");
  // another default still matches by value, but a deployment may pass another: messages show the names as written
  const [named] = model(text("web")).dscExtensions;
  assert.equal(named!.parent?.resource.nameText, "[concat(parameters('prefix'), '-0')]");
  assert.equal(named!.name, "[concat(variables('vmPrefix'), '0/dsc')]");
  assert.equal(named!.parentName, "[concat(parameters('prefix'), '-0')]");
  // a name known before deployment is shown as its value
  const [known] = model(text("web").replace(`"[concat(parameters('prefix'), '-')]"`, `"web-"`).replace(`"[concat(parameters('prefix'), '-0')]"`, `"[concat(variables('vmPrefix'), '0')]"`)).dscExtensions;
  assert.equal(known!.name, "web-0/dsc");
  assert.equal(known!.parentName, "web-0");
  // a parent not in the template is named as the extension's name writes it
  const [alone] = model(text("web").replace(/\{ "type": "Microsoft.Compute\/virtualMachines", "name": [^}]*\},/u, "")).dscExtensions;
  assert.equal(alone!.parent, null);
  assert.equal(alone!.parentName, "[concat(parameters('prefix'), '-0')]");
});

test("a nested child of another machine's type finds its parent by name as a top-level one does: in an enclosing template, past an undeployed one", () => {
  const child = `{ "type": "Microsoft.Compute/virtualMachineScaleSets/extensions", "name": "ss1/dsc", ${dsc} }`;
  const inVm = `{ "type": "Microsoft.Compute/virtualMachines", "name": "vmIn", "resources": [${child}] }`;
  const head = `{ "$schema": "${SCHEMA}", "resources": [`;
  // whether found by name, and the parent's name and offset in `resources`
  const parentOf = (resources: string) =>
    model(`${head}${resources}] }`).dscExtensions.map((e) => [e.parentByName, e.parent?.resource.nameText ?? null, e.parent ? e.parent.resource.node.range[0] - head.length : null]);
  const scaleSet = (extra = "") => `{ "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "ss1"${extra} }`;
  // in a nested deployment, on the enclosing template's scale set
  const nested = `${scaleSet()}, ${innerDeployment("d1", `"parameters": {}`, `"resources": [${inVm}]`)}`;
  const [[byName, name]] = parentOf(nested) as [boolean, string | null][];
  assert.deepEqual([byName, name], [true, "ss1"]);
  // the one deployed, not an undeployed scale set of the same name declared first
  const undeployedFirst = `${scaleSet(`, "condition": false`)}, ${scaleSet()}, ${inVm}`;
  assert.deepEqual(parentOf(undeployedFirst), [[true, "ss1", undeployedFirst.indexOf(scaleSet(), 1)]]);
  // a child the VM it is declared in parents is not found by name
  assert.deepEqual(parentOf(inVm.replace("virtualMachineScaleSets/extensions", "virtualMachines/extensions").replace("ss1/dsc", "dsc")), [[false, "vmIn", 0]]);
  // nor one whose full name names that VM, in any case; one whose full name names another VM is
  const vmChild = (name: string) => inVm.replace("virtualMachineScaleSets/extensions", "virtualMachines/extensions").replace("ss1/dsc", name);
  const vmB = `{ "type": "Microsoft.Compute/virtualMachines", "name": "vmB" }`;
  assert.deepEqual(parentOf(`${vmChild("VMIN/dsc")}, ${vmB}`), [[false, "vmIn", 0]]);
  assert.deepEqual(parentOf(`${vmChild("vmB/dsc")}, ${vmB}`), [[true, "vmB", vmChild("vmB/dsc").length + 2]]);
  // with a name not known before deployment, it stays on the VM it is declared in
  assert.deepEqual(parentOf(`${vmChild("[concat(parameters('other'), '/dsc')]")}, ${vmB}`), [[false, "vmIn", 0]]);
});

test("a parameter defaulting to \"\" stays a piece of its own: two such parameters never make the same name", () => {
  const build = (params: string[], machines: string[], extension: string) =>
    model(`{
      "$schema": "${SCHEMA}",
      "parameters": { ${params.map((p) => `"${p}": { "type": "string", "defaultValue": "" }`).join(", ")} },
      "resources": [
        ${machines.map((name) => `{ "type": "Microsoft.Compute/virtualMachines", "name": "${name}" }`).join(",\n")},
        { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "${extension}", ${dsc} }
      ]
    }`).dscExtensions.map((e) => e.parent?.resource.nameText ?? null);
  // not the first VM whose name also reads a "" default
  assert.deepEqual(build(["vm1Name", "vm2Name"], ["[parameters('vm1Name')]", "[parameters('vm2Name')]"], "[concat(parameters('vm2Name'), '/dsc')]"), ["[parameters('vm2Name')]"]);
  // nor a VM named by a function of it, which is "" for the default but another name for most values
  assert.deepEqual(build(["p"], ["[take(parameters('p'), 15)]", "[parameters('p')]"], "[concat(parameters('p'), '/dsc')]"), ["[parameters('p')]"]);
  assert.deepEqual(build(["p"], ["[base64(parameters('p'))]"], "[concat(parameters('p'), '/dsc')]"), [null]);
  // nor a VM named as the rest of the name
  assert.deepEqual(build(["p"], ["web", "[concat(parameters('p'), 'web')]"], "[concat(parameters('p'), 'web/dsc')]"), ["[concat(parameters('p'), 'web')]"]);
  // names compare without regard to case, through toLower() and toUpper() too
  assert.deepEqual(build(["prefix"], ["[toLower(concat(parameters('prefix'), 'VM'))]"], "[concat(parameters('prefix'), 'vm/dsc')]"), ["[toLower(concat(parameters('prefix'), 'VM'))]"]);
  assert.deepEqual(build(["prefix"], ["[concat(parameters('prefix'), 'vm')]"], "[toUpper(concat(parameters('PREFIX'), 'VM/dsc'))]"), ["[concat(parameters('prefix'), 'vm')]"]);
  // through a module: the caller passes root parameters `outer` (each defaulting to "") as the
  // module's `inner` ones (inner name -> outer name); the module's VMs and extension are named by them
  const throughModule = (passed: Record<string, string>, vms: string[], extension: string) => {
    const outer = [...new Set(Object.values(passed))];
    return model(`{
    "$schema": "${SCHEMA}",
    "parameters": { ${outer.map((p) => `"${p}": { "type": "string", "defaultValue": "" }`).join(", ")} },
    "resources": [${innerDeployment(
      "vms",
      `"parameters": { ${Object.entries(passed).map(([inner, p]) => `"${inner}": { "value": "[parameters('${p}')]" }`).join(", ")} }`,
      `"parameters": { ${Object.keys(passed).map((inner) => `"${inner}": { "type": "string" }`).join(", ")} },
            "resources": [
              ${vms.map((vm) => `{ "type": "Microsoft.Compute/virtualMachines", "name": "[parameters('${vm}')]" }`).join(",\n")},
              { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "[concat(parameters('${extension}'), '/dsc')]", ${dsc} }
            ]`,
    )}]
  }`).dscExtensions.map((e) => e.parent?.resource.nameText ?? null);
  };
  // two such parameters are two names there too
  assert.deepEqual(throughModule({ webName: "webVmName", sqlName: "sqlVmName" }, ["webName", "sqlName"], "sqlName"), ["[parameters('sqlName')]"]);
  // but one passed to two of the module's parameters is one name there
  assert.deepEqual(throughModule({ vmName: "vmName", dscTarget: "vmName" }, ["vmName"], "dscTarget"), ["[parameters('vmName')]"]);
  // a name that is such a parameter alone has no known segments
  const [ext] = model(`{
    "$schema": "${SCHEMA}",
    "parameters": { "extName": { "type": "string", "defaultValue": "" } },
    "resources": [{ "type": "Microsoft.Compute/virtualMachines", "name": "vm1", "resources": [
      { "type": "Microsoft.Compute/virtualMachineScaleSets/extensions", "name": "[parameters('extName')]", ${dsc} }
    ] }]
  }`).dscExtensions;
  assert.deepEqual(splitSegments(ext!.resource!.namePieces!), [[{ expr: "<placeholder>extname", text: "parameters('extName')" }]]);
});

test("a child finds its copy-loop parent by the loop name's text before and after its copy index; deployed ones first", () => {
  const machine = (name: string, extra = "") =>
    `{ "type": "Microsoft.Compute/virtualMachines", "name": "${name}"${extra}, "copy": { "name": "l${name.length}${extra.length}", "count": 2 } }`;
  const child = (name: string) => `{ "type": "Microsoft.Compute/virtualMachines/extensions", "name": "${name}", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC" } }`;
  const build = (resources: string[]) =>
    model(`{ "$schema": "${SCHEMA}", "languageVersion": "2.0", "contentVersion": "1.0.0.0", "resources": { ${resources.map((r, i) => `"r${i}": ${r}`).join(", ")} } }`);
  const parents = (resources: string[]) => build(resources).dscExtensions.map((e) => `${e.name} -> ${e.parent ? `${e.parent.resource.nameText}${e.parent.resource.existing ? " (existing)" : ""}` : "none"}`);
  assert.deepEqual(parents([machine("[format('web{0}-a', copyIndex())]"), machine("[format('web{0}-b', copyIndex())]"), child("web2-b/dsc"), child("web2-c/dsc"), child("WEB1-A/dsc")]), [
    "web2-b/dsc -> [format('web{0}-b', copyIndex())]",
    "web2-c/dsc -> none",
    "WEB1-A/dsc -> [format('web{0}-a', copyIndex())]",
  ]);
  // an existing declaration written alike loses to a deployed loop that makes the name, and the other way round
  const existing = `, "existing": true`;
  assert.deepEqual(parents([machine("vm1", existing).replace(/, "copy": \{[^}]*\}/u, ""), machine("[format('vm{0}', copyIndex())]"), child("vm1/dsc")]), ["vm1/dsc -> [format('vm{0}', copyIndex())]"]);
  assert.deepEqual(parents([machine("[format('vm{0}', copyIndex())]", existing), machine("vm1").replace(/, "copy": \{[^}]*\}/u, ""), child("vm1/dsc")]), ["vm1/dsc -> vm1"]);
  // loops whose names differ only around an expression are told apart by their shape: 300 loops
  // named after a parameter, then the one a child needs
  const prefixed = Array.from({ length: 300 }, (_, i) => machine(`[concat(parameters('p'), '-r${i}-', copyIndex())]`));
  assert.deepEqual(parents([...prefixed, machine("[concat(parameters('p'), '-web-', copyIndex())]"), child("[concat(parameters('p'), '-web-1/dsc')]")]), [
    "[concat(parameters('p'), '-web-1/dsc')] -> [concat(parameters('p'), '-web-', copyIndex())]",
  ]);
  // a lookup compares at most 256 loop names of one shape, start and end: a parent past them is not found
  const many = Array.from({ length: 300 }, (_, i) => machine(`[format('vm{0}-k${i}-{1}', copyIndex(), parameters('q'))]`));
  assert.deepEqual(parents([...many, child("[format('vm1-k299-{0}/dsc', parameters('q'))]"), child("[format('vm1-k255-{0}/dsc', parameters('q'))]")]), [
    "[format('vm1-k299-{0}/dsc', parameters('q'))] -> none",
    "[format('vm1-k255-{0}/dsc', parameters('q'))] -> [format('vm{0}-k255-{1}', copyIndex(), parameters('q'))]",
  ]);
});

test("a parent that is not in the template is named by the extension's own name, as an expression", () => {
  const text = `{
    "$schema": "${SCHEMA}",
    "parameters": { "prefix": { "type": "string" } },
    "resources": [
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "[concat(parameters('prefix'), '-s2d-', copyIndex(1), '/dsc')]", "copy": { "name": "l", "count": 2 }, ${dsc} },
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "[concat(parameters('prefix'), '/dsc')]", ${dsc} },
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "[concat('vm', '-01/dsc')]", ${dsc} }
    ]
  }`;
  assert.deepEqual(
    model(text).dscExtensions.map((e) => [e.parent, e.parentName]),
    [
      [null, "[concat(parameters('prefix'), '-s2d-', copyIndex(1))]"],
      [null, "[parameters('prefix')]"],
      [null, "vm-01"],
    ],
  );
});

test("wrongly typed slots never throw", () => {
  for (const resources of ["null", "5", `"x"`, "[null, [], 1, {}]", `{"a": null}`, `[{"type": "Microsoft.Compute/virtualMachines", "properties": []}]`]) {
    assert.doesNotThrow(() => model(`{"$schema": "${SCHEMA}", "resources": ${resources}}`));
  }
});

test("extensions that no deployment deploys are left out, with their machines", () => {
  const ext = (name: string, condition: string) =>
    `{ "type": "Microsoft.Compute/virtualMachines/extensions", "name": "${name}", "condition": ${condition}, "properties": { "publisher": "Microsoft.Powershell", "type": "DSC" } }`;
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "parameters": {
      "enable": { "type": "bool", "defaultValue": false },
      "mode": { "type": "string", "allowedValues": ["a", "b"] },
      "rootCfg": { "type": "object", "defaultValue": { "enabled": false } }
    },
    "variables": { "off": false },
    "resources": [
      ${ext("vm1/literal", "false")},
      ${ext("vm1/variable", `"[variables('off')]"`)},
      ${ext("vm1/allowed", `"[equals(parameters('mode'), 'c')]"`)},
      ${ext("vm1/default", `"[parameters('enable')]"`)},
      {
        "type": "Microsoft.Compute/virtualMachineScaleSets",
        "name": "ss1",
        "condition": "[and(true(), variables('off'))]",
        "properties": { "virtualMachineProfile": { "extensionProfile": { "extensions": [{ "name": "dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC" } }] } } }
      },
      {
        "type": "Microsoft.Resources/deployments",
        "name": "module",
        "properties": {
          "expressionEvaluationOptions": { "scope": "inner" },
          "parameters": {
            "passed": { "value": { "enabled": true } },
            "fromRoot": { "value": "[parameters('enable')]" },
            "rootObject": { "value": "[parameters('rootCfg')]" }
          },
          "template": {
            "parameters": {
              "cfg": { "type": "object", "defaultValue": { "enabled": false } },
              "passed": { "type": "object", "defaultValue": { "enabled": false } },
              "fromRoot": { "type": "bool" },
              "rootObject": { "type": "object" }
            },
            "resources": [${ext("vm1/module-default", `"[parameters('cfg').enabled]"`)}, ${ext("vm1/module-passed", `"[parameters('passed').enabled]"`)}, ${ext("vm1/module-root", `"[parameters('fromRoot')]"`)}, ${ext("vm1/module-root-member", `"[tryGet(parameters('rootObject'), 'enabled')]"`)}]
          }
        }
      }
    ]
  }`;
  const m = model(text);
  // a root parameter's default is not known: a deployment may pass another value; a module's default is
  assert.deepEqual(m.dscExtensions.map((e) => e.name), ["vm1/default", "vm1/module-passed", "vm1/module-root", "vm1/module-root-member"]);
  assert.deepEqual(m.undeployed.map((e) => e.name), ["vm1/literal", "vm1/variable", "vm1/allowed", "dsc", "vm1/module-default"]);
  assert.deepEqual(m.machines, []);
});

test("a parent's condition does not reach its child resources; a Key Vault reference or parameters file is not a default", () => {
  const dscProps = `"properties": { "publisher": "Microsoft.Powershell", "type": "DSC" }`;
  /** A module whose extension deploys when `flag` is non-empty, deployed with `passing`. */
  const module = (name: string, passing: string) =>
    innerDeployment(
      name,
      passing,
      `"parameters": { "flag": { "type": "secureString", "defaultValue": "" } },
            "resources": [{ "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm1/${name}", "condition": "[not(empty(parameters('flag')))]", ${dscProps} }]`,
    );
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "variables": { "createVm": false },
    "resources": [
      {
        "type": "Microsoft.Compute/virtualMachines",
        "name": "vm1",
        "condition": "[variables('createVm')]",
        "resources": [{ "type": "extensions", "name": "child", ${dscProps} }]
      },
      ${module("keyVault", `"parameters": { "flag": { "reference": { "keyVault": { "id": "kv" }, "secretName": "s" } } }`)},
      ${module("linked", `"parametersLink": { "uri": "https://example.org/p.json" }`)},
      ${module("nothing", `"parameters": {}`)}
    ]
  }`;
  const m = model(text);
  assert.deepEqual(m.dscExtensions.map((e) => e.name), ["child", "vm1/keyVault", "vm1/linked"]);
  assert.deepEqual(m.undeployed.map((e) => e.name), ["vm1/nothing"]);
  assert.deepEqual(m.machines, []);
});

test("a profile entry whose first scale set is never deployed is the entry of the next one that reads it", () => {
  const scaleSet = (name: string, condition: string) =>
    `{ "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "${name}",${condition} "properties": { "virtualMachineProfile": { "extensionProfile": { "extensions": ["[variables('dsc')]"] } } } }`;
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "variables": { "dsc": { "name": "dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC" } } },
    "resources": [${scaleSet("old", ` "condition": false,`)}, ${scaleSet("new", "")}, ${scaleSet("other", "")}]
  }`;
  const m = model(text);
  assert.deepEqual(m.dscExtensions.map((e) => [e.name, e.parentName, e.alsoIn.map((p) => p.parent.resource.nameText)]), [["dsc", "new", ["old", "other"]]]);
  assert.deepEqual(m.undeployed, []);
  // every scale set that reads it never deployed: so is the entry
  const none = model(text.replace(`"name": "new",`, `"name": "new", "condition": false,`).replace(`"name": "other",`, `"name": "other", "condition": false,`));
  assert.deepEqual(none.dscExtensions, []);
  assert.deepEqual(none.undeployed.map((e) => e.name), ["dsc"]);
});

test("a profile entry taken over from an undeployed scale set goes to a profile at its right path, as a scale set's entry", () => {
  const reader = (type: string, name: string, path: string, condition = "") =>
    `{ "type": "Microsoft.Compute/${type}", "name": "${name}",${condition} "properties": { ${path}: { "extensions": ["[variables('dsc')]"] } } }`;
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "variables": { "dsc": { "name": "dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC" } } },
    "resources": [
      ${reader("virtualMachineScaleSets", "old", `"virtualMachineProfile": { "extensionProfile"`, ` "condition": false,`)} },
      ${reader("virtualMachines", "vm1", `"extensionProfile"`)},
      ${reader("virtualMachineScaleSets", "new", `"virtualMachineProfile": { "extensionProfile"`)} }
    ]
  }`;
  const m = model(text);
  assert.deepEqual(
    m.dscExtensions.map((e) => [e.name, e.parentName, e.parentKind, e.placement, e.alsoIn.map((p) => p.parent.resource.nameText)]),
    [["dsc", "new", "vmss", "vmss-profile", ["vm1", "old"]]],
  );
});

test("a child of a machine that no deployment deploys sits on the existing one of that name", () => {
  const scaleSet = (symbol: string, extra: string) =>
    `"${symbol}": { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2024-07-01", "name": "vmss1", ${extra} }`;
  const text = `{
    "$schema": "${SCHEMA}",
    "languageVersion": "2.0",
    "contentVersion": "1.0.0.0",
    "parameters": { "createNew": { "type": "bool", "defaultValue": false } },
    "resources": {
      ${scaleSet("fresh", `"condition": "[parameters('createNew')]", "properties": { "upgradePolicy": { "mode": "Manual" } }`)},
      ${scaleSet("old", `"existing": true`)},
      "dsc": { "type": "Microsoft.Compute/virtualMachineScaleSets/extensions", "name": "vmss1/dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC" } }
    }
  }`;
  // the root template's parameter may be passed true: the conditional scale set is the parent
  assert.equal(model(text).dscExtensions[0]!.parent?.resource.existing, false);
  // in a module whose caller passes nothing, it is never deployed
  const inModule = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "resources": [{ "type": "Microsoft.Resources/deployments", "name": "mod", "properties": { "expressionEvaluationOptions": { "scope": "inner" }, "template": ${text} } }]
  }`;
  const [ext] = model(inModule).dscExtensions;
  assert.equal(ext!.parent?.resource.existing, true);
  assert.equal(ext!.parentName, "vmss1");
  // a scale set of that name that the enclosing template deploys is the one (an existing declaration stands for it)
  const outer = inModule.replace(
    `"resources": [{ "type": "Microsoft.Resources/deployments"`,
    `"resources": [{ "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "vmss1", "properties": { "upgradePolicy": { "mode": "Automatic" } } }, { "type": "Microsoft.Resources/deployments"`,
  );
  const [inner] = model(outer).dscExtensions;
  assert.equal(inner!.parent?.resource.template.parent, null);
  assert.equal(inner!.parent?.upgradeMode?.kind === "known" && inner.parent.upgradeMode.value, "Automatic");
  // also without the existing declaration
  const [alone] = model(outer.replace(/"old": \{[^}]*\},/u, "")).dscExtensions;
  assert.equal(alone!.parent?.resource.template.parent, null);
});

test("a nullable parameter of a nested template that its deployment does not pass is null", () => {
  const dscProps = `"properties": { "publisher": "Microsoft.Powershell", "type": "DSC" }`;
  /** A module with a nullable \`settings\` parameter, whose extension deploys when it is given. */
  const module = (name: string, passing: string, nullable = `"nullable": true`) =>
    innerDeployment(
      name,
      passing,
      `"parameters": { "settings": { "type": "object", ${nullable} } },
            "resources": [{ "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm1/${name}", "condition": "[not(equals(parameters('settings'), null()))]", ${dscProps} }]`,
    );
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "parameters": { "rootSettings": { "type": "object", "nullable": true } },
    "resources": [
      { "type": "Microsoft.Compute/virtualMachines", "name": "vm1" },
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm1/root", "condition": "[not(equals(parameters('rootSettings'), null()))]", ${dscProps} },
      ${module("absent", `"parameters": {}`)},
      ${module("absentExpression", `"parameters": "[createObject()]"`)},
      ${module("passed", `"parameters": { "settings": { "value": { "a": 1 } } }`)},
      ${module("linked", `"parametersLink": { "uri": "https://example.org/p.json" }`)},
      ${module("notNullable", `"parameters": {}`, `"nullable": false`)}
    ]
  }`;
  const m = model(text);
  // a deployment may pass the root's parameter, and a parameters file the linked module's; a
  // parameter that is not nullable must be passed (ARM rejects the deployment otherwise)
  assert.deepEqual(m.dscExtensions.map((e) => e.name), ["vm1/root", "vm1/passed", "vm1/linked", "vm1/notNullable"]);
  assert.deepEqual(m.undeployed.map((e) => e.name), ["vm1/absent", "vm1/absentExpression"]);
});

test("a nested template's parameter that its deployment does not pass keeps its default, allowedValues or not", () => {
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "parameters": { "rootMode": { "type": "string", "defaultValue": "Manual", "allowedValues": ["Manual", "Automatic"] } },
    "resources": [
      { "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "root", "properties": { "upgradePolicy": { "mode": "[parameters('rootMode')]" } } },
      {
        "type": "Microsoft.Resources/deployments",
        "name": "module",
        "properties": {
          "expressionEvaluationOptions": { "scope": "inner" },
          "template": {
            "parameters": { "mode": { "type": "string", "defaultValue": "Manual", "allowedValues": ["Manual", "Automatic", "Rolling"] } },
            "resources": [{ "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "inner", "properties": { "upgradePolicy": { "mode": "[parameters('mode')]" } } }]
          }
        }
      }
    ]
  }`;
  const modes = model(text).machines.map((m) => (m.upgradeMode?.kind === "known" ? m.upgradeMode.value : m.upgradeMode?.kind === "choice" ? m.upgradeMode.values : null));
  // a deployment may set the root's parameter to any allowed value; nothing can set the module's
  assert.deepEqual(modes, [["Manual", "Automatic"], "Manual"]);
});

test("a scale set's profile, extension list, entries and entry properties are read where a variable writes them", () => {
  const dsc = `{ "name": "dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC" } }`;
  const scaleSet = (name: string, profile: string) => `{ "type": "Microsoft.Compute/virtualMachineScaleSets", "name": "${name}", "properties": { "virtualMachineProfile": ${profile} } }`;
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "parameters": { "withDsc": { "type": "bool" } },
    "variables": {
      "list": [${dsc}],
      "profile": { "extensionProfile": { "extensions": [${dsc}] } },
      "entry": ${dsc},
      "props": { "publisher": "Microsoft.Powershell", "type": "DSC" },
      "none": [],
      "list2": [${dsc.replace('"dsc"', '"e"')}],
      "entry2": ${dsc.replace('"dsc"', '"f"')},
      "entry3": ${dsc.replace('"dsc"', '"g"')},
      "entry4": ${dsc.replace('"dsc"', '"i"')},
      "entry5": ${dsc.replace('"dsc"', '"j"')},
      "built": "[concat(createArray(variables('entry4')), createArray())]",
      "entry6": ${dsc.replace('"dsc"', '"k6"')},
      "entry7": ${dsc.replace('"dsc"', '"k7"')},
      "entry8": ${dsc.replace('"dsc"', '"l8"')},
      "entry9": ${dsc.replace('"dsc"', '"l9"')}
    },
    "resources": [
      ${scaleSet("a", `{ "extensionProfile": { "extensions": "[variables('list')]" } }`)},
      ${scaleSet("b", `"[variables('profile')]"`)},
      ${scaleSet("c", `{ "extensionProfile": { "extensions": ["[variables('entry')]", { "name": "own", "properties": "[variables('props')]" }] } }`)},
      ${scaleSet("d", `{ "extensionProfile": { "extensions": "[if(parameters('withDsc'), variables('list'), variables('none'))]" } }`)},
      ${scaleSet("e", `{ "extensionProfile": { "extensions": "[concat(variables('list2'), variables('none'))]" } }`)},
      ${scaleSet("f", `{ "extensionProfile": { "extensions": "[if(parameters('withDsc'), createArray(variables('entry2')), createArray())]" } }`)},
      ${scaleSet("g", `{ "extensionProfile": { "extensions": "[union(if(parameters('withDsc'), createArray(variables('entry3')), createArray()), variables('none'))]" } }`)},
      ${scaleSet("h", `{ "extensionProfile": { "extensions": "[createArray(createObject('name', 'h', 'properties', variables('props')))]" } }`)},
      ${scaleSet("i", `{ "extensionProfile": { "extensions": "[variables('built')]" } }`)},
      ${scaleSet("j", `{ "extensionProfile": { "extensions": "[if(false(), createArray(variables('entry5')), createArray())]" } }`)},
      ${scaleSet("k", `{ "extensionProfile": { "extensions": "[createArray(if(parameters('withDsc'), variables('entry6'), variables('entry7')))]" } }`)},
      ${scaleSet("l", `{ "extensionProfile": { "extensions": ["[if(parameters('withDsc'), variables('entry8'), variables('entry9'))]"] } }`)}
    ]
  }`;
  const m = model(text);
  // d reads the same written entry as a: one extension. Lists built by concat(), union(),
  // createArray() and if() (Bicep's `cond ? [dsc] : []`) are followed to the entries written out,
  // also from a variable that builds the list (i), but not into a branch never taken (j); an
  // entry built by createObject() is not.
  // An element that chooses its entry (k, l: Bicep's `[p ? a : b]`) gives both, each with its choice.
  assert.deepEqual(m.dscExtensions.map((e) => `${e.parentName}/${e.name}`), ["a/dsc", "b/dsc", "c/dsc", "c/own", "e/e", "f/f", "g/g", "i/i", "k/k6", "k/k7", "l/l8", "l/l9"]);
  // f's entry deploys only where its if() goes the first way
  assert.deepEqual(m.dscExtensions.map((e) => e.branches.map((b) => b.taken)), [[], [], [], [], [], [true], [true], [], [true], [false], [true], [false]]);
  assert.ok(m.dscExtensions.every((e) => e.placement === "vmss-profile"));
  const sharedText = m.shared.map((node) => text.slice(node.range[0], node.range[1]).replace(/\s+/gu, " ").slice(0, 24));
  assert.deepEqual(sharedText, [
    `[${dsc}]`.slice(0, 24),
    `{ "extensionProfile": { `,
    dsc.slice(0, 24),
    `{ "publisher": "Microsof`,
    `[${dsc}]`.slice(0, 24),
    "[]",
    `[${dsc}]`.replace('"dsc"', '"e"').slice(0, 24),
    "[]",
    dsc.replace('"dsc"', '"f"').slice(0, 24),
    dsc.replace('"dsc"', '"g"').slice(0, 24),
    "[]",
    dsc.replace('"dsc"', '"i"').slice(0, 24),
    ...["k6", "k7", "l8", "l9"].map((name) => dsc.replace('"dsc"', `"${name}"`).slice(0, 24)),
  ]);
});

test("every DSC extension of the corpus is found, at the placement FACTS.jsonl gives", () => {
  const dir = new URL("../../corpus/templates/", import.meta.url);
  const facts = readFileSync(new URL("FACTS.jsonl", dir), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { file: string; jsonPointer: string; placement: string; parentKind: string });
  const names: Record<string, string> = { "vm-top-level": "vm-top-level", "vm-nested-child": "vm-nested-child", "vmss-extensionProfile": "vmss-profile", "vmss-top-level-child": "vmss-top-level" };
  const expected = facts.map((f) => `${f.file}#${f.jsonPointer} ${names[f.placement]} ${f.parentKind}`).sort();
  const found: string[] = [];
  const undeployed: string[] = [];
  for (const file of new Set(facts.map((f) => f.file))) {
    const text = readFileSync(new URL(file, dir), "utf8").replace(/^\uFEFF/u, "");
    const m = model(text);
    for (const e of m.dscExtensions) found.push(`${file}#${jsonPointer(e.node)} ${e.placement} ${e.parentKind}`);
    // AVM modules whose callers leave DSC and host-pool registration at their { enabled: false } defaults
    for (const e of m.undeployed.filter((e) => e.isDsc)) {
      undeployed.push(`${file}#${jsonPointer(e.node)}`);
      found.push(`${file}#${jsonPointer(e.node)} ${e.placement} ${e.parentKind}`);
    }
  }
  assert.deepEqual(found.sort(), expected);
  assert.deepEqual(undeployed.map((u) => u.replace(/#.*\/resources\/(\w+)\/properties\/template\/resources\/extension$/u, " $1")).sort(), [
    "Azure__avdaccelerator/workload__arm__brownfield__deployNewSessionHosts.json vm_desiredStateConfigurationExtension",
    "aqt-current/application-workloads__sharepoint__sharepoint-adfs__azuredeploy.json vm_desiredStateConfigurationExtension",
    "aqt-current/application-workloads__sharepoint__sharepoint-adfs__azuredeploy.json vm_desiredStateConfigurationExtension",
    "aqt-current/application-workloads__sharepoint__sharepoint-adfs__azuredeploy.json vm_hostPoolRegistrationExtension",
    "aqt-current/application-workloads__sharepoint__sharepoint-adfs__azuredeploy.json vm_hostPoolRegistrationExtension",
  ]);
});

test("a value read from a parameter a deployment may set names it among its inputs", () => {
  const inner = (name: string, deploymentMembers: string) =>
    innerDeployment(
      name,
      deploymentMembers,
      `"parameters": { "flag": { "type": "bool", "defaultValue": true }, "size": { "type": "string", "defaultValue": "a" } },
            "variables": { "both": "[concat(string(parameters('flag')), parameters('size'))]" },
            "resources": []`,
    );
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "parameters": {
      "flag": { "type": "bool", "defaultValue": false },
      "pinned": { "type": "string", "defaultValue": "x", "allowedValues": ["x", "y"] }
    },
    "variables": { "read": "[concat(string(parameters('flag')), parameters('pinned'))]" },
    "resources": [
      ${inner("literal", `"parameters": { "flag": { "value": true } }`)},
      ${inner("fromRoot", `"parameters": { "flag": { "value": "[parameters('flag')]" } }`)},
      ${inner("linked", `"parametersLink": { "uri": "https://example.org/p.json" }, "parameters": { "size": { "value": "b" } }`)}
    ]
  }`;
  const m = model(text);
  const inputs = (index: number, variable: string) => {
    const scope = m.templates[index]!.scope;
    return evaluateNode(scope.variable(variable)!, scope).prov.inputs;
  };
  // the root's parameters: a default may be replaced; literal allowedValues are every value there is
  assert.deepEqual(inputs(0, "read"), ["flag"]);
  // a nested template's: what its deployment passes, and the root parameter passed on
  assert.deepEqual(inputs(1, "both"), []);
  assert.deepEqual(inputs(2, "both"), ["flag"]);
  // a linked parameters file may set what the deployment does not pass
  assert.deepEqual(inputs(3, "both"), ["flag"]);
});
