#!/usr/bin/env node
// `npm start [-- [--config <name>] [--fix] <path>...]`: lints the bundled examples (or the given
// templates, files or folders anywhere) with the built plugin and prints the findings; with --fix
// it first applies the autofixes to the given files, as `eslint --fix` does. Exits 0 when linting
// ran, whatever it found, so npm adds no error noise; exits 2 on a usage error (an unknown option
// or config, a path that does not exist, --fix without a path) or when ESLint itself failed.
import { existsSync, statSync } from "node:fs";
import { dirname, parse, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

/** Stops with exit code 2 and a message on stderr. */
function fail(message) {
  console.error(message);
  process.exit(2);
}

const USAGE = "Usage: npm start [-- [--config <name>] [--fix] <file or folder>...]";
const args = process.argv.slice(2);
let configName = "recommended";
let fix = false;
const paths = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === "--help" || arg === "-h") {
    console.log(`${USAGE}\nLints the bundled examples, or the given templates, with a config of the plugin; --fix rewrites the given files with the autofixes first.`);
    process.exit(0);
  } else if (arg === "--config") {
    if (i + 1 >= args.length) fail("--config needs a name.");
    configName = args[++i];
  } else if (arg === "--fix") {
    fix = true;
  } else if (arg.startsWith("-")) {
    fail(`Unknown option "${arg}".\n${USAGE}`);
  } else paths.push(arg);
}
// `npm install` builds the plugin; a clone installed without its scripts has no build yet.
const built = new URL("../dist/index.js", import.meta.url);
if (!existsSync(built)) fail("The plugin is not built (dist/index.js is missing): run `npm run build` first.");
const { default: plugin } = await import(built.href);
if (!Object.hasOwn(plugin.configs, configName)) {
  fail(`Unknown config "${configName}"; use one of: ${Object.keys(plugin.configs).join(", ")}.`);
}
// The bundled examples are the repository's own files: --fix rewrites only what the user names.
if (fix && !paths.length) fail(`--fix needs a file or folder: it rewrites the files it lints.\n${USAGE}`);

// npm runs a script in the package's folder and passes the folder it was started from in
// INIT_CWD, so a relative path means what it meant where the user typed it.
const base = process.env.npm_lifecycle_event === "start" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
const targets = paths.length ? paths.map((p) => resolve(base, p)) : [fileURLToPath(new URL("../examples/", import.meta.url))];
const missing = targets.filter((t) => !existsSync(t));
if (missing.length) fail(`No such file or folder: ${missing.join(", ")}`);

/** The deepest folder that holds every path of `list` (all on one filesystem root). */
function commonFolder(list) {
  const folders = list.map((t) => (statSync(t).isDirectory() ? t : dirname(t)));
  let common = folders[0];
  while (!folders.every((f) => f === common || f.startsWith(common.endsWith(sep) ? common : common + sep))) {
    common = dirname(common);
  }
  return common;
}

// ESLint skips files outside its working folder, so the targets on each filesystem root are
// linted from the deepest folder that holds them all.
const groups = new Map();
for (const target of targets) {
  const root = parse(target).root;
  groups.set(root, [...(groups.get(root) ?? []), target]);
}
try {
  const results = [];
  const skipped = new Set();
  const rulesMeta = {};
  let eslint;
  for (const group of groups.values()) {
    eslint = new ESLint({
      cwd: commonFolder(group),
      overrideConfigFile: true,
      // ESLint lints a folder's JavaScript files by default: here only templates are wanted.
      overrideConfig: [...plugin.configs[configName], { name: "arm-dsc/start", ignores: ["**/*.js", "**/*.mjs", "**/*.cjs"] }],
      errorOnUnmatchedPattern: false,
      fix,
    });
    const groupResults = await eslint.lintFiles(group);
    if (fix) await ESLint.outputFixes(groupResults);
    results.push(...groupResults);
    // A file named on the command line that no config matches gets a result that only says so
    // (ESLint's own warning stays for a template it ignores, under node_modules, say).
    for (const result of groupResults) {
      if (!/\.jsonc?$/iu.test(result.filePath) && (await eslint.isPathIgnored(result.filePath))) skipped.add(result);
    }
    Object.assign(rulesMeta, eslint.getRulesMetaForResults(groupResults));
  }
  const linted = results.filter((r) => !skipped.has(r));
  const formatter = await eslint.loadFormatter("stylish");
  const output = await formatter.format(linted, rulesMeta);
  const problems = linted.reduce((sum, r) => sum + r.errorCount + r.warningCount, 0);
  process.stdout.write(output || "");
  const fixed = fix ? `, ${linted.filter((r) => r.output !== undefined).length} file(s) fixed` : "";
  // Absolute paths, as the findings above name their files.
  const names = [...skipped].map((r) => r.filePath);
  const ignored = skipped.size ? `, ${skipped.size} file(s) skipped (not .json or .jsonc: ${names.join(", ")})` : "";
  console.log(`arm-dsc (${configName}): ${linted.length} file(s) linted${fixed}${ignored}, ${problems} problem(s).`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
