/**
 * Where a file reads its variables (or its parameters): every `variables('<name>')` call in every
 * string, with the member path it is read through (`variables('s').url` reads path ["url"]). A fix
 * may rewrite a variable (or a member of an object variable) only when this is its one reader.
 * Reads are counted by name over the whole file, nested templates included: a name that two
 * templates declare looks shared, which only withholds an edit.
 *
 * The scan searches the source text for `variables` (in any case), backslashes and backticks, and
 * reads only the tokens that hold one (lib/json/tokens.ts): a string without any of them cannot
 * read a variable, however it is quoted, and a file's other tokens are never touched. String tokens
 * that are property keys are read too; ARM does not evaluate keys, so at worst a key that looks
 * like a read makes a variable look shared, and the fix becomes a suggestion.
 */
import type { AST, JsonToken } from "../json/types.js";
import { elementIndex, findProperty, isArray, isObject, isProperty, keyEquals, propertyName } from "../json/access.js";
import { nextBackslash, tokensHolding, type TextSearch } from "../json/tokens.js";
import { callName, isExpressionString, parseCached, type Expr } from "../expression/index.js";
import { ANY } from "./flow.js";

/** Variable (or parameter) reads of one file. */
export interface VariableUses {
  /** Member paths each variable (by lower-case name) is read through. */
  paths: Map<string, string[][]>;
  /** True when a variable name is computed (`variables(concat(...))`), or the file has no tokens: any variable may be read. */
  dynamic: boolean;
}

/** The function whose reads a scan collects. */
type ReadFunction = "variables" | "parameters";

const caches: Record<ReadFunction, WeakMap<object, VariableUses>> = { variables: new WeakMap(), parameters: new WeakMap() };

/**
 * The variable reads in the file whose token list is `tokens`, with ranges into its source `text`
 * (cached per list); null tokens: unknown reads.
 */
export function variableUses(tokens: readonly JsonToken[] | null, text: string): VariableUses {
  return usesOf(tokens, text, "variables");
}

/** The parameter reads of a file, as {@link variableUses} gives its variable reads. */
export function parameterUses(tokens: readonly JsonToken[] | null, text: string): VariableUses {
  return usesOf(tokens, text, "parameters");
}

function usesOf(tokens: readonly JsonToken[] | null, text: string, fn: ReadFunction): VariableUses {
  if (!tokens) return { paths: new Map(), dynamic: true };
  const cache = caches[fn];
  let uses = cache.get(tokens);
  if (!uses) {
    uses = collect(tokens, text, fn);
    cache.set(tokens, uses);
  }
  return uses;
}

/** True when one path is a prefix of the other (segments compare case-insensitively; ANY matches all). */
function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== ANY && y !== ANY && x.toLowerCase() !== y.toLowerCase()) return false;
  }
  return true;
}

const READERS = new WeakMap<VariableUses, Map<string, number>>();

/**
 * Number of reads of variable `name` that may see the member at `path` (counted once per file and
 * member: every extension that reads a shared variable asks).
 */
export function readersOf(uses: VariableUses, name: string, path: readonly string[]): number {
  if (uses.dynamic) return Infinity;
  let counts = READERS.get(uses);
  if (!counts) READERS.set(uses, (counts = new Map()));
  const lower = name.toLowerCase();
  const key = [lower, ...path].join("\u0000");
  let count = counts.get(key);
  if (count === undefined) {
    count = (uses.paths.get(lower) ?? []).filter((p) => overlaps(p, path)).length;
    counts.set(key, count);
  }
  return count;
}

