/**
 * Which parameters, `list*()` / `reference()` results and literal SAS tokens flow into a JSON value
 * of a template: a walk of the parsed expressions that follows `variables()` and `parameters()`
 * (with the value a nested deployment supplies to an inner-scoped template, in the outer scope),
 * member paths into object variables (`.b`, `['b']`, `tryGet(a, 'b')`), and every function whose
 * result carries its arguments (`concat`, `format`, `uri`, both branches of `if`, ...).
 * Condition-only inputs (`empty()`, `equals()`, the condition of `if`, ...) and resource-id
 * arguments do not flow.
 *
 * The evaluator's `Value.prov` lists names only; this walk keeps each parameter's declaration and
 * scope (a name may be declared by both an outer and an inner template) and the member paths that
 * `reference()` results are read through, which the secret rules classify on.
 *
 * Cost: every variable and parameter is walked once per member path and scope (memoised); atom
 * sets are capped; hops through variables and parameters are capped.
 */
import type { AST } from "../json/types.js";
import { getValue, isArray, isObject, keyEquals } from "../json/access.js";
import {
  functionScope,
  callName,
  evaluateExpr,
  isJsonNode,
  parseStringNode,
  parseCached,
  type EvalScope,
  type Expr,
  type ParameterDecl,
  type ParsedString,
  resultCarriesArguments,
} from "../expression/index.js";
import { findSasToken, type SasMatch } from "./sas.js";

/** Something that flows into a value and that the secret rules classify. */
export type Atom =
  | { kind: "parameter"; name: string; decl: ParameterDecl; scope: EvalScope; path: readonly string[] }
  /** A `list*()` call, with the member path read from its result (`.sasToken` of a module's secure outputs). */
  | { kind: "call"; name: string; path: readonly string[] }
  | { kind: "reference"; path: readonly string[] }
  /**
   * A Key Vault secret passed for a nested template's parameter (`{ "reference": { "keyVault": ... } }`),
   * with that parameter when known: what the template does with it says what the secret is.
   */
  | { kind: "keyVault"; decl?: ParameterDecl }
  | { kind: "literal"; text: string; match: SasMatch };

/** A path segment that matches every member or element (a computed index). */
export const ANY = "\u0000*";

/** Most atoms kept per value. */
const MAX_ATOMS = 128;
/** Most nested variable/parameter hops followed. */
const MAX_HOPS = 128;
/** Longest member path followed into a variable or parameter. */
const MAX_PATH = 32;

/**
 * An ordered, de-duplicated, capped collection of atoms. Atoms are interned by {@link Flow}, so
 * equal atoms are the same object and an identity check de-duplicates (sets stay small: a linear
 * scan costs less than hashing).
 */
class AtomSet {
  readonly items: Atom[] = [];

  /** Adds one atom unless present or the set is full. */
  add(atom: Atom): void {
    if (this.items.length < MAX_ATOMS && !this.items.includes(atom)) this.items.push(atom);
  }

  /** Adds every atom of `atoms`. */
  addAll(atoms: readonly Atom[]): void {
    for (let i = 0; i < atoms.length; i++) this.add(atoms[i]!);
  }
}

/** The map stored in `outer` under `key`, created empty on first use (for memos keyed in levels). */
export function innerMap<K, K2, V>(outer: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = outer.get(key);
  if (!inner) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}

/** Member path of a chain as a memo key. */
function pathKey(path: readonly string[]): string {
  return path.length === 0 ? "" : path.length === 1 ? path[0]! : path.join("\u0001");
}

/** Extends a path on the left, keeping it within {@link MAX_PATH} (a longer path is dropped). */
function prepend(segment: string, path: readonly string[]): readonly string[] {
  return path.length >= MAX_PATH ? [] : [segment, ...path];
}

const NO_PATH: readonly string[] = [];

/** Functions whose result is made of their arguments' members or elements (lower case). */
const MERGES: ReadonlySet<string> = new Set(["union", "shallowmerge", "concat"]);
/** The memo entry of a variable or parameter while its atoms are being collected (read in a cycle: no atoms). */
const IN_PROGRESS: readonly Atom[] = Object.freeze([]);

/** Flow queries over one file; memoises per scope, declaration or variable node, and member path. */
export class Flow {
  /** What variables and parameters carry, per scope and declaration or variable node: read whole, and per member path. */
  private readonly wholeMemo = new Map<EvalScope, Map<object, readonly Atom[]>>();
  private readonly memo = new Map<EvalScope, Map<object, Map<string, readonly Atom[]>>>();
  /** Results of whole-expression queries (no member path), per scope. */
  private readonly exprMemo = new Map<EvalScope, Map<Expr, readonly Atom[]>>();
  private hops = 0;
  /** Counts reads of a variable or parameter whose result was still being computed (a cycle): results computed meanwhile may be partial. */
  private cycleReads = 0;
  /** Interned atoms by identity key, and each atom's key. */
  private readonly atoms = new Map<string, Atom>();
  private readonly keys = new Map<Atom, string>();
  private readonly declIds = new Map<object, number>();
  /** The atom of each parameter read whole (the common case, looked up without building a key). */
  private readonly wholeParameters = new Map<ParameterDecl, Atom>();
  private nextId = 0;

