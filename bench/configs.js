// The configurations the benchmark compares. All of them parse with the same parser object and
// options (taken from the plugin's own base config) and all contain the floor rule, so they do the
// same parse and traversal work and differ only in the rules under test.
import jsonc from "eslint-plugin-jsonc";
import plugin from "../dist/index.js";

const FILES = ["**/*.json", "**/*.jsonc"];

/** A rule that does nothing but listen to every node, so ESLint still walks the whole AST. */
const visitAll = {
  meta: { type: "problem", schema: [], docs: { description: "Visit every node." } },
  create() {
    return { "*"() {} };
  },
};

const base = plugin.configs.recommended.find((c) => c.languageOptions?.parser);
if (!base) throw new Error("plugin.configs.recommended has no config object with a parser");

/** The floor: the plugin's parser (jsonc-eslint-parser, JSONC) and the visit-all rule. */
export const floor = [
  {
    name: "bench/floor",
    files: FILES,
    plugins: { bench: { rules: { "visit-all": visitAll } } },
    languageOptions: base.languageOptions,
    rules: { "bench/visit-all": "error" },
  },
];

/** The floor plus the plugin's `recommended` config, exactly as users spread it. */
export const recommended = [...floor, ...plugin.configs.recommended];

/**
 * The floor plus the rules of eslint-plugin-jsonc's `recommended-with-jsonc` (its own `jsonc/*`
 * rules only; the config also turns off three core rules that are off here anyway). They run on
 * the same parser, not on the config's `jsonc/x` language, so the parse work is the same.
 */
const jsoncRules = Object.fromEntries(
  jsonc.configs["recommended-with-jsonc"].flatMap((c) => Object.entries(c.rules ?? {})).filter(([rule]) => rule.startsWith("jsonc/")),
);
export const jsoncPeer = [...floor, { name: "bench/jsonc-peer", files: FILES, plugins: { jsonc }, rules: jsoncRules }];

/** Names of the rules the `recommended` config turns on. */
export const recommendedRules = Object.keys(Object.assign({}, ...plugin.configs.recommended.map((c) => c.rules ?? {})));

export const configs = { floor, recommended, jsoncPeer };
