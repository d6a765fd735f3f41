/**
 * Per-file cache of parsed template strings. Several rules and library helpers look at the same
 * string (a JSON literal, a resource name, a token of the source); parsing it once keeps a lint
 * pass linear. Parses depend on the text alone, so the cache is keyed on the string value; it
 * holds the strings of one file at a time (the template model starts a new file, see
 * {@link startParseCacheFile}) and is emptied when it outgrows {@link MAX_ENTRIES}.
 * Cached results are shared: callers must treat them as read-only.
 */
import type { AST } from "../json/types.js";
import { isExpressionString, parseTemplateString, type ParsedString } from "./parser.js";

/** String-valued JSON nodes whose parse result can be cached. */
export type StringNode = AST.JSONLiteral | AST.JSONTemplateLiteral;

/** Most cached parses (a bound for files with millions of distinct expressions). */
const MAX_ENTRIES = 1 << 18;

const parsedByValue = new Map<string, ParsedString>();
let currentFile: object | undefined;

/** Forgets the previous file's parses when `file` (a Program node) is not the file cached now. */
export function startParseCacheFile(file: object): void {
  if (file === currentFile) return;
  currentFile = file;
  parsedByValue.clear();
}

/**
 * {@link parseTemplateString} of `value`, parsed once per file. Only expressions are stored: a
 * literal string parses in one look at its first and last characters.
 */
export function parseCached(value: string): ParsedString {
  if (!isExpressionString(value)) return parseTemplateString(value);
  let parsed = parsedByValue.get(value);
  if (parsed === undefined) {
    if (parsedByValue.size >= MAX_ENTRIES) parsedByValue.clear();
    parsed = parseTemplateString(value);
    parsedByValue.set(value, parsed);
  }
  return parsed;
}

/** The string value of a string literal or template literal node, or null for other literals. */
export function stringNodeValue(node: StringNode): string | null {
  if (node.type === "JSONTemplateLiteral") return node.quasis[0]?.value.cooked ?? null;
  return typeof node.value === "string" ? node.value : null;
}

/**
 * {@link parseCached} of a string node's value. Non-string literals give a literal result of their
 * raw text (callers should check the node's value type first).
 */
export function parseStringNode(node: StringNode): ParsedString {
  const value = stringNodeValue(node);
  if (value === null) return { kind: "literal", value: node.type === "JSONLiteral" ? node.raw : "" };
  return parseCached(value);
}
