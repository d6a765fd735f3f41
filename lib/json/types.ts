import type { AST } from "jsonc-eslint-parser";

export type { AST };

/** A token or comment as the source code's token store returns it. */
export interface JsonToken {
  type: string;
  value: string;
  range: [number, number];
  loc: AST.SourceLocation;
}

/** Options accepted by the token-store lookups we use. */
export interface TokenLookupOptions {
  includeComments?: boolean;
  filter?: (token: JsonToken) => boolean;
  skip?: number;
}

/**
 * The part of ESLint's source code object that rules and fixers use. All three JSON front ends
 * (jsonc-eslint-parser as a parser, eslint-plugin-jsonc's language, @eslint/json through
 * eslint-json-compat-utils) provide it.
 */
export interface JsonSourceCode {
  readonly text: string;
  readonly lines: string[];
  readonly ast: unknown;
  readonly parserServices?: { isJSON?: boolean } & Record<string, unknown>;
  getText(node?: { range: [number, number] }): string;
  getTokenBefore(node: { range: [number, number] }, options?: TokenLookupOptions): JsonToken | null;
  getTokenAfter(node: { range: [number, number] }, options?: TokenLookupOptions): JsonToken | null;
  getFirstToken(node: { range: [number, number] }, options?: TokenLookupOptions): JsonToken | null;
  getLastToken(node: { range: [number, number] }, options?: TokenLookupOptions): JsonToken | null;
  getCommentsInside?(node: { range: [number, number] }): JsonToken[];
  /** Line (1-based) and column (0-based) of an offset; every ESLint source code has it. */
  getLocFromIndex?(index: number): { line: number; column: number };
}

/** One text edit, in the shape ESLint's fixer returns. */
export interface TextEdit {
  readonly range: readonly [number, number];
  readonly text: string;
}

/** The subset of ESLint's rule fixer used by lib/json. */
export interface JsonFixer {
  insertTextAfterRange(range: readonly [number, number], text: string): TextEdit;
  insertTextBeforeRange(range: readonly [number, number], text: string): TextEdit;
  replaceTextRange(range: readonly [number, number], text: string): TextEdit;
  removeRange(range: readonly [number, number]): TextEdit;
}
