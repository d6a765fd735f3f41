/**
 * Edits that put a value under `protectedSettings` of an extension: insert a key at a path of
 * objects, or move a property there, creating the missing objects (`protectedSettings`,
 * `protectedSettings.configurationArguments`). Built on lib/json/fix; null means "not safe".
 */
import type { AST } from "../json/types.js";
import type { JsonFixer, JsonSourceCode, TextEdit } from "../json/types.js";
import { findProperty, isObject, jsonPointer, propertyName } from "../json/access.js";
import type { ExtensionInfo } from "../template/model.js";
import { sourceEol, detectIndentUnit, insertProperty, isCommentToken, moveProperty } from "../json/fix.js";

/** Where a path of objects below `root` ends: the deepest existing object and the missing keys. */
function walkPath(root: AST.JSONObjectExpression, path: readonly string[]): { obj: AST.JSONObjectExpression; missing: string[] } | null {
  let obj = root;
  for (let i = 0; i < path.length; i++) {
    const prop = findProperty(obj, path[i]!);
    if (!prop) return { obj, missing: path.slice(i) };
    if (!isObject(prop.value)) return null;
    obj = prop.value;
  }
  return { obj, missing: [] };
}

/** True when `text` spans several lines. */
function isMultiLine(text: string): boolean {
  return text.includes("\n") || text.includes("\r");
}

/**
 * Value text of `{ "k1": { "k2": { "<key>": <value> } } }` for the missing keys after the first,
 * laid out one key per line unless `oneLine` (lines 2..n relative to the first line's indentation).
 */
function nestedText(keys: readonly string[], key: string, valueText: string, unit: string, eol: string, oneLine: boolean): string {
  const all = [...keys, key];
  if (oneLine) {
    let text = valueText;
    for (let i = all.length - 1; i >= 1; i--) text = `{ ${JSON.stringify(all[i])}: ${text} }`;
    return text;
  }
  // Build from the innermost member outwards; each level indents its content by one unit.
  let text = valueText;
  for (let i = all.length - 1; i >= 1; i--) {
    const inner = `${JSON.stringify(all[i])}: ${text}`.split(/\r\n|\r|\n/u).map((line) => (line ? unit + line : line));
    text = `{${eol}${inner.join(eol)}${eol}}`;
  }
  return text;
}

/**
 * Inserts `"key": valueText` into the object at `path` below `root`, creating missing objects; a
 * created first object goes after `after` when given. Null when a path member is not an object or
 * the key already exists.
 */
export function insertAtPath(
  sc: JsonSourceCode,
  fixer: JsonFixer,
  root: AST.JSONObjectExpression,
  path: readonly string[],
  key: string,
  valueText: string,
  after?: AST.JSONProperty,
): TextEdit[] | null {
  const end = walkPath(root, path);
  if (!end) return null;
  if (end.missing.length === 0) return findProperty(end.obj, key) ? null : insertProperty(sc, fixer, end.obj, key, valueText);
  const unit = detectIndentUnit(sc, end.obj);
  const oneLine = !isMultiLine(sc.getText(end.obj)) && end.obj.properties.length > 0 && !isMultiLine(valueText);
  const text = nestedText(end.missing, key, valueText, unit, sourceEol(sc), oneLine);
  const anchor = after && after.parent === end.obj ? after : undefined;
  return insertProperty(sc, fixer, end.obj, end.missing[0]!, text, { after: anchor });
}

/** True when a comment touches `prop` (inside it, just before it, or on its line after it). */
export function hasNearbyComment(sc: JsonSourceCode, prop: AST.JSONProperty): boolean {
  if (isCommentToken(sc.getTokenBefore(prop, { includeComments: true }))) return true;
  let after = sc.getTokenAfter(prop, { includeComments: true });
  if (after && !isCommentToken(after) && after.value === ",") after = sc.getTokenAfter(after, { includeComments: true });
  if (isCommentToken(after)) return true;
  return (sc.getCommentsInside?.(prop) ?? []).length > 0;
}

/**
 * Moves `prop` into the object at `path` below `root` (keeping its key), creating missing objects
 * (a created first object goes after `after`). Null when the key is taken there, a path member is
 * not an object, or a comment would be lost.
 */
export function moveToPath(
  sc: JsonSourceCode,
  fixer: JsonFixer,
  prop: AST.JSONProperty,
  root: AST.JSONObjectExpression,
  path: readonly string[],
  after?: AST.JSONProperty,
): TextEdit[] | null {
  const end = walkPath(root, path);
  const name = propertyName(prop);
  if (!end || name === null) return null;
  if (end.missing.length === 0) return findProperty(end.obj, name) ? null : moveProperty(sc, fixer, prop, { obj: end.obj });
  return moveProperty(sc, fixer, prop, { parent: end.obj, path: end.missing, after });
}

/** The protected blocks of an extension's properties. */
const PROTECTED_BLOCKS = ["protectedSettings", "protectedSettingsFromKeyVault"];

/**
 * The `properties` object of a DSC extension that protected values can be moved into (with the
 * `settings` property to put a created `protectedSettings` after), or null when they cannot:
 * `protectedSettingsFromKeyVault` is used (it excludes `protectedSettings`), `protectedSettings`
 * is not an object, or it is missing while `settings` holds one written there by mistake: a
 * protectedSettings created beside it would stop valid-dsc-settings from offering to move that
 * one to its place.
 */
export function protectedRoot(ext: ExtensionInfo): { root: AST.JSONObjectExpression; after: AST.JSONProperty | undefined } | null {
  const root = ext.properties;
  const view = ext.dsc;
  if (!root || !view || findProperty(root, "protectedSettingsFromKeyVault")) return null;
  if (view.protectedSettingsProperty && !view.protectedSettings) return null;
  if (!view.protectedSettingsProperty && PROTECTED_BLOCKS.some((key) => findProperty(view.settings, key))) return null;
  return { root, after: view.settingsProperty };
}

/** JSON pointer of an extension's `protectedSettings` (as spelled, or as a fix would create it). */
export function protectedPointer(ext: ExtensionInfo): string {
  const existing = ext.dsc?.protectedSettingsProperty;
  return existing ? jsonPointer(existing) : `${ext.properties ? jsonPointer(ext.properties) : ""}/protectedSettings`;
}
