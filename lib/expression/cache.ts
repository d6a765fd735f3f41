/**
 * Per-file cache of parsed template strings. Several rules and library helpers look at the same
 * JSON string literal; parsing it once per AST node keeps a lint pass linear. The cache is a
 * `WeakMap` keyed on the AST node, so entries live exactly as long as the file's AST.
 * Cached results are shared: callers must treat them as read-only.
 */
import type { AST } from "../json/types.js";
import { parseTemplateString, type ParsedString } from "./parser.js";

/** String-valued JSON nodes whose parse result can be cached. */
export type StringNode = AST.JSONLiteral | AST.JSONTemplateLiteral;

const parsedByNode = new WeakMap<StringNode, ParsedString>();

/** The string value of a string literal or template literal node, or null for other literals. */
export function stringNodeValue(node: StringNode): string | null {
  if (node.type === "JSONTemplateLiteral") return node.quasis[0]?.value.cooked ?? null;
  return typeof node.value === "string" ? node.value : null;
}

/**
 * {@link parseTemplateString} of a string node's value, parsed once per node. Non-string literals
 * give a literal result of their raw text (callers should check the node's value type first).
 */
export function parseStringNode(node: StringNode): ParsedString {
  let parsed = parsedByNode.get(node);
  if (parsed === undefined) {
    const value = stringNodeValue(node);
    parsed = value === null ? { kind: "literal", value: node.type === "JSONLiteral" ? node.raw : "" } : parseTemplateString(value);
    parsedByNode.set(node, parsed);
  }
  return parsed;
}
