import type { JsonValue, UnknownReason, Value } from "../expression/index.js";

/** ` (from variable 'x')`, ` (from parameter 'p')`, or "" when the value is written in place. */
export function originText(value: Value): string {
  const variable = value.prov.variables[0];
  if (variable !== undefined) return ` (from variable '${variable}')`;
  const parameter = value.prov.parameters[0];
  return parameter === undefined ? "" : ` (from parameter '${parameter}')`;
}

/** A JSON value as a message shows it. */
export function valueText(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Why a value cannot be known before deployment, as a message clause. */
export function reasonText(reason: UnknownReason): string {
  switch (reason.code) {
    case "parameterWithoutDefault":
      return `parameter '${reason.name}' has no default value`;
    case "missingParameter":
      return `parameter '${reason.name}' is not declared`;
    case "missingVariable":
      return `variable '${reason.name}' is not declared`;
    case "runtimeFunction":
      return `${reason.name}() is only known at deployment time`;
    case "cycle":
      return `variable '${reason.name}' refers to itself`;
    case "malformed":
      return `the expression is malformed (${reason.message.charAt(0).toLowerCase()}${reason.message.slice(1)})`;
    case "tooComplex":
      return "the expression is too complex to evaluate";
    case "unsupported":
      return `${reason.name}() could not be evaluated`;
  }
}

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
