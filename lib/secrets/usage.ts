/**
 * Where a file reads its variables: every `variables('<name>')` call in every string, with the
 * member path it is read through (`variables('s').url` reads path ["url"]). A fix may rewrite a
 * variable (or a member of an object variable) only when this is its one reader.
 *
 * The scan searches the source text for `variables` (in any case), backslashes and backticks, and
 * reads only the tokens that hold one (lib/json/tokens.ts): a string without any of them cannot
 * read a variable, however it is quoted, and a file's other tokens are never touched. String tokens
 * that are property keys are read too; ARM does not evaluate keys, so at worst a key that looks
 * like a read makes a variable look shared, and the fix becomes a suggestion.
 */
import type { JsonToken } from "../json/types.js";
import { nextBackslash, tokensHolding, type TextSearch } from "../json/tokens.js";
import { callName, isExpressionString, parseCached, type Expr } from "../expression/index.js";
import { ANY } from "./flow.js";

/** Variable reads of one file. */
export interface VariableUses {
  /** Member paths each variable (by lower-case name) is read through. */
  paths: Map<string, string[][]>;
  /** True when a variable name is computed (`variables(concat(...))`), or the file has no tokens: any variable may be read. */
  dynamic: boolean;
}

const cache = new WeakMap<object, VariableUses>();
const MENTIONS_VARIABLES = /variables/i;

/**
 * The variable reads in the file whose token list is `tokens`, with ranges into its source `text`
 * (cached per list); null tokens: unknown reads.
 */
export function variableUses(tokens: readonly JsonToken[] | null, text: string): VariableUses {
  if (!tokens) return { paths: new Map(), dynamic: true };
  let uses = cache.get(tokens);
  if (!uses) {
    uses = collect(tokens, text);
    cache.set(tokens, uses);
  }
  return uses;
}

/** True when a string value may read a variable: an expression that mentions `variables`. */
export function mayReadVariables(value: string): boolean {
  return isExpressionString(value) && MENTIONS_VARIABLES.test(value);
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

/** Number of reads of variable `name` that may see the member at `path`. */
export function readersOf(uses: VariableUses, name: string, path: readonly string[]): number {
  if (uses.dynamic) return Infinity;
  return (uses.paths.get(name.toLowerCase()) ?? []).filter((p) => overlaps(p, path)).length;
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

const VARIABLES = /variables/gi;

/** {@link TextSearch} for `variables` in any (ASCII) case. */
function nextVariables(text: string, from: number): number {
  VARIABLES.lastIndex = from;
  return VARIABLES.exec(text)?.index ?? -1;
}

/** {@link TextSearch} for a backtick, which opens a template literal (JSON5). */
function nextBacktick(text: string, from: number): number {
  return text.indexOf("`", from);
}

/** Where a token that may read a variable is: a mention of `variables`, an escape or a template literal. */
const MAY_READ: readonly TextSearch[] = [nextVariables, nextBackslash, nextBacktick];

/** Reads the tokens that may hold a variable read. */
function collect(tokens: readonly JsonToken[], text: string): VariableUses {
  const uses: VariableUses = { paths: new Map(), dynamic: false };
  for (const token of tokensHolding(tokens, text, MAY_READ)) {
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
    if (!mayReadVariables(value)) continue;
    const parsed = parseCached(value);
    if (parsed.kind === "expression") scanExpr(parsed.expr, uses);
  }
  return uses;
}

/** Records the variable reads of one expression. */
function scanExpr(expr: Expr, uses: VariableUses): void {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    let e = stack.pop()!;
    // Most nodes are literals or other calls: neither is a read, and neither needs a path array.
    if (e.type !== "Call" && e.type !== "Member" && e.type !== "Index") continue;
    if (e.type === "Call" && callName(e) !== "variables") {
      for (const arg of e.args) stack.push(arg);
      continue;
    }
    const path: string[] = [];
    while (e.type === "Member" || e.type === "Index") {
      if (e.type === "Member") path.push(e.property);
      else {
        const index = e.index;
        path.push(index.type === "String" ? index.value : index.type === "Number" ? String(index.value) : ANY);
        if (index.type !== "String" && index.type !== "Number") stack.push(index);
      }
      e = e.object;
    }
    path.reverse();
    if (e.type !== "Call") continue;
    if (callName(e) === "variables") {
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
