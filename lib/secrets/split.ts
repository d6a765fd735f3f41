/**
 * Splitting a configuration URL built as `<url> + <SAS token>` into the URL and the token.
 *
 * The DSC handler downloads `url + token` (the token appended as is), so a split is exact only when
 * the token is the last piece of the URL: `concat(a, b, <sas>)` gives url `concat(a, b)` and token
 * `<sas>`; `uri(base, concat(path, <sas>))` gives `uri(base, path)` and `<sas>`;
 * `format('x{0}', <sas>)` gives `'x'` and `<sas>`; a literal `https://h/x.zip?sv=..&sig=..` splits
 * at its `?`. A token anywhere else (in the middle, in both branches of `if`, ...) is not split.
 *
 * Tokens that arrive through variables: the split follows pure `variables('v')` reads (also
 * `variables('v').member`) into their definitions. When every variable on the way is read only
 * here, the fix rewrites the definition that holds the token (the URL site and the variables stay
 * referenced, so nothing becomes unused); otherwise the edit inlines the variables at the URL site
 * and is offered as a suggestion, leaving the shared variables untouched.
 */
import type { AST } from "../json/types.js";
import { getValue, isArray, isObject } from "../json/access.js";
import { callName, parseStringNode, printTemplateString, type EvalScope, type Expr, type ParsedString } from "../expression/index.js";
import type { SecretAnalysis } from "./analysis.js";
import { isWholeToken, trailingTokenStart } from "./sas.js";
import { readersOf, variableUses } from "./usage.js";

/** A variable (or member of an object variable) the token was followed through. */
export interface Hop {
  name: string;
  path: string[];
}

/** A URL split and the edit that performs it. */
export interface UrlSplit {
  /** The string to rewrite: the URL value itself, or the variable definition that holds the token. */
  target: AST.JSONStringLiteral;
  /** New JSON text of `target`. */
  targetText: string;
  /** JSON text of the token value for `protectedSettings`. */
  tokenText: string;
  /** Variables followed (declared names), in order from the URL site. */
  variables: string[];
  /** `fix` when no variable on the way is shared, else `suggest` (the variables are inlined). */
  mode: "fix" | "suggest";
}

/** The split of one expression: the token, the rest with variables inlined, and the deepest rewrite. */
interface Part {
  token: Expr;
  /** The URL without the token, variables inlined; null when the whole expression is the token. */
  inline: Expr | null;
  /** When the token sits in a variable definition: that string and its rest (no variables inlined). */
  deepest: { node: AST.JSONStringLiteral; rest: Expr } | null;
  hops: Hop[];
}

/** Most variable hops followed. */
const MAX_DEPTH = 32;

/** A synthetic expression node (offsets are unused when printing). */
function str(value: string): Expr {
  return { type: "String", value, start: 0, end: 0 };
}

/** A synthetic call node. */
function call(name: string, args: Expr[]): Expr {
  return { type: "Call", namespace: null, name, args, start: 0, end: 0 };
}

/** JSON text of a template string holding `expr`: a plain string for a literal, else `"[...]"`. */
export function jsonTextOf(expr: Expr): string {
  if (expr.type === "String") {
    const v = expr.value;
    const escaped = v.length >= 2 && v.startsWith("[") && v.endsWith("]") ? `[${v}` : v;
    return JSON.stringify(escaped);
  }
  return JSON.stringify(printTemplateString(expr));
}

