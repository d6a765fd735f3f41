/** What the secret rules start from: a template check with the file's secret analysis and an edit builder. */
import type { RuleFixer } from "@typescript-eslint/utils/ts-eslint";
import { declareFix, TemplateCheck, type DeclaredFix } from "../rule.js";
import { findProperty, isObject, isProperty, isStringLiteral, jsonPointer, propertyName } from "../json/access.js";
import { callName, evaluateExpr, parseStringNode, writtenValues, type EvalScope } from "../expression/index.js";
import { surelyGiven, surelyNull } from "../template/describe.js";
import { createFixer } from "../json/fix.js";
import type { AST, JsonFixer, TextEdit } from "../json/types.js";
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
   * `arg` (any case), as written there, with `when`: "" when it is given (not null) in every
   * deployment, SOMETIMES otherwise; null when none is written, or it is null in
   * every deployment (ARM removes it). The handler rejects
   * the pair whenever both are given, so the value belongs in the protected one alone: moving the
   * public one would make the duplicate. The protected arguments may be written out, or given by
   * an expression (`"protectedSettings": "[variables('ps')]"`), read where its value is written.
   */
  protected protectedTwin(ext: ExtensionInfo, arg: DscArgument): { twin: string; when: string } | null {
    const view = ext.dsc;
    const written = view?.protectedArguments?.value;
    if (isObject(written)) {
      const twin = findProperty(written, arg.key);
      const name = twin && !surelyNull(twin, ext.scope) && propertyName(twin);
      return twin && name ? { twin: name, when: present(twin, ext.scope) ? "" : SOMETIMES } : null;
    }
    const holder = view?.protectedArguments ?? (view?.protectedSettings ? undefined : view?.protectedSettingsProperty);
    if (!holder) return null;
    const path = holder === view?.protectedArguments ? [arg.key] : ["configurationArguments", arg.key];
    const found = writtenValues(holder.value, ext.scope, path, evaluateExpr, undefined, { expressionLeaves: true });
    let name: string | null = null;
    let always = found.complete && found.misses.length === 0;
    for (const { node, scope, crossed } of found.values) {
      const prop = node.parent;
      if (!isProperty(prop) || surelyNull(prop, scope)) continue;
      name ??= propertyName(prop);
      // A value read from a parameter's default is one a deployment may replace.
      if (!present(prop, scope) || crossed.some((hop) => hop.input)) always = false;
    }
    return name === null ? null : { twin: name, when: always ? "" : SOMETIMES };
  }
}

/** How a message says that a value may not be there in every deployment (or the analysis cannot tell). */
const SOMETIMES = " (perhaps not in every deployment)";

/**
 * True when a property is given (not null) in every deployment, also when it reads a parameter that
 * has no default and is not nullable, which every deployment must pass (ARM rejects a null for a
 * declared type).
 */
function present(prop: AST.JSONProperty, scope: EvalScope): boolean {
  if (surelyGiven(prop, scope)) return true;
  const value = prop.value;
  const parsed = isStringLiteral(value) ? parseStringNode(value) : null;
  const e = parsed?.kind === "expression" ? parsed.expr : null;
  const name = e?.type === "Call" && e.args.length === 1 && e.args[0]!.type === "String" && callName(e) === "parameters" ? e.args[0].value : null;
  const decl = name === null ? undefined : scope.parameter(name);
  return decl !== undefined && decl.type !== null && !decl.defaultValue && !decl.supplied && !decl.nullable;
}

/** `settings.Properties` (as written): where a legacy-format argument sits, for messages. */
export function legacyArgumentsPath(arg: DscArgument): string {
  return `settings.${arg.collectionName}`;
}
