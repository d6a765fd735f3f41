/** What the secret rules start from: a template with DSC extensions, its analysis and an edit builder. */
import { jsonSource, templateOf } from "../rule.js";
import type { RuleContext } from "@typescript-eslint/utils/ts-eslint";
import { createFixer } from "../json/fix.js";
import type { JsonFixer, JsonSourceCode } from "../json/types.js";
import type { TemplateModel } from "../template/model.js";
import { secretAnalysis, type SecretAnalysis } from "./analysis.js";

/** A linted template that has at least one DSC extension. */
export interface SecretRuleFile {
  model: TemplateModel;
  source: JsonSourceCode;
  /** The file's shared secret analysis (its facts are computed on first use). */
  analysis: SecretAnalysis;
  fixer: JsonFixer;
}

/** The file a secret rule checks, or null when it is not a template with a DSC extension. */
export function secretRuleFile(context: Readonly<RuleContext<string, readonly unknown[]>>): SecretRuleFile | null {
  const model = templateOf(context);
  if (!model || model.dscExtensions.length === 0) return null;
  return { model, source: jsonSource(context), analysis: secretAnalysis(model), fixer: createFixer() };
}