/** Splits the configuration URL `node` (a string literal) evaluated in `scope`; null when no exact split exists. */
export function splitUrl(analysis: SecretAnalysis, node: AST.JSONExpression, scope: EvalScope): UrlSplit | null {
  if (node.type !== "JSONLiteral" || typeof node.value !== "string") return null;
  const top = stringExpr(parseStringNode(node));
  if (!top) return null;
  const part = new Splitter(analysis, scope).split(top, 0);
  if (!part || part.inline === null) return null;
  // `inline` and `rest` are mostly expressions built here: their checks are not memoised.
  if (analysis.builtExprCarriesSas(part.inline, scope)) return null;
  const tokenText = jsonTextOf(part.token);
  const variables = part.hops.map((h) => scope.variableName(h.name) ?? h.name);
  const site = node as AST.JSONStringLiteral;
  if (part.hops.length === 0) return { target: site, targetText: jsonTextOf(part.inline), tokenText, variables, mode: "fix" };
  const uses = variableUses(analysis.model.tokens, analysis.model.text);
  const private_ = part.hops.every((h) => readersOf(uses, h.name, h.path) === 1);
  const deepest = part.deepest;
  if (private_ && deepest && !analysis.builtExprCarriesSas(deepest.rest, scope)) {
    return { target: deepest.node, targetText: jsonTextOf(deepest.rest), tokenText, variables, mode: "fix" };
  }
  return { target: site, targetText: jsonTextOf(part.inline), tokenText, variables, mode: "suggest" };
}

/** A parsed template string as an expression (a literal becomes a string literal node); null when malformed. */
function stringExpr(parsed: ParsedString): Expr | null {
  if (parsed.kind === "expression") return parsed.expr;
  if (parsed.kind === "literal") return str(parsed.value);
  return null;
}

/** A split with no variable followed: the whole of `token`, or `inline` then `token`. */
function tokenPart(token: Expr, inline: Expr | null): Part {
  return { token, inline, deepest: null, hops: [] };
}

/** `p` with another `inline` (built field by field: a spread of `p` costs more on this path). */
function withInline(p: Part, inline: Expr | null): Part {
  return { token: p.token, inline, deepest: p.deepest, hops: p.hops };
}

/** One split computation. */
class Splitter {
  /** Splits within `scope`. */
  constructor(
    private readonly analysis: SecretAnalysis,
    private readonly scope: EvalScope,
  ) {}

  /** True when a SAS token flows into `e`. */
  private sas(e: Expr): boolean {
    return this.analysis.exprCarriesSas(e, this.scope);
  }

  /** The split of `e`, or null when `e` carries no token or the token is not its last piece. */
  split(e: Expr, depth: number): Part | null {
    if (depth > MAX_DEPTH || !this.sas(e)) return null;
    if (e.type === "String") {
      if (isWholeToken(e.value)) return tokenPart(e, null);
      const at = trailingTokenStart(e.value);
      return at > 0 ? tokenPart(str(e.value.slice(at)), str(e.value.slice(0, at))) : null;
    }
    if (e.type === "Member" || e.type === "Index" || (e.type === "Call" && callName(e) === "variables")) {
      return this.hop(e, depth) ?? tokenPart(e, null);
    }
    if (e.type !== "Call") return null;
    switch (callName(e)) {
      case "concat":
        return this.concat(e, depth);
      case "format":
        return this.format(e, depth);
      case "uri":
        return this.uri(e, depth);
      default:
        return tokenPart(e, null);
    }
  }

  /** `concat(a..., last)`: only the last argument may carry the token. */
  private concat(e: Extract<Expr, { type: "Call" }>, depth: number): Part | null {
    const n = e.args.length;
    if (n === 0) return null;
    const prefix = e.args.slice(0, n - 1);
    if (prefix.some((a) => this.sas(a))) return null;
    const last = this.split(e.args[n - 1]!, depth);
    if (!last) return null;
    let inline: Expr | null;
    if (last.inline === null) inline = prefix.length === 0 ? null : prefix.length === 1 ? prefix[0]! : call(e.name, prefix);
    else inline = prefix.length === 0 ? last.inline : call(e.name, [...prefix, last.inline]);
    return withInline(last, inline);
  }

