import type { AST } from "../json/types.js";
import { findProperty, isBooleanLiteral, isStringLiteral } from "../json/access.js";
import {
  callName,
  evaluateExpr,
  parseStringNode,
  printExpr,
  type EvalScope,
  type Expr,
  type JsonValue,
  type Value,
} from "../expression/index.js";
import type { Branch, ExtensionInfo, ResourceInfo } from "./model.js";
import { sameInEveryDeployment } from "./describe.js";

/**
 * A deployment condition as a boolean formula. Atoms say "subject equals value": a bare boolean
 * expression `X` is `X == true`, `equals(X, 'a')` is `X == 'a'`. Subjects are canonical expression
 * texts tagged with the scope they are evaluated in, so `parameters('os')` of two inner-scoped
 * templates never meet.
 */
export type Formula =
  | { kind: "const"; value: boolean }
  | { kind: "atom"; subject: string; value: JsonValue }
  | { kind: "not"; operand: Formula }
  | { kind: "and" | "or"; operands: Formula[] };

const TRUE: Formula = { kind: "const", value: true };
const FALSE: Formula = { kind: "const", value: false };
/** Variable hops and nesting followed while building a formula. */
const MAX_DEPTH = 16;
/** More distinct atoms than this and exclusivity is not attempted (2^n assignments). */
const MAX_ATOMS = 12;

/**
 * Builds formulas for expressions of several scopes, keeping subjects of different scopes apart.
 * A value is fixed when it is known and the same in every deployment (sameInEveryDeployment).
 */
export class ConditionBuilder {
  private readonly scopeIds = new Map<EvalScope, number>();

  /** The formula of a `condition` value (absent means true). */
  ofNode(node: AST.JSONExpression | undefined, scope: EvalScope): Formula {
    if (!node) return TRUE;
    if (isBooleanLiteral(node)) return node.value ? TRUE : FALSE;
    if (!isStringLiteral(node)) return this.opaque(`<node>${node.range[0]}`, scope);
    const parsed = parseStringNode(node);
    if (parsed.kind === "expression") return this.ofExpr(parsed.expr, scope, 0);
    if (parsed.kind === "literal") {
      const lower = parsed.value.toLowerCase();
      if (lower === "true") return TRUE;
      if (lower === "false") return FALSE;
    }
    return this.opaque(`<string>${node.value}`, scope);
  }

  /**
   * The conjunction of every condition an extension deploys under: its own (a scale-set profile
   * entry's is its scale set's), its enclosing nested deployments', and the `if()` choices of a
   * list an expression builds (ExtensionInfo.branches).
   */
  ofExtension(ext: ExtensionInfo): Formula {
    return this.ofPlace(ext.resource ?? ext.parent?.resource ?? null, ext.branches);
  }

  /**
   * The condition of a profile entry reached through `branches` in the list of the machine
   * `resource` (also one of the other places of an entry, ExtensionInfo.alsoIn), or of an extension
   * resource (no branches).
   */
  ofPlace(resource: ResourceInfo | null, branches: readonly Branch[]): Formula {
    const own = this.ofResource(resource);
    if (branches.length === 0) return own;
    const tests = branches.map((b): Formula => {
      const test = this.ofExpr(b.test, b.scope, 0);
      return b.taken ? test : { kind: "not", operand: test };
    });
    return { kind: "and", operands: [own, ...tests] };
  }

  /**
   * The conjunction of every condition a resource deploys under: its own and its enclosing nested
   * deployments'. A parent resource's condition does not count: ARM does not carry a condition to
   * child resources, so the child of a VM that is not deployed still deploys (onto an existing VM).
   */
  ofResource(resource: ResourceInfo | null): Formula {
    const parts: Formula[] = [];
    for (let res = resource; res; res = res.template.deployment) {
      parts.push(this.ofNode(findProperty(res.node, "condition")?.value, res.template.scope));
    }
    return parts.length === 1 ? parts[0]! : { kind: "and", operands: parts };
  }

