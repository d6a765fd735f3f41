import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Linter } from "eslint";
import rule from "../../rules/extension-depends-on-parent.js";
import { FRONT_ENDS, runRuleTests } from "../helpers/tester.js";
import { at, errorAt, oneError, PARAMETERS_SCHEMA, SCHEMA } from "../helpers/at.js";

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8");

const DSC_PROPERTIES = `"properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83" }`;

/** A VM named by a variable and a top-level DSC extension with the given extra members. */
function topLevel(members: string, { variables = "", extraResources = "" } = {}): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "variables": { "vmName": "web-01"${variables} },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "[variables('vmName')]",
      "location": "[resourceGroup().location]",
      "properties": {}
    },${extraResources}
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "[concat(variables('vmName'), '/Microsoft.Powershell.DSC')]",
      "location": "[resourceGroup().location]",${members}
      ${DSC_PROPERTIES}
    }
  ]
}`;
}

const onVm = { name: "web-01/Microsoft.Powershell.DSC", parent: "virtual machine 'web-01'", kind: "virtual machine", inTurn: "" };
const ID = `"[resourceId('Microsoft.Compute/virtualMachines', variables('vmName'))]"`;

const missing = topLevel("");
const otherOnly = topLevel(`
      "dependsOn": [
        "[resourceId('Microsoft.Network/networkInterfaces', 'web-01-nic')]"
      ],`);
const throughNic = topLevel(`\n      "dependsOn": ["[resourceId('Microsoft.Network/networkInterfaces', 'web-01-nic')]"],`, {
  extraResources: `
    {
      "type": "Microsoft.Network/networkInterfaces",
      "apiVersion": "2024-05-01",
      "name": "web-01-nic",
      "dependsOn": ["[parameters('vnetId')]"]
    },`,
});
const oneLine = topLevel(`
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'web-02')]"],`);
const empty = topLevel(`
      "dependsOn": [],`);
const trailingComma = topLevel(`
      "dependsOn": [
        "web-01-nic", // the NIC
      ],`);

/** A VM with a nested DSC child extension with the given extra members. */
function nested(members: string, vmName = "vm1"): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "${vmName}",
      "resources": [
        {
          "type": "extensions",
          "apiVersion": "2024-07-01",
          "name": "Microsoft.Powershell.DSC",${members}
          ${DSC_PROPERTIES}
        }
      ]
    }
  ]
}`;
}
const nestedMissing = nested("");

const symbolic = `{
  "$schema": "${SCHEMA}",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "resources": {
    "vm": { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm1" },
    "dsc": {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/dsc",
      ${DSC_PROPERTIES}
    }
  }
}`;

/** A scale set and a top-level DSC child extension. */
const scaleSetChild = `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": { "vmssName": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "apiVersion": "2024-07-01",
      "name": "[parameters('vmssName')]",
      "properties": { "upgradePolicy": { "mode": "Automatic" } }
    },
    {
      "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
      "apiVersion": "2024-07-01",
      "name": "[format('{0}/dsc', parameters('vmssName'))]",
      ${DSC_PROPERTIES}
    }
  ]
}`;

/** VMs in a copy loop and a DSC extension per VM (in its own loop, or not), or for one of them. */
function looped(extensionCopy: string, dependsOn = "", name = "[concat('vm', copyIndex(), '/dsc')]"): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "[concat('vm', copyIndex())]",
      "copy": { "name": "vmLoop", "count": 2 }
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "${name}",${extensionCopy}${dependsOn}
      ${DSC_PROPERTIES}
    }
  ]
}`;
}
const loopedMissing = looped(`\n      "copy": { "name": "dscLoop", "count": 2 },`);
const loopedNoCopy = looped("");
// Depends on another VM only: a copy index stands for digits, so 'vm' + index is never 'gateway'.
const loopedOtherVm = looped(
  `\n      "copy": { "name": "dscLoop", "count": 2 },`,
  `\n      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'gateway')]", "[concat('Microsoft.Compute/virtualMachines/', 'vmx')]"],`,
);
// In a loop of its own, but the VM part of the name is not the VM's own name expression.
const loopedOffset = looped(`\n      "copy": { "name": "dscLoop", "count": 1 },`, "", "[concat('vm', copyIndex(1), '/dsc')]");
// As Bicep writes a loop over range(0, n): element i of the range is i, also indexed twice.
const BICEP_INDEX = "[format('vm{0}/dsc', range(0, 2)[range(0, 2)[copyIndex()]])]";
const loopedBicep = looped(`\n      "copy": { "name": "dscLoop", "count": 2 },`, "", BICEP_INDEX);
// Bicep's `for vm in vmNames` (VMs) and `for i in range(0, length(vmNames))` reading `vmNames[i]` (extensions).
const ELEMENT_NAME = "[format('{0}/dsc', parameters('vmNames')[range(0, length(parameters('vmNames')))[copyIndex()]])]";
const loopedElements = looped(`\n      "copy": { "name": "dscLoop", "count": "[length(range(0, length(parameters('vmNames'))))]" },`, "", ELEMENT_NAME)
  .replace(`"name": "[concat('vm', copyIndex())]"`, `"name": "[parameters('vmNames')[copyIndex()]]"`)
  .replace(`"contentVersion": "1.0.0.0",`, `"contentVersion": "1.0.0.0",\n  "parameters": { "vmNames": { "type": "array" } },`);
