import { createRule, templateOf } from "../lib/rule.js";
import { isArray, isObject, jsonPointer } from "../lib/json/access.js";
import type { AST } from "../lib/json/types.js";
import { parseTemplateString, walkExpr } from "../lib/expression/index.js";
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

    /** The first SAS token in a string value (in its expression's string literals for templates). */
    function tokenIn(value: string): { text: string; match: SasMatch } | undefined {
      if (literal) {
        const match = findSasToken(value, true);
        return match ? { text: value, match } : undefined;
      }
      const parsed = parseTemplateString(value);
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

    return {
      Program() {
        const stack: AST.JSONExpression[] = [root];
        while (stack.length > 0) {
          const node = stack.pop()!;
          if (isObject(node)) {
            for (let i = node.properties.length - 1; i >= 0; i--) stack.push(node.properties[i]!.value);
          } else if (isArray(node)) {
            for (let i = node.elements.length - 1; i >= 0; i--) {
              const element = node.elements[i];
              if (element) stack.push(element);
            }
          } else if (node.type === "JSONLiteral" && typeof node.value === "string") {
            const found = tokenIn(node.value);
            if (!found) continue;
            context.report({
              loc: node.loc,
              messageId: literal ? "inParametersFile" : "inTemplate",
              data: { token: redactSasToken(found.text, found.match), where: jsonPointer(node) || "/" },
            });
          }
        }
      },
    };
  },
});
