#!/usr/bin/env node
// Compares the plugin of this checkout with the plugin of another checkout, in one process:
//   npm run build && node --expose-gc bench/compare.js <base> [size] [--rounds N]
// <base> is the root of another checkout with its dependencies installed and the plugin built (for
// example `git worktree add ../base main && cd ../base && npm ci && npm run build`). [size] is a
// number of generated scale sets (default: the real corpus). The floor, the base's `recommended`
// and this checkout's `recommended` alternate in every round, so a slow phase of the machine hits
// all three; it prints each config's median CPU time and the median of its per-round ratios to the
// floor, with the middle half of those ratios. This is how to judge a change on a noisy machine:
// whole `npm run bench` runs move by up to 0.1x between themselves.
import { ESLint } from "eslint";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { floor, recommended } from "./configs.js";
import { generateTemplate } from "./generate.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Math.max(3, Number(args.splice(roundsAt, 2)[1]) || 7) : 7;
const [baseDir, sizeArg] = args;
if (!baseDir) throw new Error("usage: node --expose-gc bench/compare.js <base checkout> [scale sets] [--rounds N]");

/** Every `.json`/`.jsonc` file under `dir`. */
function listJson(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listJson(path);
      return /\.jsonc?$/u.test(name) ? [path] : [];
    });
}

const count = Number(sizeArg);
const files = count
  ? [{ path: join(ROOT, "bench-generated.json"), text: generateTemplate(count) }]
  : listJson(join(ROOT, "tests", "corpus", "templates")).map((path) => ({ path, text: readFileSync(path, "utf8") }));
const bytes = files.reduce((sum, f) => sum + f.text.length, 0);

const base = (await import(pathToFileURL(join(resolve(baseDir), "dist", "index.js")).href)).default;
const configs = { floor, base: [...floor, ...base.configs.recommended], head: recommended };
const linters = Object.fromEntries(
  Object.entries(configs).map(([name, config]) => [name, new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: config })]),
);

/** CPU milliseconds of this process so far (the linting thread and V8's GC helpers). */
function cpuNow() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The `q` quantile of a list of numbers. */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.ceil(at)] - sorted[lo]) * (at - lo);
}

const names = Object.keys(configs);
const samples = Object.fromEntries(names.map((name) => [name, []]));
// Warm up with at least 3 MB of text per config, as bench/run.js does.
const warmups = Math.max(1, Math.ceil(3e6 / bytes));
for (let round = -warmups; round < rounds; round++) {
  for (const name of names.map((_, i) => names[(i + Math.max(round, 0)) % names.length])) {
    await new Promise((done) => setTimeout(done, 20));
    const start = cpuNow();
    for (const file of files) await linters[name].lintText(file.text, { filePath: file.path });
    if (round >= 0) samples[name].push(cpuNow() - start);
  }
}

console.log(`${count ? `${count} generated scale sets` : `corpus (${files.length} files)`}; ${rounds} rounds after ${warmups} warm-up round(s)`);
for (const name of names) {
  const ratios = samples[name].map((cpu, i) => cpu / samples.floor[i]);
  const spread = [0.25, 0.75].map((q) => quantile(ratios, q).toFixed(3)).join("–");
  console.log(`${name.padEnd(6)} ${quantile(samples[name], 0.5).toFixed(0).padStart(7)} ms CPU  ${quantile(ratios, 0.5).toFixed(3)}x the floor (${spread})`);
}
