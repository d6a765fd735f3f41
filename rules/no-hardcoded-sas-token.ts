import { createRule, TemplateCheck, checkTemplates } from "../lib/rule.js";
import { isStringLiteral, jsonPointer, keyEquals, propertyName, valueStartingAt } from "../lib/json/access.js";
import type { AST } from "../lib/json/types.js";
import { nextBackslash, tokensHolding } from "../lib/json/tokens.js";

import { callName, parseStringNode, walkExpr, type Expr } from "../lib/expression/index.js";
import { findSasToken, redactSasToken, secretAnalysis, type SasMatch } from "../lib/secrets/index.js";

type MessageIds = "inTemplate" | "inParameterDefault" | "inParametersFile";

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
      inParameterDefault:
        "A SAS token ({{token}}) is written into the template as the default of parameter '{{parameter}}' ({{where}}); anyone who can read the template can use it until it expires: remove it from the default and pass the token at deployment, in a secureString parameter.",
      inParametersFile:
        "A SAS token ({{token}}) is written in clear text into the parameters file at {{where}}; reference it from Key Vault instead.",
    },
  },
  create: (context) => checkTemplates(context, HardcodedTokenCheck, ["deploymentTemplate", "deploymentParameters"]),
});

/** The checks of one file. */
class HardcodedTokenCheck extends TemplateCheck<MessageIds, []> {
  private readonly literal = this.model.kind === "deploymentParameters";
  /** The template objects of the file (the root and nested ones), whose `parameters` are parameter declarations. */
  private readonly templateNodes: ReadonlySet<AST.JSONNode> = new Set(this.model.templates.map((t) => t.node));
  private feeds: ReadonlySet<AST.JSONNode> | undefined;

  /** The declarations of the parameters that carry a DSC extension's SAS token (found on first use). */
  feedDeclarations(): ReadonlySet<AST.JSONNode> {
    this.feeds ??= new Set(secretAnalysis(this.model).sasFeeds().map((feed) => feed.node));
    return this.feeds;
  }

  /** Checks the file. */
  run(): void {
    // Every SAS token has a `sig=` key: a search of the source text finds the few string tokens
    // that hold one or an escape, without touching the tree. A string with escapes is decoded
    // first, since `sig\u003d` spells `sig=` too. Unescaping an expression's string literals never
    // creates a `sig=` that the JSON value lacks.
    const root = this.model.root;
    if (!root) return;
    for (const token of tokensHolding(this.model.tokens ?? [], this.model.text, SIG_OR_ESCAPE)) {
      if (token.type !== "String") continue;
      const raw = token.value;
      if (!mentionsSig(raw) && !(raw.includes("\\") && mentionsSig(decodedString(raw)))) continue;
      // Keys are not values: only strings reached through values and elements count.
      const node = valueStartingAt(root, token.range[0]);
      if (!isStringLiteral(node)) continue;
      const found = this.tokenIn(node);
      if (!found) continue;
      const data = { token: redactSasToken(found.text, found.match), where: jsonPointer(node) || "/" };
      const parameter = this.literal ? null : defaultOf(node, this.templateNodes);
      if (parameter === null) {
        this.report({ loc: node.loc, messageId: this.literal ? "inParametersFile" : "inTemplate", data });
        continue;
      }
      // The default of a parameter that carries a DSC extension's token is secure-sas-token-parameter's
      // report (hasDefault, with a suggestion to remove it): one report for one mistake.
      if (this.feedDeclarations().has(parameter.declaration)) continue;
      this.report({ loc: node.loc, messageId: "inParameterDefault", data: { ...data, parameter: parameter.name } });
    }
  }

