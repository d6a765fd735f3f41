#!/usr/bin/env node
// Runs every tests/**/*.test.ts file with node's test runner (Node 20 has no glob support in
// `node --test`). Extra arguments narrow the run: `npm run test:only -- rules/pinned`.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);

/** Test files below `dir`, sorted. */
function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(path));
    else if (entry.name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out.sort();
}

const files = findTests(join(root, "tests")).filter((f) => !filters.length || filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error("No test files matched.");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
