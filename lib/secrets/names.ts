/**
 * Name heuristics for secrets: which parameter names carry a SAS token and which argument or
 * property names hold a password, key, secret, token or credential. Names are split into words
 * (camelCase, PascalCase, acronyms, digits, `_`, `-`, `.`) in one linear pass.
 */

/** Words that mark a name as holding a secret. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  "password",
  "passwords",
  "passwd",
  "pwd",
  "pw",
  "passphrase",
  "secret",
  "secrets",
  "key",
  "keys",
  "token",
  "tokens",
  "credential",
  "credentials",
  "cred",
  "creds",
]);

/** Long secret words that also count inside a one-case compound (`adminpassword`). */
const SECRET_FRAGMENTS = ["password", "passwd", "passphrase", "secret", "credential"];

/** Short secret words that count at the end of a one-case compound (`storagekey`, `REGISTRATIONINFOTOKEN`, `admincreds`). */
const SECRET_SUFFIXES = ["key", "keys", "token", "tokens", "pwd", "pw", "cred", "creds"];

/**
 * Last words of names that plainly hold something other than the secret itself: a URL, a name, an
 * id, a path, or a public fact about the secret (its version, type, length, expiry, the thumbprint
 * of its certificate, its issuer, its rotation schedule, the domain of its account).
 */
const NOT_SECRET_LAST_WORDS: ReadonlySet<string> = new Set([
  "url",
  "urls",
  "uri",
  "uris",
  "name",
  "names",
  "id",
  "ids",
  "path",
  "paths",
  "location",
  "endpoint",
  "vault",
  "version",
  "type",
  "length",
  "size",
  "expiry",
  "expiration",
  "format",
  "count",
  "thumbprint",
  "thumbprints",
  "issuer",
  "audience",
  "schedule",
  "domain",
  "policy",
  "lifetime",
]);

/** Words that make a name public even next to a secret word (`publicKey`). */
const PUBLIC_WORDS: ReadonlySet<string> = new Set(["public"]);

/** Character classes for word splitting. */
const CharKind = { Other: 0, Lower: 1, Upper: 2, Digit: 3 } as const;
type CharKind = (typeof CharKind)[keyof typeof CharKind];

/** Class of one UTF-16 code unit (ASCII letters and digits; everything else separates words). */
function kindOf(code: number): CharKind {
  if (code >= 0x61 && code <= 0x7a) return CharKind.Lower;
  if (code >= 0x41 && code <= 0x5a) return CharKind.Upper;
  if (code >= 0x30 && code <= 0x39) return CharKind.Digit;
  return CharKind.Other;
}

