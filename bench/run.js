#!/usr/bin/env node
// `npm run bench`: what the plugin costs on top of ESLint itself. Prints one markdown table.
//
// Lint time: ESLint (the ESLint class, lintText, no file reading in the timed part) with the
// `recommended` config against the floor: the same parser object and options plus one rule that
// listens to every node, so ESLint still walks the whole AST. The measured configs are the floor
// plus the rules under test, so all of them do the same parse and traversal work. The configs
// alternate within each round (rotating their order); each cell is the median of the rounds after
// a warm-up, in CPU time of this process (process.cpuUsage: the linting thread and V8's GC helper
// threads), which other load on the machine disturbs far less than wall time; the wall-time ratio
// is shown next to it. The heap is collected once per workload, not between lints (see lintAll);
// after each timed lint the config's ESLint instance lets go of its last file (releaseLastFile), as
// a single ESLint run does before it parses the next one.
//
// The peer (eslint-plugin-jsonc) is left out on the largest template to keep the run to minutes.
//
// Options: --rounds N (at least 7, default 9), --sizes 200,2000,10000. Per-rule times: bench/rules.js.
import { ESLint } from "eslint";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { configs, recommendedRules } from "./configs.js";
import { corpusFiles as readCorpus, cpuNow, generatedFile, median, quantile, releaseLastFile, ROOT, warmupRounds } from "./workloads.js";

const NAMES = ["floor", "recommended", "jsoncPeer"];
const IMPORT_RUNS = 9;
const MEMORY_RUNS = 3;
const SMALL_FILES = 500;

const options = parseArgs(process.argv.slice(2));
const gc = globalThis.gc ?? (() => {});
if (!globalThis.gc) console.error("note: run with --expose-gc (npm run bench does) for a GC between workloads");

/** Command-line options. */
function parseArgs(args) {
  const out = { rounds: 9, sizes: [200, 2000, 10000] };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--rounds") out.rounds = Math.max(7, Number(args[++i]) || 7);
    else if (args[i] === "--sizes") out.sizes = args[++i].split(",").map(Number).filter((n) => n > 0);
    else throw new Error(`unknown option ${args[i]}`);
  }
  return out;
}

/** `count` package.json-like files (not ARM templates), each a little different. */
function generateSmallFiles(count) {
  return Array.from({ length: count }, (_, i) => ({
    path: join(ROOT, "bench-small", String(i), "package.json"),
    text: `${JSON.stringify({ name: `package-${i}`, version: "1.0.0", type: "module", scripts: { test: "node --test" }, dependencies: { eslint: "^10.0.0" } }, null, 2)}\n`,
  }));
}

const linters = Object.fromEntries(
  NAMES.map((name) => [name, new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: configs[name] })]),
);

/** Lints every file once with one config; returns CPU and wall milliseconds and the problem count. */
async function lintAll(name, files) {
  const eslint = linters[name];
  // A short pause lets V8's concurrent GC tasks finish outside the timed part. No forced GC: a full
  // GC before every lint shrinks the heap, so every lint pays to grow it again (no ESLint run does
  // that, and it costs the config that allocates more far more than it costs in a real run).
  await new Promise((resolve) => setTimeout(resolve, 20));
  let problems = 0;
  const wall0 = performance.now();
  const cpu0 = cpuNow();
  for (const file of files) {
    const [result] = await eslint.lintText(file.text, { filePath: file.path });
    problems += result.messages.length;
    if (result.fatalErrorCount > 0) throw new Error(`${file.path}: ${result.messages[0]?.message}`);
  }
  const sample = { cpu: cpuNow() - cpu0, wall: performance.now() - wall0, problems };
  await releaseLastFile(eslint);
  return sample;
}

