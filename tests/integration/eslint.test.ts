// End to end through the ESLint class with the built package (dist/; `npm test` builds first):
// `--concurrency 2` and `--cache` (second run) give the same findings as a plain run, and
// disable comments work inside JSONC templates under the plugin's configs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ESLint, type Linter } from "eslint";

const root = fileURLToPath(new URL("../../", import.meta.url));
const distEntry = join(root, "dist", "index.js");
/** The examples and a few corpus files (VM, scale set, legacy format, nested deployments, a parameters file). */
const TARGETS = [
  "examples",
  "tests/corpus/templates/aqt2021/dsc-extension-iis-server-windows-vm__azuredeploy.json",
  "tests/corpus/templates/aqt2021/201-vmss-automation-dsc__nested__provisionServer.json",
  "tests/corpus/templates/Azure__AzureStack-QuickStart-Templates/201-vm-windows-comprehensive__azuredeploy.json",
  "tests/corpus/templates/aqt-current/application-workloads__sharepoint__sharepoint-adfs__azuredeploy.json",
  "tests/corpus/templates/Azure__RDS-Templates/rds-update-rdsh-collection__azuredeploy.parameters.json",
];

type Plugin = { configs: Record<"recommended" | "strict" | "all", Linter.Config[]>; rules: Record<string, unknown> };

/** One finding, comparable across runs. */
interface Finding {
  filePath: string;
  ruleId: string | null;
  messageId: string | undefined;
  line: number;
  column: number;
}

/** The findings of a run, with paths relative to the project, in a stable order. */
function findings(results: ESLint.LintResult[]): Finding[] {
  return results
    .flatMap((r) =>
      r.messages.map((m) => ({ filePath: relative(root, r.filePath), ruleId: m.ruleId, messageId: m.messageId, line: m.line, column: m.column })),
    )
    .sort((a, b) => a.filePath.localeCompare(b.filePath) || a.line - b.line || a.column - b.column || String(a.ruleId).localeCompare(String(b.ruleId)));
}

let tmp = "";
let plugin: Plugin;
let baseline: Finding[] = [];

/**
 * Writes an options module that loads the built plugin and returns its URL. With `throwing`, the
 * plugin's rules are replaced by rules that throw (same meta, so the same config hash).
 */
function optionsModule(name: string, options: string, throwing = false): URL {
  const file = join(tmp, `${name}.mjs`);
  const swap = throwing
    ? `const rules = Object.fromEntries(Object.entries(plugin.rules).map(([n, r]) => [n, { ...r, create() { throw new Error("rule ran although the cache holds the results"); } }]));\n` +
      `const throwing = { ...plugin, rules };\n` +
      `const config = plugin.configs.all.map((c) => (c.plugins ? { ...c, plugins: { "arm-dsc": throwing } } : c));\n`
    : `const config = plugin.configs.all;\n`;
  writeFileSync(
    file,
    `import plugin from ${JSON.stringify(pathToFileURL(distEntry).href)};\n${swap}` +
      `export default { cwd: ${JSON.stringify(root)}, overrideConfigFile: true, overrideConfig: config, ${options} };\n`,
  );
  return pathToFileURL(file);
}

