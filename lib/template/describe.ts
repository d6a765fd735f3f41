import {
  callName,
  evaluateNode,
  parseStringNode,
  previewValue,
  reasonText,
  resultIsNeverObject,
  type EvalScope,
  type JsonValue,
  type Value,
} from "../expression/index.js";
import type { AST } from "../json/types.js";
import { isNullLiteral } from "../json/access.js";
import type { ExtensionInfo } from "./model.js";

/** ` (from variable 'x')`, ` (from parameter 'p')`, or "" when the value is written in place. */
export function originText(value: Value): string {
  const phrase = originPhrase(value);
  return phrase === null ? "" : ` (${phrase})`;
}

/** `from variable 'x'`, `from parameter 'p'`, or null when the value is written in place. */
export function originPhrase(value: Value): string | null {
  const variable = value.prov.variables[0];
  if (variable !== undefined) return `from variable '${variable}'`;
  const parameter = value.prov.parameters[0];
  return parameter === undefined ? null : `from parameter '${parameter}'`;
}

/** A JSON value as a message shows it. */
export const valueText = previewValue;

/**
 * What is wrong with a value, for a message: `"vm1"` when it is known; for a value that differs
 * between deployments, its offending values (`"a" or "b"` when every value offends, else
 * `"a" in some deployments`).
 */
export function offendingText(value: Value, offending: readonly JsonValue[], text: (v: JsonValue) => string = valueText): string {
  if (value.kind === "known") return text(value.value);
  const shown = offending.map(text);
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}` : (shown[0] ?? "");
  return offending.length < possibleValues(value).length ? `${list} in some deployments` : list;
}

export { reasonText };

/** The possible values of an evaluated value ([] when unknown). */
export function possibleValues(value: Value | undefined): JsonValue[] {
  if (!value) return [];
  return value.kind === "known" ? [value.value] : value.kind === "choice" ? value.values : [];
}

/** Most `variables('v')` reads surelyNotNull follows. */
const MAX_NOT_NULL_HOPS = 32;

/**
 * True when a JSON value is surely not null, seen without evaluating it: an object, array, number,
 * boolean or plain string, or an expression whose outer function never returns null (it builds a
 * string, number, boolean or array), also behind `variables('v')` reads. False means "evaluate to
 * know"; the evaluator agrees wherever this answers true.
 */
export function surelyNotNull(node: AST.JSONExpression | undefined, scope: EvalScope): boolean {
  let current = node;
  for (let hops = 0; current && hops <= MAX_NOT_NULL_HOPS; hops++) {
    if (current.type === "JSONObjectExpression" || current.type === "JSONArrayExpression") return true;
    if (current.type !== "JSONLiteral") return false;
    if (typeof current.value === "number" || typeof current.value === "boolean") return true;
    if (typeof current.value !== "string") return false;
    const parsed = parseStringNode(current);
    if (parsed.kind !== "expression") return parsed.kind === "literal";
    const name = callName(parsed.expr);
    if (name === null) return false;
    if (name !== "variables") return resultIsNeverObject(name);
    const args = parsed.expr.type === "Call" ? parsed.expr.args : [];
    const arg = args[0];
    if (args.length !== 1 || arg?.type !== "String") return false;
    current = scope.variable(arg.value);
  }
  return false;
}

/**
 * True when no deployment can change what a value is made of: no parameter that a deployment may
 * set flows into it from its default (Provenance.inputs). A deployment sets the root template's
 * parameters and those a nested deployment that links a parameters file does not pass; any other
 * nested parameter takes what its deployment passes (whose own sources flow in too) or its default.
 */
export function sameInEveryDeployment(value: Value): boolean {
  return value.prov.inputs.length === 0;
}

/**
 * True when a property's value is given in every deployment: surely not null by its form (see
 * surelyNotNull), or every value it may take is known and not null, and no deployment can change
 * that (a parameter's default is only one of its values).
 */
export function surelyGiven(prop: AST.JSONProperty, scope: EvalScope): boolean {
  if (surelyNotNull(prop.value, scope)) return true;
  if (prop.value.type === "JSONLiteral" && prop.value.value === null) return false;
  const value = evaluateNode(prop.value, scope);
  const values = possibleValues(value);
  return values.length > 0 && values.every((v) => v !== null) && sameInEveryDeployment(value);
}

/** True when a property's value is null in every deployment (ARM then removes the property). */
export function surelyNull(prop: AST.JSONProperty, scope: EvalScope): boolean {
  if (isNullLiteral(prop.value)) return true;
  if (surelyNotNull(prop.value, scope)) return false;
  const value = evaluateNode(prop.value, scope);
  const values = possibleValues(value);
  return values.length > 0 && values.every((v) => v === null) && sameInEveryDeployment(value);
}

/** True when the value is, or may be, boolean true (ARM also accepts the string "true"). */
export function mayBeTrue(value: Value | undefined): boolean {
  return possibleValues(value).some((v) => v === true || (typeof v === "string" && v.toLowerCase() === "true"));
}

/** The parent name of an extension whose parent the template does not name (a one-segment name). */
export const UNKNOWN_PARENT = "\u0000unknown";

/** Parent description for messages: `virtual machine 'vm1'`, `scale set 'vmss1'`, `an unknown virtual machine`. */
export function parentText(kind: "vm" | "vmss", name: string): string {
  const noun = kind === "vm" ? "virtual machine" : "scale set";
  return name === UNKNOWN_PARENT ? `an unknown ${noun}` : `${noun} '${name}'`;
}

/** Message data naming an extension and its parent: `{ name: "dsc", parent: "scale set 'ss1'" }`. */
export function extensionNames(ext: ExtensionInfo): { name: string; parent: string } {
  return { name: ext.name, parent: parentText(ext.parentKind, ext.parentName) };
}
