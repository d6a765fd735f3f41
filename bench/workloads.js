// What the bench scripts lint and how they count: the real corpus, generated templates, CPU time
// and quantiles. Shared by run.js, rules.js and compare.js.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateTemplate } from "./generate.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Text each config lints before the timed rounds: 100 rounds of the 200-scale-set template, 7 of
 * the corpus, 2 of the largest template. V8 optimises a large function only after many calls; with
 * 3 MB (10 rounds of the small template) the rules' fix-building code was still being compiled in
 * the timed rounds, while ESLint's own code had long been optimised by the workloads before.
 */
export const WARMUP_BYTES = 30e6;

/** Every `.json`/`.jsonc` file under `dir`, in name order. */
function listJson(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listJson(path);
      return /\.jsonc?$/u.test(name) ? [path] : [];
    });
}

/** The real templates of tests/corpus, as `{ path, text }`. */
export function corpusFiles() {
  return listJson(join(ROOT, "tests", "corpus", "templates")).map((path) => ({ path, text: readFileSync(path, "utf8") }));
}

/** One generated template with `count` scale sets (see generate.js), as `{ path, text }`. */
export function generatedFile(count) {
  return { path: join(ROOT, "bench-generated.json"), text: generateTemplate(count) };
}

/** Warm-up rounds for a workload of `bytes` of text: enough to lint WARMUP_BYTES, at least one. */
export function warmupRounds(bytes) {
  return Math.max(1, Math.ceil(WARMUP_BYTES / bytes));
}

/**
 * Makes `eslint` let go of the file it linted last, by linting a tiny one. ESLint's Linter keeps
 * the SourceCode of its last file (text, AST, tokens and their indexes) until its next lint starts.
 * A real run has one Linter, so the previous file is gone by the time the next one is parsed. The
 * bench alternates several ESLint instances, and each would hold its last file through the other
 * configurations' lints: on the 10,000-scale-set template that is another 1.2 GB of live heap,
 * which made every configuration's garbage collection far dearer than in any real run (and dearer
 * still for the configuration that allocates more). Call it after the timed part of each lint.
 */
export async function releaseLastFile(eslint) {
  await eslint.lintText("{}\n", { filePath: join(ROOT, "bench-release.json") });
}

/** CPU milliseconds used by this process so far (all threads: the linting thread and V8's GC helpers). */
export function cpuNow() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The `q` quantile of a list of numbers (linear between neighbours; 0.5 is the median). */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.ceil(at)] - sorted[lo]) * (at - lo);
}

/** The median of a list of numbers. */
export function median(values) {
  return quantile(values, 0.5);
}