  /** Identity of an atom: the same parameter read through the same path, the same call, ... */
  key(atom: Atom): string {
    const known = this.keys.get(atom);
    if (known !== undefined) return known;
    switch (atom.kind) {
      case "parameter":
        return `p:${this.declId(atom.decl)}:${pathKey(atom.path).toLowerCase()}`;
      case "call":
        return `c:${atom.name.toLowerCase()}:${pathKey(atom.path).toLowerCase()}`;
      case "reference":
        return `r:${atom.path.join(".").toLowerCase()}`;
      case "keyVault":
        return atom.decl ? `k:${this.declId(atom.decl)}` : "k";
      case "literal":
        return `l:${atom.text}`;
    }
  }

  /** A number for a parameter declaration, the same for every atom of it. */
  private declId(decl: ParameterDecl): number {
    let id = this.declIds.get(decl);
    if (id === undefined) {
      id = this.nextId++;
      this.declIds.set(decl, id);
    }
    return id;
  }

  /** The one atom object equal to `atom` (the first one seen). */
  private intern(atom: Atom): Atom {
    const key = this.key(atom);
    const known = this.atoms.get(key);
    if (known) return known;
    this.atoms.set(key, atom);
    this.keys.set(atom, key);
    return atom;
  }

  /** Atoms flowing into a JSON value evaluated in `scope`, read through member `path`. */
  node(node: AST.JSONExpression, scope: EvalScope, path: readonly string[] = NO_PATH): readonly Atom[] {
    if (path.length === 0 && node.type === "JSONLiteral" && typeof node.value === "string") {
      const parsed = parseStringNode(node);
      if (parsed.kind === "expression") return this.expr(parsed.expr, scope);
    }
    const out = new AtomSet();
    this.collectNode(node, scope, path, out);
    return out.items;
  }

  /** Atoms flowing into a template string value (a literal or an expression). */
  string(value: string, scope: EvalScope, path: readonly string[] = NO_PATH): readonly Atom[] {
    const out = new AtomSet();
    this.collectString(value, scope, path, out);
    return out.items;
  }

  /** Atoms flowing into a parsed expression (memoised per expression object when read whole). */
  expr(expr: Expr, scope: EvalScope, path: readonly string[] = NO_PATH): readonly Atom[] {
    if (path.length > 0) {
      const out = new AtomSet();
      this.collectExpr(expr, scope, path, out);
      return out.items;
    }
    const byExpr = innerMap(this.exprMemo, scope);
    let atoms = byExpr.get(expr);
    if (!atoms) {
      const out = new AtomSet();
      const cycleReads = this.cycleReads;
      this.collectExpr(expr, scope, NO_PATH, out);
      atoms = out.items;
      // A result that read a variable still being computed (a cycle) may be partial: not kept.
      if (this.cycleReads === cycleReads) byExpr.set(expr, atoms);
    }
    return atoms;
  }

  /**
   * Atoms flowing into an expression object that is seen once (one a caller built, such as the
   * rest of a split URL): not memoised, so the memo does not keep throwaway objects alive.
   */
  transient(expr: Expr, scope: EvalScope): readonly Atom[] {
    const out = new AtomSet();
    this.collectExpr(expr, scope, NO_PATH, out);
    return out.items;
  }

  /** Follows `path` into `node`, then collects every string below where it ends. */
  private collectNode(node: AST.JSONExpression, scope: EvalScope, path: readonly string[], out: AtomSet): void {
    let current: AST.JSONExpression | null | undefined = node;
    for (let i = 0; i < path.length; i++) {
      if (current?.type === "JSONLiteral" && typeof current.value === "string") {
        this.collectParsed(parseStringNode(current), scope, path.slice(i), out);
        return;
      }
      const segment = path[i]!;
      if (segment === ANY && (isObject(current) || isArray(current))) {
        const children: (AST.JSONExpression | null)[] = isObject(current) ? current.properties.map((p) => p.value) : current.elements;
        for (const child of children) if (child) this.collectNode(child, scope, path.slice(i + 1), out);
        return;
      }
      if (isObject(current)) current = getValue(current, segment);
      else if (isArray(current)) current = /^\d+$/u.test(segment) ? current.elements[Number(segment)] : undefined;
      else return;
      if (!current) return;
    }
    const stack: AST.JSONExpression[] = [current];
    while (stack.length > 0) {
      const item = stack.pop()!;
      if (item.type === "JSONLiteral") {
        if (typeof item.value === "string") this.collectParsed(parseStringNode(item), scope, [], out);
      } else if (isObject(item)) {
        for (let i = item.properties.length - 1; i >= 0; i--) stack.push(item.properties[i]!.value);
      } else if (isArray(item)) {
        for (let i = item.elements.length - 1; i >= 0; i--) {
          const element = item.elements[i];
          if (element) stack.push(element);
        }
      }
    }
  }

