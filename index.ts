import type { ESLint, Linter } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import { rules } from "./rules/index.js";
import { PLUGIN_NAME, PLUGIN_VERSION } from "./lib/version.js";

const NAMESPACE = "arm-dsc";
/** The files every config applies to: templates and parameters files are `.json` or `.jsonc`. */
const FILES = ["**/*.json", "**/*.jsonc"];

type RuleName = keyof typeof rules;

const plugin = {
  meta: { name: PLUGIN_NAME, version: PLUGIN_VERSION, namespace: NAMESPACE },
  rules,
  configs: {} as Record<"recommended" | "strict" | "all", Linter.Config[]>,
};

/** The config object that registers the plugin and parses `.json`/`.jsonc` files as JSONC. */
const base: Linter.Config = {
  name: `${NAMESPACE}/base`,
  files: FILES,
  plugins: {
    get [NAMESPACE](): ESLint.Plugin {
      return plugin as unknown as ESLint.Plugin;
    },
  },
  languageOptions: { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } },
  rules: {},
};

/** A named config: the base object plus one object that turns rules on. */
function config(name: "recommended" | "strict" | "all", pick: (rule: RuleName) => Linter.RuleEntry | null): Linter.Config[] {
  const entries: Linter.RulesRecord = {};
  for (const rule of Object.keys(rules) as RuleName[]) {
    const entry = pick(rule);
    if (entry !== null) entries[`${NAMESPACE}/${rule}`] = entry;
  }
  return [base, { name: `${NAMESPACE}/${name}`, files: FILES, rules: entries }];
}

plugin.configs.recommended = config("recommended", (rule) => (rules[rule].meta.docs?.recommended ? "error" : null));
plugin.configs.strict = config("strict", (rule) => {
  const strictOptions = rules[rule].meta.docs?.strictOptions;
  return strictOptions ? ["error", ...strictOptions] : "error";
});
plugin.configs.all = config("all", () => "error");

export const { meta, configs } = plugin;
export { rules };
export default plugin;
