import tseslint from "typescript-eslint";
import eslintPlugin from "eslint-plugin-eslint-plugin";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "examples/", "tests/corpus/", "**/*.json", "**/*.jsonc"] },
  { files: ["**/*.ts"], extends: [tseslint.configs.recommended] },
  {
    files: ["rules/*.ts"],
    ignores: ["rules/index.ts"],
    extends: [eslintPlugin.configs.recommended],
    rules: {
      "eslint-plugin/require-meta-docs-description": ["error", { pattern: "^(Enforce|Require|Disallow) .+[^. ]$" }],
      "eslint-plugin/require-meta-docs-url": "off",
      "eslint-plugin/require-meta-schema-description": "error",
      "eslint-plugin/require-meta-default-options": "error",
      "eslint-plugin/no-meta-schema-default": "error",
      "eslint-plugin/report-message-format": ["error", "^[A-Z'\"{].*[.]$"],
      "eslint-plugin/require-meta-has-suggestions": "error",
      "eslint-plugin/require-meta-fixable": "error",
      // Report data is often built by a shared helper (names of the extension and its parent),
      // which this rule cannot follow; RuleTester with requireData checks every placeholder.
      "eslint-plugin/no-missing-placeholders": "off",
    },
  },
  {
    files: ["**/*.ts", "**/*.js"],
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "context", property: "getSourceCode", message: "Use context.sourceCode." },
        { object: "context", property: "getFilename", message: "Use context.filename." },
        { object: "context", property: "parserServices", message: "Use context.sourceCode.parserServices." },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