/** Alternates `names` over `files` for the warm-up and the rounds; medians per config. */
async function measure(label, files, warmups, names = NAMES) {
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const problems = {};
  gc();
  for (let round = -warmups; round < options.rounds; round++) {
    const order = names.map((_, i) => names[(i + Math.max(round, 0)) % names.length]);
    for (const name of order) {
      const sample = await lintAll(name, files);
      problems[name] = sample.problems;
      if (round >= 0) samples[name].push(sample);
    }
  }
  const out = { label, problems };
  for (const name of names) {
    out[name] = {
      cpu: median(samples[name].map((s) => s.cpu)),
      wall: median(samples[name].map((s) => s.wall)),
      // Paired ratios (same round), so slow phases of the machine cancel out.
      cpuRatio: median(samples[name].map((s, i) => s.cpu / samples.floor[i].cpu)),
      // The middle half of the rounds' CPU ratios: how much this machine moved during the run.
      cpuSpread: [0.25, 0.75].map((q) => quantile(samples[name].map((s, i) => s.cpu / samples.floor[i].cpu), q)),
      wallRatio: median(samples[name].map((s, i) => s.wall / samples.floor[i].wall)),
    };
  }
  process.stderr.write(`  ${label}: floor ${out.floor.cpu.toFixed(0)} ms, recommended ${out.recommended.cpuRatio.toFixed(3)}x\n`);
  return out;
}

