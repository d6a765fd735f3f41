/**
 * Partial evaluation of ARM template expressions with provenance.
 *
 * A value is `known`, a `choice` of several possible values, or `unknown` with a reason. Every
 * value carries the parameters, variables, functions and string literals that flowed into it, also
 * when the value itself is unknown (callers use that for taint tracking).
 *
 * Evaluation never throws and is bounded: a step budget per top-level call, a nesting-depth limit,
 * caps on combinations of choices and on the size of built strings/arrays. Hitting a bound gives
 * `unknown` with reason `tooComplex`.
 */
import type { AST } from "../json/types.js";
import type { Expr, ParsedString } from "./parser.js";
import { cachedJson, parseCached, parseStringNode } from "./cache.js";
import { walkExpr } from "./parser.js";
import { printExpr } from "./printer.js";
import { writtenValues, type Budget, type WrittenValues } from "./written.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Provenance {
  /** Declared parameter names that flow into the value, unique, in first-seen order. */
  parameters: readonly string[];
  /** Variable names (as declared) that flow into the value. */
  variables: readonly string[];
  /** Lower-case names of the functions called on the way (not `parameters`/`variables`). */
  functions: readonly string[];
  /** String literal pieces (expression string literals and plain JSON strings) that flow in. */
  literals: readonly string[];
  /**
   * Declared names of the parameters that flow in and that a deployment may set (see
   * ParameterDecl.free), as read from their defaults: a value without any is the same in every
   * deployment.
   */
  inputs: readonly string[];
  /**
   * Those of `inputs` whose default is `""`: a placeholder for a value every deployment passes
   * (names do not fold it into their text). Absent when there are none.
   */
  placeholders?: readonly string[];
}

export type UnknownReason =
  | { code: "parameterWithoutDefault"; name: string }
  | { code: "missingParameter"; name: string }
  | { code: "missingVariable"; name: string }
  /** A variable that a copy loop in `variables` builds (see EvalScope.variableCopy): its elements are not evaluated. */
  | { code: "copyVariable"; name: string }
  | { code: "runtimeFunction"; name: string }
  | { code: "cycle"; name: string }
  | { code: "malformed"; message: string }
  | { code: "tooComplex" }
  | { code: "unsupported"; name: string };

export type Value =
  | { kind: "known"; value: JsonValue; prov: Provenance }
  | { kind: "choice"; values: JsonValue[]; prov: Provenance }
  | { kind: "unknown"; reason: UnknownReason; prov: Provenance };

export interface ParameterDecl {
  /** As declared. */
  name: string;
  /** `"string"`, `"secureString"`, ... as written, or read from the user-defined type `typeRef` names; null when unknown. */
  type: string | null;
  /** The `$ref` of a parameter declared with a user-defined type (Bicep's `"$ref": "#/definitions/X"`), which `type` comes from. */
  typeRef?: AST.JSONProperty;
  defaultValue?: AST.JSONExpression;
  allowedValues?: AST.JSONExpression;
  /**
   * Value passed in (nested deployment), evaluated in its own scope; wins over the default. A JSON
   * node (`{ "value": <node> }`), or an expression when the deployment passes the parameter's
   * object as one (`[createObject('value', ...)]`).
   */
  supplied?: SuppliedValue;
  /**
   * True when no deployment can set the parameter, so its default is its value even when it has
   * `allowedValues`: a parameter of an inner-scoped nested template that its deployment passes
   * nothing for.
   */
  fixedDefault?: boolean;
  /** True when the declaration says `"nullable": true` (Bicep's `param x string?`). */
  nullable?: boolean;
  /**
   * True for a nullable parameter without a default that no deployment can set (see
   * `fixedDefault`): ARM gives it the value null.
   */
  absentIsNull?: boolean;
  /**
   * True when a deployment may set the parameter: one of the root template, or of a nested
   * template whose deployment links a parameters file and does not pass it. Its default is then
   * only one of its values (its literal `allowedValues`, when given, are all of them).
   */
  free?: boolean;
  /** True for a parameter of a user-defined function, whose value is the call's argument. */
  argument?: boolean;
}

/** A value a nested deployment passes for a parameter, and the scope it is evaluated in. */
export type SuppliedValue = { scope: EvalScope } & ({ node: AST.JSONExpression; expr?: undefined } | { expr: Expr; node?: undefined });

export interface EvalScope {
  /** Case-insensitive lookup. */
  parameter(name: string): ParameterDecl | undefined;
  /** Case-insensitive lookup. */
  variable(name: string): AST.JSONExpression | undefined;
  /** Declared spelling of a variable name. */
  variableName(name: string): string | undefined;
  /**
   * The `input` of a variable a copy loop builds (`"copy": [{ "name": "exts", "count": 2, "input":
   * {...} }]`, as Bicep writes `var exts = [for ...]`): every element is that input, with
   * `copyIndex('exts')` for its index. Undefined for other names.
   */
  variableCopy?(name: string): AST.JSONExpression | undefined;
  /**
   * A user-defined function of the template (`"functions": [{ "namespace", "members" }]`, as Bicep
   * writes `func`): its parameter names, in order, and its output value. Case-insensitive.
   */
  userFunction?(namespace: string, name: string): UserFunction | undefined;
  /**
   * The scope whose variables (and functions) this one reads, where they are evaluated: a user-defined
   * function's is the template's (see functionScope). Undefined for a template's own scope.
   */
  readonly home?: EvalScope;
  /** Memo owned by the scope; the evaluator stores variable and parameter results here. */
  readonly cache: Map<unknown, Value>;
}

/** A user-defined function: its parameters' names and types, in order, and its output value. */
export interface UserFunction {
  parameters: { name: string; type: string | null }[];
  output: AST.JSONExpression;
}

/**
 * The scope a user-defined function's output is evaluated in: its parameters take the arguments of
 * the call (`args`), evaluated where the call is (`caller`). Its parameters are marked `argument`.
 * ARM's documentation gives a function no variables and no other functions, but Bicep compiles
 * functions that read imported variables (`variables('_1.images')`) and call other functions: the
 * evaluator reads both in the template's scope (EvalScope.home); the other readers of this scope
 * find no variables in it.
 */
export function functionScope(fn: UserFunction, args: Expr[], caller: EvalScope): EvalScope {
  // One scope per function and argument text where it is called: the memos kept per scope (the
  // evaluator's, the secret flow's) then serve every such call, and a function that calls another
  // twice (`concat(ns.f(x), ns.f(x))`) costs one evaluation per level, not one per path.
  let byFunction = FUNCTION_SCOPES.get(caller);
  if (!byFunction) FUNCTION_SCOPES.set(caller, (byFunction = new Map()));
  let byArgs = byFunction.get(fn);
  if (!byArgs) byFunction.set(fn, (byArgs = new Map()));
  const key = args.map(printExpr).join("\u0000");
  let scope = byArgs.get(key);
  if (!scope) byArgs.set(key, (scope = new FunctionScope(fn, args, caller)));
  return scope;
}

const FUNCTION_SCOPES = new WeakMap<EvalScope, Map<UserFunction, Map<string, EvalScope>>>();

class FunctionScope implements EvalScope {
  readonly cache = new Map<unknown, Value>();
  readonly home: EvalScope;
  /** How many function calls deep this scope is (1 for a call written in the template). */
  private readonly depth: number;
  private readonly decls = new Map<string, ParameterDecl>();

  constructor(fn: UserFunction, args: Expr[], caller: EvalScope) {
    this.home = caller.home ?? caller;
    this.depth = caller instanceof FunctionScope ? caller.depth + 1 : 1;
    fn.parameters.forEach((p, i) => this.decls.set(p.name.toLowerCase(), { name: p.name, type: p.type, supplied: { expr: args[i]!, scope: caller }, argument: true }));
  }

  /** The template's functions, but none past MAX_FUNCTION_DEPTH calls deep: a call there is left to deployment. */
  userFunction(namespace: string, name: string): UserFunction | undefined {
    return this.depth < MAX_FUNCTION_DEPTH ? this.home.userFunction?.(namespace, name) : undefined;
  }

  parameter(name: string): ParameterDecl | undefined {
    return this.decls.get(name.toLowerCase());
  }

  variable(): undefined {
    return undefined;
  }

