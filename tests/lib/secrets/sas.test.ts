import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClassifies } from "../../helpers/predicate.js";
import { findSasToken, hasSasToken, isSignatureShaped, isWholeToken, redactSasToken, trailingTokenStart } from "../../../lib/secrets/sas.js";

const TOKEN = "sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig=AbC%2Fdef%3D";

test("finds SAS query strings with sig= and a companion key, any case, with or without ?", () => {
  assert.ok(hasSasToken(`?${TOKEN}`));
  assert.ok(hasSasToken(TOKEN));
  assert.ok(hasSasToken(`https://acct.blob.core.windows.net/c/x.zip?${TOKEN}`));
  assert.ok(hasSasToken("?SV=2020-08-04&SIG=abc"));
  for (const key of ["sv", "se", "sp", "spr", "srt", "skoid"]) assert.ok(hasSasToken(`?${key}=1&sig=x`), key);
  assert.ok(hasSasToken("see https://h/x?sig=abc&se=2030 for details"));
});

test("does not take sig= alone, other keys, or words for a token", () => {
  assert.equal(findSasToken("?sig=abc"), null);
  assert.equal(findSasToken("?st=1&sr=b&sig=abc"), null);
  assert.equal(findSasToken("design=1&sv=2"), null);
  assert.equal(findSasToken("the signature sig=abc and sv=1 are in two sentences"), null);
  assert.equal(findSasToken(""), null);
  assert.equal(findSasToken("[parameters('sig')]"), null);
});

/** The Base64 of 32 bytes ("fake-signature-for-tests-32bytes"): shaped like an HMAC-SHA256 signature. */
const SIGNATURE = "ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3RzLTMyYnl0ZXM=";

test("isSignatureShaped: 43 Base64 characters and one =, any of them percent-encoded", () => {
  assert.equal(SIGNATURE.length, 44);
  assertClassifies(
    isSignatureShaped,
    [
      SIGNATURE,
      SIGNATURE.replace("=", "%3D"),
      SIGNATURE.replace("=", "%3d"),
      `${"+/".repeat(21)}A%3D`,
      `${"%2B%2f".repeat(21)}A=`,
      "YW5vdGhlciBmYWtlIG9uZSwgMzIgYnl0ZXMgbG9uZyE%3D",
    ],
    [
      "",
      "x",
      "abc",
      "***",
      "123412341234",
      "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
      SIGNATURE.slice(0, -1),
      `${SIGNATURE}=`,
      `A${SIGNATURE}`,
      SIGNATURE.replace("=", "A"),
      SIGNATURE.replace("Z", "="),
      SIGNATURE.replace("Z", "-"),
      SIGNATURE.replace("=", "%3"),
      SIGNATURE.replace("=", "%ZZ"),
      SIGNATURE.replace("=", "%"),
      SIGNATURE.replace("Z", "%20"),
    ],
  );
});

test("requireSignature needs a value shaped like a real signature", () => {
  assert.ok(findSasToken("?sv=2020&sig="));
  assert.ok(findSasToken("?sv=2020&sig=x"));
  assert.equal(findSasToken("?sv=2020&sig=", true), null);
  assert.equal(findSasToken("?sv=2020&sig=x", true), null);
  assert.equal(findSasToken("?sp=racwl&st=2021-01-01T12:00:00&se=2021-02-01T12:00:00&spr=https&sv=2021-01-01&sig=123412341234", true), null);
  assert.ok(findSasToken(`?sv=2020&sig=${SIGNATURE}`, true));
  // The signature may come before its companion keys, and a later group may hold the real one.
  assert.ok(findSasToken(`?sig=${SIGNATURE.replace("=", "%3D")}&se=2030`, true));
  assert.deepEqual(findSasToken(`?sv=1&sig=abc then ?sv=2&sig=${SIGNATURE}`, true)?.params, [
    { key: "sv", value: "2" },
    { key: "sig", value: SIGNATURE },
  ]);
});

test("reports where the token starts and ends", () => {
  const url = `https://h/c/x.zip?${TOKEN}`;
  const match = findSasToken(url)!;
  assert.equal(url.slice(match.start, match.end), `?${TOKEN}`);
  const inText = `get ${url} now`;
  const m2 = findSasToken(inText)!;
  assert.equal(inText.slice(m2.start, m2.end), `?${TOKEN}`);
});

test("redaction hides the signature and shortens long values", () => {
  const text = `?${TOKEN}`;
  assert.equal(redactSasToken(text, findSasToken(text)!), "?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig=***");
  const long = `sv=${"x".repeat(40)}&sig=secret`;
  assert.equal(redactSasToken(long, findSasToken(long)!), `sv=${"x".repeat(24)}...&sig=***`);
});

test("trailing and whole tokens", () => {
  assert.equal(trailingTokenStart(`https://h/x.zip?${TOKEN}`), "https://h/x.zip".length);
  assert.equal(trailingTokenStart(`https://h/x.zip?${TOKEN}&extra`), -1);
  assert.equal(trailingTokenStart(`https://h/x.zip?${TOKEN}#frag`), -1);
  assert.equal(trailingTokenStart(TOKEN), -1);
  assert.ok(isWholeToken(`?${TOKEN}`));
  assert.ok(isWholeToken(TOKEN));
  assert.ok(!isWholeToken(`https://h/x.zip?${TOKEN}`));
});

// A hang guard, not a speed check: a scan that backtracked or rescanned would take many minutes on
// these megabyte strings; the linear one takes milliseconds.
test("scans megabyte strings without backtracking", { timeout: 120_000 }, () => {
  const inputs = [
    "sig=".repeat(250_000),
    "&".repeat(1_000_000),
    `?${"a".repeat(1_000_000)}=`,
    `${"sig=x&".repeat(150_000)}`,
    "=".repeat(1_000_000),
    `?${"sv=1&".repeat(150_000)}sig`,
  ];
  // None of them is a token (a `sig` key alone, or no `sig` value).
  for (const input of inputs) assert.equal(findSasToken(input), null, input.slice(0, 20));
  const url = `https://h/${"a".repeat(1_000_000)}.zip?sv=2022-11-02&sr=b&sig=abc%3D`;
  const match = findSasToken(url);
  assert.deepEqual(match && { start: match.start, end: match.end, keys: match.params.map((p) => p.key) }, {
    start: url.indexOf("?"),
    end: url.length,
    keys: ["sv", "sr", "sig"],
  });
});
