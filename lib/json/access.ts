import { getStaticJSONValue, type AST } from "jsonc-eslint-parser";

/** A path segment for getPath: object key (case-insensitive) or array index. */
export type PathSegment = string | number;

/** True when `value` is a non-null object carrying the given `type` tag. */
function hasType(value: unknown, type: string): boolean {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === type;
}

/** Lower-cases ASCII letters only (ARM compares keys ASCII case-insensitively). */
export function asciiLower(text: string): string {
  // On ASCII text `toLowerCase` changes A-Z alone, and V8's native one-byte path is about three
  // times faster than the callback replace on camelCase keys (which nearly every key is).
  if (!HAS_NON_ASCII.test(text)) return text.toLowerCase();
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

const HAS_NON_ASCII = /[^\x00-\x7f]/u;

/** True when two keys are equal ignoring ASCII case (compared in place: this runs on every key lookup). */
export function keyEquals(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

/** Narrows to an object expression. */
export function isObject(node: unknown): node is AST.JSONObjectExpression {
  return hasType(node, "JSONObjectExpression") && Array.isArray((node as { properties?: unknown }).properties);
}

/** Narrows to an array expression. */
export function isArray(node: unknown): node is AST.JSONArrayExpression {
  return hasType(node, "JSONArrayExpression") && Array.isArray((node as { elements?: unknown }).elements);
}

/** Narrows to a property node. */
export function isProperty(node: unknown): node is AST.JSONProperty {
  return hasType(node, "JSONProperty");
}

/** True when `node` is a JSONLiteral whose value has the given `typeof`. */
function isLiteralOf(node: unknown, kind: string): boolean {
  return hasType(node, "JSONLiteral") && typeof (node as { value?: unknown }).value === kind;
}

/** Narrows to a string literal. */
export function isStringLiteral(node: unknown): node is AST.JSONStringLiteral {
  return isLiteralOf(node, "string");
}

/** Narrows to a number literal (unsigned: `-1` is a JSONUnaryExpression). */
export function isNumberLiteral(node: unknown): node is AST.JSONNumberLiteral {
  return isLiteralOf(node, "number");
}

/** Narrows to `true` / `false`. */
export function isBooleanLiteral(node: unknown): node is AST.JSONKeywordLiteral & { value: boolean } {
  return isLiteralOf(node, "boolean");
}

/** Narrows to the `null` literal (not a regex or bigint literal, whose value is also null). */
export function isNullLiteral(node: unknown): node is AST.JSONKeywordLiteral & { value: null } {
  if (!hasType(node, "JSONLiteral")) return false;
  const lit = node as { value?: unknown; regex?: unknown; bigint?: unknown };
  return lit.value === null && lit.regex == null && lit.bigint == null;
}

/** The key of a property as a string: string literal, identifier or number key; null otherwise. */
export function propertyName(prop: AST.JSONProperty | null | undefined): string | null {
  const key: unknown = prop?.key;
  if (isStringLiteral(key)) return key.value;
  if (hasType(key, "JSONIdentifier")) return (key as AST.JSONIdentifier).name;
  if (isNumberLiteral(key)) return String(key.value);
  return null;
}

/** All properties of `obj` named `name` (ASCII case-insensitive), in source order. */
export function findProperties(obj: unknown, name: string): AST.JSONProperty[] {
  if (!isObject(obj)) return [];
  return obj.properties.filter((p) => {
    const n = propertyName(p);
    return n !== null && keyEquals(n, name);
  });
}

/**
 * The property named `name` (case-insensitive); the last one when duplicated, as JSON.parse does.
 * An object with more than {@link SCANNED_PROPERTIES} properties is looked up in an index built on
 * its first lookup, so that reading each member of a large object stays linear.
 */
export function findProperty(obj: unknown, name: string): AST.JSONProperty | undefined {
  if (!isObject(obj)) return undefined;
  const properties = obj.properties;
  if (properties.length > SCANNED_PROPERTIES) return propertyIndex(obj).get(asciiLower(name));
  for (let i = properties.length - 1; i >= 0; i--) {
    const n = propertyName(properties[i]);
    if (n !== null && keyEquals(n, name)) return properties[i];
  }
  return undefined;
}

/** Most properties findProperty scans in order; a larger object gets an index. */
const SCANNED_PROPERTIES = 32;

/** The indexes of large objects, by lower-case key (the AST is not changed while a file is linted). */
const PROPERTY_INDEXES = new WeakMap<AST.JSONObjectExpression, Map<string, AST.JSONProperty>>();

/** The last property of `obj` under each lower-case key. */
function propertyIndex(obj: AST.JSONObjectExpression): Map<string, AST.JSONProperty> {
  let index = PROPERTY_INDEXES.get(obj);
  if (!index) {
    index = new Map();
    for (const prop of obj.properties) {
      const n = propertyName(prop);
      if (n !== null) index.set(asciiLower(n), prop);
    }
    PROPERTY_INDEXES.set(obj, index);
  }
  return index;
}

/**
 * The properties of `obj` named `names[i]` (ASCII case-insensitive; the last one when duplicated),
 * in one pass over its properties: cheaper than a findProperty per name on a large object.
 */
export function findEachProperty(obj: AST.JSONObjectExpression, names: readonly string[]): (AST.JSONProperty | undefined)[] {
  const out: (AST.JSONProperty | undefined)[] = names.map(() => undefined);
  for (const prop of obj.properties) {
    const name = propertyName(prop);
    if (name === null) continue;
    for (let i = 0; i < names.length; i++) {
      if (keyEquals(name, names[i]!)) out[i] = prop;
    }
  }
  return out;
}

/** The value of property `name` of `obj`, or undefined. */
export function getValue(obj: unknown, name: string): AST.JSONExpression | undefined {
  return findProperty(obj, name)?.value;
}

/** The value of property `name` when it is an object. */
export function getObjectValue(obj: unknown, name: string): AST.JSONObjectExpression | undefined {
  const value = getValue(obj, name);
  return isObject(value) ? value : undefined;
}

/** The value of property `name` when it is an array. */
export function getArrayValue(obj: unknown, name: string): AST.JSONArrayExpression | undefined {
  const value = getValue(obj, name);
  return isArray(value) ? value : undefined;
}

/** The value of property `name` when it is a string literal, as a JS string. */
export function getStringValue(obj: unknown, name: string): string | undefined {
  const value = getValue(obj, name);
  return isStringLiteral(value) ? value.value : undefined;
}

/** No subtree skipped (for {@link stringLeaves}). */
const NO_SKIP: ReadonlySet<AST.JSONNode> = new Set();

/**
 * The string literals below `node`, in document order (the node itself when it is one), skipping
 * the subtrees in `skip`. Iterative. {@link stepsTo} and {@link pathTo} name a leaf's place, from
 * the parser's `parent` links, so the walk itself allocates nothing per node.
 */
export function stringLeaves(node: AST.JSONExpression, skip: ReadonlySet<AST.JSONNode> = NO_SKIP): AST.JSONStringLiteral[] {
  const out: AST.JSONStringLiteral[] = [];
  const stack: AST.JSONExpression[] = [node];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (skip.size > 0 && skip.has(item)) continue;
    if (isObject(item)) {
      for (let i = item.properties.length - 1; i >= 0; i--) stack.push(item.properties[i]!.value);
    } else if (isArray(item)) {
      for (let i = item.elements.length - 1; i >= 0; i--) {
        const element = item.elements[i];
        if (element) stack.push(element);
      }
    } else if (isStringLiteral(item)) {
      out.push(item);
    }
  }
  return out;
}

/**
 * The steps from `root` down to `node`, a value below it: each a property, or an element's index.
 * Empty when `node` is `root` (or not below it).
 */
export function stepsTo(root: AST.JSONNode, node: AST.JSONNode): (AST.JSONProperty | number)[] {
  const steps: (AST.JSONProperty | number)[] = [];
  let at: AST.JSONNode = node;
  while (at !== root) {
    const up = (at as { parent?: AST.JSONNode }).parent;
    if (!up) return [];
    if (isProperty(up)) {
      steps.push(up);
      at = up.parent as AST.JSONNode;
    } else {
      if (isArray(up)) steps.push(elementIndex(up, at));
      at = up;
    }
  }
  return steps.reverse();
}

/**
 * The index of `element` in `array`, by a binary search on source position (elements are in
 * source order; holes are skipped), so that naming each of many reported elements stays linear.
 */
export function elementIndex(array: AST.JSONArrayExpression, element: AST.JSONNode): number {
  const elements = array.elements;
  if (!Array.isArray(element.range)) return elements.indexOf(element as AST.JSONExpression);
  let lo = 0;
  let hi = elements.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    let probe = mid;
    // A hole has no position: search from the nearest element on its left.
    while (probe >= lo && !elements[probe]) probe--;
    const node = elements[probe];
    if (!node) {
      lo = mid + 1;
      continue;
    }
    if (node === element) return probe;
    if (node.range[0] < element.range[0]) lo = mid + 1;
    else hi = probe - 1;
  }
  return elements.indexOf(element as AST.JSONExpression);
}

