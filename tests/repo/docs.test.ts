import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Linter } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import plugin from "../../index.js";

const root = new URL("../../", import.meta.url);
const REQUIRED_SECTIONS = ["## Rule Details", "## Options", "## When Not To Use It"];

interface Block {
  kind: "correct" | "incorrect";
  options: unknown[] | undefined;
  code: string;
  line: number;
}

/** Fenced ```jsonc blocks tagged `correct` or `incorrect` (optionally `options={...}`). */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^```jsonc? (correct|incorrect)(?: options=(.*))?$/u.exec(lines[i]!);
    if (!match) continue;
    const end = lines.indexOf("```", i + 1);
    out.push({
      kind: match[1] as Block["kind"],
      options: match[2] ? [JSON.parse(match[2])] : undefined,
      code: lines.slice(i + 1, end).join("\n"),
      line: i + 1,
    });
    i = end;
  }
  return out;
}

for (const name of Object.keys(plugin.rules)) {
  test(`docs/rules/${name}.md: sections and linted examples`, () => {
    const markdown = readFileSync(new URL(`docs/rules/${name}.md`, root), "utf8");
    for (const section of REQUIRED_SECTIONS) assert.ok(markdown.includes(`\n${section}\n`), `${name}: ${section}`);
    const examples = blocks(markdown);
    assert.ok(examples.some((b) => b.kind === "incorrect"), `${name}: has an incorrect example`);
    assert.ok(examples.some((b) => b.kind === "correct"), `${name}: has a correct example`);
    const linter = new Linter();
    for (const block of examples) {
      const ruleId = `arm-dsc/${name}`;
      const messages = linter.verify(
        block.code,
        {
          files: ["**/*.jsonc"],
          plugins: { "arm-dsc": plugin as never },
          languageOptions: { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } },
          rules: { [ruleId]: block.options ? ["error", ...block.options] : "error" },
        },
        { filename: "example.jsonc" },
      );
      const fatal = messages.filter((m) => m.fatal);
      assert.deepEqual(fatal, [], `${name}.md:${block.line} parses`);
      const own = messages.filter((m) => m.ruleId === ruleId);
      if (block.kind === "incorrect") assert.ok(own.length > 0, `${name}.md:${block.line} should report`);
      else assert.deepEqual(own.map((m) => m.message), [], `${name}.md:${block.line} should not report`);
    }
  });
}
