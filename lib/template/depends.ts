import type { AST, JsonFixer, JsonSourceCode, JsonToken, TextEdit } from "../json/types.js";
import { findProperty, isArray, isObject, isStringLiteral, propertyName } from "../json/access.js";
import { insertProperty, isCommentToken, sourceEol } from "../json/fix.js";
import { callName, parseStringNode, quoteString, walkExpr, type EvalScope, type Expr } from "../expression/index.js";
import { exprPieces, hasCopyIndex, matchIsDecisive, nameKey, namesMatch, splitSegments, type Piece } from "./names.js";
import type { ResourceInfo, TemplateInfo } from "./model.js";

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

const FULL_NAMES = new WeakMap<ResourceInfo, Piece[][] | null>();

/** The name segments of a resource, with a nested child's short name prefixed by its parents' (once per resource). */
export function fullNameSegments(res: ResourceInfo): Piece[][] | null {
  let segments = FULL_NAMES.get(res);
  if (segments !== undefined) return segments;
  segments = null;
  if (res.namePieces) {
    const own = splitSegments(res.namePieces);
    const parent = !res.parent || (res.declaredType?.includes("/") ?? false) ? [] : fullNameSegments(res.parent);
    segments = parent ? [...parent, ...own] : null;
  }
  FULL_NAMES.set(res, segments);
  return segments;
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
 *
 * What each resource's entries and calls name does not depend on `target`: it is worked out once
 * per resource ({@link resolved}), so asking for every extension of a file walks links, not names.
 */
export function dependsOnResource(res: ResourceInfo, target: ResourceInfo): DependencyMatch {
  // Each resource reached, and whether some chain reaches it through entries that surely name it.
  const reached = new Map<ResourceInfo, boolean>([[res, true]]);
  const queue: ResourceInfo[] = [res];
  let result: DependencyMatch = "no";
  for (let next = 0; next < queue.length && reached.size <= MAX_CHAIN; next++) {
    const current = queue[next]!;
    const sure = reached.get(current)!;
    const direct = current === res;
    const { entries, notArray } = resolved(current);
    if (notArray && direct) result = "maybe";
    for (const resolvedEntry of entries) {
      const entry = resolvedEntry.entry;
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
      for (const link of linksOf(resolvedEntry, current.template)) {
        const seen = reached.get(link.res);
        if (seen === true) continue;
        const surely = sure && link.sure;
        if (seen === false && !surely) continue;
        // A resource first reached through an uncertain entry is walked again once a sure one reaches it.
        reached.set(link.res, surely);
        queue.push(link.res);
      }
    }
    if (callTargets(current).some((called) => dependencyMatches(called, target) === "yes")) {
      if (sure) return "yes";
      result = "maybe";
    }
  }
  return result;
}

/** A resource that a `dependsOn` entry names (`sure`) or may name. */
interface Link {
  res: ResourceInfo;
  sure: boolean;
}

/** One `dependsOn` entry: its target, and the resources of its template it reaches (worked out when first followed). */
interface ResolvedEntry {
  entry: DependencyTarget;
  links?: Link[];
}

/** A resource's `dependsOn`, resolved. */
interface ResolvedDependencies {
  entries: ResolvedEntry[];
  /** True when `dependsOn` is there but not an array. */
  notArray: boolean;
}

const RESOLVED = new WeakMap<ResourceInfo, ResolvedDependencies>();

/** The resolved `dependsOn` of a resource (once per resource). */
function resolved(res: ResourceInfo): ResolvedDependencies {
  let found = RESOLVED.get(res);
  if (found) return found;
  const value = res.dependsOn?.value;
  const entries = (isArray(value) ? value.elements : []).map((element) => ({ entry: dependencyTarget(element, res.template.scope) }));
  found = { entries, notArray: value !== undefined && !isArray(value) };
  RESOLVED.set(res, found);
  return found;
}

/**
 * The resources an entry names or may name (once per entry). An opaque entry may name anything, so
 * it links only to the resources whose name is that very expression (following it everywhere would
 * find every chain).
 */
function linksOf(resolvedEntry: ResolvedEntry, template: TemplateInfo): Link[] {
  if (resolvedEntry.links) return resolvedEntry.links;
  const entry = resolvedEntry.entry;
  const links: Link[] = [];
  for (const other of candidatesFor(entry, template)) {
    const link = dependencyMatches(entry, other);
    if (link === "no" || (link === "maybe" && entry.kind === "opaque")) continue;
    links.push({ res: other, sure: link === "yes" });
  }
  return (resolvedEntry.links = links);
}

/**
 * The resources of `template` that `entry` may designate, in template order: for an id, those of
 * its type; for a name, those that an index says may carry it ({@link NameIndex}). When resources
 * surely carry the entry's name, they are the only ones: another resource whose name might be the
 * same at deployment would then be that very resource declared twice, which ARM rejects.
 */
function candidatesFor(entry: DependencyTarget, template: TemplateInfo): readonly ResourceInfo[] {
  if (entry.kind === "id") return idIndex(template).get(`${entry.type.toLowerCase()} ${segmentsKey(entry.names)}`) ?? resourcesOfType(template, entry.type);
  if (entry.kind === "opaque" && !entry.pieces) return [];
  return nameIndex(template).candidates(entry.pieces!);
}

/** A key of name segments: equal for two names exactly when namesMatch holds for each segment (see nameKey). */
function segmentsKey(segments: Piece[][]): string {
  return segments.map(nameKey).join("/");
}

const ID_INDEX = new WeakMap<TemplateInfo, Map<string, ResourceInfo[]>>();

/**
 * The resources of a template by lower-case type and the key of their name segments. Equal keys
 * always match (a `copyIndex()` name matches other names too, which the scan finds).
 */
function idIndex(template: TemplateInfo): Map<string, ResourceInfo[]> {
  let index = ID_INDEX.get(template);
  if (!index) {
    index = new Map();
    for (const res of template.resources) {
      const segments = fullNameSegments(res);
      if (res.type && segments) push(index, `${res.type.toLowerCase()} ${segmentsKey(segments)}`, res);
    }
    ID_INDEX.set(template, index);
  }
  return index;
}

/**
 * The resources of one template by what a name entry can match (see dependencyMatches): the key of
 * their name (equal keys match; for a name without `copyIndex()`, only equal keys do), the symbolic
 * or copy-loop name, and, compared one by one, names with `copyIndex()` and the elements of
 * symbolic loops (`vms[0]`).
 */
class NameIndex {
  private readonly byKey = new Map<string, ResourceInfo[]>();
  private readonly byAlias = new Map<string, ResourceInfo[]>();
  private readonly scanned: ResourceInfo[] = [];
  private readonly position = new Map<ResourceInfo, number>();

  constructor(resources: readonly ResourceInfo[]) {
    resources.forEach((res, i) => {
      this.position.set(res, i);
      const pieces = res.namePieces;
      if (pieces) push(this.byKey, nameKey(pieces), res);
      for (const alias of [res.symbolicName, res.copyName]) if (alias !== null) push(this.byAlias, alias.toLowerCase(), res);
      if ((pieces && hasCopyIndex(pieces)) || (res.symbolicName !== null && res.copyName !== null)) this.scanned.push(res);
    });
  }

  /** The resources a name entry with these pieces may designate, in template order (see candidatesFor). */
  candidates(pieces: Piece[]): ResourceInfo[] {
    const named = this.byKey.get(nameKey(pieces));
    const found = new Set<ResourceInfo>(named ?? this.scanned);
    const only = pieces.length === 1 ? pieces[0] : undefined;
    if (only && "lit" in only) for (const res of this.byAlias.get(only.lit.toLowerCase()) ?? []) found.add(res);
    return [...found].sort((a, b) => this.position.get(a)! - this.position.get(b)!);
  }
}

/** Appends `value` to the list at `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const NAME_INDEX = new WeakMap<TemplateInfo, NameIndex>();

/** The name index of a template (built on first use). */
function nameIndex(template: TemplateInfo): NameIndex {
  let index = NAME_INDEX.get(template);
  if (!index) {
    index = new NameIndex(template.resources);
    NAME_INDEX.set(template, index);
  }
  return index;
}

/** Resources of each template by lower-case full type, in template order (built on first use). */
const BY_TYPE = new WeakMap<TemplateInfo, Map<string, ResourceInfo[]>>();

/** The resources of `template` whose full type is `type` (case-insensitive), in template order. */
function resourcesOfType(template: TemplateInfo, type: string): ResourceInfo[] {
  let index = BY_TYPE.get(template);
  if (!index) {
    index = new Map();
    for (const res of template.resources) {
      const key = res.type?.toLowerCase();
      if (key !== undefined) push(index, key, res);
    }
    BY_TYPE.set(template, index);
  }
  return index.get(type.toLowerCase()) ?? [];
}

/** String values walked when looking for `reference()` calls in one resource. */
const MAX_STRINGS = 2_000;

const CALL_TARGETS = new WeakMap<ResourceInfo, DependencyTarget[]>();

/**
 * What the `reference()` and `list*()` calls in the strings of `res` (outside `dependsOn` and child
 * resources) are called on, once per resource: ARM orders the resource after each of them.
 */
function callTargets(res: ResourceInfo): DependencyTarget[] {
  let found = CALL_TARGETS.get(res);
  if (found) return found;
  found = [];
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
      if (parsed.kind === "expression") collectCalls(parsed.expr, res.template.scope, found);
    }
  }
  CALL_TARGETS.set(res, found);
  return found;
}

/** The inline template of a nested deployment whose expressions are evaluated in its own scope; undefined otherwise. */
function innerTemplate(res: ResourceInfo): AST.JSONExpression | undefined {
  const options = findProperty(res.properties, "expressionEvaluationOptions")?.value;
  const scope = isObject(options) ? findProperty(options, "scope")?.value : undefined;
  if (!isStringLiteral(scope) || scope.value.toLowerCase() !== "inner") return undefined;
  return findProperty(res.properties, "template")?.value;
}

/** Adds the targets of the `reference()`/`list*()` calls in `expr` to `out`. */
function collectCalls(expr: Expr, scope: EvalScope, out: DependencyTarget[]): void {
  walkExpr(expr, (e) => {
    if (e.type !== "Call" || e.args.length === 0) return;
    const name = callName(e);
    if (name === "reference" || name?.startsWith("list")) out.push(targetOfExpr(e.args[0]!, scope, 0));
  });
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
