// The corpus snapshot: every finding of the plugin on the real-world templates in
// tests/corpus/templates, under the `recommended` and `all` configs. Shared by the snapshot test
// and by `npm run corpus:update`, which rewrites the checked-in snapshot files for review.
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import plugin from "../../index.js";

/** The configs the snapshot covers. */
export const SNAPSHOT_CONFIGS = ["recommended", "all"] as const;
export type SnapshotConfig = (typeof SNAPSHOT_CONFIGS)[number];

/** The copy of the corpus (with its LICENSES, MANIFEST.tsv and FACTS.jsonl). */
export const CORPUS_DIR = fileURLToPath(new URL("./templates/", import.meta.url));

/** The checked-in snapshot of one config. */
export function snapshotFile(config: SnapshotConfig): string {
  return fileURLToPath(new URL(`./snapshot-${config}.json`, import.meta.url));
}

/**
 * One config's findings: for every corpus file (path relative to the corpus, `/`-separated, in
 * sorted order) its findings as `line:column ruleId messageId`, in ESLint's order.
 */
export interface Snapshot {
  config: SnapshotConfig;
  files: Record<string, string[]>;
}

/** A problem that must never happen on the corpus: a parse error or a message without a rule. */
export interface CorpusProblem {
  file: string;
  message: string;
}

/** The findings of one config over the corpus, and any fatal or rule-less message. */
export async function lintCorpus(config: SnapshotConfig): Promise<{ snapshot: Snapshot; problems: CorpusProblem[]; results: ESLint.LintResult[] }> {
  const eslint = new ESLint({
    cwd: CORPUS_DIR,
    overrideConfigFile: true,
    overrideConfig: plugin.configs[config],
    errorOnUnmatchedPattern: false,
  });
  const results = await eslint.lintFiles(["."]);
  const files: Record<string, string[]> = {};
  const problems: CorpusProblem[] = [];
  const entries = results
    .map((r) => ({ file: relative(CORPUS_DIR, r.filePath).split(sep).join("/"), result: r }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const { file, result } of entries) {
    files[file] = result.messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? "(none)"} ${m.messageId ?? "(none)"}`);
    for (const m of result.messages) {
      if (m.fatal) problems.push({ file, message: `fatal: ${m.message} (${m.line}:${m.column})` });
      else if (!m.ruleId?.startsWith("arm-dsc/")) problems.push({ file, message: `message without a plugin rule: ${m.message}` });
    }
  }
  return { snapshot: { config, files }, problems, results };
}

/** The checked-in snapshot, or null when the file does not exist yet. */
export function readSnapshot(config: SnapshotConfig): Snapshot | null {
  try {
    return JSON.parse(readFileSync(snapshotFile(config), "utf8")) as Snapshot;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** The snapshot as it is written to disk: one finding per line, so that reviews read as a diff. */
export function formatSnapshot(snapshot: Snapshot): string {
  const files = Object.entries(snapshot.files).map(([file, findings]) => {
    const body = findings.length ? `[\n${findings.map((f) => `      ${JSON.stringify(f)}`).join(",\n")}\n    ]` : "[]";
    return `    ${JSON.stringify(file)}: ${body}`;
  });
  return `{\n  "config": ${JSON.stringify(snapshot.config)},\n  "files": {\n${files.join(",\n")}\n  }\n}\n`;
}

/** A readable diff of two snapshots: `- file  finding` for a lost finding, `+ ...` for a new one. */
export function diffSnapshots(expected: Snapshot, actual: Snapshot): string[] {
  const lines: string[] = [];
  const names = [...new Set([...Object.keys(expected.files), ...Object.keys(actual.files)])].sort();
  for (const file of names) {
    const before = expected.files[file];
    const after = actual.files[file];
    if (!before) {
      lines.push(`+ ${file} (new file, ${after!.length} finding(s))`, ...after!.map((f) => `+   ${f}`));
      continue;
    }
    if (!after) {
      lines.push(`- ${file} (file gone, had ${before.length} finding(s))`);
      continue;
    }
    const removed = multisetMinus(before, after);
    const added = multisetMinus(after, before);
    if (!removed.length && !added.length) {
      if (before.join("\n") !== after.join("\n")) lines.push(`~ ${file}: same findings in a different order`);
      continue;
    }
    lines.push(`  ${file}`, ...removed.map((f) => `-   ${f}`), ...added.map((f) => `+   ${f}`));
  }
  return lines;
}

/** Items of `a` not matched one-to-one by items of `b`. */
function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  return a.filter((x) => {
    const n = counts.get(x) ?? 0;
    if (n > 0) counts.set(x, n - 1);
    return n === 0;
  });
}

/** The number of findings in a snapshot. */
export function countFindings(snapshot: Snapshot): number {
  return Object.values(snapshot.files).reduce((sum, f) => sum + f.length, 0);
}