  variableName(): undefined {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Limits

/** Most user-defined function calls followed inside one another (each call is one more scope to evaluate in). */
const MAX_FUNCTION_DEPTH = 16;

/** Work budget per top-level evaluation. */
const MAX_STEPS = 200_000;
/** Nesting depth (expressions, JSON nodes, variable/parameter hops) per top-level evaluation. */
const MAX_DEPTH = 400;
/** Maximum number of combinations of `choice` inputs a function is applied to. */
const MAX_COMBINATIONS = 32;
/** Maximum number of values of a `choice`. */
const MAX_CHOICES = 256;
/** Maximum length of a string the evaluator builds. */
const MAX_STRING_LENGTH = 32 * 1024 * 1024;
/** Maximum length of an array the evaluator builds. */
const MAX_ARRAY_LENGTH = 100_000;
/** Maximum number of nodes of a value that is serialised, compared or hashed. */
const MAX_VALUE_NODES = 100_000;
/** Maximum nesting of a value that is serialised, compared or hashed. */
const MAX_VALUE_DEPTH = 1_000;
const MAX_LITERALS = 64;
const MAX_NAMES = 256;

// ---------------------------------------------------------------------------------------------
// Provenance

const NONE: readonly string[] = Object.freeze([]);
const EMPTY_PROVENANCE: Provenance = Object.freeze({ parameters: NONE, variables: NONE, functions: NONE, literals: NONE, inputs: NONE });

/** The provenance of a value nothing flows into: one shared, frozen object (provenance is never mutated). */
export function emptyProvenance(): Provenance {
  return EMPTY_PROVENANCE;
}

/** Up to this many names, a list checks membership by scanning itself: cheaper than a Set. */
const SCAN_LIMIT = 16;

/**
 * One kind of provenance (parameter names, say) as it is collected: nothing yet, one source's list
 * taken over as it is (lists are never mutated, so values share them), or a list of its own once
 * two sources have contributed. Most values take their provenance from one argument and copy
 * nothing; most merged lists hold a handful of names, so membership is a scan of the list, and a
 * Set only indexes a long one. {@link list} hands the list over: a builder is done after `build`.
 */
class NameList {
  private shared: readonly string[] | null = null;
  private own: string[] | null = null;
  private index: Set<string> | null = null;

  constructor(private readonly cap: number) {}

  /** Adds a finished list (already de-duplicated and within the cap). */
  addList(items: readonly string[]): void {
    if (items.length === 0 || this.shared === items) return;
    if (this.own === null && this.shared === null) {
      this.shared = items;
      return;
    }
    const own = this.toOwn();
    for (let i = 0; i < items.length && own.length < this.cap; i++) this.push(own, items[i]!);
  }

  /** Adds one name. */
  addOne(item: string): void {
    if (this.own === null && this.shared === null) {
      // The first name: a one-element array (a pushed-to empty array reserves room for 17).
      this.own = [item];
      return;
    }
    const own = this.toOwn();
    if (own.length < this.cap) this.push(own, item);
  }

  /** The collected names in first-seen order. */
  list(): readonly string[] {
    return this.own ?? this.shared ?? NONE;
  }

  private toOwn(): string[] {
    if (this.own === null) {
      this.own = this.shared === null ? [] : this.shared.slice();
      if (this.own.length > SCAN_LIMIT) this.index = new Set(this.own);
      this.shared = null;
    }
    return this.own;
  }

  /** Appends `item` unless present. */
  private push(own: string[], item: string): void {
    if (this.index !== null) {
      if (this.index.has(item)) return;
      this.index.add(item);
    } else if (own.includes(item)) {
      return;
    }
    own.push(item);
    if (this.index === null && own.length > SCAN_LIMIT) this.index = new Set(own);
  }
}

/** Collects provenance; each kind's list is created on first use (most values carry one kind or none). */
class ProvBuilder {
  private parameters: NameList | null = null;
  private variables: NameList | null = null;
  private functions: NameList | null = null;
  private literals: NameList | null = null;
  private inputs: NameList | null = null;
  private placeholders: NameList | null = null;
  /** The provenance added when it is the only input so far (then `build` returns it as is). */
  private only: Provenance | null = null;
  private mixed = false;

  add(prov: Provenance): this {
    if (prov === EMPTY_PROVENANCE || prov === this.only) return this;
    if (!this.mixed && this.only === null) {
      this.only = prov;
      return this;
    }
    this.mix();
    this.addLists(prov);
    return this;
  }

  parameter(name: string): this {
    this.mix();
    (this.parameters ??= new NameList(MAX_NAMES)).addOne(name);
    return this;
  }

  variable(name: string): this {
    this.mix();
    (this.variables ??= new NameList(MAX_NAMES)).addOne(name);
    return this;
  }

  fn(name: string): this {
    this.mix();
    (this.functions ??= new NameList(MAX_NAMES)).addOne(name);
    return this;
  }

  input(name: string): this {
    this.mix();
    (this.inputs ??= new NameList(MAX_NAMES)).addOne(name);
    return this;
  }

  placeholder(name: string): this {
    this.mix();
    (this.placeholders ??= new NameList(MAX_NAMES)).addOne(name);
    return this;
  }

  literal(value: string): this {
    if (value === "") return this;
    this.mix();
    (this.literals ??= new NameList(MAX_LITERALS)).addOne(value);
    return this;
  }

  build(): Provenance {
    if (!this.mixed) return this.only ?? EMPTY_PROVENANCE;
    const parameters = this.parameters?.list() ?? NONE;
    const variables = this.variables?.list() ?? NONE;
    const functions = this.functions?.list() ?? NONE;
    const literals = this.literals?.list() ?? NONE;
    const inputs = this.inputs?.list() ?? NONE;
    if (parameters.length + variables.length + functions.length + literals.length === 0) return EMPTY_PROVENANCE;
    const placeholders = this.placeholders?.list();
    return placeholders ? { parameters, variables, functions, literals, inputs, placeholders } : { parameters, variables, functions, literals, inputs };
  }

  /** Leaves the one-input shortcut: the input so far becomes the start of the lists. */
  private mix(): void {
    if (this.mixed) return;
    this.mixed = true;
    if (this.only !== null) this.addLists(this.only);
    this.only = null;
  }

  private addLists(prov: Provenance): void {
    if (prov.parameters.length > 0) (this.parameters ??= new NameList(MAX_NAMES)).addList(prov.parameters);
    if (prov.variables.length > 0) (this.variables ??= new NameList(MAX_NAMES)).addList(prov.variables);
    if (prov.functions.length > 0) (this.functions ??= new NameList(MAX_NAMES)).addList(prov.functions);
    if (prov.literals.length > 0) (this.literals ??= new NameList(MAX_LITERALS)).addList(prov.literals);
    if (prov.inputs.length > 0) (this.inputs ??= new NameList(MAX_NAMES)).addList(prov.inputs);
    if (prov.placeholders) (this.placeholders ??= new NameList(MAX_NAMES)).addList(prov.placeholders);
  }
}

/** The provenance of a string literal (what `new ProvBuilder().literal(value).build()` gives). */
function literalProvenance(value: string): Provenance {
  return value === "" ? EMPTY_PROVENANCE : { parameters: NONE, variables: NONE, functions: NONE, literals: [value], inputs: NONE };
}

// ---------------------------------------------------------------------------------------------
// Value helpers

function known(value: JsonValue, prov: Provenance): Value {
  return { kind: "known", value, prov };
}

function unknown(reason: UnknownReason, prov: Provenance): Value {
  return { kind: "unknown", reason, prov };
}

const TOO_COMPLEX: UnknownReason = { code: "tooComplex" };

function malformed(message: string): UnknownReason {
  return { code: "malformed", message };
}

function withProv(value: Value, prov: Provenance): Value {
  switch (value.kind) {
    case "known":
      return { kind: "known", value: value.value, prov };
    case "choice":
      return { kind: "choice", values: value.values, prov };
    case "unknown":
      return { kind: "unknown", reason: value.reason, prov };
  }
}

function isObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Sets an own enumerable property (also for `__proto__`). */
function setProp(obj: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Objects with more keys than this get an index of their names for lookups in another case. */
const NAME_SCAN_LIMIT = 16;
/** Per wide object, each lower-case name and its first spelling (values are never mutated). */
const NAME_INDEXES = new WeakMap<object, Map<string, string>>();

/** Case-insensitive property lookup (exact spelling first; the first of several spellings). */
function getProp(obj: { [key: string]: JsonValue }, key: string): JsonValue | undefined {
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  let index = NAME_INDEXES.get(obj);
  if (!index) {
    const keys = Object.keys(obj);
    if (keys.length <= NAME_SCAN_LIMIT) {
      for (const k of keys) if (k.toLowerCase() === lower) return obj[k];
      return undefined;
    }
    index = new Map();
    for (const k of keys) {
      const name = k.toLowerCase();
      if (!index.has(name)) index.set(name, k);
    }
    NAME_INDEXES.set(obj, index);
  }
  const spelled = index.get(lower);
  return spelled === undefined ? undefined : obj[spelled];
}

/**
 * Number of nodes of a value (counting shared sub-values every time they occur), or -1 when it
 * exceeds `limit` nodes or {@link MAX_VALUE_DEPTH} levels. Iterative.
 */
function measure(value: JsonValue, limit = MAX_VALUE_NODES): number {
  let count = 0;
  const stack: { v: JsonValue; d: number }[] = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (++count > limit || d > MAX_VALUE_DEPTH) return -1;
    if (Array.isArray(v)) {
      for (const item of v) stack.push({ v: item, d: d + 1 });
    } else if (isObject(v)) {
      for (const key of Object.keys(v)) stack.push({ v: v[key]!, d: d + 1 });
    }
  }
  return count;
}

/** Deep equality (object keys compared exactly, in any order). Values must be measured first. */
function deepEqual(a: JsonValue, b: JsonValue): boolean {
  const stack: [JsonValue, JsonValue][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      return false;
    }
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i]!, y[i]!]);
      continue;
    }
    if (isObject(x)) {
      if (!isObject(y)) return false;
      const kx = Object.keys(x);
      if (kx.length !== Object.keys(y).length) return false;
      for (const k of kx) {
        if (!Object.hasOwn(y, k)) return false;
        stack.push([x[k]!, y[k]!]);
      }
      continue;
    }
    return false;
  }
  return true;
}

/** A key identifying a value for deduplication, or null when the value is too large. */
function valueKey(value: JsonValue): string | null {
  if (typeof value === "string") return `s${value}`;
  if (value === null || typeof value !== "object") return `p${String(value)}`;
  if (measure(value) < 0) return null;
  return `j${JSON.stringify(value)}`;
}

/** Deduplicated values as `known` (one value) or `choice`; tooComplex when too many or too large. */
function choiceOf(values: JsonValue[], prov: Provenance): Value {
  const seen = new Set<string>();
  const out: JsonValue[] = [];
  for (const v of values) {
    const key = valueKey(v);
    if (key === null) return unknown(TOO_COMPLEX, prov);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
    if (out.length > MAX_CHOICES) return unknown(TOO_COMPLEX, prov);
  }
  if (out.length === 1) return known(out[0]!, prov);
  if (out.length === 0) return unknown({ code: "unsupported", name: "choice" }, prov);
  return { kind: "choice", values: out, prov };
}

/** The union of several possible values; unknown if any of them is unknown. */
function unionValues(values: Value[], prov: Provenance): Value {
  const all: JsonValue[] = [];
  for (const v of values) {
    if (v.kind === "unknown") return unknown(v.reason, prov);
    if (v.kind === "known") all.push(v.value);
    else all.push(...v.values);
  }
  return choiceOf(all, prov);
}

// ---------------------------------------------------------------------------------------------
// Evaluation context

interface Ctx {
  steps: number;
  depth: number;
  /** Variable nodes / parameter keys being evaluated (cycle detection). */
  /** Created by the first variable or parameter lookup (most evaluations never make one). */
  inProgress: Set<object> | null;
  /** Incremented whenever a budget is exhausted; results computed meanwhile are not cached. */
  budgetHits: number;
  /** Incremented whenever a cycle is hit; results computed meanwhile are not cached. */
  cycleHits: number;
  /** The steps left to the queries of written.ts this evaluation starts (created on first use). */
  written: Budget | null;
  /** The values of the lambda variables in scope (lower-case names), inside a lambda's body. */
  lambdas: Map<string, JsonValue> | null;
}

/** Steps of written.ts queries per top-level evaluation: nested queries share them. */
const MAX_WRITTEN_STEPS = 4096;

let activeCtx: Ctx | null = null;

/**
 * Runs `body(subject, scope, ctx)` as a top-level evaluation (or joins the one in progress),
 * turning any exception into a value. The subject is passed through rather than captured, so an
 * evaluation allocates no closure.
 */
function run<T>(body: (subject: T, scope: EvalScope, ctx: Ctx) => Value, subject: T, scope: EvalScope): Value {
  if (activeCtx !== null) return body(subject, scope, activeCtx);
  const ctx: Ctx = { steps: 0, depth: 0, inProgress: null, budgetHits: 0, cycleHits: 0, written: null, lambdas: null };
  activeCtx = ctx;
  try {
    return body(subject, scope, ctx);
  } catch (error) {
    if (error instanceof RangeError) return unknown(TOO_COMPLEX, emptyProvenance());
    return unknown(malformed(`evaluation failed: ${error instanceof Error ? error.message : String(error)}`), emptyProvenance());
  } finally {
    activeCtx = null;
  }
}

/** Counts a step and enters one nesting level; false (and a budget hit) when a limit is reached. */
function enter(ctx: Ctx): boolean {
  ctx.steps++;
  if (ctx.steps > MAX_STEPS || ctx.depth >= MAX_DEPTH) {
    ctx.budgetHits++;
    return false;
  }
  ctx.depth++;
  return true;
}

function leave(ctx: Ctx): void {
  ctx.depth--;
}

/** Charges work proportional to the length of processed text. */
function charge(ctx: Ctx, length: number): void {
  ctx.steps += length >>> 10;
}

/** Distinct cache keys for parameter results, derived from the node they are keyed by. */
const parameterKeys = new WeakMap<object, object>();

