/**
 * Where a value given by an expression is written in the template. A `settings` object passed
 * whole through a module parameter, or `configurationArguments` taken from a variable, is JSON
 * that the template holds somewhere else: this follows the expression to those nodes, so that the
 * evaluator can read one member of it alone and a rule can look inside it member by member and
 * point at the place to change.
 *
 * It follows `variables()`, `parameters()` (the value a nested deployment passes, else each of
 * `allowedValues`, else the default), member reads (`.b`, `['b']`, `tryGet(a, 'b')`),
 * `createObject()` read through a key, the branches of an `if()` that its condition allows, and
 * `coalesce()` up to its first argument that is surely not null. Anything else (a runtime
 * function, `union()`, a computed key, a parameter without a value) is opaque: it contributes no
 * node, and the answer is marked incomplete. A member that a written value lacks contributes no
 * node either; the answer records the miss.
 */
import type { AST } from "../json/types.js";
import { findProperty, isObject, isStringLiteral, keyEquals } from "../json/access.js";
import { parseStringNode } from "./cache.js";
import type { Expr } from "./parser.js";
import type { EvalScope, Value } from "./evaluate.js";

/** A path segment: a member name or an array index. */
export type Segment = string | number;

/** A `variables()` or `parameters()` read on the way to a written value. */
export interface Hop {
  kind: "variable" | "parameter";
  /** As declared. */
  name: string;
  /** A parameter a deployment may set, read where its default is written (see Provenance.inputs). */
  input?: boolean;
}

/** A JSON node that may hold the value, the scope its expressions evaluate in, and the reads on the way. */
export interface WrittenValue {
  node: AST.JSONExpression;
  scope: EvalScope;
  /** Every `variables()` and `parameters()` read crossed, in order (its values flow in). */
  crossed: readonly Hop[];
}

/** What a query found. */
export interface WrittenValues {
  values: WrittenValue[];
  /** False when some way the value may take was not followed (see the module comment). */
  complete: boolean;
  /** True when the budget ran out on the way (the answer is incomplete then). */
  exhausted: boolean;
  /**
   * One entry per member found missing: how many segments of the queried path were still to read,
   * the missing one included (a count above the path's length means a member read inside a
   * followed expression was missing).
   */
  misses: number[];
  /**
   * Every variable and parameter the answer depends on: those crossed on the way to each value and
   * to each miss, those of conditions that chose a branch, and those of `coalesce()` arguments
   * passed over. A value that depends on none of a template's free parameters is the same in every
   * deployment.
   */
  reads: Hop[];
}

/** Evaluates the condition of an `if()`. */
export type ConditionEvaluator = (expr: Expr, scope: EvalScope) => Value;

/**
 * Steps that queries may still take: share one between the queries of one piece of work (the
 * evaluator shares one per top-level evaluation, across the queries its conditions start), so that
 * nested queries cannot multiply each other's work.
 */
export interface Budget {
  steps: number;
}

const NO_HOPS: readonly Hop[] = Object.freeze([]);

/** Most lookups and calls one query follows (cycles and long chains end here, incomplete). */
const MAX_STEPS = 256;
/** Most nodes returned per query. */
const MAX_VALUES = 64;

/**
 * The nodes that may hold the value of `start` (a JSON value node or an expression) read through
 * `path`, evaluated in `scope`.
 */
export function writtenValues(
  start: AST.JSONExpression | Expr,
  scope: EvalScope,
  path: readonly Segment[],
  condition: ConditionEvaluator,
  budget: Budget = { steps: MAX_STEPS },
  { expressionLeaves = false, loop }: WrittenOptions = {},
): WrittenValues {
  const query = new Query(condition, budget, expressionLeaves);
  if (loop) query.enterLoop(loop.name, loop.input, null, scope);
  if (isJsonNode(start)) query.node(start, scope, path, NO_HOPS);
  else query.expr(start, scope, path, NO_HOPS);
  return query.result();
}

/** How a query treats what it cannot follow. */
export interface WrittenOptions {
  /**
   * When the whole path is read and the member is an expression that cannot be followed to JSON
   * (`"[toLower('2.9')]"`, `"[resourceGroup().location]"`), its string node is the value, rather
   * than the answer being incomplete: the evaluator reading one member evaluates that node.
   */
  expressionLeaves?: boolean;
  /**
   * The property copy loop whose `input` `start` is (`"copy": [{ "name": "extensions", "input":
   * "[variables('defs')[copyIndex('extensions')]]" }]`): its `copyIndex()` reads each element the
   * loop builds.
   */
  loop?: { name: string; input: AST.JSONExpression };
}

