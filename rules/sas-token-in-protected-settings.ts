import { createRule, declareFix, checkTemplates } from "../lib/rule.js";
import { findProperty, isObject, isStringLiteral, jsonPointer, keyEquals, propertyName, pathTo, stepInto, stringLeaves } from "../lib/json/access.js";
import { mergeEdits, replaceNode } from "../lib/json/fix.js";
import type { AST, TextEdit } from "../lib/json/types.js";

import type { ExtensionInfo } from "../lib/template/model.js";
import { handlerKeys, isLegacyFormat } from "../lib/template/settings-schema.js";
import { dscArguments } from "../lib/template/arguments.js";
import { extensionNames, possibleValues, surelyGiven } from "../lib/template/describe.js";
import { callName, evaluateExpr, evaluateNode, isExpressionString, parseStringNode, type EvalScope, type Expr } from "../lib/expression/index.js";
import { sameInEveryDeployment } from "../lib/template/describe.js";
import {
  atomText,
  insertAtPath,
  moveToPath,
  protectedPointer,
  protectedRoot,
  splitUrl,
  TOKEN_KEYS,
  type Atom,
  type TokenKey,
  SecretCheck,
  legacyArgumentsPath,
  type SecretAnalysis,
} from "../lib/secrets/index.js";

type MessageIds =
  | "misplacedKey"
  | "legacySasToken"
  | "tokenInUrl"
  | "tokenInLegacyUrl"
  | "tokenInArgument"
  | "tokenAlsoProtected"
  | "tokenInLegacyArgument"
  | "tokenInSettings"
  | "tokenInUrlAndProtected"
  | "inlineAndSplit"
  | "removeFromUrl"
  | "moveKey";

/** True when `path` ends with the segments of `tail` (compared case-insensitively, as ARM reads keys). */
function endsWith(path: readonly string[], tail: readonly string[]): boolean {
  return tail.length <= path.length && tail.every((segment, i) => keyEquals(path[path.length - tail.length + i]!, segment));
}

/** Which token key a configuration URL's token belongs in. */
const URL_HOLDERS: readonly { holder: string; key: TokenKey }[] = [
  { holder: "configuration", key: "configurationUrlSasToken" },
  { holder: "configurationData", key: "configurationDataUrlSasToken" },
];

/** Members of settings named in a report when settings are one expression. */
const OPAQUE_MEMBERS: readonly string[][] = [
  ["configuration", "url"],
  ["configurationData", "url"],
  ["configurationUrlSasToken"],
  ["configurationDataUrlSasToken"],
  ["configurationArguments"],
  ["ModulesUrl"],
  ["SasToken"],
  ["Properties"],
];

export default createRule<[], MessageIds>({
  name: "sas-token-in-protected-settings",
  meta: {
    type: "problem",
    docs: {
      description: "Require SAS tokens of the DSC extension to be in `protectedSettings`",
      recommended: true,
    },
    fixable: "code",
    hasSuggestions: true,
    schema: [],
    messages: {
      misplacedKey:
        "{{key}} of DSC extension '{{name}}' on {{parent}} is in public settings, which are stored unencrypted on the VM and returned to anyone who can read the VM; {{advice}}.",
      legacySasToken:
        "Legacy settings.{{key}} of DSC extension '{{name}}' on {{parent}} keeps the SAS token in public settings; use settings.configuration.url with protectedSettings.configurationUrlSasToken (current format) instead.",
      tokenInUrl:
        "A SAS token ({{source}}{{via}}) is part of {{path}} of DSC extension '{{name}}' on {{parent}}, in public settings; put the token in protectedSettings.{{tokenKey}} instead.",
      tokenInLegacyUrl:
        "A SAS token ({{source}}{{via}}) is part of {{path}} of DSC extension '{{name}}' on {{parent}}, in public settings; the legacy format has no protected place for it: use settings.configuration.url with protectedSettings.configurationUrlSasToken (current format).",
      tokenInArgument:
        "A SAS token ({{source}}{{via}}) flows into the public configuration argument '{{argument}}' of DSC extension '{{name}}' on {{parent}}; move the argument to protectedSettings.configurationArguments.",
      tokenAlsoProtected:
        "A SAS token ({{source}}{{via}}) flows into the public configuration argument '{{argument}}' of DSC extension '{{name}}' on {{parent}}, and protectedSettings.configurationArguments passes '{{twin}}' too{{when}}; pass it in protectedSettings alone.",
      tokenInLegacyArgument:
        "A SAS token ({{source}}{{via}}) flows into the legacy public argument '{{argument}}' ({{path}}) of DSC extension '{{name}}' on {{parent}}; move the argument to protectedSettings.Properties (the legacy format's protected arguments).",
      tokenInSettings:
        "A SAS token ({{source}}{{via}}) flows into {{path}} of DSC extension '{{name}}' on {{parent}}, which is stored unencrypted in public settings; {{advice}}.",
      tokenInUrlAndProtected:
        "A SAS token ({{source}}{{via}}) is part of {{path}} of DSC extension '{{name}}' on {{parent}}, in public settings, and protectedSettings.{{tokenKey}} passes the same token{{when}}, which the handler appends to the URL again; {{advice}}.",
      inlineAndSplit:
        "Inline variable {{variables}} here and move the SAS token to protectedSettings.{{tokenKey}}.",
      removeFromUrl: "Take the SAS token out of the URL (protectedSettings.{{tokenKey}} passes it).",
      moveKey: "Move {{key}} to protectedSettings, where the handler appends its token to the URL.",
    },
  },
  create: (context) => checkTemplates(context, SasTokenCheck),
});

