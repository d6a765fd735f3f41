/**
 * Per-file cache of parsed template strings. Several rules and library helpers look at the same
 * string (a JSON literal, a resource name, a token of the source); parsing it once keeps a lint
 * pass linear. Parses depend on the text alone, so the cache is keyed on the string value. Each
 * file has its own cache, owned by the file's AST through a WeakMap (so it goes when the AST
 * goes); the template model makes it the current one ({@link startParseCacheFile}). This module
 * holds the current cache, never the AST, and only until the next file starts. (It once held a
 * WeakRef, but a WeakRef keeps its target alive to the end of the job that read it, and ESLint's
 * `lintText` runs file after file in one job: every file's cache stayed alive to the end of the
 * run.) Before any file starts, strings are parsed every time; a helper called between lints uses
 * the last file's cache, which is still right because a parse depends on the text alone.
 * Cached results are shared: callers must treat them as read-only.
 */
import type { AST } from "../json/types.js";
import { isExpressionString, parseTemplateString, type ParsedString } from "./parser.js";

/** String-valued JSON nodes whose parse result can be cached. */
export type StringNode = AST.JSONLiteral | AST.JSONTemplateLiteral;

/** Most cached parses per file (a bound for files with millions of distinct expressions). */
const MAX_ENTRIES = 1 << 18;

/** What `json()` made of the texts it parsed in one file (least recently used first), their length in all, and the last text too long to keep among them. */
interface JsonCache {
  outcomes: Map<string, unknown>;
  chars: number;
  last: { text: string; outcome: unknown } | null;
}

/** One file's caches: its parsed expressions, and the outcomes of `json()`. */
interface FileCaches {
  parses: Map<string, ParsedString>;
  json: JsonCache;
}

const cachesByFile = new WeakMap<object, FileCaches>();
let current: Map<string, ParsedString> | undefined;
let currentJson: JsonCache | undefined;

/** Makes the caches of `file` (a Program node) the current ones. */
export function startParseCacheFile(file: object): void {
  let caches = cachesByFile.get(file);
  if (!caches) {
    caches = { parses: new Map(), json: { outcomes: new Map(), chars: 0, last: null } };
    cachesByFile.set(file, caches);
  }
  current = caches.parses;
  currentJson = caches.json;
}

/**
 * Most text (in characters, over all entries) the `json()` cache of a file holds: what a text
 * parses to may take several times its size, and a template may build many large texts that it
 * reads once each. The least recently used texts go first.
 */
const MAX_JSON_CHARS = 1 << 23;

/**
 * What `parse` makes of a text given to `json()`, computed once per file while the texts cached
 * stay within {@link MAX_JSON_CHARS}; a text longer than that is kept alone, as the last one
 * parsed. Computed every time before any file starts. The values are shared: callers must treat
 * them as read-only.
 */
export function cachedJson<T>(text: string, parse: (text: string) => T): T {
  const cache = currentJson;
  if (!cache) return parse(text);
  if (cache.last?.text === text) return cache.last.outcome as T;
  const outcomes = cache.outcomes;
  if (outcomes.has(text)) {
    // Most recently used last.
    const hit = outcomes.get(text);
    outcomes.delete(text);
    outcomes.set(text, hit);
    return hit as T;
  }
  const outcome = parse(text);
  if (text.length > MAX_JSON_CHARS) {
    cache.last = { text, outcome };
    return outcome;
  }
  for (const [old] of outcomes) {
    if (cache.chars + text.length <= MAX_JSON_CHARS && outcomes.size < MAX_ENTRIES) break;
    outcomes.delete(old);
    cache.chars -= old.length;
  }
  outcomes.set(text, outcome);
  cache.chars += text.length;
  return outcome;
}

/**
 * {@link parseTemplateString} of `value`, parsed once per file. Only expressions are stored: a
 * literal string parses in one look at its first and last characters.
 */
export function parseCached(value: string): ParsedString {
  const cache = isExpressionString(value) ? current : undefined;
  if (!cache) return parseTemplateString(value);
  let parsed = cache.get(value);
  if (parsed === undefined) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    parsed = parseTemplateString(value);
    cache.set(value, parsed);
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
