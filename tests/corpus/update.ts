// `npm run corpus:update`: lints the corpus under each snapshot config and rewrites
// tests/corpus/snapshot-<config>.json. Review the diff (git diff tests/corpus) before committing.
import { writeFileSync } from "node:fs";
import { countFindings, diffSnapshots, formatSnapshot, lintCorpus, readSnapshot, SNAPSHOT_CONFIGS, snapshotFile } from "./findings.js";

let failed = false;
for (const config of SNAPSHOT_CONFIGS) {
  const { snapshot, problems } = await lintCorpus(config);
  for (const p of problems) console.error(`${config}: ${p.file}: ${p.message}`);
  failed ||= problems.length > 0;
  const previous = readSnapshot(config);
  const diff = previous ? diffSnapshots(previous, snapshot) : ["(new snapshot)"];
  writeFileSync(snapshotFile(config), formatSnapshot(snapshot));
  const files = Object.keys(snapshot.files).length;
  console.log(`${config}: ${files} files, ${countFindings(snapshot)} findings; ${diff.length ? `${diff.length} diff line(s):` : "unchanged."}`);
  for (const line of diff.slice(0, 200)) console.log(`  ${line}`);
  if (diff.length > 200) console.log(`  ... ${diff.length - 200} more`);
}
if (failed) {
  console.error("The corpus has fatal or rule-less messages (listed above); the snapshot test will fail.");
  process.exitCode = 1;
}
