import type { AST } from "jsonc-eslint-parser";
import { findProperty, isArray, isObject, isProperty, propertyName, rootExpression } from "./access.js";
import type { JsonFixer, JsonSourceCode, JsonToken, TextEdit } from "./types.js";

/** Formatting context: base indentation, one indentation unit, line ending. */
export interface FormatContext {
  indent: string;
  unit: string;
  eol: string;
}

/** Where moveProperty puts the property: an existing object, or a (possibly new) child `key` of `parent`. */
export type MoveTarget =
  | { obj: AST.JSONObjectExpression }
  | { parent: AST.JSONObjectExpression; key: string }
  /** Objects `path[0]`, `path[1]`, ... created one in the other below `parent` (the first after `after`). */
  | { parent: AST.JSONObjectExpression; path: readonly string[]; after?: AST.JSONProperty };

type Range = [number, number];

const WITH_COMMENTS = { includeComments: true } as const;

// ---------------------------------------------------------------------------------------------
// Plain text helpers (line structure is read from the text, so loc conventions never matter)
// ---------------------------------------------------------------------------------------------

/** True for a line-break character. */
function isBreak(ch: string | undefined): boolean {
  return ch === "\n" || ch === "\r" || ch === "\u2028" || ch === "\u2029";
}

/** The line ending the file uses: `\r\n` when present anywhere, else `\n`. */
export function detectEol(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

const EOL_CACHE = new WeakMap<object, string>();

/** detectEol of a source code's text, computed once per source code (the scan is O(file size)). */
export function sourceEol(sc: JsonSourceCode): string {
  let eol = EOL_CACHE.get(sc);
  if (eol === undefined) {
    eol = detectEol(sc.text);
    EOL_CACHE.set(sc, eol);
  }
  return eol;
}

/** Offset of the first character of the line containing `pos`. */
function lineStart(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && !isBreak(text[i - 1])) i--;
  return i;
}

/** Offset of the line break ending the line containing `pos` (or the text length). */
function lineEnd(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && !isBreak(text[i])) i++;
  return i;
}

/** Offset of the start of the line after the one containing `pos` (text length on the last line). */
function nextLineStart(text: string, pos: number): number {
  const end = lineEnd(text, pos);
  return text.startsWith("\r\n", end) ? end + 2 : Math.min(end + 1, text.length);
}

/**
 * The leading spaces/tabs of the line containing `pos`. The line is found through the source
 * code's line index when it has one, so a long (minified) line costs O(log n), not O(line).
 */
function indentAt(sc: JsonSourceCode, pos: number): string {
  const text = sc.text;
  const loc = sc.getLocFromIndex?.(pos);
  let i = loc ? pos - loc.column : lineStart(text, pos);
  const start = i;
  while (text[i] === " " || text[i] === "\t") i++;
  return text.slice(start, i);
}

/** True when only whitespace precedes `pos` on its line. */
function startsLine(text: string, pos: number): boolean {
  // Scan back only over blanks: on a long one-line object this stays O(1) per call, not O(line).
  let i = pos;
  while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  return i === 0 || isBreak(text[i - 1]);
}

/** True when only whitespace follows `pos` on its line. */
function endsLine(text: string, pos: number): boolean {
  let i = pos;
  while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  return i === text.length || isBreak(text[i]);
}

/** True when `text[from, to)` contains a line break. */
function hasBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isBreak(text[i])) return true;
  return false;
}

/** Number of line breaks in `text[from, to)` (`\r\n` counts once). */
function breakCount(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    if (text[i] === "\r" && text[i + 1] === "\n") continue;
    if (isBreak(text[i])) n++;
  }
  return n;
}

/** Skips whole blank lines starting at line start `pos`. */
function skipBlankLines(text: string, pos: number): number {
  let p = pos;
  while (p < text.length && endsLine(text, p) && lineEnd(text, p) < text.length) p = nextLineStart(text, p);
  return p;
}

/** Re-indents lines 2..n of `text` with `indent` (blank lines stay empty) and joins them with `eol`. */
export function indentText(text: string, indent: string, eol: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line, i) => {
      if (i === 0) return line;
      return line.trim() === "" ? "" : indent + line;
    })
    .join(eol);
}

/** Replaces the `from` indentation of lines 2..n by `to` (lines indented less are re-based on `to`). */
function shiftLines(text: string, from: string, to: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line, i) => {
      if (i === 0) return line;
      if (line.trim() === "") return "";
      return to + (line.startsWith(from) ? line.slice(from.length) : line.trimStart());
    })
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------------------

/** Orders edits by start then end, keeping the original order of ties (as ESLint does; the sort is stable). */
function sortEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits.slice().sort(compareEdits);
}

function compareEdits(a: TextEdit, b: TextEdit): number {
  return a.range[0] - b.range[0] || a.range[1] - b.range[1];
}