assert.ok(loopedElements.includes(`"[parameters('vmNames')[copyIndex()]]"`) && loopedElements.includes(`"vmNames": { "type": "array" }`));
const loopedLiteral = looped(`\n      "copy": { "name": "dscLoop", "count": 1 },`, "", "[concat('vm', '1/dsc')]");
// Web VMs and SQL VMs named from two parameters that default to "" (placeholders every deployment
// replaces, so two names); the web VMs' extensions depend on their own loop.
const twoPlaceholderLoops = looped(`\n      "copy": { "name": "webDsc", "count": 2 },`, `\n      "dependsOn": ["web"],`, "[concat(parameters('webPrefix'), '-', copyIndex(), '/dsc')]")
  .replace(`"name": "[concat('vm', copyIndex())]",\n      "copy": { "name": "vmLoop", "count": 2 }`, `"name": "[concat(parameters('webPrefix'), '-', copyIndex())]",\n      "copy": { "name": "web", "count": 2 }`)
  .replace(`"resources": [\n`, `"resources": [\n    { "type": "Microsoft.Compute/virtualMachines", "name": "[concat(parameters('sqlPrefix'), '-', copyIndex())]", "copy": { "name": "sql", "count": 2 } },\n`)
  .replace(`"contentVersion": "1.0.0.0",`, `"contentVersion": "1.0.0.0",\n  "parameters": { "sqlPrefix": { "type": "string", "defaultValue": "" }, "webPrefix": { "type": "string", "defaultValue": "" } },`);
assert.ok(twoPlaceholderLoops.includes(`"copy": { "name": "web", "count": 2 }`) && twoPlaceholderLoops.includes(`"sqlPrefix": {`) && twoPlaceholderLoops.includes(`"name": "sql"`));
// A child nested in a NIC in no loop, whose full name names VM 0 of the loop: copyIndex() there is no loop's index.
const nestedInNic = looped("").replace(
  /\{\n      "type": "Microsoft.Compute\/virtualMachines\/extensions",[\s\S]*\n    \}\n  \]/u,
  `{
      "type": "Microsoft.Network/networkInterfaces",
      "apiVersion": "2024-05-01",
      "name": "nic0",
      "resources": [
        { "type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2024-07-01", "name": "vm0/dsc", ${DSC_PROPERTIES} }
      ]
    }
  ]`,
);
assert.ok(nestedInNic.includes(`"name": "vm0/dsc"`) && !nestedInNic.includes("copyIndex(), '/dsc'"));

/**
 * The extension of VM 1 depends on VM 1's domain-join extension through an `if()` whose condition
 * is unknown before deployment: one branch names VM 1's join (which depends on VM 1), the other
 * VM 0's. `joinDependsOn` is the dependency of the join extensions.
 */