/** The path segment of every element of an array (see Query.loopElement). */
const ANY_ELEMENT = -1;

/** True for a JSON value node, false for an expression (a nested deployment may pass either). */
export function isJsonNode(target: AST.JSONExpression | Expr): target is AST.JSONExpression {
  return target.type.startsWith("JSON");
}

/**
 * A copy loop whose `input` is being read: the index of the element read (null for each element),
 * and its count when that is known and the same in every deployment.
 */
interface Loop {
  index: number | null;
  count: number | null;
}

/** One query's state. */
class Query {
  private readonly values: WrittenValue[] = [];
  private complete = true;
  private exhausted = false;
  private readonly misses: number[] = [];
  private readonly reads: Hop[] = [];
  private steps = 0;

  /**
   * @param loops The copy loops whose `input` is being read, by lower-case name (shared with the
   *   queries this one starts).
   */
  constructor(
    private readonly condition: ConditionEvaluator,
    private readonly budget: Budget,
    private readonly expressionLeaves = false,
    private readonly loops = new Map<string, Loop>(),
  ) {}

  /** A query for a part of this one's work: it shares the budget, the steps taken and the loops. */
  private sub(): Query {
    const query = new Query(this.condition, this.budget, false, this.loops);
    query.steps = this.steps;
    return query;
  }

  /** Adds a value found. */
  private push(value: WrittenValue): void {
    if (this.values.length >= MAX_VALUES) return this.opaque();
    this.values.push(value);
  }

  result(): WrittenValues {
    return { values: this.values, complete: this.complete, exhausted: this.exhausted, misses: this.misses, reads: this.reads };
  }

  /** Follows `path` into a JSON node; an expression string on the way is followed as an expression. */
  node(start: AST.JSONExpression, scope: EvalScope, path: readonly Segment[], crossed: readonly Hop[]): void {
    let node: AST.JSONExpression = start;
    for (let i = 0; ; i++) {
      if (node.type === "JSONLiteral" && typeof node.value === "string") {
        const parsed = parseStringNode(node);
        if (parsed.kind === "expression") {
          if (i === path.length && path.length > 0 && this.expressionLeaves) return this.leaf(node, parsed.expr, scope, crossed);
          return this.expr(parsed.expr, scope, path.slice(i), crossed);
        }
        if (parsed.kind === "error") return this.opaque();
      }
      if (i === path.length) return this.push({ node, scope, crossed });
      const segment = path[i]!;
      let next: AST.JSONExpression | null | undefined;
      if (isObject(node) && typeof segment === "string") {
        next = findProperty(node, segment)?.value;
        // A property copy loop may add the member.
        if (!next && findProperty(node, "copy")) return this.opaque();
      } else if (node.type === "JSONArrayExpression" && segment === ANY_ELEMENT) {
        for (const element of node.elements) if (element) this.node(element, scope, path.slice(i + 1), crossed);
        return;
      } else if (node.type === "JSONArrayExpression" && typeof segment === "number") {
        next = node.elements[segment];
      } else if (!(node.type === "JSONLiteral" && node.value === null)) {
        // A member of a string, number or boolean: an error at deployment, not a value.
        return this.opaque();
      }
      if (!next) {
        this.misses.push(path.length - i);
        return;
      }
      node = next;
    }
  }

  /**
   * The member read at the end of a path is an expression: followed where it leads, or, when it
   * cannot be followed all the way, the expression's own node.
   */
  private leaf(node: AST.JSONExpression, expr: Expr, scope: EvalScope, crossed: readonly Hop[]): void {
    const whole = this.sub();
    whole.expr(expr, scope, [], crossed);
    this.steps = whole.steps;
    if (whole.exhausted) this.exhausted = true;
    for (const hop of whole.reads) this.read(hop);
    if (!whole.complete) return this.push({ node, scope, crossed });
    this.misses.push(...whole.misses);
    for (const value of whole.values) this.push(value);
  }