/** `root.a.b[0]` for a value below `root`, with the root named `rootName`. */
export function pathTo(root: AST.JSONNode, node: AST.JSONNode, rootName: string): string {
  let path = rootName;
  for (const step of stepsTo(root, node)) path += typeof step === "number" ? `[${step}]` : `.${propertyName(step) ?? "?"}`;
  return path;
}

/** One step of getPath: a key of an object (case-insensitive) or an index of an array. */
export function stepInto(node: unknown, segment: PathSegment): AST.JSONExpression | undefined {
  if (isArray(node)) {
    const index = typeof segment === "number" ? segment : /^(?:0|[1-9]\d*)$/.test(segment) ? Number(segment) : NaN;
    if (!Number.isInteger(index) || index < 0) return undefined;
    return node.elements[index] ?? undefined;
  }
  return isObject(node) ? getValue(node, String(segment)) : undefined;
}

/** Walks objects (case-insensitive keys) and arrays (numeric segments) from `node`. */
export function getPath(node: unknown, path: readonly PathSegment[]): AST.JSONExpression | undefined {
  let current: AST.JSONExpression | undefined = isExpressionNode(node) ? node : undefined;
  for (const segment of path) {
    if (current === undefined) return undefined;
    current = stepInto(current, segment);
  }
  return current;
}