function throughCondition(joinDependsOn: string): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": { "count": { "type": "int" } },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "[concat('vm', copyIndex())]",
      "copy": { "name": "vmLoop", "count": "[parameters('count')]" }
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "[concat('vm', copyIndex(), '/join')]",
      "copy": { "name": "joinLoop", "count": "[parameters('count')]" },
      "dependsOn": [${joinDependsOn}],
      "properties": { "publisher": "Microsoft.Compute", "type": "JsonADDomainExtension", "typeHandlerVersion": "1.3" }
    },
    {
      "condition": "[greater(parameters('count'), 1)]",
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/dsc",
      "dependsOn": ["[concat('Microsoft.Compute/virtualMachines/vm', if(greater(parameters('count'), 1), '1', '0'), '/extensions/join')]"],
      ${DSC_PROPERTIES}
    }
  ]
}`;
}
/** The report on extension `name` of a template whose VM loops, at occurrence `index` of `key`. */
function onLoopingVm(code: string, name: string, key = `"name"`, index = 3) {
  return errorAt(code, "missingDependency", { name, parent: "virtual machine '[concat('vm', copyIndex())]'", kind: "virtual machine", inTurn: "" }, key, index);
}

const joinOnVm = throughCondition(`"[resourceId('Microsoft.Compute/virtualMachines', concat('vm', copyIndex()))]"`);
const joinOnNic = throughCondition(`"[resourceId('Microsoft.Network/networkInterfaces', concat('nic', copyIndex()))]"`);

/** The extension lives in a nested deployment; its VM in the outer template. */
const otherTemplate = `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm1" },
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "dsc",
      "properties": {
        "mode": "Incremental",
        "template": {
          "$schema": "${SCHEMA}",
          "contentVersion": "1.0.0.0",
          "resources": [
            { "type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2024-07-01", "name": "vm1/dsc", ${DSC_PROPERTIES} }
          ]
        }
      }
    }
  ]
}`;

const DEPLOYMENT_NEEDS = `"dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],\n      `;
const onVmInDeployment = { name: "vm1/dsc", parent: "virtual machine 'vm1'", kind: "virtual machine", deployment: "dsc", inTurn: "" };
// The same extension two deployments deep: the outer deployment, in the VM's template, needs the dependency.
const twoDeep = otherTemplate.replace(
  `"resources": [
            { "type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2024-07-01", "name": "vm1/dsc", ${DSC_PROPERTIES} }
          ]`,
  `"resources": [
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner", "properties": { "mode": "Incremental", "template": {
              "$schema": "${SCHEMA}", "contentVersion": "1.0.0.0",
              "resources": [ { "type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2024-07-01", "name": "vm1/dsc", ${DSC_PROPERTIES} } ] } } }
          ]`,
);
assert.notEqual(twoDeep, otherTemplate);
// Two DSC extensions on vm1 in one deployment (no-duplicate-dsc-extension's report): one dependency is missing.
const twoInOne = otherTemplate.replace(
  `"name": "vm1/dsc", ${DSC_PROPERTIES} }`,
  `"name": "vm1/dsc", ${DSC_PROPERTIES} },
            { "type": "Microsoft.Compute/virtualMachines/extensions", "apiVersion": "2024-07-01", "name": "vm1/dsc2", ${DSC_PROPERTIES} }`,
);
assert.notEqual(twoInOne, otherTemplate);
const innerReference = otherTemplate
  .replace(`"mode": "Incremental",`, `"mode": "Incremental",\n        "expressionEvaluationOptions": { "scope": "inner" },`)
  .replace(`"typeHandlerVersion": "2.83" }`, `"typeHandlerVersion": "2.83", "settings": { "configurationArguments": { "id": "[reference(resourceId('Microsoft.Compute/virtualMachines', 'vm1')).vmId]" } } }`);
assert.notEqual(innerReference, otherTemplate);

// The VM waits for the deployment (or the extension): the missing dependency alone would make a cycle.
const vmAfterDeployment = otherTemplate.replace(
  `"name": "vm1" }`,
  `"name": "vm1", "dependsOn": ["[resourceId('Microsoft.Resources/deployments', 'dsc')]"] }`,
);
const vmAfterExtension = topLevel("").replace(
  `"location": "[resourceGroup().location]",
      "properties": {}`,
  `"location": "[resourceGroup().location]",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines/extensions', variables('vmName'), 'Microsoft.Powershell.DSC')]"],
      "properties": {}`,
);
assert.notEqual(vmAfterExtension, topLevel(""));
/** A VM whose dependencies an expression gives: it may wait for the extension. */
const vmMayWait = topLevel("").replace(
  `"location": "[resourceGroup().location]",
      "properties": {}`,
  `"location": "[resourceGroup().location]",
      "dependsOn": "[variables('vmDependsOn')]",
      "properties": {}`,
);
assert.notEqual(vmMayWait, topLevel(""));

