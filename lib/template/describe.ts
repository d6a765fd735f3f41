import { previewValue, reasonText, type JsonValue, type Value } from "../expression/index.js";
import type { ExtensionInfo } from "./model.js";

/** ` (from variable 'x')`, ` (from parameter 'p')`, or "" when the value is written in place. */
export function originText(value: Value): string {
  const variable = value.prov.variables[0];
  if (variable !== undefined) return ` (from variable '${variable}')`;
  const parameter = value.prov.parameters[0];
  return parameter === undefined ? "" : ` (from parameter '${parameter}')`;
}

/** A JSON value as a message shows it. */
export const valueText = previewValue;

export { reasonText };

/** The possible values of an evaluated value ([] when unknown). */
export function possibleValues(value: Value | undefined): JsonValue[] {
  if (!value) return [];
  return value.kind === "known" ? [value.value] : value.kind === "choice" ? value.values : [];
}

/** True when the value is, or may be, boolean true (ARM also accepts the string "true"). */
export function mayBeTrue(value: Value | undefined): boolean {
  return possibleValues(value).some((v) => v === true || (typeof v === "string" && v.toLowerCase() === "true"));
}

/** Parent description for messages: `virtual machine 'vm1'`, `scale set 'vmss1'`. */
export function parentText(kind: "vm" | "vmss", name: string): string {
  return `${kind === "vm" ? "virtual machine" : "scale set"} '${name}'`;
}

/** Message data naming an extension and its parent: `{ name: "dsc", parent: "scale set 'ss1'" }`. */
export function extensionNames(ext: ExtensionInfo): { name: string; parent: string } {
  return { name: ext.name, parent: parentText(ext.parentKind, ext.parentName) };
}
