import type { AST, JsonFixer, JsonSourceCode, JsonToken, TextEdit } from "../json/types.js";
import { findProperty, isArray, isObject, isStringLiteral, propertyName } from "../json/access.js";
import { insertProperty, isCommentToken, sourceEol } from "../json/fix.js";
import { callName, parseStringNode, quoteString, walkExpr, type EvalScope, type Expr } from "../expression/index.js";
import { exprPieces, matchIsDecisive, namesMatch, splitSegments, type Piece } from "./names.js";
import type { ResourceInfo } from "./model.js";

/**
 * What one `dependsOn` entry points at, in the forms ARM accepts: a resource id
 * (`resourceId(...)`, `concat('<namespace>/<type>/', <name>)`, a full `/subscriptions/...` id), or a
 * bare name (resource name, languageVersion 2.0 symbolic name, copy-loop name). `opaque` means the
 * entry is an expression nothing is known about (it may hold any id).
 */
export type DependencyTarget =
  | { kind: "id"; type: string; names: Piece[][] }
  | { kind: "name"; pieces: Piece[] }
  | { kind: "opaque"; pieces?: Piece[] };

/** Whether a dependency provably covers a resource, provably does not, or might. */
export type DependencyMatch = "yes" | "no" | "maybe";

/** Variable hops followed while resolving an entry. */
const MAX_DEPTH = 16;

/** The target of one `dependsOn` element, evaluated in `scope`. */
export function dependencyTarget(node: AST.JSONExpression | null, scope: EvalScope): DependencyTarget {
  if (!isStringLiteral(node)) return { kind: "opaque" };
  const parsed = parseStringNode(node);
  if (parsed.kind === "literal") return targetOfPieces([{ lit: parsed.value }]);
  if (parsed.kind === "error") return { kind: "opaque" };
  return targetOfExpr(parsed.expr, scope, 0);
}

/** The target of an entry's expression. */
function targetOfExpr(expr: Expr, scope: EvalScope, depth: number): DependencyTarget {
  const name = callName(expr);
  if (name === "resourceid" && expr.type === "Call") return targetOfResourceId(expr.args, scope);
  if (name === "variables" && expr.type === "Call" && expr.args[0]?.type === "String" && depth < MAX_DEPTH) {
    const held = scope.variable(expr.args[0].value);
    if (isStringLiteral(held)) {
      const parsed = parseStringNode(held);
      if (parsed.kind === "expression") return targetOfExpr(parsed.expr, scope, depth + 1);
    }
  }
  return targetOfPieces(exprPieces(expr, scope, 0));
}

/** `resourceId([subscriptionId,] [resourceGroupName,] type, name1, name2, ...)`. */
function targetOfResourceId(args: Expr[], scope: EvalScope): DependencyTarget {
  const pieces = args.map((arg) => exprPieces(arg, scope, 0));
  const typeIndex = pieces.findIndex((p) => p.length === 1 && "lit" in p[0]! && p[0].lit.includes("/"));
  const typePiece = pieces[typeIndex]?.[0];
  if (typeIndex < 0 || typeIndex > 2 || !typePiece || !("lit" in typePiece)) return { kind: "opaque" };
  const names = pieces.slice(typeIndex + 1).flatMap((p) => splitSegments(p));
  // ARM tolerates stray slashes in the type argument ('Microsoft.Compute/virtualMachines/').
  const type = typePiece.lit.split("/").filter(Boolean).join("/");
  return { kind: "id", type, names };
}

/** A literal-or-expression string seen as an id (`ns/type/name[/type/name]`) or a bare name. */
function targetOfPieces(pieces: Piece[]): DependencyTarget {
  if (pieces.length === 1 && "expr" in pieces[0]!) return { kind: "opaque", pieces };
  let segments = splitSegments(pieces);
  if (segments.length > 1 && segments[0]!.length === 0) {
    const providers = segments.findIndex((s) => s.length === 1 && "lit" in s[0]! && s[0].lit.toLowerCase() === "providers");
    if (providers < 0) return { kind: "name", pieces };
    segments = segments.slice(providers + 1);
  }
  // Only `namespace/type/name(/type/name)*` is an id; anything else is a (possibly nested) name.
  if (segments.length < 3 || segments.length % 2 === 0) return { kind: "name", pieces };
  const typeParts: string[] = [];
  const names: Piece[][] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (i > 0 && i % 2 === 0) {
      names.push(segment);
      continue;
    }
    const only = segment.length === 1 ? segment[0]! : undefined;
    if (!only || !("lit" in only)) return hasExpr(segment) ? { kind: "opaque" } : { kind: "name", pieces };
    typeParts.push(only.lit);
  }
  if (!typeParts[0]!.includes(".")) return { kind: "name", pieces };
  return { kind: "id", type: typeParts.join("/"), names };
}