/** The lower-case words of an identifier: `adminPassword` -> admin, password; `SASToken` -> sas, token. */
export function nameWords(name: string): string[] {
  const words: string[] = [];
  let start = -1;
  const n = name.length;
  for (let i = 0; i <= n; i++) {
    const kind = i < n ? kindOf(name.charCodeAt(i)) : CharKind.Other;
    if (kind === CharKind.Other) {
      if (start >= 0) words.push(name.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    const prev = kindOf(name.charCodeAt(i - 1));
    const next = i + 1 < n ? kindOf(name.charCodeAt(i + 1)) : CharKind.Other;
    const boundary =
      (prev === CharKind.Lower && kind === CharKind.Upper) ||
      (prev === CharKind.Upper && kind === CharKind.Upper && next === CharKind.Lower) ||
      (prev === CharKind.Digit) !== (kind === CharKind.Digit);
    if (boundary) {
      words.push(name.slice(start, i).toLowerCase());
      start = i;
    }
  }
  return words;
}

/**
 * True when a parameter name says it carries a SAS token: a word `sas`, or `sastoken` inside it; a
 * word with `sasurl` or `sasuri` inside it (`EXCHANGESASURL`, and `ExchangeSASURL`, where the
 * acronyms run together: names are case-insensitive); or a run of capitals ending in `SAS` before
 * another word (`SQLSASUrl`). A bare `sas` inside a word written in one case is too often part of
 * the word (`disaster`, `kansas`) to count.
 */
export function isSasName(name: string): boolean {
  if (name.toLowerCase().includes("sastoken")) return true;
  const words = nameWords(name);
  return words.some((word, i) => word === "sas" || /sasur[il]/u.test(word) || isSasAcronymRun(name, word, words[i + 1]));
}

/**
 * True for a run of capitals that ends in `SAS` and comes before `Url`, `Uri` or `Token`
 * (`SQLSASUrl`, `GPOSASUrl`); not `SSAS` (SQL Server Analysis Services: `SSASInstanceName`).
 */
function isSasAcronymRun(name: string, word: string, next: string | undefined): boolean {
  if (next === undefined || !SAS_RUN_NEXT_WORDS.has(next) || word.length <= 3 || !word.endsWith("sas") || word.endsWith("ssas")) return false;
  return name.includes(word.toUpperCase());
}

const SAS_RUN_NEXT_WORDS: ReadonlySet<string> = new Set(["url", "uri", "token"]);

/** Last words of a member that holds a SAS token itself (`sasToken`, `blobSasUrl`), not a fact about one (`sasExpiryHours`). */
const SAS_MEMBER_LAST_WORDS: ReadonlySet<string> = new Set(["sas", "token", "url", "uri", "key", "signature"]);

/**
 * True when an object member's name says it holds a SAS token: a SAS name (see isSasName) whose
 * last word is the token or where it goes (`storage.sasToken`, `storage.sasUrl`).
 */
export function isSasMemberName(name: string): boolean {
  if (!isSasName(name)) return false;
  const words = nameWords(name);
  return words.length === 1 || SAS_MEMBER_LAST_WORDS.has(words.at(-1)!);
}

/** True for `_artifactsLocationSasToken` in any case. */
export function isArtifactsSasTokenName(name: string): boolean {
  return name.toLowerCase() === "_artifactslocationsastoken";
}

/**
 * True when a name says it holds a secret (password, pwd, secret, key, token, credential, ...),
 * unless it plainly holds a URL, a name, an id or a property of the secret (`keyVaultName`,
 * `secretUrl`, `passwordLength`) or something public (`publicKey`).
 */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  const last = words.at(-1);
  if (last === undefined || NOT_SECRET_LAST_WORDS.has(last)) return false;
  if (words.some((w) => PUBLIC_WORDS.has(w))) return false;
  if (words.some((w, i) => SECRET_WORDS.has(w) && !notASecretWord(words, i))) return true;
  // Words written in one case run together (PowerShell and ARM names are case-insensitive, so
  // `DomainAdminpassword` is `DomainAdminPassword`, and `passPhrase` is `passphrase`): a long
  // secret word inside a word or spelled by whole words in a row, or a short one ending the last
  // word. (Not across a word's edge: `secRetention`, `compassWord`.)
  const compound = words.join("");
  if (NOT_SECRET_SUFFIXES.some((w) => compound.endsWith(w)) || [...PUBLIC_WORDS].some((w) => compound.includes(w))) return false;
  if (words.some((w, i) => hasSecretFragment(w) && words[i + 1] !== "less") || spellsFragment(words)) return true;
  return !isKeyWord(last) && SECRET_SUFFIXES.some((f) => last.length >= f.length + 3 && last.endsWith(f));
}

/**
 * True when the secret word at `words[i]` is not one here: what the name lacks (`PasswordLess`)
 * or the end of an English word split by a capital (`HotKey`, `monKeys`).
 */
function notASecretWord(words: readonly string[], i: number): boolean {
  return words[i + 1] === "less" || (i > 0 && isKeyWord(words[i - 1]! + words[i]!));
}

/** True when a word holds a long secret word, not as what it lacks (`passwordless`). */
function hasSecretFragment(word: string): boolean {
  return SECRET_FRAGMENTS.some((f) => word.includes(f) && !word.includes(`${f}less`));
}

/** True when whole words in a row spell a long secret word or its plural (`pass` `phrase`, `Pass` `Words`), not what a name lacks. */
function spellsFragment(words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    let spelled = words[i]!;
    for (let j = i + 1; j < words.length && spelled.length <= LONGEST_FRAGMENT; j++) {
      spelled += words[j]!;
      const singular = spelled.endsWith("s") ? spelled.slice(0, -1) : spelled;
      if ((SECRET_FRAGMENTS.includes(spelled) || SECRET_FRAGMENTS.includes(singular)) && words[j + 1] !== "less") return true;
    }
  }
  return false;
}

const LONGEST_FRAGMENT = Math.max(...SECRET_FRAGMENTS.map((f) => f.length));

/** True for an English word (or its plural) that ends like a secret and is not one. */
function isKeyWord(word: string): boolean {
  return KEY_WORDS.has(word) || (word.endsWith("s") && KEY_WORDS.has(word.slice(0, -1)));
}

/** English words that end like a secret and are not one. */
const KEY_WORDS: ReadonlySet<string> = new Set(["monkey", "donkey", "turkey", "hockey", "jockey", "whiskey", "lackey", "turnkey", "hotkey"]);

/** NOT_SECRET_LAST_WORDS long enough to end a one-case compound without a false match (`storagekeyname`, not `paid`). */
const NOT_SECRET_SUFFIXES = [...NOT_SECRET_LAST_WORDS].filter((w) => w.length >= 3);

/** True for a user-name key of a PSCredential object (`userName`, `user`, any case). */
export function isUserNameKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower === "username" || lower === "user";
}

/** True for the password key of a PSCredential object (`password`, any case). */
export function isPasswordKey(key: string): boolean {
  return key.toLowerCase() === "password";
}

/** True for a legacy `PrivateSettingsRef:<key>` reference (any case), which is not a secret itself. */
export function isPrivateSettingsRef(value: string): boolean {
  return value.length > 19 && value.slice(0, 19).toLowerCase() === "privatesettingsref:";
}