/** Sorts edits and merges touching ones; null when two edits overlap. */
export function mergeEdits(fixer: JsonFixer, edits: readonly TextEdit[]): TextEdit[] | null {
  const out: TextEdit[] = [];
  for (const edit of sortEdits(edits)) {
    const last = out.at(-1);
    if (last && edit.range[0] < last.range[1]) return null;
    if (last && edit.range[0] === last.range[1]) {
      out[out.length - 1] = fixer.replaceTextRange([last.range[0], edit.range[1]], last.text + edit.text);
    } else out.push(edit);
  }
  return out;
}

/** Applies non-overlapping edits to `text` (throws on overlap, like ESLint's fix merging). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = "";
  let pos = 0;
  for (const edit of sortEdits(edits)) {
    if (edit.range[0] < pos) throw new Error("Fix objects must not be overlapped in a report.");
    out += text.slice(pos, edit.range[0]) + edit.text;
    pos = edit.range[1];
  }
  return out + text.slice(pos);
}

/** Builds plain `{range, text}` edits; stateless, so every rule and file shares it. */
const FIXER: JsonFixer = Object.freeze<JsonFixer>({
  insertTextAfterRange: (range, text) => ({ range: [range[1], range[1]], text }),
  insertTextBeforeRange: (range, text) => ({ range: [range[0], range[0]], text }),
  replaceTextRange: (range, text) => ({ range: [range[0], range[1]], text }),
  removeRange: (range) => ({ range: [range[0], range[1]], text: "" }),
});

/** A fixer that builds plain `{range, text}` edits (the one shared instance). */
export function createFixer(): JsonFixer {
  return FIXER;
}

// ---------------------------------------------------------------------------------------------
// Tokens and comments
// ---------------------------------------------------------------------------------------------

/** True for a Line or Block comment. */
export function isCommentToken(token: JsonToken | null | undefined): token is JsonToken & { type: "Line" | "Block" } {
  return token?.type === "Line" || token?.type === "Block";
}

/** True for the punctuator `value` (never a comment). */
function isPunct(token: JsonToken | null | undefined, value: string): boolean {
  return token != null && !isCommentToken(token) && token.value === value;
}

/** Every comment of the file, in order. */
function allComments(sc: JsonSourceCode): JsonToken[] {
  const viaApi = (sc as { getAllComments?: () => JsonToken[] }).getAllComments;
  if (typeof viaApi === "function") return viaApi.call(sc);
  const fromAst = (sc.ast as { comments?: JsonToken[] } | null)?.comments;
  return Array.isArray(fromAst) ? fromAst : [];
}

/**
 * Comments lying entirely inside `[from, to]`. A file's comments come in source order, so a binary
 * search finds the first: every fix asks, and a scan of the whole list each time made the fixes of
 * a commented file quadratic. (A list found out of order is scanned whole.)
 */
function commentsIn(sc: JsonSourceCode, from: number, to: number): JsonToken[] {
  const comments = allComments(sc);
  if (!inSourceOrder(comments)) return comments.filter((c) => c.range[0] >= from && c.range[1] <= to);
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comments[mid]!.range[0] < from) lo = mid + 1;
    else hi = mid;
  }
  const out: JsonToken[] = [];
  for (let i = lo; i < comments.length && comments[i]!.range[0] <= to; i++) {
    if (comments[i]!.range[1] <= to) out.push(comments[i]!);
  }
  return out;
}

const SORTED_COMMENTS = new WeakMap<readonly JsonToken[], boolean>();

/** True when each comment of the list starts after the one before (checked once per list). */
function inSourceOrder(comments: readonly JsonToken[]): boolean {
  let sorted = SORTED_COMMENTS.get(comments);
  if (sorted === undefined) {
    sorted = comments.every((c, i) => i === 0 || c.range[0] >= comments[i - 1]!.range[1]);
    SORTED_COMMENTS.set(comments, sorted);
  }
  return sorted;
}

