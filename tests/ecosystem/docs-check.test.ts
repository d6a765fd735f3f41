// The generated docs stay honest: `npm test` runs `scripts/update.ts --check`, and this test runs
// that script on a temp copy of the repository to show that it fails on a stale rule-doc header,
// README rule table, options table or rules index (without writing), names each stale file,
// fails on a missing rule doc, and that `npm run update` restores exactly the generated text.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, linkNodeModules, makeTempDir, removeDir, run } from "./support.js";

const STUB_HEADER = "<!-- end auto-generated rule header -->";
const OPTIONS_BEGIN = "<!-- begin auto-generated rule options list -->";
const OPTIONS_END = "<!-- end auto-generated rule options list -->";

let dir: string;
before(() => {
  dir = makeTempDir("docs");
  for (const path of ["scripts", "rules", "lib", "docs", "README.md", "package.json", "tsconfig.json"]) {
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  linkNodeModules(dir);
  // A rule whose doc is still being written gets a stub, so the test does not depend on that.
  for (const file of readdirSync(join(dir, "rules")).filter((f) => f.endsWith(".ts") && f !== "index.ts")) {
    const doc = join(dir, "docs/rules", `${file.slice(0, -3)}.md`);
    if (existsSync(doc)) continue;
    writeFileSync(doc, `${STUB_HEADER}\n\n## Options\n\n${OPTIONS_BEGIN}\n${OPTIONS_END}\n`);
  }
});
after(() => removeDir(dir));

/** Runs the copy's scripts/update.ts (with `--check` when asked). */
function update(check: boolean) {
  return run(process.execPath, ["--import", "tsx", "scripts/update.ts", ...(check ? ["--check"] : [])], { cwd: dir, timeoutMs: 60_000 });
}

/** The generated files of the copy, by path. */
function generated(): Map<string, string> {
  const files = ["README.md", "rules/index.ts", ...readdirSync(join(dir, "docs/rules")).map((f) => `docs/rules/${f}`)];
  return new Map(files.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

test("npm test runs the docs check", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  assert.match(pkg.scripts["docs:check"] ?? "", /scripts\/update\.ts --check$/u);
  assert.match(pkg.scripts.test ?? "", /npm run docs:check/u);
});

test("update.ts --check fails on stale generated text, names the files, and update restores them", { timeout: 180_000 }, async () => {
  const first = await update(false);
  assert.equal(first.code, 0, first.stderr);
  const fresh = generated();
  const clean = await update(true);
  assert.equal(clean.code, 0, `a freshly generated copy passes\n${clean.stderr}`);

  // Make one of each generated part stale.
  const docs = [...fresh.keys()].filter((f) => f.startsWith("docs/rules/")).sort();
  assert.ok(docs.length > 0);
  const headerDoc = docs[0]!;
  const stale = new Map<string, string>();
  const header = fresh.get(headerDoc)!;
  const description = header.split("\n")[2]!;
  assert.match(description, /^(Require|Disallow|Enforce) /u, `${headerDoc}: line 3 is the description`);
  stale.set(headerDoc, header.replace(description, "Require an outdated description."));
  const readme = fresh.get("README.md")!;
  const row = readme.split("\n").find((line) => line.startsWith("| [") && line.includes("(docs/rules/"))!;
  stale.set("README.md", readme.replace(`${row}\n`, ""));
  const index = fresh.get("rules/index.ts")!;
  stale.set("rules/index.ts", index.replace(/^ {2}".*\n/mu, ""));
  // An options table: one that the generator filled (its first row is the table header).
  const optionsDoc = docs.find((f) => fresh.get(f)!.includes(`${OPTIONS_BEGIN}\n| Option |`));
  if (optionsDoc) {
    const text = fresh.get(optionsDoc)!;
    const start = text.indexOf(OPTIONS_BEGIN) + OPTIONS_BEGIN.length;
    stale.set(optionsDoc, `${text.slice(0, start)}\n| stale |\n${text.slice(text.indexOf(OPTIONS_END))}`);
  }
  for (const [file, text] of stale) {
    assert.notEqual(text, fresh.get(file), `${file} was changed`);
    writeFileSync(join(dir, file), text);
  }

  const failed = await update(true);
  assert.equal(failed.code, 1, "the check fails");
  for (const file of stale.keys()) assert.ok(failed.stderr.includes(`  ${file}`), `${file} is named\n${failed.stderr}`);
  for (const [file, text] of stale) assert.equal(readFileSync(join(dir, file), "utf8"), text, `--check leaves ${file} alone`);

  const fixed = await update(false);
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.deepEqual(generated(), fresh, "update regenerates exactly the fresh text");

  rmSync(join(dir, headerDoc));
  const missing = await update(true);
  assert.equal(missing.code, 1);
  assert.ok(missing.stderr.includes(`${headerDoc} (missing)`), missing.stderr);
});
