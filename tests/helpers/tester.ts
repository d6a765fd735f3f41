import { describe, it } from "node:test";
import { RuleTester, type Linter, type Rule } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import jsoncPlugin from "eslint-plugin-jsonc";
import json from "@eslint/json";

// RuleTester drives node:test instead of mocha globals.
RuleTester.describe = describe as unknown as typeof RuleTester.describe;
RuleTester.it = it as unknown as typeof RuleTester.it;
RuleTester.itOnly = it.only as unknown as typeof RuleTester.itOnly;

/** The three JSON front ends users run the plugin under; every rule test runs under each. */
export const FRONT_ENDS: Record<string, Linter.Config> = {
  "jsonc-eslint-parser": { languageOptions: { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } } },
  "eslint-plugin-jsonc language": { plugins: { jsonc: jsoncPlugin as never }, language: "jsonc/jsonc" },
  "@eslint/json language": {
    plugins: { json: json as never },
    language: "json/jsonc",
    languageOptions: { allowTrailingCommas: true },
  },
};

export type ValidCase = string | (RuleTester.ValidTestCase & { frontEnds?: string[] });
export type InvalidCase = RuleTester.InvalidTestCase & { frontEnds?: string[] };

const DEFAULT_FILENAME = "azuredeploy.json";

/** Gives each case a `.json` file name so the JSON configs apply. */
function withFilename<T extends string | RuleTester.ValidTestCase>(test: T): T {
  if (typeof test === "string") return { code: test, filename: DEFAULT_FILENAME } as T;
  return { filename: DEFAULT_FILENAME, ...(test as object) } as T;
}

/** Runs `tests` for `rule` under every JSON front end, requiring messageId, data and full locations. */
export function runRuleTests(
  name: string,
  rule: unknown,
  tests: { valid: ValidCase[]; invalid: InvalidCase[] },
): void {
  for (const [frontEnd, config] of Object.entries(FRONT_ENDS)) {
    const keep = <T extends ValidCase>(test: T) =>
      typeof test === "string" || !test.frontEnds || test.frontEnds.includes(frontEnd);
    const strip = <T extends ValidCase>(test: T): T => {
      if (typeof test === "string") return test;
      const { frontEnds: _ignored, ...rest } = test as RuleTester.ValidTestCase & { frontEnds?: string[] };
      return rest as T;
    };
    const tester = new RuleTester(config);
    describe(frontEnd, () => {
      tester.run(name, rule as Rule.RuleModule, {
        valid: tests.valid.filter(keep).map(strip).map(withFilename),
        invalid: tests.invalid.filter(keep).map(strip).map(withFilename),
        assertionOptions: { requireMessage: "messageId", requireLocation: true, requireData: true },
      } as never);
    });
  }
}