  /** Follows an expression read through `path`. */
  expr(expr: Expr, scope: EvalScope, path: readonly Segment[], crossed: readonly Hop[]): void {
    if (++this.steps > MAX_STEPS) return this.opaque();
    if (--this.budget.steps < 0) {
      this.exhausted = true;
      return this.opaque();
    }
    if (expr.type === "Member") return this.expr(expr.object, scope, [expr.property, ...path], crossed);
    if (expr.type === "Index") {
      const index = expr.index;
      if (index.type === "String" || index.type === "Number") return this.expr(expr.object, scope, [index.value, ...path], crossed);
      return this.loopElement(expr.object, index, scope, path, crossed);
    }
    if (expr.type !== "Call" || expr.namespace !== null) return this.opaque();
    const args = expr.args;
    switch (expr.name.toLowerCase()) {
      case "parameters":
      case "variables":
        return this.lookup(expr, scope, path, crossed);
      case "tryget": {
        const keys: Segment[] = [];
        for (const key of args.slice(1)) {
          if (key.type !== "String" && key.type !== "Number") return this.opaque();
          keys.push(key.value);
        }
        if (!keys.length) return this.opaque();
        return this.expr(args[0]!, scope, [...keys, ...path], crossed);
      }
      case "createobject": {
        const first = path[0];
        if (typeof first !== "string" || args.length % 2 !== 0) return this.opaque();
        for (let i = args.length - 2; i >= 0; i -= 2) {
          const key = args[i]!;
          if (key.type !== "String") return this.opaque();
          if (keyEquals(key.value, first)) return this.expr(args[i + 1]!, scope, path.slice(1), crossed);
        }
        this.misses.push(path.length);
        return;
      }
      case "if": {
        if (args.length !== 3) return this.opaque();
        const condition = this.condition(args[0]!, scope);
        const known = condition.kind === "known" ? truth(condition.value) : null;
        this.readAll(condition);
        if (known !== false) this.expr(args[1]!, scope, path, crossed);
        if (known !== true) this.expr(args[2]!, scope, path, crossed);
        return;
      }
      case "coalesce":
        return this.coalesce(args, scope, path, crossed);
      case "null":
        if (args.length === 0) return;
        return this.opaque();
      default:
        return this.opaque();
    }
  }

  /**
   * `coalesce(a, b, ...)`: each argument in turn, until one that is surely not null. An argument
   * that is not followed ends it too: the later ones are fallbacks for a value that cannot be seen,
   * and taking them as the value would be a guess.
   */
  private coalesce(args: Expr[], scope: EvalScope, path: readonly Segment[], crossed: readonly Hop[]): void {
    for (const arg of args) {
      // Where the argument is written, read whole: only then is it known whether it is null.
      const whole = this.sub();
      whole.expr(arg, scope, [], crossed);
      this.steps = whole.steps;
      if (whole.exhausted) this.exhausted = true;
      for (const hop of whole.reads) this.read(hop);
      for (const value of whole.values) this.node(value.node, value.scope, path, value.crossed);
      if (!whole.complete) return this.opaque();
      if (whole.misses.length === 0 && whole.values.length > 0 && whole.values.every((v) => !isNullLiteral(v.node))) return;
    }
  }

  /** `parameters('x')` / `variables('x')` with a literal name. */
  private lookup(call: Extract<Expr, { type: "Call" }>, scope: EvalScope, path: readonly Segment[], crossed: readonly Hop[]): void {
    const arg = call.args[0];
    if (call.args.length !== 1 || arg?.type !== "String") return this.opaque();
    if (call.name.toLowerCase() === "variables") {
      const node = scope.variable(arg.value);
      if (!node) return this.copyElement(scope.variableCopy?.(arg.value), arg.value, scope, path, crossed);
      const hop: Hop = { kind: "variable", name: scope.variableName(arg.value) ?? arg.value };
      this.read(hop);
      return this.node(node, scope, path, [...crossed, hop]);
    }
    const decl = scope.parameter(arg.value);
    if (!decl) return this.opaque();
    const supplied = decl.supplied;
    const allowed = decl.fixedDefault ? undefined : decl.allowedValues;
    // Read from its default, a parameter a deployment may set is an input; its allowedValues are all its values.
    const input = decl.free === true && !supplied && allowed?.type !== "JSONArrayExpression";
    const hop: Hop = input ? { kind: "parameter", name: decl.name, input } : { kind: "parameter", name: decl.name };
    this.read(hop);
    const next: readonly Hop[] = [...crossed, hop];
    if (supplied?.node) return this.node(supplied.node, supplied.scope, path, next);
    if (supplied?.expr) return this.expr(supplied.expr, supplied.scope, path, next);
    if (allowed?.type === "JSONArrayExpression") {
      for (const element of allowed.elements) if (element) this.node(element, scope, path, next);
      return;
    }
    if (!decl.defaultValue) return this.opaque();
    this.node(decl.defaultValue, scope, path, next);
  }