/** The name segments of a resource, with a nested child's short name prefixed by its parents'. */
export function fullNameSegments(res: ResourceInfo): Piece[][] | null {
  if (!res.namePieces) return null;
  const own = splitSegments(res.namePieces);
  if (!res.parent || (res.declaredType?.includes("/") ?? false)) return own;
  const parent = fullNameSegments(res.parent);
  return parent ? [...parent, ...own] : null;
}

/** True when a piece list holds an expression whose value is unknown. */
function hasExpr(pieces: Piece[]): boolean {
  return pieces.some((p) => "expr" in p);
}

/** Whether `target` designates `res`. */
export function dependencyMatches(target: DependencyTarget, res: ResourceInfo): DependencyMatch {
  if (target.kind === "opaque") {
    // `[parameters('vmName')]` is unknown, but it is the parent when the parent has that very name.
    return target.pieces && res.namePieces && namesMatch(res.namePieces, target.pieces) ? "yes" : "maybe";
  }
  if (target.kind === "name") {
    if (res.namePieces && namesMatch(res.namePieces, target.pieces)) return "yes";
    const only = target.pieces.length === 1 ? target.pieces[0] : undefined;
    if (only && "lit" in only) {
      const lower = only.lit.toLowerCase();
      if (res.symbolicName?.toLowerCase() === lower || res.copyName?.toLowerCase() === lower) return "yes";
    }
    return symbolicElement(target.pieces, res);
  }
  const segments = fullNameSegments(res);
  if (!res.type || !segments) return "maybe";
  if (res.type.toLowerCase() !== target.type.toLowerCase() || segments.length !== target.names.length) return "no";
  let result: DependencyMatch = "yes";
  for (let i = 0; i < segments.length; i++) {
    const mine = segments[i]!;
    const theirs = target.names[i]!;
    if (namesMatch(mine, theirs)) continue;
    // `concat('rdsh', copyIndex())` is never 'rdgw': a copy index stands for digits only.
    if (matchIsDecisive(mine, theirs)) return "no";
    result = "maybe";
  }
  return result;
}

/**
 * A languageVersion 2.0 entry naming one element of a symbolic copy loop, as Bicep writes a
 * dependency inside a loop: `vms[0]`, `[format('vms[{0}]', copyIndex())]`. The element with the
 * extension's own copy index is the matching one (`yes`); another index may or may not be (`maybe`);
 * a symbolic name that is not this loop's does not designate it (`no`).
 */
function symbolicElement(pieces: Piece[], res: ResourceInfo): DependencyMatch {
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (res.symbolicName === null || res.copyName === null || !first || !last || !("lit" in first) || !("lit" in last)) return "no";
  const open = first.lit.indexOf("[");
  if (open <= 0 || !last.lit.endsWith("]") || first.lit.slice(0, open).toLowerCase() !== res.symbolicName.toLowerCase()) return "no";
  const index = pieces.length === 3 ? pieces[1]! : null;
  // `copyIndex()` itself: an offset (`copyIndex(1)`, `add(copyIndex(), 1)`) names a neighbour, which may or may not be the parent.
  return index && "expr" in index && first.lit.length === open + 1 && last.lit === "]" && index.expr === "copyindex()" ? "yes" : "maybe";
}

/** Resources followed through `dependsOn` chains before giving up. */
const MAX_CHAIN = 256;

/**
 * Whether `res` is ordered after `target` through `dependsOn` or the implicit dependency of a
 * `reference()`/`list*()` call, directly or through other resources of the same template
 * (depending on the VM's domain-join extension, which depends on the VM, covers the VM). `no` when
 * no chain reaches it; `maybe` when one of `res`'s own entries (or a `dependsOn` that is not an
 * array) cannot be resolved, when an intermediate resource names `target`'s type with a name that
 * cannot be compared, or when the only chains that reach `target` pass through an entry that may
 * or may not name the next resource (`if(<unknown>, '1', '0')` in a name).
 */
