import {
  callName,
  evaluateExpr,
  parseCached,
  parseStringNode,
  printExpr,
  quoteString,
  type EvalScope,
  type Expr,
  type Value,
} from "../expression/index.js";

/**
 * A name, resource id or `dependsOn` entry seen as a sequence of pieces: literal text where the
 * value is known and opaque expressions (printed canonically) where it is not. Two names that
 * produce equal pieces are the same name, whether or not their value is known before deployment.
 */
export type Piece = { lit: string } | { expr: string; text: string };

const MAX_PIECES = 64;
const MAX_DEPTH = 32;

/**
 * Pieces of a JSON string value (a literal or an expression). `fixedOnly`: fold only values that
 * are the same in every deployment, not those read from the template's own parameter defaults
 * (for messages, which show such a name as written; matching folds the defaults).
 */
export function stringPieces(value: string, scope: EvalScope, fixedOnly = false): Piece[] {
  const parsed = parseCached(value);
  if (parsed.kind === "literal") return [{ lit: parsed.value }];
  if (parsed.kind === "error") return [{ expr: `<malformed>${value}`, text: value }];
  return normalize(exprPieces(parsed.expr, scope, 0, fixedOnly));
}

/** Pieces of an expression: known parts fold to text, concat/format split, variables followed. */
export function exprPieces(expr: Expr, scope: EvalScope, depth: number, fixedOnly = false): Piece[] {
  const value = evaluateExpr(expr, scope);
  if (value.kind === "known" && (typeof value.value === "string" || typeof value.value === "number") && !(fixedOnly ? value.prov.inputs.length > 0 : readsPlaceholder(value))) {
    return [{ lit: String(value.value) }];
  }
  // A value that is one placeholder and nothing else (`parameters('vmName')` with a "" default, also
  // read as a module's parameter that the caller sets from it) is that parameter wherever it is read.
  const placeholder = fixedOnly ? null : placeholderOnly(value);
  if (placeholder !== null) return [{ expr: `<placeholder>${placeholder.toLowerCase()}`, text: printExpr(expr) }];
  if (depth > MAX_DEPTH) return [opaque(expr)];
  // Bicep's loop index: element k of `range(0, n)` is k (`range(0, length(vms))[copyIndex()]`).
  const index = rangeIndex(expr);
  if (index) return exprPieces(index, scope, depth + 1, fixedOnly);
  if (expr.type !== "Call") return [opaque(expr)];
  const name = callName(expr);
  // ARM compares names without regard to case, so a change of case leaves a name the same name
  // (for matching: messages show the call as written).
  if (!fixedOnly && (name === "tolower" || name === "toupper") && expr.args.length === 1) return exprPieces(expr.args[0]!, scope, depth + 1);
  if (name === "concat") {
    return expr.args.flatMap((arg) => exprPieces(arg, scope, depth + 1, fixedOnly)).slice(0, MAX_PIECES);
  }
  if (name === "format" && expr.args[0]?.type === "String") {
    return formatPieces(expr.args[0].value, expr.args.slice(1), scope, depth, fixedOnly);
  }
  if (name === "variables" && expr.args.length === 1 && expr.args[0]?.type === "String") {
    const node = scope.variable(expr.args[0].value);
    if (node?.type === "JSONLiteral" && typeof node.value === "string") {
      const parsed = parseStringNode(node);
      if (parsed.kind === "expression") return exprPieces(parsed.expr, scope, depth + 1, fixedOnly);
    }
  }
  return [opaque(expr)];
}

/**
 * True when a value reads a parameter whose default is "" (Provenance.placeholders), in its own
 * template or through a module's caller: a placeholder for a value every deployment passes (ARM
 * rejects an empty name), so a name does not fold it into its text. The parameter stays a piece
 * of its own, and two such parameters never make the same name.
 */
function readsPlaceholder(value: Value): boolean {
  return value.prov.placeholders !== undefined;
}

/**
 * The name of the placeholder parameter a value is, when it is "" read from that one alone and
 * passed on unchanged (through variables, a module's caller, and functions that give it back as
 * it is: `take(p, 15)` is "" for the default, but another name for most values); else null.
 */
function placeholderOnly(value: Value): string | null {
  const { placeholders, literals, functions } = value.prov;
  if (value.kind !== "known" || value.value !== "" || placeholders?.length !== 1 || literals.length > 0) return null;
  return functions.every((name) => KEEPS_TEXT.has(name)) ? placeholders[0]! : null;
}

/** Functions that give a lone string argument back as it is, up to case (which names ignore). */
const KEEPS_TEXT: ReadonlySet<string> = new Set(["concat", "format", "string", "tolower", "toupper", "coalesce"]);

