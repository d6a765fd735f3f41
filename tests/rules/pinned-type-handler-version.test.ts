import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Linter } from "eslint";
import rule from "../../rules/pinned-type-handler-version.js";
import { FRONT_ENDS, runRuleTests } from "../helpers/tester.js";
import { deploymentTemplate, dscConfigModule, dscScaleSet, dscVmExtension, nestedDeployment, type TemplateParts } from "../helpers/templates.js";
import { at, errorAt, oneError, PARAMETERS_SCHEMA, SCHEMA } from "../helpers/at.js";


/** A scale set whose profile holds one DSC extension with the given extra `properties` members. */
function vmss(props: string, parts: TemplateParts = {}): string {
  return dscScaleSet(props ? [props] : [], parts);
}

/** A VM with a nested DSC child extension. */
function vm(props: string): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "vm1",
      "resources": [
        {
          "type": "extensions",
          "apiVersion": "2024-07-01",
          "name": "Microsoft.Powershell.DSC",
          "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
          "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", ${props} }
        }
      ]
    }
  ]
}`;
}

const onVmss = { name: "dsc", parent: "scale set 'vmss1'" };

/** An extension resource whose whole `properties` is a variable, as Bicep compiles `properties: dscProperties`. */
const propertiesVariable = `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "variables": {
    "dscProperties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": 2.83, "autoUpgradeMinorVersion": true }
  },
  "resources": [
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm1" },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/dsc",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
      "properties": "[variables('dscProperties')]"
    }
  ]
}`;

/**
 * A scale-set profile entry with `entryMembers` misplaced at the entry level, next to `name` and a
 * `properties` that holds `publisher` and `type` (extension-placement reports the misplacement).
 */
function entryLevel(entryMembers: string): string {
  return dscScaleSet([]).replace(`"name": "dsc",`, `"name": "dsc", ${entryMembers},`);
}
/** `code` with its typeHandlerVersion `version` and the upgrade flag next to it, written in place, set to "2.83" and false. */
function pinnedInPlace(code: string, version: string): string {
  return code.replace(`"typeHandlerVersion": "${version}", "autoUpgradeMinorVersion": true`, `"typeHandlerVersion": "2.83", "autoUpgradeMinorVersion": false`);
}

/**
 * The autoUpgrade report on `snippet` of a scale-set template with its one suggestion,
 * pinAndDisableAutoUpgrade to "2.83", giving `output`; `writtenAt` is where the flag's `true` is
 * written when that is elsewhere (the suggestion names its line).
 */
function pinAndDisable(code: string, snippet: string, output: string, { origin = "", writtenAt }: { origin?: string; writtenAt?: string } = {}) {
  return {
    ...errorAt(code, "autoUpgrade", { ...onVmss, origin }, snippet),
    suggestions: [
      {
        messageId: "pinAndDisableAutoUpgrade",
        data: { version: "2.83", where: writtenAt ? ` (on line ${at(code, writtenAt).line}, where it is written)` : "" },
        output,
      },
    ],
  };
}
const UPGRADING = "; autoUpgradeMinorVersion installs a newer one until it is turned off";
const REMOVED = "; versions 1.0 to 2.3 were removed from the platform";
const RETIRED = "; versions 2.4 to 2.13 are retired (their WMF 5.0 preview certificates expired in 2016)";
const NO_TLS12 = '; versions before 2.75 cannot download the configuration over TLS 1.2 ("Could not create SSL/TLS secure channel")';
const entryLevelRetired = entryLevel(`"typeHandlerVersion": "2.9", "autoUpgradeMinorVersion": true`);
const onVm = { name: "Microsoft.Powershell.DSC", parent: "virtual machine 'vm1'" };

/** A version written as the JSON number `raw`, below the minimum for `reason`: the numberVersion fix and the belowMinimum report. */
function numberBelowMinimum(code: string, raw: string, readAs: string, reason: string) {
  return {
    code,
    output: code.replace(raw, `"${raw}"`),
    errors: [
      errorAt(code, "numberVersion", { ...onVmss, raw, readAs, text: raw }, raw),
      errorAt(code, "belowMinimum", { ...onVmss, value: `"${raw}"`, origin: "", minimum: "2.75", reason, upgrade: "" }, raw),
    ],
  };
}

const missing = vmss("");
const number220 = vmss(`"typeHandlerVersion": 2.20`);
const number29 = vmss(`"typeHandlerVersion": 2.9`);
const beforeTls = vmss(`"typeHandlerVersion": "2.74"`);
const removed = vmss(`"typeHandlerVersion": "2.3"`);
const upgradeBeforeTls = vmss(`"typeHandlerVersion": "2.19", "autoUpgradeMinorVersion": true`);
const upgradeFromParameter = vmss(`"typeHandlerVersion": "2.19", "autoUpgradeMinorVersion": "[parameters('upgrade')]"`, {
  parameters: `{ "upgrade": { "type": "bool", "defaultValue": true } }`,
});
const major = vmss(`"typeHandlerVersion": "2"`);
const wildcard = vmss(`"typeHandlerVersion": "2.*"`);
const latest = vm(`"typeHandlerVersion": "latest"`);
const noDefault = vmss(`"typeHandlerVersion": "[parameters('dscVersion')]"`, {
  parameters: `{ "dscVersion": { "type": "string" } }`,
});
const allowed = vmss(`"typeHandlerVersion": "[parameters('dscVersion')]"`, {
  parameters: `{ "dscVersion": { "type": "string", "defaultValue": "2.83", "allowedValues": ["2.83", "2"] } }`,
});
/** A version parameter of a Bicep literal-union type: its definition holds the allowed values. */
function definedVersion(allowedValues: string, defaultValue = ""): string {
  return vmss(`"typeHandlerVersion": "[parameters('dscVersion')]"`, {
    parameters: `{ "dscVersion": { "$ref": "#/definitions/dscVersion"${defaultValue} } }`,
  }).replace(`"parameters": {`, `"definitions": { "dscVersion": { "type": "string", "allowedValues": ${allowedValues} } },\n  "parameters": {`);
}
const definedPinned = definedVersion(`["2.80", "2.83"]`);
const definedUnpinned = definedVersion(`["2.83", "2.*"]`, `, "defaultValue": "2.83"`);
assert.notEqual(definedPinned, definedVersion(`[]`));
const retiredViaVariables = vmss(`"typeHandlerVersion": "[variables('dscVersion')]"`, {
  variables: `{ "dscVersion": "[variables('legacyVersion')]", "legacyVersion": "2.9" }`,
});
// Bicep's loop over a module's configurations: one element per index.
const perIndex = vmss(`"typeHandlerVersion": "[variables('versions')[copyIndex()]]"`, { variables: `{ "versions": ["2.83", "2.9"] }` });
const upgradeRetiredVariable = vmss(`"typeHandlerVersion": "[variables('v')]", "autoUpgradeMinorVersion": true`, { variables: `{ "v": "2.9" }` });
/** A version removed from the platform: reported even while the upgrade is on. */
const upgradeRemoved = vmss(`"typeHandlerVersion": "2.3", "autoUpgradeMinorVersion": true`);
// the upgrade stays within major version 1, all of which was removed
const upgradeMajorOne = vmss(`"typeHandlerVersion": "1.10", "autoUpgradeMinorVersion": true`);
const upgradeMajorOnly = vmss(`"typeHandlerVersion": "2", "autoUpgradeMinorVersion": true`);
const autoUpgrade = vm(`"typeHandlerVersion": "2.83", "autoUpgradeMinorVersion": true`);
/** A module whose DSC extension (retired, upgrading) deploys only when `dsc.enabled`; the caller passes `passed`. */
function switchedModule(passed: string): string {
  return nestedDeployment({
    scope: "inner",
    name: "vm1-dsc",
    outerParameters: "{}",
    passed,
    innerParameters: `{ "dsc": { "type": "object", "defaultValue": { "enabled": false } } }`,
    resource: dscVmExtension(['"typeHandlerVersion": "2.9"', '"autoUpgradeMinorVersion": true'], "").replace(
      `"apiVersion": "2024-07-01",`,
      `"apiVersion": "2024-07-01",\n  "condition": "[parameters('dsc').enabled]",`,
    ),
  });
}
const onModule = { name: "vm1/dsc", parent: "virtual machine 'vm1'" };
/** A module whose DSC extension pins 2.19 and reads its upgrade flag from a parameter; the caller passes `passed`. */
function upgradeModule(outerParameters: string, passed: string): string {
  return nestedDeployment({
    scope: "inner",
    name: "vm1-dsc",
    outerParameters,
    passed,
    innerParameters: `{ "upgrade": { "type": "bool", "defaultValue": false } }`,
    resource: dscVmExtension(['"typeHandlerVersion": "2.19"', `"autoUpgradeMinorVersion": "[parameters('upgrade')]"`], ""),
  });
}
/**
 * The module's autoUpgrade report with its suggestion, which pins 2.83 and sets the flag's `true`
 * (written as `writtenTrue`, at the caller or as the default) to false; with the belowMinimum
 * report first when the flag may be false in a deployment.
 */
function upgradeThroughModule(code: string, writtenTrue: string, { maybeOff }: { maybeOff: boolean }) {
  const upgrade = {
    ...errorAt(code, "autoUpgrade", { ...onModule, origin: " (from parameter 'upgrade')" }, `"[parameters('upgrade')]"`),
    suggestions: [
      {
        messageId: "pinAndDisableAutoUpgrade",
        data: { version: "2.83", where: ` (on line ${at(code, writtenTrue).line}, where it is written)` },
        output: code.replace(writtenTrue, writtenTrue.replace("true", "false")).replace(`"2.19"`, `"2.83"`),
      },
    ],
  };
  const below = errorAt(code, "belowMinimum", { ...onModule, value: `"2.19"`, origin: "", minimum: "2.75", reason: NO_TLS12, upgrade: UPGRADING }, `"2.19"`);
  return { code, errors: maybeOff ? [below, upgrade] : [upgrade] };
}
/** Two VMs whose DSC extensions read one variable's `true`: vm1 pins 2.83, vm2 `vm2Version`. */
function sharedFlag(vm2Version: string): string {
  const extension = (vm: string, version: string) => `{
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "${vm}/dsc",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', '${vm}')]"],
      "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "${version}", "autoUpgradeMinorVersion": "[variables('upgrade')]" }
    }`;
  return deploymentTemplate(
    `    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm1" },
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm2" },
    ${extension("vm1", "2.83")},
    ${extension("vm2", vm2Version)}`,
    { variables: `{ "upgrade": true }` },
  );
}
/** vm2's 2.19 relies on the upgrade. */
const sharedWithUnsound = sharedFlag("2.19");
const sharedWithSound = sharedFlag("2.80");
/** The variable also turns the upgrade on for another publisher's extension, which the suggestion must not change. */
const sharedWithMonitor = sharedWithSound.replace(
  `"typeHandlerVersion": "2.80", "autoUpgradeMinorVersion": "[variables('upgrade')]" }`,
  `"typeHandlerVersion": "2.80", "autoUpgradeMinorVersion": false },
      "resources": [{ "type": "extensions", "apiVersion": "2024-07-01", "name": "AzureMonitorWindowsAgent",
        "properties": { "publisher": "Microsoft.Azure.Monitor", "type": "AzureMonitorWindowsAgent", "typeHandlerVersion": "1.0", "autoUpgradeMinorVersion": "[variables('upgrade')]" } }]`,
);
/** The caller passes true as a literal: the upgrade is on in every deployment. */
const upgradePassedTrue = upgradeModule("{}", `{ "upgrade": { "value": true } }`);
/** ... also when the root template has a parameter of the same name, which it does not pass. */
const upgradePassedTrueSameName = upgradeModule(`{ "upgrade": { "type": "bool", "defaultValue": false } }`, `{ "upgrade": { "value": true } }`);
/** A deployment that links a parameters file, which may set the module's flag (default true) to false. */
const upgradeLinked = upgradeModule("{}", "{}")
  .replace(`"parameters": {},\n        "template"`, `"parametersLink": { "uri": "https://example.org/p.json" },\n        "template"`)
  .replace(`"defaultValue": false`, `"defaultValue": true`);
/** The caller passes its own parameter, which a deployment may set to false. */
const upgradePassedFromRoot = upgradeModule(`{ "dscUpgrade": { "type": "bool", "defaultValue": true } }`, `{ "upgrade": { "value": "[parameters('dscUpgrade')]" } }`);
const switchedOn = switchedModule(`{ "dsc": { "value": { "enabled": true } } }`);

const moduleUpgrade = dscConfigModule(`{ "autoUpgradeMinorVersion": true, "protectedSettings": { "configurationArguments": { "key": "[parameters('regKey')]" } } }`);
const moduleFlag = `"[coalesce(tryGet(parameters('extensionDSCConfig'), 'autoUpgradeMinorVersion'), false())]"`;
const retiredUpgradeVariable = vmss(`"typeHandlerVersion": "2.9", "autoUpgradeMinorVersion": "[variables('upgrade')]"`, { variables: `{ "upgrade": true }` });
// The flag's true is a function's result, written nowhere: the expression itself is replaced.
const upgradeByFunction = vmss(`"typeHandlerVersion": "2.83", "autoUpgradeMinorVersion": "[bool('true')]"`);

const autoUpgradeParam = vmss(`"typeHandlerVersion": "2.83", "autoUpgradeMinorVersion": "[parameters('upgrade')]"`, {
  parameters: `{ "upgrade": { "type": "bool", "defaultValue": true } }`,
});
const automatic = vm(`"typeHandlerVersion": "2.83", "enableAutomaticUpgrade": true`);
const belowCustomMinimum = vm(`"typeHandlerVersion": "2.77"`);
const malformed = vm(`"typeHandlerVersion": "[concat('2.', ]"`);

const commentsAndBom = `\uFEFF{
  // DSC on a VM, written as JSONC
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/dsc",
      "properties": {
        "publisher": "Microsoft.Powershell",
        "type": "DSC",
        /* pinned on purpose */ "typeHandlerVersion": 2.83, // keep this comment
      },
    },
  ],
}`;

const caseInsensitive = `{
  "$SCHEMA": "${SCHEMA}",
  "Resources": [
    {
      "TYPE": "MICROSOFT.COMPUTE/VIRTUALMACHINES/EXTENSIONS",
      "Name": "vm1/dsc",
      "Properties": { "Publisher": "microsoft.powershell", "Type": "dsc", "TypeHandlerVersion": "2.9" }
    }
  ]
}`;

const languageVersion2 = `{
  "$schema": "${SCHEMA}",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "resources": {
    "vm": { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm1" },
    "dsc": {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/dsc",
      "dependsOn": ["vm"],
      "properties": { "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.*" }
    }
  }
}`;

/**
 * A nested deployment whose inner template holds a top-level DSC extension; `passed` is what the
 * deployment passes for its `dscVersion` parameter.
 */
function nested(scope: "inner" | "outer", passed = `{ "value": "2" }`): string {
  return nestedDeployment({
    scope,
    name: "inner-deployment",
    outerParameters: `{
    "dscVersion": { "type": "string", "defaultValue": "2.9" },
    "legacy": { "type": "bool" },
    "versionObject": { "type": "object", "defaultValue": { "value": "2" } }
  }`,
    passed: `{ "dscVersion": ${passed} }`,
    innerParameters: `{ "dscVersion": { "type": "string" } }`,
    resource: dscVmExtension([`"typeHandlerVersion": "[parameters('dscVersion')]"`], ""),
  });
}

/** The `missing` template reported, with a suggestion that inserts `version`. */
function missingVersion(version: string) {
  return {
    code: missing,
    errors: [
      {
        ...errorAt(missing, "missing", onVmss, `"type"`, 2),
        suggestions: [
          {
            messageId: "insertVersion",
            data: { version },
            output: missing.replace(`"type": "DSC"`, `"type": "DSC",\n                  "typeHandlerVersion": "${version}"`),
          },
        ],
      },
    ],
  };
}

runRuleTests("pinned-type-handler-version", rule, {
  valid: [
    // a version in an object a variable builds (as Bicep writes one with a conditional or a spread), beside a secret
    vmss(`"typeHandlerVersion": "[variables('cfg').typeHandlerVersion]", "autoUpgradeMinorVersion": false`, {
      parameters: `{ "sas": { "type": "secureString" } }`,
      variables: `{ "cfg": "[shallowMerge(createArray(createObject('typeHandlerVersion', '2.83'), createObject('token', parameters('sas'))))]" }`,
    }),
    // a version picked from configurations by a lambda (Bicep's `for vm in filter(vms, ...)`): each one kept is pinned
    vmss(`"typeHandlerVersion": "[filter(variables('vms'), lambda('vm', lambdaVariables('vm').dsc))[copyIndex()].version]", "autoUpgradeMinorVersion": false`, {
      variables: `{ "vms": [{ "dsc": true, "version": "2.83" }, { "dsc": false, "version": "2.9" }, { "dsc": true, "version": "2.80" }] }`,
    }),
    // the first version that downloads over TLS 1.2, and a lower one a user accepts
    vmss(`"typeHandlerVersion": "2.75"`),
    { code: vmss(`"typeHandlerVersion": "2.26"`), options: [{ minimumVersion: "2.14" }] },
    // with the upgrade accepted, a version the platform still has is only a floor
    { code: upgradeBeforeTls, options: [{ allowAutoUpgradeMinorVersion: true }] },
    // a member of a settings variable whose other member is only known at deployment
    vmss(`"typeHandlerVersion": "[variables('cfg').typeHandlerVersion]"`, {
      parameters: `{ "label": { "type": "string", "defaultValue": "[newGuid()]" } }`,
      variables: `{ "cfg": { "typeHandlerVersion": "2.83", "label": "[parameters('label')]" } }`,
    }),
    // an AVM-shaped module reads the version alone, beside a secure parameter known only at deployment
    dscConfigModule(`{ "typeHandlerVersion": "2.83", "protectedSettings": { "configurationArguments": { "key": "[parameters('regKey')]" } } }`),
    // ... and falls back to its own default when the caller passes none
    dscConfigModule(`{ "protectedSettings": { "configurationArguments": { "key": "[parameters('regKey')]" } } }`),
    // never deployed: the caller leaves the module's switch at its default, or turns it off
    switchedModule("{}"),
    switchedModule(`{ "dsc": { "value": { "enabled": false } } }`),
    // a pinned version misplaced at the entry level is not missing (extension-placement reports where it is)
    entryLevel(`"typeHandlerVersion": "2.83"`),
    vmss(`"typeHandlerVersion": "2.83", "autoUpgradeMinorVersion": false`),
    vm(`"typeHandlerVersion": "2.77"`),
    vm(`"typeHandlerVersion": "3.0", "enableAutomaticUpgrade": false`),
    vmss(`"typeHandlerVersion": "[parameters('dscVersion')]"`, {
      parameters: `{ "dscVersion": { "type": "string", "defaultValue": "2.80", "allowedValues": ["2.80", "2.83"] } }`,
    }),
    vmss(`"typeHandlerVersion": "[variables('v')]"`, { variables: `{ "v": "[concat('2.', '83')]" }` }),
    // a parameter whose user-defined type allows only pinned versions, without a default
    definedPinned,
    // the upgrade flag cannot be proven true without a default
    vmss(`"typeHandlerVersion": "2.83", "autoUpgradeMinorVersion": "[parameters('upgrade')]"`, {
      parameters: `{ "upgrade": { "type": "bool" } }`,
    }),
    { code: autoUpgrade, options: [{ allowAutoUpgradeMinorVersion: true }] },
    // other extensions are not DSC
    vm(`"typeHandlerVersion": "1"`).replace(`"publisher": "Microsoft.Powershell", "type": "DSC"`, `"publisher": "Microsoft.Compute", "type": "CustomScriptExtension"`),
    // not an ARM template
    `{ "name": "pkg", "properties": { "publisher": "Microsoft.Powershell", "type": "DSC" } }`,
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": { "typeHandlerVersion": { "value": "2" } } }`,
    `[1, 2, 3]`,
    // wrongly typed slots are skipped quietly
    `{ "$schema": "${SCHEMA}", "resources": { "x": null, "y": [] } }`,
    `{ "$schema": "${SCHEMA}", "resources": [null, 1, "a", { "type": 5, "properties": [] }] }`,
    vm(`"settings": "[concat("`).replace(`"publisher": "Microsoft.Powershell", "type": "DSC", `, `"publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83", `),
  ],
  invalid: [
    {
      // a version and a flag misplaced at the entry level are read there; the retired 2.9 is only a
      // floor while the upgrade is on (it installs the newest 2.x), so only the flag is reported
      code: entryLevelRetired,
      errors: [
        // turning the upgrade off alone would deploy the retired 2.9: the suggestion pins what the upgrade installs
        pinAndDisable(entryLevelRetired, "true", pinnedInPlace(entryLevelRetired, "2.9")),
      ],
    },
    missingVersion("2.83"),
    { ...missingVersion("2.77"), options: [{ preferredVersion: "2.77" }] },
    // suggestions never write a version the rule reports: a higher minimum wins over the preferred version
    { ...missingVersion("2.90"), options: [{ minimumVersion: "2.90" }] },
    { ...missingVersion("2.90"), options: [{ minimumVersion: "2.90", preferredVersion: "2.80" }] },
    // a number loses its trailing zero (2.20 is 2.2); the fix writes the string as written
    numberBelowMinimum(number220, "2.20", ", which is read as 2.2", NO_TLS12),
    // a number in exponent form is written as the number ARM reads; one that is no version is not pinned
    {
      code: vmss(`"typeHandlerVersion": 283e-2`),
      output: vmss(`"typeHandlerVersion": "2.83"`),
      errors: [errorAt(vmss(`"typeHandlerVersion": 283e-2`), "numberVersion", { ...onVmss, raw: "283e-2", readAs: ", which is read as 2.83", text: "2.83" }, "283e-2")],
    },
    oneError(vmss(`"typeHandlerVersion": 1e400`), "notPinned", { ...onVmss, value: "1e400", origin: "" }, "1e400"),
    // ... nor one that reads as a major version alone: as a string it would be no more pinned
    oneError(vmss(`"typeHandlerVersion": 3`), "notPinned", { ...onVmss, value: "3", origin: "" }, "3"),
    oneError(vmss(`"typeHandlerVersion": 3e0`), "notPinned", { ...onVmss, value: "3e0", origin: "" }, "3e0"),
    // the TLS 1.2 floor, and the reason for each range the default minimum rules out
    oneError(beforeTls, "belowMinimum", { ...onVmss, value: `"2.74"`, origin: "", minimum: "2.75", reason: NO_TLS12, upgrade: "" }, `"2.74"`),
    {
      // a flag read from a parameter may be false in a deployment, which then pins 2.19
      code: upgradeFromParameter,
      errors: [
        errorAt(upgradeFromParameter, "belowMinimum", { ...onVmss, value: `"2.19"`, origin: "", minimum: "2.75", reason: NO_TLS12, upgrade: UPGRADING }, `"2.19"`),
        pinAndDisable(upgradeFromParameter, `"[parameters('upgrade')]"`, upgradeFromParameter.replace(`"2.19"`, `"2.83"`).replace(`"defaultValue": true`, `"defaultValue": false`), { origin: " (from parameter 'upgrade')", writtenAt: `"defaultValue": true` }),
      ],
    },
    {
      // read where the variable is written; no autofix edits a value read through an expression
      code: propertiesVariable,
      errors: [
        errorAt(propertiesVariable, "numberVersion", { name: "vm1/dsc", parent: "virtual machine 'vm1'", raw: "2.83", readAs: "", text: "2.83" }, "2.83"),
        {
          ...errorAt(propertiesVariable, "autoUpgrade", { name: "vm1/dsc", parent: "virtual machine 'vm1'", origin: "" }, "true"),
          suggestions: [{ messageId: "disableAutoUpgrade", output: propertiesVariable.replace(`"autoUpgradeMinorVersion": true`, `"autoUpgradeMinorVersion": false`) }],
        },
      ],
    },
    oneError(removed, "belowMinimum", { ...onVmss, value: `"2.3"`, origin: "", minimum: "2.75", reason: REMOVED, upgrade: "" }, `"2.3"`),
    {
      // 2.19 deploys the newest 2.x while the upgrade is on, so only the flag is reported; turning it off alone would pin 2.19
      code: upgradeBeforeTls,
      errors: [
        pinAndDisable(upgradeBeforeTls, "true", pinnedInPlace(upgradeBeforeTls, "2.19")),
      ],
    },
    {
      // turning vm1's upgrade off where the true is written would leave vm2 on 2.19, which fails over TLS 1.2:
      // no suggestion for vm1; vm2's pins its own version as it turns the shared flag off
      code: sharedWithUnsound,
      errors: [
        { ...errorAt(sharedWithUnsound, "autoUpgrade", { name: "vm1/dsc", parent: "virtual machine 'vm1'", origin: " (from variable 'upgrade')" }, `"[variables('upgrade')]"`), suggestions: [] },
        {
          ...errorAt(sharedWithUnsound, "autoUpgrade", { name: "vm2/dsc", parent: "virtual machine 'vm2'", origin: " (from variable 'upgrade')" }, `"[variables('upgrade')]"`, 2),
          suggestions: [
            {
              messageId: "pinAndDisableAutoUpgrade",
              data: { version: "2.83", where: ` (on line ${at(sharedWithUnsound, `"upgrade": true`).line}, where it is written)` },
              output: sharedWithUnsound.replace(`"upgrade": true`, `"upgrade": false`).replace(`"2.19"`, `"2.83"`),
            },
          ],
        },
      ],
    },
    {
      // the DSC extension's own expression, not the variable another extension reads
      code: sharedWithMonitor,
      errors: [
        {
          ...errorAt(sharedWithMonitor, "autoUpgrade", { name: "vm1/dsc", parent: "virtual machine 'vm1'", origin: " (from variable 'upgrade')" }, `"[variables('upgrade')]"`),
          suggestions: [
            {
              messageId: "replaceWithFalse",
              data: { key: "autoUpgradeMinorVersion" },
              output: sharedWithMonitor.replace(`"autoUpgradeMinorVersion": "[variables('upgrade')]" }\n    },`, `"autoUpgradeMinorVersion": false }\n    },`),
            },
          ],
        },
      ],
    },
    {
      // both versions are pinned and supported: either may turn the shared flag off
      code: sharedWithSound,
      errors: ["vm1", "vm2"].map((vm, i) => ({
        ...errorAt(sharedWithSound, "autoUpgrade", { name: `${vm}/dsc`, parent: `virtual machine '${vm}'`, origin: " (from variable 'upgrade')" }, `"[variables('upgrade')]"`, i + 1),
        suggestions: [
          {
            messageId: "setFalseWhereWritten",
            data: { key: "autoUpgradeMinorVersion", line: String(at(sharedWithSound, `"upgrade": true`).line) },
            output: sharedWithSound.replace(`"upgrade": true`, `"upgrade": false`),
          },
        ],
      })),
    },
    // the caller passes a literal true: 2.19 is only a floor, as when written in place
    upgradeThroughModule(upgradePassedTrue, `"value": true`, { maybeOff: false }),
    upgradeThroughModule(upgradePassedTrueSameName, `"value": true`, { maybeOff: false }),
    // the linked parameters file may set the flag to false, which then pins 2.19
    upgradeThroughModule(upgradeLinked, `"defaultValue": true`, { maybeOff: true }),
    // ... and so may a deployment, through the root parameter the caller passes
    upgradeThroughModule(upgradePassedFromRoot, `"defaultValue": true`, { maybeOff: true }),
    numberBelowMinimum(number29, "2.9", "", RETIRED),
    {
      code: major,
      errors: [{ messageId: "notPinned", data: { ...onVmss, value: `"2"`, origin: "" }, ...at(major, `"2"`) }],
    },
    {
      code: wildcard,
      errors: [{ messageId: "notPinned", data: { ...onVmss, value: `"2.*"`, origin: "" }, ...at(wildcard, `"2.*"`) }],
    },
    {
      code: latest,
      errors: [{ messageId: "notPinned", data: { ...onVm, value: `"latest"`, origin: "" }, ...at(latest, `"latest"`) }],
    },
    oneError(noDefault, "unresolved", { ...onVmss, reason: "parameter 'dscVersion' has no default value" }, `"[parameters('dscVersion')]"`),
    oneError(definedUnpinned, "notPinned", { ...onVmss, value: `"2.*" in some deployments`, origin: " (from parameter 'dscVersion')" }, `"[parameters('dscVersion')]"`),
    oneError(allowed, "notPinned", { ...onVmss, value: `"2" in some deployments`, origin: " (from parameter 'dscVersion')" }, `"[parameters('dscVersion')]"`),
    oneError(retiredViaVariables, "belowMinimum", { ...onVmss, value: `"2.9"`, origin: " (from variable 'dscVersion')", minimum: "2.75", reason: RETIRED, upgrade: "" }, `"[variables('dscVersion')]"`),
    {
      code: belowCustomMinimum,
      options: [{ minimumVersion: "2.80" }],
      errors: [
        errorAt(belowCustomMinimum, "belowMinimum", { ...onVm, value: `"2.77"`, origin: "", minimum: "2.80", reason: "", upgrade: "" }, `"2.77"`),
      ],
    },
    {
      code: autoUpgrade,
      errors: [
        {
          messageId: "autoUpgrade",
          data: { ...onVm, origin: "" },
          ...at(autoUpgrade, "true"),
          suggestions: [{ messageId: "disableAutoUpgrade", output: autoUpgrade.replace("true", "false") }],
        },
      ],
    },
    {
      code: autoUpgradeParam,
      errors: [
        {
          messageId: "autoUpgrade",
          data: { ...onVmss, origin: " (from parameter 'upgrade')" },
          ...at(autoUpgradeParam, `"[parameters('upgrade')]"`),
          // the parameter's default, where the value is written: the expression keeps working
          suggestions: [
            {
              messageId: "setFalseWhereWritten",
              data: { key: "autoUpgradeMinorVersion", line: String(at(autoUpgradeParam, `"defaultValue": true`).line) },
              output: autoUpgradeParam.replace(`"defaultValue": true`, `"defaultValue": false`),
            },
          ],
        },
      ],
    },
    { code: perIndex, errors: [errorAt(perIndex, "belowMinimum", { ...onVmss, value: `"2.9"`, origin: " (from variable 'versions')", minimum: "2.75", reason: RETIRED, upgrade: "" }, `"[variables('versions')[copyIndex()]]"`)] },
    {
      // a version from elsewhere: no suggestion, since turning the upgrade off would deploy 2.9
      code: upgradeRetiredVariable,
      errors: [
        { ...errorAt(upgradeRetiredVariable, "autoUpgrade", { ...onVmss, origin: "" }, "true"), suggestions: [] },
      ],
    },
    {
      code: upgradeRemoved,
      errors: [
        errorAt(upgradeRemoved, "belowMinimum", { ...onVmss, value: `"2.3"`, origin: "", minimum: "2.75", reason: REMOVED, upgrade: UPGRADING }, `"2.3"`),
        pinAndDisable(upgradeRemoved, "true", pinnedInPlace(upgradeRemoved, "2.3")),
      ],
    },
    {
      code: upgradeMajorOne,
      errors: [
        errorAt(
          upgradeMajorOne,
          "belowMinimum",
          {
            ...onVmss,
            value: `"1.10"`,
            origin: "",
            minimum: "2.75",
            reason: REMOVED,
            upgrade: "; autoUpgradeMinorVersion does not help, as it never leaves major version 1, which has no version left",
          },
          `"1.10"`,
        ),
        pinAndDisable(upgradeMajorOne, "true", pinnedInPlace(upgradeMajorOne, "1.10")),
      ],
    },
    {
      code: upgradeMajorOnly,
      errors: [
        errorAt(upgradeMajorOnly, "notPinned", { ...onVmss, value: `"2"`, origin: "" }, `"2"`),
        pinAndDisable(upgradeMajorOnly, "true", pinnedInPlace(upgradeMajorOnly, "2")),
      ],
    },
    {
      code: switchedOn,
      errors: [
        {
          messageId: "autoUpgrade",
          data: { name: "vm1/dsc", parent: "virtual machine 'vm1'", origin: "" },
          ...at(switchedOn, "true", 2),
          suggestions: [
            {
              messageId: "pinAndDisableAutoUpgrade",
              data: { version: "2.83", where: "" },
              output: switchedOn.replace('"typeHandlerVersion": "2.9",\n                "autoUpgradeMinorVersion": true', '"typeHandlerVersion": "2.83",\n                "autoUpgradeMinorVersion": false'),
            },
          ],
        },
      ],
    },
    {
      // the pinned version in place, the flag where its value is written
      code: retiredUpgradeVariable,
      errors: [
        pinAndDisable(retiredUpgradeVariable, `"[variables('upgrade')]"`, retiredUpgradeVariable.replace(`"2.9"`, `"2.83"`).replace(`"upgrade": true`, `"upgrade": false`), { origin: " (from variable 'upgrade')", writtenAt: `"upgrade": true` }),
      ],
    },
    {
      code: upgradeByFunction,
      errors: [
        {
          ...errorAt(upgradeByFunction, "autoUpgrade", { ...onVmss, origin: "" }, `"[bool('true')]"`),
          suggestions: [{ messageId: "replaceWithFalse", data: { key: "autoUpgradeMinorVersion" }, output: upgradeByFunction.replace(`"[bool('true')]"`, "false") }],
        },
      ],
    },
    {
      // the caller's flag, read through the module's tryGet
      code: moduleUpgrade,
      errors: [
        {
          messageId: "autoUpgrade",
          data: { name: "vm1/dsc", parent: "virtual machine 'vm1'", origin: " (from parameter 'extensionDSCConfig')" },
          ...at(moduleUpgrade, moduleFlag),
          // the caller's value, not the module's expression, which would then ignore every caller
          suggestions: [
            {
              messageId: "setFalseWhereWritten",
              data: { key: "autoUpgradeMinorVersion", line: String(at(moduleUpgrade, `"autoUpgradeMinorVersion": true`).line) },
              output: moduleUpgrade.replace(`"autoUpgradeMinorVersion": true`, `"autoUpgradeMinorVersion": false`),
            },
          ],
        },
      ],
    },
    {
      code: automatic,
      errors: [
        {
          messageId: "automaticUpgrade",
          data: { ...onVm, origin: "" },
          ...at(automatic, "true"),
          suggestions: [{ messageId: "disableAutomaticUpgrade", output: automatic.replace("true", "false") }],
        },
      ],
    },
    oneError(malformed, "unresolved", { ...onVm, reason: "the expression is malformed (expected an expression but found end of expression at offset 14)" }, `"[concat('2.', ]"`),
    {
      code: commentsAndBom,
      output: commentsAndBom.replace("2.83,", `"2.83",`),
      errors: [
        errorAt(commentsAndBom, "numberVersion", { name: "vm1/dsc", parent: "virtual machine 'vm1'", raw: "2.83", readAs: "", text: "2.83" }, "2.83"),
      ],
    },
    oneError(caseInsensitive, "belowMinimum", { name: "vm1/dsc", parent: "virtual machine 'vm1'", value: `"2.9"`, origin: "", minimum: "2.75", reason: RETIRED, upgrade: "" }, `"2.9"`),
    oneError(languageVersion2, "notPinned", { name: "vm1/dsc", parent: "virtual machine 'vm1'", value: `"2.*"`, origin: "" }, `"2.*"`),
    {
      code: nested("inner"),
      errors: [
        // the value is written in the deployment that passes it, a line the report inside the module names
        errorAt(nested("inner"), "notPinned", { name: "vm1/dsc", parent: "virtual machine 'vm1'", value: `"2"`, origin: " (from parameter 'dscVersion', written on line 17)" }, `"[parameters('dscVersion')]"`),
      ],
    },
    // Bicep passes a module's parameter object as one expression
    ...[
      [`"[createObject('value', '2')]"`, ""],
      [`"[parameters('versionObject')]"`, ", written on line 7"],
    ].map(([passed, line]) => ({
      code: nested("inner", passed),
      errors: [
        errorAt(nested("inner", passed), "notPinned", { name: "vm1/dsc", parent: "virtual machine 'vm1'", value: `"2"`, origin: ` (from parameter 'dscVersion'${line})` }, `"[parameters('dscVersion')]"`),
      ],
    })),
    {
      code: nested("inner", `"[if(parameters('legacy'), createObject('value', '2.9'), createObject('value', '2.83'))]"`),
      errors: [
        errorAt(
          nested("inner", `"[if(parameters('legacy'), createObject('value', '2.9'), createObject('value', '2.83'))]"`),
          "belowMinimum",
          { name: "vm1/dsc", parent: "virtual machine 'vm1'", value: `"2.9"`, origin: " (from parameter 'dscVersion')", minimum: "2.75", reason: RETIRED, upgrade: "" },
          `"[parameters('dscVersion')]"`,
        ),
      ],
    },
    {
      code: nested("outer"),
      errors: [
        {
          messageId: "belowMinimum",
          data: {
            name: "vm1/dsc",
            parent: "virtual machine 'vm1'",
            value: `"2.9"`,
            origin: " (from parameter 'dscVersion')",
            minimum: "2.75",
            reason: RETIRED,
            upgrade: "",
          },
          ...at(nested("outer"), `"[parameters('dscVersion')]"`),
        },
      ],
    },
  ],
});

describe("pinned-type-handler-version options", () => {
  // The schema takes the versions the rule reads (1 to 9 digits a component): a version it accepted
  // but could not read would be ignored as a minimum and written by the suggestions as it is.
  it("rejects versions the rule cannot read", () => {
    const linter = new Linter({ configType: "flat" });
    const base: Linter.Config = { ...FRONT_ENDS["jsonc-eslint-parser"], files: ["**/*.json"], plugins: { "arm-dsc": { rules: { "pinned-type-handler-version": rule } } as never } };
    const lint = (options: Record<string, string>) => linter.verify(vmss(""), [{ ...base, rules: { "arm-dsc/pinned-type-handler-version": ["error", options] } }], { filename: "t.json" });
    for (const key of ["minimumVersion", "preferredVersion"]) {
      for (const version of ["2.1234567890", "1234567890.0", "2.80.1", "v2.75", "2"]) {
        assert.throws(() => lint({ [key]: version }), /Key "arm-dsc\/pinned-type-handler-version":\s+Value "[^"]+" should match pattern/u, `${key}: ${version}`);
      }
      assert.equal(lint({ [key]: "999999999.999999999" }).filter((m) => m.fatal).length, 0);
    }
  });
});
