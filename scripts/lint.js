#!/usr/bin/env node
// `npm start [-- <path>...]`: lints the bundled examples (or the given templates) with the built
// plugin and prints the findings. Exits 0 when linting ran, whatever it found, so npm adds no
// error noise; exits 2 when ESLint itself failed.
import { ESLint } from "eslint";
import plugin from "../dist/index.js";

const args = process.argv.slice(2);
let configName = "recommended";
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--config") configName = args[++i] ?? "";
  else paths.push(args[i]);
}
if (!Object.hasOwn(plugin.configs, configName)) {
  console.error(`Unknown config "${configName}"; use one of: ${Object.keys(plugin.configs).join(", ")}.`);
  process.exit(2);
}
const targets = paths.length ? paths : [new URL("../examples/", import.meta.url).pathname];

try {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: plugin.configs[configName],
    errorOnUnmatchedPattern: false,
  });
  const results = await eslint.lintFiles(targets);
  const formatter = await eslint.loadFormatter("stylish");
  const output = await formatter.format(results, eslint.getRulesMetaForResults(results));
  const problems = results.reduce((sum, r) => sum + r.errorCount + r.warningCount, 0);
  process.stdout.write(output || "");
  console.log(`arm-dsc (${configName}): ${results.length} file(s) linted, ${problems} problem(s).`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
