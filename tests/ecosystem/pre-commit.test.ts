// The pre-commit path: the shipped `.pre-commit-hooks.yaml` is valid, and the real `pre-commit`
// installs this repository as a hook repo (`language: node`: npm install, the `prepare` build, npm
// pack, a global install with ESLint) and blocks a commit of a broken template in a fresh git
// repository configured as the README says, while a clean commit goes through.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { IN_CI, ROOT, exampleFiles, makeTempDir, readmeBlocks, removeDir, run, type RunResult } from "./support.js";

const MANIFEST = join(ROOT, ".pre-commit-hooks.yaml");
const HOOK_ID = "arm-dsc";

/** `pre-commit --version`, or null when it is not installed. */
function preCommitVersion(): string | null {
  const probe = spawnSync("pre-commit", ["--version"], { encoding: "utf8", timeout: 30_000 });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

const version = preCommitVersion();
/** Missing pre-commit: skip locally, fail under CI (.ci/run installs it). */
const missing = version === null ? (IN_CI ? false : "pre-commit is not installed (apt-get install pre-commit)") : false;

test("pre-commit is installed under CI", () => {
  if (IN_CI) assert.ok(version, "CI must have pre-commit (.ci/run installs the Debian package)");
});

/** The value of `key` in the single hook of the manifest (a plain YAML scalar or flow list). */
function manifestValue(text: string, key: string): string | undefined {
  return new RegExp(`^\\s+${key}: (.+)$`, "mu").exec(text)?.[1]?.trim();
}

describe("the shipped .pre-commit-hooks.yaml", { skip: missing }, () => {
  const text = readFileSync(MANIFEST, "utf8");

  test("pre-commit validates it", async () => {
    const result = await run("pre-commit", ["validate-manifest", MANIFEST], { cwd: ROOT, timeoutMs: 60_000 });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  });

  test(`one hook, id ${HOOK_ID}, runs eslint as a node hook on .json and .jsonc files`, () => {
    assert.deepEqual([...text.matchAll(/^- id: (.+)$/gmu)].map((m) => m[1]), [HOOK_ID]);
    assert.equal(manifestValue(text, "language"), "node");
    assert.equal(manifestValue(text, "entry"), "eslint");
    const files = new RegExp(manifestValue(text, "files")!, "u");
    for (const name of ["azuredeploy.json", "templates/vm.jsonc", "a/b/mainTemplate.parameters.json"]) assert.ok(files.test(name), name);
    for (const name of ["README.md", "deploy.yaml", "azuredeploy.json.bak", "script.js"]) assert.ok(!files.test(name), name);
  });

  test("its additional_dependencies install the ESLint major of the peer dependency", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { peerDependencies: { eslint: string } };
    const deps = JSON.parse(manifestValue(text, "additional_dependencies")!) as string[];
    const eslint = deps.find((d) => d.startsWith("eslint@"));
    assert.ok(eslint, "eslint is installed next to the plugin");
    const major = /^>=\s*(\d+)\./u.exec(pkg.peerDependencies.eslint)![1];
    assert.equal(eslint, `eslint@${major}`);
  });

  test("npm pack prints only the tarball name (pre-commit reads it): .npmrc keeps the build quiet", async () => {
    const result = await run("npm", ["config", "get", "foreground-scripts"], { cwd: ROOT, timeoutMs: 30_000 });
    assert.equal(result.stdout.trim(), "false", "foreground-scripts=false in .npmrc");
  });

  test("the README's pre-commit snippet uses this hook id", () => {
    const [config] = readmeBlocks("## pre-commit", "yaml");
    assert.match(config!, new RegExp(`- id: ${HOOK_ID}$`, "mu"));
    assert.match(config!, /rev: v\d+\.\d+\.\d+/u);
  });
});

/** Project files a clone would have: tracked ones plus new ones that are not ignored. */
function worktreeFiles(): string[] {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(listed.status, 0, listed.stderr);
  return listed.stdout.split("\0").filter((f) => f && existsSync(join(ROOT, f)));
}

