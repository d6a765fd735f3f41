import { createRule, declareFix, TemplateCheck, checkTemplates, type DeclaredFix } from "../lib/rule.js";
import type { ReportDescriptor, RuleFixer } from "@typescript-eslint/utils/ts-eslint";

import { findProperty, insideProperty, isStringLiteral, jsonPointer, keyEquals } from "../lib/json/access.js";
import { setProperty } from "../lib/json/fix.js";
import type { AST, TextEdit } from "../lib/json/types.js";
import { evaluateNode, isExpressionString, writtenWrong, type JsonValue, type Value } from "../lib/expression/index.js";
import type { ExtensionInfo } from "../lib/template/model.js";
import { findDscArguments, passedDscArguments, type DscArgument, type PassedArgument } from "../lib/template/arguments.js";
import { extensionNames, originPhrase, possibleValues, offendingText, reasonText, valueText } from "../lib/template/describe.js";
import { readersOfWritten } from "../lib/secrets/index.js";

type Options = [{ nodeNameKeys?: string[] }];
type MessageIds = "notLocalhost" | "unproven" | "setWrittenLocalhost";

const LOCALHOST = "localhost";

export default createRule<Options, MessageIds>({
  name: "scale-set-node-name",
  meta: {
    type: "problem",
    docs: {
      description: 'Require the DSC node name of a scale-set extension to be "localhost"',
      recommended: true,
    },
    fixable: "code",
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          nodeNameKeys: {
            type: "array",
            items: { type: "string", minLength: 1 },
            minItems: 1,
            uniqueItems: true,
            description:
              "Configuration argument names (case-insensitive) that carry the node name; the list replaces the default.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ nodeNameKeys: ["nodeName"] }],
    messages: {
      notLocalhost:
        'Configuration argument \'{{key}}\' of DSC extension \'{{name}}\' on {{parent}} is {{value}}{{origin}}; in a scale set it must be "localhost", because one extension definition serves every instance.',
      unproven:
        'Configuration argument \'{{key}}\' of DSC extension \'{{name}}\' on {{parent}} cannot be proven to be "localhost": {{reason}}{{origin}}.',
      setWrittenLocalhost:
        'Set \'{{key}}\' to "localhost" on line {{line}}, where it is written (this extension is the only reader of that value).',
    },
  },
  create: (context) => checkTemplates(context, NodeNameCheck),
});

type Suggestion = NonNullable<ReportDescriptor<MessageIds>["suggest"]>[number];

/** The checks of one file. */
class NodeNameCheck extends TemplateCheck<MessageIds, Options> {
  private readonly keys: readonly string[] = this.options.nodeNameKeys ?? ["nodeName"];

  /** Checks the file. */
  run(): void {
    for (const ext of this.model.dscExtensions) {
      if (ext.parentKind !== "vmss") continue;
      for (const arg of findDscArguments(ext.dsc, this.keys)) {
        if (!arg.shadowed) this.checkInPlace(ext, arg);
      }
      // Arguments written elsewhere (a variable, a module caller's value), once per written place.
      const seen = new Set<AST.JSONExpression>();
      const written = new Set<AST.JSONExpression>();
      for (const arg of passedDscArguments(ext.dsc, ext.scope)) {
        const node = arg.valueNode;
        if (!node || arg.shadowed || !this.keys.some((key) => keyEquals(arg.key, key))) continue;
        written.add(arg.via);
        if (seen.has(node)) continue;
        seen.add(node);
        this.checkPassed(ext, arg, node);
      }
      const view = ext.dsc;
      const holders: [AST.JSONProperty | undefined, string[]][] = [
        [view?.publicArguments, []],
        [view?.protectedArguments, []],
        // A whole settings block an expression builds: its arguments are a member of it.
        [view?.settings ? undefined : view?.settingsProperty, ["configurationArguments"]],
        [view?.protectedSettings ? undefined : view?.protectedSettingsProperty, ["configurationArguments"]],
      ];
      for (const [holder, path] of holders) {
        if (holder && !written.has(holder.value)) this.checkBuilt(ext, holder, path);
      }
    }
  }

  /**
   * Checks a node name in configuration arguments that an expression builds rather than reads
   * from a written value (`"[if(parameters('x'), createObject('nodeName', 'localhost'),
   * createObject('nodeName', parameters('vm')))]"`, as Bicep writes a conditional object). The
   * report is on the expression; nothing is written to edit, so there is no fix or suggestion.
   */
  checkBuilt(ext: ExtensionInfo, holder: AST.JSONProperty, path: readonly string[]): void {
    const node = holder.value;
    if (!isStringLiteral(node) || !isExpressionString(node.value)) return;
    const value = evaluateNode(node, ext.scope);
    // The argument collections the values hold, at `path` below each.
    const collections = possibleValues(value).flatMap((v) => {
      let at: JsonValue | undefined = v;
      for (const step of path) at = isJsonObject(at) ? at[Object.keys(at).find((k) => keyEquals(k, step)) ?? ""] : undefined;
      return at === undefined ? [] : [at];
    });
    for (const key of this.keys) {
      const present = collections.flatMap((v) => {
        if (!isJsonObject(v)) return [];
        const found = Object.keys(v).find((k) => keyEquals(k, key));
        return found === undefined ? [] : [{ key: found, value: v[found]! }];
      });
      const bad = present.filter((p) => !isLocalhost(p.value));
      if (!bad.length) continue;
      const shown = bad.map((p) => valueText(p.value));
      this.report({
        loc: node.loc,
        messageId: "notLocalhost",
        data: {
          key: bad[0]!.key,
          ...extensionNames(ext),
          value: shown.length > 1 ? `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}` : shown[0]!,
          origin: ` (built by the expression${bad.length < possibleValues(value).length ? ", in some deployments" : ""})`,
        },
      });
      return;
    }
  }

  /** Checks a node-name argument written in the extension; the fix sets it in place. */
  checkInPlace(ext: ExtensionInfo, arg: DscArgument): void {
    const node = arg.valueNode;
    // Written wrong (`"[parameters('vmssName')"`, `"[concat('a', ]"`): valid-dsc-settings reports
    // it, with the reason; closed or mended, it is checked here.
    if (!node || writtenWrong(node, ext.scope)) return;
    const value = evaluateNode(node, ext.scope);
    const problem = judge(value);
    if (!problem) return;
    const origin = unprovenOrigin(value);
    const data = { key: arg.key, ...extensionNames(ext), ...problem.data, origin: origin === null ? "" : ` (${origin})` };
    // The extension itself written in a value read through an expression (a variable holding the
    // profile, say): no fix edits that value, but the suggestion may, as for an argument read so.
    if (this.isShared(node)) {
      this.report({ loc: node.loc, messageId: problem.messageId, data, suggest: this.suggestWritten(arg, node) });
      return;
    }
    this.report({ loc: node.loc, messageId: problem.messageId, data, fix: this.toLocalhost(arg, node) });
  }

  /**
   * Checks a node-name argument that the extension reads through an expression. The report is on
   * that expression and says where the value is written; setting it there changes every reader,
   * so it is a suggestion, offered only where the extension is that value's one reader (a VM named
   * by the same variable member would be renamed too).
   */
  checkPassed(ext: ExtensionInfo, arg: PassedArgument, node: AST.JSONExpression): void {
    const value = evaluateNode(node, arg.scope);
    const problem = judge(value);
    if (!problem) return;
    const line = String(node.loc.start.line);
    const parts = [unprovenOrigin(value), `written on line ${line}`];
    if (arg.through) parts.push(`read through ${arg.through.kind} '${arg.through.name}'`);
    this.report({
      loc: arg.via.loc,
      messageId: problem.messageId,
      data: { key: arg.key, ...extensionNames(ext), ...problem.data, origin: ` (${parts.filter((p) => p !== null).join(", ")})` },
      suggest: this.suggestWritten(arg, node),
    });
  }

  /**
   * The suggestion that sets a node name to "localhost" where it is written, outside the extension:
   * only while the extension is the one reader of that value, and never in a parameter's
   * allowedValues, which the edit would change.
   */
  suggestWritten(arg: DscArgument, node: AST.JSONExpression): Suggestion[] {
    if (insideProperty(node, "allowedValues") || readersOfWritten(this.model.tokens, this.model.text, node) !== 1) return [];
    return [{ messageId: "setWrittenLocalhost", data: { key: arg.key, line: String(node.loc.start.line) }, fix: this.toLocalhost(arg, node) }];
  }

  /** The fix that sets the argument to "localhost" (built only for a report). */
  toLocalhost(arg: DscArgument, node: AST.JSONExpression): DeclaredFix<(fixer: RuleFixer) => TextEdit[] | null> {
    return declareFix(() => [jsonPointer(node)], (fixer) =>
      fixTarget(arg, (obj, key) => setProperty(this.source, fixer, obj, key, JSON.stringify(LOCALHOST))),
    );
  }
}

/**
 * What is wrong with a node-name value (message and data), or null when it is "localhost" or null
 * (ARM leaves a null argument out, and no argument is fine) in every deployment.
 */
function judge(value: Value): { messageId: "notLocalhost" | "unproven"; data: Record<string, string> } | null {
  if (value.kind === "unknown") return { messageId: "unproven", data: { reason: reasonText(value.reason) } };
  const others = possibleValues(value).filter((v) => v !== null && !isLocalhost(v));
  if (!others.length) return null;
  return { messageId: "notLocalhost", data: { value: offendingText(value, others) } };
}

/** True for a JSON object value (not an array or null). */
function isJsonObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** True for the string "localhost" in any case. */
function isLocalhost(value: JsonValue): boolean {
  return typeof value === "string" && keyEquals(value, LOCALHOST);
}

/**
 * Runs `set` on the object and key that hold the argument's value (the `Value` of a legacy array
 * entry); null when a case-insensitive lookup of that key would find another property.
 */
function fixTarget<T>(
  arg: DscArgument,
  set: (obj: DscArgument["container"], key: string) => T | null,
): T | null {
  if (!arg.property) return null;
  const key = arg.location === "legacyArray" ? "Value" : arg.key;
  if (findProperty(arg.container, key) !== arg.property) return null;
  return set(arg.container, key);
}

/** The origin phrase of a value, unless it is unknown and its reason already names it. */
function unprovenOrigin(value: Value): string | null {
  const origin = originPhrase(value);
  if (value.kind !== "unknown" || !("name" in value.reason)) return origin;
  const reason = value.reason;
  const named = [`from variable '${reason.name}'`, `from parameter '${reason.name}'`];
  return origin !== null && named.includes(origin) ? null : origin;
}
