#!/usr/bin/env node
// Compares the plugin of this checkout with the plugin of another checkout, in one process:
//   npm run build && node --expose-gc bench/compare.js <base> [size] [--rounds N]
// <base> is the root of another checkout with its dependencies installed and the plugin built (for
// example `git worktree add ../base main && cd ../base && npm ci && npm run build`). [size] is a
// number of generated scale sets (default: the real corpus). The floor, the base's `recommended`
// and this checkout's `recommended` alternate in every round, so a slow phase of the machine hits
// all three; it prints each config's median CPU time and the median of its per-round ratios to the
// floor, with the middle half of those ratios. This is how to judge a change on a noisy machine,
// where whole `npm run bench` runs move by up to 0.25x between themselves. Run it with `.` as
// <base> first: the two configs are then identical, and their gap is the noise of one run.
import { ESLint } from "eslint";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { floor, recommended } from "./configs.js";
import { corpusFiles, cpuNow, generatedFile, quantile, releaseLastFile, ROOT, warmupRounds } from "./workloads.js";

const args = process.argv.slice(2);
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Math.max(3, Number(args.splice(roundsAt, 2)[1]) || 7) : 7;
const [baseDir, sizeArg] = args;
if (!baseDir) throw new Error("usage: node --expose-gc bench/compare.js <base checkout> [scale sets] [--rounds N]");

const count = Number(sizeArg);
const files = count ? [generatedFile(count)] : corpusFiles();
const bytes = files.reduce((sum, f) => sum + f.text.length, 0);

const base = (await import(pathToFileURL(join(resolve(baseDir), "dist", "index.js")).href)).default;
const configs = { floor, base: [...floor, ...base.configs.recommended], head: recommended };
const linters = Object.fromEntries(
  Object.entries(configs).map(([name, config]) => [name, new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: config })]),
);

const names = Object.keys(configs);
const samples = Object.fromEntries(names.map((name) => [name, []]));
const warmups = warmupRounds(bytes);
for (let round = -warmups; round < rounds; round++) {
  for (const name of names.map((_, i) => names[(i + Math.max(round, 0)) % names.length])) {
    await new Promise((done) => setTimeout(done, 20));
    const start = cpuNow();
    for (const file of files) await linters[name].lintText(file.text, { filePath: file.path });
    if (round >= 0) samples[name].push(cpuNow() - start);
    await releaseLastFile(linters[name]);
  }
}

console.log(`${count ? `${count} generated scale sets` : `corpus (${files.length} files)`}; ${rounds} rounds after ${warmups} warm-up round(s)`);
for (const name of names) {
  const ratios = samples[name].map((cpu, i) => cpu / samples.floor[i]);
  const spread = [0.25, 0.75].map((q) => quantile(ratios, q).toFixed(3)).join("–");
  console.log(`${name.padEnd(6)} ${quantile(samples[name], 0.5).toFixed(0).padStart(7)} ms CPU  ${quantile(ratios, 0.5).toFixed(3)}x the floor (${spread})`);
}
