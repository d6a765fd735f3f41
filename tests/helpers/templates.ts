import { SCHEMA } from "./at.js";

/** Declarations a test template starts with (JSON text). */
export interface TemplateParts {
  parameters?: string;
  variables?: string;
}

/**
 * A deployment template (JSON text) with the given `parameters` and `variables` and `resources`:
 * the text of the resources array's members, written out at their final indentation (4 spaces for
 * a member's braces), which goes between the array's brackets as it is.
 */
export function deploymentTemplate(resources: string, { parameters = "{}", variables = "{}" }: TemplateParts = {}): string {
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": ${parameters},
  "variables": ${variables},
  "resources": [
${resources}
  ]
}`;
}

/**
 * The resource of scale set "vmss1" whose `properties.virtualMachineProfile.extensionProfile` holds
 * `profile` (its member lines, written out at their final indentation). `indent` is the indentation
 * of the resource's braces; the first line carries it too.
 */
export function scaleSetResource(profile: string, indent = "    "): string {
  return `${indent}{
${indent}  "type": "Microsoft.Compute/virtualMachineScaleSets",
${indent}  "apiVersion": "2024-07-01",
${indent}  "name": "vmss1",
${indent}  "properties": {
${indent}    "virtualMachineProfile": {
${indent}      "extensionProfile": {
${profile}
${indent}      }
${indent}    }
${indent}  }
${indent}}`;
}

/**
 * A template with one scale set whose profile holds one DSC extension named "dsc" on scale set
 * "vmss1". `members` follow `publisher` and `type` in the extension's `properties`, one per line.
 */
export function dscScaleSet(members: string[], { parameters = "{}", variables = "{}" }: TemplateParts = {}): string {
  const props = ['"publisher": "Microsoft.Powershell"', '"type": "DSC"', ...members].join(",\n                  ");
  const profile = `            "extensions": [
              {
                "name": "dsc",
                "properties": {
                  ${props}
                }
              }
            ]`;
  return deploymentTemplate(scaleSetResource(profile), { parameters, variables });
}

/** A template holding one nested deployment with an inline template of one resource. */
export interface NestedDeployment {
  /** `expressionEvaluationOptions.scope` of the deployment. */
  scope: "inner" | "outer";
  /** Name of the deployment. */
  name: string;
  /** The outer template's `parameters` (JSON text). */
  outerParameters: string;
  /** The deployment's `parameters`: the values it passes (JSON text). */
  passed: string;
  /** The inner template's `parameters` (JSON text). */
  innerParameters: string;
  /** The inner template's one resource (JSON text; lines after the first are indented from zero). */
  resource: string;
}

/** The text of a {@link NestedDeployment}. */
export function nestedDeployment({ scope, name, outerParameters, passed, innerParameters, resource }: NestedDeployment): string {
  const indented = resource.split("\n").join("\n            ");
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": ${outerParameters},
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "${name}",
      "properties": {
        "mode": "Incremental",
        "expressionEvaluationOptions": { "scope": "${scope}" },
        "parameters": ${passed},
        "template": {
          "$schema": "${SCHEMA}",
          "contentVersion": "1.0.0.0",
          "parameters": ${innerParameters},
          "resources": [
            ${indented}
          ]
        }
      }
    }
  ]
}`;
}

/**
 * The top-level DSC extension resource "vm1/dsc" on VM "vm1"; `members` follow `publisher` and `type`
 * in its `properties`, one per line. `indent` is the indentation of the resource's braces; the first
 * line carries it too.
 */
export function dscVmExtension(members: string[], indent = "    "): string {
  const props = ['"publisher": "Microsoft.Powershell"', '"type": "DSC"', ...members].join(`,\n${indent}    `);
  return `${indent}{
${indent}  "type": "Microsoft.Compute/virtualMachines/extensions",
${indent}  "apiVersion": "2024-07-01",
${indent}  "name": "vm1/dsc",
${indent}  "properties": {
${indent}    ${props}
${indent}  }
${indent}}`;
}

/**
 * A template with one top-level DSC extension on VM "vm1", named "vm1/dsc"; `props` follows
 * `typeHandlerVersion` in its `properties`, and `extra` (resources, each followed by a comma) comes
 * before it, on the lines after the array's opening bracket.
 */
export function dscOnVm(props: string, { parameters = "{}", variables = "{}", extra = "" }: TemplateParts & { extra?: string } = {}): string {
  const extension = dscVmExtension(['"typeHandlerVersion": "2.83"', props]);
  return deploymentTemplate(extra ? `${extra}\n${extension}` : extension, { parameters, variables });
}

/**
 * A nested deployment shaped like an Azure Verified Module's DSC extension on VM "vm1" (or, with
 * `parent` "vmss", scale set "ss1"): the caller passes one object, `config` (JSON text), for the
 * module's `extensionDSCConfig` parameter, and the module reads its members as Bicep compiles
 * `extensionDSCConfig.?settings`, with `tryGet` and a default (version "2.77", no minor upgrades).
 * The outer template declares `outerParameters` (by default the secure parameter `regKey`).
 */
export function dscConfigModule(config: string, parent: "vm" | "vmss" = "vm", outerParameters = `{ "regKey": { "type": "secureString" } }`): string {
  const read = (member: string, fallback: string) => `"${member}": "[coalesce(tryGet(parameters('extensionDSCConfig'), '${member}'), ${fallback})]"`;
  const members = [read("typeHandlerVersion", "'2.77'"), read("autoUpgradeMinorVersion", "false()"), read("settings", "createObject()"), read("protectedSettings", "createObject()")];
  const extension = dscVmExtension(members, "");
  return nestedDeployment({
    scope: "inner",
    name: `${parent === "vm" ? "vm1" : "ss1"}-dsc`,
    outerParameters,
    passed: `{ "extensionDSCConfig": { "value": ${config} } }`,
    innerParameters: `{ "extensionDSCConfig": { "type": "object", "defaultValue": { "enabled": false } } }`,
    resource: parent === "vm" ? extension : extension.replace("Microsoft.Compute/virtualMachines/extensions", "Microsoft.Compute/virtualMachineScaleSets/extensions").replace('"vm1/dsc"', '"ss1/dsc"'),
  });
}
