import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Linter } from "eslint";
import rule from "../../rules/extension-placement.js";
import { FRONT_ENDS, runRuleTests } from "../helpers/tester.js";
import { at, errorAt, oneError, PARAMETERS_SCHEMA, SCHEMA } from "../helpers/at.js";

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8");

/** A template holding `resources` (already indented by four spaces), with optional parameters. */
function template(resources: string, parameters = "{}"): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": ${parameters},
  "resources": [
${resources}
  ]
}`;
}

/** A scale set resource with the given `properties` members. */
function scaleSet(properties: string, name = "vmss1"): string {
  return `    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "apiVersion": "2024-07-01",
      "name": "${name}",
      "properties": {
${properties}
      }
    }`;
}

/** A scale set whose profile holds one entry with the given members. */
function profileEntry(members: string): string {
  return template(
    scaleSet(`        "virtualMachineProfile": {
          "extensionProfile": {
            "extensions": [
              {
${members}
              }
            ]
          }
        }`),
  );
}

const DSC_PROPERTIES = `"properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83" }`;

const onVmss = { name: "dsc", parent: "scale set 'vmss1'" };

// --- VM with an extension profile
const vmProfile = template(`    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "vm1",
      "properties": {
        "hardwareProfile": { "vmSize": "Standard_D2s_v5" },
        "extensionProfile": { "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }] }
      }
    }`);

// --- scale-set profiles at wrong paths
const profileUnderProperties = template(
  scaleSet(`        "virtualMachineProfile": {
          "osProfile": { "computerNamePrefix": "web" }
        },
        "extensionProfile": {
          "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }]
        }`),
);
const profileUnderPropertiesMoved = template(
  scaleSet(`        "virtualMachineProfile": {
          "osProfile": { "computerNamePrefix": "web" },
          "extensionProfile": {
            "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }]
          }
        }`),
);
const profileWithoutVmProfile = template(
  scaleSet(`        "upgradePolicy": { "mode": "Automatic" },
        "extensionProfile": {
          "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }]
        }`),
);
const profileWithoutVmProfileMoved = template(
  scaleSet(`        "upgradePolicy": { "mode": "Automatic" },
        "virtualMachineProfile": {
          "extensionProfile": {
            "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }]
          }
        }`),
);
const profileTwice = template(
  scaleSet(`        "virtualMachineProfile": {
          "extensionProfile": { "extensions": [] }
        },
        "extensionProfile": {
          "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }]
        }`),
);
/** ... and one whose extensions a property copy loop builds: moving would make a second list. */
const profileCopyLoop = template(
  scaleSet(`        "virtualMachineProfile": {
          "extensionProfile": { "copy": [{ "name": "extensions", "count": 1, "input": { "name": "other", "properties": {} } }] },
          "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }]
        }`),
);
const extensionsInVmProfile = template(
  scaleSet(`        "virtualMachineProfile": {
          "osProfile": { "computerNamePrefix": "web" },
          "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }]
        }`),
);
const extensionsInVmProfileMoved = template(
  scaleSet(`        "virtualMachineProfile": {
          "osProfile": { "computerNamePrefix": "web" },
          "extensionProfile": {
            "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }]
          }
        }`),
);
const extensionsNextToProfile = template(
  scaleSet(`        "virtualMachineProfile": {
          "extensionProfile": { "extensionsTimeBudget": "PT1H30M" },
          "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }]
        }`),
);
const extensionsNextToProfileMoved = template(
  scaleSet(`        "virtualMachineProfile": {
          "extensionProfile": { "extensionsTimeBudget": "PT1H30M", "extensions": [{ "name": "dsc", ${DSC_PROPERTIES} }] }
        }`),
);
/** An entry with a condition in a profile at a wrong path: it reaches no machine, so only the path is reported. */
const misplacedConditional = template(
  scaleSet(`        "virtualMachineProfile": {
          "extensions": [{ "name": "dsc", "condition": false, ${DSC_PROPERTIES} }]
        }`),
);
const misplacedConditionalMoved = template(
  scaleSet(`        "virtualMachineProfile": {
          "extensionProfile": {
            "extensions": [{ "name": "dsc", "condition": false, ${DSC_PROPERTIES} }]
          }
        }`),
);

/** An invalid case: `code` declares its extensions at properties.virtualMachineProfile.extensions; the suggestion gives `moved`. */
function extensionsBesideProfile(code: string, moved: string) {
  const path = "properties.virtualMachineProfile.extensions";
  return {
    code,
    errors: [{ messageId: "misplacedProfile" as const, data: { name: "vmss1", path }, ...at(code, `"extensions"`), suggestions: [{ messageId: "moveProfile" as const, data: { path }, output: moved }] }],
  };
}

// --- profile entries copied from a resource declaration
const copiedFromVm = profileEntry(`                "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
                "name": "dsc",
                "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachineScaleSets', 'vmss1')]"],
                ${DSC_PROPERTIES}`);
const copiedFromVmFixed = profileEntry(`                "name": "dsc",
                ${DSC_PROPERTIES}`);
const allResourceKeys = profileEntry(`                "name": "dsc",
                "apiVersion": "2024-07-01",
                "location": "[resourceGroup().location]",
                "tags": { "role": "web" },
                "copy": { "name": "loop", "count": 1 },
                ${DSC_PROPERTIES}`);
// A profile entry takes no `condition` (ARM fails), but removing one changes what deploys.
const conditionalEntry = profileEntry(`                "name": "dsc",
                "condition": "[parameters('withDsc')]",
                ${DSC_PROPERTIES}`);
const conditionAndDependsOn = profileEntry(`                "name": "dsc",
                "condition": true,
                "dependsOn": [],
                ${DSC_PROPERTIES}`);
const conditionAndDependsOnFixed = profileEntry(`                "name": "dsc",
                "condition": true,
                ${DSC_PROPERTIES}`);
const commentedCondition = profileEntry(`                "name": "dsc",
                "condition": false, // not yet
                ${DSC_PROPERTIES}`);
// `type` is a read-only member of an entry, and Microsoft's scale-set samples write `type` and
// `location` in entries: alone, they deploy
const typeAlsoInProperties = profileEntry(`                "name": "dsc",
                "type": "DSC",
                ${DSC_PROPERTIES}`);
const typeAndLocation = profileEntry(`                "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
                "name": "dsc",
                "location": "[resourceGroup().location]",
                ${DSC_PROPERTIES}`);

// --- extension properties at the entry level
const flatEntry = profileEntry(`                "name": "dsc",
                "publisher": "Microsoft.Powershell",
                "type": "DSC",
                "typeHandlerVersion": "2.83",
                "settings": {}`);
const flatEntryWrapped = profileEntry(`                "name": "dsc",
                "properties": {
                  "publisher": "Microsoft.Powershell",
                  "type": "DSC",
                  "typeHandlerVersion": "2.83",
                  "settings": {}
                }`);
const settingsOutside = profileEntry(`                "name": "dsc",
                "properties": {
                  "publisher": "Microsoft.Powershell",
                  "type": "DSC",
                  "typeHandlerVersion": "2.83"
                },
                "settings": { "wmfVersion": "latest" },
                "protectedSettings": {}`);
const settingsOutsideMoved = profileEntry(`                "name": "dsc",
                "properties": {
                  "publisher": "Microsoft.Powershell",
                  "type": "DSC",
                  "typeHandlerVersion": "2.83",
                  "settings": { "wmfVersion": "latest" },
                  "protectedSettings": {}
                }`);
const settingsTwice = profileEntry(`                "name": "dsc",
                "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "settings": {} },
                "settings": { "wmfVersion": "latest" }`);
const copiedAndFlat = profileEntry(`                "name": "dsc",
                "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
                "publisher": "Microsoft.Powershell"`);
const copiedAndFlatWrapped = profileEntry(`                "name": "dsc",
                "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
                "properties": {
                  "publisher": "Microsoft.Powershell"
                }`);

// --- child resources and their name segments
/** A VM with one nested child extension. */
function nestedChild(type: string, name: string): string {
  return template(`    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "vm1",
      "resources": [
        {
          "type": "${type}",
          "apiVersion": "2024-07-01",
          "name": "${name}",
          "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
          ${DSC_PROPERTIES}
        }
      ]
    }`);
}
const nestedFullType = nestedChild("Microsoft.Compute/virtualMachines/extensions", "dsc");
/** A scale set's extension type inside a VM: the short type would deploy a VM extension instead. */
const nestedOtherFullType = nestedChild("Microsoft.Compute/virtualMachineScaleSets/extensions", "dsc");
const nestedSlashName = nestedChild("extensions", "vm1/dsc");
const nestedThreeSegments = nestedChild("Microsoft.Compute/virtualMachines/extensions", "vm1/dsc/x");

/** A top-level VM extension named `name`. */
function topLevel(name: string, parameters = "{}"): string {
  return template(
    `    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "${name}",
      ${DSC_PROPERTIES}
    }`,
    parameters,
  );
}
const oneSegment = topLevel("Microsoft.Powershell.DSC");
/** A nested child moved to the top level without its parent's type, with or without that VM in the template. */
const shortTypeOnVm = topLevel("vm1/dsc")
  .replace(`"type": "Microsoft.Compute/virtualMachines/extensions"`, `"type": "extensions"`)
  .replace(`"resources": [\n`, `"resources": [\n    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm1" },\n`);
/** ... and a scale set of the same name beside the VM: the extension may be meant for either. */
const shortTypeVmAndScaleSet = shortTypeOnVm.replace(
  `"name": "vm1" },\n`,
  `"name": "vm1" },\n    { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2024-07-01", "name": "vm1", "properties": { "upgradePolicy": { "mode": "Automatic" } } },\n`,
);
const shortTypeElsewhere = topLevel("vm9/dsc").replace(`"type": "Microsoft.Compute/virtualMachines/extensions"`, `"type": "extensions"`);
/** The short type and a one-segment name: the full type alone would leave the name wrong. */
const shortTypeOneSegment = topLevel("dsc").replace(`"type": "Microsoft.Compute/virtualMachines/extensions"`, `"type": "extensions"`);
/** Extension settings written beside an extension resource's properties, and a version written twice. */
const settingsBesideProperties = topLevel("vm1/dsc").replace(DSC_PROPERTIES, `${DSC_PROPERTIES},
      "settings": { "wmfVersion": "latest" }`);
const versionTwice = topLevel("vm1/dsc").replace(DSC_PROPERTIES, `${DSC_PROPERTIES},
      "typeHandlerVersion": "2.80", "protectedSettings": {}`);
const threeSegments = topLevel("[concat(parameters('vmName'), '/dsc/extra')]", `{ "vmName": { "type": "string" } }`);

// --- DSC as a scale-set child resource
/** A scale set with the given upgrade policy and a DSC extension as a child resource. */
function scaleSetChild(upgradePolicy: string, form: "nested" | "top-level", parameters = "{}", extensionType = "DSC"): string {
  const ext = (type: string, name: string, indent: string) => `${indent}{
${indent}  "type": "${type}",
${indent}  "apiVersion": "2024-07-01",
${indent}  "name": "${name}",
${indent}  "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachineScaleSets', 'vmss1')]"],
${indent}  "properties": { "publisher": "Microsoft.Powershell", "type": "${extensionType}", "typeHandlerVersion": "2.83" }
${indent}}`;
  const machine = `    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "apiVersion": "2024-07-01",
      "name": "vmss1",
      "properties": { ${upgradePolicy} }${form === "nested" ? `,\n      "resources": [\n${ext("extensions", "dsc", "        ")}\n      ]` : ""}
    }`;
  return template(
    form === "nested" ? machine : `${machine},\n${ext("Microsoft.Compute/virtualMachineScaleSets/extensions", "vmss1/dsc", "    ")}`,
    parameters,
  );
}
const childNoPolicy = scaleSetChild(`"overprovision": false`, "nested");
const childManual = scaleSetChild(`"upgradePolicy": { "mode": "Manual" }`, "top-level");
/**
 * A module that deploys scale set `scaleSetName` (Manual policy) and, in a nested deployment of its
 * own, a DSC child extension on scale set `extensionParent` (passed to the nested template).
 * `target`: members that send the nested deployment elsewhere (`"resourceGroup": "rg2",`).
 */
function childInModule(scaleSetName: string, extensionParent: string, target = ""): string {
  return template(`    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "apiVersion": "2024-07-01",
      "name": "${scaleSetName}",
      "properties": { "upgradePolicy": { "mode": "Manual" } }
    },
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "dsc-module",${target}
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachineScaleSets', '${scaleSetName}')]"],
      "properties": {
        "mode": "Incremental",
        "expressionEvaluationOptions": { "scope": "inner" },
        "parameters": { "scaleSetName": { "value": "${extensionParent}" } },
        "template": {
          "$schema": "${SCHEMA}",
          "contentVersion": "1.0.0.0",
          "parameters": { "scaleSetName": { "type": "string" } },
          "resources": [
            {
              "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
              "apiVersion": "2024-07-01",
              "name": "[format('{0}/dsc', parameters('scaleSetName'))]",
              ${DSC_PROPERTIES}
            }
          ]
        }
      }
    }`);
}
/** A scale set with `policy` (properties members) whose DSC entry sets forceUpdateTag. */
function forceUpdate(policy: string, publisher = "Microsoft.Powershell"): string {
  return template(
    scaleSet(`        ${policy}
        "virtualMachineProfile": {
          "extensionProfile": {
            "extensions": [
              { "name": "dsc", "properties": { "publisher": "${publisher}", "type": "DSC", "typeHandlerVersion": "2.83", "forceUpdateTag": "[parameters('tag')]" } }
            ]
          }
        }`),
    `{ "tag": { "type": "string", "defaultValue": "1" } }`,
  );
}
const forceUpdateManual = forceUpdate(`"upgradePolicy": { "mode": "Manual" },`);
const forceUpdateNoPolicy = forceUpdate("");
/** A DSC child resource of a Manual scale set with a forceUpdateTag. */
const childManualTag = childManual.replace(`"typeHandlerVersion": "2.83" }`, `"typeHandlerVersion": "2.83", "forceUpdateTag": "2" }`);
assert.notEqual(childManualTag, childManual);
const childInModuleManual = childInModule("vmss1", "vmss1");

/** Scale sets vmss1 and vmss2, policies `first` and `second`, that both read the DSC entry of variable `dsc`, which sets forceUpdateTag. */
function sharedTaggedEntry(first: string, second: string, secondCondition = ""): string {
  const profile = `"virtualMachineProfile": { "extensionProfile": { "extensions": ["[variables('dsc')]"] } }`;
  return template(
    [
      scaleSet(`        "upgradePolicy": { "mode": "${first}" },\n        ${profile}`, "vmss1"),
      scaleSet(`        "upgradePolicy": { "mode": "${second}" },\n        ${profile}`, "vmss2").replace(`"name": "vmss2",`, `"name": "vmss2",${secondCondition}`),
    ].join(",\n"),
  ).replace(
    `"resources": [`,
    `"variables": { "dsc": { "name": "dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83", "forceUpdateTag": "2" } } },\n  "resources": [`,
  );
}

/** An invalid case: the DSC child extension of scale set vmss1 reported under policy `mode`. */
function manualChild(code: string, mode = "Manual") {
  return {
    code,
    errors: [errorAt(code, "scaleSetChild", { name: "vmss1/dsc", parent: "scale set 'vmss1'", mode }, `"Microsoft.Compute/virtualMachineScaleSets/extensions"`)],
  };
}
// As AVM's extension module writes it: languageVersion 2.0, with an `existing` declaration of the scale set.
const childInModuleExisting = childInModuleManual.replace(
  `"contentVersion": "1.0.0.0",
          "parameters": { "scaleSetName": { "type": "string" } },
          "resources": [
            {`,
  `"languageVersion": "2.0",
          "contentVersion": "1.0.0.0",
          "parameters": { "scaleSetName": { "type": "string" } },
          "resources": {
            "scaleSet": { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2024-07-01", "name": "[parameters('scaleSetName')]", "existing": true },
            "extension": {`,
).replace(`            }
          ]
        }
      }
    }`, `            }
          }
        }
      }
    }`);
assert.ok(childInModuleExisting.includes('"languageVersion": "2.0"') && childInModuleExisting.includes('"extension": {'), "the existing-declaration variant was built");
// the whole policy from a parameter's default or a variable: its mode is read through it
const childPolicyParam = (mode: string) =>
  scaleSetChild(`"upgradePolicy": "[parameters('policy')]"`, "top-level", `{ "policy": { "type": "object", "defaultValue": { "mode": "${mode}" } } }`);
const childManualParam = scaleSetChild(
  `"upgradePolicy": { "mode": "[parameters('upgradeMode')]" }`,
  "top-level",
  `{ "upgradeMode": { "type": "string", "defaultValue": "Manual" } }`,
);

const symbolicExisting = `{
  "$schema": "${SCHEMA}",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "resources": {
    "vmss": { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2024-07-01", "name": "vmss1", "existing": true },
    "dsc": {
      "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
      "apiVersion": "2024-07-01",
      "name": "vmss1/dsc",
      ${DSC_PROPERTIES}
    }
  }
}`;

const commented = `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "apiVersion": "2024-07-01",
      "name": "vmss1",
      "properties": {
        "virtualMachineProfile": {
          "extensionProfile": {
            "extensions": [
              {
                // copied from the VM template
                "type": "Microsoft.Compute/virtualMachineScaleSets/extensions", // not an entry member
                "apiVersion": "2024-07-01",
                "name": "dsc",
                ${DSC_PROPERTIES},
              },
            ],
          },
        },
      },
    },
  ],
}`;

runRuleTests("extension-placement", rule, {
  valid: [
    { code: example("vm-dsc.json"), filename: "vm-dsc.json" },
    { code: example("vmss-dsc.json"), filename: "vmss-dsc.json" },
    profileEntry(`                "name": "dsc",\n                ${DSC_PROPERTIES}`),
    typeAlsoInProperties,
    typeAndLocation,
    // a nested child may use the full type with the full name: the segment counts agree
    nestedChild("Microsoft.Compute/virtualMachines/extensions", "vm1/dsc"),
    nestedChild("extensions", "dsc"),
    topLevel("[concat(parameters('vmName'), '/dsc')]", `{ "vmName": { "type": "string" } }`),
    topLevel("[format('{0}/{1}', 'vm1', 'dsc')]"),
    // a parameter without a default may hold the whole 'vm/ext' name
    topLevel("[parameters('extensionName')]", `{ "extensionName": { "type": "string" } }`),
    // an array `copy` is a property copy loop, not a resource copy loop
    profileEntry(`                "name": "dsc",\n                "copy": [],\n                ${DSC_PROPERTIES}`),
    // scale-set child resources are fine when the instances pick up model changes
    scaleSetChild(`"upgradePolicy": { "mode": "Automatic" }`, "nested"),
    scaleSetChild(`"upgradePolicy": { "mode": "Rolling" }`, "top-level"),
    childPolicyParam("Automatic"),
    // a policy that is never Manual: the deployment chooses between Automatic and Rolling
    scaleSetChild(
      `"upgradePolicy": { "mode": "[parameters('upgradeMode')]" }`,
      "top-level",
      `{ "upgradeMode": { "type": "string", "allowedValues": ["Automatic", "Rolling"], "defaultValue": "Manual" } }`,
    ),
    scaleSetChild(`"upgradePolicy": { "mode": "[if(parameters('fast'), 'Automatic', 'Rolling')]" }`, "top-level", `{ "fast": { "type": "bool" } }`),
    { code: childManual, options: [{ allowScaleSetChildResource: true }] },
    // the Manual scale set that shares the entry is never deployed
    sharedTaggedEntry("Automatic", "Manual", ` "condition": false,`),
    // the tag reaches every instance under an automatic or rolling policy; other extensions are not DSC
    forceUpdate(`"upgradePolicy": { "mode": "Automatic" },`),
    forceUpdate(`"upgradePolicy": { "mode": "Rolling" },`),
    forceUpdate(`"upgradePolicy": { "mode": "Manual" },`, "Microsoft.Compute"),
    // the nested deployment names another scale set (deployed elsewhere): its policy is unknown
    childInModule("vmss1", "vmss2"),
    // a scale set of the same name in another resource group or subscription is another scale set
    childInModule("vmss1", "vmss1", ` "resourceGroup": "rg2",`),
    childInModule("vmss1", "vmss1", ` "subscriptionId": "[parameters('sub')]", "resourceGroup": "[resourceGroup().name]",`),
    // the upgrade policy check is for DSC only
    scaleSetChild(`"upgradePolicy": { "mode": "Manual" }`, "top-level", "{}", "CustomScriptExtension"),
    // parent unknown: not in the template, or an existing resource
    topLevel("vmss1/dsc").replace("virtualMachines/extensions", "virtualMachineScaleSets/extensions"),
    symbolicExisting,
    // a scale set no deployment deploys (its condition is false): the children land on an existing one, whose policy is unknown
    ...(["nested", "top-level"] as const).map((form) =>
      scaleSetChild(`"upgradePolicy": { "mode": "Manual" }`, form).replace(`"name": "vmss1",\n      "properties"`, `"name": "vmss1",\n      "condition": false,\n      "properties"`),
    ),
    // Bicep's new-or-existing pattern in a module whose caller passes nothing: the Manual scale set
    // is never deployed, so the extension lands on the existing one
    `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "mod",
      "properties": {
        "expressionEvaluationOptions": { "scope": "inner" },
        "mode": "Incremental",
        "template": ${symbolicExisting
          .replace(`"contentVersion": "1.0.0.0",`, `"contentVersion": "1.0.0.0", "parameters": { "createNew": { "type": "bool", "defaultValue": false } },`)
          .replace(
            `"resources": {`,
            `"resources": { "fresh": { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2024-07-01", "name": "vmss1", "condition": "[parameters('createNew')]", "properties": { "upgradePolicy": { "mode": "Manual" } } },`,
          )}
      }
    }
  ]
}`,
    // not templates
    `{ "name": "vm1", "properties": { "extensionProfile": {} } }`,
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": { "extensionProfile": { "value": {} } } }`,
    `{ "$schema": "${SCHEMA}", "resources": [null, 1, { "type": "Microsoft.Compute/virtualMachines", "properties": [] }] }`,
  ],
  invalid: [
    {
      code: vmProfile,
      errors: [{ messageId: "vmProfile", data: { name: "vm1" }, ...at(vmProfile, `"extensionProfile"`) }],
    },
    {
      code: profileUnderProperties,
      errors: [
        {
          messageId: "misplacedProfile",
          data: { name: "vmss1", path: "properties.extensionProfile" },
          ...at(profileUnderProperties, `"extensionProfile"`),
          suggestions: [
            { messageId: "moveProfile", data: { path: "properties.extensionProfile" }, output: profileUnderPropertiesMoved },
          ],
        },
      ],
    },
    {
      code: profileWithoutVmProfile,
      errors: [
        {
          messageId: "misplacedProfile",
          data: { name: "vmss1", path: "properties.extensionProfile" },
          ...at(profileWithoutVmProfile, `"extensionProfile"`),
          suggestions: [
            { messageId: "moveProfile", data: { path: "properties.extensionProfile" }, output: profileWithoutVmProfileMoved },
          ],
        },
      ],
    },
    {
      code: profileTwice,
      errors: [
        {
          messageId: "misplacedProfile",
          data: { name: "vmss1", path: "properties.extensionProfile" },
          ...at(profileTwice, `"extensionProfile"`, 2),
          suggestions: [],
        },
      ],
    },
    {
      code: profileCopyLoop,
      errors: [{ ...errorAt(profileCopyLoop, "misplacedProfile", { name: "vmss1", path: "properties.virtualMachineProfile.extensions" }, `"extensions"`, 2), suggestions: [] }],
    },
    extensionsBesideProfile(extensionsInVmProfile, extensionsInVmProfileMoved),
    extensionsBesideProfile(extensionsNextToProfile, extensionsNextToProfileMoved),
    extensionsBesideProfile(misplacedConditional, misplacedConditionalMoved),
    {
      code: copiedFromVm,
      output: copiedFromVmFixed,
      errors: [
        errorAt(copiedFromVm, "resourceKeys", { ...onVmss, keys: "'type' and 'dependsOn'", belong: "belong", failing: "'dependsOn'" }, `"type"`, 2),
      ],
    },
    {
      code: allResourceKeys,
      output: profileEntry(`                "name": "dsc",\n                ${DSC_PROPERTIES}`),
      errors: [
        errorAt(allResourceKeys, "resourceKeys", { ...onVmss, keys: "'apiVersion', 'location', 'tags' and 'copy'", belong: "belong", failing: "'apiVersion', 'tags' and 'copy'" }, `"apiVersion"`, 2),
      ],
    },
    {
      code: conditionalEntry,
      errors: [
        {
          ...errorAt(conditionalEntry, "entryCondition", onVmss, `"condition"`),
          suggestions: [{ messageId: "removeCondition", output: profileEntry(`                "name": "dsc",\n                ${DSC_PROPERTIES}`) }],
        },
      ],
    },
    {
      code: conditionAndDependsOn,
      output: conditionAndDependsOnFixed,
      errors: [
        {
          ...errorAt(conditionAndDependsOn, "entryCondition", onVmss, `"condition"`),
          suggestions: [{ messageId: "removeCondition", output: profileEntry(`                "name": "dsc",\n                "dependsOn": [],\n                ${DSC_PROPERTIES}`) }],
        },
        errorAt(conditionAndDependsOn, "resourceKeys", { ...onVmss, keys: "'dependsOn'", belong: "belongs", failing: "such keys" }, `"dependsOn"`),
      ],
    },
    {
      code: commentedCondition,
      errors: [{ ...errorAt(commentedCondition, "entryCondition", onVmss, `"condition"`), suggestions: [] }],
    },
    {
      code: flatEntry,
      errors: [
        {
          messageId: "entryProperties",
          data: { ...onVmss, keys: "'publisher', 'type', 'typeHandlerVersion' and 'settings'" },
          ...at(flatEntry, `"publisher"`),
          suggestions: [
            {
              messageId: "wrapInProperties",
              data: { keys: "'publisher', 'type', 'typeHandlerVersion' and 'settings'" },
              output: flatEntryWrapped,
            },
          ],
        },
      ],
    },
    {
      code: settingsBesideProperties,
      errors: [
        {
          ...errorAt(settingsBesideProperties, "resourceProperties", { name: "vm1/dsc", parent: "virtual machine 'vm1'", keys: "'settings'", these: "it belongs" }, `"settings"`),
          suggestions: [
            {
              messageId: "wrapInProperties",
              data: { keys: "'settings'" },
              output: settingsBesideProperties.replace(
                `"typeHandlerVersion": "2.83" },
      "settings": { "wmfVersion": "latest" }`,
                `"typeHandlerVersion": "2.83", "settings": { "wmfVersion": "latest" } }`,
              ),
            },
          ],
        },
      ],
    },
    {
      // properties already has a typeHandlerVersion: moving would make two, so no suggestion
      code: versionTwice,
      errors: [
        {
          ...errorAt(versionTwice, "resourceProperties", { name: "vm1/dsc", parent: "virtual machine 'vm1'", keys: "'typeHandlerVersion' and 'protectedSettings'", these: "they belong" }, `"typeHandlerVersion"`, 2),
          suggestions: [],
        },
      ],
    },
    {
      code: settingsOutside,
      errors: [
        {
          messageId: "entryProperties",
          data: { ...onVmss, keys: "'settings' and 'protectedSettings'" },
          ...at(settingsOutside, `"settings"`),
          suggestions: [
            { messageId: "wrapInProperties", data: { keys: "'settings' and 'protectedSettings'" }, output: settingsOutsideMoved },
          ],
        },
      ],
    },
    {
      // `settings` exists inside `properties` too: nothing is moved over it
      code: settingsTwice,
      errors: [
        {
          messageId: "entryProperties",
          data: { ...onVmss, keys: "'settings'" },
          ...at(settingsTwice, `"settings"`, 2),
          suggestions: [],
        },
      ],
    },
    {
      code: copiedAndFlat,
      errors: [
        {
          messageId: "entryProperties",
          data: { ...onVmss, keys: "'publisher'" },
          ...at(copiedAndFlat, `"publisher"`),
          suggestions: [{ messageId: "wrapInProperties", data: { keys: "'publisher'" }, output: copiedAndFlatWrapped }],
        },
      ],
    },
    {
      // removing the key would delete the comments written about it: no fix, only the report
      code: commented,
      output: null,
      errors: [
        errorAt(commented, "resourceKeys", { ...onVmss, keys: "'type' and 'apiVersion'", belong: "belong", failing: "'apiVersion'" }, `"type"`, 2),
      ],
    },
    {
      code: shortTypeOnVm,
      output: shortTypeOnVm.replace(`"type": "extensions"`, `"type": "Microsoft.Compute/virtualMachines/extensions"`),
      errors: [errorAt(shortTypeOnVm, "topLevelShortType", { name: "vm1/dsc", parent: "virtual machine 'vm1'", rename: "" }, `"extensions"`)],
    },
    // the parent is not in the template: which type it has is unknown, so nothing is fixed
    oneError(shortTypeVmAndScaleSet, "topLevelShortType", { name: "vm1/dsc", parent: "virtual machine 'vm1'", rename: "" }, `"extensions"`),
    oneError(shortTypeElsewhere, "topLevelShortType", { name: "vm9/dsc", parent: "virtual machine 'vm9'", rename: "" }, `"extensions"`),
    {
      code: shortTypeOneSegment,
      errors: [
        errorAt(
          shortTypeOneSegment,
          "topLevelShortType",
          { name: "dsc", parent: "an unknown virtual machine", rename: "; its one-segment name must then name the parent too ('<parent name>/<extension name>'), or move the extension into its parent's resources" },
          `"extensions"`,
        ),
      ],
    },
    {
      code: nestedFullType,
      output: nestedFullType.replace(`"Microsoft.Compute/virtualMachines/extensions"`, `"extensions"`),
      errors: [
        {
          messageId: "nestedFullType",
          data: {
            name: "dsc",
            parent: "virtual machine 'vm1'",
            type: "Microsoft.Compute/virtualMachines/extensions",
            kind: "virtual machine",
          },
          ...at(nestedFullType, `"Microsoft.Compute/virtualMachines/extensions"`),
        },
      ],
    },
    oneError(
      nestedOtherFullType,
      "nestedOtherType",
      { name: "dsc", parent: "virtual machine 'vm1'", type: "Microsoft.Compute/virtualMachineScaleSets/extensions", kind: "virtual machine" },
      `"Microsoft.Compute/virtualMachineScaleSets/extensions"`,
    ),
    {
      code: nestedSlashName,
      errors: [
        {
          messageId: "nestedNameSegments",
          data: {
            name: "vm1/dsc",
            parent: "virtual machine 'vm1'",
            type: "extensions",
            kind: "virtual machine",
            count: "2 segments",
            expected: "one segment",
          },
          ...at(nestedSlashName, `"vm1/dsc"`),
        },
      ],
    },
    {
      code: nestedThreeSegments,
      errors: [
        {
          messageId: "nestedNameSegments",
          data: {
            name: "vm1/dsc/x",
            parent: "virtual machine 'vm1'",
            type: "Microsoft.Compute/virtualMachines/extensions",
            kind: "virtual machine",
            count: "3 segments",
            expected: "2 segments",
          },
          ...at(nestedThreeSegments, `"vm1/dsc/x"`),
        },
      ],
    },
    {
      code: oneSegment,
      errors: [
        {
          messageId: "topLevelNameSegments",
          data: {
            name: "Microsoft.Powershell.DSC",
            parent: "an unknown virtual machine",
            type: "Microsoft.Compute/virtualMachines/extensions",
            kind: "virtual machine",
            count: "one segment",
            expected: "2 segments",
          },
          ...at(oneSegment, `"Microsoft.Powershell.DSC"`),
        },
      ],
    },
    {
      code: threeSegments,
      errors: [
        {
          messageId: "topLevelNameSegments",
          data: {
            name: "[concat(parameters('vmName'), '/dsc/extra')]",
            parent: "virtual machine '[parameters('vmName')]'",
            type: "Microsoft.Compute/virtualMachines/extensions",
            kind: "virtual machine",
            count: "3 segments",
            expected: "2 segments",
          },
          ...at(threeSegments, `"[concat(parameters('vmName'), '/dsc/extra')]"`),
        },
      ],
    },
    oneError(childNoPolicy, "scaleSetChild", { name: "dsc", parent: "scale set 'vmss1'", mode: "not set (Manual by default)" }, `"extensions"`),
    oneError(forceUpdateManual, "manualForceUpdate", { name: "dsc", parent: "scale set 'vmss1'", mode: "Manual" }, `"forceUpdateTag"`),
    // allowed as a child resource, a new tag on a Manual scale set still waits for the instance upgrades
    {
      code: childManualTag,
      options: [{ allowScaleSetChildResource: true }],
      errors: [errorAt(childManualTag, "manualForceUpdate", { name: "vmss1/dsc", parent: "scale set 'vmss1'", mode: "Manual" }, `"forceUpdateTag"`)],
    },
    // without the option the child is reported once, as scaleSetChild
    manualChild(childManualTag),
    oneError(forceUpdateNoPolicy, "manualForceUpdate", { name: "dsc", parent: "scale set 'vmss1'", mode: "not set (Manual by default)" }, `"forceUpdateTag"`),
    // the nested template's `existing` declaration stands for the scale set the module deploys
    manualChild(childInModuleExisting),
    // the module's own scale set, which its nested deployment extends: found in the enclosing template
    manualChild(childInModuleManual),
    // ... but the resource group and subscription the template deploys to are its own
    manualChild(childInModule("vmss1", "vmss1", ` "resourceGroup": "[resourceGroup().name]", "subscriptionId": "[subscription().subscriptionId]",`)),
    manualChild(childManual),
    manualChild(childManualParam, "Manual (from parameter 'upgradeMode')"),
    manualChild(childPolicyParam("Manual"), "Manual (from parameter 'policy')"),
    // a policy the deployment chooses among modes: Manual in the deployments that choose it
    manualChild(
      scaleSetChild(
        `"upgradePolicy": { "mode": "[parameters('upgradeMode')]" }`,
        "top-level",
        `{ "upgradeMode": { "type": "string", "allowedValues": ["Automatic", "Manual"], "defaultValue": "Manual" } }`,
      ),
      "Manual in some deployments (from parameter 'upgradeMode')",
    ),
    manualChild(
      scaleSetChild(`"upgradePolicy": { "mode": "[if(parameters('fast'), 'Automatic', 'manual')]" }`, "top-level", `{ "fast": { "type": "bool" } }`),
      "Manual in some deployments (from parameter 'fast')",
    ),
    oneError(
      forceUpdate(`"upgradePolicy": { "mode": "[parameters('upgradeMode')]" },`).replace(
        `"parameters": {`,
        `"parameters": { "upgradeMode": { "type": "string", "allowedValues": ["Manual", "Rolling"], "defaultValue": "Rolling" },`,
      ),
      "manualForceUpdate",
      { name: "dsc", parent: "scale set 'vmss1'", mode: "Manual in some deployments (from parameter 'upgradeMode')" },
      `"forceUpdateTag"`,
    ),
    manualChild(
      scaleSetChild(`"upgradePolicy": "[parameters('policy')]"`, "top-level", `{ "policy": { "type": "object", "defaultValue": { "rollingUpgradePolicy": {} } } }`),
      "not set (Manual by default)",
    ),
    // a policy with a mode in some deployments and none (Manual by default) in the others
    manualChild(
      scaleSetChild(`"upgradePolicy": "[if(parameters('fast'), createObject('mode', 'Automatic'), createObject())]"`, "top-level", `{ "fast": { "type": "bool" } }`),
      "Manual in some deployments (from parameter 'fast')",
    ),
    manualChild(
      scaleSetChild(`"upgradePolicy": { "mode": "[if(parameters('fast'), 'Automatic', null())]" }`, "top-level", `{ "fast": { "type": "bool" } }`),
      "Manual in some deployments (from parameter 'fast')",
    ),
    // an entry that two scale sets read from one variable: the tag waits on the Manual one, wherever it comes
    ...["Automatic", "Manual"].map((first) => {
      const code = sharedTaggedEntry(first, first === "Manual" ? "Automatic" : "Manual");
      return oneError(code, "manualForceUpdate", { name: "dsc", parent: `scale set '${first === "Manual" ? "vmss1" : "vmss2"}'`, mode: "Manual" }, `"forceUpdateTag"`);
    }),
    // copy loops named alike, one `existing`: the first deployed one is the parent
    (() => {
      const code = template(
        [
          `    { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2024-07-01", "name": "[format('vmss{0}', copyIndex())]", "existing": true, "copy": { "name": "old", "count": 2 } }`,
          scaleSet(`        "upgradePolicy": { "mode": "Manual" }`, "[format('vmss{0}', copyIndex())]").replace(`"apiVersion": "2024-07-01",`, `"apiVersion": "2024-07-01",\n      "copy": { "name": "sets", "count": 2 },`),
          scaleSet(`        "upgradePolicy": { "mode": "Automatic" }`, "[format('vmss{0}', copyIndex())]").replace(`"apiVersion": "2024-07-01",`, `"apiVersion": "2024-07-01",\n      "copy": { "name": "later", "count": 2 },`),
          `    { "type": "Microsoft.Compute/virtualMachineScaleSets/extensions", "apiVersion": "2024-07-01", "name": "vmss1/dsc", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83" } }`,
        ].join(",\n"),
      );
      return {
        code,
        errors: [errorAt(code, "scaleSetChild", { name: "vmss1/dsc", parent: "scale set '[format('vmss{0}', copyIndex())]'", mode: "Manual" }, `"Microsoft.Compute/virtualMachineScaleSets/extensions"`)],
      };
    })(),
  ],
});

