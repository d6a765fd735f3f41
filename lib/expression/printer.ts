/**
 * Canonical printing of expressions: `fn('a', 1, x.y)` — `", "` between arguments, single-quoted
 * strings with `''` escaping, no whitespace elsewhere. Iterative, so arbitrarily deep trees print.
 */
import { isNumberLiteral } from "./lexer.js";
import type { Expr } from "./parser.js";

/** Quotes a string as an expression string literal. */
export function quoteString(value: string): string {
  return `'${value.includes("'") ? value.replaceAll("'", "''") : value}'`;
}

/** Text of a number literal: the raw text when it is valid, else a form built from the value. */
export function numberText(value: number, raw: string): string {
  if (isNumberLiteral(raw)) return raw;
  if (!Number.isFinite(value)) return "0";
  if (Number.isInteger(value)) {
    const text = BigInt(value).toString();
    return Object.is(value, -0) ? "-0" : text;
  }
  const text = String(value);
  if (isNumberLiteral(text)) return text;
  // Exponent notation (1e-7): expand to plain decimal digits.
  let fixed = value.toFixed(20);
  let cut = fixed.length;
  while (cut > 0 && fixed.charCodeAt(cut - 1) === 0x30) cut--;
  fixed = fixed.slice(0, cut);
  return isNumberLiteral(fixed) ? fixed : String(Math.trunc(value));
}

export function printExpr(expr: Expr): string {
  const out: string[] = [];
  // Work stack: strings are emitted as is, expressions are expanded.
  const stack: (Expr | string)[] = [expr];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === "string") {
      out.push(item);
      continue;
    }
    switch (item.type) {
      case "String":
        out.push(quoteString(item.value));
        break;
      case "Number":
        out.push(numberText(item.value, item.raw));
        break;
      case "Identifier":
        out.push(item.name);
        break;
      case "Call": {
        out.push(item.namespace === null ? `${item.name}(` : `${item.namespace}.${item.name}(`);
        stack.push(")");
        for (let i = item.args.length - 1; i >= 0; i--) {
          stack.push(item.args[i]!);
          if (i > 0) stack.push(", ");
        }
        break;
      }
      case "Member":
        stack.push(`.${item.property}`, item.object);
        break;
      case "Index":
        stack.push("]", item.index, "[", item.object);
        break;
    }
  }
  return out.join("");
}

export function printTemplateString(expr: Expr): string {
  return `[${printExpr(expr)}]`;
}