/** True when a non-comment token inside `node` spans lines (e.g. a JSON5 string continuation). */
function hasMultiLineToken(sc: JsonSourceCode, node: { range: Range }): boolean {
  let token = sc.getFirstToken(node);
  while (token && token.range[1] <= node.range[1]) {
    if (hasBreak(sc.text, token.range[0], token.range[1])) return true;
    token = sc.getTokenAfter(token);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Layout detection
// ---------------------------------------------------------------------------------------------

const UNIT_CACHE = new WeakMap<object, string>();

/** Members (properties or non-hole elements) of a container node. */
function membersOf(node: unknown): { range: Range }[] {
  if (isObject(node)) return node.properties;
  if (isArray(node)) return node.elements.filter((e): e is AST.JSONExpression => e !== null);
  return [];
}

/** The indentation step between `container` and its first member starting a line, if any. */
function unitOf(sc: JsonSourceCode, container: { range: Range }): string | undefined {
  const text = sc.text;
  const base = indentAt(sc, container.range[0]);
  for (const m of membersOf(container)) {
    if (!startsLine(text, m.range[0]) || !hasBreak(text, container.range[0], m.range[0])) continue;
    const own = indentAt(sc, m.range[0]);
    return own.length > base.length && own.startsWith(base) ? own.slice(base.length) : undefined;
  }
  return undefined;
}

/** First indentation step found anywhere in the document (depth-first from the root). */
function documentUnit(sc: JsonSourceCode): string | undefined {
  const stack: unknown[] = [rootExpression(sc.ast)];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isObject(node) && !isArray(node)) continue;
    const unit = unitOf(sc, node);
    if (unit) return unit;
    const children = isObject(node) ? node.properties.map((p) => p.value) : node.elements;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return undefined;
}

/** Indentation unit of the file: from `near` if it shows one, else the document, else 2 spaces. */
export function detectIndentUnit(sc: JsonSourceCode, near?: { range: Range }): string {
  const local = near ? unitOf(sc, near) : undefined;
  if (local) return local;
  let unit = UNIT_CACHE.get(sc);
  if (unit === undefined) {
    unit = documentUnit(sc) ?? "  ";
    UNIT_CACHE.set(sc, unit);
  }
  return unit;
}

/** Formatting context for a value text with no base indentation (insert functions add it). */
export function formatContext(sc: JsonSourceCode, near?: { range: Range }): FormatContext {
  return { indent: "", unit: detectIndentUnit(sc, near), eol: sourceEol(sc) };
}

/** Pretty-prints `value` as JSON in the file's style; throws TypeError for values JSON cannot hold. */
export function formatJson(value: unknown, ctx: FormatContext): string {
  const json = JSON.stringify(value, null, ctx.unit);
  if (json === undefined) throw new TypeError("formatJson: value has no JSON representation");
  return indentText(json, ctx.indent, ctx.eol);
}

/** Indentation of the members of `obj` (from a member starting its line, else object line + unit). */
function memberIndent(sc: JsonSourceCode, obj: AST.JSONObjectExpression): string {
  for (const p of obj.properties) if (startsLine(sc.text, p.range[0])) return indentAt(sc, p.range[0]);
  return indentAt(sc, obj.range[0]) + detectIndentUnit(sc, obj);
}

/** Text between key and value (`": "`, `":"`, ...) as used by the nearest object with properties. */
function colonText(sc: JsonSourceCode, obj: AST.JSONObjectExpression): string {
  let node: unknown = obj;
  while (node) {
    const first = isObject(node) ? node.properties[0] : undefined;
    if (first) {
      const between = sc.text.slice(first.key.range[1], first.value.range[0]);
      return /^[ \t]*:[ \t]*$/.test(between) ? between : ": ";
    }
    node = (node as { parent?: unknown }).parent;
  }
  return ": ";
}

/** Whitespace after commas in a one-line container (`" "` when none can be seen). */
function commaSpacing(sc: JsonSourceCode, container: { range: Range }): string {
  const members = membersOf(container);
  if (members.length < 2) return " ";
  const between = sc.text.slice(members[0]!.range[1], members[1]!.range[0]);
  const match = /^[ \t]*,([ \t]*)$/.exec(between);
  return match ? match[1]! : " ";
}

/** Padding inside the braces of a one-line container (`{ "a": 1 }` gives `" "`). */
function bracePadding(sc: JsonSourceCode, container: { range: Range }): string {
  const first = membersOf(container)[0];
  if (!first) return "";
  const between = sc.text.slice(innerRange(sc, container)[0], first.range[0]);
  return /^[ \t]*$/.test(between) ? between : "";
}

/** The range between the opening and closing bracket tokens of a container. */
function innerRange(sc: JsonSourceCode, container: { range: Range }): Range {
  const open = sc.getFirstToken(container);
  const close = sc.getLastToken(container);
  return [open ? open.range[1] : container.range[0], close ? close.range[0] : container.range[1]];
}

/** The object or array holding `obj` (through its property), if any. */
function containerOf(obj: AST.JSONObjectExpression): { range: Range } | undefined {
  const parent: unknown = obj.parent;
  const holder: unknown = isProperty(parent) ? parent.parent : parent;
  return isObject(holder) || isArray(holder) ? holder : undefined;
}

/** True when new members of `obj` should be written on the same line. */
function isOneLine(sc: JsonSourceCode, obj: AST.JSONObjectExpression): boolean {
  if (hasBreak(sc.text, obj.range[0], obj.range[1])) return false;
  if (obj.properties.length > 0) return true;
  const container = containerOf(obj);
  return container !== undefined && !hasBreak(sc.text, container.range[0], container.range[1]);
}

// ---------------------------------------------------------------------------------------------
// Property anatomy: which comments and commas belong to a property
// ---------------------------------------------------------------------------------------------

/** A property with the comments and comma that belong to it. */
interface Parts {
  prop: AST.JSONProperty;
  /** `{` or `,` before the property. */
  prev: JsonToken;
  /** The token or comment just before the owned range (not removed). */
  before: JsonToken;
  /** Start of the owned leading comments (own-line, no blank line before the property) or of the property. */
  start: number;
  /** End of the property and of comments between it and its comma. */
  bodyEnd: number;
  /** True when the piece ending at bodyEnd is a line comment. */
  bodyEndsWithLineComment: boolean;
  /** The comma after the property (including a JSONC trailing comma). */
  comma: JsonToken | null;
  /** Owned same-line comments after the comma (or after the property when it has none). */
  trailing: Range | null;
  trailingIsLine: boolean;
  /** End of everything owned. */
  end: number;
  /** First token or comment after `end`. */
  after: JsonToken;
}

/** Start of the owned leading comments of `prop` and the token before them. */
function leading(sc: JsonSourceCode, prop: AST.JSONProperty, prev: JsonToken): { start: number; before: JsonToken } {
  let start = prop.range[0];
  let cur = sc.getTokenBefore(prop, WITH_COMMENTS);
  while (
    isCommentToken(cur) &&
    hasBreak(sc.text, prev.range[1], cur.range[0]) &&
    breakCount(sc.text, cur.range[1], start) <= 1
  ) {
    start = cur.range[0];
    cur = sc.getTokenBefore(cur, WITH_COMMENTS);
  }
  return { start, before: cur ?? prev };
}

/** Same-line comments following `anchor`, when they end the line (or precede the closing brace). */
function trailing(sc: JsonSourceCode, anchor: JsonToken): JsonToken[] {
  const found: JsonToken[] = [];
  let cur = sc.getTokenAfter(anchor, WITH_COMMENTS);
  while (isCommentToken(cur) && !hasBreak(sc.text, anchor.range[1], cur.range[0])) {
    found.push(cur);
    cur = sc.getTokenAfter(cur, WITH_COMMENTS);
  }
  const last = found.at(-1);
  if (!last) return found;
  const next = sc.getTokenAfter(anchor);
  const owned = !next || isPunct(next, "}") || hasBreak(sc.text, last.range[1], next.range[0]);
  return owned ? found : [];
}

/** Computes the Parts of `prop`; null on an unexpected token layout. */
function propParts(sc: JsonSourceCode, prop: AST.JSONProperty): Parts | null {
  const prev = sc.getTokenBefore(prop);
  const next = sc.getTokenAfter(prop);
  if (!prev || !next || !(isPunct(prev, "{") || isPunct(prev, ",")) || !(isPunct(next, ",") || isPunct(next, "}"))) return null;
  const comma = next.value === "," ? next : null;
  const bodyLast = comma ? sc.getTokenBefore(comma, WITH_COMMENTS) : sc.getLastToken(prop);
  if (!bodyLast) return null;
  const anchor = comma ?? bodyLast;
  const tail = trailing(sc, anchor);
  const lastOwned = tail.at(-1) ?? anchor;
  const after = sc.getTokenAfter(lastOwned, WITH_COMMENTS);
  if (!after) return null;
  const lead = leading(sc, prop, prev);
  return {
    prop,
    prev,
    ...lead,
    bodyEnd: bodyLast.range[1],
    bodyEndsWithLineComment: bodyLast.type === "Line",
    comma,
    trailing: tail.length > 0 ? [tail[0]!.range[0], tail.at(-1)!.range[1]] : null,
    trailingIsLine: tail.at(-1)?.type === "Line",
    end: lastOwned.range[1],
    after,
  };
}

// ---------------------------------------------------------------------------------------------
// Removal
// ---------------------------------------------------------------------------------------------

/** A removal plan: edits plus the anatomy of each removed property. */
interface RemovalPlan {
  edits: TextEdit[];
  parts: Parts[];
}

/** End of `pos` extended over trailing spaces when only whitespace follows on its line. */
function extendToLineEnd(text: string, pos: number): number {
  return endsLine(text, pos) ? lineEnd(text, pos) : pos;
}

/** Range removing a run that is followed by a comma (first/middle property, or a trailing comma). */
function runRangeWithComma(text: string, first: Parts, last: Parts): Range {
  if (startsLine(text, first.start) && endsLine(text, last.end)) {
    const end = nextLineStart(text, last.end);
    return [lineStart(text, first.start), isPunct(first.before, "{") ? skipBlankLines(text, end) : end];
  }
  if (endsLine(text, last.end)) return [first.before.range[1], last.end];
  return [first.start, last.after.range[0]];
}

/** True when the object keeps comments outside `[from, to]` once the run is gone. */
function hasOtherComments(sc: JsonSourceCode, obj: AST.JSONObjectExpression, from: number, to: number): boolean {
  return commentsIn(sc, obj.range[0], obj.range[1]).some((c) => c.range[0] < from || c.range[1] > to);
}

/** Edits removing the consecutive properties first..last of `obj`. */
function runEdits(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, first: Parts, last: Parts, all: boolean): TextEdit[] {
  const text = sc.text;
  if (all && !hasOtherComments(sc, obj, first.start, last.end)) {
    return [fixer.replaceTextRange(innerRange(sc, obj), "")];
  }
  if (last.comma) return [fixer.removeRange(runRangeWithComma(text, first, last))];
  const tail = fixer.removeRange([first.before.range[1], extendToLineEnd(text, last.end)]);
  if (!isPunct(first.prev, ",")) return [tail];
  const beforeComma = sc.getTokenBefore(first.prev, WITH_COMMENTS)!;
  return [fixer.removeRange([beforeComma.range[1], first.prev.range[1]]), tail];
}

/** Groups sorted property indexes into runs of consecutive indexes. */
function runsOf(indexes: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const i of indexes) {
    const last = runs.at(-1);
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  }
  return runs;
}

