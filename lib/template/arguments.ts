/**
 * DSC configuration arguments in every format the handler accepts (reference §1.2, §1.3):
 * current `settings.configurationArguments` / `protectedSettings.configurationArguments`, legacy
 * `Properties` objects (`{ "<name>": <value> }`) and legacy `Properties` arrays
 * (`[{ "Name": "<name>", "Value": <value>, "TypeName": "<type>" }]`) in either settings block.
 *
 * {@link dscArguments} finds the arguments written in place: a `configurationArguments` or
 * `Properties` value of the wrong type (string, array under `configurationArguments`, null,
 * number) contributes nothing there. {@link passedDscArguments} finds the arguments of a settings
 * block, `configurationArguments` or `Properties` given by an expression, where that value is
 * written (a variable, a parameter's default, the value a module's caller passes).
 */
import type { AST } from "../json/types.js";
import { asciiLower, findProperty, isArray, isObject, isStringLiteral, keyEquals, propertyName } from "../json/access.js";
import { evaluateExpr, evaluateNode, isExpressionString, writtenValues, type EvalScope, type Hop } from "../expression/index.js";
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
  /**
   * The `configurationArguments` or `Properties` value the argument belongs to: the value of that
   * property, or, for one read through an expression, the value where it is written (a variable,
   * a parameter's default or one of its `allowedValues`).
   */
  collection: AST.JSONExpression;
  /** The name of that collection as written (`configurationArguments`, `Properties`). */
  collectionName: string;
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
  for (const [property, location, block] of [
    [view.publicArguments, "public", "settings"],
    [view.protectedArguments, "protected", "protectedSettings"],
  ] as const) {
    if (property) objectArguments(property.value, nameOf(property, "configurationArguments"), location, block, out);
  }
  for (const [property, block] of [
    [view.legacyProperties, "settings"],
    [findProperty(view.protectedSettings, "Properties"), "protectedSettings"],
  ] as const) {
    if (property) legacyArguments(property.value, nameOf(property, "Properties"), block, view.scope, out);
  }
  markShadowed(out);
  return out;
}

/** The configuration arguments whose name matches one of `keys` (ASCII case-insensitive). */
export function findDscArguments(view: DscSettingsView | undefined, keys: readonly string[]): DscArgument[] {
  return dscArguments(view).filter((arg) => keys.some((key) => keyEquals(arg.key, key)));
}

/** Marks every argument that a later one of the same collection and name overrides. */
function markShadowed(args: DscArgument[]): void {
  const seen = new Map<AST.JSONExpression, Set<string>>();
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

/** A property's name as written, or `fallback` when it has none. */
function nameOf(property: AST.JSONProperty, fallback: string): string {
  return propertyName(property) ?? fallback;
}

/** Collects the members of an argument object (current format or legacy object form). */
function objectArguments(
  collection: AST.JSONExpression,
  collectionName: string,
  location: "public" | "protected" | "legacyObject",
  block: DscArgument["block"],
  out: DscArgument[],
): void {
  const container = collection;
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
      collectionName,
      typeName: null,
      shadowed: false,
    });
  }
}

/**
 * Collects a legacy `Properties` value: an object, or an array of `{ Name, Value, TypeName }`
 * entries. A `Name` given by an expression counts when it evaluates, in `scope`, to one known string.
 */
function legacyArguments(collection: AST.JSONExpression, collectionName: string, block: DscArgument["block"], scope: EvalScope | undefined, out: DscArgument[]): void {
  const value = collection;
  if (isObject(value)) {
    objectArguments(collection, collectionName, "legacyObject", block, out);
    return;
  }
  if (!isArray(value)) return;
  for (const entry of value.elements) {
    if (!isObject(entry)) continue;
    const name = findProperty(entry, "Name")?.value;
    if (!isStringLiteral(name)) continue;
    const key = entryName(name, scope);
    if (key === null) continue;
    const valueProperty = findProperty(entry, "Value");
    const typeName = findProperty(entry, "TypeName")?.value;
    out.push({
      key,
      keyNode: name,
      valueNode: valueProperty?.value,
      location: "legacyArray",
      container: entry,
      property: valueProperty,
      block,
      collection,
      collectionName,
      typeName: isStringLiteral(typeName) ? typeName.value : null,
      shadowed: false,
    });
  }
}