describe("the shipped hook, run by pre-commit on git commit", { skip: missing }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  // The first commit also builds the hook's environment (npm install of this repository, its
  // `prepare` build, npm pack, a global install with ESLint): minutes on a slow disk.
  const git = (args: string[], cwd: string): Promise<RunResult> => run("git", args, { cwd, env, timeoutMs: 270_000 });
  /** Runs git and requires success. */
  const gitOk = async (args: string[], cwd: string) => {
    const result = await git(args, cwd);
    assert.equal(result.code, 0, `git ${args.join(" ")}\n${result.stdout}\n${result.stderr}`);
    return result.stdout.trim();
  };

  let repo: string;
  before(async () => {
    dir = makeTempDir("pre-commit");
    const gitConfig = join(dir, "gitconfig");
    writeFileSync(gitConfig, "[user]\n\tname = arm-dsc test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n");
    env = {
      ...process.env,
      // Isolated from the machine's git and pre-commit state.
      GIT_CONFIG_GLOBAL: gitConfig,
      GIT_CONFIG_NOSYSTEM: "1",
      PRE_COMMIT_HOME: join(dir, "pre-commit-home"),
      // pre-commit's npm installs: from the cache where possible, without extra output.
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    };

    // The hook repository: this project's files as a commit of their own (a clone of the work tree).
    const hookRepo = join(dir, "hook-repo");
    for (const file of worktreeFiles()) {
      mkdirSync(dirname(join(hookRepo, file)), { recursive: true });
      cpSync(join(ROOT, file), join(hookRepo, file));
    }
    await gitOk(["init", "-q"], hookRepo);
    await gitOk(["add", "-A"], hookRepo);
    await gitOk(["commit", "-q", "--no-verify", "-m", "hook repo"], hookRepo);
    const rev = await gitOk(["rev-parse", "HEAD"], hookRepo);

    // The user's repository, configured from the README's snippets.
    repo = join(dir, "templates");
    mkdirSync(repo);
    await gitOk(["init", "-q"], repo);
    const [preCommitConfig] = readmeBlocks("## pre-commit", "yaml");
    const [eslintConfig] = readmeBlocks("## pre-commit", "js");
    const config = preCommitConfig!.replace(/repo: \S+/u, `repo: ${hookRepo}`).replace(/rev: \S+/u, `rev: ${rev}`);
    assert.notEqual(config, preCommitConfig);
    writeFileSync(join(repo, ".pre-commit-config.yaml"), config);
    writeFileSync(join(repo, "eslint.config.cjs"), eslintConfig!);
    const install = await run("pre-commit", ["install"], { cwd: repo, env, timeoutMs: 60_000 });
    assert.equal(install.code, 0, `${install.stdout}\n${install.stderr}`);
  });
  after(() => removeDir(dir));

  test("a commit with a broken template is blocked; a clean one passes", { timeout: 300_000 }, async () => {
    const { broken, clean } = exampleFiles();
    mkdirSync(join(repo, "broken"));
    for (const file of broken) cpSync(join(ROOT, file), join(repo, "broken", basename(file)));
    await gitOk(["add", "-A"], repo);
    const blocked = await git(["commit", "-m", "broken templates"], repo);
    const output = `${blocked.stdout}\n${blocked.stderr}`;
    assert.notEqual(blocked.code, 0, `the commit is blocked\n${output}`);
    assert.match(output, new RegExp(`^${HOOK_ID}\\.+Failed$`, "mu"), output);
    for (const file of broken) assert.ok(output.includes(basename(file)), `${file} is reported\n${output}`);
    assert.match(output, /arm-dsc\/[a-z-]+/u);
    assert.notEqual((await git(["rev-parse", "--verify", "-q", "HEAD"], repo)).code, 0, "nothing was committed");

    await gitOk(["rm", "-r", "-q", "--cached", "broken"], repo);
    removeDir(join(repo, "broken"));
    for (const file of clean) cpSync(join(ROOT, file), join(repo, basename(file)));
    await gitOk(["add", "-A"], repo);
    const passed = await git(["commit", "-m", "clean templates"], repo);
    assert.equal(passed.code, 0, `${passed.stdout}\n${passed.stderr}`);
    assert.match(`${passed.stdout}\n${passed.stderr}`, new RegExp(`^${HOOK_ID}\\.+Passed$`, "mu"));
    const committed = (await gitOk(["ls-files"], repo)).split("\n");
    for (const file of clean) assert.ok(committed.includes(basename(file)), `${file} is committed`);
  });
});
