import { createRule, templateOf } from "../lib/rule.js";
import { isStringLiteral, jsonPointer } from "../lib/json/access.js";
import type { AST } from "../lib/json/types.js";
import { parseStringNode, walkExpr } from "../lib/expression/index.js";
import { findSasToken, redactSasToken, type SasMatch } from "../lib/secrets/index.js";

type MessageIds = "inTemplate" | "inParametersFile";

export default createRule<[], MessageIds>({
  name: "no-hardcoded-sas-token",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow SAS tokens written into templates and parameters files",
      recommended: true,
    },
    schema: [],
    messages: {
      inTemplate:
        "A SAS token ({{token}}) is written into the template at {{where}}; anyone who can read the template can use it until it expires: pass it in a secureString parameter instead.",
      inParametersFile:
        "A SAS token ({{token}}) is written in clear text into the parameters file at {{where}}; reference it from Key Vault instead.",
    },
  },
  create(context) {
    const model = templateOf(context, ["deploymentTemplate", "deploymentParameters"]);
    const root = model?.root;
    if (!model || !root) return {};
    const literal = model.kind === "deploymentParameters";

    /** The first SAS token in a string node (in its expression's string literals for templates). */
    function tokenIn(node: AST.JSONStringLiteral): { text: string; match: SasMatch } | undefined {
      const value = node.value;
      if (literal) {
        const match = findSasToken(value, true);
        return match ? { text: value, match } : undefined;
      }
      const parsed = parseStringNode(node);
      if (parsed.kind === "literal") {
        const match = findSasToken(parsed.value, true);
        return match ? { text: parsed.value, match } : undefined;
      }
      if (parsed.kind === "error") {
        const match = findSasToken(value, true);
        return match ? { text: value, match } : undefined;
      }
      let found: { text: string; match: SasMatch } | undefined;
      walkExpr(parsed.expr, (e) => {
        if (found || e.type !== "String") return;
        const match = findSasToken(e.value, true);
        if (match) found = { text: e.value, match };
      });
      return found;
    }

    /** True when `node` is a value reached from the root through object values and array elements only. */
    function underRoot(node: AST.JSONNode): boolean {
      let current: AST.JSONNode = node;
      while (current !== root) {
        const parent = current.parent;
        if (parent?.type === "JSONProperty") {
          if (parent.value !== current) return false;
          current = parent.parent;
        } else if (parent?.type === "JSONArrayExpression") current = parent;
        else return false;
      }
      return true;
    }

    return {
      JSONLiteral(node: AST.JSONLiteral) {
        // Every SAS token has a `sig=` key; strings without one (nearly all) are skipped before any parsing.
        // Unescaping an expression's string literals never creates a `sig=` that the JSON value lacks.
        if (!isStringLiteral(node) || !mentionsSig(node.value)) return;
        if (!underRoot(node)) return;
        const found = tokenIn(node);
        if (!found) return;
        context.report({
          loc: node.loc,
          messageId: literal ? "inParametersFile" : "inTemplate",
          data: { token: redactSasToken(found.text, found.match), where: jsonPointer(node) || "/" },
        });
      },
    };
  },
});

/** True when `text` contains `sig=` in any (ASCII) case. */
function mentionsSig(text: string): boolean {
  let at = text.indexOf("=", 3);
  while (at >= 0) {
    if ((text.charCodeAt(at - 3) | 0x20) === 0x73 && (text.charCodeAt(at - 2) | 0x20) === 0x69 && (text.charCodeAt(at - 1) | 0x20) === 0x67) {
      return true;
    }
    at = text.indexOf("=", at + 1);
  }
  return false;
}