/** Sorted, de-duplicated indexes of `props` in `obj`; null when one is not a property of `obj`. */
function indexesIn(obj: AST.JSONObjectExpression, props: readonly AST.JSONProperty[]): number[] | null {
  const set = new Set<number>();
  for (const p of props) {
    const i = obj.properties.indexOf(p);
    if (i < 0) return null;
    set.add(i);
  }
  return [...set].sort((a, b) => a - b);
}

/** Plans removing `props` from `obj`. */
function planRemoval(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, props: readonly AST.JSONProperty[]): RemovalPlan | null {
  const indexes = indexesIn(obj, props);
  if (!indexes) return null;
  const parts: Parts[] = [];
  for (const i of indexes) {
    const p = propParts(sc, obj.properties[i]!);
    if (!p) return null;
    parts.push(p);
  }
  const byIndex = new Map(indexes.map((i, k) => [i, parts[k]!]));
  const runs = runsOf(indexes);
  const all = runs.length === 1 && indexes.length === obj.properties.length;
  const edits = runs.flatMap(([a, b]) => runEdits(sc, fixer, obj, byIndex.get(a)!, byIndex.get(b)!, all));
  return { edits, parts };
}

/** The object all `props` belong to, or undefined when they differ. */
function commonParent(props: readonly AST.JSONProperty[]): AST.JSONObjectExpression | undefined {
  const obj = props[0]?.parent;
  return isObject(obj) && props.every((p) => p.parent === obj) ? obj : undefined;
}