/** A SAS token found in a string and how messages name it. */
interface SasHit {
  atom: Atom;
  source: string;
  via: string;
}

/** The checks of one file. */
class SasTokenCheck extends SecretCheck<MessageIds, []> {
  /** Checks every DSC extension of the file. */
  run(): void {
    const extensions = this.model.dscExtensions;
    for (let i = 0; i < extensions.length; i++) this.check(extensions[i]!);
  }

  /** The SAS source of a string leaf and how it is named in messages; undefined when clean. */
  sasOf(node: AST.JSONExpression, ext: ExtensionInfo): SasHit | undefined {
    const atom = this.analysis.sasSource(this.analysis.flow.node(node, ext.scope));
    if (!atom) return undefined;
    const via = node.type === "JSONLiteral" && typeof node.value === "string" ? this.analysis.viaText(node, ext.scope, atom) : "";
    return { atom, source: atomText(atom), via };
  }

  /** The first string below `node` that a SAS token flows into, with its source. */
  firstTainted(node: AST.JSONExpression, ext: ExtensionInfo): { leaf: AST.JSONExpression; found: SasHit } | undefined {
    for (const leaf of stringLeaves(node)) {
      const found = this.sasOf(leaf, ext);
      if (found) return { leaf, found };
    }
    return undefined;
  }

  /**
   * A misplaced token key in public settings: move it to protectedSettings, as a suggestion (the
   * handler does not read the key in public settings, so from protectedSettings it starts appending
   * the token to the URL). Only while the URL it belongs to is surely given: the key raises no
   * error in public settings, but the handler rejects it in protectedSettings without its URL.
   */
  misplacedKey(ext: ExtensionInfo, settings: AST.JSONObjectExpression, prop: AST.JSONProperty, key: TokenKey): void {
    const holderName = URL_HOLDERS.find((h) => h.key === key)!.holder;
    const holder = findProperty(settings, holderName)?.value;
    const url = isObject(holder) ? findProperty(holder, "url") : undefined;
    const given = url !== undefined && surelyGiven(url, ext.scope);
    const taken = findProperty(ext.dsc?.protectedSettings, key) !== undefined;
    // Moved beside a URL that carries a token already, the key would have the handler append a second one.
    const carried = url !== undefined && this.sasOf(url.value, ext) !== undefined;
    const edits = this.plan((fixer) => {
      const target = given && !carried && protectedRoot(ext);
      return target && moveToPath(this.source, fixer, prop, target.root, ["protectedSettings"], target.after);
    });
    this.report({
      loc: prop.key.loc,
      messageId: "misplacedKey",
      data: {
        ...extensionNames(ext),
        key: propertyName(prop) ?? "",
        // Moved alone, the token would make the handler reject the settings (see above).
        advice: taken
          ? `protectedSettings already has ${key}, so remove this one`
          : carried
            ? `settings.${holderName}.url carries a token already${this.carriedSometimes(url!, ext) ? " in some deployments" : ""}, so remove this one (in protectedSettings the handler would append it a second time)`
            : given
            ? "move it to protectedSettings"
            : `move it to protectedSettings once settings.${holderName}.url is given in every deployment (the handler rejects it there without that URL), or remove it`,
      },
      suggest: edits ? [{ messageId: "moveKey", data: { key: propertyName(prop) ?? "" }, fix: declareFix(() => [jsonPointer(prop), protectedPointer(ext)], () => edits) }] : [],
    });
  }

