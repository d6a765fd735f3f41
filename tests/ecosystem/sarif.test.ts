// The CI path: the ESLint CLI with `--format @microsoft/eslint-formatter-sarif`, as the README's
// GitHub Actions and Azure Pipelines recipes run it, writes SARIF that code scanning can show: our
// rule ids, help links to the rule docs, and the regions ESLint reported.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import {
  ESLINT_CLI,
  copyFromRoot,
  exampleFiles,
  linkNodeModules,
  loadPlugin,
  makeTempDir,
  messageLine,
  readmeBlocks,
  removeDir,
  run,
  writeFlatConfig,
} from "./support.js";

interface SarifRegion {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}
interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; index?: number }; region?: SarifRegion } }[];
}
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules?: { id: string; helpUri?: string; shortDescription?: { text: string } }[] } };
    artifacts?: { location: { uri: string } }[];
    results: SarifResult[];
  }[];
}

const FORMATTER = "@microsoft/eslint-formatter-sarif";

test("the README's CI recipes use the SARIF formatter the way this test runs it", () => {
  const recipes = [...readmeBlocks("## CI (GitHub Actions, Azure Pipelines)", "yaml")].join("\n");
  assert.match(recipes, new RegExp(`eslint .* --format ${FORMATTER} --output-file `, "u"));
  assert.match(recipes, /github\/codeql-action\/upload-sarif@/u);
});

test("SARIF output carries our results with help URIs and ESLint's regions", { timeout: 60_000 }, async () => {
  const plugin = await loadPlugin();
  const dir = makeTempDir("sarif");
  try {
    writeFlatConfig(dir);
    linkNodeModules(dir);
    const files = [...exampleFiles().broken, ...exampleFiles().clean];
    copyFromRoot(files, dir);

    const cli = await run(
      process.execPath,
      [ESLINT_CLI, "--format", FORMATTER, "--output-file", "eslint.sarif", "examples"],
      { cwd: dir, timeoutMs: 45_000 },
    );
    assert.equal(cli.code, 1, `eslint exits 1 on errors\n${cli.stdout}\n${cli.stderr}`);
    const sarif = JSON.parse(readFileSync(join(dir, "eslint.sarif"), "utf8")) as SarifLog;

    const reference = await new ESLint({ cwd: dir }).lintFiles(["examples"]);
    const expected = reference.flatMap((r) => r.messages.map((m) => messageLine(relative(dir, r.filePath), m))).sort();
    assert.ok(expected.length > 0, "the broken examples have findings");

    assert.equal(sarif.version, "2.1.0");
    assert.equal(sarif.runs.length, 1);
    const [runLog] = sarif.runs;
    assert.equal(runLog!.tool.driver.name, "ESLint");
    const rules = runLog!.tool.driver.rules ?? [];
    const got = runLog!.results.map((result) => {
      assert.equal(result.level, "error");
      const ruleId = result.ruleId!;
      const rule = plugin.rules[ruleId.replace(/^arm-dsc\//u, "") as keyof typeof plugin.rules];
      assert.ok(ruleId.startsWith("arm-dsc/") && rule, `${ruleId} is one of our rules`);
      const descriptor = rules[result.ruleIndex!];
      assert.equal(descriptor?.id, ruleId, "ruleIndex points at the rule");
      assert.equal(descriptor.helpUri, rule.meta?.docs?.url, `${ruleId} help URI is its docs URL`);
      assert.equal(descriptor.shortDescription?.text, rule.meta?.docs?.description);
      const [location] = result.locations;
      const file = relative(dir, fileURLToPath(location!.physicalLocation.artifactLocation.uri));
      const r = location!.physicalLocation.region!;
      return `${file} ${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn} ${ruleId} ${result.message.text}`;
    });
    assert.deepEqual(got.sort(), expected);
  } finally {
    removeDir(dir);
  }
});