/** True when a comment lies inside one of the properties (it would be lost with it). */
function hasInnerComment(sc: JsonSourceCode, props: readonly AST.JSONProperty[]): boolean {
  return props.some((p) => commentsIn(sc, p.range[0], p.range[1]).length > 0);
}

/** Removes several properties of one object with their commas; null when that would delete a comment. */
export function removeProperties(sc: JsonSourceCode, fixer: JsonFixer, props: readonly AST.JSONProperty[]): TextEdit[] | null {
  if (props.length === 0) return [];
  const obj = commonParent(props);
  if (!obj || hasInnerComment(sc, props)) return null;
  const plan = planRemoval(sc, fixer, obj, props);
  // A removal never deletes a comment, not even one written about the removed property: a fix
  // must not lose what the author wrote, so such a removal is refused (callers offer no fix).
  if (!plan || losesComment(sc, plan.edits, [])) return null;
  return mergeEdits(fixer, plan.edits);
}

/** Removes one property and its comma; null when that would delete a comment. */
export function removeProperty(sc: JsonSourceCode, fixer: JsonFixer, prop: AST.JSONProperty): TextEdit[] | null {
  return removeProperties(sc, fixer, [prop]);
}

// ---------------------------------------------------------------------------------------------
// Insertion
// ---------------------------------------------------------------------------------------------

/** A member to insert: text with no base indentation, optional trailing comment text. */
interface Entry {
  text: string;
  trailing: string;
  hasComments: boolean;
  trailingIsLine: boolean;
}

/** A plain `"key": value` entry. */
function plainEntry(sc: JsonSourceCode, obj: AST.JSONObjectExpression, key: string, valueText: string): Entry {
  return { text: JSON.stringify(key) + colonText(sc, obj) + valueText, trailing: "", hasComments: false, trailingIsLine: false };
}

/** The lines of entries for a multi-line object, each prefixed by eol + indent. */
function entryLines(entries: readonly Entry[], indent: string, eol: string, commaAfterLast: boolean): string {
  return entries
    .map((e, i) => {
      const comma = i < entries.length - 1 || commaAfterLast ? "," : "";
      const tail = e.trailing ? " " + indentText(e.trailing, indent, eol) : "";
      return eol + indent + indentText(e.text, indent, eol) + comma + tail;
    })
    .join("");
}

