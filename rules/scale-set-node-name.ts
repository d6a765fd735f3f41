import { createRule, declareFix, TemplateCheck, checkTemplates, type DeclaredFix } from "../lib/rule.js";
import type { RuleFixer } from "@typescript-eslint/utils/ts-eslint";

import { findProperty, jsonPointer, keyEquals } from "../lib/json/access.js";
import { setProperty } from "../lib/json/fix.js";
import type { AST, TextEdit } from "../lib/json/types.js";
import { evaluateNode, type JsonValue, type Value } from "../lib/expression/index.js";
import type { ExtensionInfo } from "../lib/template/model.js";
import { findDscArguments, type DscArgument } from "../lib/template/arguments.js";
import { extensionNames, originText, possibleValues, reasonText, valueText } from "../lib/template/describe.js";

type Options = [{ nodeNameKeys?: string[] }];
type MessageIds = "notLocalhost" | "unproven";

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
    },
  },
  create: (context) => checkTemplates(context, NodeNameCheck),
});

/** The checks of one file. */
class NodeNameCheck extends TemplateCheck<MessageIds, Options> {
  private readonly keys: readonly string[] = this.options.nodeNameKeys ?? ["nodeName"];

  /** Checks the file. */
  run(): void {
    for (const ext of this.model.dscExtensions) {
      if (ext.parentKind !== "vmss") continue;
      for (const arg of findDscArguments(ext.dsc, this.keys)) {
        if (!arg.shadowed) this.check(ext, arg);
      }
    }
  }

  /** Checks one node-name argument of a scale-set DSC extension. */
  check(ext: ExtensionInfo, arg: DscArgument): void {
    const node = arg.valueNode;
    if (!node) return;
    const value = evaluateNode(node, ext.scope);
    if (value.kind === "unknown") {
      this.report({
        loc: node.loc,
        messageId: "unproven",
        data: { key: arg.key, ...extensionNames(ext), reason: reasonText(value.reason), origin: unprovenOrigin(value) },
        fix: this.toLocalhost(arg, node),
      });
      return;
    }
    const others = possibleValues(value).filter((v) => !isLocalhost(v));
    if (!others.length) return;
    this.report({
      loc: node.loc,
      messageId: "notLocalhost",
      data: { key: arg.key, ...extensionNames(ext), value: valuesText(value, others), origin: originText(value) },
      fix: this.toLocalhost(arg, node),
    });
  }

  /** The fix that sets the argument to "localhost" (built only for a report). */
  toLocalhost(arg: DscArgument, node: AST.JSONExpression): DeclaredFix<(fixer: RuleFixer) => TextEdit[] | null> {
    return declareFix(() => [jsonPointer(node)], (fixer) =>
      fixTarget(arg, (obj, key) => setProperty(this.source, fixer, obj, key, JSON.stringify(LOCALHOST))),
    );
  }
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

/** `"vm1"` for one value, `one of "a", "b"` for several. */
function valuesText(value: Value, others: JsonValue[]): string {
  if (value.kind === "known") return valueText(value.value);
  return `one of ${others.map((v) => valueText(v)).join(", ")}`;
}

/** The origin of an unknown value, unless the reason already names it. */
function unprovenOrigin(value: Extract<Value, { kind: "unknown" }>): string {
  const origin = originText(value);
  const reason = value.reason;
  if (!("name" in reason)) return origin;
  const named = [` (from variable '${reason.name}')`, ` (from parameter '${reason.name}')`];
  return named.includes(origin) ? "" : origin;
}