  /** The first SAS token in a string node (in its expression's string literals for templates). */
  tokenIn(node: AST.JSONStringLiteral): { text: string; match: SasMatch } | undefined {
    const value = node.value;
    if (this.literal) {
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
    const search = (text: string) => {
      const match = findSasToken(text, true);
      if (match) found = { text, match };
    };
    walkExpr(parsed.expr, (e) => {
      if (!found && e.type === "String") search(e.value);
    });
    // A token written in pieces: each run of literal arguments of concat(), joined, and the text of
    // format() with its literal arguments in place (Bicep's '?sv=...&sig=${sig}' with a literal sig).
    walkExpr(parsed.expr, (e) => {
      if (found || e.type !== "Call") return;
      const name = callName(e);
      if (name === "concat") for (const run of literalRuns(e.args)) if (!found && run.length > 1) search(run.join(""));
      if (name === "format" && e.args[0]?.type === "String" && e.args.length > 1) for (const run of formatRuns(e.args[0].value, e.args.slice(1))) if (!found) search(run);
    });
    return found;
  }
}

/** The runs of consecutive string literals among `args`, each as its values. */
function literalRuns(args: readonly Expr[]): string[][] {
  const runs: string[][] = [[]];
  for (const arg of args) {
    if (arg.type === "String") runs.at(-1)!.push(arg.value);
    else if (runs.at(-1)!.length > 0) runs.push([]);
  }
  return runs;
}

/**
 * The runs of text that `format(pattern, ...args)` writes without a break: the pattern with each
 * string literal argument in its placeholder, split where an argument is not one (or a placeholder
 * is malformed). Only runs that take an argument: the pattern alone is searched as a string literal.
 * At most MAX_FORMAT_TEXT characters in all: a pattern that repeats a long argument (`{0}{0}...`)
 * would otherwise write its square.
 */
function formatRuns(pattern: string, args: readonly Expr[]): string[] {
  const runs: string[] = [];
  let run = "";
  let filled = false;
  let written = 0;
  const cut = () => {
    if (filled) runs.push(run);
    written += run.length;
    run = "";
    filled = false;
  };
  for (let i = 0; i < pattern.length && written + run.length <= MAX_FORMAT_TEXT; i++) {
    const ch = pattern[i]!;
    if ((ch === "{" || ch === "}") && pattern[i + 1] === ch) {
      run += ch;
      i++;
      continue;
    }
    if (ch !== "{") {
      run += ch;
      continue;
    }
    const close = pattern.indexOf("}", i);
    const arg = close > i ? args[Number(pattern.slice(i + 1, close))] : undefined;
    if (arg?.type === "String") {
      run += arg.value;
      filled = true;
    } else cut();
    if (close < 0) break;
    i = close;
  }
  cut();
  return runs;
}

/** Most text formatRuns writes for one format() call (a SAS token is a few hundred characters). */
const MAX_FORMAT_TEXT = 65_536;

/** The value of a JSON string token's raw text; "" when it does not decode. */
function decodedString(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "string" ? value : "";
  } catch {
    return "";
  }
}

/** The offset of the next `=` at or after `from` that ends `sig=` in any (ASCII) case, or -1. */
function nextSigEquals(text: string, from: number): number {
  let at = text.indexOf("=", Math.max(from, 3));
  while (at >= 0) {
    if ((text.charCodeAt(at - 3) | 0x20) === 0x73 && (text.charCodeAt(at - 2) | 0x20) === 0x69 && (text.charCodeAt(at - 1) | 0x20) === 0x67) {
      return at;
    }
    at = text.indexOf("=", at + 1);
  }
  return -1;
}

/** Where a token that may hold a SAS token is: a `sig=`, or an escape that may spell one. */
const SIG_OR_ESCAPE = [nextSigEquals, nextBackslash];

/** True when `text` contains `sig=` in any (ASCII) case. */
function mentionsSig(text: string): boolean {
  return nextSigEquals(text, 0) >= 0;
}

/**
 * The template parameter (its name and declaration) whose `defaultValue` holds `node`
 * (`parameters.<name>.defaultValue` of one of `templates`), or null: a Logic App definition's
 * `parameters` are not the template's.
 */
function defaultOf(node: AST.JSONNode, templates: ReadonlySet<AST.JSONNode>): { name: string; declaration: AST.JSONNode } | null {
  let child: AST.JSONNode = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type !== "JSONProperty" || parent.value !== child || !keyEquals(propertyName(parent) ?? "", "defaultValue")) continue;
    const declaration = parent.parent;
    const named = declaration?.parent;
    const parameters = named?.parent?.parent;
    const template = parameters?.parent;
    if (named?.type === "JSONProperty" && parameters?.type === "JSONProperty" && keyEquals(propertyName(parameters) ?? "", "parameters") && template && templates.has(template)) {
      const name = propertyName(named);
      return name !== null && declaration ? { name, declaration } : null;
    }
    return null;
  }
  return null;
}
