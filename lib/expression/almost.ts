/**
 * Strings written wrong as expressions: text written like an expression that ARM takes as it is
 * (`"[parameters('pw')"`, `"[concat('a', 'b')] "`: only a string that starts with `[` and ends with
 * `]` is evaluated), and expressions ARM cannot parse (an unclosed quote, a bare word). The rule
 * valid-dsc-settings reports both; a rule that checks such a value for another reason leaves it
 * to that report ({@link writtenWrong}).
 */
import type { AST } from "../json/types.js";
import { parseCached } from "./cache.js";
import { isTemplateFunction, type EvalScope } from "./evaluate.js";
import { isExpressionString, walkExpr, type Expr } from "./parser.js";

/** Most calls {@link closedForm} closes for a string that leaves them open. */
const MAX_UNCLOSED_CALLS = 4;

/** A string that starts like an expression (`[`, not the `[[` escape) but does not end with `]`. */
export function isAlmostExpression(node: AST.JSONNode): node is AST.JSONStringLiteral {
  if (node.type !== "JSONLiteral" || typeof node.value !== "string") return false;
  const text = node.value;
  return text.charCodeAt(0) === 0x5b && text.charCodeAt(1) !== 0x5b && !text.endsWith("]");
}

/** A string written like an expression, closed: the text, and how it was written wrong. */
export interface ClosedForm {
  fixed: string;
  expr: Expr;
  /** True when it had whitespace after its `]`. */
  closed: boolean;
  /** How many calls it left open (`[concat('vm', '/dsc'`). */
  opened: number;
}

/**
 * The expression a string written like one (see {@link isAlmostExpression}) was meant to be,
 * closed; null when, closed, it is no call of ARM's functions or the template's (in `scope`).
 */
export function closedForm(text: string, scope: EvalScope): ClosedForm | null {
  const trimmed = text.trimEnd();
  const closed = trimmed.endsWith("]");
  let fixed = closed ? trimmed : `${trimmed}]`;
  let parsed = parseCached(fixed);
  let opened = 0;
  while (!closed && parsed.kind === "error" && opened < MAX_UNCLOSED_CALLS) {
    opened++;
    fixed = `${trimmed}${")".repeat(opened)}]`;
    parsed = parseCached(fixed);
  }
  if (parsed.kind !== "expression" || !hasCall(parsed.expr)) return null;
  // Text in brackets can parse once closed ("[Contoso (Prod)", "[ValidateSet('a', 'b')"): it is an
  // expression only when it calls ARM's own functions (or the template's), with no bare words.
  if (!isTemplateCall(parsed.expr, scope)) return null;
  return { fixed, expr: parsed.expr, closed, opened };
}

/** Why ARM cannot parse an expression string (the parser's message, or a bare word in it); null when it can, or it is no expression. */
export function malformedReason(value: string): string | null {
  if (!isExpressionString(value)) return null;
  const parsed = parseCached(value);
  return parsed.kind === "error" ? parsed.message : parsed.kind === "expression" ? bareWord(parsed.expr) : null;
}

/** True when valid-dsc-settings reports the string `node` as written wrong: not an expression though meant as one, or malformed. */
export function writtenWrong(node: AST.JSONNode, scope: EvalScope): boolean {
  if (node.type !== "JSONLiteral" || typeof node.value !== "string") return false;
  const text: string = node.value;
  return isAlmostExpression(node) ? closedForm(text, scope) !== null : malformedReason(text) !== null;
}

/**
 * Why ARM rejects an expression with a bare word (`[YOUR_PASSWORD]`, `[System.String]`), which
 * ours reads: ARM's expressions have function calls, quoted strings and numbers, no bare words
 * (`true()` and `null()` are functions too). Null when there is none.
 */
function bareWord(expr: Expr): string | null {
  let word: string | null = null;
  walkExpr(expr, (e) => {
    if (word === null && e.type === "Identifier") word = e.name;
  });
  return word === null ? null : `'${word}' is neither a function call nor a quoted string`;
}

/** True when an expression calls a function at its root or along its member chain (`[a.b]` alone is not an expression ARM accepts). */
export function hasCall(expr: Expr): boolean {
  let at: Expr = expr;
  while (at.type === "Member" || at.type === "Index") at = at.object;
  return at.type === "Call";
}

/** True when every call of `expr` is one of ARM's functions or the template's (in `scope`), and no bare word stands in it. */
export function isTemplateCall(expr: Expr, scope: EvalScope): boolean {
  let ok = true;
  walkExpr(expr, (e) => {
    if (e.type === "Identifier") ok = false;
    else if (e.type === "Call" && !(e.namespace === null ? isTemplateFunction(e.name, e.args.length) : scope.userFunction?.(e.namespace, e.name))) ok = false;
  });
  return ok;
}