/** The string value of a String token (its raw JSON text); null when it does not decode. */
function tokenString(raw: string): string | null {
  if (raw.length < 2 || raw.charCodeAt(0) !== 0x22) return null;
  if (!raw.includes("\\")) return raw.slice(1, -1);
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

/** {@link TextSearch} for a name in any (ASCII) case. */
function nextName(pattern: RegExp): TextSearch {
  return (text, from) => {
    pattern.lastIndex = from;
    return pattern.exec(text)?.index ?? -1;
  };
}

/** {@link TextSearch} for a backtick, which opens a template literal (JSON5). */
function nextBacktick(text: string, from: number): number {
  return text.indexOf("`", from);
}

/** Where a token that may read a variable (a parameter) is: a mention of the function, an escape or a template literal. */
const MAY_READ: Record<ReadFunction, readonly TextSearch[]> = {
  variables: [nextName(/variables/gi), nextBackslash, nextBacktick],
  parameters: [nextName(/parameters/gi), nextBackslash, nextBacktick],
};
const MENTIONS: Record<ReadFunction, RegExp> = { variables: /variables/i, parameters: /parameters/i };

/** Reads the tokens that may hold a read of `fn`. */
function collect(tokens: readonly JsonToken[], text: string, fn: ReadFunction): VariableUses {
  const uses: VariableUses = { paths: new Map(), dynamic: false };
  for (const token of tokensHolding(tokens, text, MAY_READ[fn])) {
    if (token.type !== "String") {
      // A template literal (JSON5 extensions) may hold an expression this scan does not read.
      if (token.type === "Template") uses.dynamic = true;
      continue;
    }
    const raw = token.value;
    // One look at the raw text first: an expression string starts with `"[`, or with an escape
    // that may decode to `[`; anything else is a plain string.
    const first = raw.charCodeAt(1);
    if (first !== 0x5b && first !== 0x5c) continue;
    const value = tokenString(raw);
    if (value === null) {
      // A string this scan cannot read (single-quoted JSON5, say) may read anything.
      uses.dynamic = true;
      continue;
    }
    if (!isExpressionString(value) || !MENTIONS[fn].test(value)) continue;
    const parsed = parseCached(value);
    if (parsed.kind === "expression") scanExpr(parsed.expr, uses, fn);
  }
  return uses;
}

/**
 * Functions that test a value's presence or size (`empty(x)`, `length(x)`, `contains(x, 'key')`):
 * changing a member's value does not change what they give for the value that holds it, so their
 * read of `x` is recorded as a read of a member no edit reaches ({@link PRESENCE}).
 */
const PRESENCE_TESTS: ReadonlySet<string> = new Set(["empty", "length", "contains"]);

/** A path segment that names no member: it overlaps only a read or edit of the whole value before it. */
const PRESENCE = "\u0000presence";

/** True for a `tryGet()` call with an object and at least one key. */
function isTryGet(e: Expr): boolean {
  return e.type === "Call" && e.args.length >= 2 && callName(e) === "tryget";
}

/** Adds a read's key or index to `path` (ANY when computed, whose expression is then scanned too). */
function pushStep(step: Expr, path: string[], stack: Expr[]): void {
  if (step.type === "String") path.push(step.value);
  else if (step.type === "Number") path.push(String(step.value));
  else {
    path.push(ANY);
    stack.push(step);
  }
}

/** Records the reads of `fn` in one expression. */
function scanExpr(expr: Expr, uses: VariableUses, fn: ReadFunction): void {
  const stack: Expr[] = [expr];
  // Arguments that a test only asks whether they are there, or how many members they have.
  let tested: Set<Expr> | undefined;
  while (stack.length > 0) {
    let e = stack.pop()!;
    const read = e;
    // Most nodes are literals or other calls: neither is a read, and neither needs a path array.
    if (e.type !== "Call" && e.type !== "Member" && e.type !== "Index") continue;
    if (e.type === "Call" && callName(e) !== fn && !isTryGet(e)) {
      const name = callName(e);
      if (name !== null && PRESENCE_TESTS.has(name) && e.args[0]) (tested ??= new Set()).add(e.args[0]);
      for (const arg of e.args) stack.push(arg);
      continue;
    }
    const path: string[] = [];
    // Member reads, and `tryGet(x, 'a', 'b')`, which reads x.a.b where it is there.
    for (;;) {
      if (e.type === "Member") {
        path.push(e.property);
        e = e.object;
      } else if (e.type === "Index") {
        pushStep(e.index, path, stack);
        e = e.object;
      } else if (e.type === "Call" && isTryGet(e)) {
        for (let i = e.args.length - 1; i >= 1; i--) pushStep(e.args[i]!, path, stack);
        e = e.args[0]!;
      } else break;
    }
    path.reverse();
    if (tested?.has(read)) path.push(PRESENCE);
    if (e.type !== "Call") continue;
    if (callName(e) === fn) {
      const arg = e.args[0];
      if (e.args.length === 1 && arg?.type === "String") {
        const name = arg.value.toLowerCase();
        const list = uses.paths.get(name) ?? [];
        list.push(path);
        uses.paths.set(name, list);
        continue;
      }
      uses.dynamic = true;
    }
    for (const arg of e.args) stack.push(arg);
  }
}

/**
 * The variable, parameter default, or value a nested deployment passes for a parameter, that holds
 * `node`, with the member path from that value down to it (`variables.cfg.nodeName` gives variable
 * `cfg`, path ["nodeName"]); null when `node` is written anywhere else.
 */
export function declarationOf(node: AST.JSONNode): { fn: ReadFunction; name: string; path: string[] } | null {
  const path: string[] = [];
  let at: AST.JSONNode = node;
  for (let up = parentOf(at); up; at = up, up = parentOf(at)) {
    if (isArray(up)) path.push(String(elementIndex(up, at)));
    if (!isProperty(up)) continue;
    const name = propertyName(up);
    if (name === null) return null;
    const holder = parentOf(up);
    // variables.<name>
    if (keyEquals(memberName(holder) ?? "", "variables") && isTemplateObject(parentOf(parentOf(holder)))) {
      return { fn: "variables", name, path: path.reverse() };
    }
    // parameters.<name>.defaultValue in a template, parameters.<name>.value in a nested deployment
    const declaration = memberName(holder);
    const block = parentOf(parentOf(holder));
    if (declaration !== undefined && keyEquals(memberName(block) ?? "", "parameters")) {
      const owner = parentOf(parentOf(block));
      if ((keyEquals(name, "defaultValue") && isTemplateObject(owner)) || (keyEquals(name, "value") && isDeploymentProperties(owner))) {
        return { fn: "parameters", name: declaration, path: path.reverse() };
      }
    }
    path.push(name);
  }
  return null;
}

/**
 * How many reads in the file may see the value written at `node` (a member of a variable or of a
 * parameter's default): 1 when only the read a fix is made for does; Infinity when `node` is
 * written anywhere else, or a name is computed.
 */
export function readersOfWritten(tokens: readonly JsonToken[] | null, text: string, node: AST.JSONNode): number {
  const declared = declarationOf(node);
  if (!declared) return Infinity;
  return readersOf(usesOf(tokens, text, declared.fn), declared.name, declared.path);
}

function parentOf(node: AST.JSONNode | undefined): AST.JSONNode | undefined {
  return (node as { parent?: AST.JSONNode } | undefined)?.parent;
}

/** The key of the property whose value is `obj`; undefined when `obj` is not a property's value. */
function memberName(obj: AST.JSONNode | undefined): string | undefined {
  const up = parentOf(obj);
  return isProperty(up) ? (propertyName(up) ?? undefined) : undefined;
}

/** True for the `properties` of a nested deployment (an object with `template` or `templateLink`). */
function isDeploymentProperties(node: AST.JSONNode | undefined): boolean {
  return isObject(node) && (findProperty(node, "template") !== undefined || findProperty(node, "templateLink") !== undefined);
}

/** True for the object of a template (one with `resources`, or a `$schema`). */
function isTemplateObject(node: AST.JSONNode | undefined): boolean {
  return isObject(node) && (findProperty(node, "resources") !== undefined || findProperty(node, "$schema") !== undefined);
}