  /**
   * A variable a copy loop builds: each element is its `input`. An element read (`[0]`) is the
   * input; the whole array is its elements, all written as that
   * input, which an answer can give only as one node for all (so it is marked incomplete).
   */
  private copyElement(input: AST.JSONExpression | undefined, name: string, scope: EvalScope, path: readonly Segment[], crossed: readonly Hop[]): void {
    if (!input) return this.opaque();
    const hop: Hop = { kind: "variable", name };
    this.read(hop);
    // Every element (a read of the whole variable, or of each element by an enclosing loop), or one.
    const index = path.length === 0 || path[0] === ANY_ELEMENT ? null : path[0];
    if (typeof index === "string") return this.opaque();
    if (index === null) this.complete = false;
    // The input may read another array at the loop's index (`variables('defs')[copyIndex('exts')]`).
    const exit = this.enterLoop(name, input, index, scope);
    try {
      if (exit) this.node(input, scope, path.slice(1), [...crossed, hop]);
    } finally {
      exit?.();
    }
  }

  /**
   * Enters copy loop `name` (its `input` node) to read element `index` (null: each element), and
   * returns what leaves it; null when the loop does not build that element (an error at deployment,
   * not a value).
   */
  enterLoop(name: string, input: AST.JSONExpression, index: number | null, scope: EvalScope): (() => void) | null {
    const key = name.toLowerCase();
    const count = this.loopCount(input, scope);
    if (index !== null && (index < 0 || (count !== null && index >= count))) return null;
    const outer = this.loops.get(key);
    this.loops.set(key, { index, count });
    return () => {
      if (outer) this.loops.set(key, outer);
      else this.loops.delete(key);
    };
  }

  /**
   * The `count` of the copy loop whose `input` is `input`, when it is a known whole number that is
   * the same in every deployment: a count from a parameter's default does not limit the elements a
   * deployment may reach. The variables and parameters it reads are reads of the answer.
   */
  private loopCount(input: AST.JSONExpression, scope: EvalScope): number | null {
    const loop = input.parent?.parent;
    const count = loop?.type === "JSONObjectExpression" ? findProperty(loop, "count")?.value : undefined;
    if (count?.type === "JSONLiteral" && typeof count.value === "number") return Number.isInteger(count.value) ? count.value : null;
    const parsed = count && isStringLiteral(count) ? parseStringNode(count) : null;
    if (parsed?.kind !== "expression") return null;
    const value = this.condition(parsed.expr, scope);
    this.readAll(value);
    return value.kind === "known" && typeof value.value === "number" && Number.isInteger(value.value) && value.prov.inputs.length === 0 ? value.value : null;
  }

  /**
   * `array[copyIndex('loop')]` inside the `input` of variable copy loop `loop` (see copyElement):
   * the element the loop's index reads (with `copyIndex('loop', offset)`, the index plus the
   * offset), or, for each element of the variable, the elements the loop's count reaches. Any other
   * index is known only at deployment.
   */
  private loopElement(array: Expr, index: Expr, scope: EvalScope, path: readonly Segment[], crossed: readonly Hop[]): void {
    const [name, offsetArg] = index.type === "Call" && index.namespace === null && index.name.toLowerCase() === "copyindex" ? index.args : [];
    const loop = name?.type === "String" ? this.loops.get(name.value.toLowerCase()) : undefined;
    const offset = offsetArg === undefined ? 0 : offsetArg.type === "Number" && Number.isInteger(offsetArg.value) ? offsetArg.value : null;
    if (!loop || offset === null || (index.type === "Call" && index.args.length > 2)) return this.opaque();
    if (loop.index !== null) return this.expr(array, scope, [loop.index + offset, ...path], crossed);
    if (loop.count === null) return offset === 0 ? this.expr(array, scope, [ANY_ELEMENT, ...path], crossed) : this.opaque();
    if (loop.count > MAX_VALUES) return this.opaque();
    for (let i = 0; i < loop.count; i++) this.expr(array, scope, [i + offset, ...path], crossed);
  }

  /** Records the variables and parameters an evaluated value depends on. */
  private readAll(value: Value): void {
    for (const name of value.prov.parameters) this.read({ kind: "parameter", name, input: value.prov.inputs.includes(name) });
    for (const name of value.prov.variables) this.read({ kind: "variable", name });
  }

  /** Records a variable or parameter the answer depends on (once). */
  private read(hop: Hop): void {
    const seen = this.reads.findIndex((r) => r.kind === hop.kind && r.name === hop.name);
    if (seen < 0) this.reads.push(hop);
    else if (hop.input && !this.reads[seen]!.input) this.reads[seen] = hop;
  }

  private opaque(): void {
    this.complete = false;
  }
}

/** True for a written `null`. */
function isNullLiteral(node: AST.JSONExpression): boolean {
  return node.type === "JSONLiteral" && node.value === null;
}

/** ARM's reading of a condition value: a boolean, or the strings "true" and "false" in any case. */
function truth(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const lower = value.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  return null;
}
