import type { ESLint, Linter, Rule } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import { rules as ruleModules } from "./rules/index.js";
import { PLUGIN_NAME, PLUGIN_VERSION } from "./lib/version.js";

const NAMESPACE = "arm-dsc";
/** The files every config applies to: templates and parameters files are `.json` or `.jsonc`. */
const FILES = ["**/*.json", "**/*.jsonc"];

type RuleName = keyof typeof ruleModules;
type ConfigName = "recommended" | "strict" | "all";

/**
 * The plugin, typed as ESLint's own types describe a plugin, so that TypeScript accepts it where
 * ESLint takes one (`defineConfig({ plugins: { "arm-dsc": armDsc } })`). The rules are written
 * with typescript-eslint's `RuleCreator`, whose types ESLint's do not accept as they are; at run
 * time they are ordinary ESLint rules.
 */
export interface ArmDscPlugin extends ESLint.Plugin {
  meta: { name: string; version: string; namespace: string };
  rules: Record<RuleName, Rule.RuleModule>;
  configs: Record<ConfigName, Linter.Config[]>;
}

const plugin: ArmDscPlugin = {
  meta: { name: PLUGIN_NAME, version: PLUGIN_VERSION, namespace: NAMESPACE },
  rules: ruleModules as unknown as Record<RuleName, Rule.RuleModule>,
  configs: {} as Record<ConfigName, Linter.Config[]>,
};

/** The config object that registers the plugin and parses `.json`/`.jsonc` files as JSONC. */
const base: Linter.Config = {
  name: `${NAMESPACE}/base`,
  files: FILES,
  plugins: {
    get [NAMESPACE](): ESLint.Plugin {
      return plugin;
    },
  },
  languageOptions: { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } },
  rules: {},
};

/** A named config: the base object plus one object that turns rules on. */
function config(name: ConfigName, pick: (rule: RuleName) => Linter.RuleEntry | null): Linter.Config[] {
  const entries: Linter.RulesRecord = {};
  for (const rule of Object.keys(ruleModules) as RuleName[]) {
    const entry = pick(rule);
    if (entry !== null) entries[`${NAMESPACE}/${rule}`] = entry;
  }
  return [base, { name: `${NAMESPACE}/${name}`, files: FILES, rules: entries }];
}

plugin.configs.recommended = config("recommended", (rule) => (ruleModules[rule].meta.docs?.recommended ? "error" : null));
plugin.configs.strict = config("strict", (rule) => {
  const strictOptions = ruleModules[rule].meta.docs?.strictOptions;
  return strictOptions ? ["error", ...strictOptions] : "error";
});
plugin.configs.all = config("all", () => "error");

export const meta: ArmDscPlugin["meta"] = plugin.meta;
export const configs: ArmDscPlugin["configs"] = plugin.configs;
export const rules: ArmDscPlugin["rules"] = plugin.rules;
export default plugin;
// What `require("eslint-plugin-arm-dsc")` returns (Node.js 20.19 and later load ES modules that
// way): the plugin itself rather than the module namespace, so that the object a config lists
// under `plugins` is the one the configs' base object registers.
export { plugin as "module.exports" };
