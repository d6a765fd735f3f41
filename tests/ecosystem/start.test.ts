// The quick start: `npm start` lints the bundled examples, and `npm start -- <path>...` lints the
// user's templates wherever they are (ESLint skips files outside its working folder, so the script
// must not lint from the repository), reading relative paths from the folder npm was started in.
// Each run's findings are compared with the same config run through the ESLint API.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { ESLint } from "eslint";
import { ROOT, linkNodeModules, loadPlugin, makeTempDir, removeDir, run, type Plugin, type RunResult } from "./support.js";

const SCRIPT = join(ROOT, "scripts/lint.js");
const USAGE = "Usage: npm start [-- [--config <name>] [--fix] <file or folder>...]";
const TIMEOUT = 60_000;

/** This environment without the variables npm sets for a script, as a user's shell has it. */
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|INIT_CWD$)/iu.test(key)));

/** `npm <args>`, started in `cwd`. */
function npm(args: readonly string[], cwd: string): Promise<RunResult> {
  // Under `npm test`, npm names its own entry point; run that one rather than whatever is on PATH.
  const cli = process.env.npm_execpath;
  return cli && /\.[cm]?js$/u.test(cli)
    ? run(process.execPath, [cli, ...args], { cwd, env, timeoutMs: TIMEOUT })
    : run("npm", args, { cwd, env, timeoutMs: TIMEOUT });
}

/** `node scripts/lint.js <args>`, started outside npm. */
function script(args: readonly string[], cwd: string): Promise<RunResult> {
  return run(process.execPath, [SCRIPT, ...args], { cwd, env, timeoutMs: TIMEOUT });
}

