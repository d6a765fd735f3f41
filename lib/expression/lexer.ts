/**
 * Tokenizer for the ARM template expression language (the text between the outer `[` and `]`).
 *
 * Tokens: `( ) [ ] , .`, single-quoted strings (`''` escapes a quote), numbers (digits with an
 * optional leading `-` or `+` and an optional fraction) and identifiers (letters, digits, `_`, `$`;
 * not starting with a digit). Whitespace between tokens is skipped. Letters, digits and spaces are
 * those of any script, as ARM's own reader (.NET) takes them: `.größe`, an ideographic space
 * between arguments. Everything is a plain character loop, linear in the input length.
 */

export type TokenType = "(" | ")" | "[" | "]" | "," | "." | "string" | "number" | "identifier" | "eof";

export interface Token {
  type: TokenType;
  /** String tokens: the unescaped value; numbers: the raw text; identifiers: the name; else the punctuation. */
  value: string;
  /** Offset of the first character, in the coordinates given by `base`. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export type TokenizeResult = { tokens: Token[] } | { error: string; offset: number };

const CH_QUOTE = 0x27; // '
const CH_MINUS = 0x2d; // -
const CH_PLUS = 0x2b; // +
const CH_DOT = 0x2e; // .

/** Letters, digits and spaces outside ASCII (tested only for characters past 0x7f). */
const OTHER_LETTER = /\p{L}/u;
const OTHER_DIGIT = /\p{Nd}/u;
const OTHER_SPACE = /[\p{Zs}\u0085]/u;

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isIdentifierStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code === 0x24 || (code > 0x7f && OTHER_LETTER.test(String.fromCharCode(code)));
}

export function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || isDigit(code) || (code > 0x7f && OTHER_DIGIT.test(String.fromCharCode(code)));
}

export function isWhitespace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code > 0x7f && OTHER_SPACE.test(String.fromCharCode(code)))
  );
}

/** True when `name` lexes as exactly one identifier token. */
export function isIdentifierName(name: string): boolean {
  if (name.length === 0 || !isIdentifierStart(name.charCodeAt(0))) return false;
  for (let i = 1; i < name.length; i++) {
    if (!isIdentifierPart(name.charCodeAt(i))) return false;
  }
  return true;
}

/** True when `raw` lexes as exactly one number token. */
export function isNumberLiteral(raw: string): boolean {
  let i = 0;
  if (raw.charCodeAt(0) === CH_MINUS) i++;
  const intStart = i;
  while (i < raw.length && isDigit(raw.charCodeAt(i))) i++;
  if (i === intStart) return false;
  if (i === raw.length) return true;
  if (raw.charCodeAt(i) !== CH_DOT) return false;
  i++;
  const fracStart = i;
  while (i < raw.length && isDigit(raw.charCodeAt(i))) i++;
  return i > fracStart && i === raw.length;
}

function describeChar(text: string, i: number): string {
  const code = text.codePointAt(i)!;
  // A character that prints as nothing or as a blank (a control, a zero-width or other space) is given by its code.
  if (!VISIBLE.test(String.fromCodePoint(code))) return `'\\u${code.toString(16).padStart(4, "0")}'`;
  return `'${String.fromCodePoint(code)}'`;
}

/** A letter, number, punctuation or symbol: what shows between quotes in a message (a lone combining mark does not). */
const VISIBLE = /^[\p{L}\p{N}\p{P}\p{S}]$/u;

/**
 * Splits `text` into tokens (ending with an `eof` token). Offsets are `base + index in text`, so a
 * caller that passes the inner text of `"[...]"` with `base = 1` gets offsets into the full string.
 */
export function tokenize(text: string, base = 0): TokenizeResult {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (isWhitespace(code)) {
      i++;
      continue;
    }
    const start = i;
    switch (code) {
      case 0x28: // (
      case 0x29: // )
      case 0x5b: // [
      case 0x5d: // ]
      case 0x2c: // ,
      case CH_DOT: {
        const ch = text[i] as TokenType;
        tokens.push({ type: ch, value: ch, start: base + i, end: base + i + 1 });
        i++;
        continue;
      }
      case CH_QUOTE: {
        // Text between doubled quotes is collected in pieces; indexOf keeps this linear and fast for
        // huge literals. Most strings have no doubled quote and are one slice.
        let value = "";
        let pos = i + 1;
        for (;;) {
          const close = text.indexOf("'", pos);
          if (close < 0) return { error: "Unterminated string literal", offset: base + start };
          if (text.charCodeAt(close + 1) === CH_QUOTE) {
            value += text.slice(pos, close + 1);
            pos = close + 2;
            continue;
          }
          value = pos === i + 1 ? text.slice(pos, close) : value + text.slice(pos, close);
          i = close + 1;
          break;
        }
        tokens.push({ type: "string", value, start: base + start, end: base + i });
        continue;
      }
      default:
        break;
    }
    if (code === CH_MINUS || code === CH_PLUS || isDigit(code)) {
      let j = i;
      if (code === CH_MINUS || code === CH_PLUS) j++;
      const intStart = j;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (j === intStart) return { error: `Expected a digit after '${text[start]}'`, offset: base + start };
      if (text.charCodeAt(j) === CH_DOT && j + 1 < n && isDigit(text.charCodeAt(j + 1))) {
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      tokens.push({ type: "number", value: text.slice(start, j), start: base + start, end: base + j });
      i = j;
      continue;
    }
    if (isIdentifierStart(code)) {
      let j = i + 1;
      while (j < n && isIdentifierPart(text.charCodeAt(j))) j++;
      tokens.push({ type: "identifier", value: text.slice(start, j), start: base + start, end: base + j });
      i = j;
      continue;
    }
    return { error: `Unexpected character ${describeChar(text, i)}`, offset: base + i };
  }
  tokens.push({ type: "eof", value: "", start: base + n, end: base + n });
  return { tokens };
}