describe("ESLint integration (built package)", () => {
  before(async () => {
    assert.ok(existsSync(distEntry), "dist/index.js is missing; run `npm run build` first (npm test does).");
    tmp = mkdtempSync(join(tmpdir(), "arm-dsc-eslint-"));
    plugin = ((await import(pathToFileURL(distEntry).href)) as { default: Plugin }).default;
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: plugin.configs.all });
    baseline = findings(await eslint.lintFiles(TARGETS));
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test("the plain single-thread run finds something in every target", () => {
    assert.ok(baseline.length > 0, "no findings at all");
    assert.ok(baseline.every((f) => f.ruleId?.startsWith("arm-dsc/")), "a message without a plugin rule (parse error or crash)");
  });

  test("--concurrency 2 gives the same findings", async () => {
    const eslint = await ESLint.fromOptionsModule(optionsModule("concurrency", "concurrency: 2"));
    assert.deepEqual(findings(await eslint.lintFiles(TARGETS)), baseline);
  });

  test("--cache gives the same findings on the first and the second (cached) run", async () => {
    const cacheLocation = join(tmp, "eslintcache");
    const url = optionsModule("cache", `cache: true, cacheLocation: ${JSON.stringify(cacheLocation)}`);
    const first = await ESLint.fromOptionsModule(url);
    assert.deepEqual(findings(await first.lintFiles(TARGETS)), baseline, "first run");
    assert.ok(existsSync(cacheLocation), "the cache file was not written");
    const cache = readFileSync(cacheLocation, "utf8");
    for (const f of baseline) assert.ok(cache.includes(JSON.stringify(join(root, f.filePath))), `${f.filePath} is not in the cache`);
    const second = await ESLint.fromOptionsModule(url);
    assert.deepEqual(findings(await second.lintFiles(TARGETS)), baseline, "second run");
    // Same config, but every rule throws: only a run answered from the cache can succeed.
    const cachedOnly = await ESLint.fromOptionsModule(optionsModule("cache-only", `cache: true, cacheLocation: ${JSON.stringify(cacheLocation)}`, true));
    assert.deepEqual(findings(await cachedOnly.lintFiles(TARGETS)), baseline, "run answered from the cache");
  });

  test("--concurrency 2 with --cache gives the same findings", async () => {
    const url = optionsModule("both", `concurrency: 2, cache: true, cacheLocation: ${JSON.stringify(join(tmp, "eslintcache-both"))}`);
    for (const run of ["first", "second"]) {
      const eslint = await ESLint.fromOptionsModule(url);
      assert.deepEqual(findings(await eslint.lintFiles(TARGETS)), baseline, run);
    }
  });

  describe("disable comments inside JSONC templates", () => {
    const file = "examples/broken/vm-legacy-settings.jsonc";
    for (const config of ["recommended", "all"] as const) {
      describe(`under configs.${config}`, () => {
        let eslint: ESLint;
        let text = "";
        let messages: Linter.LintMessage[] = [];
        before(async () => {
          eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: plugin.configs[config] });
          text = readFileSync(join(root, file), "utf8");
          messages = await lint(text);
          assert.ok(messages.length >= 2, `${file} should have at least two findings under ${config}`);
        });
        /** Lints `source` as the example file. */
        const lint = async (source: string) => (await eslint.lintText(source, { filePath: join(root, file) }))[0]!.messages;
        const key = (m: Linter.LintMessage, shift = 0) => `${m.line + shift}:${m.column} ${m.ruleId} ${m.messageId}`;
        const eol = () => (text.includes("\r\n") ? "\r\n" : "\n");

        test("/* eslint-disable */ silences every rule", async () => {
          assert.deepEqual(await lint(`/* eslint-disable */${eol()}${text}`), []);
        });

        test("/* eslint-disable arm-dsc/<rule> */ silences that rule only", async () => {
          const ruleId = messages[0]!.ruleId!;
          const after = await lint(`/* eslint-disable ${ruleId} */${eol()}${text}`);
          assert.deepEqual(after.map((m) => key(m)), messages.filter((m) => m.ruleId !== ruleId).map((m) => key(m, 1)));
        });

        test("// eslint-disable-next-line arm-dsc/<rule> silences that rule on the next line", async () => {
          const target = messages.at(-1)!;
          const lines = text.split(/(?<=\n)/);
          lines.splice(target.line - 1, 0, `// eslint-disable-next-line ${target.ruleId}${eol()}`);
          const after = await lint(lines.join(""));
          const expected = messages
            .filter((m) => !(m.line === target.line && m.ruleId === target.ruleId))
            .map((m) => key(m, m.line >= target.line ? 1 : 0));
          assert.deepEqual(after.map((m) => key(m)), expected);
          assert.ok(after.length < messages.length);
        });

        test("an unrelated rule named in a disable comment does not hide the finding", async () => {
          const target = messages.at(-1)!;
          const other = Object.keys(plugin.rules).map((n) => `arm-dsc/${n}`).find((id) => id !== target.ruleId);
          if (!other) return;
          const lines = text.split(/(?<=\n)/);
          lines.splice(target.line - 1, 0, `// eslint-disable-next-line ${other}${eol()}`);
          const after = await lint(lines.join(""));
          assert.ok(after.some((m) => m.line === target.line + 1 && m.ruleId === target.ruleId && m.messageId === target.messageId));
        });
      });
    }
  });
});