  /** Collects the atoms of a template string. */
  private collectString(value: string, scope: EvalScope, path: readonly string[], out: AtomSet): void {
    this.collectParsed(parseCached(value), scope, path, out);
  }

  /** Collects the atoms of a parsed template string. */
  private collectParsed(parsed: ParsedString, scope: EvalScope, path: readonly string[], out: AtomSet): void {
    if (parsed.kind === "expression") this.collectExpr(parsed.expr, scope, path, out);
    else if (parsed.kind === "literal" && path.length === 0) this.literalAtom(parsed.value, out);
  }

  /** Collects the atoms of an expression read through `path`. Iterative over the expression tree. */
  private collectExpr(expr: Expr, scope: EvalScope, path: readonly string[], out: AtomSet): void {
    const exprs: Expr[] = [expr];
    const paths: (readonly string[])[] = [path];
    while (exprs.length > 0) {
      const e = exprs.pop()!;
      const p = paths.pop()!;
      switch (e.type) {
        case "String":
          if (p.length === 0) this.literalAtom(e.value, out);
          break;
        case "Number":
        case "Identifier":
          break;
        case "Member":
          exprs.push(e.object);
          paths.push(prepend(e.property, p));
          break;
        case "Index": {
          const index = e.index;
          const segment = index.type === "String" ? index.value : index.type === "Number" ? String(index.value) : ANY;
          exprs.push(e.object);
          paths.push(prepend(segment, p));
          break;
        }
        case "Call": {
          const name = callName(e)!;
          if (name === "parameters" || name === "variables") {
            const arg = e.args[0];
            if (e.args.length === 1 && arg?.type === "String") {
              // The common case, without building a list of candidate names.
              if (name === "parameters") this.collectParameter(arg.value, scope, p, out);
              else this.collectVariable(arg.value, scope, p, out);
            } else {
              for (const target of this.lookupNames(e, scope)) {
                if (name === "parameters") this.collectParameter(target, scope, p, out);
                else this.collectVariable(target, scope, p, out);
              }
            }
          } else if (name === "tryget" && e.args.length >= 2) {
            // Bicep's `a.?b`: a member path like `.b`.
            let through = p;
            for (let i = e.args.length - 1; i >= 1; i--) {
              const key = e.args[i]!;
              through = prepend(key.type === "String" ? key.value : key.type === "Number" ? String(key.value) : ANY, through);
            }
            exprs.push(e.args[0]!);
            paths.push(through);
          } else if (name === "if" && e.args.length === 3) {
            exprs.push(e.args[2]!, e.args[1]!);
            paths.push(p, p);
          } else if (name === "coalesce") {
            for (let i = e.args.length - 1; i >= 0; i--) {
              exprs.push(e.args[i]!);
              paths.push(p);
            }
          } else if (name === "createobject" && p.length > 0 && e.args.length % 2 === 0) {
            // Read through a key: only the values of that key (any key for ANY) flow.
            const key = p[0]!;
            for (let i = e.args.length - 2; i >= 0; i -= 2) {
              const k = e.args[i]!;
              if (key !== ANY && k.type === "String" && !keyEquals(k.value, key)) continue;
              exprs.push(e.args[i + 1]!);
              paths.push(p.slice(1));
            }
          } else if (name === "reference") {
            // The model passes a Key Vault reference on as reference() without arguments, which no template can write.
            out.add(this.intern(e.args.length === 0 ? { kind: "keyVault" } : { kind: "reference", path: p.filter((s) => s !== ANY) }));
          } else if (e.namespace !== null && this.collectFunction(e, scope, p, out)) {
            // A user-defined function: what its output carries, its parameters bound to the arguments.
          } else if (e.namespace === null && name.startsWith("list")) {
            out.add(this.intern({ kind: "call", name: e.name, path: p.filter((s) => s !== ANY) }));
          } else if (p.length > 0 && MERGES.has(name)) {
            // A member of a merged object is that member of one of the arguments; an element of a
            // merged array may come from anywhere in one of them.
            // shallowMerge takes one array of the objects to merge.
            const member = /^\d+$/u.test(p[0]!) ? prepend(ANY, p.slice(1)) : p;
            const through = name === "shallowmerge" ? prepend(ANY, member) : member;
            for (let i = e.args.length - 1; i >= 0; i--) {
              exprs.push(e.args[i]!);
              paths.push(through);
            }
          } else if (p.length > 0 && name === "createarray") {
            // Element k of the array is argument k; a key of an array is nothing.
            const at = p[0]!;
            for (let i = e.args.length - 1; i >= 0; i--) {
              if (at !== ANY && at !== String(i)) continue;
              exprs.push(e.args[i]!);
              paths.push(p.slice(1));
            }
          } else if (resultCarriesArguments(name)) {
            for (let i = e.args.length - 1; i >= 0; i--) {
              exprs.push(e.args[i]!);
              paths.push(NO_PATH);
            }
          }
          break;
        }
      }
    }
  }