/** Runs a bench child script with node and parses its JSON output. */
function child(script, args, nodeArgs = []) {
  const out = execFileSync(process.execPath, [...nodeArgs, join(ROOT, "bench", script), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out);
}

/** Import times from fresh processes, modes alternating. */
function importTimes() {
  const runs = { "arm-dsc": [], jsonc: [], cold: [] };
  for (let i = 0; i < IMPORT_RUNS; i++) {
    for (const mode of Object.keys(runs)) runs[mode].push(child("import-child.js", [mode]));
  }
  return {
    eslint: median([...runs["arm-dsc"], ...runs.jsonc].map((r) => r.eslint)),
    plugin: median(runs["arm-dsc"].map((r) => r.plugin)),
    jsonc: median(runs.jsonc.map((r) => r.plugin)),
    cold: median(runs.cold.map((r) => r.plugin)),
  };
}

/** Peak RSS of one lint of the largest generated template, floor and recommended alternating. */
function peakMemory(count) {
  const runs = { floor: [], recommended: [] };
  for (let i = 0; i < MEMORY_RUNS; i++) {
    for (const name of i % 2 ? ["recommended", "floor"] : ["floor", "recommended"]) {
      const r = child("memory-child.js", [name, String(count)], ["--expose-gc"]);
      if (r.fatal) throw new Error(`memory child ${name}: parse error`);
      runs[name].push(r);
    }
  }
  const floor = median(runs.floor.map((r) => r.maxRss));
  const recommended = median(runs.recommended.map((r) => r.maxRss));
  return { floor, recommended, ratio: median(runs.recommended.map((r, i) => r.maxRss / runs.floor[i].maxRss)) };
}

// ---------------------------------------------------------------------------------------------

const cpuModel = /model name\s*:\s*(.*)/u.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model ?? "unknown";
const machine = `${os.availableParallelism()} CPUs (nproc), ${cpuModel}, Node.js ${process.version}, ESLint ${ESLint.version}`;
const loadBefore = os.loadavg()[0];
process.stderr.write(`bench: ${machine}; ${recommendedRules.length} rules in recommended; ${options.rounds} rounds\n`);

const corpusFiles = readCorpus();
const corpusBytes = corpusFiles.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
const rows = [];
rows.push(await measure(`Real corpus: ${corpusFiles.length} files, ${mb(corpusBytes)}`, corpusFiles, warmupRounds(corpusBytes)));

// JSON files that are not templates (the configs apply to every .json file): the rules must
// leave after one look at `$schema`. Informational: this is ESLint's fixed cost per rule and file.
const small = generateSmallFiles(SMALL_FILES);
rows.push({ ...(await measure(`${SMALL_FILES} small JSON files that are not templates`, small, 2)), info: true });

let largest = null;
for (const count of options.sizes) {
  const file = generatedFile(count);
  const { text } = file;
  largest = { count, text };
  const names = count === Math.max(...options.sizes) && options.sizes.length > 1 ? ["floor", "recommended"] : NAMES;
  // Warm-up until V8 has optimised the code paths of this workload (see WARMUP_BYTES).
  const warmups = warmupRounds(Buffer.byteLength(text));
  rows.push(await measure(`Generated: ${count.toLocaleString("en-US")} scale sets, ${mb(Buffer.byteLength(text))}`, [file], warmups, names));
}

process.stderr.write("  import times...\n");
const imports = importTimes();
process.stderr.write("  peak memory...\n");
const memory = largest ? peakMemory(largest.count) : null;
const loadAfter = os.loadavg()[0];

// ---------------------------------------------------------------------------------------------

/** Megabytes with one decimal. */
function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** `1.04x`, with a mark when a target ratio is given. */
function ratio(value, target) {
  const text = `${value.toFixed(2)}x`;
  return target === undefined ? text : `${text} ${value <= target ? "✅" : "❌"}`;
}

const table = [
  "| Measurement | Floor | arm-dsc `recommended` | Ratio: CPU (middle half of the rounds); wall | Target | eslint-plugin-jsonc `recommended-with-jsonc` | Peer ratio |",
  "| --- | ---: | ---: | --- | --- | ---: | --- |",
];
for (const row of rows) {
  const rec = row.recommended;
  const peer = row.jsoncPeer;
  table.push(
    `| ${row.label}, lint CPU ms (${row.problems.recommended} problems) | ${row.floor.cpu.toFixed(0)} | ${rec.cpu.toFixed(0)} | ` +
      `${ratio(rec.cpuRatio, row.info ? undefined : 1.1)} (${rec.cpuSpread.map((r) => r.toFixed(2)).join("–")}); ${ratio(rec.wallRatio)} | ${row.info ? "(information)" : "≤ 1.10x"} | ` +
      `${peer ? peer.cpu.toFixed(0) : "—"} | ${peer ? ratio(peer.cpuRatio) : "—"} |`,
  );
}
const share = imports.plugin / (imports.eslint + imports.plugin);
table.push(
  `| Import, ms: \`eslint\`, then the plugin with \`eslint\` already loaded (median of ${IMPORT_RUNS} fresh processes) | ` +
    `${imports.eslint.toFixed(0)} | ${imports.plugin.toFixed(0)} ${imports.plugin < 50 ? "✅" : "❌"} | ${(share * 100).toFixed(0)}% of both | < 50 ms | ` +
    `${imports.jsonc.toFixed(0)} | |`,
);
if (memory) {
  table.push(
    `| Peak RSS, MB, one lint of ${largest.count.toLocaleString("en-US")} scale sets (median of ${MEMORY_RUNS} fresh processes) | ` +
      `${(memory.floor / 2 ** 20).toFixed(0)} | ${(memory.recommended / 2 ** 20).toFixed(0)} | ${ratio(memory.ratio, 1.2)} | ≤ 1.20x | | |`,
  );
}

const lines = [
  "",
  `Machine: ${machine}; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.`,
  `Rules: the ${recommendedRules.length} rules of \`recommended\`. Lint rows: median of ${options.rounds} rounds after a warm-up, configs alternating; ` +
    "the floor is the same parser (jsonc-eslint-parser, JSONC) plus one rule listening to every node, and every other config is the floor plus its rules.",
  `Import: the plugin alone in a fresh process takes ${imports.cold.toFixed(0)} ms, because eslint-json-compat-utils imports \`eslint\`; ` +
    "inside ESLint that module is already loaded, so the row above measures the plugin after `eslint`.",
  "",
  ...table,
];
console.log(lines.join("\n"));