  /** True when a URL that carries a token chooses by `if()` a branch that carries none. */
  carriedSometimes(url: AST.JSONProperty, ext: ExtensionInfo): boolean {
    const value = url.value;
    const parsed = isStringLiteral(value) ? parseStringNode(value) : null;
    const e = parsed?.kind === "expression" ? parsed.expr : null;
    if (!e || e.type !== "Call" || callName(e) !== "if" || e.args.length !== 3) return false;
    return !this.analysis.exprCarriesSas(e.args[1]!, ext.scope) || !this.analysis.exprCarriesSas(e.args[2]!, ext.scope);
  }

  /** A configuration URL carrying a token: split it when exact. */
  urlWithToken(ext: ExtensionInfo, holder: AST.JSONProperty, url: AST.JSONProperty, tokenKey: TokenKey): void {
    const found = this.sasOf(url.value, ext);
    if (!found) return;
    const path = `settings.${propertyName(holder)}.${propertyName(url)}`;
    const data = { ...extensionNames(ext), source: found.source, via: found.via, path, tokenKey };
    // Past the fix budget no fix or suggestion is offered: plan skips working one out.
    const protectedToken = findProperty(ext.dsc?.protectedSettings, tokenKey);
    if (this.protectedTokenSource(ext, protectedToken, tokenKey) === found.source) {
      this.tokenAlsoProtected(ext, url, data, this.protectedSometimes(ext, protectedToken, tokenKey));
      return;
    }
    const target = this.plan(() => protectedRoot(ext));
    const free = target && !protectedToken && !findProperty(ext.dsc?.settings, tokenKey);
    const split = free ? splitUrl(this.analysis, url.value, ext.scope) : null;
    let edits: TextEdit[] | null = null;
    if (split && target) {
      const insert = insertAtPath(this.source, this.fixer, target.root, ["protectedSettings"], tokenKey, split.tokenText, target.after);
      edits = insert && mergeEdits(this.fixer, [...replaceNode(this.fixer, split.target, split.targetText), ...insert]);
    }
    const fix = edits && split ? declareFix(() => [jsonPointer(split.target), protectedPointer(ext)], () => edits) : null;
    if (fix && split?.mode === "suggest") {
      const variables = split.variables.map((v) => `'${v}'`).join(", ");
      this.report({
        loc: url.value.loc,
        messageId: "tokenInUrl",
        data,
        suggest: [{ messageId: "inlineAndSplit", data: { variables, tokenKey }, fix }],
      });
      return;
    }
    this.report({ loc: url.value.loc, messageId: "tokenInUrl", data, fix });
  }

  /**
   * How messages name the token that protectedSettings passes in `tokenKey`: written there
   * (`protectedToken`), or read as a member of a protectedSettings given by an expression
   * (`"protectedSettings": "[variables('dscProtected')]"`); undefined when there is none.
   */
  protectedTokenSource(ext: ExtensionInfo, protectedToken: AST.JSONProperty | undefined, tokenKey: TokenKey): string | undefined {
    if (protectedToken) return this.sasOf(protectedToken.value, ext)?.source;
    const block = ext.dsc?.protectedSettingsProperty;
    if (!block || ext.dsc?.protectedSettings) return undefined;
    // A member of a string parameter does not exist: a protectedSettings that is the token itself passes no key.
    const atoms = this.analysis.flow.node(block.value, ext.scope, [tokenKey]).filter((a) => !(a.kind === "parameter" && a.path.length > 0 && isTextType(a.decl.type)));
    const atom = this.analysis.sasSource(atoms, false);
    return atom ? atomText(atom) : undefined;
  }