/** An invalid case: nested deployment 'dsc' in `code` misses vm1, and the fix adds it to the deployment's dependsOn. */
function deploymentNeedsVm(code: string) {
  return {
    code,
    output: code.replace(`"name": "dsc",\n      `, `"name": "dsc",\n      ${DEPLOYMENT_NEEDS}`),
    errors: [{ messageId: "deploymentMissingDependency" as const, data: onVmInDeployment, ...at(code, `"name"`, 2) }],
  };
}

/** languageVersion 2.0 loops of VMs and of their DSC extensions; `dependsOn` names an element as Bicep writes it. */
function symbolicLoops(dependsOn: string): string {
  return `{
  "$schema": "${SCHEMA}",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "resources": {
    "vms": { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "[format('vm{0}', copyIndex())]", "copy": { "name": "vms", "count": 2 } },
    "nics": { "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2024-01-01", "name": "[format('nic{0}', copyIndex())]", "copy": { "name": "nics", "count": 2 } },
    "vmDsc": {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "[format('vm{0}/dsc', copyIndex())]",
      "copy": { "name": "vmDsc", "count": 2 },
      "dependsOn": [${dependsOn}],
      ${DSC_PROPERTIES}
    }
  }
}`;
}
const otherLoopElement = symbolicLoops(`"[format('nics[{0}]', copyIndex())]"`);

const existing = symbolic.replace(`"name": "vm1" }`, `"name": "vm1", "existing": true }`);
/** An `existing` declaration of vm1 written before the declaration that deploys it. */
const existingFirst = symbolic.replace(
  `"vm": {`,
  `"vmRef": { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm1", "existing": true, "dependsOn": ["vm"] },
    "vm": {`,
);
assert.notEqual(existingFirst, symbolic);

