import { createRule, declareFix, checkTemplates } from "../lib/rule.js";
import { findProperty, isNullLiteral, jsonPointer, propertyName } from "../lib/json/access.js";
import { insertProperty, removeProperty, replaceNode } from "../lib/json/fix.js";
import type { AST } from "../lib/json/types.js";
import { parseStringNode, walkExpr } from "../lib/expression/index.js";
import { findSasToken, hasNearbyComment, redactSasToken, SecretCheck } from "../lib/secrets/index.js";

type MessageIds = "notSecure" | "missingType" | "hasDefault" | "makeSecure" | "insertType" | "removeDefault";

export default createRule<[], MessageIds>({
  name: "secure-sas-token-parameter",
  meta: {
    type: "problem",
    docs: {
      description: "Require parameters that carry a DSC SAS token to be `secureString` without a hard-coded default",
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      notSecure:
        "Parameter '{{parameter}}' {{reason}} but is declared as '{{type}}'; declare it as secureString so the token is not logged in the deployment history.",
      missingType:
        "Parameter '{{parameter}}' {{reason}} but has no type; declare it as secureString so the token is not logged in the deployment history.",
      hasDefault:
        "Parameter '{{parameter}}' {{reason}} but has the default value {{value}}; a SAS token must not be written into the template: leave the default out or make it \"\".",
      makeSecure: "Change the type of '{{parameter}}' to secureString.",
      insertType: "Declare '{{parameter}}' as secureString.",
      removeDefault: "Remove the default value of '{{parameter}}'.",
    },
  },
  create: (context) => checkTemplates(context, SecureParameterCheck),
});

/** The checks of one file. */
class SecureParameterCheck extends SecretCheck<MessageIds, []> {
  /** Reports each parameter that must be a secure string and is not. */
  run(): void {
    for (const feed of this.analysis.sasFeeds()) {
      const parameter = propertyName(feed.property) ?? feed.decl.name;
      const base = { parameter, reason: feed.reason };
      const type = findProperty(feed.node, "type");
      const ref = feed.decl.typeRef;
      if (!type && ref) {
        // A user-defined type (Bicep's `$ref`): its definition says the type, and may serve other parameters, so no suggestion.
        const resolved = feed.decl.type;
        if (resolved !== null && resolved.toLowerCase() !== "securestring") {
          this.report({ loc: ref.value.loc, messageId: "notSecure", data: { ...base, type: resolved } });
        }
      } else if (!type) {
        const edits = this.plan((fixer) => insertProperty(this.source, fixer, feed.node, "type", JSON.stringify("secureString")));
        this.report({
          loc: feed.property.key.loc,
          messageId: "missingType",
          data: base,
          suggest: edits ? [{ messageId: "insertType", data: { parameter }, fix: declareFix(() => [`${jsonPointer(feed.node)}/type`], () => edits) }] : [],
        });
      } else {
        const value = type.value;
        const text = value.type === "JSONLiteral" && typeof value.value === "string" ? value.value : this.source.getText(value);
        if (text.toLowerCase() !== "securestring") {
          this.report({
            loc: value.loc,
            messageId: "notSecure",
            data: { ...base, type: text },
            // Replacing a value that holds comments would drop them.
            suggest: (this.source.getCommentsInside?.(value) ?? []).length
              ? []
              : [
                  {
                    messageId: "makeSecure",
                    data: { parameter },
                    fix: declareFix(() => [jsonPointer(value)], () => replaceNode(this.fixer, value, JSON.stringify("secureString"))),
                  },
                ],
          });
        }
      }
      const defaultValue = findProperty(feed.node, "defaultValue");
      if (!defaultValue) continue;
      const v = defaultValue.value;
      if (!writesValue(v)) continue;
      const edits = this.plan((fixer) => (hasNearbyComment(this.source, defaultValue) ? null : removeProperty(this.source, fixer, defaultValue)));
      this.report({
        loc: defaultValue.key.loc,
        messageId: "hasDefault",
        data: { ...base, value: describeDefault(v, this.source.getText(v)) },
        suggest: edits ? [{ messageId: "removeDefault", data: { parameter }, fix: declareFix(() => [jsonPointer(defaultValue)], () => edits) }] : [],
      });
    }
  }
}

/** A default value as a message shows it: short, and with any signature hidden. */
/**
 * True when a default writes a value into the template: anything but `""`, `null` and an
 * expression that holds no SAS token text. `[parameters('_artifactsLocationSasToken')]` passes
 * another parameter on (that parameter is checked in its turn) and `[newGuid()]` writes nothing a
 * caller could reuse.
 */
function writesValue(node: AST.JSONExpression): boolean {
  if (isNullLiteral(node)) return false;
  if (node.type !== "JSONLiteral" || typeof node.value !== "string") return true;
  const parsed = parseStringNode(node);
  if (parsed.kind !== "expression") return parsed.kind === "error" || parsed.value !== "";
  const texts: string[] = [];
  walkExpr(parsed.expr, (e) => {
    if (e.type === "String") texts.push(e.value);
  });
  return findSasToken(texts.join("")) !== null;
}

function describeDefault(node: AST.JSONExpression, text: string): string {
  let shown = text;
  if (node.type === "JSONLiteral" && typeof node.value === "string") {
    const match = findSasToken(node.value);
    const value = node.value;
    shown = JSON.stringify(match ? value.slice(0, match.start) + redactSasToken(value, match) + value.slice(match.end) : value);
  }
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