  /**
   * True when the token protectedSettings passes in `tokenKey` may be left out in some deployments:
   * its value, or the whole protectedSettings expression, chooses by `if()` a branch without it
   * (Bicep's `useToken ? { configurationUrlSasToken: sas } : {}`), also through variables, a
   * module's parameters, member reads and merges (see TokenPresence). When unsure, true: the
   * answer only withholds the suggestion that takes the token out of the URL.
   */
  protectedSometimes(ext: ExtensionInfo, protectedToken: AST.JSONProperty | undefined, tokenKey: TokenKey): boolean {
    const node = protectedToken ? protectedToken.value : ext.dsc?.protectedSettingsProperty?.value;
    return node !== undefined && new TokenPresence(this.analysis).nodeMayLack(node, ext.scope, protectedToken ? [] : [tokenKey], 0);
  }

  /**
   * A URL that carries the token protectedSettings already passes: the handler appends it a second
   * time. Taking it out of the URL changes the URL the handler downloads from, so it is a
   * suggestion, offered where the token is the URL's last piece, and only when protectedSettings
   * passes the token in every deployment (`sometimes`: the URL needs it where it does not).
   */
  tokenAlsoProtected(ext: ExtensionInfo, url: AST.JSONProperty, data: Record<string, string>, sometimes: boolean): void {
    const split = this.offersFixes && !sometimes ? splitUrl(this.analysis, url.value, ext.scope) : null;
    const edits = split && this.plan((fixer) => replaceNode(fixer, split.target, split.targetText));
    this.report({
      loc: url.value.loc,
      messageId: "tokenInUrlAndProtected",
      data: {
        ...data,
        when: sometimes ? " (perhaps not in every deployment)" : "",
        advice: sometimes ? "pass the token in one place only, in every deployment" : "take the token out of the URL",
      },
      suggest: split && edits ? [{ messageId: "removeFromUrl", data: { tokenKey: data.tokenKey! }, fix: declareFix(() => [jsonPointer(split.target)], () => edits) }] : [],
    });
  }

  /**
   * Settings given as one expression (`[parameters('dscSettings')]`): reports the value, naming
   * the first well-known member a token reaches (read through the expression), else `settings`.
   */
  opaqueSettings(ext: ExtensionInfo, value: AST.JSONExpression): void {
    let atom: Atom | undefined;
    let path = "settings";
    for (const member of OPAQUE_MEMBERS) {
      // A deployment's output or a resource's property read whole (Bicep's `settings:
      // mod.outputs.x`) is named by the path the template writes, not by the member asked for.
      const atoms = this.analysis.flow.node(value, ext.scope, member).map((a) => (a.kind === "reference" && endsWith(a.path, member) ? { ...a, path: a.path.slice(0, -member.length) } : a));
      atom = this.analysis.sasSource(atoms, false);
      if (atom) {
        path = `settings.${member.join(".")}`;
        break;
      }
    }
    atom ??= this.analysis.sasSource(this.analysis.flow.node(value, ext.scope));
    if (!atom) return;
    const via = value.type === "JSONLiteral" && typeof value.value === "string" ? this.analysis.viaText(value, ext.scope, atom) : "";
    this.report({
      loc: value.loc,
      messageId: "tokenInSettings",
      data: { ...extensionNames(ext), source: atomText(atom), via, path, advice: settingsAdvice(path.slice("settings.".length), { opaque: true, own: false, legacy: false }) },
    });
  }

