// Property-based fuzzing: generated templates (every extension placement, both settings formats,
// random key casing, expressions from a grammar, SAS-like strings, wrong types, comments, trailing
// commas, CRLF) go through every rule; no rule may throw and every fix and suggestion must pass the
// fix harness. Fixed seed; `npm run fuzz` runs many more cases with any seed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createFuzzChecker, emptyStats, fuzzCaseArb } from "../helpers/fuzz-templates.js";
import { parseJsonc } from "../helpers/fix-harness.js";
import { getTemplateModel } from "../../lib/template/model.js";

const SEED = 7_2024;
const RUNS = 10_000;

test(`${RUNS} generated templates: no rule throws, every fix is safe (seed ${SEED})`, (t) => {
  const stats = emptyStats();
  const check = createFuzzChecker(stats);
  const started = performance.now();
  let failed = false;
  try {
    fc.assert(
      fc.property(fuzzCaseArb, (fuzzCase) => {
        const problem = check(fuzzCase);
        if (problem) throw new Error(problem.message);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  } catch (error) {
    failed = true;
    console.error(`Fuzzing failed with seed ${SEED}; replay with \`npm run fuzz -- --seed ${SEED} --runs ${RUNS}\`.`);
    throw error;
  } finally {
    const ms = Math.round(performance.now() - started);
    t.diagnostic(
      `fuzz: ${stats.templates} templates, ${stats.findings} findings, ${stats.withFixes} with fixes or suggestions, ` +
        `${stats.fixesApplied} fixes applied, ${stats.checked} fixes and suggestions checked, ${stats.failures} failures, ${ms} ms` +
        (failed ? " (stopped at the first failure; the counts include shrinking runs)" : ""),
    );
  }
});

test("the generator covers every extension placement, both settings formats, nested deployments and CRLF", (t) => {
  const seen = new Map<string, number>();
  const count = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const fuzzCase of fc.sample(fuzzCaseArb, { numRuns: 1_000, seed: SEED })) {
    const model = getTemplateModel(parseJsonc(fuzzCase.text), fuzzCase.text);
    count(`kind ${model.kind}`);
    for (const ext of model.dscExtensions) {
      count(`placement ${ext.placement}`);
      count(`settings ${ext.dsc?.format ?? "none"}`);
      if (ext.fromPropertyCopy) count("property-copy input");
    }
    for (const template of model.templates) count(`evaluation ${template.evaluation}`);
    if (model.resources.some((r) => r.symbolicName !== null)) count("symbolic resources");
    if (fuzzCase.text.includes("\r\n")) count("CRLF");
    if (/\/\/|\/\*/.test(fuzzCase.text)) count("comments");
    if (/,\s*[}\]]/.test(fuzzCase.text)) count("trailing commas");
  }
  t.diagnostic([...seen].sort().map(([k, n]) => `${k}: ${n}`).join(", "));
  const expected = [
    "kind deploymentTemplate",
    "kind deploymentParameters",
    "kind other",
    ...["vm-nested-child", "vm-top-level", "vmss-profile", "vmss-nested-child", "vmss-top-level", "vm-profile", "vmss-misplaced-profile"].map((p) => `placement ${p}`),
    "settings current",
    "settings legacy",
    "settings mixed",
    "property-copy input",
    "evaluation inner",
    "evaluation outer",
    "symbolic resources",
    "CRLF",
    "comments",
    "trailing commas",
  ];
  assert.deepEqual(expected.filter((k) => !seen.has(k)), [], "never generated");
});
