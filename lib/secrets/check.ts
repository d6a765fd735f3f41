/** What the secret rules start from: a template check with the file's secret analysis and an edit builder. */
import { TemplateCheck } from "../rule.js";
import { createFixer } from "../json/fix.js";
import type { JsonFixer } from "../json/types.js";
import { secretAnalysis, type SecretAnalysis } from "./analysis.js";

/** The checks of a secret rule on one template: a {@link TemplateCheck} with the file's secret analysis. */
export abstract class SecretCheck<MessageIds extends string, Options extends readonly unknown[]> extends TemplateCheck<MessageIds, Options> {
  /** The file's shared secret analysis (its facts are computed on first use). */
  protected readonly analysis: SecretAnalysis = secretAnalysis(this.model);
  protected readonly fixer: JsonFixer = createFixer();
}
