// The published package: `npm pack` ships what it should, passes publint and "Are the Types
// Wrong?", and installs into an empty project where the README's `eslint.config.js` lints a
// broken template exactly as this repository does.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import {
  ROOT,
  copyFromRoot,
  exampleFiles,
  loadPlugin,
  makeTempDir,
  messageLines,
  readmeBlocks,
  removeDir,
  run,
  writeFlatConfig,
  linkNodeModules,
  packageBin,
} from "./support.js";

interface PackResult {
  filename: string;
  files: { path: string }[];
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
};
const eslintVersion = (JSON.parse(readFileSync(join(ROOT, "node_modules/eslint/package.json"), "utf8")) as { version: string }).version;
/** npm, quiet and from the cache where it can. */
const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier"];

describe("the npm package", () => {
  let dir: string;
  let tarball: string;
  let packed: PackResult;
  before(async () => {
    dir = makeTempDir("package");
    // The tests run on the dist/ that `npm test` built; packing must not rebuild it under them.
    const pack = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir, ...NPM_FLAGS], {
      cwd: ROOT,
      timeoutMs: 60_000,
    });
    assert.equal(pack.code, 0, pack.stderr);
    packed = (JSON.parse(pack.stdout) as PackResult[])[0]!;
    tarball = join(dir, packed.filename);
  });
  after(() => removeDir(dir));

  test("ships one bundled module, its types, the rule docs, README and LICENSE, and nothing else", async () => {
    const plugin = await loadPlugin();
    const files = packed.files.map((f) => f.path).sort();
    for (const required of ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts"]) {
      assert.ok(files.includes(required), required);
    }
    for (const rule of Object.keys(plugin.rules)) {
      assert.ok(files.includes(`dist/rules/${rule}.d.ts`), `dist/rules/${rule}.d.ts`);
      assert.ok(files.includes(`docs/rules/${rule}.md`), `docs/rules/${rule}.md`);
    }
    // All code is in dist/index.js (scripts/build.js): no module per source file left over.
    assert.deepEqual(files.filter((f) => f.endsWith(".js")), ["dist/index.js"]);
    const unexpected = files.filter(
      (f) => !/^(package\.json|README\.md|LICENSE|dist\/index\.js|dist\/.+\.d\.ts|docs\/rules\/[a-z0-9-]+\.md)$/u.test(f),
    );
    assert.deepEqual(unexpected, [], "no sources, tests, maps or dotfiles");
  });

  test("dist/index.js imports nothing but the package's dependencies, its peer and Node built-ins", () => {
    const code = readFileSync(join(ROOT, "dist/index.js"), "utf8");
    const deps = [...Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: object }).dependencies), ...Object.keys(pkg.peerDependencies)];
    const specifiers = [...code.matchAll(/^import\s[^"]*"([^"]+)";$/gmu)].map((m) => m[1]!);
    assert.ok(specifiers.length > 0, "the bundle leaves its dependencies as imports");
    const packages = new Set(specifiers.map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2) : s.split("/").slice(0, 1)).join("/")));
    assert.deepEqual([...packages].filter((p) => !deps.includes(p) && !p.startsWith("node:")), []);
    assert.doesNotMatch(code, /\brequire\(/u, "an ES module, with no CommonJS shim");
  });

  test("publint passes (strict)", async () => {
    const result = await run(process.execPath, [packageBin("publint", "publint"), "run", tarball, "--strict"], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  });

  test("Are the Types Wrong? passes (esm-only profile)", async () => {
    const result = await run(
      process.execPath,
      [packageBin("@arethetypeswrong/cli", "attw"), tarball, "--profile", "esm-only", "--format", "ascii"],
      { cwd: dir, timeoutMs: 60_000 },
    );
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  });

  /** The project the install test sets up, which the tests after it use. */
  let consumer = "";
  /** The broken examples' messages linted from this repository's build. */
  let expected: string[] = [];

  test("installs into an empty project and lints with the README's eslint.config.js", { timeout: 240_000 }, async () => {
    consumer = join(dir, "consumer");
    const reference = join(dir, "reference");
    const { broken, clean } = exampleFiles();
    const files = [...broken, ...clean];
    copyFromRoot(files, consumer);
    copyFromRoot(files, reference);
    writeFileSync(join(consumer, "package.json"), `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`);

    const install = await run("npm", ["install", "--save-dev", ...NPM_FLAGS, tarball, `eslint@${eslintVersion}`], {
      cwd: consumer,
      timeoutMs: 200_000,
    });
    assert.equal(install.code, 0, `npm install\n${install.stdout}\n${install.stderr}`);
    const installed = JSON.parse(readFileSync(join(consumer, "node_modules", pkg.name, "package.json"), "utf8")) as { version: string };
    assert.equal(installed.version, pkg.version);

    // The README's config, character for character.
    const [config] = readmeBlocks("## Configure", "js");
    assert.match(config!, /from "eslint-plugin-arm-dsc"/u);
    writeFileSync(join(consumer, "eslint.config.js"), config!);

    const cli = await run(process.execPath, [join(consumer, "node_modules/eslint/bin/eslint.js"), "--format", "json", "examples"], {
      cwd: consumer,
      timeoutMs: 60_000,
    });
    assert.equal(cli.code, 1, `eslint exits 1 on the broken examples\n${cli.stderr}`);
    assert.equal(cli.stderr, "", "no warnings");
    const got = messageLines(JSON.parse(cli.stdout) as ESLint.LintResult[], consumer);

    // The same files linted from this repository's build.
    writeFlatConfig(reference);
    linkNodeModules(reference);
    expected = messageLines(await new ESLint({ cwd: reference }).lintFiles(["examples"]), reference);
    assert.ok(expected.length > 0);
    assert.deepEqual(got, expected);
  });

  test("require() gives the plugin itself, which a CommonJS config may list under plugins", { timeout: 60_000 }, async () => {
    assert.ok(consumer, "the install test ran");
    const config = `const armDsc = require("eslint-plugin-arm-dsc");
module.exports = [
  ...armDsc.configs.recommended,
  { files: ["**/*.json"], plugins: { "arm-dsc": armDsc }, rules: { "arm-dsc/scale-set-node-name": "error" } },
];
`;
    writeFileSync(join(consumer, "eslint.config.cjs"), config);
    try {
      const cli = await run(process.execPath, [join(consumer, "node_modules/eslint/bin/eslint.js"), "--config", "eslint.config.cjs", "--format", "json", "examples"], {
        cwd: consumer,
        timeoutMs: 60_000,
      });
      assert.equal(cli.code, 1, cli.stderr);
      assert.equal(cli.stderr, "", "no warnings");
      assert.deepEqual(messageLines(JSON.parse(cli.stdout) as ESLint.LintResult[], consumer), expected);
    } finally {
      rmSync(join(consumer, "eslint.config.cjs"));
    }
  });

  test("its types let the README's TypeScript config list the plugin where ESLint takes one", { timeout: 120_000 }, async () => {
    assert.ok(consumer, "the install test ran");
    const [config] = readmeBlocks("## Configure", "ts");
    assert.match(config!, /plugins: \{ "arm-dsc": armDsc \}/u);
    writeFileSync(join(consumer, "config.ts"), config!);
    writeFileSync(
      join(consumer, "exports.ts"),
      `import type { ESLint, Linter } from "eslint";
import armDsc, { configs, rules } from "eslint-plugin-arm-dsc";

export const asPlugin: ESLint.Plugin = armDsc;
export const flat: Linter.Config[] = [...configs.strict, { plugins: { "arm-dsc": asPlugin } }];
export const ruleCount: number = Object.keys(rules).length;
`,
    );
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, types: [] }, files: ["config.ts", "exports.ts"] }),
    );
    const tsc = await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: consumer, timeoutMs: 120_000 });
    assert.equal(tsc.code, 0, `${tsc.stdout}\n${tsc.stderr}`);

    // Without type annotations, the same config runs as JavaScript, and lints as the plain one does.
    writeFileSync(join(consumer, "readme.config.mjs"), config!);
    const cli = await run(process.execPath, [join(consumer, "node_modules/eslint/bin/eslint.js"), "--config", "readme.config.mjs", "--format", "json", "examples"], {
      cwd: consumer,
      timeoutMs: 60_000,
    });
    assert.equal(cli.code, 1, cli.stderr);
    assert.deepEqual(messageLines(JSON.parse(cli.stdout) as ESLint.LintResult[], consumer), expected);
  });

  test("peerDependencies name the ESLint major this suite runs", () => {
    const major = eslintVersion.split(".")[0];
    assert.match(pkg.peerDependencies.eslint ?? "", new RegExp(`>=\\s*${major}\\.`, "u"));
  });
});
