// `eslint --fix` with every rule over real templates (the corpus), the peer projects' fixtures and
// the examples: each fix and suggestion alone, and the whole run, must parse, keep every comment,
// change the data only where the fix declares, and leave nothing for a second run to change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import plugin from "../../index.js";
import { FixHarness, formatFailures, stripBom, UNDECLARED_ALLOWED, type HarnessFailure, type RecordedFix } from "../helpers/fix-harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const GROUPS: Record<string, string> = {
  corpus: "tests/corpus/templates",
  "peer fixtures": "tests/fixtures/peer-fixtures",
  examples: "examples",
};

const harness = new FixHarness();
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: plugin.configs.all, fix: true, errorOnUnmatchedPattern: false });
const undeclaredSeen = new Map<string, Set<string>>();
const totals = { files: 0, findings: 0, fixesApplied: 0, checked: 0 };

for (const [group, dir] of Object.entries(GROUPS)) {
  test(`--fix with all rules is safe on ${group} (${dir})`, async (t) => {
    const results = await eslint.lintFiles([dir]);
    assert.ok(results.length > 0, `no files linted in ${dir}`);
    const failures: HarnessFailure[] = [];
    let fixesApplied = 0;
    let checked = 0;
    let findings = 0;
    for (const result of results) {
      const file = relative(root, result.filePath);
      const fail = (f: HarnessFailure) => failures.push({ ...f, message: `${file}: ${f.message}` });
      const raw = readFileSync(result.filePath, "utf8");
      const text = stripBom(raw);
      const h = harness.check(text, result.filePath);
      if (h.parseError) {
        assert.ok(result.messages.some((m) => m.fatal), `${file}: the harness cannot parse it but ESLint reports no parse error`);
        continue;
      }
      for (const m of result.messages) {
        if (m.fatal || !m.ruleId) fail({ kind: "crash", ruleId: m.ruleId, messageId: null, message: `unexpected message: ${m.message}` });
      }
      findings += h.reports.length;
      h.failures.forEach(fail);
      recordUndeclared(h.undeclared);
      fixesApplied += h.fixesApplied;
      checked += h.checked;
      const output = stripBom(result.output ?? raw);
      if (output !== h.output) {
        fail({ kind: "idempotent", ruleId: null, messageId: null, message: "ESLint's --fix output differs from the harness's simulated passes (a harness bug or a fix that depends on more than the text)." });
        continue;
      }
      if (result.output === undefined) continue;
      const [second] = await eslint.lintText(result.output, { filePath: result.filePath });
      if (second?.output !== undefined && second.output !== result.output) {
        fail({ kind: "idempotent", ruleId: null, messageId: null, message: "a second --fix run changed the fixed text again." });
      }
    }
    totals.files += results.length;
    totals.findings += findings;
    totals.fixesApplied += fixesApplied;
    totals.checked += checked;
    t.diagnostic(`${group}: ${results.length} files, ${findings} findings, ${fixesApplied} fixes applied, ${checked} fixes and suggestions checked alone`);
    assert.equal(failures.length, 0, `Unsafe fixes on ${group}:\n${formatFailures(failures)}`);
  });
}

test("fix-safety totals and rules whose fixes still lack declared paths", (t) => {
  t.diagnostic(`total: ${totals.files} files, ${totals.findings} findings, ${totals.fixesApplied} fixes applied, ${totals.checked} fixes and suggestions checked alone`);
  for (const [rule, ids] of undeclaredSeen) {
    t.diagnostic(`allow-listed, no declared paths yet: ${rule} (${[...ids].join(", ")})`);
  }
  for (const rule of UNDECLARED_ALLOWED) {
    if (!(rule in plugin.rules)) t.diagnostic(`allow-list names "${rule}", which is not a rule (yet)`);
    else if (!undeclaredSeen.has(rule)) t.diagnostic(`allow-list names "${rule}", but none of its fixes here lacked paths; remove it if it declares them now`);
  }
});

/** Remembers which allow-listed rules offered undeclared fixes (printed by the totals test). */
function recordUndeclared(fixes: readonly RecordedFix[]): void {
  for (const fix of fixes) {
    const rule = fix.ruleId.replace(/^arm-dsc\//, "");
    const ids = undeclaredSeen.get(rule) ?? new Set<string>();
    ids.add(fix.suggestionId ? `${fix.messageId} -> ${fix.suggestionId}` : fix.messageId);
    undeclaredSeen.set(rule, ids);
  }
}