  /** Checks one DSC extension. */
  check(ext: ExtensionInfo): void {
    const view = ext.dsc;
    const settingsProperty = view?.settingsProperty;
    if (!view || !settingsProperty) return;
    const settings = view.settings;
    if (!settings) {
      this.opaqueSettings(ext, settingsProperty.value);
      return;
    }
    const handled = new Set<AST.JSONNode>();
    for (const key of TOKEN_KEYS) {
      const prop = findProperty(settings, key);
      if (!prop) continue;
      handled.add(prop.value);
      this.misplacedKey(ext, settings, prop, key);
    }
    const legacy = findProperty(settings, "SasToken");
    if (legacy) {
      handled.add(legacy.value);
      if (!isEmptyValue(legacy.value, ext)) {
        this.report({ loc: legacy.key.loc, messageId: "legacySasToken", data: { ...extensionNames(ext), key: propertyName(legacy) ?? "SasToken" } });
      }
    }
    for (const { holder, key } of URL_HOLDERS) {
      const holderProp = findProperty(settings, holder);
      const url = isObject(holderProp?.value) ? findProperty(holderProp.value, "url") : undefined;
      if (!holderProp || !url) continue;
      handled.add(url.value);
      this.urlWithToken(ext, holderProp, url, key);
    }
    const modules = findProperty(settings, "ModulesUrl");
    if (modules) {
      handled.add(modules.value);
      const found = this.sasOf(modules.value, ext);
      if (found) {
        this.report({
          loc: modules.value.loc,
          messageId: "tokenInLegacyUrl",
          data: { ...extensionNames(ext), source: found.source, via: found.via, path: `settings.${propertyName(modules)}` },
        });
      }
    }
    for (const arg of dscArguments(view)) {
      if (arg.block !== "settings" || !arg.valueNode) continue;
      handled.add(arg.valueNode);
      if (arg.shadowed) continue;
      const hit = this.firstTainted(arg.valueNode, ext);
      if (!hit) continue;
      const data = { ...extensionNames(ext), source: hit.found.source, via: hit.found.via, argument: arg.key };
      if (arg.location !== "public") {
        this.report({ loc: hit.leaf.loc, messageId: "tokenInLegacyArgument", data: { ...data, path: legacyArgumentsPath(arg) } });
        continue;
      }
      const twin = this.protectedTwin(ext, arg);
      if (twin !== null) {
        this.report({ loc: hit.leaf.loc, messageId: "tokenAlsoProtected", data: { ...data, ...twin } });
        continue;
      }
      this.report({ loc: hit.leaf.loc, messageId: "tokenInArgument", data, fix: this.moveToProtectedArguments(ext, arg) });
    }
    for (const node of stringLeaves(settings, handled)) {
      const found = this.sasOf(node, ext);
      if (!found) continue;
      const path = pathTo(settings, node, "settings");
      const legacy = isLegacyFormat(view);
      const advice = settingsAdvice(path.slice("settings.".length), { opaque: false, own: handlerKeys(settings, node) !== null, legacy });
      this.report({ loc: node.loc, messageId: "tokenInSettings", data: { ...extensionNames(ext), source: found.source, via: found.via, path, advice } });
    }
  }
}

/** True for the parameter types `string` and `secureString` (any case), whose values have no members. */
function isTextType(type: string | null): boolean {
  const lower = type?.toLowerCase();
  return lower === "string" || lower === "securestring";
}

/**
 * What to do about a token in a settings member (`member`: the path below `settings`, as
 * OPAQUE_MEMBERS name them, or the key whose value an expression gives). `opaque`: the settings
 * are given by an expression, so the change is made where they are written. `own`: any other
 * member is a value of the handler's own, which it reads from public settings only (a download
 * mapping's URL, say). `legacy`: the extension uses the legacy format, whose protected arguments
 * are protectedSettings.Properties.
 */
function settingsAdvice(member: string, { opaque, own, legacy }: { opaque: boolean; own: boolean; legacy: boolean }): string {
  const where = opaque ? " where the settings are written" : "";
  switch (member) {
    case "configuration":
    case "configurationData":
    case "configuration.url":
    case "configurationData.url": {
      const key = member.startsWith("configurationData") ? "configurationDataUrlSasToken" : "configurationUrlSasToken";
      const at = opaque ? where : member.includes(".") ? "" : ` where ${member} is written`;
      return `take it out of the URL${at} and pass it in protectedSettings.${key}`;
    }
    case "configurationUrlSasToken":
    case "configurationDataUrlSasToken":
      return `move ${member} to protectedSettings${where}`;
    case "configurationArguments":
      return `pass the argument in protectedSettings.configurationArguments${where}`;
    case "Properties":
      return `pass the argument in protectedSettings.Properties${where} (the legacy format's protected arguments)`;
    case "ModulesUrl":
    case "SasToken":
      return "use settings.configuration.url with protectedSettings.configurationUrlSasToken (current format)";
    default: {
      // A download URL under a misplaced key (`configuration.configuration.url`), which valid-dsc-settings reports.
      const nested = opaque ? null : /\.(configuration|configurationData)\.url$/iu.exec(member);
      if (nested) {
        const data = nested[1]!.toLowerCase() === "configurationdata";
        const holder = data ? "configurationData" : "configuration";
        return `the handler does not read this URL here: move it to settings.${holder}.url, take the token out of it and pass it in protectedSettings.${data ? "configurationDataUrlSasToken" : "configurationUrlSasToken"}`;
      }
      const args = legacy ? "protectedSettings.Properties" : "protectedSettings.configurationArguments";
      if (opaque) return `take it out${where}: the handler takes a token only from protectedSettings.configurationUrlSasToken, configurationDataUrlSasToken or ${args.slice("protectedSettings.".length)}`;
      return own
        ? "the handler reads this value from public settings only, so use one that needs no token"
        : `the handler documents no such key, so it is most likely ignored: remove it, or pass the token in ${args} if the configuration needs it`;
    }
  }
}