/** Entries joined for a one-line object. */
function oneLineText(entries: readonly Entry[], sep: string): string {
  return entries.map((e) => e.text).join("," + sep);
}

/** Inserts entries into an empty object. */
function insertIntoEmpty(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, entries: readonly Entry[]): TextEdit[] | null {
  const text = sc.text;
  const inner = innerRange(sc, obj);
  const comments = commentsIn(sc, inner[0], inner[1]);
  // An empty `{}` on one line opens onto lines of its own for entries that carry comments.
  if (isOneLine(sc, obj) && !entries.some((e) => e.hasComments)) {
    if (comments.length > 0) return null;
    const container = containerOf(obj)!;
    const pad = bracePadding(sc, container);
    return [fixer.replaceTextRange(inner, pad + oneLineText(entries, commaSpacing(sc, container)) + pad)];
  }
  const eol = sourceEol(sc);
  const base = indentAt(sc, obj.range[0]);
  const lines = entryLines(entries, base + detectIndentUnit(sc, obj), eol, false);
  const lastComment = comments.at(-1);
  if (!lastComment) return [fixer.replaceTextRange(inner, lines + eol + base)];
  if (hasBreak(text, lastComment.range[1], inner[1])) return [fixer.insertTextAfterRange(lastComment.range, lines)];
  return [fixer.replaceTextRange([lastComment.range[1], inner[1]], lines + eol + base)];
}

/** Inserts entries after `anchor` in a one-line object. */
function insertOneLine(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, anchor: Parts, entries: readonly Entry[]): TextEdit[] | null {
  if (entries.some((e) => e.hasComments)) return null;
  const sep = commaSpacing(sc, obj);
  const pos = anchor.comma ? anchor.bodyEnd : anchor.end;
  const base = indentAt(sc, obj.range[0]);
  const body = indentText("," + sep + oneLineText(entries, sep), base, sourceEol(sc));
  return [fixer.insertTextAfterRange([pos, pos], body)];
}

/** Inserts entries after `anchor` in a multi-line object. */
function insertMultiLine(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, anchor: Parts, entries: readonly Entry[]): TextEdit[] {
  const text = sc.text;
  const eol = sourceEol(sc);
  const indent = memberIndent(sc, obj);
  let body = entryLines(entries, indent, eol, anchor.comma !== null);
  if (!endsLine(text, anchor.end)) {
    const nextIndent = isPunct(anchor.after, "}") ? indentAt(sc, obj.range[0]) : indent;
    if (anchor.comma) return [fixer.replaceTextRange([anchor.end, anchor.after.range[0]], body + eol + nextIndent)];
    if (entries.at(-1)!.trailingIsLine) body += eol + indentAt(sc, obj.range[0]);
  }
  if (anchor.comma) return [fixer.insertTextAfterRange([anchor.end, anchor.end], body)];
  return [fixer.insertTextAfterRange([anchor.bodyEnd, anchor.bodyEnd], ","), fixer.insertTextAfterRange([anchor.end, anchor.end], body)];
}

/** Inserts entries into `obj` after `after` (default: its last property). */
function insertEntries(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, entries: readonly Entry[], after?: AST.JSONProperty): TextEdit[] | null {
  if (obj.properties.length === 0) return insertIntoEmpty(sc, fixer, obj, entries);
  const anchorProp = after ?? obj.properties.at(-1)!;
  if (anchorProp.parent !== obj) return null;
  const anchor = propParts(sc, anchorProp);
  if (!anchor) return null;
  if (isOneLine(sc, obj)) return insertOneLine(sc, fixer, obj, anchor, entries);
  return insertMultiLine(sc, fixer, obj, anchor, entries);
}

/** Inserts `"key": valueText` into `obj` (after `opts.after`, default last); null if the key exists. */
export function insertProperty(
  sc: JsonSourceCode,
  fixer: JsonFixer,
  obj: AST.JSONObjectExpression,
  key: string,
  valueText: string,
  opts: { after?: AST.JSONProperty } = {},
): TextEdit[] | null {
  if (!isObject(obj) || findProperty(obj, key)) return null;
  const edits = insertEntries(sc, fixer, obj, [plainEntry(sc, obj, key, valueText)], opts.after);
  return edits && mergeEdits(fixer, edits);
}

/** Replaces a node's text verbatim. */
export function replaceNode(fixer: JsonFixer, node: { range: Range }, text: string): TextEdit[] {
  return [fixer.replaceTextRange(node.range, text)];
}