/** True when `node` looks like a jsonc-eslint-parser expression node. */
function isExpressionNode(node: unknown): node is AST.JSONExpression {
  if (typeof node !== "object" || node === null) return false;
  const type = (node as { type?: unknown }).type;
  return typeof type === "string" && type.startsWith("JSON") && type !== "JSONProperty" && type !== "JSONExpressionStatement";
}

/** getStaticJSONValue that never throws; undefined on failure or missing input. */
export function staticValue(node: unknown): unknown {
  if (typeof node !== "object" || node === null) return undefined;
  try {
    return getStaticJSONValue(node as AST.JSONNode);
  } catch {
    return undefined;
  }
}

/** Escapes one RFC 6901 reference token. */
function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Unescapes one RFC 6901 reference token. */
function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Parent link of any node, or undefined. */
function parentOf(node: unknown): unknown {
  return typeof node === "object" && node !== null ? (node as { parent?: unknown }).parent : undefined;
}

/** The pointer segment `node` contributes below `parent`, null when it adds none, undefined at the root. */
function pointerSegment(node: unknown, parent: unknown): string | null | undefined {
  if (isProperty(node)) return escapePointerToken(propertyName(node) ?? "");
  if (isArray(parent)) return String(elementIndex(parent, node as AST.JSONNode));
  if (isProperty(parent) || hasType(parent, "JSONUnaryExpression")) return null;
  return undefined;
}