  /** The names a `parameters(...)` / `variables(...)` call may look up. */
  private lookupNames(call: Extract<Expr, { type: "Call" }>, scope: EvalScope): string[] {
    const arg = call.args[0];
    if (call.args.length !== 1 || !arg) return [];
    if (arg.type === "String") return [arg.value];
    const value = evaluateExpr(arg, scope);
    const values = value.kind === "known" ? [value.value] : value.kind === "choice" ? value.values : [];
    return values.filter((v): v is string => typeof v === "string");
  }

  /** A parameter, and what its supplied value (or default) carries. */
  private collectParameter(name: string, scope: EvalScope, path: readonly string[], out: AtomSet): void {
    const decl = scope.parameter(name);
    if (!decl) return;
    // A function's parameter is the call's argument, which names its own sources.
    if (decl.argument && decl.supplied) {
      out.addAll(this.follow(scope, decl, path, decl.supplied.node ?? decl.supplied.expr, decl.supplied.scope));
      return;
    }
    let atom = path.length === 0 ? this.wholeParameters.get(decl) : undefined;
    if (!atom) {
      atom = this.intern({ kind: "parameter", name: decl.name, decl, scope, path: path.length === 0 ? NO_PATH : path.filter((segment) => segment !== ANY) });
      if (path.length === 0) this.wholeParameters.set(decl, atom);
    }
    out.add(atom);
    const supplied = decl.supplied;
    const passed = supplied?.expr;
    if (passed?.type === "Call" && passed.namespace === null && passed.args.length === 0 && passed.name.toLowerCase() === "reference") {
      // The model passes a Key Vault reference on as reference() without arguments.
      out.add(this.intern({ kind: "keyVault", decl }));
    } else if (supplied) out.addAll(this.follow(scope, decl, path, supplied.node ?? supplied.expr, supplied.scope));
    else if (decl.defaultValue) out.addAll(this.follow(scope, decl, path, decl.defaultValue, scope));
  }

  /** What a call of a user-defined function carries (false when the template has no such function). */
  private collectFunction(call: Extract<Expr, { type: "Call" }>, scope: EvalScope, path: readonly string[], out: AtomSet): boolean {
    const fn = scope.userFunction?.(call.namespace!, call.name);
    if (!fn || fn.parameters.length !== call.args.length) return false;
    out.addAll(this.follow(scope, call, path, fn.output, functionScope(fn, call.args, scope)));
    return true;
  }

  /** What a variable carries (read in a user-defined function, the template's: EvalScope.home). */
  private collectVariable(name: string, scope: EvalScope, path: readonly string[], out: AtomSet): void {
    const home = scope.home ?? scope;
    const node = home.variable(name);
    if (node) out.addAll(this.follow(home, node, path, node, home));
  }

  /** Adds a literal atom when `text` holds a SAS token. */
  private literalAtom(text: string, out: AtomSet): void {
    const match = findSasToken(text);
    if (match) out.add(this.intern({ kind: "literal", text, match }));
  }

  /**
   * What `target` carries read through `path` in `targetScope`, memoised per scope, key (the
   * parameter declaration or variable node) and path; cycles and over-deep chains give no atoms.
   */
  private follow(scope: EvalScope, key: object, path: readonly string[], target: AST.JSONExpression | Expr, targetScope: EvalScope): readonly Atom[] {
    const byKey: Map<unknown, readonly Atom[]> = path.length === 0 ? innerMap(this.wholeMemo, scope) : innerMap(innerMap(this.memo, scope), key);
    const k = path.length === 0 ? key : pathKey(path);
    const hit = byKey.get(k);
    if (hit === IN_PROGRESS) this.cycleReads++;
    if (hit) return hit;
    if (this.hops >= MAX_HOPS) {
      this.cycleReads++;
      return [];
    }
    byKey.set(k, IN_PROGRESS);
    this.hops++;
    let result: readonly Atom[];
    try {
      result = isJsonNode(target) ? this.node(target, targetScope, path) : this.expr(target, targetScope, path);
    } finally {
      this.hops--;
    }
    byKey.set(k, result);
    return result;
  }
}