/**
 * True when a value is "" or null in every deployment: written so, or an expression no deployment
 * can change (`variables('sas')` holding "", `json('null')`, a nested template's parameter its
 * deployment passes as ""). A root parameter's value may differ from its default, so a value
 * that reads one is not empty.
 */
function isEmptyValue(node: AST.JSONExpression, ext: ExtensionInfo): boolean {
  if (node.type === "JSONLiteral" && (node.value === "" || node.value === null)) return true;
  if (!isStringLiteral(node) || !isExpressionString(node.value)) return false;
  const value = evaluateNode(node, ext.scope);
  const values = possibleValues(value);
  return values.length > 0 && sameInEveryDeployment(value) && values.every((v) => v === "" || v === null);
}

/** Most calls, variables and parameters TokenPresence follows into one another, and most it visits per question. */
const MAX_PRESENCE_DEPTH = 16;
const MAX_PRESENCE_STEPS = 512;

/**
 * Whether a SAS token is present in a value in every deployment (see
 * SasTokenCheck.protectedSometimes). Each question has a step budget; past it, or past the depth,
 * the answer is "may lack", the safe one.
 */
/**
 * True when reading `path` from `node` meets an expression: the node itself, or a member written as
 * one (an object default `{ "t": "[if(...)]" }` read as `.t`), which no deployment replaces by a
 * placeholder of its own.
 */
function expressionOnPath(node: AST.JSONExpression, path: readonly string[]): boolean {
  let at: AST.JSONExpression | undefined = node;
  for (let i = 0; at; i++) {
    if (isStringLiteral(at) && isExpressionString(at.value)) return true;
    if (i === path.length) return false;
    at = stepInto(at, path[i]!);
  }
  return false;
}

class TokenPresence {
  private steps = 0;

  constructor(private readonly analysis: SecretAnalysis) {}

  /** {@link mayLack} of a JSON value read through `path`. */
  nodeMayLack(node: AST.JSONExpression, scope: EvalScope, path: readonly string[], depth: number): boolean {
    let at: AST.JSONExpression | undefined = node;
    for (let i = 0; at; i++) {
      if (isStringLiteral(at) && isExpressionString(at.value)) {
        const parsed = parseStringNode(at);
        return parsed.kind !== "expression" || this.mayLack(parsed.expr, scope, path.slice(i), depth);
      }
      if (i === path.length) return !this.analysis.sasSource(this.analysis.flow.node(at, scope), false);
      at = stepInto(at, path[i]!);
    }
    return true;
  }

