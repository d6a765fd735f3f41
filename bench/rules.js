#!/usr/bin/env node
// Per-rule times of the `recommended` config, from ESLint's own `stats`, for finding hot spots:
//   node --import tsx bench/rules.js            the real corpus
//   node --import tsx bench/rules.js 2000       a generated template with 2,000 scale sets
// Prints the median over 5 passes (after the same warm-up as run.js) of each rule's time (its
// `create` and its listeners), and of ESLint's parse and total times. A first rule, `bench/model`,
// only builds the template model, so its row is the model's cost and the rules' rows exclude it.
// It needs the model cache the rules share, which dist/index.js (one bundled module) does not
// export, so it runs the TypeScript sources through tsx (which compiles with the same esbuild).
import { ESLint } from "eslint";
import plugin from "../index.ts";
import { templateOf } from "../lib/rule.ts";
import { floor } from "./configs.js";
import { corpusFiles, generatedFile, ROOT, warmupRounds } from "./workloads.js";

const PASSES = 5;

const count = Number(process.argv[2]);
const files = count ? [generatedFile(count)] : corpusFiles();

/** Builds the model (cached per file for the rules that follow) and listens to nothing. */
const model = { meta: { type: "problem", schema: [] }, create: (context) => (templateOf(context), {}) };
const config = [
  ...floor,
  { name: "bench/model", files: ["**/*.json", "**/*.jsonc"], plugins: { "bench-model": { rules: { model } } }, rules: { "bench-model/model": "error" } },
  ...plugin.configs.recommended,
];
const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: config, stats: true });
const passes = [];
const warmups = warmupRounds(files.reduce((sum, f) => sum + f.text.length, 0));
for (let pass = -warmups; pass < PASSES; pass++) {
  const times = { "(parse)": 0, "(total)": 0 };
  for (const file of files) {
    const [result] = await eslint.lintText(file.text, { filePath: file.path });
    const stats = result.stats.times.passes[0];
    times["(parse)"] += stats.parse.total;
    times["(total)"] += stats.total;
    for (const [rule, t] of Object.entries(stats.rules ?? {})) times[rule] = (times[rule] ?? 0) + t.total;
  }
  if (pass >= 0) passes.push(times);
}

const median = (key) => passes.map((p) => p[key] ?? 0).sort((a, b) => a - b)[passes.length >> 1];
console.log(`${count ? `${count} generated scale sets` : `corpus (${files.length} files)`}: median ms of ${PASSES} passes`);
for (const key of Object.keys(passes[0]).sort((a, b) => median(b) - median(a))) {
  console.log(`${median(key).toFixed(1).padStart(9)}  ${key}`);
}