/** True for the number literal 0. */
function isZero(expr: Expr | undefined): boolean {
  return expr?.type === "Number" && expr.value === 0;
}

/** Index k when `expr` is element k of `range(0, n)`, which is k; else null. */
function rangeIndex(expr: Expr): Expr | null {
  return expr.type === "Index" && expr.object.type === "Call" && callName(expr.object) === "range" && isZero(expr.object.args[0]) ? expr.index : null;
}

/**
 * `expr` with every element of `range(0, n)` replaced by its index, so that Bicep's two ways of
 * writing a loop's element compare equal: `vms[copyIndex()]` (`for vm in vms`) and
 * `vms[range(0, length(vms))[copyIndex()]]` (`for i in range(0, length(vms))` reading `vms[i]`).
 * The same object when there is none.
 */
function withoutRangeIndexes(expr: Expr, depth = 0): Expr {
  if (depth > MAX_DEPTH) return expr;
  switch (expr.type) {
    case "Index": {
      const element = rangeIndex(expr);
      if (element) return withoutRangeIndexes(element, depth + 1);
      const object = withoutRangeIndexes(expr.object, depth + 1);
      const index = withoutRangeIndexes(expr.index, depth + 1);
      return object === expr.object && index === expr.index ? expr : { ...expr, object, index };
    }
    case "Member": {
      const object = withoutRangeIndexes(expr.object, depth + 1);
      return object === expr.object ? expr : { ...expr, object };
    }
    case "Call": {
      let args: Expr[] | null = null;
      expr.args.forEach((arg, i) => {
        const rewritten = withoutRangeIndexes(arg, depth + 1);
        if (rewritten !== arg) (args ??= [...expr.args])[i] = rewritten;
      });
      return args ? { ...expr, args } : expr;
    }
    default:
      return expr;
  }
}

/** Pieces of `format('{0}/{1}', a, b)`. */
function formatPieces(format: string, args: Expr[], scope: EvalScope, depth: number, fixedOnly: boolean): Piece[] {
  const pieces: Piece[] = [];
  let text = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if ((ch === "{" || ch === "}") && format[i + 1] === ch) {
      text += ch;
      i++;
      continue;
    }
    if (ch === "{") {
      const close = format.indexOf("}", i);
      const index = close > i ? Number(format.slice(i + 1, close)) : Number.NaN;
      const arg = Number.isInteger(index) ? args[index] : undefined;
      if (!arg) return [{ expr: `format(${JSON.stringify(format)})`, text: `format(${JSON.stringify(format)})` }];
      if (text) pieces.push({ lit: text });
      text = "";
      pieces.push(...exprPieces(arg, scope, depth + 1, fixedOnly));
      i = close;
      continue;
    }
    text += ch;
  }
  if (text) pieces.push({ lit: text });
  return pieces;
}

/** An expression piece: canonical lower-case text for comparison (see withoutRangeIndexes), printed text for messages. */
function opaque(expr: Expr): Piece {
  const text = printExpr(expr);
  const canonical = withoutRangeIndexes(expr);
  return { expr: (canonical === expr ? text : printExpr(canonical)).toLowerCase(), text };
}

/** Merges adjacent literal pieces and drops empty ones. */
export function normalize(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const last = out[out.length - 1];
    if ("lit" in piece) {
      if (piece.lit === "") continue;
      if (last && "lit" in last) out[out.length - 1] = { lit: last.lit + piece.lit };
      else out.push(piece);
    } else out.push(piece);
  }
  return out;
}

/** Splits pieces at every `/` found in literal text. */
export function splitSegments(pieces: Piece[]): Piece[][] {
  const segments: Piece[][] = [[]];
  for (const piece of pieces) {
    if ("expr" in piece) {
      segments[segments.length - 1]!.push(piece);
      continue;
    }
    const parts = piece.lit.split("/");
    parts.forEach((part, i) => {
      if (i > 0) segments.push([]);
      if (part) segments[segments.length - 1]!.push({ lit: part });
    });
  }
  return segments.map(normalize);
}

/** ARM compares names case-insensitively. */
export function samePieces(a: Piece[], b: Piece[]): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  return a.every((piece, i) => {
    const other = b[i]!;
    if ("lit" in piece) return "lit" in other && piece.lit.toLowerCase() === other.lit.toLowerCase();
    return "expr" in other && piece.expr === other.expr;
  });
}

/**
 * Pieces as a template would write them, for messages: the text when it is known (`vm-01`), else
 * an expression (`[parameters('vmName')]`, `[concat(parameters('prefix'), '-', copyIndex(1))]`).
 */