/** RFC 6901 JSON Pointer of `node` from the document root (a key or property gives its member's pointer). */
export function jsonPointer(node: unknown): string {
  const segments: string[] = [];
  let current: unknown = node;
  const first = parentOf(current);
  if (isProperty(first) && first.key === current) current = first;
  while (typeof current === "object" && current !== null) {
    const parent = parentOf(current);
    const segment = pointerSegment(current, parent);
    if (segment === undefined) break;
    if (segment !== null) segments.push(segment);
    current = isProperty(current) ? current.parent : parent;
  }
  return segments.reverse().map((s) => `/${s}`).join("");
}

/** Exact-case property lookup, last duplicate wins. */
function findExactProperty(obj: AST.JSONObjectExpression, name: string): AST.JSONProperty | undefined {
  for (let i = obj.properties.length - 1; i >= 0; i--) {
    if (propertyName(obj.properties[i]) === name) return obj.properties[i];
  }
  return undefined;
}

/** Resolves an RFC 6901 pointer against `root` (exact-case keys, last duplicate wins). */
export function resolvePointer(root: unknown, pointer: string): AST.JSONExpression | undefined {
  if (!isExpressionNode(root)) return undefined;
  if (pointer === "") return root;
  if (!pointer.startsWith("/")) return undefined;
  let current: AST.JSONExpression | undefined = root;
  for (const raw of pointer.slice(1).split("/")) {
    const token = unescapePointerToken(raw);
    if (isObject(current)) current = findExactProperty(current, token)?.value;
    else if (isArray(current) && /^(?:0|[1-9]\d*)$/.test(token)) current = current.elements[Number(token)] ?? undefined;
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** The child of `children` (sorted by position) whose range holds `offset`: a binary search. */
function childAt<T extends { range: [number, number] } | null>(children: readonly T[], offset: number, range: (child: NonNullable<T>) => [number, number]): NonNullable<T> | undefined {
  let lo = 0;
  let hi = children.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const child = children[mid];
    if (!child) {
      // A hole of an array (`[1,,2]` in JSON5): look at its neighbours linearly.
      return children.find((c): c is NonNullable<T> => c !== null && range(c)[0] <= offset && offset < range(c)[1]);
    }
    const [start, end] = range(child);
    if (offset < start) hi = mid - 1;
    else if (offset >= end) lo = mid + 1;
    else return child;
  }
  return undefined;
}

/**
 * The value node that starts at `offset`, reached from `root` through object values and array
 * elements only: a property key, or a position outside every value, gives undefined. Each level is
 * a binary search, so finding the node of a token costs the depth times a logarithm.
 */
export function valueStartingAt(root: AST.JSONExpression, offset: number): AST.JSONExpression | undefined {
  let current: AST.JSONExpression | undefined = root;
  while (current) {
    if (current.range[0] === offset) return current;
    if (isObject(current)) current = childAt(current.properties, offset, (p) => p.value.range)?.value;
    else if (isArray(current)) current = childAt(current.elements, offset, (e) => e.range) ?? undefined;
    else return undefined;
  }
  return undefined;
}

/** The top-level value of a Program (body[0].expression), or undefined. */
export function rootExpression(program: unknown): AST.JSONExpression | undefined {
  if (!hasType(program, "Program")) return undefined;
  const body = (program as { body?: unknown }).body;
  const statement: unknown = Array.isArray(body) ? body[0] : undefined;
  const expression = hasType(statement, "JSONExpressionStatement") ? (statement as AST.JSONExpressionStatement).expression : undefined;
  return isExpressionNode(expression) ? expression : undefined;
}

/** Where to report for a property key. */
export function keyLoc(prop: AST.JSONProperty): AST.SourceLocation {
  return prop.key.loc;
}

/** True when `node` lies in the value of a property named `name` (ASCII case-insensitive), at any depth. */
export function insideProperty(node: AST.JSONNode, name: string): boolean {
  for (let current: AST.JSONNode | null | undefined = node; current; current = current.parent) {
    if (current.type === "JSONProperty" && keyEquals(propertyName(current) ?? "", name)) return true;
  }
  return false;
}
