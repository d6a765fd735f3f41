/** What the secret rules start from: a template check with the file's secret analysis and an edit builder. */
import type { RuleFixer } from "@typescript-eslint/utils/ts-eslint";
import { declareFix, TemplateCheck, type DeclaredFix } from "../rule.js";
import { findProperty, jsonPointer, propertyName } from "../json/access.js";
import { createFixer } from "../json/fix.js";
import type { JsonFixer, TextEdit } from "../json/types.js";
import type { DscArgument } from "../template/arguments.js";
import type { ExtensionInfo } from "../template/model.js";
import { secretAnalysis, type SecretAnalysis } from "./analysis.js";
import { moveToPath, protectedPointer, protectedRoot } from "./fix.js";

/** The checks of a secret rule on one template: a {@link TemplateCheck} with the file's secret analysis. */
export abstract class SecretCheck<MessageIds extends string, Options extends readonly unknown[]> extends TemplateCheck<MessageIds, Options> {
  /** The file's shared secret analysis (its facts are computed on first use). */
  protected readonly analysis: SecretAnalysis = secretAnalysis(this.model);
  protected readonly fixer: JsonFixer = createFixer();

  /**
   * The fix that moves public configuration argument `arg` to protectedSettings.configurationArguments;
   * null when it cannot be moved (no protected place, or the move would lose a comment), or past
   * the rule's fix budget.
   */
  protected moveToProtectedArguments(ext: ExtensionInfo, arg: DscArgument): DeclaredFix<(fixer: RuleFixer) => TextEdit[]> | null {
    const property = arg.property;
    const target = property ? this.plan(() => protectedRoot(ext)) : null;
    if (!target || !property) return null;
    const edits = moveToPath(this.source, this.fixer, property, target.root, ["protectedSettings", "configurationArguments"], target.after);
    return edits && declareFix(() => [jsonPointer(property), protectedPointer(ext)], () => edits);
  }

  /**
   * The argument of protectedSettings.configurationArguments with the name of public argument
   * `arg` (any case), as written there; null when there is none. The handler rejects the pair, so
   * the public one is to be removed, not moved.
   */
  protected protectedTwin(ext: ExtensionInfo, arg: DscArgument): string | null {
    const twin = findProperty(ext.dsc?.protectedArguments?.value, arg.key);
    return twin ? propertyName(twin) : null;
  }
}

/** `settings.Properties` (as written): where a legacy-format argument sits, for messages. */
export function legacyArgumentsPath(arg: DscArgument): string {
  return `settings.${arg.collectionName}`;
}
