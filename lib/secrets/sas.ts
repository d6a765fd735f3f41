/**
 * Literal SAS token detection (reference §5.4): a query string with `sig=` next to one of `sv=`,
 * `se=`, `sp=`, `spr=`, `srt=` or `skoid=`, in any case, with or without a leading `?`. One
 * hand-written pass over the text; no regular expression touches user text.
 */

/** Query keys that, next to `sig`, mark a query string as a SAS token. */
const COMPANION_KEYS: ReadonlySet<string> = new Set(["sv", "se", "sp", "spr", "srt", "skoid"]);

/** Longest key the scanner reads; longer runs of letters are not SAS keys. */
const MAX_KEY_LENGTH = 16;

/** A SAS token found in a string. */
export interface SasMatch {
  /** Offset of the leading `?`, or of the first key when there is none. */
  start: number;
  /** Offset just after the token's last value. */
  end: number;
  /** The token's parameters in order (keys as written). */
  params: { key: string; value: string }[];
}

/** True for characters that end a URL in running text (whitespace, quotes, brackets, ...). */
function isDelimiter(code: number): boolean {
  return (
    code <= 0x20 ||
    code === 0x22 || // "
    code === 0x27 || // '
    code === 0x3c || // <
    code === 0x3e || // >
    code === 0x23 || // #
    code === 0x7c || // |
    code === 0x5c || // \
    code === 0x5e || // ^
    code === 0x60 || // `
    code === 0x7b || // {
    code === 0x7d || // }
    code === 0x28 || // (
    code === 0x29 || // )
    code === 0x5b || // [
    code === 0x5d || // ]
    code === 0x2c || // ,
    code === 0x3b // ;
  );
}

/** True for ASCII letters. */
function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * The first SAS token in `text`, or null. With `requireSignature`, the `sig=` value must be shaped
 * like a real signature (see `isSignatureShaped`): a bare `sig=` or a placeholder such as
 * `sig=XXXX` is a template of a token, not a token. Linear in the length of `text`.
 */
export function findSasToken(text: string, requireSignature = false): SasMatch | null {
  if (!mentionsSig(text)) return null;
  const n = text.length;
  let i = 0;
  // State of the current query group (reset at `?` and at delimiters).
  let groupStart = 0;
  let params: { key: string; value: string }[] = [];
  let hasSig = false;
  let hasCompanion = false;
  let groupEnd = 0;
  let atKey = true;
  while (i <= n) {
    const code = i < n ? text.charCodeAt(i) : -1;
    if (code === -1 || code === 0x3f /* ? */ || isDelimiter(code)) {
      if (hasSig && hasCompanion) return { start: groupStart, end: groupEnd, params };
      // A `?` opens a new group at itself; a delimiter opens one after itself.
      groupStart = code === 0x3f ? i : i + 1;
      groupEnd = groupStart;
      params = [];
      hasSig = false;
      hasCompanion = false;
      atKey = true;
      i++;
      continue;
    }
    if (code === 0x26 /* & */) {
      i++;
      atKey = true;
      continue;
    }
    if (!atKey) {
      i++;
      continue;
    }
    atKey = false;
    // Read a key: letters followed by `=`.
    let j = i;
    while (j < n && j - i <= MAX_KEY_LENGTH && isLetter(text.charCodeAt(j))) j++;
    if (j === i || j >= n || text.charCodeAt(j) !== 0x3d /* = */ || j - i > MAX_KEY_LENGTH) {
      i = j > i ? j : i + 1;
      continue;
    }
    const key = text.slice(i, j);
    // Read the value up to the next `&`, `?` or delimiter.
    let k = j + 1;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c === 0x26 || c === 0x3f || isDelimiter(c)) break;
      k++;
    }
    const value = text.slice(j + 1, k);
    const lower = key.toLowerCase();
    if (lower === "sig") {
      if (!requireSignature || isSignatureShaped(value)) hasSig = true;
    } else if (COMPANION_KEYS.has(lower)) hasCompanion = true;
    params.push({ key, value });
    groupEnd = k;
    i = k;
  }
  return null;
}

/** Length of a SAS signature: the Base64 of an HMAC-SHA256, 32 bytes, is 43 characters and one `=`. */
const SIGNATURE_LENGTH = 44;

/** The value of a hexadecimal digit, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** True for the characters of standard Base64 (`A-Z`, `a-z`, `0-9`, `+`, `/`). */
function isBase64Char(code: number): boolean {
  return isLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2f;
}

/**
 * True when a `sig=` value can be a real SAS signature. Storage (and Service Bus) sign a SAS with
 * an HMAC-SHA256 of the string-to-sign, Base64-encoded: 43 Base64 characters and one `=` padding
 * character, any of them percent-encoded (`%2B`, `%2F`, `%3D` in any case). Anything else, such
 * as `sig=XXXX` or `sig=123412341234` in a description's example, is not a working token.
 */
export function isSignatureShaped(value: string): boolean {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    let code = value.charCodeAt(i);
    if (code === 0x25 /* % */) {
      const high = hexValue(value.charCodeAt(i + 1));
      const low = hexValue(value.charCodeAt(i + 2));
      if (high < 0 || low < 0) return false;
      code = high * 16 + low;
      i += 2;
    }
    count++;
    if (count < SIGNATURE_LENGTH ? !isBase64Char(code) : count > SIGNATURE_LENGTH || code !== 0x3d /* = */) return false;
  }
  return count === SIGNATURE_LENGTH;
}

/** True when `text` contains `sig=` in any case (a cheap test before the full scan). */
function mentionsSig(text: string): boolean {
  let at = text.indexOf("=", 3);
  while (at >= 0) {
    if (
      (text.charCodeAt(at - 3) | 0x20) === 0x73 &&
      (text.charCodeAt(at - 2) | 0x20) === 0x69 &&
      (text.charCodeAt(at - 1) | 0x20) === 0x67
    ) {
      return true;
    }
    at = text.indexOf("=", at + 1);
  }
  return false;
}

/** True when `text` holds a SAS token. */
export function hasSasToken(text: string, requireSignature = false): boolean {
  return findSasToken(text, requireSignature) !== null;
}

/** Longest value shown in a redacted token before it is shortened. */
const MAX_SHOWN_VALUE = 24;

/** The token with its signature replaced by `***` (and long values shortened), for messages. */
export function redactSasToken(text: string, match: SasMatch): string {
  const lead = text.charCodeAt(match.start) === 0x3f ? "?" : "";
  const shown = match.params.map(({ key, value }) => {
    if (key.toLowerCase() === "sig") return `${key}=***`;
    return `${key}=${value.length > MAX_SHOWN_VALUE ? `${value.slice(0, MAX_SHOWN_VALUE)}...` : value}`;
  });
  return lead + shown.join("&");
}

/**
 * When `text` ends with a SAS query that starts at a `?`, the offset of that `?` (the text before
 * it is the URL, the rest the token); -1 otherwise.
 */
export function trailingTokenStart(text: string): number {
  const match = findSasToken(text);
  if (!match || match.end !== text.length || text.charCodeAt(match.start) !== 0x3f) return -1;
  // The token must be the last thing in the text: no other `?` after its start.
  return text.indexOf("?", match.start + 1) === -1 ? match.start : -1;
}

/** True when the whole of `text` is a SAS query (with or without a leading `?`). */
export function isWholeToken(text: string): boolean {
  const match = findSasToken(text);
  return match !== null && match.start === 0 && match.end === text.length;
}
