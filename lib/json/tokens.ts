/**
 * Finding the few tokens of a file that may hold some text, by searching the source text first.
 * A loop over the token list reads every token object (about 10 ns each, and a large template has
 * hundreds of thousands); `indexOf` runs natively over the text and stops only where a match may
 * be, so the tokens looked at are those that hold such a place.
 */
import type { JsonToken } from "./types.js";

/** The first offset at or after `from` in `text` where a match may be, or -1 when there is none. */
export type TextSearch = (text: string, from: number) => number;

/**
 * The tokens that hold an offset one of `searches` finds in `text`, in source order, each once.
 * `tokens` must be the file's token list: in source order, not overlapping, ranges into `text`.
 * Offsets outside every token (in whitespace or a comment) are passed over.
 */
export function tokensHolding(tokens: readonly JsonToken[], text: string, searches: readonly TextSearch[]): JsonToken[] {
  const out: JsonToken[] = [];
  // The next offset each search found; -2 before its first search, -1 once it has found its last.
  const next = searches.map(() => -2);
  let from = 0;
  let index = 0;
  for (;;) {
    let at = -1;
    for (let i = 0; i < searches.length; i++) {
      if (next[i]! !== -1 && next[i]! < from) next[i] = searches[i]!(text, from);
      if (next[i]! >= 0 && (at < 0 || next[i]! < at)) at = next[i]!;
    }
    if (at < 0) return out;
    index = firstEndingAfter(tokens, at, index);
    const token = tokens[index];
    if (!token) return out;
    if (token.range[0] <= at) {
      out.push(token);
      index++;
      from = token.range[1];
    } else {
      from = token.range[0];
    }
  }
}

/** The index of the first token at or after `lo` whose range ends after `offset` (binary search). */
function firstEndingAfter(tokens: readonly JsonToken[], offset: number, lo: number): number {
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid]!.range[1] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** {@link TextSearch} for a backslash: a JSON escape may spell any character. */
export function nextBackslash(text: string, from: number): number {
  return text.indexOf("\\", from);
}