/** Sets `key` (case-insensitive) to `valueText`: replaces the value if present, else inserts. */
export function setProperty(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, key: string, valueText: string): TextEdit[] | null {
  const existing = findProperty(obj, key);
  if (!existing) return insertProperty(sc, fixer, obj, key, valueText);
  const value = existing.value;
  if (commentsIn(sc, value.range[0], value.range[1]).length > 0) return null;
  const indented = indentText(valueText, indentAt(sc, existing.range[0]), sourceEol(sc));
  return replaceNode(fixer, value, indented);
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/** Key text for `name`, keeping the quote style of `key` where possible. */
function keyTextLike(key: AST.JSONProperty["key"], name: string): string {
  if (key.type === "JSONIdentifier" && /^[A-Za-z_$][\w$]*$/.test(name)) return name;
  const raw = key.type === "JSONLiteral" ? key.raw : "";
  if (!raw.startsWith("'")) return JSON.stringify(name);
  const body = JSON.stringify(name).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${body}'`;
}

/** Renames a property key, keeping its quote style. */
export function renameKey(fixer: JsonFixer, prop: AST.JSONProperty, newName: string): TextEdit[] {
  return [fixer.replaceTextRange(prop.key.range, keyTextLike(prop.key, newName))];
}

// ---------------------------------------------------------------------------------------------
// Moving
// ---------------------------------------------------------------------------------------------

/** The source text of a property (with its owned comments) as an Entry with no base indentation. */
function movedEntry(sc: JsonSourceCode, parts: Parts, rename?: string): Entry | null {
  const { prop } = parts;
  if (parts.bodyEndsWithLineComment || hasMultiLineToken(sc, prop)) return null;
  const text = sc.text;
  const key = rename === undefined ? text.slice(prop.key.range[0], prop.key.range[1]) : keyTextLike(prop.key, rename);
  const raw = text.slice(parts.start, prop.key.range[0]) + key + text.slice(prop.key.range[1], parts.bodyEnd);
  const src = indentAt(sc, prop.range[0]);
  return {
    text: shiftLines(raw, src, ""),
    trailing: parts.trailing ? shiftLines(text.slice(parts.trailing[0], parts.trailing[1]), src, "") : "",
    hasComments: commentsIn(sc, parts.start, parts.end).length > 0,
    trailingIsLine: parts.trailingIsLine,
  };
}

/** Ranges of the source that travel with moved properties. */
function movedRanges(parts: readonly Parts[]): Range[] {
  return parts.flatMap((p): Range[] => (p.trailing ? [[p.start, p.bodyEnd], p.trailing] : [[p.start, p.bodyEnd]]));
}

/** True when a comment inside a removed range is not carried by a moved range. */
function losesComment(sc: JsonSourceCode, removed: readonly TextEdit[], moved: readonly Range[]): boolean {
  const inside = (c: JsonToken, r: Range) => c.range[0] >= r[0] && c.range[1] <= r[1];
  return removed.some((e) =>
    commentsIn(sc, e.range[0], e.range[1]).some((c) => !moved.some((r) => inside(c, r))),
  );
}

/** A `"key": {entries}` entry with no base indentation. */
function wrapperEntry(sc: JsonSourceCode, holder: AST.JSONObjectExpression, key: string, entries: readonly Entry[], oneLine: boolean): Entry | null {
  const head = JSON.stringify(key) + colonText(sc, holder) + "{";
  const hasComments = entries.some((e) => e.hasComments);
  if (oneLine) {
    if (hasComments) return null;
    // The new braces are padded as the holder's own are (`{ "a": 1 }` or `{"a": 1}`).
    const pad = bracePadding(sc, holder);
    return { text: head + pad + oneLineText(entries, commaSpacing(sc, holder)) + pad + "}", trailing: "", hasComments, trailingIsLine: false };
  }
  const eol = sourceEol(sc);
  const text = head + entryLines(entries, detectIndentUnit(sc, holder), eol, false) + eol + "}";
  return { text, trailing: "", hasComments, trailingIsLine: false };
}

/** Removal plan for moved properties plus their entries; null if a comment would be lost. */
function planMove(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, props: readonly AST.JSONProperty[], renames: ReadonlyMap<AST.JSONProperty, string>): { edits: TextEdit[]; entries: Entry[] } | null {
  const plan = planRemoval(sc, fixer, obj, props);
  if (!plan || losesComment(sc, plan.edits, movedRanges(plan.parts))) return null;
  const entries: Entry[] = [];
  for (const p of plan.parts) {
    const entry = movedEntry(sc, p, renames.get(p.prop));
    if (!entry) return null;
    entries.push(entry);
  }
  return { edits: plan.edits, entries };
}

/** True when `inner` lies within `outer`. */
function contains(outer: { range: Range }, inner: { range: Range }): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** True when one of `names` already exists in `obj` (case-insensitive). */
function clashes(obj: AST.JSONObjectExpression, names: readonly string[]): boolean {
  return names.some((n) => findProperty(obj, n) !== undefined);
}

/** Moves `props` (all children of one object) into the existing object `target`. */
function moveInto(sc: JsonSourceCode, fixer: JsonFixer, props: readonly AST.JSONProperty[], target: AST.JSONObjectExpression, renames: ReadonlyMap<AST.JSONProperty, string>): TextEdit[] | null {
  const obj = commonParent(props);
  if (!obj || obj === target || props.some((p) => contains(p, target))) return null;
  if (clashes(target, props.map((p) => renames.get(p) ?? propertyName(p) ?? ""))) return null;
  const move = planMove(sc, fixer, obj, props, renames);
  const inserted = move && insertEntries(sc, fixer, target, move.entries);
  return move && inserted && mergeEdits(fixer, [...move.edits, ...inserted]);
}

/**
 * Moves `prop` into new objects `keys[0]`, `keys[1]`, ... created one in the other below `parent`
 * (not prop's own object), the first after `after` (default: last). The property keeps its comments.
 */
function moveIntoNewChild(
  sc: JsonSourceCode,
  fixer: JsonFixer,
  prop: AST.JSONProperty,
  parent: AST.JSONObjectExpression,
  keys: readonly string[],
  rename?: string,
  after?: AST.JSONProperty,
): TextEdit[] | null {
  if (contains(prop, parent) || keys.length === 0) return null;
  const move = planMove(sc, fixer, prop.parent, [prop], new Map(rename === undefined ? [] : [[prop, rename]]));
  if (!move) return null;
  const oneLine = isOneLine(sc, parent);
  let entries = move.entries;
  for (let i = keys.length - 1; i >= 0; i--) {
    const wrapper = wrapperEntry(sc, parent, keys[i]!, entries, oneLine);
    if (!wrapper) return null;
    entries = [wrapper];
  }
  const inserted = insertEntries(sc, fixer, parent, entries, after?.parent === parent ? after : undefined);
  return inserted && mergeEdits(fixer, [...move.edits, ...inserted]);
}

/** Moves `prop` into `target` (an object, or child `key` of `parent`, created when missing). */
export function moveProperty(sc: JsonSourceCode, fixer: JsonFixer, prop: AST.JSONProperty, target: MoveTarget, opts: { rename?: string } = {}): TextEdit[] | null {
  if (!isProperty(prop) || !isObject(prop.parent)) return null;
  const renames = new Map(opts.rename === undefined ? [] : [[prop, opts.rename]]);
  if ("obj" in target) return moveInto(sc, fixer, [prop], target.obj, renames);
  if ("path" in target) return moveIntoNewChild(sc, fixer, prop, target.parent, target.path, opts.rename, target.after);
  const existing = findProperty(target.parent, target.key);
  if (existing) return isObject(existing.value) ? moveInto(sc, fixer, [prop], existing.value, renames) : null;
  if (target.parent === prop.parent) return wrapNew(sc, fixer, target.parent, [prop], target.key, renames);
  return moveIntoNewChild(sc, fixer, prop, target.parent, [target.key], opts.rename);
}

/** Replaces the first wrapped property by the new child and removes the others. */
function wrapNew(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, props: readonly AST.JSONProperty[], key: string, renames: ReadonlyMap<AST.JSONProperty, string>): TextEdit[] | null {
  const indexes = indexesIn(obj, props);
  if (!indexes || indexes.length === 0) return null;
  const firstProp = obj.properties[indexes[0]!]!;
  const first = propParts(sc, firstProp);
  const rest = planMove(sc, fixer, obj, indexes.slice(1).map((i) => obj.properties[i]!), renames);
  const firstEntry = first && movedEntry(sc, first, renames.get(firstProp));
  if (!first || !rest || !firstEntry) return null;
  const multi = startsLine(sc.text, first.start) && hasBreak(sc.text, obj.range[0], obj.range[1]);
  const wrapper = wrapperEntry(sc, obj, key, [firstEntry, ...rest.entries], !multi);
  if (!wrapper) return null;
  const replacement = indentText(wrapper.text, indentAt(sc, first.start), sourceEol(sc));
  const edits = [fixer.replaceTextRange([first.start, first.bodyEnd], replacement), ...rest.edits];
  if (first.trailing) edits.push(fixer.removeRange([first.comma ? first.comma.range[1] : first.bodyEnd, first.trailing[1]]));
  return mergeEdits(fixer, edits);
}

/** Moves `props` of `obj` into its child object `key` (created in place of the first one when missing). */
export function wrapProperties(sc: JsonSourceCode, fixer: JsonFixer, obj: AST.JSONObjectExpression, props: readonly AST.JSONProperty[], key: string): TextEdit[] | null {
  if (props.length === 0 || commonParent(props) !== obj) return null;
  const existing = findProperty(obj, key);
  if (!existing) return wrapNew(sc, fixer, obj, props, key, new Map());
  if (!isObject(existing.value) || props.includes(existing)) return null;
  return moveInto(sc, fixer, props, existing.value, new Map());
}