  /** `format(fmt, args...)`: the format must end with the one placeholder of the token argument. */
  private format(e: Extract<Expr, { type: "Call" }>, depth: number): Part | null {
    const fmt = e.args[0];
    if (fmt?.type !== "String") return null;
    const segments = parseFormat(fmt.value);
    const lastSegment = segments?.at(-1);
    if (!segments || lastSegment === undefined || typeof lastSegment === "string") return null;
    const k = lastSegment.index;
    const args = e.args.slice(1);
    if (k >= args.length) return null;
    if (segments.filter((s) => typeof s !== "string" && s.index === k).length !== 1) return null;
    if (args.some((a, i) => i !== k && this.sas(a))) return null;
    const inner = this.split(args[k]!, depth);
    if (!inner) return null;
    if (inner.inline !== null) {
      const replaced = args.map((a, i) => (i === k ? inner.inline! : a));
      return withInline(inner, call(e.name, [fmt, ...replaced]));
    }
    const kept = segments.slice(0, -1).map((s) => (typeof s === "string" || s.index < k ? s : { index: s.index - 1 }));
    const rest = args.filter((_, i) => i !== k);
    if (rest.length === 0) {
      const text = kept.map((s) => (typeof s === "string" ? s : "")).join("");
      return withInline(inner, str(text));
    }
    return withInline(inner, call(e.name, [str(printFormat(kept)), ...rest]));
  }

  /** `uri(base, relative)`: the token must be a proper tail of the relative part. */
  private uri(e: Extract<Expr, { type: "Call" }>, depth: number): Part | null {
    if (e.args.length !== 2 || this.sas(e.args[0]!)) return null;
    const rel = this.split(e.args[1]!, depth);
    if (!rel || rel.inline === null) return null;
    return withInline(rel, call(e.name, [e.args[0]!, rel.inline]));
  }

  /**
   * A pure read of a string variable (or a member of an object variable): the split continues in
   * its definition. Null when the read is not followed (the caller treats it as a whole token).
   */
  private hop(e: Expr, depth: number): Part | null {
    const path: string[] = [];
    let base = e;
    while (base.type === "Member" || base.type === "Index") {
      if (base.type === "Member") path.push(base.property);
      else if (base.index.type === "String") path.push(base.index.value);
      else if (base.index.type === "Number") path.push(String(base.index.value));
      else return null;
      base = base.object;
    }
    path.reverse();
    if (base.type !== "Call" || callName(base) !== "variables" || base.args.length !== 1) return null;
    const arg = base.args[0]!;
    if (arg.type !== "String") return null;
    let target: AST.JSONExpression | null | undefined = this.scope.variable(arg.value);
    for (const segment of path) {
      if (isObject(target)) target = getValue(target, segment);
      else if (isArray(target) && /^\d+$/u.test(segment)) target = target.elements[Number(segment)];
      else return null;
    }
    if (target?.type !== "JSONLiteral" || typeof target.value !== "string") return null;
    const inner = stringExpr(parseStringNode(target));
    const part = inner && this.split(inner, depth + 1);
    if (!part || part.inline === null) return null;
    const hop: Hop = { name: arg.value, path };
    return {
      token: part.token,
      inline: part.inline,
      deepest: part.deepest ?? { node: target as AST.JSONStringLiteral, rest: part.inline },
      hops: [hop, ...part.hops],
    };
  }
}

/** A piece of a composite format string: literal text or a `{n}` placeholder. */
type FormatSegment = string | { index: number };

/** Parses a .NET composite format with plain `{n}` placeholders only; null otherwise. Linear. */
export function parseFormat(fmt: string): FormatSegment[] | null {
  const out: FormatSegment[] = [];
  let text = "";
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c === "{" && fmt[i + 1] === "{") {
      text += "{";
      i += 2;
    } else if (c === "}" && fmt[i + 1] === "}") {
      text += "}";
      i += 2;
    } else if (c === "{") {
      let j = i + 1;
      while (j < fmt.length && fmt.charCodeAt(j) >= 0x30 && fmt.charCodeAt(j) <= 0x39) j++;
      if (j === i + 1 || fmt[j] !== "}" || j - i > 9) return null;
      if (text) out.push(text);
      text = "";
      out.push({ index: Number(fmt.slice(i + 1, j)) });
      i = j + 1;
    } else if (c === "}") {
      return null;
    } else {
      text += c;
      i++;
    }
  }
  if (text) out.push(text);
  return out;
}

/** Writes format segments back as a composite format string. */
function printFormat(segments: readonly FormatSegment[]): string {
  return segments
    .map((s) => (typeof s === "string" ? s.replaceAll("{", "{{").replaceAll("}", "}}") : `{${s.index}}`))
    .join("");
}
