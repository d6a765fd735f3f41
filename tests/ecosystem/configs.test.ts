// The shipped configs end to end through the real `ESLint` class, on the bundled examples:
// `recommended`, `strict` and `all`, `--fix`, disable comments, `--cache`, `--concurrency`, and
// the README's recipes next to @eslint/json and eslint-plugin-jsonc.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint, type Linter } from "eslint";
import jsonc from "eslint-plugin-jsonc";
import { parseForESLint } from "jsonc-eslint-parser";
import {
  DIST_URL,
  ROOT,
  copyFromRoot,
  exampleFiles,
  linkNodeModules,
  loadPlugin,
  makeTempDir,
  messageLines,
  readmeBlocks,
  removeDir,
  writeFlatConfig,
  type Plugin,
} from "./support.js";

const { broken, clean } = exampleFiles();
const ALL_EXAMPLES = [...broken, ...clean];

let plugin: Plugin;
before(async () => {
  plugin = await loadPlugin();
});

/** Lints `files` (relative to the root) with an inline config and no config lookup. */
async function lint(config: Linter.Config[], files = ALL_EXAMPLES, options: ESLint.Options = {}): Promise<ESLint.LintResult[]> {
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: config, ...options });
  return eslint.lintFiles(files);
}

/** Only the arm-dsc messages, as comparable lines. */
function ownLines(results: readonly ESLint.LintResult[]): string[] {
  return messageLines(results, ROOT).filter((line) => / arm-dsc\//u.test(line));
}

describe("recommended, strict and all", () => {
  for (const name of ["recommended", "strict", "all"] as const) {
    test(`${name}: lints every example; every broken example reports, only enabled arm-dsc rules`, async () => {
      const config = plugin.configs[name];
      const enabled = new Set(config.flatMap((c) => Object.keys(c.rules ?? {})));
      const results = await lint(config);
      assert.equal(results.length, ALL_EXAMPLES.length, "every example is linted");
      for (const result of results) {
        const file = result.filePath.slice(ROOT.length);
        for (const m of result.messages) {
          assert.ok(!m.fatal, `${file}: ${m.message}`);
          assert.ok(m.ruleId && enabled.has(m.ruleId), `${file}: ${m.ruleId} is enabled in ${name}`);
          assert.equal(m.severity, 2, `${file}: ${m.ruleId} is an error`);
        }
        if (broken.includes(file)) assert.ok(result.errorCount > 0, `${file} reports under ${name}`);
        if (name === "recommended" && clean.includes(file)) {
          assert.deepEqual(result.messages.map((m) => `${m.ruleId} ${m.message}`), [], `${file} is clean under recommended`);
        }
      }
    });
  }

  test("all reports everything recommended reports (same rules, same default options)", async () => {
    const recommended = ownLines(await lint(plugin.configs.recommended));
    const all = new Set(ownLines(await lint(plugin.configs.all)));
    for (const line of recommended) assert.ok(all.has(line), line);
  });
});

describe("--fix", () => {
  for (const name of ["recommended", "strict", "all"] as const) {
    test(`${name}: fixed output parses, is stable, and leaves no fixable problem`, async () => {
      const results = await lint(plugin.configs[name], broken, { fix: true });
      let fixedFiles = 0;
      for (const result of results) {
        if (result.output === undefined) continue;
        fixedFiles++;
        const file = result.filePath.slice(ROOT.length);
        assert.doesNotThrow(() => parseForESLint(result.output!, { jsonSyntax: "JSONC" }), `${file}: fixed output parses`);
        assert.equal(result.fixableErrorCount, 0, `${file}: nothing fixable is left`);
        const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: plugin.configs[name], fix: true });
        const [again] = await eslint.lintText(result.output!, { filePath: result.filePath });
        assert.equal(again!.output, undefined, `${file}: a second --fix changes nothing`);
        assert.deepEqual(again!.messages, result.messages, `${file}: the same problems remain`);
      }
      assert.ok(fixedFiles > 0, "some broken example has a fix");
    });
  }
});

describe("disable comments inside templates", () => {
  test("/* eslint-disable */ and // eslint-disable-line silence exactly what they name", async () => {
    const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: plugin.configs.all });
    for (const file of broken) {
      const text = readFileSync(join(ROOT, file), "utf8");
      const [plain] = await eslint.lintText(text, { filePath: join(ROOT, file) });
      const own = plain!.messages.filter((m) => m.ruleId?.startsWith("arm-dsc/"));
      assert.ok(own.length > 0, `${file} reports`);

      const ruleIds = [...new Set(own.map((m) => m.ruleId!))];
      const [fileWide] = await eslint.lintText(`/* eslint-disable ${ruleIds.join(", ")} */\n${text}`, { filePath: join(ROOT, file) });
      assert.deepEqual(fileWide!.messages, [], `${file}: a file-wide disable silences every finding`);

      // A same-line directive keeps every line number (messages may cite other lines).
      const target = own[0]!;
      const lines = text.split("\n");
      lines[target.line - 1] = `${lines[target.line - 1]!.trimEnd()} // eslint-disable-line ${target.ruleId}`;
      const [sameLine] = await eslint.lintText(lines.join("\n"), { filePath: join(ROOT, file) });
      const expected = own
        .filter((m) => !(m.line === target.line && m.ruleId === target.ruleId))
        .map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`);
      assert.deepEqual(
        sameLine!.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`),
        expected,
        `${file}: the eslint-disable-line comment silences only ${target.ruleId} on line ${target.line}`,
      );
    }
  });
});