function parameterKey(node: object): object {
  let key = parameterKeys.get(node);
  if (key === undefined) {
    key = { parameterOf: node };
    parameterKeys.set(node, key);
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// Public entry points

/** Evaluates a JSON string value of a template: a literal or an expression. */
export function evaluateString(value: string, scope: EvalScope): Value {
  return run(evalString, value, scope);
}

/** Evaluates any JSON value node; objects and arrays member-wise, strings via {@link evaluateString}. */
export function evaluateNode(node: AST.JSONExpression, scope: EvalScope): Value {
  return run(evalNode, node, scope);
}

/** Evaluates a parsed expression. */
export function evaluateExpr(expr: Expr, scope: EvalScope): Value {
  return run(evalExpr, expr, scope);
}

// ---------------------------------------------------------------------------------------------
// JSON nodes

function evalString(value: string, scope: EvalScope, ctx: Ctx): Value {
  return evalParsed(parseCached(value), scope, ctx);
}

/** Evaluates an already parsed template string. */
function evalParsed(parsed: ParsedString, scope: EvalScope, ctx: Ctx): Value {
  switch (parsed.kind) {
    case "literal":
      return known(parsed.value, literalProvenance(parsed.value));
    case "expression":
      return evalExpr(parsed.expr, scope, ctx);
    case "error":
      return unknown(malformed(`${parsed.message} at offset ${parsed.offset}`), emptyProvenance());
  }
}

function evalNode(node: AST.JSONExpression, scope: EvalScope, ctx: Ctx): Value {
  if (!enter(ctx)) return unknown(TOO_COMPLEX, emptyProvenance());
  try {
    switch (node.type) {
      case "JSONLiteral":
        if (typeof node.value === "string") return evalParsed(parseStringNode(node), scope, ctx);
        if (typeof node.value === "number") {
          return Number.isFinite(node.value) ? known(node.value, emptyProvenance()) : unknown(malformed("number out of range"), emptyProvenance());
        }
        if (typeof node.value === "boolean" || (node.value === null && node.regex == null && node.bigint == null)) {
          return known(node.value, emptyProvenance());
        }
        return unknown(malformed(`unsupported JSON literal ${node.raw}`), emptyProvenance());
      case "JSONUnaryExpression": {
        const arg = node.argument;
        if (arg.type === "JSONLiteral" && typeof arg.value === "number") {
          return known(node.operator === "-" ? -arg.value : arg.value, emptyProvenance());
        }
        return unknown(malformed("unsupported JSON number"), emptyProvenance());
      }
      case "JSONTemplateLiteral":
        return evalParsed(parseStringNode(node), scope, ctx);
      case "JSONArrayExpression":
        return evalArray(node, scope, ctx);
      case "JSONObjectExpression":
        return evalObject(node, scope, ctx);
      default:
        return unknown(malformed(`unsupported JSON value ${node.type}`), emptyProvenance());
    }
  } finally {
    leave(ctx);
  }
}

function evalArray(node: AST.JSONArrayExpression, scope: EvalScope, ctx: Ctx): Value {
  const items: Value[] = [];
  const prov = new ProvBuilder();
  for (const element of node.elements) {
    const v = element === null ? known(null, emptyProvenance()) : evalNode(element, scope, ctx);
    prov.add(v.prov);
    items.push(v);
  }
  return combine(items, prov.build(), ctx, (values) => ok(values));
}

function propertyKey(prop: AST.JSONProperty): string {
  const key = prop.key;
  if (key.type === "JSONIdentifier") return key.name;
  return String(key.value);
}

function evalObject(node: AST.JSONObjectExpression, scope: EvalScope, ctx: Ctx): Value {
  const keys: string[] = [];
  const items: Value[] = [];
  const prov = new ProvBuilder();
  let copyLoop = false;
  for (const prop of node.properties) {
    const key = propertyKey(prop);
    if (key.toLowerCase() === "copy" && prop.value.type === "JSONArrayExpression") copyLoop = true;
    const v = evalNode(prop.value, scope, ctx);
    prov.add(v.prov);
    keys.push(key);
    items.push(v);
  }
  if (copyLoop) return unknown({ code: "unsupported", name: "copy" }, prov.build());
  return combine(items, prov.build(), ctx, (values) => {
    const obj: { [key: string]: JsonValue } = {};
    for (let i = 0; i < keys.length; i++) setProp(obj, keys[i]!, values[i]!);
    return ok(obj);
  });
}

// ---------------------------------------------------------------------------------------------
// Expressions

type Outcome = { ok: true; value: JsonValue } | { ok: false; reason: UnknownReason };

function ok(value: JsonValue): Outcome {
  return { ok: true, value };
}

function fail(message: string): Outcome {
  return { ok: false, reason: malformed(message) };
}

function cannot(name: string): Outcome {
  return { ok: false, reason: { code: "unsupported", name } };
}

const TOO_COMPLEX_OUTCOME: Outcome = { ok: false, reason: TOO_COMPLEX };

/** `fn(values)`, counted as a step; a built string over the size limit is tooComplex. */
function apply(fn: (values: JsonValue[]) => Outcome, values: JsonValue[], ctx: Ctx): Outcome {
  const outcome = fn(values);
  ctx.steps++;
  if (outcome.ok && typeof outcome.value === "string") {
    if (outcome.value.length > MAX_STRING_LENGTH) return TOO_COMPLEX_OUTCOME;
    charge(ctx, outcome.value.length);
  }
  return outcome;
}

/**
 * Applies `fn` to every combination of the possible values of `args`. Unknown inputs make the
 * result unknown (with the first unknown input's reason); more than {@link MAX_COMBINATIONS}
 * combinations give tooComplex. A combination that fails (a missing member, a wrong type) is left
 * out when others succeed, as ARM evaluates only the one a deployment takes; when all fail, the
 * first failure is the reason.
 */
function combine(args: Value[], prov: Provenance, ctx: Ctx, fn: (values: JsonValue[]) => Outcome): Value {
  let total = 1;
  let choices = false;
  for (const a of args) {
    if (a.kind === "unknown") return unknown(a.reason, prov);
  }
  for (const a of args) {
    if (a.kind === "choice") {
      choices = true;
      total *= a.values.length;
      if (total > MAX_COMBINATIONS) return unknown(TOO_COMPLEX, prov);
    }
  }
  if (!choices) {
    // Every input is known (the common case): one application, no odometer.
    const values = new Array<JsonValue>(args.length);
    for (let i = 0; i < args.length; i++) values[i] = (args[i] as { value: JsonValue }).value;
    const outcome = apply(fn, values, ctx);
    return outcome.ok ? known(outcome.value, prov) : unknown(outcome.reason, prov);
  }
  const indexes = new Array<number>(args.length).fill(0);
  const results: JsonValue[] = [];
  let failure: UnknownReason | null = null;
  for (let c = 0; c < total; c++) {
    const values = new Array<JsonValue>(args.length);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      values[i] = a.kind === "known" ? a.value : (a as { values: JsonValue[] }).values[indexes[i]!]!;
    }
    const outcome = apply(fn, values, ctx);
    // A combination that fails is a deployment that fails there: the others are what deploys.
    if (outcome.ok) results.push(outcome.value);
    else if (outcome.reason.code !== "malformed") return unknown(outcome.reason, prov);
    else failure ??= outcome.reason;
    // Odometer over the choice inputs.
    for (let i = args.length - 1; i >= 0; i--) {
      const a = args[i]!;
      if (a.kind !== "choice") continue;
      if (++indexes[i]! < a.values.length) break;
      indexes[i] = 0;
    }
  }
  if (failure && results.length === 0) return unknown(failure, prov);
  return choiceOf(results, prov);
}

function evalExpr(expr: Expr, scope: EvalScope, ctx: Ctx): Value {
  if (!enter(ctx)) return unknown(TOO_COMPLEX, emptyProvenance());
  try {
    switch (expr.type) {
      case "String":
        return known(expr.value, literalProvenance(expr.value));
      case "Number":
        return Number.isFinite(expr.value)
          ? known(expr.value, emptyProvenance())
          : unknown(malformed(`number ${expr.raw} is out of range`), emptyProvenance());
      case "Identifier":
        return unknown(malformed(`unexpected identifier '${expr.name}'`), emptyProvenance());
      case "Call":
        return evalCall(expr, scope, ctx);
      case "Member": {
        const written = evalWrittenMember(expr, scope, ctx) ?? evalBuiltMember(expr, scope, ctx) ?? evalIndirectMember(expr, scope, ctx);
        if (written !== null) return written;
        const object = evalExpr(expr.object, scope, ctx);
        const property = expr.property;
        return combine([object], object.prov, ctx, ([v]) => member(v!, property));
      }
      case "Index": {
        const written = evalWrittenMember(expr, scope, ctx) ?? evalBuiltMember(expr, scope, ctx) ?? evalIndirectMember(expr, scope, ctx);
        if (written !== null) return written;
        const object = evalExpr(expr.object, scope, ctx);
        const index = evalExpr(expr.index, scope, ctx);
        const prov = new ProvBuilder().add(object.prov).add(index.prov).build();
        if (index.kind === "unknown" && DEPLOYMENT_ONLY.has(index.reason.code)) {
          const any = anyElement(object, prov);
          if (any) return any;
        }
        return combine([object, index], prov, ctx, ([o, i]) => indexValue(o!, i!));
      }
    }
  } finally {
    leave(ctx);
  }
}

/**
 * A member read of a variable or parameter whose value is written out in the template
 * (`variables('cfg').typeHandlerVersion`, `parameters('names')[0]`, Bicep's
 * `tryGet(parameters('cfg'), 'settings')`), also where the value is passed on through other
 * variables, parameters and modules' callers (see written.ts): the written member alone, evaluated
 * where it is written, so that another member that is only known at deployment (a `newGuid()`
 * default, a secure parameter without one) does not make this one unknown, and the provenance
 * names the variable or parameter read. For `tryGet`, a key that the written value lacks reads
 * as null, as it does at deployment. Null when the read does not reach one written member (a
 * computed index, a value built by a function, a parameter limited to `allowedValues`): the
 * caller then evaluates the whole value.
 */
function evalWrittenMember(expr: Expr, scope: EvalScope, ctx: Ctx): Value | null {
  // The chain's segments and which of them are tryGet keys (a missing one reads as null), outermost first.
  const path: (string | number)[] = [];
  const tolerant: boolean[] = [];
  let base: Expr = expr;
  for (;;) {
    if (base.type === "Member") {
      path.push(base.property);
      tolerant.push(false);
      base = base.object;
    } else if (base.type === "Index") {
      if (base.index.type !== "String" && base.index.type !== "Number") return null;
      path.push(base.index.value);
      tolerant.push(false);
      base = base.object;
    } else {
      const call = tryGetCall(base);
      if (!call) break;
      for (let i = call.args.length - 1; i >= 1; i--) {
        const key = call.args[i]!;
        if (key.type !== "String" && key.type !== "Number") return null;
        path.push(key.value);
        tolerant.push(true);
      }
      base = call.args[0]!;
    }
  }
  // Each read of a longer chain would nest one evaluation deeper than the limit allows.
  if (path.length > MAX_DEPTH) return unknown(TOO_COMPLEX, emptyProvenance());
  if (base.type !== "Call" || base.namespace !== null || base.args.length !== 1 || base.args[0]!.type !== "String") return null;
  const name = base.args[0].value;
  const lookup = base.name.toLowerCase();
  if (lookup !== "variables" && lookup !== "parameters") return null;
  path.reverse();
  tolerant.reverse();
  const found = writtenIn(base, scope, path, ctx);
  if (!found.complete) return null;
  // Everything the answer depends on flows in (a module caller's parameter, a condition's), first the lookup itself.
  const prov = new ProvBuilder();
  for (const hop of found.reads) {
    if (hop.kind === "variable") prov.variable(hop.name);
    else prov.parameter(hop.name);
    if (hop.input) prov.input(hop.name);
  }
  const [written] = found.values;
  if (found.values.length === 0 && found.misses.length === 1) {
    // Missing (or read on null): null when this and every later segment are tryGet keys, as at deployment.
    const remaining = found.misses[0]!;
    return remaining <= path.length && tolerant.slice(path.length - remaining).every(Boolean) ? known(null, prov.build()) : null;
  }
  if (found.values.length !== 1 || found.misses.length > 0 || !written) return null;
  const node = written.node;
  if (ctx.inProgress?.has(node)) {
    ctx.cycleHits++;
    return unknown({ code: "cycle", name }, prov.build());
  }
  const inProgress = (ctx.inProgress ??= new Set());
  inProgress.add(node);
  try {
    const value = evalNode(node, written.scope, ctx);
    return withProv(value, prov.add(value.prov).build());
  } finally {
    inProgress.delete(node);
  }
}

/**
 * A member read of an object built in place by `createObject()` (`createObject('v', '2.9', 'loc',
 * resourceGroup().location).v`): the member's own argument, read on through the rest of the chain,
 * so that another member known only at deployment does not make this one unknown. Null when the
 * chain does not start at such a call with a literal key.
 */
function evalBuiltMember(expr: Extract<Expr, { type: "Member" | "Index" }>, scope: EvalScope, ctx: Ctx): Value | null {
  const steps: Extract<Expr, { type: "Member" | "Index" }>[] = [];
  let base: Expr = expr;
  while (base.type === "Member" || base.type === "Index") {
    steps.push(base);
    base = base.object;
  }
  if (steps.length > MAX_DEPTH) return unknown(TOO_COMPLEX, emptyProvenance());
  if (base.type !== "Call" || base.namespace !== null) return null;
  const first = steps[steps.length - 1]!;
  const key = first.type === "Member" ? first.property : first.index.type === "String" ? first.index.value : null;
  if (key === null) return null;
  const picked = builtMember(base, key.toLowerCase(), scope);
  if (!picked) return null;
  let rebuilt: Expr = picked;
  for (let j = steps.length - 2; j >= 0; j--) rebuilt = { ...steps[j]!, object: rebuilt };
  return evalExpr(rebuilt, scope, ctx);
}

/**
 * The expression that gives member `key` (lower case) of an object a call builds: `createObject`
 * (the last value of that key), and the objects Bicep merges for a spread, `shallowMerge(createArray(a,
 * b))` (the last object that has the key) and `union(a, b)` (the one object that has it: union
 * merges the values of a key several objects have). Each merged object must be a
 * `createObject` or a variable written out as an object, whose keys are known. Undefined when the
 * member cannot be picked so; a `missing` object read (no object has the key) is undefined too.
 */
function builtMember(call: Extract<Expr, { type: "Call" }>, key: string, scope: EvalScope): Expr | undefined {
  const name = call.name.toLowerCase();
  if (name === "createobject") {
    if (call.args.length % 2 !== 0) return undefined;
    for (let i = call.args.length - 2; i >= 0; i -= 2) {
      const k = call.args[i]!;
      if (k.type !== "String") return undefined;
      if (k.value.toLowerCase() === key) return call.args[i + 1];
    }
    return undefined;
  }
  const inner = call.args[0];
  const merged =
    name === "union" ? call.args : name === "shallowmerge" && call.args.length === 1 && inner?.type === "Call" && inner.name.toLowerCase() === "createarray" ? inner.args : null;
  if (!merged) return undefined;
  const having: Expr[] = [];
  for (const object of merged) {
    const has = objectHasKey(object, key, scope);
    if (has === null) return undefined;
    if (has) having.push(object);
  }
  const last = having.at(-1);
  // union merges the values of a key that several objects have (nested objects key by key).
  if (!last || (name === "union" && having.length > 1)) return undefined;
  // The member of the picked object, read the same way.
  return { type: "Member", object: last, property: key, start: 0, end: 0 };
}

/** Whether an object a merge takes has `key` (lower case): known for createObject() and a variable written out as an object; null otherwise. */
function objectHasKey(object: Expr, key: string, scope: EvalScope): boolean | null {
  if (object.type !== "Call" || object.namespace !== null) return null;
  const name = object.name.toLowerCase();
  if (name === "createobject" && object.args.length % 2 === 0) {
    for (let i = 0; i < object.args.length; i += 2) {
      const k = object.args[i]!;
      if (k.type !== "String") return null;
      if (k.value.toLowerCase() === key) return true;
    }
    return false;
  }
  const arg = object.args[0];
  if (name !== "variables" || object.args.length !== 1 || arg?.type !== "String") return null;
  const written = scope.variable(arg.value);
  if (!written || written.type !== "JSONObjectExpression") return null;
  return written.properties.some((p) => (p.key.type === "JSONLiteral" ? String(p.key.value) : p.key.name).toLowerCase() === key);
}

/**
 * A member read of a variable whose value is one expression (`"cfg": "[createObject('version',
 * '2.83', 'token', parameters('sas'))]"`, as Bicep writes an object with a conditional or a spread
 * in it), or of a module parameter its deployment passes as one (`[createObject('value',
 * createObject(...))]`): the same read applied to that expression, so that a member it builds
 * alone is evaluated alone (see evalBuiltMember). `tryGet(x, 'a')` reads as `x.a`. Null for any
 * other read; the provenance names the variable or parameter.
 */
function evalIndirectMember(expr: Expr, scope: EvalScope, ctx: Ctx): Value | null {
  // The chain's reads, outermost first: member or index expressions, and tryGet keys (a missing one reads as null).
  const steps: ({ read: Extract<Expr, { type: "Member" | "Index" }> } | { key: Expr })[] = [];
  let base: Expr = expr;
  for (;;) {
    if (base.type === "Member" || base.type === "Index") {
      steps.push({ read: base });
      base = base.object;
      continue;
    }
    const call = tryGetCall(base);
    if (!call) break;
    for (let i = call.args.length - 1; i >= 1; i--) {
      const key = call.args[i]!;
      if (key.type !== "String" && key.type !== "Number") return null;
      steps.push({ key });
    }
    base = call.args[0]!;
  }
  if (!steps.length) return null;
  if (steps.length > MAX_DEPTH) return unknown(TOO_COMPLEX, emptyProvenance());
  const arg = base.type === "Call" && base.namespace === null && base.args.length === 1 ? base.args[0] : undefined;
  if (base.type !== "Call" || arg?.type !== "String") return null;
  const lookup = base.name.toLowerCase();
  let target: Expr;
  let targetScope = scope;
  let guard: object;
  const prov = new ProvBuilder();
  if (lookup === "variables") {
    const node = scope.variable(arg.value);
    const parsed = node && node.type === "JSONLiteral" && typeof node.value === "string" ? parseStringNode(node) : null;
    if (!node || parsed?.kind !== "expression") return null;
    target = parsed.expr;
    guard = node;
    prov.variable(scope.variableName(arg.value) ?? arg.value);
  } else if (lookup === "parameters") {
    const decl = scope.parameter(arg.value);
    const supplied = decl?.supplied;
    if (!decl || !supplied?.expr) return null;
    target = supplied.expr;
    targetScope = supplied.scope;
    guard = supplied.expr;
    prov.parameter(decl.name);
  } else return null;
  if (ctx.inProgress?.has(guard)) return null;
  // The same reads on the value; on each branch of an if() that picks it (Bicep's `cond ? {...} : {}`).
  const rebuild = (on: Expr, depth: number): Expr => {
    if (depth < MAX_DEPTH && on.type === "Call" && on.namespace === null && on.args.length === 3 && on.name.toLowerCase() === "if") {
      return { ...on, args: [on.args[0]!, rebuild(on.args[1]!, depth + 1), rebuild(on.args[2]!, depth + 1)] };
    }
    let rebuilt = on;
    for (let j = steps.length - 1; j >= 0; j--) {
      const step = steps[j]!;
      rebuilt = "read" in step ? { ...step.read, object: rebuilt } : { type: "Call", namespace: null, name: "tryGet", args: [rebuilt, step.key], start: 0, end: 0 };
    }
    return rebuilt;
  };
  const rebuilt = rebuild(target, 0);
  const inProgress = (ctx.inProgress ??= new Set());
  inProgress.add(guard);
  try {
    const value = evalExpr(rebuilt, targetScope, ctx);
    return withProv(value, prov.add(value.prov).build());
  } finally {
    inProgress.delete(guard);
  }
}

/**
 * `tryGet()` of an object built in place (see builtMember): the member's own expression, read on
 * by the remaining keys; null (the value) when a `createObject()` whose keys are all written
 * lacks it, as at deployment. Null (no answer) for anything else.
 */
function evalBuiltTryGet(expr: Extract<Expr, { type: "Call" }>, scope: EvalScope, ctx: Ctx): Value | null {
  const object = expr.args[0]!;
  const key = expr.args[1]!;
  if (object.type !== "Call" || object.namespace !== null || key.type !== "String") return null;
  const picked = builtMember(object, key.value.toLowerCase(), scope);
  if (!picked) {
    const keys = object.name.toLowerCase() === "createobject" ? object.args.filter((_, i) => i % 2 === 0) : null;
    return keys && keys.every((k) => k.type === "String") ? known(null, emptyProvenance()) : null;
  }
  const rest = expr.args.slice(2);
  return evalExpr(rest.length ? { ...expr, args: [picked, ...rest] } : picked, scope, ctx);
}

/** Results of writtenIn per scope, expression and path (an `if()` chain asks for the same ones again and again). */
const WRITTEN = new WeakMap<EvalScope, WeakMap<Expr, Map<string, WrittenValues>>>();

/**
 * writtenValues within an evaluation: conditions evaluate in it, its queries share one budget,
 * and results are memoised per scope like variable values (not when a budget ran out or a cycle
 * was hit meanwhile, as the result then depends on what was evaluated before).
 */
function writtenIn(expr: Expr, scope: EvalScope, path: (string | number)[], ctx: Ctx): WrittenValues {
  let byExpr = WRITTEN.get(scope);
  if (!byExpr) WRITTEN.set(scope, (byExpr = new WeakMap()));
  let byPath = byExpr.get(expr);
  if (!byPath) byExpr.set(expr, (byPath = new Map()));
  const key = path.map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${segment}`)).join("");
  const cached = byPath.get(key);
  if (cached) return cached;
  const budgetHits = ctx.budgetHits;
  const cycleHits = ctx.cycleHits;
  const found = writtenValues(expr, scope, path, (condition, conditionScope) => evalExpr(condition, conditionScope, ctx), (ctx.written ??= { steps: MAX_WRITTEN_STEPS }), {
    expressionLeaves: true,
  });
  if (found.exhausted) ctx.budgetHits++;
  else if (ctx.budgetHits === budgetHits && ctx.cycleHits === cycleHits) byPath.set(key, found);
  return found;
}

/** Functions that need only the keys or the length of an object or array. */
const SHAPE_FUNCTIONS = new Set(["contains", "empty", "length"]);

/**
 * `contains(obj, 'key')`, `empty(x)` and `length(x)` of an object or array written in the
 * template (through variables, parameters and modules' callers, see written.ts) whose whole
 * value is not known, because a member is known only at deployment: the keys and the length are
 * written, so the answer is known. Null when the argument is not one written object or array (or
 * an object with a property copy loop, which adds members).
 */
function evalShape(lower: string, expr: Extract<Expr, { type: "Call" }>, args: Value[], scope: EvalScope, ctx: Ctx, prov: Provenance): Value | null {
  if (args.length !== (lower === "contains" ? 2 : 1)) return null;
  const found = writtenIn(expr.args[0]!, scope, [], ctx);
  const node = found.complete && found.misses.length === 0 && found.values.length === 1 ? found.values[0]!.node : null;
  if (node?.type === "JSONArrayExpression") {
    if (lower === "contains") return null;
    return known(lower === "empty" ? node.elements.length === 0 : node.elements.length, prov);
  }
  if (node?.type !== "JSONObjectExpression") return null;
  const keys = new Set(node.properties.map((p) => propertyKey(p).toLowerCase()));
  if (keys.has("copy")) return null;
  if (lower === "empty") return known(keys.size === 0, prov);
  if (lower === "length") return known(keys.size, prov);
  const item = args[1]!;
  if (item.kind !== "known" || typeof item.value !== "string") return null;
  return known(keys.has(item.value.toLowerCase()), prov);
}

/** The expression when it is a `tryGet(item, key, ...)` call, else null. */
function tryGetCall(expr: Expr): Extract<Expr, { type: "Call" }> | null {
  return expr.type === "Call" && expr.namespace === null && expr.args.length >= 2 && expr.name.toLowerCase() === "tryget" ? expr : null;
}

/** Reasons that mean "known at deployment", not "wrong": a value read with such an index is one of the elements. */
const DEPLOYMENT_ONLY: ReadonlySet<UnknownReason["code"]> = new Set(["runtimeFunction", "parameterWithoutDefault"]);

/**
 * `list[copyIndex()]`, `sizes[parameters('size')]`: an index known only at deployment reads one of
 * the elements (or member values) of a known array or object, so the value is a choice of them
 * (Bicep compiles a loop over a module's configurations to exactly this). Null when the object is
 * not known, is empty, or has too many distinct elements.
 */
function anyElement(object: Value, prov: Provenance): Value | null {
  const containers = object.kind === "known" ? [object.value] : object.kind === "choice" ? object.values : [];
  const elements: JsonValue[] = [];
  for (const container of containers) {
    if (!Array.isArray(container) && !isObject(container)) return null;
    for (const element of Array.isArray(container) ? container : Object.values(container)) elements.push(element);
  }
  const value = elements.length > 0 ? choiceOf(elements, prov) : null;
  return value?.kind === "unknown" ? null : value;
}

function member(object: JsonValue, property: string): Outcome {
  if (!isObject(object)) return fail(`cannot read property '${property}' of ${typeName(object)}`);
  const v = getProp(object, property);
  return v === undefined ? fail(`property '${property}' does not exist`) : ok(v);
}

function indexValue(object: JsonValue, index: JsonValue): Outcome {
  if (Array.isArray(object)) {
    if (typeof index !== "number" || !Number.isInteger(index)) return fail(`array index must be an integer, not ${typeName(index)}`);
    if (index < 0 || index >= object.length) return fail(`array index ${index} is out of range`);
    return ok(object[index]!);
  }
  if (isObject(object)) {
    if (typeof index !== "string") return fail(`object index must be a string, not ${typeName(index)}`);
    return member(object, index);
  }
  return fail(`cannot index ${typeName(object)}`);
}

function typeName(v: JsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

function evalArgs(args: Expr[], scope: EvalScope, ctx: Ctx, prov: ProvBuilder): Value[] {
  const out: Value[] = new Array<Value>(args.length);
  for (let i = 0; i < args.length; i++) {
    const v = evalExpr(args[i]!, scope, ctx);
    prov.add(v.prov);
    out[i] = v;
  }
  return out;
}

/**
 * A call of a user-defined function: its output in the scope of the call (see functionScope), kept
 * there, so that a function that calls another twice evaluates it once (unless the evaluation ran
 * out of budget or into a cycle, which another caller may not).
 */
function evalUserFunction(fn: UserFunction, args: Expr[], scope: EvalScope, ctx: Ctx): Value {
  const inner = functionScope(fn, args, scope);
  const cached = inner.cache.get(fn.output);
  if (cached !== undefined) return cached;
  const budgetHits = ctx.budgetHits;
  const cycleHits = ctx.cycleHits;
  const value = evalNode(fn.output, inner, ctx);
  if (ctx.budgetHits === budgetHits && ctx.cycleHits === cycleHits) inner.cache.set(fn.output, value);
  return value;
}

function evalCall(expr: Extract<Expr, { type: "Call" }>, scope: EvalScope, ctx: Ctx): Value {
  const lower = expr.name.toLowerCase();
  if (expr.namespace !== null) {
    const fn = scope.userFunction?.(expr.namespace, expr.name);
    // evalNode counts the depth, which ends calls that call on. A function's scope is kept per
    // argument text, which a lambda variable's value is not part of.
    if (fn && fn.parameters.length === expr.args.length && !(ctx.lambdas && expr.args.some(readsLambda))) return evalUserFunction(fn, expr.args, scope, ctx);
    const prov = new ProvBuilder().fn(`${expr.namespace}.${expr.name}`.toLowerCase());
    evalArgs(expr.args, scope, ctx, prov);
    return unknown({ code: "runtimeFunction", name: `${expr.namespace}.${expr.name}` }, prov.build());
  }
  switch (lower) {
    case "parameters":
    case "variables":
      return evalLookup(expr, lower, scope, ctx);
    case "if":
      return evalIf(expr, scope, ctx);
    case "coalesce":
      return evalCoalesce(expr, scope, ctx);
    case "tryget": {
      const written = evalWrittenMember(expr, scope, ctx) ?? evalIndirectMember(expr, scope, ctx) ?? evalBuiltTryGet(expr, scope, ctx);
      if (written !== null) return written;
      break;
    }
    case "lambdavariables":
      return evalLambdaVariable(expr, ctx);
    default:
      if (LAMBDA_FUNCTIONS.has(lower)) return evalLambdaCall(expr, lower, scope, ctx);
      break;
  }
  const prov = new ProvBuilder().fn(lower);
  const args = evalArgs(expr.args, scope, ctx, prov);
  if (args[0]?.kind === "unknown" && SHAPE_FUNCTIONS.has(lower)) {
    const shaped = evalShape(lower, expr, args, scope, ctx, prov.build());
    if (shaped) return shaped;
  }
  const impl = FUNCTIONS.get(lower);
  if (impl === undefined) return unknown({ code: "runtimeFunction", name: expr.name }, prov.build());
  if (args.length < impl.min || args.length > impl.max) {
    const expected = impl.min === impl.max ? `${impl.min}` : impl.max === Infinity ? `at least ${impl.min}` : `${impl.min} to ${impl.max}`;
    return unknown(malformed(`${expr.name}() expects ${expected} argument(s), got ${args.length}`), prov.build());
  }
  return combine(args, prov.build(), ctx, (values) => impl.fn(values, expr.name));
}

// ---------------------------------------------------------------------------------------------
// Lambdas: filter(), map(), reduce(), sort(), toObject(), mapValues(), groupBy()

/** Functions that take a lambda, lower case. */
const LAMBDA_FUNCTIONS: ReadonlySet<string> = new Set(["filter", "map", "reduce", "sort", "toobject", "mapvalues", "groupby"]);

/** A `lambda('x', ..., body)` argument: its variables' names (lower case) and its body. */
interface Lambda {
  names: string[];
  body: Expr;
}

/** The lambda an argument writes, or null when it is not a `lambda()` call with literal names. */
function asLambda(arg: Expr | undefined): Lambda | null {
  if (arg?.type !== "Call" || arg.namespace !== null || arg.name.toLowerCase() !== "lambda" || arg.args.length < 2) return null;
  const names: string[] = [];
  for (const name of arg.args.slice(0, -1)) {
    if (name.type !== "String") return null;
    names.push(name.value.toLowerCase());
  }
  return { names, body: arg.args.at(-1)! };
}

/** True when an expression reads a lambda variable. */
function readsLambda(expr: Expr): boolean {
  let found = false;
  walkExpr(expr, (e) => {
    if (e.type === "Call" && e.namespace === null && e.name.toLowerCase() === "lambdavariables") found = true;
  });
  return found;
}

/** `lambdaVariables('x')`: the value a lambda being applied binds to `x`. */
function evalLambdaVariable(expr: Extract<Expr, { type: "Call" }>, ctx: Ctx): Value {
  const name = expr.args.length === 1 && expr.args[0]!.type === "String" ? expr.args[0].value : null;
  const bound = name === null ? undefined : ctx.lambdas?.get(name.toLowerCase());
  if (bound === undefined) return unknown(malformed(`lambdaVariables() names no variable of an enclosing lambda`), emptyProvenance());
  return known(bound, emptyProvenance());
}

/**
 * A function that applies a lambda to the elements of an array (or the values of an object, for
 * mapValues): known when the array and every application are known. The body is evaluated in the
 * caller's scope with the lambda's variables bound (an optional last one is the element's index,
 * for filter, map and reduce).
 */
function evalLambdaCall(expr: Extract<Expr, { type: "Call" }>, name: string, scope: EvalScope, ctx: Ctx): Value {
  const prov = new ProvBuilder().fn(name);
  const runtime = (): Value => unknown({ code: "runtimeFunction", name: expr.name }, prov.build());
  const data = expr.args[0] ? evalExpr(expr.args[0], scope, ctx) : undefined;
  if (data) prov.add(data.prov);
  const source = data?.kind === "known" ? data.value : undefined;
  const reduceStart = name === "reduce" && expr.args[1] ? evalExpr(expr.args[1], scope, ctx) : undefined;
  if (reduceStart) prov.add(reduceStart.prov);
  const lambdas = expr.args.slice(name === "reduce" ? 2 : 1).map(asLambda);
  if (source === undefined || lambdas.length === 0 || lambdas.includes(null) || (reduceStart && reduceStart.kind !== "known")) return runtime();
  /** The body of lambda `k` applied to `values`, or undefined when it is not known. */
  const apply = (k: number, values: JsonValue[]): JsonValue | undefined => {
    const lambda = lambdas[k]!;
    if (values.length < lambda.names.length) return undefined;
    const outer = ctx.lambdas;
    const bound = new Map(outer ?? []);
    lambda.names.forEach((n, i) => bound.set(n, values[i]!));
    ctx.lambdas = bound;
    try {
      const result = evalExpr(lambda.body, scope, ctx);
      prov.add(result.prov);
      return result.kind === "known" ? result.value : undefined;
    } finally {
      ctx.lambdas = outer;
    }
  };
  const outcome = applyLambdas(name, source, reduceStart?.kind === "known" ? reduceStart.value : null, lambdas.length, apply);
  return outcome === undefined ? runtime() : known(outcome, prov.build());
}

/** What a lambda function gives (see evalLambdaCall); undefined when an application is not known or the input has the wrong type. */
function applyLambdas(
  name: string,
  source: JsonValue,
  start: JsonValue,
  count: number,
  apply: (k: number, values: JsonValue[]) => JsonValue | undefined,
): JsonValue | undefined {
  if (name === "mapvalues") {
    if (!isObject(source)) return undefined;
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(source)) {
      const mapped = apply(0, [value]);
      if (mapped === undefined) return undefined;
      out[key] = mapped;
    }
    return out;
  }
  if (!Array.isArray(source)) return undefined;
  switch (name) {
    case "filter": {
      const out: JsonValue[] = [];
      for (let i = 0; i < source.length; i++) {
        const keep = apply(0, [source[i]!, i]);
        if (typeof keep !== "boolean") return undefined;
        if (keep) out.push(source[i]!);
      }
      return out;
    }
    case "map": {
      const out: JsonValue[] = [];
      for (let i = 0; i < source.length; i++) {
        const mapped = apply(0, [source[i]!, i]);
        if (mapped === undefined) return undefined;
        out.push(mapped);
      }
      return out;
    }
    case "reduce": {
      let acc: JsonValue | undefined = start;
      for (let i = 0; i < source.length && acc !== undefined; i++) acc = apply(0, [acc, source[i]!, i]);
      return acc;
    }
    case "sort": {
      // The lambda says whether its first argument comes before its second.
      let failed = false;
      const before = (a: JsonValue, b: JsonValue): boolean => {
        const r = apply(0, [a, b]);
        if (typeof r !== "boolean") failed = true;
        return r === true;
      };
      const sorted = [...source].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      return failed ? undefined : sorted;
    }
    case "toobject": {
      const out: Record<string, JsonValue> = {};
      for (const element of source) {
        const key = apply(0, [element]);
        const value = count > 1 ? apply(1, [element]) : element;
        if (typeof key !== "string" || value === undefined) return undefined;
        out[key] = value;
      }
      return out;
    }
    case "groupby": {
      const out: Record<string, JsonValue[]> = {};
      for (const element of source) {
        const key = apply(0, [element]);
        if (typeof key !== "string") return undefined;
        (out[key] ??= []).push(element);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** `parameters('x')` / `variables('x')`. The name argument is not a literal that flows in. */
function evalLookup(expr: Extract<Expr, { type: "Call" }>, kind: "parameters" | "variables", scope: EvalScope, ctx: Ctx): Value {
  const arg = expr.args.length === 1 ? expr.args[0]! : undefined;
  // A literal name (nearly every lookup): the value of the lookup itself, with its provenance.
  if (arg?.type === "String") return kind === "parameters" ? lookupParameter(arg.value, scope, ctx) : lookupVariable(arg.value, scope, ctx);
  const prov = new ProvBuilder();
  if (arg === undefined) {
    evalArgs(expr.args, scope, ctx, prov);
    return unknown(malformed(`${expr.name}() expects 1 argument, got ${expr.args.length}`), prov.build());
  }
  const computed = evalExpr(arg, scope, ctx);
  prov.add(computed.prov);
  if (computed.kind === "unknown") return unknown(computed.reason, prov.build());
  const names = computed.kind === "known" ? [computed.value] : computed.values;
  if (names.length > MAX_COMBINATIONS) return unknown(TOO_COMPLEX, prov.build());
  const results: Value[] = [];
  for (const name of names) {
    if (typeof name !== "string") {
      return unknown(malformed(`${expr.name}() expects a string name, not ${typeName(name)}`), prov.build());
    }
    const v = kind === "parameters" ? lookupParameter(name, scope, ctx) : lookupVariable(name, scope, ctx);
    prov.add(v.prov);
    results.push(v);
  }
  if (results.length === 1) return withProv(results[0]!, prov.build());
  return unionValues(results, prov.build());
}

function lookupParameter(name: string, scope: EvalScope, ctx: Ctx): Value {
  const decl = scope.parameter(name);
  if (decl === undefined) return unknown({ code: "missingParameter", name }, emptyProvenance());
  const allowed =
    decl.supplied === undefined && !decl.fixedDefault && decl.allowedValues?.type === "JSONArrayExpression" && !isArrayType(decl.type)
      ? decl.allowedValues
      : undefined;
  const supplied = decl.supplied;
  const keyNode = supplied ? (supplied.node ?? supplied.expr) : (allowed ?? decl.defaultValue);
  // allowedValues may be a user-defined type's, shared by several parameters: their values are
  // alike, but each names its own parameter, so the key is the declaration then.
  const key = keyNode === undefined ? undefined : keyNode === allowed ? decl : parameterKey(keyNode);
  // Most lookups find the value evaluated before: they allocate nothing.
  const cached = key === undefined ? undefined : scope.cache.get(key);
  if (cached !== undefined) return cached;
  // A function's parameter is its argument, which names its own sources.
  const prov = decl.argument ? new ProvBuilder() : new ProvBuilder().parameter(decl.name);
  // A deployment may set it: what follows is one of its values, unless its allowedValues are all of them.
  const free = decl.free === true && supplied === undefined;
  if (key === undefined) {
    if (decl.absentIsNull) return known(null, prov.build());
    return unknown({ code: "parameterWithoutDefault", name: decl.name }, (free ? prov.input(decl.name) : prov).build());
  }
  if (ctx.inProgress?.has(key)) {
    ctx.cycleHits++;
    return unknown({ code: "cycle", name: decl.name }, prov.build());
  }
  const budgetHits = ctx.budgetHits;
  const cycleHits = ctx.cycleHits;
  if (!enter(ctx)) return unknown(TOO_COMPLEX, prov.build());
  const inProgress = (ctx.inProgress ??= new Set());
  inProgress.add(key);
  let resolved: { value: Value; pinned: boolean };
  try {
    resolved = resolveParameter(decl, allowed, scope, ctx);
  } finally {
    inProgress.delete(key);
    leave(ctx);
  }
  const value = resolved.value;
  if (free && !resolved.pinned) {
    prov.input(decl.name);
    if (isEmptyString(decl.defaultValue)) prov.placeholder(decl.name);
  }
  const result = withProv(value, prov.add(value.prov).build());
  if (ctx.budgetHits === budgetHits && ctx.cycleHits === cycleHits) scope.cache.set(key, result);
  return result;
}

/** True for the JSON string `""`. */
function isEmptyString(node: AST.JSONExpression | undefined): boolean {
  return node?.type === "JSONLiteral" && node.value === "";
}

/** True for the parameter type `array` (any case), without allocating a lower-case copy. */
function isArrayType(type: string | null): boolean {
  return type !== null && type.length === 5 && type.toLowerCase() === "array";
}

/** A parameter's value: what is passed, else every one of its allowedValues (`pinned`), else its default. */
function resolveParameter(decl: ParameterDecl, allowed: AST.JSONArrayExpression | undefined, scope: EvalScope, ctx: Ctx): { value: Value; pinned: boolean } {
  const supplied = decl.supplied;
  if (supplied !== undefined) {
    return { value: supplied.node ? evalNode(supplied.node, supplied.scope, ctx) : evalExpr(supplied.expr, supplied.scope, ctx), pinned: false };
  }
  if (allowed !== undefined && allowed.elements.length > 0) {
    const values: Value[] = [];
    const prov = new ProvBuilder();
    let allKnown = true;
    for (const element of allowed.elements) {
      const v = element === null ? known(null, emptyProvenance()) : evalNode(element, scope, ctx);
      if (v.kind !== "known") {
        allKnown = false;
        break;
      }
      prov.add(v.prov);
      values.push(v);
    }
    if (allKnown) return { value: unionValues(values, prov.build()), pinned: true };
  }
  if (decl.defaultValue !== undefined) return { value: evalNode(decl.defaultValue, scope, ctx), pinned: false };
  return { value: unknown({ code: "parameterWithoutDefault", name: decl.name }, emptyProvenance()), pinned: false };
}

function lookupVariable(name: string, scope: EvalScope, ctx: Ctx): Value {
  if (scope.home) return lookupVariable(name, scope.home, ctx);
  const node = scope.variable(name);
  if (node === undefined) return unknown({ code: scope.variableCopy?.(name) ? "copyVariable" : "missingVariable", name }, emptyProvenance());
  const cached = scope.cache.get(node);
  if (cached !== undefined) return cached;
  const declared = scope.variableName(name) ?? name;
  const prov = new ProvBuilder().variable(declared);
  if (ctx.inProgress?.has(node)) {
    ctx.cycleHits++;
    return unknown({ code: "cycle", name: declared }, prov.build());
  }
  const budgetHits = ctx.budgetHits;
  const cycleHits = ctx.cycleHits;
  if (!enter(ctx)) return unknown(TOO_COMPLEX, prov.build());
  const inProgress = (ctx.inProgress ??= new Set());
  inProgress.add(node);
  let value: Value;
  try {
    value = evalNode(node, scope, ctx);
  } finally {
    inProgress.delete(node);
    leave(ctx);
  }
  const result = withProv(value, prov.add(value.prov).build());
  if (ctx.budgetHits === budgetHits && ctx.cycleHits === cycleHits) scope.cache.set(node, result);
  return result;
}

/** `if(cond, a, b)`: only the chosen branch is evaluated when the condition is known. */
function evalIf(expr: Extract<Expr, { type: "Call" }>, scope: EvalScope, ctx: Ctx): Value {
  const prov = new ProvBuilder().fn("if");
  if (expr.args.length !== 3) {
    evalArgs(expr.args, scope, ctx, prov);
    return unknown(malformed(`${expr.name}() expects 3 arguments, got ${expr.args.length}`), prov.build());
  }
  const cond = evalExpr(expr.args[0]!, scope, ctx);
  prov.add(cond.prov);
  let mayBeTrue = true;
  let mayBeFalse = true;
  if (cond.kind !== "unknown") {
    const values = cond.kind === "known" ? [cond.value] : cond.values;
    mayBeTrue = false;
    mayBeFalse = false;
    for (const v of values) {
      if (v === true) mayBeTrue = true;
      else if (v === false) mayBeFalse = true;
      else return unknown(malformed(`${expr.name}() condition must be a boolean, not ${typeName(v)}`), prov.build());
    }
  }
  if (mayBeTrue !== mayBeFalse) {
    const chosen = evalExpr(expr.args[mayBeTrue ? 1 : 2]!, scope, ctx);
    prov.add(chosen.prov);
    return withProv(chosen, prov.build());
  }
  const a = evalExpr(expr.args[1]!, scope, ctx);
  const b = evalExpr(expr.args[2]!, scope, ctx);
  prov.add(a.prov).add(b.prov);
  // ARM evaluates only the branch taken: one that fails is a deployment that fails there.
  if (failed(a) && !failed(b) && b.kind !== "unknown") return withProv(b, prov.build());
  if (failed(b) && !failed(a) && a.kind !== "unknown") return withProv(a, prov.build());
  return unionValues([a, b], prov.build());
}

/** True when evaluating the value failed (an operation on the wrong kind of value, a missing member, ...). */
function failed(value: Value): boolean {
  return value.kind === "unknown" && value.reason.code === "malformed";
}

/** `coalesce(a, b, ...)`: the first non-null argument; later arguments are evaluated only if needed. */
function evalCoalesce(expr: Extract<Expr, { type: "Call" }>, scope: EvalScope, ctx: Ctx): Value {
  const prov = new ProvBuilder().fn("coalesce");
  if (expr.args.length === 0) return unknown(malformed(`${expr.name}() expects at least 1 argument`), prov.build());
  const values: Value[] = [];
  for (let i = 0; i < expr.args.length; i++) {
    const v = evalExpr(expr.args[i]!, scope, ctx);
    prov.add(v.prov);
    values.push(v);
    if (v.kind === "known") {
      if (v.value !== null) return known(v.value, prov.build());
      continue;
    }
    // A choice or unknown: the rest may matter.
    values.push(...evalArgs(expr.args.slice(i + 1), scope, ctx, prov));
    break;
  }
  return combine(values, prov.build(), ctx, (vals) => {
    for (const v of vals) if (v !== null) return ok(v);
    return ok(null);
  });
}

// ---------------------------------------------------------------------------------------------
// Function library (pure functions on known inputs)

interface FunctionImpl {
  min: number;
  max: number;
  fn: (args: JsonValue[], name: string) => Outcome;
}

const FUNCTIONS = new Map<string, FunctionImpl>();

/** Functions evalCall handles itself, and those known only at deployment, lower case (`list*` aside). */
const OTHER_FUNCTIONS: ReadonlySet<string> = new Set([
  "parameters", "variables", "if", "coalesce", "tryget", "reference", "resourceid", "subscriptionresourceid",
  "tenantresourceid", "extensionresourceid", "managementgroupresourceid", "newguid", "utcnow", "resourcegroup",
  "subscription", "tenant", "managementgroup", "deployment", "environment", "providers", "pickzones",
  "copyindex", "references", "filter", "map", "mapvalues", "groupby", "reduce", "sort", "toobject", "lambda",
  "lambdavariables", "null", "base64tojson", "cidrhost", "cidrsubnet", "parsecidr",
  "any", "intersection", "first", "last", "json", "createobject", "union", "shallowmerge",
  "guid", "uniquestring", "float", "datetimetoepoch", "datetimeadd", "datetimefromepoch", "uricomponent",
  "uricomponenttostring", "datauri", "datauritostring",
]);

/**
 * True for a function of ARM's template language (any case) called with `argCount` arguments: one
 * of the evaluator's with as many as it takes, one known at deployment, or a `list*()` call, which
 * names a resource and an API version (two arguments at least).
 */
export function isTemplateFunction(name: string, argCount: number): boolean {
  const lower = name.toLowerCase();
  const own = FUNCTIONS.get(lower);
  if (own) return argCount >= own.min && argCount <= own.max;
  return OTHER_FUNCTIONS.has(lower) || (lower.startsWith("list") && argCount >= 2);
}

function def(name: string, min: number, max: number, fn: (args: JsonValue[], name: string) => Outcome): void {
  FUNCTIONS.set(name.toLowerCase(), { min, max, fn });
}

/** Text of a scalar as ARM (.NET) renders it in `concat`/`format`/`string`; null for objects/arrays. */
function scalarText(v: JsonValue): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null) return "";
  return null;
}

function isInt(v: JsonValue): v is number {
  return typeof v === "number" && Number.isSafeInteger(v);
}

function expectStrings(args: JsonValue[], name: string): string[] | Outcome {
  for (const a of args) if (typeof a !== "string") return fail(`${name}() expects string arguments, got ${typeName(a)}`);
  return args as string[];
}

function isOutcome(v: unknown): v is Outcome {
  return typeof v === "object" && v !== null && "ok" in v && !Array.isArray(v);
}

/** Case-insensitive comparison helper; null when lower-casing changes lengths (indexes would shift). */
function lowerPair(a: string, b: string): [string, string] | null {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la.length === a.length && lb.length === b.length ? [la, lb] : null;
}

def("concat", 1, Infinity, (args, name) => {
  if (args.some((a) => Array.isArray(a))) {
    let total = 0;
    for (const a of args) {
      if (a === null) continue;
      if (!Array.isArray(a)) return fail(`${name}() cannot mix arrays and ${typeName(a)}`);
      total += a.length;
    }
    if (total > MAX_ARRAY_LENGTH) return TOO_COMPLEX_OUTCOME;
    const out: JsonValue[] = [];
    for (const a of args) if (Array.isArray(a)) for (const item of a) out.push(item);
    return ok(out);
  }
  let out = "";
  for (const a of args) {
    const text = scalarText(a);
    if (text === null) return fail(`${name}() cannot concatenate ${typeName(a)}`);
    if (out.length + text.length > MAX_STRING_LENGTH) return TOO_COMPLEX_OUTCOME;
    out += text;
  }
  return ok(out);
});

def("format", 1, Infinity, (args, name) => {
  const fmt = args[0];
  if (typeof fmt !== "string") return fail(`${name}() expects a format string`);
  return formatComposite(fmt, args.slice(1), name);
});

/** .NET composite formatting: `{index[,alignment]}`, `{{` and `}}`. Format strings are unsupported. */
function formatComposite(fmt: string, args: JsonValue[], name: string): Outcome {
  const parts: string[] = [];
  let total = 0;
  let segment = 0;
  let i = 0;
  const n = fmt.length;
  const bad = () => fail(`${name}(): input string was not in a correct format`);
  while (i < n) {
    const c = fmt.charCodeAt(i);
    if (c !== 0x7b && c !== 0x7d) {
      i++;
      continue;
    }
    parts.push(fmt.slice(segment, i));
    if (c === 0x7d) {
      if (fmt.charCodeAt(i + 1) !== 0x7d) return bad();
      parts.push("}");
      i += 2;
      segment = i;
      continue;
    }
    if (fmt.charCodeAt(i + 1) === 0x7b) {
      parts.push("{");
      i += 2;
      segment = i;
      continue;
    }
    // Format item.
    let j = i + 1;
    let index = 0;
    const digitsStart = j;
    while (j < n && fmt.charCodeAt(j) >= 0x30 && fmt.charCodeAt(j) <= 0x39) {
      index = index * 10 + (fmt.charCodeAt(j) - 0x30);
      if (index > 1_000_000) return bad();
      j++;
    }
    if (j === digitsStart) return bad();
    while (j < n && fmt.charCodeAt(j) === 0x20) j++;
    let alignment = 0;
    if (fmt.charCodeAt(j) === 0x2c) {
      j++;
      while (j < n && fmt.charCodeAt(j) === 0x20) j++;
      let negative = false;
      if (fmt.charCodeAt(j) === 0x2d) {
        negative = true;
        j++;
      }
      const alignStart = j;
      while (j < n && fmt.charCodeAt(j) >= 0x30 && fmt.charCodeAt(j) <= 0x39) {
        alignment = alignment * 10 + (fmt.charCodeAt(j) - 0x30);
        if (alignment > 100_000) return TOO_COMPLEX_OUTCOME;
        j++;
      }
      if (j === alignStart) return bad();
      if (negative) alignment = -alignment;
      while (j < n && fmt.charCodeAt(j) === 0x20) j++;
    }
    if (fmt.charCodeAt(j) === 0x3a) return cannot(name); // {0:N2} and similar format strings
    if (fmt.charCodeAt(j) !== 0x7d) return bad();
    if (index >= args.length) {
      return fail(`${name}(): index ${index} is not less than the number of arguments (${args.length})`);
    }
    const text = scalarText(args[index]!);
    if (text === null) return cannot(name);
    const padded = alignment > 0 ? text.padStart(alignment) : alignment < 0 ? text.padEnd(-alignment) : text;
    parts.push(padded);
    total += padded.length;
    if (total > MAX_STRING_LENGTH) return TOO_COMPLEX_OUTCOME;
    i = j + 1;
    segment = i;
  }
  parts.push(fmt.slice(segment));
  return ok(parts.join(""));
}

def("uri", 2, 2, (args, name) => {
  const strings = expectStrings(args, name);
  if (isOutcome(strings)) return strings;
  try {
    return ok(new URL(strings[1]!, strings[0]!).href);
  } catch {
    return fail(`${name}(): '${strings[0]!.slice(0, 100)}' is not a valid absolute base URI`);
  }
});

def("toLower", 1, 1, ([s], name) => (typeof s === "string" ? ok(s.toLowerCase()) : fail(`${name}() expects a string`)));
def("toUpper", 1, 1, ([s], name) => (typeof s === "string" ? ok(s.toUpperCase()) : fail(`${name}() expects a string`)));
def("trim", 1, 1, ([s], name) => (typeof s === "string" ? ok(s.trim()) : fail(`${name}() expects a string`)));

def("string", 1, 1, ([v]) => {
  const text = scalarText(v!);
  if (text !== null) return ok(text);
  if (measure(v!) < 0) return TOO_COMPLEX_OUTCOME;
  const json = JSON.stringify(v);
  return json.length > MAX_STRING_LENGTH ? TOO_COMPLEX_OUTCOME : ok(json);
});

def("equals", 2, 2, ([a, b]) => {
  if (measure(a!) < 0 || measure(b!) < 0) return TOO_COMPLEX_OUTCOME;
  return ok(deepEqual(a!, b!));
});

def("not", 1, 1, ([v], name) => (typeof v === "boolean" ? ok(!v) : fail(`${name}() expects a boolean, not ${typeName(v!)}`)));

def("and", 1, Infinity, (args, name) => {
  for (const a of args) if (typeof a !== "boolean") return fail(`${name}() expects booleans, not ${typeName(a)}`);
  return ok(args.every((a) => a === true));
});

def("or", 1, Infinity, (args, name) => {
  for (const a of args) if (typeof a !== "boolean") return fail(`${name}() expects booleans, not ${typeName(a)}`);
  return ok(args.some((a) => a === true));
});

def("empty", 1, 1, ([v], name) => {
  if (v === null) return ok(true);
  if (typeof v === "string" || Array.isArray(v)) return ok(v.length === 0);
  if (isObject(v!)) return ok(Object.keys(v).length === 0);
  return fail(`${name}() expects a string, array or object, not ${typeName(v!)}`);
});

def("length", 1, 1, ([v], name) => {
  if (typeof v === "string" || Array.isArray(v)) return ok(v.length);
  if (isObject(v!)) return ok(Object.keys(v).length);
  return fail(`${name}() expects a string, array or object, not ${typeName(v!)}`);
});

def("replace", 3, 3, (args, name) => {
  const strings = expectStrings(args, name);
  if (isOutcome(strings)) return strings;
  const [s, from, to] = strings as [string, string, string];
  if (from === "") return fail(`${name}(): the string to replace cannot be empty`);
  if (to.length > from.length) {
    // Bound the result size before building it.
    let count = 0;
    for (let at = s.indexOf(from); at >= 0; at = s.indexOf(from, at + from.length)) count++;
    if (s.length + count * (to.length - from.length) > MAX_STRING_LENGTH) return TOO_COMPLEX_OUTCOME;
  }
  return ok(s.replaceAll(from, to));
});

/** What `json()` makes of a text: its value (too complex past the evaluator's bounds), or null when it is not JSON. */
function parseJson(text: string): Outcome | null {
  try {
    const parsed = JSON.parse(text) as JsonValue;
    return measure(parsed) < 0 ? TOO_COMPLEX_OUTCOME : ok(parsed);
  } catch {
    return null;
  }
}

// `json()` parses each text once per file: a template that reads many members of
// `json(variables('a'))` and `json(variables('b'))` in turn would otherwise parse one of them
// again at every read (values are never mutated, so they can be shared).
def("json", 1, 1, ([s], name) => {
  if (typeof s !== "string") return fail(`${name}() expects a string`);
  // null: not JSON (the message names the function as the template spells it, so it is made per call).
  const outcome = cachedJson(s, parseJson);
  return outcome ?? fail(`${name}(): the argument is not valid JSON`);
});

def("createArray", 0, Infinity, (args) => (args.length > MAX_ARRAY_LENGTH ? TOO_COMPLEX_OUTCOME : ok(args.slice())));

def("createObject", 0, Infinity, (args, name) => {
  if (args.length % 2 !== 0) return fail(`${name}() expects an even number of arguments`);
  const obj: { [key: string]: JsonValue } = {};
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i];
    if (typeof key !== "string") return fail(`${name}() expects string keys, not ${typeName(key!)}`);
    setProp(obj, key, args[i + 1]!);
  }
  return ok(obj);
});

// Bicep's `for x in items(obj)`: the object's members as { key, value }, sorted by key.
def("items", 1, 1, ([v], name) => {
  if (!isObject(v!)) return fail(`${name}() expects an object, got ${typeName(v!)}`);
  const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ok(keys.map((key) => ({ key, value: v[key]! })));
});

def("true", 0, 0, () => ok(true));
def("false", 0, 0, () => ok(false));
def("null", 0, 0, () => ok(null));

def("startsWith", 2, 2, (args, name) => {
  const strings = expectStrings(args, name);
  if (isOutcome(strings)) return strings;
  const [s, p] = strings as [string, string];
  return ok(s.toLowerCase().startsWith(p.toLowerCase()));
});

def("endsWith", 2, 2, (args, name) => {
  const strings = expectStrings(args, name);
  if (isOutcome(strings)) return strings;
  const [s, p] = strings as [string, string];
  return ok(s.toLowerCase().endsWith(p.toLowerCase()));
});

def("indexOf", 2, 2, (args, name) => {
  const strings = expectStrings(args, name);
  if (isOutcome(strings)) return strings;
  const pair = lowerPair(strings[0]!, strings[1]!);
  return pair === null ? cannot(name) : ok(pair[0].indexOf(pair[1]));
});

def("lastIndexOf", 2, 2, (args, name) => {
  const strings = expectStrings(args, name);
  if (isOutcome(strings)) return strings;
  const pair = lowerPair(strings[0]!, strings[1]!);
  return pair === null ? cannot(name) : ok(pair[0].lastIndexOf(pair[1]));
});

def("contains", 2, 2, ([container, item], name) => {
  if (typeof container === "string") {
    const text = scalarText(item!);
    return text === null ? fail(`${name}(): cannot search a string for ${typeName(item!)}`) : ok(container.includes(text));
  }
  if (Array.isArray(container)) {
    if (measure(container) < 0 || measure(item!) < 0) return TOO_COMPLEX_OUTCOME;
    return ok(container.some((element) => deepEqual(element, item!)));
  }
  if (isObject(container!)) {
    if (typeof item !== "string") return fail(`${name}(): object keys are strings`);
    return ok(getProp(container, item) !== undefined);
  }
  return fail(`${name}() expects a string, array or object, not ${typeName(container!)}`);
});

def("substring", 2, 3, ([s, start, length], name) => {
  if (typeof s !== "string") return fail(`${name}() expects a string`);
  if (!isInt(start!) || (length !== undefined && !isInt(length))) return fail(`${name}() expects integer positions`);
  const len = length === undefined ? s.length - start : (length as number);
  if (start < 0 || start > s.length || len < 0 || start + len > s.length) {
    return fail(`${name}(): position and length must refer to a location within the string`);
  }
  return ok(s.slice(start, start + len));
});

def("split", 2, 2, ([s, delimiters], name) => {
  if (typeof s !== "string") return fail(`${name}() expects a string`);
  let delims: string[];
  if (typeof delimiters === "string") delims = [delimiters];
  else if (Array.isArray(delimiters) && delimiters.every((d) => typeof d === "string")) delims = delimiters as string[];
  else return fail(`${name}() expects a string or an array of strings as delimiter`);
  delims = delims.filter((d) => d !== "");
  if (delims.length === 0) return ok([s]);
  if (delims.length > 64) return cannot(name);
  const parts: JsonValue[] = [];
  let segment = 0;
  let i = 0;
  outer: while (i < s.length) {
    for (const d of delims) {
      if (s.startsWith(d, i)) {
        parts.push(s.slice(segment, i));
        if (parts.length > MAX_ARRAY_LENGTH) return TOO_COMPLEX_OUTCOME;
        i += d.length;
        segment = i;
        continue outer;
      }
    }
    i++;
  }
  parts.push(s.slice(segment));
  return ok(parts);
});

function arithmetic(op: (a: number, b: number) => number | null): (args: JsonValue[], name: string) => Outcome {
  return ([a, b], name) => {
    if (!isInt(a!) || !isInt(b!)) return fail(`${name}() expects integers`);
    const r = op(a, b);
    if (r === null) return fail(`${name}(): division by zero`);
    return Number.isSafeInteger(r) ? ok(r) : cannot(name);
  };
}

def("add", 2, 2, arithmetic((a, b) => a + b));
def("sub", 2, 2, arithmetic((a, b) => a - b));
def("mul", 2, 2, arithmetic((a, b) => a * b));
def("div", 2, 2, arithmetic((a, b) => (b === 0 ? null : Math.trunc(a / b))));
def("mod", 2, 2, arithmetic((a, b) => (b === 0 ? null : a % b)));

def("int", 1, 1, ([v], name) => {
  if (isInt(v!)) return ok(v as number);
  if (typeof v === "string") {
    const t = v.trim();
    let i = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
    if (i === t.length) return fail(`${name}(): '${v.slice(0, 50)}' is not an integer`);
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return fail(`${name}(): '${v.slice(0, 50)}' is not an integer`);
    }
    const n = Number(t);
    return Number.isSafeInteger(n) ? ok(n === 0 ? 0 : n) : cannot(name);
  }
  return fail(`${name}() expects a string or an integer, not ${typeName(v!)}`);
});

def("bool", 1, 1, ([v], name) => {
  if (typeof v === "boolean") return ok(v);
  if (typeof v === "number") return ok(v !== 0);
  if (typeof v === "string") {
    const lower = v.toLowerCase();
    if (lower === "true") return ok(true);
    if (lower === "false") return ok(false);
  }
  return fail(`${name}(): cannot convert ${typeName(v!)} to a boolean`);
});

// Bicep compiles `a.?b` to tryGet(a, 'b'): the member or element, or null when it is missing.
def("tryGet", 2, 64, ([item, ...keys], name) => {
  let current: JsonValue = item!;
  for (const key of keys) {
    if (current === null) return ok(null);
    if (Array.isArray(current)) {
      if (!isInt(key!)) return fail(`${name}() expects an integer index for an array`);
      current = key >= 0 && key < current.length ? current[key]! : null;
    } else if (isObject(current)) {
      if (typeof key !== "string") return fail(`${name}() expects a string key for an object`);
      current = getProp(current, key) ?? null;
    } else return fail(`${name}() expects an object or an array, not ${typeName(current)}`);
  }
  return ok(current);
});

def("first", 1, 1, ([v], name) => {
  if (Array.isArray(v)) return ok(v.length > 0 ? v[0]! : null);
  if (typeof v === "string") return ok(v.slice(0, 1));
  return fail(`${name}() expects an array or a string`);
});

def("last", 1, 1, ([v], name) => {
  if (Array.isArray(v)) return ok(v.length > 0 ? v[v.length - 1]! : null);
  if (typeof v === "string") return ok(v.slice(-1));
  return fail(`${name}() expects an array or a string`);
});

/** `indexFromEnd(array, n)`: the n-th element from the end (1 is the last); ARM fails out of range. */
def("indexFromEnd", 2, 2, ([v, index], name) => {
  if (!Array.isArray(v) || !isInt(index!)) return fail(`${name}() expects an array and an integer`);
  if (index < 1 || index > v.length) return fail(`${name}() index ${index} is out of range`);
  return ok(v[v.length - index]!);
});

/** `tryIndexFromEnd(array, n)`: the same, or null out of range. */
def("tryIndexFromEnd", 2, 2, ([v, index], name) => {
  if (!Array.isArray(v) || !isInt(index!)) return fail(`${name}() expects an array and an integer`);
  return ok(index >= 1 && index <= v.length ? v[v.length - index]! : null);
});

def("objectKeys", 1, 1, ([v], name) => (isObject(v!) ? ok(Object.keys(v)) : fail(`${name}() expects an object`)));

/** `flatten(array)`: the elements of its array elements, one level deep. */
def("flatten", 1, 1, ([v], name) => {
  if (!Array.isArray(v) || !v.every((e) => Array.isArray(e))) return fail(`${name}() expects an array of arrays`);
  return ok((v as JsonValue[][]).flat());
});

/** Deepest nesting `union()` merges before giving up. */
const MAX_MERGE_DEPTH = 32;

/**
 * An object `union()` is building: its members, the spelling each name (any case) has there, and
 * the members it has copied so far to merge into. Lookups by name and merges into a member are
 * then as cheap for the thousandth argument as for the first, and no argument is copied twice.
 */
class Merged {
  readonly out: { [key: string]: JsonValue } = {};
  private readonly names = new Map<string, string>();
  private readonly children = new Map<string, Merged>();

  /**
   * Merges `from` as ARM's `union()` of objects does: a later member wins, members that are
   * objects on both sides merge recursively (arrays do not), names match in any case and keep
   * their first spelling. False when the objects nest too deep.
   */
  add(from: { [key: string]: JsonValue }, depth: number): boolean {
    if (depth > MAX_MERGE_DEPTH) return false;
    for (const key of Object.keys(from)) {
      const value = from[key]!;
      const lower = key.toLowerCase();
      const existing = this.names.get(lower);
      if (existing !== undefined && isObject(value)) {
        let child = this.children.get(lower);
        const current = this.out[existing];
        if (!child && current !== undefined && isObject(current)) {
          // The first merge into this member copies it; later ones add to the copy.
          child = new Merged();
          if (!child.add(current, depth + 1)) return false;
          this.children.set(lower, child);
          setProp(this.out, existing, child.out);
        }
        if (child) {
          if (!child.add(value, depth + 1)) return false;
          continue;
        }
      }
      if (existing === undefined) this.names.set(lower, key);
      this.children.delete(lower);
      setProp(this.out, existing ?? key, value);
    }
    return true;
  }
}

// Bicep's spread of objects: the members of each object in turn, a later one replacing an earlier one whole.
def("shallowMerge", 1, 1, ([list], name) => {
  if (!Array.isArray(list) || !list.every((o) => isObject(o))) return fail(`${name}() expects an array of objects`);
  const out: { [key: string]: JsonValue } = {};
  // Each name merged so far, by its lower case, as last spelled.
  const spelled = new Map<string, string>();
  for (const o of list as { [key: string]: JsonValue }[]) {
    for (const key of Object.keys(o)) {
      // Names compare in any case: a later `NodeName` replaces an earlier `nodeName`.
      const lower = key.toLowerCase();
      const earlier = spelled.get(lower);
      if (earlier !== undefined) delete out[earlier];
      setProp(out, key, o[key]!);
      spelled.set(lower, key);
    }
  }
  return ok(out);
});

def("union", 1, Infinity, (args, name) => {
  if (args.every((a) => Array.isArray(a))) {
    const seen = new Set<string>();
    const out: JsonValue[] = [];
    for (const a of args as JsonValue[][]) {
      for (const item of a) {
        const key = valueKey(item);
        if (key === null) return TOO_COMPLEX_OUTCOME;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(item);
        if (out.length > MAX_ARRAY_LENGTH) return TOO_COMPLEX_OUTCOME;
      }
    }
    return ok(out);
  }
  if (args.every((a) => isObject(a))) {
    const merged = new Merged();
    for (const a of args as { [key: string]: JsonValue }[]) {
      if (!merged.add(a, 0)) return cannot(name);
    }
    return ok(merged.out);
  }
  return fail(`${name}() expects only arrays or only objects`);
});

def("base64", 1, 1, ([s], name) => (typeof s === "string" ? ok(Buffer.from(s, "utf8").toString("base64")) : fail(`${name}() expects a string`)));
def("base64ToString", 1, 1, ([s], name) =>
  typeof s === "string" ? ok(Buffer.from(s, "base64").toString("utf8")) : fail(`${name}() expects a string`),
);

def("padLeft", 2, 3, ([v, total, pad], name) => {
  const text = typeof v === "number" && Number.isInteger(v) ? String(v) : v;
  if (typeof text !== "string") return fail(`${name}() expects a string or an integer`);
  if (!isInt(total!) || total < 0) return fail(`${name}() expects a non-negative total length`);
  if (total > MAX_STRING_LENGTH) return TOO_COMPLEX_OUTCOME;
  const ch = pad === undefined ? " " : pad;
  if (typeof ch !== "string" || ch.length !== 1) return fail(`${name}() expects a single padding character`);
  return ok(text.padStart(total, ch));
});

function compare(test: (order: number) => boolean): (args: JsonValue[], name: string) => Outcome {
  return ([a, b], name) => {
    if (typeof a === "number" && typeof b === "number") return ok(test(a < b ? -1 : a > b ? 1 : 0));
    return typeof a === "string" && typeof b === "string" ? cannot(name) : fail(`${name}() expects two integers or two strings`);
  };
}

def("greater", 2, 2, compare((o) => o > 0));
def("greaterOrEquals", 2, 2, compare((o) => o >= 0));
def("less", 2, 2, compare((o) => o < 0));
def("lessOrEquals", 2, 2, compare((o) => o <= 0));

def("skip", 2, 2, ([v, count], name) => {
  if (!isInt(count!)) return fail(`${name}() expects an integer count`);
  const c = Math.max(0, count);
  if (Array.isArray(v)) return ok(v.slice(c));
  if (typeof v === "string") return ok(v.slice(c));
  return fail(`${name}() expects an array or a string`);
});

def("take", 2, 2, ([v, count], name) => {
  if (!isInt(count!)) return fail(`${name}() expects an integer count`);
  const c = Math.max(0, count);
  if (Array.isArray(v)) return ok(v.slice(0, c));
  if (typeof v === "string") return ok(v.slice(0, c));
  return fail(`${name}() expects an array or a string`);
});

def("array", 1, 1, ([v]) => ok(Array.isArray(v) ? v : [v!]));

def("join", 2, 2, ([items, delimiter], name) => {
  if (!Array.isArray(items) || typeof delimiter !== "string") return fail(`${name}() expects an array and a string`);
  const parts: string[] = [];
  let total = 0;
  for (const item of items) {
    const text = scalarText(item);
    if (text === null) return fail(`${name}() cannot join ${typeName(item)}`);
    total += text.length + delimiter.length;
    if (total > MAX_STRING_LENGTH) return TOO_COMPLEX_OUTCOME;
    parts.push(text);
  }
  return ok(parts.join(delimiter));
});

function minMax(pick: (a: number, b: number) => number): (args: JsonValue[], name: string) => Outcome {
  return (args, name) => {
    const items = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    if (items.length === 0) return fail(`${name}() expects at least one integer`);
    let best: number | null = null;
    for (const item of items) {
      if (!isInt(item)) return fail(`${name}() expects integers`);
      best = best === null ? item : pick(best, item);
    }
    return ok(best);
  };
}

def("min", 1, Infinity, minMax(Math.min));
def("max", 1, Infinity, minMax(Math.max));

def("range", 2, 2, ([start, count], name) => {
  if (!isInt(start!) || !isInt(count!) || count < 0) return fail(`${name}() expects integers and a non-negative count`);
  if (count > 10_000) return TOO_COMPLEX_OUTCOME;
  const out: JsonValue[] = [];
  for (let i = 0; i < count; i++) out.push(start + i);
  return ok(out);
});

// ---------------------------------------------------------------------------------------------
// Description

/** A JSON value as a message shows it, shortened. */
export function previewValue(value: JsonValue): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value !== null && typeof value === "object" && measure(value, 200) < 0) return Array.isArray(value) ? "[...]" : "{...}";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Why a value cannot be known before deployment, as a message clause. */
/** A message that starts with a function's name as the template spells it (`JSON(): ...`). */
const STARTS_WITH_CALL = /^[A-Za-z_$][\w$.]*\(/u;

export function reasonText(reason: UnknownReason): string {
  switch (reason.code) {
    case "parameterWithoutDefault":
      return `parameter '${reason.name}' has no default value`;
    case "missingParameter":
      return `parameter '${reason.name}' is not declared`;
    case "missingVariable":
      return `variable '${reason.name}' is not declared`;
    case "copyVariable":
      return `variable '${reason.name}' is built by a copy loop`;
    case "runtimeFunction":
      return `${reason.name}() is only known at deployment time`;
    case "cycle":
      return `'${reason.name}' refers to itself`;
    case "malformed":
      // "Unterminated string literal" reads on in lower case; "JSON(): ..." names a function as written.
      return `the expression is malformed (${STARTS_WITH_CALL.test(reason.message) ? reason.message : reason.message.charAt(0).toLowerCase() + reason.message.slice(1)})`;
    case "tooComplex":
      return "the expression is too complex to evaluate";
    case "unsupported":
      return `${reason.name}() could not be evaluated`;
  }
}

/** Short human text: `"2.77"`, `one of "2.77", "2"`, `unknown (parameter 'x' has no default)`. */
export function describeValue(v: Value): string {
  switch (v.kind) {
    case "known":
      return previewValue(v.value);
    case "choice": {
      const shown = v.values.slice(0, 5).map(previewValue).join(", ");
      return v.values.length > 5 ? `one of ${shown}, ... (${v.values.length} values)` : `one of ${shown}`;
    }
    case "unknown":
      return `unknown (${reasonText(v.reason)})`;
  }
}
