import { SCHEMA } from "./at.js";

/** Declarations a test template starts with (JSON text). */
export interface TemplateParts {
  parameters?: string;
  variables?: string;
}

/**
 * A template with one scale set whose profile holds one DSC extension named "dsc" on scale set
 * "vmss1". `members` follow `publisher` and `type` in the extension's `properties`, one per line.
 */
export function dscScaleSet(members: string[], { parameters = "{}", variables = "{}" }: TemplateParts = {}): string {
  const props = ['"publisher": "Microsoft.Powershell"', '"type": "DSC"', ...members].join(",\n                  ");
  return `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": ${parameters},
  "variables": ${variables},
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
                "name": "dsc",
                "properties": {
                  ${props}
                }
              }
            ]
          }
        }
      }
    }
  ]
}`;
}