describe("--cache and --concurrency", () => {
  let dir: string;
  before(() => {
    dir = makeTempDir("configs");
    writeFlatConfig(dir, "all");
    linkNodeModules(dir);
    copyFromRoot(ALL_EXAMPLES, dir);
  });
  after(() => removeDir(dir));

  test("a cached second run and a run on worker threads give the serial results", async () => {
    const serial = messageLines(await new ESLint({ cwd: dir }).lintFiles(["examples"]), dir);
    assert.ok(serial.some((line) => / arm-dsc\//u.test(line)), "the examples report");

    const cacheLocation = join(dir, ".eslintcache");
    const cached = () => new ESLint({ cwd: dir, cache: true, cacheLocation }).lintFiles(["examples"]);
    assert.deepEqual(messageLines(await cached(), dir), serial, "first cached run");
    assert.ok(existsSync(cacheLocation), "the cache file is written");
    const cache = readFileSync(cacheLocation, "utf8");
    assert.deepEqual(messageLines(await cached(), dir), serial, "second run, from the cache");
    assert.equal(readFileSync(cacheLocation, "utf8"), cache, "nothing was re-linted");

    const threads = await new ESLint({ cwd: dir, concurrency: 2 }).lintFiles(["examples"]);
    assert.deepEqual(messageLines(threads, dir), serial, "--concurrency 2");
  });
});

describe("next to @eslint/json and eslint-plugin-jsonc", () => {
  let dir: string;
  let ours: string[];
  before(async () => {
    dir = makeTempDir("front-ends");
    linkNodeModules(dir);
    copyFromRoot(ALL_EXAMPLES, dir);
    writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "front-ends", private: true, type: "module" })}\n`);
    ours = ownLines(await lint(plugin.configs.recommended));
    assert.ok(ours.length > 0);
  });
  after(() => removeDir(dir));

  /** Lints the examples in `dir` with a config file and returns the messages relative to it. */
  async function lintWithConfigFile(source: string): Promise<ESLint.LintResult[]> {
    const file = join(dir, "eslint.config.js");
    writeFileSync(file, source);
    return new ESLint({ cwd: dir, overrideConfigFile: file }).lintFiles(["examples"]);
  }

  const recipes = readmeBlocks("## Using @eslint/json or eslint-plugin-jsonc", "js");
  test("the README has a recipe for each", () => {
    assert.equal(recipes.length, 2);
    assert.match(recipes[0]!, /from "@eslint\/json"/u);
    assert.match(recipes[0]!, /language: "json\/jsonc"/u);
    assert.match(recipes[1]!, /from "eslint-plugin-jsonc"/u);
  });

  for (const [index, recipe] of recipes.entries()) {
    test(`README recipe ${index + 1} gives the same arm-dsc findings, no parse error, and the other plugin's rules`, async () => {
      const source = recipe.replace(/from "eslint-plugin-arm-dsc"/u, `from ${JSON.stringify(DIST_URL)}`);
      assert.notEqual(source, recipe, "the recipe imports the plugin");
      const results = await lintWithConfigFile(source);
      const lines = messageLines(results, dir);
      assert.deepEqual(lines.filter((line) => / FATAL /u.test(line)), [], "every example parses");
      assert.deepEqual(lines.filter((line) => / arm-dsc\//u.test(line)), ours);
      const config = (await new ESLint({ cwd: dir, overrideConfigFile: join(dir, "eslint.config.js") }).calculateConfigForFile(
        join(dir, clean[0]!),
      )) as Linter.Config;
      const otherRules = Object.keys(config.rules ?? {}).filter((id) => /^(json|jsonc)\//u.test(id));
      assert.ok(otherRules.length > 0, "the other plugin's rules are on too");
    });
  }

  for (const order of ["jsonc first", "arm-dsc first"] as const) {
    test(`eslint-plugin-jsonc's recommended-with-jsonc, ${order}: no "Cannot redefine plugin", same findings`, async () => {
      const theirs = jsonc.configs["recommended-with-jsonc"] as Linter.Config[];
      const config = order === "jsonc first" ? [...theirs, ...plugin.configs.recommended] : [...plugin.configs.recommended, ...theirs];
      assert.deepEqual(ownLines(await lint(config)), ours);
    });
  }

  test('eslint-plugin-jsonc\'s language ("jsonc/jsonc") gives the same findings', async () => {
    const config = [...plugin.configs.recommended, { files: ["**/*.json", "**/*.jsonc"], plugins: { jsonc: jsonc as never }, language: "jsonc/jsonc" }];
    assert.deepEqual(ownLines(await lint(config)), ours);
  });
});