/** `file line:column rule` for each finding of the stylish output, and its closing count line. */
function parseOutput(stdout: string): { findings: string[]; summary: string | undefined } {
  const findings: string[] = [];
  let file = "";
  for (const line of stdout.split("\n")) {
    if (isAbsolute(line)) file = line;
    const m = /^ +(\d+):(\d+) +(?:error|warning) +.*? {2,}(\S+)$/u.exec(line);
    if (m) findings.push(`${file} ${m[1]}:${m[2]} ${m[3]}`);
  }
  return { findings: findings.sort(), summary: /^arm-dsc \(.*$/mu.exec(stdout)?.[0] };
}

/** What the ESLint API finds in `paths` (absolute) with the plugin's `configName`, in the same form. */
async function reference(plugin: Plugin, cwd: string, paths: readonly string[], configName = "recommended") {
  const eslint = new ESLint({ cwd, overrideConfigFile: true, overrideConfig: plugin.configs[configName as "recommended"] });
  const results = await eslint.lintFiles([...paths]);
  const findings = results.flatMap((r) => r.messages.map((m) => `${r.filePath} ${m.line}:${m.column} ${m.ruleId}`)).sort();
  const summary = `arm-dsc (${configName}): ${results.length} file(s) linted, ${findings.length} problem(s).`;
  return { findings, summary };
}

describe("npm start", () => {
  let plugin: Plugin;
  let dir: string;
  let other: string;
  before(async () => {
    plugin = await loadPlugin();
    // Templates outside the repository: a folder, a second folder, and one file on its own.
    dir = makeTempDir("start");
    other = makeTempDir("start-other");
    cpSync(join(ROOT, "examples/broken"), join(dir, "templates"), { recursive: true });
    mkdirSync(join(dir, "single"));
    cpSync(join(ROOT, "examples/vm-dsc.json"), join(dir, "single/vm.json"));
    cpSync(join(ROOT, "examples/broken"), other, { recursive: true });
  });
  after(() => {
    removeDir(dir);
    removeDir(other);
  });

  test("with no path lints the bundled examples", { timeout: TIMEOUT }, async () => {
    const result = await npm(["start"], ROOT);
    assert.equal(result.code, 0, result.stderr);
    const expected = await reference(plugin, ROOT, [join(ROOT, "examples")]);
    assert.ok(expected.findings.length > 0, "the broken examples have findings");
    assert.deepEqual(parseOutput(result.stdout), expected);
  });

  test("lints a folder outside the repository, given by its absolute path", { timeout: TIMEOUT }, async () => {
    const target = join(dir, "templates");
    const result = await npm(["start", "--", target], ROOT);
    assert.equal(result.code, 0, result.stderr);
    const expected = await reference(plugin, dir, [target]);
    assert.ok(expected.findings.length > 0);
    assert.deepEqual(parseOutput(result.stdout), expected);
  });

  test("reads relative paths from the folder npm was started in, and takes --config", { timeout: TIMEOUT }, async () => {
    const result = await npm(["--prefix", ROOT, "start", "--", "--config", "strict", "templates", "single/vm.json"], dir);
    assert.equal(result.code, 0, result.stderr);
    const expected = await reference(plugin, dir, [join(dir, "templates"), join(dir, "single/vm.json")], "strict");
    assert.ok(expected.findings.some((f) => f.startsWith(join(dir, "templates"))));
    assert.match(expected.summary, /: 4 file\(s\) linted/u);
    assert.deepEqual(parseOutput(result.stdout), expected);
  });

  test("lints folders that share no folder but the root's, together", { timeout: TIMEOUT }, async () => {
    const result = await script([join(dir, "templates"), other], ROOT);
    assert.equal(result.code, 0, result.stderr);
    const first = await reference(plugin, dir, [join(dir, "templates")]);
    const second = await reference(plugin, other, [other]);
    const { findings, summary } = parseOutput(result.stdout);
    assert.deepEqual(findings, [...first.findings, ...second.findings].sort());
    const files = (s: string) => Number(/(\d+) file/u.exec(s)![1]);
    assert.equal(summary, `arm-dsc (recommended): ${files(first.summary) + files(second.summary)} file(s) linted, ${findings.length} problem(s).`);
  });

  test("stops with exit code 2 and a message on a missing path, a bad --config or an unknown option", { timeout: TIMEOUT }, async () => {
    const missing = await script(["templates", "nowhere"], dir);
    assert.deepEqual([missing.code, missing.stdout, missing.stderr], [2, "", `No such file or folder: ${join(dir, "nowhere")}\n`]);
    const unknown = await script(["--config", "loose", "templates"], dir);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, "");
    assert.equal(unknown.stderr, `Unknown config "loose"; use one of: ${Object.keys(plugin.configs).join(", ")}.\n`);
    const bare = await script(["templates", "--config"], dir);
    assert.deepEqual([bare.code, bare.stdout, bare.stderr], [2, "", "--config needs a name.\n"]);
    const option = await script(["--quiet", "templates"], dir);
    assert.deepEqual([option.code, option.stdout], [2, ""]);
    assert.equal(option.stderr, `Unknown option "--quiet".\n${USAGE}\n`);
    // --fix rewrites files: not the bundled examples, only files the user names
    const fixExamples = await script(["--fix"], dir);
    assert.deepEqual([fixExamples.code, fixExamples.stdout], [2, ""]);
    assert.equal(fixExamples.stderr, `--fix needs a file or folder: it rewrites the files it lints.\n${USAGE}\n`);
  });

  test("--fix rewrites the given files as ESLint's fix does, then prints what is left", { timeout: TIMEOUT }, async () => {
    const target = join(dir, "to-fix");
    const expectedDir = join(dir, "fixed-by-api");
    cpSync(join(ROOT, "examples/broken"), target, { recursive: true });
    cpSync(join(ROOT, "examples/broken"), expectedDir, { recursive: true });
    const eslint = new ESLint({ cwd: expectedDir, overrideConfigFile: true, overrideConfig: plugin.configs.recommended, fix: true });
    const fixedByApi = await eslint.lintFiles([expectedDir]);
    await ESLint.outputFixes(fixedByApi);
    assert.ok(fixedByApi.some((r) => r.output !== undefined), "the broken examples have autofixes");

    const result = await npm(["--prefix", ROOT, "start", "--", "--fix", "to-fix"], dir);
    assert.equal(result.code, 0, result.stderr);
    for (const name of readdirSync(target)) {
      assert.equal(readFileSync(join(target, name), "utf8"), readFileSync(join(expectedDir, name), "utf8"), name);
    }
    const left = await reference(plugin, dir, [target]);
    const fixedCount = fixedByApi.filter((r) => r.output !== undefined).length;
    assert.deepEqual(parseOutput(result.stdout), {
      findings: left.findings,
      summary: left.summary.replace(" file(s) linted,", ` file(s) linted, ${fixedCount} file(s) fixed,`),
    });
  });

  test("lints only the templates of a folder, and lists the named files it skips", { timeout: TIMEOUT }, async () => {
    const mixed = join(dir, "mixed");
    cpSync(join(ROOT, "examples/broken"), mixed, { recursive: true });
    // JavaScript that does not parse: ESLint would lint and report it in a folder by default.
    for (const name of ["build.js", "tool.mjs", "old.cjs"]) writeFileSync(join(mixed, name), "const x: number = 1;\n");
    writeFileSync(join(dir, "main.template"), "{}\n");
    const result = await script([mixed, join(dir, "main.template")], ROOT);
    assert.equal(result.code, 0, result.stderr);
    const templates = readdirSync(mixed).filter((name) => /\.jsonc?$/u.test(name)).map((name) => join(mixed, name));
    const expected = await reference(plugin, dir, templates);
    assert.ok(expected.findings.length > 0);
    const { findings, summary } = parseOutput(result.stdout);
    assert.deepEqual(findings, expected.findings);
    assert.doesNotMatch(result.stdout.replace(summary ?? "", ""), /main\.template|build\.js|Parsing error/u);
    assert.equal(
      summary,
      expected.summary.replace(" file(s) linted,", ` file(s) linted, 1 file(s) skipped (not .json or .jsonc: ${join(dir, "main.template")}),`),
    );
    // a template that ESLint ignores (under node_modules) keeps ESLint's own warning, which says why
    const vendored = join(dir, "node_modules/x/t.json");
    mkdirSync(join(dir, "node_modules/x"), { recursive: true });
    cpSync(join(ROOT, "examples/vm-dsc.json"), vendored);
    const ignored = await script([vendored, join(dir, "single/vm.json")], ROOT);
    assert.match(ignored.stdout, /File ignored by default because it is located under the node_modules directory/u);
    assert.doesNotMatch(ignored.stdout, /skipped/u);
  });

  test("without a build, says how to make one", { timeout: TIMEOUT }, async () => {
    // The script beside a clone's node_modules, with no dist/ folder next to it.
    const clone = makeTempDir("start-unbuilt");
    try {
      mkdirSync(join(clone, "scripts"));
      cpSync(SCRIPT, join(clone, "scripts/lint.js"));
      writeFileSync(join(clone, "package.json"), readFileSync(join(ROOT, "package.json")));
      linkNodeModules(clone);
      const result = await run(process.execPath, [join(clone, "scripts/lint.js")], { cwd: clone, env, timeoutMs: TIMEOUT });
      assert.deepEqual([result.code, result.stdout, result.stderr], [2, "", "The plugin is not built (dist/index.js is missing): run `npm run build` first.\n"]);
    } finally {
      removeDir(clone);
    }
  });

  test("--help prints the usage and lints nothing", { timeout: TIMEOUT }, async () => {
    const help = await script(["--help", "templates"], dir);
    assert.equal(help.code, 0);
    assert.ok(help.stdout.startsWith(`${USAGE}\n`), help.stdout);
    assert.doesNotMatch(help.stdout, /file\(s\) linted/u);
  });
});