  /**
   * True when the value of `expr` read through `path` may be without a SAS token in some
   * deployment: an `if()` whose condition is not the same in every deployment with a branch that
   * may lack it, a variable or a passed parameter whose value may, a `union()`/`shallowMerge()`
   * with an object that may set the member without it, a `createObject()` without the key, a
   * `coalesce()` whose first argument may, a parameter that no caller passes and that is nullable
   * or whose default may, another function none of whose arguments surely carries it (`format('{0}', if(...))`);
   * otherwise when no token flows into it.
   */
  mayLack(expr: Expr, scope: EvalScope, path: readonly string[], depth: number): boolean {
    if (++this.steps > MAX_PRESENCE_STEPS || depth > MAX_PRESENCE_DEPTH) return true;
    const lacks = () => !this.analysis.sasSource(this.analysis.flow.expr(expr, scope, path), false);
    if (expr.type === "Member") return this.mayLack(expr.object, scope, [expr.property, ...path], depth + 1);
    if (expr.type === "Index") {
      const index = expr.index;
      return index.type === "String" || index.type === "Number" ? this.mayLack(expr.object, scope, [String(index.value), ...path], depth + 1) : true;
    }
    if (expr.type !== "Call" || expr.namespace !== null) return lacks();
    const name = callName(expr);
    const args = expr.args;
    switch (name) {
      case "if": {
        if (args.length !== 3) return true;
        const test = evaluateExpr(args[0]!, scope);
        const known = test.kind === "known" && sameInEveryDeployment(test) && typeof test.value === "boolean" ? test.value : null;
        const branches = known === null ? [args[1]!, args[2]!] : [known ? args[1]! : args[2]!];
        return branches.some((branch) => this.mayLack(branch, scope, path, depth + 1));
      }
      case "variables": {
        const written = args.length === 1 && args[0]!.type === "String" ? scope.variable(args[0].value) : undefined;
        return written ? this.nodeMayLack(written, scope, path, depth + 1) : true;
      }
      case "parameters": {
        // A module's parameter: the value its caller passes.
        const decl = args.length === 1 && args[0]!.type === "String" ? scope.parameter(args[0].value) : undefined;
        const supplied = decl?.supplied;
        if (supplied?.node) return this.nodeMayLack(supplied.node, supplied.scope, path, depth + 1);
        if (supplied?.expr) return this.mayLack(supplied.expr, supplied.scope, path, depth + 1);
        // Its default, when no caller passes it: a module's always, a root template's unless the
        // deployment sets it (a literal default such as "" is a placeholder for the token then).
        const fallback = decl?.defaultValue;
        if (decl?.nullable && !fallback) return true;
        if (fallback && (!decl.free || expressionOnPath(fallback, path)) && this.nodeMayLack(fallback, scope, path, depth + 1)) return true;
        return lacks();
      }
      case "tryget": {
        const keys = args.slice(1).map((key) => (key.type === "String" || key.type === "Number" ? String(key.value) : null));
        if (args.length < 2 || keys.includes(null)) return true;
        return this.mayLack(args[0]!, scope, [...(keys as string[]), ...path], depth + 1);
      }
      case "coalesce":
        // A first argument that surely carries the token is not null, so it is the value.
        return args.length === 0 || this.mayLack(args[0]!, scope, path, depth + 1);
      case "union":
      case "shallowmerge": {
        if (path.length === 0) return lacks();
        const objects = name === "union" ? args : args.length === 1 && args[0]!.type === "Call" && callName(args[0]) === "createarray" ? args[0].args : null;
        if (!objects) return true;
        // The last object that sets the member wins: the answer is that object's (when it may not
        // set it, an earlier one may: then, to be safe, it may lack it); with none, it lacks it.
        const last = objects.findLast((object) => this.maySet(object, scope, path[0]!));
        return last === undefined || this.mayLack(last, scope, path, depth + 1);
      }
      case "createobject": {
        if (path.length === 0) return lacks();
        for (let i = args.length - 2; i >= 0; i -= 2) {
          const key = args[i]!;
          if (key.type !== "String") return true;
          if (keyEquals(key.value, path[0]!)) return this.mayLack(args[i + 1]!, scope, path.slice(1), depth + 1);
        }
        return true;
      }
      default:
        // Another function carries the token when an argument surely does (format, concat, string,
        // trim). A member of a result the token comes from (`listAccountSas(...).accountSasToken`,
        // a deployment's output) holds it; a member of what other functions build cannot be told
        // (`json(...).t`, `createArray(...)[0]`).
        if (lacks()) return true;
        if (path.length > 0) return !(name === "reference" || name?.startsWith("list"));
        return args.every((arg) => this.mayLack(arg, scope, [], depth + 1));
    }
  }

  /** False when an object of a merge surely has no member `key`: written, or built by createObject(), without it. */
  private maySet(object: Expr, scope: EvalScope, key: string): boolean {
    if (object.type !== "Call" || object.namespace !== null) return true;
    const name = callName(object);
    if (name === "createobject") return object.args.some((arg, i) => i % 2 === 0 && (arg.type !== "String" || keyEquals(arg.value, key)));
    if (name === "variables" && object.args.length === 1 && object.args[0]!.type === "String") {
      const written = scope.variable(object.args[0].value);
      return !isObject(written) || findProperty(written, key) !== undefined;
    }
    return true;
  }
}