  /** The formula of an expression, in `scope`. */
  private ofExpr(expr: Expr, scope: EvalScope, depth: number): Formula {
    const fixed = this.fixedBoolean(expr, scope);
    if (fixed !== undefined) return fixed ? TRUE : FALSE;
    if (depth > MAX_DEPTH || expr.type !== "Call") return this.atom(expr, scope, true);
    const name = callName(expr);
    const args = expr.args;
    switch (name) {
      case "not":
        return args.length === 1 ? { kind: "not", operand: this.ofExpr(args[0]!, scope, depth + 1) } : this.atom(expr, scope, true);
      case "and":
      case "or":
        return args.length > 0
          ? { kind: name, operands: args.map((a) => this.ofExpr(a, scope, depth + 1)) }
          : this.atom(expr, scope, true);
      case "bool":
        return args.length === 1 ? this.ofExpr(args[0]!, scope, depth + 1) : this.atom(expr, scope, true);
      case "if": {
        if (args.length !== 3) return this.atom(expr, scope, true);
        const test = this.ofExpr(args[0]!, scope, depth + 1);
        return {
          kind: "or",
          operands: [
            { kind: "and", operands: [test, this.ofExpr(args[1]!, scope, depth + 1)] },
            { kind: "and", operands: [{ kind: "not", operand: test }, this.ofExpr(args[2]!, scope, depth + 1)] },
          ],
        };
      }
      case "equals":
        return args.length === 2 ? this.equals(args[0]!, args[1]!, scope, expr) : this.atom(expr, scope, true);
      case "variables": {
        const inner = variableExpr(expr, scope);
        if (inner) return this.ofExpr(inner, scope, depth + 1);
        return this.atom(expr, scope, true);
      }
      default:
        return this.atom(expr, scope, true);
    }
  }

  /** `equals(a, b)`: an atom on the side that is not a fixed scalar. */
  private equals(a: Expr, b: Expr, scope: EvalScope, whole: Expr): Formula {
    const va = this.fixedScalar(a, scope);
    const vb = this.fixedScalar(b, scope);
    if (va !== undefined && vb !== undefined) return va === vb ? TRUE : FALSE;
    if (vb !== undefined) return this.atom(resolveVariables(a, scope), scope, vb);
    if (va !== undefined) return this.atom(resolveVariables(b, scope), scope, va);
    return this.atom(whole, scope, true);
  }

  /** The value of an expression when it is the same in every deployment (see the class comment). */
  private fixedValue(expr: Expr, scope: EvalScope): Value | undefined {
    const value = evaluateExpr(expr, scope);
    return value.kind === "known" && sameInEveryDeployment(value) ? value : undefined;
  }

  /** A fixed boolean value (ARM also accepts the strings "true"/"false"). */
  private fixedBoolean(expr: Expr, scope: EvalScope): boolean | undefined {
    const value = this.fixedValue(expr, scope);
    if (value?.kind !== "known") return undefined;
    if (typeof value.value === "boolean") return value.value;
    if (typeof value.value === "string") {
      const lower = value.value.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
    }
    return undefined;
  }

  /** A fixed scalar value (string, number, boolean or null). */
  private fixedScalar(expr: Expr, scope: EvalScope): string | number | boolean | null | undefined {
    const value = this.fixedValue(expr, scope);
    if (value?.kind !== "known") return undefined;
    const v = value.value;
    return v === null || typeof v !== "object" ? v : undefined;
  }

  /** `subject == value`. */
  private atom(subject: Expr, scope: EvalScope, value: JsonValue): Formula {
    return { kind: "atom", subject: `${this.scopeId(scope)}:${printExpr(subject).toLowerCase()}`, value };
  }

  /** An atom for something that is not an expression at all. */
  private opaque(text: string, scope: EvalScope): Formula {
    return { kind: "atom", subject: `${this.scopeId(scope)}:${text}`, value: true };
  }

