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
import plugin from "../dist/index.js";

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
  const rulesMeta = {};
  let eslint;
  for (const group of groups.values()) {
    eslint = new ESLint({
      cwd: commonFolder(group),
      overrideConfigFile: true,
      overrideConfig: plugin.configs[configName],
      errorOnUnmatchedPattern: false,
      fix,
    });
    const groupResults = await eslint.lintFiles(group);
    if (fix) await ESLint.outputFixes(groupResults);
    results.push(...groupResults);
    Object.assign(rulesMeta, eslint.getRulesMetaForResults(groupResults));
  }
  const formatter = await eslint.loadFormatter("stylish");
  const output = await formatter.format(results, rulesMeta);
  const problems = results.reduce((sum, r) => sum + r.errorCount + r.warningCount, 0);
  process.stdout.write(output || "");
  const fixed = fix ? `, ${results.filter((r) => r.output !== undefined).length} file(s) fixed` : "";
  console.log(`arm-dsc (${configName}): ${results.length} file(s) linted${fixed}, ${problems} problem(s).`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
