import { test } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "jsonc-eslint-parser";
import { getTemplateModel, type ResourceInfo } from "../../../lib/template/model.js";
import { dependsOnResource } from "../../../lib/template/depends.js";
import { SCHEMA } from "../../helpers/at.js";

/**
 * A looping VM, a domain-join extension per VM whose own dependency is `joinDependsOn`, and an
 * extension `vm1/dsc` with the given `dependsOn` entries; the resources by name text.
 */
function resources(joinDependsOn: string, dscDependsOn: string[]): Map<string, ResourceInfo> {
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "parameters": { "flag": { "type": "bool" } },
    "resources": [
      { "type": "Microsoft.Compute/virtualMachines", "name": "[concat('vm', copyIndex())]", "copy": { "name": "vms", "count": 2 } },
      { "type": "Microsoft.Network/networkInterfaces", "name": "[concat('nic', copyIndex())]", "copy": { "name": "nics", "count": 2 } },
      {
        "type": "Microsoft.Compute/virtualMachines/extensions",
        "name": "[concat('vm', copyIndex(), '/join')]",
        "copy": { "name": "joins", "count": 2 },
        "dependsOn": [${joinDependsOn}]
      },
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm1/dsc", "dependsOn": ${JSON.stringify(dscDependsOn)} }
    ]
  }`;
  const model = getTemplateModel(parseForESLint(text, { jsonSyntax: "JSONC" }).ast, text);
  return new Map(model.resources.map((r) => [r.nameText ?? "", r]));
}

const JOIN_ON_VM = `"[resourceId('Microsoft.Compute/virtualMachines', concat('vm', copyIndex()))]"`;
const JOIN_ON_NIC = `"[resourceId('Microsoft.Network/networkInterfaces', concat('nic', copyIndex()))]"`;
/** Names VM 1's or VM 0's join extension, depending on a parameter without a default. */
const EITHER_JOIN = "[concat('Microsoft.Compute/virtualMachines/vm', if(parameters('flag'), '1', '0'), '/extensions/join')]";
const VM1_JOIN = "[resourceId('Microsoft.Compute/virtualMachines/extensions', 'vm1', 'join')]";

/** What dependsOnResource says of `vm1/dsc` and the looping VM. */
function answer(joinDependsOn: string, dscDependsOn: string[]): string {
  const byName = resources(joinDependsOn, dscDependsOn);
  return dependsOnResource(byName.get("vm1/dsc")!, byName.get("[concat('vm', copyIndex())]")!);
}

test("a chain through an entry that surely names the next resource answers yes or no", () => {
  assert.equal(answer(JOIN_ON_VM, [VM1_JOIN]), "yes");
  assert.equal(answer(JOIN_ON_NIC, [VM1_JOIN]), "no");
  assert.equal(answer(JOIN_ON_VM, []), "no");
});

test("a chain through an entry that may name the next resource answers maybe, never yes", () => {
  assert.equal(answer(JOIN_ON_VM, [EITHER_JOIN]), "maybe");
  // neither resource the entry may name depends on the VM
  assert.equal(answer(JOIN_ON_NIC, [EITHER_JOIN]), "no");
});

test("a resource reached through an uncertain entry first is walked again when a sure one reaches it", () => {
  assert.equal(answer(JOIN_ON_VM, [EITHER_JOIN, VM1_JOIN]), "yes");
  assert.equal(answer(JOIN_ON_VM, [VM1_JOIN, EITHER_JOIN]), "yes");
});

/** What dependsOnResource says of extension `vm1/dsc`, depending on `entry`, and VM `vm1`; NIC `[concat(parameters('prefix'), 'nic1')]` depends on the VM. */
function throughNic(entry: string): string {
  const text = `{
    "$schema": "${SCHEMA}",
    "contentVersion": "1.0.0.0",
    "parameters": { "prefix": { "type": "string" }, "other": { "type": "string" } },
    "resources": [
      { "type": "Microsoft.Compute/virtualMachines", "name": "vm1" },
      { "type": "Microsoft.Network/networkInterfaces", "name": "[concat(parameters('prefix'), 'nic1')]", "dependsOn": ["vm1"] },
      { "type": "Microsoft.Compute/virtualMachines/extensions", "name": "vm1/dsc", "dependsOn": ["${entry}"] }
    ]
  }`;
  const model = getTemplateModel(parseForESLint(text, { jsonSyntax: "JSONC" }).ast, text);
  const byName = new Map(model.resources.map((r) => [r.nameText ?? "", r]));
  return dependsOnResource(byName.get("vm1/dsc")!, byName.get("vm1")!);
}

test("names that start or end with the same expression differ where their text does", () => {
  assert.equal(throughNic("[resourceId('Microsoft.Network/networkInterfaces', concat(parameters('prefix'), 'nic1'))]"), "yes");
  // the same prefix has the same value in both names: 'nic2' is never 'nic1'
  assert.equal(throughNic("[resourceId('Microsoft.Network/networkInterfaces', concat(parameters('prefix'), 'nic2'))]"), "no");
  // another expression may hold anything
  assert.equal(throughNic("[resourceId('Microsoft.Network/networkInterfaces', concat(parameters('other'), 'nic2'))]"), "maybe");
});