export function piecesText(pieces: Piece[]): string {
  if (pieces.every((p) => "lit" in p)) return pieces.map((p) => (p as { lit: string }).lit).join("");
  if (pieces.length === 1) return `[${(pieces[0] as { text: string }).text}]`;
  return `[concat(${pieces.map((p) => ("lit" in p ? quoteString(p.lit) : p.text)).join(", ")})]`;
}

type Atom = { char: string } | { expr: string };

/** Pieces as atoms: one per literal character (lower-case), one per expression. */
function atoms(pieces: Piece[]): Atom[] {
  const out: Atom[] = [];
  for (const piece of pieces) {
    if ("lit" in piece) for (const char of piece.lit.toLowerCase()) out.push({ char });
    else out.push({ expr: piece.expr });
  }
  return out;
}

/** True for a `copyIndex(...)` piece. */
const isCopyIndex = (atom: Atom | undefined): boolean => atom !== undefined && "expr" in atom && atom.expr.startsWith("copyindex(");

/**
 * True when `wanted` names one of the resources that `declared` (a name inside a copy loop) can
 * produce: equal pieces, where a `copyIndex()` piece of `declared` also stands for any number
 * (`concat(prefix, copyIndex())` produces `concat(prefix, '0')`).
 */
export function namesMatch(declared: Piece[], wanted: Piece[]): boolean {
  if (samePieces(declared, wanted)) return true;
  const a = atoms(declared);
  const b = atoms(wanted);
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const atom = a[i]!;
    const other = b[j];
    if (other === undefined) return false;
    if (isCopyIndex(atom)) {
      if (isCopyIndex(other)) {
        j++;
        continue;
      }
      const start = j;
      while (j < b.length && "char" in b[j]! && /[0-9]/u.test((b[j] as { char: string }).char)) j++;
      if (j === start) return false;
      continue;
    }
    if ("char" in atom ? !("char" in other) || other.char !== atom.char : !("expr" in other) || other.expr !== atom.expr) {
      return false;
    }
    j++;
  }
  return j === b.length;
}

/**
 * True when {@link namesMatch} is the whole answer: apart from what both names start or end with
 * alike (the same expression has the same value in both: `concat(parameters('p'), 'nic1')` is
 * never `concat(parameters('p'), 'nic2')`), `wanted` is written out, and the only expressions of
 * `declared` are `copyIndex()` calls, which stand for numbers alone. Otherwise two names that do
 * not match here may still be the same name at deployment.
 */
export function matchIsDecisive(declared: Piece[], wanted: Piece[]): boolean {
  const a = atoms(declared);
  const b = atoms(wanted);
  const same = (x: Atom, y: Atom) => ("char" in x ? "char" in y && x.char === y.char : "expr" in y && x.expr === y.expr && !isCopyIndex(x));
  let start = 0;
  while (start < a.length && start < b.length && same(a[start]!, b[start]!)) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && same(a[a.length - 1 - end]!, b[b.length - 1 - end]!)) end++;
  for (let i = start; i < b.length - end; i++) if ("expr" in b[i]!) return false;
  for (let i = start; i < a.length - end; i++) if ("expr" in a[i]! && !isCopyIndex(a[i])) return false;
  return true;
}

/**
 * A key that a copy-loop name and every name it matches (see namesMatch) share: runs of digits
 * and `copyIndex()` calls become one marker, so that `vm{copyIndex()}-web` and `vm12-web` have the
 * same key, and `vm{copyIndex()}-db` another.
 */
export function matchSkeleton(pieces: Piece[]): string {
  let out = "";
  let run = false;
  for (const atom of atoms(pieces)) {
    const digits = "char" in atom ? atom.char >= "0" && atom.char <= "9" : isCopyIndex(atom);
    if (!digits) out += "char" in atom ? atom.char : `\u0000${atom.expr}\u0000`;
    else if (!run) out += "\u0001";
    run = digits;
  }
  return out;
}

/** True when a name has a `copyIndex()` piece (namesMatch then matches it as a pattern). */
export function hasCopyIndex(pieces: Piece[]): boolean {
  return pieces.some((piece) => "expr" in piece && isCopyIndex(piece));
}

/**
 * A key of a name's atoms: for a `declared` name without `copyIndex()` (see hasCopyIndex),
 * `namesMatch(declared, wanted)` holds exactly when both keys are equal. Lets callers index names
 * in a Map instead of comparing every pair.
 */
export function nameKey(pieces: Piece[]): string {
  const parts: string[] = [];
  let run: string | null = null;
  for (const piece of pieces) {
    if ("lit" in piece) {
      if (piece.lit) run = (run ?? "") + piece.lit.toLowerCase();
      continue;
    }
    if (run !== null) parts.push(`l${run}`);
    run = null;
    parts.push(`e${piece.expr}`);
  }
  if (run !== null) parts.push(`l${run}`);
  return JSON.stringify(parts);
}
