/**
 * DSC configuration arguments in every format the handler accepts (reference §1.2, §1.3):
 * current `settings.configurationArguments` / `protectedSettings.configurationArguments`, legacy
 * `Properties` objects (`{ "<name>": <value> }`) and legacy `Properties` arrays
 * (`[{ "Name": "<name>", "Value": <value>, "TypeName": "<type>" }]`) in either settings block.
 *
 * Only arguments written in place are found: a `configurationArguments` or `Properties` value of the
 * wrong type (string, array under `configurationArguments`, null, number) contributes nothing.
 */
import type { AST } from "../json/types.js";
import { asciiLower, findProperty, isArray, isObject, isStringLiteral, keyEquals, propertyName } from "../json/access.js";
import type { DscSettingsView } from "./dsc.js";

/** Where an argument is written. */
export type ArgumentLocation = "public" | "protected" | "legacyObject" | "legacyArray";

/** One configuration argument of a DSC extension. */
export interface DscArgument {
  /** The argument name as written. */
  key: string;
  /** The node naming the argument: the property key, or the `Name` value of a legacy array entry. */
  keyNode: AST.JSONProperty["key"] | AST.JSONExpression;
  /** The argument's value; undefined for a legacy array entry without `Value`. */
  valueNode: AST.JSONExpression | undefined;
  location: ArgumentLocation;
  /**
   * The object that holds the value: the `configurationArguments` or legacy `Properties` object, or
   * the `{ Name, Value, TypeName }` entry of a legacy array.
   */
  container: AST.JSONObjectExpression;
  /** The property that holds the value (`<key>: value`, or the entry's `Value` property). */
  property: AST.JSONProperty | undefined;
  /** The settings block the argument sits in. */
  block: "settings" | "protectedSettings";
  /** The `configurationArguments` or `Properties` property the argument belongs to. */
  collection: AST.JSONProperty;
  /** `TypeName` of a legacy array entry when it is a string literal, else null. */
  typeName: string | null;
  /** True when a later argument of the same collection has the same name (the later one wins). */
  shadowed: boolean;
}

/**
 * Every configuration argument of a DSC extension, in source order per location. Duplicate names
 * within one collection are all returned; all but the last are marked `shadowed`.
 */
export function dscArguments(view: DscSettingsView | undefined): DscArgument[] {
  if (!view) return [];
  // Several rules ask for the same extension's arguments: collect them once per view (per file).
  let found = ARGUMENTS.get(view);
  if (!found) {
    found = collectArguments(view);
    ARGUMENTS.set(view, found);
  }
  return [...found];
}

const ARGUMENTS = new WeakMap<DscSettingsView, DscArgument[]>();

/** Collects the arguments of one settings view (see dscArguments). */
function collectArguments(view: DscSettingsView): DscArgument[] {
  const out: DscArgument[] = [];
  if (view.publicArguments) objectArguments(view.publicArguments, "public", "settings", out);
  if (view.protectedArguments) objectArguments(view.protectedArguments, "protected", "protectedSettings", out);
  if (view.legacyProperties) legacyArguments(view.legacyProperties, "settings", out);
  const protectedProperties = findProperty(view.protectedSettings, "Properties");
  if (protectedProperties) legacyArguments(protectedProperties, "protectedSettings", out);
  markShadowed(out);
  return out;
}

/** The configuration arguments whose name matches one of `keys` (ASCII case-insensitive). */
export function findDscArguments(view: DscSettingsView | undefined, keys: readonly string[]): DscArgument[] {
  return dscArguments(view).filter((arg) => keys.some((key) => keyEquals(arg.key, key)));
}

/** Marks every argument that a later one of the same collection and name overrides. */
function markShadowed(args: DscArgument[]): void {
  const seen = new Map<AST.JSONProperty, Set<string>>();
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = args[i]!;
    let names = seen.get(arg.collection);
    if (!names) {
      names = new Set();
      seen.set(arg.collection, names);
    }
    const name = asciiLower(arg.key);
    arg.shadowed = names.has(name);
    names.add(name);
  }
}

/** Collects the members of an argument object (current format or legacy object form). */
function objectArguments(
  collection: AST.JSONProperty,
  location: "public" | "protected" | "legacyObject",
  block: DscArgument["block"],
  out: DscArgument[],
): void {
  const container = collection.value;
  if (!isObject(container)) return;
  for (const prop of container.properties) {
    const key = propertyName(prop);
    if (key === null) continue;
    out.push({
      key,
      keyNode: prop.key,
      valueNode: prop.value,
      location,
      container,
      property: prop,
      block,
      collection,
      typeName: null,
      shadowed: false,
    });
  }
}

/** Collects a legacy `Properties` value: an object, or an array of `{ Name, Value, TypeName }` entries. */
function legacyArguments(collection: AST.JSONProperty, block: DscArgument["block"], out: DscArgument[]): void {
  const value = collection.value;
  if (isObject(value)) {
    objectArguments(collection, "legacyObject", block, out);
    return;
  }
  if (!isArray(value)) return;
  for (const entry of value.elements) {
    if (!isObject(entry)) continue;
    const name = findProperty(entry, "Name")?.value;
    if (!isStringLiteral(name)) continue;
    const valueProperty = findProperty(entry, "Value");
    const typeName = findProperty(entry, "TypeName")?.value;
    out.push({
      key: name.value,
      keyNode: name,
      valueNode: valueProperty?.value,
      location: "legacyArray",
      container: entry,
      property: valueProperty,
      block,
      collection,
      typeName: isStringLiteral(typeName) ? typeName.value : null,
      shadowed: false,
    });
  }
}
