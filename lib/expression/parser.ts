/**
 * Parser for ARM template expressions (`"[concat('a', parameters('b'))]"`).
 *
 * Grammar (whitespace allowed between tokens):
 *
 *   expression := primary postfix*
 *   primary    := string | number | identifier
 *               | identifier '(' arguments? ')'                  (function call)
 *               | identifier '.' identifier '(' arguments? ')'   (user-defined namespace.function)
 *   postfix    := '.' identifier | '[' expression ']'
 *   arguments  := expression (',' expression)*
 *
 * Nesting (calls and index brackets) is limited to {@link MAX_NESTING} levels; deeper input gives
 * an error result instead of a stack overflow. Postfix chains are parsed in a loop. Nothing throws.
 */
import { tokenize, type Token } from "./lexer.js";

export type Expr =
  | { type: "String"; value: string; start: number; end: number }
  | { type: "Number"; value: number; raw: string; start: number; end: number }
  | { type: "Identifier"; name: string; start: number; end: number }
  | { type: "Call"; namespace: string | null; name: string; args: Expr[]; start: number; end: number }
  | { type: "Member"; object: Expr; property: string; start: number; end: number }
  | { type: "Index"; object: Expr; index: Expr; start: number; end: number };

export type ParsedString =
  | { kind: "literal"; value: string }
  | { kind: "expression"; expr: Expr; text: string }
  | { kind: "error"; message: string; offset: number };

export type ParseExpressionResult = { expr: Expr } | { error: string; offset: number };

/** Maximum nesting of calls / index brackets. */
export const MAX_NESTING = 500;

/**
 * True when a JSON string value is an ARM expression: it starts with `[`, ends with `]` and does
 * not start with `[[` (the escape for a literal that starts with `[`).
 */
export function isExpressionString(value: string): boolean {
  return value.length >= 2 && value.charCodeAt(0) === 0x5b && value.charCodeAt(value.length - 1) === 0x5d && value.charCodeAt(1) !== 0x5b;
}

/**
 * Classifies and parses a JSON string value of a template. Offsets in the returned expression
 * (and in errors) are offsets into `value` itself, including the leading `[`.
 */
export function parseTemplateString(value: string): ParsedString {
  const n = value.length;
  if (n < 2 || value.charCodeAt(0) !== 0x5b || value.charCodeAt(n - 1) !== 0x5d) {
    return { kind: "literal", value };
  }
  if (value.charCodeAt(1) === 0x5b) return { kind: "literal", value: value.slice(1) };
  const text = value.slice(1, n - 1);
  const result = parseExpression(text, 1);
  if ("error" in result) return { kind: "error", message: result.error, offset: result.offset };
  return { kind: "expression", expr: result.expr, text };
}

/**
 * Parses the text of an expression (without the outer brackets). Offsets are `base + index in
 * inner`; {@link parseTemplateString} passes `base = 1`.
 */
export function parseExpression(inner: string, base = 0): ParseExpressionResult {
  const lexed = tokenize(inner, base);
  if ("error" in lexed) return lexed;
  const parser = new Parser(lexed.tokens);
  const expr = parser.parseExpr(0);
  if (expr === null) return parser.error!;
  const next = parser.peek();
  if (next.type !== "eof") {
    return { error: `Unexpected ${describeToken(next)} after the end of the expression`, offset: next.start };
  }
  return { expr };
}

function describeToken(token: Token): string {
  switch (token.type) {
    case "eof":
      return "end of expression";
    case "string":
      return "string literal";
    case "number":
      return `number ${token.value}`;
    case "identifier":
      return `identifier '${token.value}'`;
    default:
      return `'${token.type}'`;
  }
}

class Parser {
  private pos = 0;
  error: { error: string; offset: number } | null = null;

  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    const i = Math.min(this.pos + offset, this.tokens.length - 1);
    return this.tokens[i]!;
  }

  private fail(message: string, offset: number): null {
    if (!this.error) this.error = { error: message, offset };
    return null;
  }

  private expected(what: string): null {
    const token = this.peek();
    return this.fail(`Expected ${what} but found ${describeToken(token)}`, token.start);
  }

  /** expression := primary postfix* */
  parseExpr(depth: number): Expr | null {
    if (depth > MAX_NESTING) {
      return this.fail(`Expression is nested more than ${MAX_NESTING} levels deep`, this.peek().start);
    }
    let expr = this.parsePrimary(depth);
    if (expr === null) return null;
    for (;;) {
      const token = this.peek();
      if (token.type === ".") {
        const name = this.peek(1);
        if (name.type !== "identifier") {
          this.pos++;
          return this.expected("a property name after '.'");
        }
        this.pos += 2;
        expr = { type: "Member", object: expr, property: name.value, start: expr.start, end: name.end };
      } else if (token.type === "[") {
        this.pos++;
        const index = this.parseExpr(depth + 1);
        if (index === null) return null;
        const close = this.peek();
        if (close.type !== "]") return this.expected("']'");
        this.pos++;
        expr = { type: "Index", object: expr, index, start: expr.start, end: close.end };
      } else {
        return expr;
      }
    }
  }

  private parsePrimary(depth: number): Expr | null {
    const token = this.peek();
    switch (token.type) {
      case "string":
        this.pos++;
        return { type: "String", value: token.value, start: token.start, end: token.end };
      case "number":
        this.pos++;
        return { type: "Number", value: Number(token.value), raw: token.value, start: token.start, end: token.end };
      case "identifier": {
        const next = this.peek(1);
        if (next.type === "(") {
          this.pos += 2;
          return this.parseCall(null, token.value, token.start, depth);
        }
        if (next.type === "." && this.peek(2).type === "identifier" && this.peek(3).type === "(") {
          const name = this.peek(2).value;
          this.pos += 4;
          return this.parseCall(token.value, name, token.start, depth);
        }
        this.pos++;
        return { type: "Identifier", name: token.value, start: token.start, end: token.end };
      }
      default:
        return this.expected("an expression");
    }
  }

  /** Parses the arguments after an already consumed `(`. */
  private parseCall(namespace: string | null, name: string, start: number, depth: number): Expr | null {
    const args: Expr[] = [];
    if (this.peek().type === ")") {
      const close = this.peek();
      this.pos++;
      return { type: "Call", namespace, name, args, start, end: close.end };
    }
    for (;;) {
      const arg = this.parseExpr(depth + 1);
      if (arg === null) return null;
      args.push(arg);
      const token = this.peek();
      if (token.type === ",") {
        this.pos++;
        continue;
      }
      if (token.type === ")") {
        this.pos++;
        return { type: "Call", namespace, name, args, start, end: token.end };
      }
      return this.expected("',' or ')'");
    }
  }
}

/** Visits `expr` and all its sub-expressions, parents before children, arguments in order. Iterative. */
export function walkExpr(expr: Expr, visit: (e: Expr) => void): void {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    visit(e);
    switch (e.type) {
      case "Call":
        for (let i = e.args.length - 1; i >= 0; i--) stack.push(e.args[i]!);
        break;
      case "Member":
        stack.push(e.object);
        break;
      case "Index":
        stack.push(e.index, e.object);
        break;
      default:
        break;
    }
  }
}

/** Lower-case name of a call (`concat`, `ns.fn`), or null when `e` is not a call. */
export function callName(e: Expr): string | null {
  if (e.type !== "Call") return null;
  return (e.namespace === null ? e.name : `${e.namespace}.${e.name}`).toLowerCase();
}
