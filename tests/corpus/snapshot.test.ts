// Every finding of the plugin on the real-world corpus is checked in (snapshot-<config>.json);
// any difference fails with a readable diff. After a reviewed change: `npm run corpus:update`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { countFindings, diffSnapshots, formatSnapshot, lintCorpus, readSnapshot, SNAPSHOT_CONFIGS } from "./findings.js";

for (const config of SNAPSHOT_CONFIGS) {
  test(`corpus findings under "${config}" match snapshot-${config}.json`, async (t) => {
    const { snapshot, problems } = await lintCorpus(config);
    t.diagnostic(`${config}: ${Object.keys(snapshot.files).length} files, ${countFindings(snapshot)} findings`);
    assert.deepEqual(problems, [], `Fatal or rule-less messages on the corpus:\n${problems.map((p) => `  ${p.file}: ${p.message}`).join("\n")}`);
    const expected = readSnapshot(config);
    assert.ok(expected, `tests/corpus/snapshot-${config}.json is missing; run \`npm run corpus:update\` and review it.`);
    const diff = diffSnapshots(expected, snapshot);
    if (diff.length || formatSnapshot(expected) !== formatSnapshot(snapshot)) {
      const shown = diff.slice(0, 150).join("\n");
      assert.fail(
        `The corpus findings under "${config}" differ from the snapshot (- expected, + actual):\n${shown}` +
          `${diff.length > 150 ? `\n... ${diff.length - 150} more lines` : ""}\n` +
          "If the change is intended, run `npm run corpus:update` and review the snapshot diff.",
      );
    }
  });
}
