// Shared by the ecosystem tests: project paths, the built plugin, temp workspaces, child
// processes with a time limit, README snippets, and ESLint results reduced to comparable lines.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ESLint, Linter } from "eslint";
import type sourcePlugin from "../../index.js";

/** The project root (with a trailing separator). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The built plugin's entry point, as a file URL that an `eslint.config.js` anywhere can import. */
export const DIST_URL = pathToFileURL(join(ROOT, "dist/index.js")).href;
/** The path of a bin that a package in this project's node_modules declares. */
export function packageBin(pkgName: string, binName: string): string {
  const dir = join(ROOT, "node_modules", pkgName);
  const { bin } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { bin?: string | Record<string, string> };
  const path = typeof bin === "string" ? bin : bin?.[binName];
  if (!path) throw new Error(`${pkgName} declares no bin ${binName}`);
  return join(dir, path);
}
/** Under CI a missing tool fails the test instead of skipping it. */
export const IN_CI = process.env.CI === "true";
/** ESLint's CLI script in this project. */
export const ESLINT_CLI = join(ROOT, "node_modules/eslint/bin/eslint.js");

export type Plugin = typeof sourcePlugin;

/** The built plugin (dist/), typed like the source; `npm test` builds it before the tests run. */
export async function loadPlugin(): Promise<Plugin> {
  if (!existsSync(fileURLToPath(DIST_URL))) throw new Error("dist/index.js is missing: run `npm run build` first.");
  return ((await import(DIST_URL)) as { default: Plugin }).default;
}

/** Creates a temp folder; the caller removes it with `removeDir`. */
export function makeTempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `arm-dsc-${name}-`));
}

/** Removes a temp folder made by `makeTempDir`. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Links this project's node_modules into `dir`, so `eslint` and formatters resolve from there. */
export function linkNodeModules(dir: string): void {
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
}

/** Writes an ESM `package.json` and an `eslint.config.js` that spreads one config of the built plugin. */
export function writeFlatConfig(dir: string, config = "recommended"): string {
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "workspace", private: true, type: "module" })}\n`);
  const file = join(dir, "eslint.config.js");
  writeFileSync(file, `import armDsc from ${JSON.stringify(DIST_URL)};\n\nexport default [...armDsc.configs[${JSON.stringify(config)}]];\n`);
  return file;
}

/** The bundled example templates, relative to the project root. */
export function exampleFiles(): { broken: string[]; clean: string[] } {
  const list = (dir: string) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => /\.jsonc?$/u.test(f))
      .sort()
      .map((f) => `${dir}/${f}`);
  return { broken: list("examples/broken"), clean: list("examples") };
}

/** Copies project files (paths relative to the root) into `dir`, keeping their relative paths. */
export function copyFromRoot(paths: readonly string[], dir: string): void {
  for (const path of paths) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(ROOT, path), join(dir, path));
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The process group is killed after this many milliseconds and the promise rejects. */
  timeoutMs: number;
}

/** Runs a program (no shell) in its own process group; kills the whole group when it overruns. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`${command} ${args.join(" ")} did not finish within ${options.timeoutMs} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Kills a process group started with `detached: true`; ignores a group that is already gone. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already exited.
  }
}

/** The fenced code blocks with info string `lang` in the README section headed `heading`. */
export function readmeBlocks(heading: string, lang: string): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "${heading}"`);
  const level = /^#+/u.exec(heading)![0].length;
  const rest = readme.slice(start + heading.length + 2);
  const next = new RegExp(`^#{1,${level}} `, "mu").exec(rest);
  const section = next ? rest.slice(0, next.index) : rest;
  return [...section.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, "gmu"))].map((m) => m[1]!);
}

/** One line per message: file, position, rule, message (and whether it is fatal). */
export function messageLines(results: readonly ESLint.LintResult[], base: string): string[] {
  return results
    .flatMap((r) => r.messages.map((m) => messageLine(relative(base, r.filePath), m)))
    .sort();
}

/** One message as a comparable line. */
export function messageLine(file: string, m: Linter.LintMessage): string {
  const end = m.endLine === undefined ? "" : `-${m.endLine}:${m.endColumn}`;
  return `${file} ${m.line}:${m.column}${end} ${m.ruleId ?? (m.fatal ? "FATAL" : "null")} ${m.message}`;
}