export function dependsOnResource(res: ResourceInfo, target: ResourceInfo): DependencyMatch {
  // Each resource reached, and whether some chain reaches it through entries that surely name it.
  const reached = new Map<ResourceInfo, boolean>([[res, true]]);
  const queue: ResourceInfo[] = [res];
  let result: DependencyMatch = "no";
  while (queue.length > 0 && reached.size <= MAX_CHAIN) {
    const current = queue.shift()!;
    const sure = reached.get(current)!;
    const direct = current === res;
    // The written entries first: they usually answer, and reading them is cheaper than the walk
    // over every string of the resource that finds `reference()` calls.
    const value = current.dependsOn?.value;
    if (value && !isArray(value) && direct) result = "maybe";
    for (const element of isArray(value) ? value.elements : []) {
      const entry = dependencyTarget(element, current.template.scope);
      const match = dependencyMatches(entry, target);
      if (match === "yes") {
        if (sure) return "yes";
        result = "maybe";
        continue;
      }
      if (match === "maybe") {
        if (direct || entry.kind !== "opaque") result = "maybe";
        continue;
      }
      // Only resources of the entry's type can match an id: look there, not at every resource.
      // An opaque entry may name anything, so it is not followed (that would find every chain).
      const candidates = entry.kind === "id" ? resourcesOfType(current.template, entry.type) : current.template.resources;
      for (const other of candidates) {
        if (reached.get(other) === true) continue;
        const link = dependencyMatches(entry, other);
        if (link === "no" || (link === "maybe" && entry.kind === "opaque")) continue;
        const surely = sure && link === "yes";
        if (reached.get(other) === false && !surely) continue;
        // A resource first reached through an uncertain entry is walked again once a sure one reaches it.
        reached.set(other, surely);
        queue.push(other);
      }
    }
    if (referencesResource(current, target)) {
      if (sure) return "yes";
      result = "maybe";
    }
  }
  return result;
}

/** Resources of each template by lower-case full type, in template order (built on first use). */
const BY_TYPE = new WeakMap<ResourceInfo["template"], Map<string, ResourceInfo[]>>();

/** The resources of `template` whose full type is `type` (case-insensitive), in template order. */
function resourcesOfType(template: ResourceInfo["template"], type: string): ResourceInfo[] {
  let index = BY_TYPE.get(template);
  if (!index) {
    index = new Map();
    for (const res of template.resources) {
      const key = res.type?.toLowerCase();
      if (key === undefined) continue;
      const list = index.get(key);
      if (list) list.push(res);
      else index.set(key, [res]);
    }
    BY_TYPE.set(template, index);
  }
  return index.get(type.toLowerCase()) ?? [];
}

/** String values walked when looking for `reference()` calls in one resource. */
const MAX_STRINGS = 2_000;

/**
 * True when a string of `res` (outside `dependsOn` and child resources) calls `reference()` or a
 * `list*()` function on `target`: ARM orders the resource after `target` for that. Calls on
 * resources that cannot be resolved say nothing.
 */
function referencesResource(res: ResourceInfo, target: ResourceInfo): boolean {
  const stack: unknown[] = res.node.properties
    .filter((p) => !["dependson", "resources"].includes(propertyName(p)?.toLowerCase() ?? ""))
    .map((p) => p.value);
  // An inner-scoped nested template evaluates its own expressions: they order nothing out here.
  const inner = innerTemplate(res);
  let budget = MAX_STRINGS;
  while (stack.length > 0 && budget > 0) {
    const node = stack.pop();
    if (node === inner) continue;
    if (isObject(node)) for (const p of node.properties) stack.push(p.value);
    else if (isArray(node)) stack.push(...node.elements);
    else if (isStringLiteral(node) && node.value.startsWith("[")) {
      budget--;
      const parsed = parseStringNode(node);
      if (parsed.kind === "expression" && callsOn(parsed.expr, res.template.scope, target)) return true;
    }
  }
  return false;
}

/** The inline template of a nested deployment whose expressions are evaluated in its own scope; undefined otherwise. */
function innerTemplate(res: ResourceInfo): AST.JSONExpression | undefined {
  const options = findProperty(res.properties, "expressionEvaluationOptions")?.value;
  const scope = isObject(options) ? findProperty(options, "scope")?.value : undefined;
  if (!isStringLiteral(scope) || scope.value.toLowerCase() !== "inner") return undefined;
  return findProperty(res.properties, "template")?.value;
}

