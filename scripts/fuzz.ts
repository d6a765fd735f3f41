// `npm run fuzz [-- --runs N] [-- --seed S]`: lints N generated templates (default 100,000) with
// every rule and runs the fix harness on each that gets a fix or suggestion. Prints the counts,
// counts failures by cause (a template may fail for several), saves the first example file of
// each cause and shrinks the first failure.
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { createFuzzChecker, emptyStats, fuzzCaseArb, type FuzzCase, type FuzzProblem } from "../tests/helpers/fuzz-templates.js";

/** The value of `--name N` (or `--name=N`) as a number, or the fallback. */
function numberArg(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const text = arg === `--${name}` ? args[i + 1] : arg.startsWith(`--${name}=`) ? arg.slice(name.length + 3) : undefined;
    if (text === undefined) continue;
    const value = Number(text);
    if (!Number.isInteger(value)) {
      console.error(`--${name} expects an integer, got ${JSON.stringify(text)}.`);
      process.exit(2);
    }
    return value;
  }
  return fallback;
}

const runs = numberArg("runs", 100_000);
const seed = numberArg("seed", Math.floor(Math.random() * 0x7fffffff));
const stats = emptyStats();
const check = createFuzzChecker(stats);
const causes = new Map<string, { count: number; first: FuzzProblem; fuzzCase: FuzzCase; index: number }>();
const started = performance.now();
let index = 0;

console.log(`arm-dsc fuzz: ${runs} templates, seed ${seed}`);
fc.assert(
  fc.property(fuzzCaseArb, (fuzzCase) => {
    const problem = check(fuzzCase);
    index++;
    for (const name of problem?.causes ?? []) {
      const cause = causes.get(name);
      if (cause) cause.count++;
      else causes.set(name, { count: 1, first: problem!, fuzzCase, index });
    }
    if (index % 10_000 === 0) console.log(`  ${index} templates, ${stats.failures} failures, ${Math.round((performance.now() - started) / 1000)} s`);
  }),
  { numRuns: runs, seed },
);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `templates: ${stats.templates}\nfindings: ${stats.findings}\nwith fixes or suggestions: ${stats.withFixes}\n` +
    `fixes applied: ${stats.fixesApplied}\nfixes and suggestions checked: ${stats.checked}\nfailures: ${stats.failures}\n` +
    `time: ${seconds} s (seed ${seed})`,
);

if (causes.size) {
  const dir = join(tmpdir(), `arm-dsc-fuzz-${seed}`);
  mkdirSync(dir, { recursive: true });
  console.log(`\n${causes.size} distinct cause(s); one example file each in ${dir}:`);
  let n = 0;
  for (const [name, cause] of [...causes].sort((a, b) => b[1].count - a[1].count)) {
    const file = join(dir, `cause-${++n}${cause.fuzzCase.filename.endsWith(".jsonc") ? ".jsonc" : ".json"}`);
    writeFileSync(file, cause.fuzzCase.text);
    console.log(`\n[${n}] ${cause.count}x ${name} (first at template ${cause.index}, ${file})\n${indent(cause.first.message)}`);
  }
  console.log("\nShrinking the first failure:");
  const shrink = createFuzzChecker(emptyStats());
  const details = fc.check(
    fc.property(fuzzCaseArb, (fuzzCase) => {
      const problem = shrink(fuzzCase);
      if (problem) throw new Error(problem.message);
    }),
    { numRuns: runs, seed },
  );
  if (details.failed && details.counterexample) {
    console.log(`${indent(details.counterexample[0].text)}\n${indent(details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance))}`);
    console.log(`(seed ${seed}, path ${details.counterexamplePath ?? "?"})`);
  }
  process.exitCode = 1;
}

/** Indents every line of `text` by four spaces. */
function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}