/** The `Name` of a legacy array entry: written, or an expression that evaluates to one known string. */
function entryName(name: AST.JSONStringLiteral, scope: EvalScope | undefined): string | null {
  if (!isExpressionString(name.value)) return name.value;
  if (!scope) return null;
  const value = evaluateNode(name, scope);
  return value.kind === "known" && typeof value.value === "string" ? value.value : null;
}

/** A configuration argument written outside the extension, and how the extension reaches it. */
export interface PassedArgument extends DscArgument {
  /** The scope the argument's value evaluates in. */
  scope: EvalScope;
  /** The expression in the extension that passes the value (a settings block or an argument collection). */
  via: AST.JSONExpression;
  /** The first variable or parameter that expression reads on the way. */
  through: Hop | null;
}

/**
 * The configuration arguments of a DSC extension that come from a value given by an expression:
 * `"settings": "[parameters('settings')]"`, `"configurationArguments": "[variables('args')]"`,
 * and the same in `protectedSettings` and for legacy `Properties`. Each is the argument where it is
 * written, with the scope its value evaluates in; shadowing is marked per written collection.
 */
export function passedDscArguments(view: DscSettingsView | undefined, scope: EvalScope): PassedArgument[] {
  if (!view) return [];
  let found = PASSED.get(view);
  if (!found) {
    found = [];
    const blocks = [
      { block: "settings", property: view.settingsProperty, holder: view.settings },
      { block: "protectedSettings", property: view.protectedSettingsProperty, holder: view.protectedSettings },
    ] as const;
    for (const { block, property, holder } of blocks) {
      for (const legacy of [false, true]) {
        const name = legacy ? "Properties" : "configurationArguments";
        // The whole block as an expression is read through the collection's name.
        if (property && !holder) passedCollection(property.value, scope, [name], block, legacy, found);
        const collection = findProperty(holder, name)?.value;
        if (collection) passedCollection(collection, scope, [], block, legacy, found);
      }
    }
    PASSED.set(view, found);
  }
  return [...found];
}

const PASSED = new WeakMap<DscSettingsView, PassedArgument[]>();

/** Where a passed argument is written, for messages: `read through variable 'args', written on line 7`. */
export function passedOrigin(arg: PassedArgument): string {
  const read = arg.through ? `read through ${arg.through.kind} '${arg.through.name}', ` : "";
  return `${read}written on line ${arg.keyNode.loc.start.line}`;
}

/** Collects the arguments of the collections that `via`, an expression read through `path`, may be written as. */
function passedCollection(
  via: AST.JSONExpression,
  scope: EvalScope,
  path: string[],
  block: DscArgument["block"],
  legacy: boolean,
  out: PassedArgument[],
): void {
  if (!isStringLiteral(via) || !isExpressionString(via.value)) return;
  const name = legacy ? "Properties" : "configurationArguments";
  for (const written of writtenValues(via, scope, path, evaluateExpr).values) {
    // A value written as a property's value (a variable, a default) or as an element of a
    // parameter's allowedValues; not one inside an expression string.
    const parent = written.node.parent;
    if (parent?.type !== "JSONProperty" && parent?.type !== "JSONArrayExpression") continue;
    const args: DscArgument[] = [];
    if (legacy) legacyArguments(written.node, name, block, written.scope, args);
    else objectArguments(written.node, name, block === "settings" ? "public" : "protected", block, args);
    markShadowed(args);
    for (const arg of args) out.push({ ...arg, scope: written.scope, via, through: written.crossed[0] ?? null });
  }
}