runRuleTests("extension-depends-on-parent", rule, {
  valid: [
    // a VM that no deployment of the file deploys exists already (or the extension fails): no race
    topLevel("").replace(`"name": "[variables('vmName')]",`, `"name": "[variables('vmName')]",\n      "condition": false,`),
    otherTemplate.replace(`"name": "vm1" }`, `"name": "vm1", "condition": "[equals('a', 'b')]" }`),
    { code: example("vm-dsc.json"), filename: "vm-dsc.json" },
    { code: example("vmss-dsc.json"), filename: "vmss-dsc.json" },
    topLevel(`\n      "dependsOn": [${ID}],`),
    // every form ARM accepts
    topLevel(`\n      "dependsOn": ["[resourceId(subscription().subscriptionId, resourceGroup().name, 'Microsoft.Compute/virtualMachines', variables('vmName'))]"],`),
    topLevel(`\n      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines/', 'web-01')]"],`),
    topLevel(`\n      "dependsOn": ["[concat('Microsoft.Compute/virtualMachines/', variables('vmName'))]"],`),
    topLevel(`\n      "dependsOn": ["Microsoft.Compute/virtualMachines/web-01"],`),
    topLevel(`\n      "dependsOn": ["[variables('vmName')]"],`),
    topLevel(`\n      "dependsOn": ["web-01"],`),
    topLevel(`\n      "dependsOn": ["[variables('vmId')]"],`, {
      variables: `, "vmId": "[resourceId('Microsoft.Compute/virtualMachines', variables('vmName'))]"`,
    }),
    nested(`\n          "dependsOn": ["[concat('/subscriptions/', subscription().subscriptionId, '/resourceGroups/', resourceGroup().name, '/providers/Microsoft.Compute/virtualMachines/vm1')]"],`),
    symbolic.replace(`"name": "vm1/dsc",`, `"name": "vm1/dsc",\n      "dependsOn": ["vm"],`),
    // an element of a symbolic loop: the extension's own index, or a fixed one that may be right
    symbolicLoops(`"[format('vms[{0}]', copyIndex())]"`),
    symbolicLoops(`"vms[0]"`),
    looped(`\n      "copy": { "name": "dscLoop", "count": 2 },`, `\n      "dependsOn": ["vmLoop"],`),
    // through a resource that an entry may name (one branch of an unknown if()) and that depends on the VM
    joinOnVm,
    looped(`\n      "copy": { "name": "dscLoop", "count": 2 },`, `\n      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', concat('vm', copyIndex()))]"],`),
    // through another resource that depends on the VM
    topLevel(`\n      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines/extensions', variables('vmName'), 'JoinDomain')]"],`, {
      extraResources: `
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "[concat(variables('vmName'), '/JoinDomain')]",
      "dependsOn": [${ID}],
      "properties": { "publisher": "Microsoft.Compute", "type": "JsonADDomainExtension", "typeHandlerVersion": "1.3" }
    },`,
    }),
    // reference() on the VM is an implicit dependency
    topLevel("").replace(
      `"typeHandlerVersion": "2.83" }`,
      `"typeHandlerVersion": "2.83", "settings": { "configurationArguments": { "nodeName": "[reference(resourceId('Microsoft.Compute/virtualMachines', variables('vmName'))).osProfile.computerName]" } } }`,
    ),
    // entries that cannot be resolved may name the VM: quiet
    topLevel(`\n      "dependsOn": ["[parameters('vmId')]"],`),
    // an unknown expression that is the VM's own name expression names the VM
    nested(`\n          "dependsOn": ["[parameters('vmName')]"],`, "[parameters('vmName')]"),
    topLevel(`\n      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', parameters('otherVm'))]"],`),
    // dependsOn that is not an array is skipped
    topLevel(`\n      "dependsOn": "[variables('deps')]",`),
    // two parameters defaulting to "" (placeholders every deployment replaces) are two names: this
    // extension is on the web VMs, which its dependsOn names, not on the SQL VMs
    twoPlaceholderLoops,
    // the nested deployment that holds the extension depends on the VM, or deploys to another resource group
    otherTemplate.replace(`"name": "dsc",\n      `, `"name": "dsc",\n      ${DEPLOYMENT_NEEDS}`),
    twoDeep.replace(`"name": "dsc",\n      `, `"name": "dsc",\n      "dependsOn": ["vm1"],\n      `),
    otherTemplate.replace(`"name": "dsc",\n      `, `"name": "dsc",\n      "resourceGroup": "rg2",\n      `),
    // the parent is not deployed by this template
    existing,
    nested("").replace(`"type": "DSC"`, `"type": "CustomScriptExtension"`),
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": {} }`,
  ],
  invalid: [
    // ARM orders the resources of one template: the deployment runs alongside the VM
    deploymentNeedsVm(otherTemplate),
    // a reference() inside an inner-scoped template orders nothing in the enclosing one
    deploymentNeedsVm(innerReference),
    // no fix when the VM depends on the deployment or the extension: that would be a cycle
    oneError(vmAfterDeployment, "deploymentMissingDependency", { ...onVmInDeployment, inTurn: ", and the virtual machine depends on the deployment in turn (directly or through other resources): drop that dependency first" }, `"name"`, 2),
    oneError(vmMayWait, "missingDependency", { ...onVm, inTurn: ", and the virtual machine may depend on the extension in turn (directly or through other resources): drop that dependency first" }, `"name"`, 2),
    oneError(vmAfterExtension, "missingDependency", { ...onVm, inTurn: ", and the virtual machine depends on the extension in turn (directly or through other resources): drop that dependency first" }, `"name"`, 2),
    deploymentNeedsVm(twoInOne),
    deploymentNeedsVm(twoDeep),
    {
      code: missing,
      output: topLevel(`\n      "dependsOn": [${ID}],`),
      errors: [{ messageId: "missingDependency", data: onVm, ...at(missing, `"name"`, 2) }],
    },
    {
      code: otherOnly,
      output: otherOnly.replace(
        `"[resourceId('Microsoft.Network/networkInterfaces', 'web-01-nic')]"`,
        `"[resourceId('Microsoft.Network/networkInterfaces', 'web-01-nic')]",\n        ${ID}`,
      ),
      errors: [{ messageId: "missingDependency", data: onVm, ...at(otherOnly, `"dependsOn"`) }],
    },
    {
      // the NIC's own unresolvable dependency says nothing about the VM
      code: throughNic,
      output: throughNic.replace(`"dependsOn": ["[resourceId('Microsoft.Network/networkInterfaces', 'web-01-nic')]"]`, `"dependsOn": ["[resourceId('Microsoft.Network/networkInterfaces', 'web-01-nic')]", ${ID}]`),
      errors: [{ messageId: "missingDependency", data: onVm, ...at(throughNic, `"dependsOn"`, 2) }],
    },
    {
      code: oneLine,
      output: oneLine.replace(`'web-02')]"]`, `'web-02')]", ${ID}]`),
      errors: [{ messageId: "missingDependency", data: onVm, ...at(oneLine, `"dependsOn"`) }],
    },
    {
      code: empty,
      output: empty.replace(`"dependsOn": []`, `"dependsOn": [${ID}]`),
      errors: [{ messageId: "missingDependency", data: onVm, ...at(empty, `"dependsOn"`) }],
    },
    {
      code: trailingComma,
      output: trailingComma.replace(`"web-01-nic", // the NIC\n`, `"web-01-nic", // the NIC\n        ${ID},\n`),
      errors: [{ messageId: "missingDependency", data: onVm, ...at(trailingComma, `"dependsOn"`) }],
    },
    {
      code: nestedMissing,
      output: nestedMissing.replace(
        `"name": "Microsoft.Powershell.DSC",`,
        `"name": "Microsoft.Powershell.DSC",\n          "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],`,
      ),
      errors: [
        errorAt(nestedMissing, "missingDependency", { name: "Microsoft.Powershell.DSC", parent: "virtual machine 'vm1'", kind: "virtual machine", inTurn: "" }, `"name"`, 2),
      ],
    },
    {
      // a literal that starts with '[' is escaped as '[['; the dependency quotes its value
      code: nested("", "[[legacy]"),
      output: nested(`\n          "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', '[legacy]')]"],`, "[[legacy]"),
      errors: [
        errorAt(nested("", "[[legacy]"), "missingDependency", { name: "Microsoft.Powershell.DSC", parent: "virtual machine '[legacy]'", kind: "virtual machine", inTurn: "" }, `"name"`, 2),
      ],
    },
    {
      // an element of another loop is not the VM
      code: otherLoopElement,
      output: otherLoopElement.replace(`"dependsOn": ["[format('nics[{0}]', copyIndex())]"]`, `"dependsOn": ["[format('nics[{0}]', copyIndex())]", "vms"]`),
      errors: [
        errorAt(otherLoopElement, "missingDependency", { name: "[format('vm{0}/dsc', copyIndex())]", parent: "virtual machine '[format('vm{0}', copyIndex())]'", kind: "virtual machine", inTurn: "" }, `"dependsOn"`),
      ],
    },
    // the parent is the declaration that deploys the VM, also after an `existing` one of it
    {
      code: existingFirst,
      output: existingFirst.replace(`"name": "vm1/dsc",`, `"name": "vm1/dsc",\n      "dependsOn": ["vm"],`),
      errors: [
        errorAt(existingFirst, "missingDependency", { name: "vm1/dsc", parent: "virtual machine 'vm1'", kind: "virtual machine", inTurn: "" }, `"name"`, 3),
      ],
    },
    {
      code: symbolic,
      output: symbolic.replace(`"name": "vm1/dsc",`, `"name": "vm1/dsc",\n      "dependsOn": ["vm"],`),
      errors: [
        errorAt(symbolic, "missingDependency", { name: "vm1/dsc", parent: "virtual machine 'vm1'", kind: "virtual machine", inTurn: "" }, `"name"`, 2),
      ],
    },
    {
      code: scaleSetChild,
      output: scaleSetChild.replace(
        `"name": "[format('{0}/dsc', parameters('vmssName'))]",`,
        `"name": "[format('{0}/dsc', parameters('vmssName'))]",\n      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachineScaleSets', parameters('vmssName'))]"],`,
      ),
      errors: [
        {
          messageId: "missingDependency",
          data: {
            name: "[format('{0}/dsc', parameters('vmssName'))]",
            parent: "scale set '[parameters('vmssName')]'",
            kind: "scale set",
            inTurn: "",
          },
          ...at(scaleSetChild, `"name"`, 2),
        },
      ],
    },
    {
      code: loopedMissing,
      output: loopedMissing.replace(
        `"count": 2 },\n      "properties"`,
        `"count": 2 },\n      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', concat('vm', copyIndex()))]"],\n      "properties"`,
      ),
      errors: [onLoopingVm(loopedMissing, "[concat('vm', copyIndex(), '/dsc')]")],
    },
    {
      code: loopedBicep,
      output: loopedBicep.replace(
        `"count": 2 },\n      "properties"`,
        `"count": 2 },\n      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', concat('vm', copyIndex()))]"],\n      "properties"`,
      ),
      errors: [onLoopingVm(loopedBicep, BICEP_INDEX)],
    },
    {
      code: loopedElements,
      output: loopedElements.replace(
        `))))]" },\n      "properties"`,
        `))))]" },\n      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', parameters('vmNames')[copyIndex()])]"],\n      "properties"`,
      ),
      errors: [
        errorAt(loopedElements, "missingDependency", { name: ELEMENT_NAME, parent: "virtual machine '[parameters('vmNames')[copyIndex()]]'", kind: "virtual machine", inTurn: "" }, `"name"`, 3),
      ],
    },
    {
      code: loopedOtherVm,
      output: loopedOtherVm.replace(`'vmx')]"]`, `'vmx')]", "[resourceId('Microsoft.Compute/virtualMachines', concat('vm', copyIndex()))]"]`),
      errors: [onLoopingVm(loopedOtherVm, "[concat('vm', copyIndex(), '/dsc')]", `"dependsOn"`, 1)],
    },
    {
      // copyIndex() in the VM's name would mean nothing in an extension without a loop: no fix
      code: loopedNoCopy,
      errors: [onLoopingVm(loopedNoCopy, "[concat('vm', copyIndex(), '/dsc')]")],
    },
    {
      // In its own loop, the extension of VM i + 1 would get VM i from the VM's name expression: no fix
      code: loopedOffset,
      errors: [onLoopingVm(loopedOffset, "[concat('vm', copyIndex(1), '/dsc')]")],
    },
    {
      // The extension of VM 1, in a loop of one, would get VM 0: no fix
      code: loopedLiteral,
      errors: [onLoopingVm(loopedLiteral, "vm1/dsc")],
    },
    {
      // Nested in a resource in no loop, the VM's copyIndex() name would not be allowed: no fix
      code: nestedInNic,
      errors: [onLoopingVm(nestedInNic, "vm0/dsc", `"name"`, 4)],
    },
    {
      // Either resource the entry may name is a join extension that does not depend on the VM
      code: joinOnNic,
      errors: [onLoopingVm(joinOnNic, "vm1/dsc", `"dependsOn"`, 2)],
    },
  ],
});

describe("extension-depends-on-parent --fix", () => {
  for (const [frontEnd, config] of Object.entries(FRONT_ENDS)) {
    it(`fixes realistic templates in one pass under ${frontEnd}`, () => {
      const linter = new Linter({ configType: "flat" });
      const flat: Linter.Config[] = [
        {
          ...config,
          files: ["**/*.json", "**/*.jsonc"],
          plugins: { ...config.plugins, "arm-dsc": { rules: { "extension-depends-on-parent": rule } } as never },
          rules: { "arm-dsc/extension-depends-on-parent": "error" },
        },
      ];
      for (const code of [example("broken/vm-legacy-settings.jsonc"), trailingComma, loopedMissing]) {
        const first = linter.verifyAndFix(code, flat, { filename: "azuredeploy.jsonc" });
        assert.notEqual(first.output, code, "the template is fixed");
        assert.deepEqual(first.messages, [], "nothing is left to report");
        const second = linter.verifyAndFix(first.output, flat, { filename: "azuredeploy.jsonc" });
        assert.deepEqual(second.messages, [], "the fixed template parses and is clean");
        assert.equal(second.output, first.output, "a second pass changes nothing");
      }
    });
  }
});