describe("extension-placement --fix", () => {
  for (const [frontEnd, config] of Object.entries(FRONT_ENDS)) {
    it(`fixes realistic templates in one pass under ${frontEnd}`, () => {
      const linter = new Linter({ configType: "flat" });
      const flat: Linter.Config[] = [
        {
          ...config,
          files: ["**/*.json"],
          plugins: { ...config.plugins, "arm-dsc": { rules: { "extension-placement": rule } } as never },
          rules: { "arm-dsc/extension-placement": "error" },
        },
      ];
      assert.equal(linter.verifyAndFix(commented, flat, { filename: "azuredeploy.json" }).output, commented, "no fix loses a comment");
      for (const code of [example("broken/vmss-copied-from-vm.json"), example("broken/vm-two-dsc-extensions.json")]) {
        const first = linter.verifyAndFix(code, flat, { filename: "azuredeploy.json" });
        assert.deepEqual(first.messages.filter((m) => m.fatal), []);
        assert.notEqual(first.output, code, "the template is fixed");
        const second = linter.verifyAndFix(first.output, flat, { filename: "azuredeploy.json" });
        assert.deepEqual(second.messages.filter((m) => m.fatal), [], "the fixed template parses");
        assert.equal(second.output, first.output, "a second pass changes nothing");
      }
    });
  }
});