/** True when the expression calls `reference()`/`list*()` with `target` as the resource. */
function callsOn(expr: Expr, scope: EvalScope, target: ResourceInfo): boolean {
  let found = false;
  walkExpr(expr, (e) => {
    if (found || e.type !== "Call" || e.args.length === 0) return;
    const name = callName(e);
    if (name !== "reference" && !name?.startsWith("list")) return;
    found = dependencyMatches(targetOfExpr(e.args[0]!, scope, 0), target) === "yes";
  });
  return found;
}

/**
 * The `dependsOn` entry that names `target` the way ARM expects: its symbolic name under
 * languageVersion 2.0, else `[resourceId('<type>', <target's own name expression>)]`. Null when the
 * name cannot be written into an expression.
 */
export function dependencyEntry(target: ResourceInfo): string | null {
  if (target.symbolicName !== null && target.template.languageVersion?.startsWith("2")) return target.symbolicName;
  const type = target.declaredType?.includes("/") ? target.declaredType : target.type;
  const name = target.nameProperty?.value;
  if (!type || !isStringLiteral(name) || target.parent) return null;
  const parsed = parseStringNode(name);
  if (parsed.kind === "error") return null;
  const nameExpr = parsed.kind === "literal" ? quoteString(parsed.value) : parsed.text.trim();
  return `[resourceId(${quoteString(type)}, ${nameExpr})]`;
}

/** Adds `entry` to the `dependsOn` of `res`: appended to the array, or a new `dependsOn` property. */
export function addDependency(sc: JsonSourceCode, fixer: JsonFixer, res: ResourceInfo, entry: string): TextEdit[] | null {
  const text = JSON.stringify(entry);
  const existing = res.dependsOn;
  if (existing) return isArray(existing.value) ? appendElement(sc, fixer, existing.value, text) : null;
  const props = res.node.properties;
  const index = props.findIndex((p) => propertyName(p)?.toLowerCase() === "properties");
  const after = index > 0 ? props[index - 1] : undefined;
  return insertProperty(sc, fixer, res.node, "dependsOn", `[${text}]`, { after });
}

/** True when a line break lies in `text[from, to)`. */
function hasBreak(text: string, from: number, to: number): boolean {
  return /[\r\n\u2028\u2029]/u.test(text.slice(from, to));
}

/** The leading whitespace of the line holding offset `pos`. */
function lineIndent(text: string, pos: number): string {
  let start = pos;
  while (start > 0 && !/[\r\n\u2028\u2029]/u.test(text[start - 1]!)) start--;
  return /^[ \t]*/u.exec(text.slice(start))![0];
}

/** Appends an element (given as JSON text) to an array, in the array's own layout. */
export function appendElement(sc: JsonSourceCode, fixer: JsonFixer, array: AST.JSONArrayExpression, element: string): TextEdit[] | null {
  const source = sc.text;
  if (array.elements.some((e) => e === null)) return null;
  const open = sc.getFirstToken(array);
  const close = sc.getLastToken(array);
  if (!open || !close) return null;
  const last = array.elements.at(-1);
  if (!last) {
    const inner = sc.getTokenAfter(open, { includeComments: true });
    if (inner !== close) return null;
    return [fixer.replaceTextRange([open.range[1], close.range[0]], element)];
  }
  const after = sc.getTokenAfter(last);
  if (!after) return null;
  const comma = after.value === "," && !isCommentToken(after) ? after : null;
  if (!comma && after !== close) return null;
  if (!hasBreak(source, open.range[1], close.range[0])) {
    if (comma) return [fixer.insertTextAfterRange(comma.range, ` ${element},`)];
    return [fixer.insertTextAfterRange(last.range, `, ${element}`)];
  }
  // Multi-line: the new element goes on its own line after the last one and its same-line comments.
  const anchor: { range: [number, number] } = comma ?? last;
  let end = anchor.range[1];
  let next: JsonToken | null = sc.getTokenAfter(anchor, { includeComments: true });
  while (next && isCommentToken(next) && !hasBreak(source, end, next.range[0])) {
    end = next.range[1];
    next = sc.getTokenAfter(next, { includeComments: true });
  }
  const line = sourceEol(sc) + lineIndent(source, last.range[0]) + element;
  if (comma) return [fixer.insertTextAfterRange([end, end], `${line},`)];
  if (end === last.range[1]) return [fixer.insertTextAfterRange(last.range, `,${line}`)];
  return [fixer.insertTextAfterRange(last.range, ","), fixer.insertTextAfterRange([end, end], line)];
}