  /** A small number identifying `scope` within this builder. */
  private scopeId(scope: EvalScope): number {
    let id = this.scopeIds.get(scope);
    if (id === undefined) {
      id = this.scopeIds.size;
      this.scopeIds.set(scope, id);
    }
    return id;
  }
}

/** True when no deployment can satisfy both formulas (false when that cannot be proven). */
export function mutuallyExclusive(a: Formula, b: Formula): boolean {
  const both: Formula = { kind: "and", operands: [a, b] };
  const atoms = collectAtoms(both);
  if (atoms.length > MAX_ATOMS) return false;
  const index = new Map(atoms.map((atom, i) => [atomKey(atom), i]));
  const conflicts = conflictingPairs(atoms);
  const limit = 1 << atoms.length;
  for (let mask = 0; mask < limit; mask++) {
    if (conflicts.some(([i, j]) => (mask & (1 << i)) !== 0 && (mask & (1 << j)) !== 0)) continue;
    if (evaluate(both, (atom) => (mask & (1 << index.get(atomKey(atom))!)) !== 0)) return false;
  }
  return true;
}

/** True when the formula is false in every deployment (e.g. a condition that is known false). */
export function neverTrue(formula: Formula): boolean {
  return mutuallyExclusive(formula, TRUE);
}

type Atom = Extract<Formula, { kind: "atom" }>;

/** Identity of an atom. */
function atomKey(atom: Atom): string {
  return `${atom.subject}\u0000${JSON.stringify(atom.value)}`;
}

/** The distinct atoms of a formula. */
function collectAtoms(formula: Formula): Atom[] {
  const seen = new Map<string, Atom>();
  const stack: Formula[] = [formula];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.kind === "atom") seen.set(atomKey(f), f);
    else if (f.kind === "not") stack.push(f.operand);
    else if (f.kind === "and" || f.kind === "or") stack.push(...f.operands);
  }
  return [...seen.values()];
}

/**
 * Pairs of atoms that cannot both hold: the same subject cannot equal two values that differ under
 * any comparison (strings that differ only in case are left unconstrained).
 */
function conflictingPairs(atoms: Atom[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < atoms.length; i++) {
    for (let j = i + 1; j < atoms.length; j++) {
      if (atoms[i]!.subject === atoms[j]!.subject && surelyDifferent(atoms[i]!.value, atoms[j]!.value)) pairs.push([i, j]);
    }
  }
  return pairs;
}

/** True when two scalars differ whether or not strings compare case-insensitively. */
function surelyDifferent(a: JsonValue, b: JsonValue): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() !== b.toLowerCase();
  return typeof a !== typeof b || a !== b;
}

/** Truth of a formula under an assignment of its atoms. */
function evaluate(formula: Formula, atomValue: (atom: Atom) => boolean): boolean {
  switch (formula.kind) {
    case "const":
      return formula.value;
    case "atom":
      return atomValue(formula);
    case "not":
      return !evaluate(formula.operand, atomValue);
    case "and":
      return formula.operands.every((f) => evaluate(f, atomValue));
    case "or":
      return formula.operands.some((f) => evaluate(f, atomValue));
  }
}

/** The expression a `variables('x')` call stands for, when the variable is an expression string. */
function variableExpr(expr: Expr, scope: EvalScope): Expr | undefined {
  if (expr.type !== "Call" || callName(expr) !== "variables" || expr.args.length !== 1) return undefined;
  const arg = expr.args[0];
  if (arg?.type !== "String") return undefined;
  const node = scope.variable(arg.value);
  if (!isStringLiteral(node)) return undefined;
  const parsed = parseStringNode(node);
  return parsed.kind === "expression" ? parsed.expr : undefined;
}

/** Follows `variables('x')` to the expression it holds (a few hops), so subjects compare by meaning. */
function resolveVariables(expr: Expr, scope: EvalScope): Expr {
  let current = expr;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const next = variableExpr(current, scope);
    if (!next) return current;
    current = next;
  }
  return current;
}
