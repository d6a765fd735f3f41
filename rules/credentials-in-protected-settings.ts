import { createRule, checkTemplates } from "../lib/rule.js";
import { asciiLower, isArray, isObject, isStringLiteral, jsonPointer, keyEquals, propertyName, pathTo, stringLeaves } from "../lib/json/access.js";
import { documentedElsewhere, handlerKeys, isLegacyFormat, knownKey } from "../lib/template/settings-schema.js";
import type { AST } from "../lib/json/types.js";
import {
  callName,
  evaluateExpr,
  evaluateNode,
  parseStringNode,
  resultIsNeverObject,
  resultIsNeverSecret,
  writtenValues,
  type EvalScope,
  type JsonValue,
} from "../lib/expression/index.js";
import type { ExtensionInfo } from "../lib/template/model.js";
import { dscArguments, passedDscArguments, passedOrigin, type DscArgument, type PassedArgument } from "../lib/template/arguments.js";
import { sameInEveryDeployment } from "../lib/template/describe.js";
import { extensionNames, possibleValues } from "../lib/template/describe.js";
import {
  atomText,
  isPasswordKey,
  isPrivateSettingsRef,
  isSasName,
  isSecretName,
  isUserNameKey,
  SecretCheck,
  legacyArgumentsPath,
} from "../lib/secrets/index.js";

type MessageIds =
  | "credentialInArgument"
  | "credentialAlsoProtected"
  | "credentialInLegacyArgument"
  | "secretInLegacyArgument"
  | "credentialInSettings"
  | "credentialInLegacySettings"
  | "credentialInHandlerValue";

/** What makes an argument a credential, and where to report it. */
interface Finding {
  node: AST.JSONNode;
  reason: string;
}

export default createRule<[], MessageIds>({
  name: "credentials-in-protected-settings",
  meta: {
    type: "problem",
    docs: {
      description: "Require credentials passed to the DSC extension to be in `protectedSettings`",
      recommended: true,
    },
    fixable: "code",
    schema: [],
    messages: {
      credentialInArgument:
        "The public configuration argument '{{argument}}' of DSC extension '{{name}}' on {{parent}} {{reason}}; public settings are stored unencrypted on the VM and returned to anyone who can read the VM, so move it to protectedSettings.configurationArguments.",
      credentialAlsoProtected:
        "The public configuration argument '{{argument}}' of DSC extension '{{name}}' on {{parent}} {{reason}}, and protectedSettings.configurationArguments passes '{{twin}}' too{{when}}; public settings are stored unencrypted, so pass it in protectedSettings alone.",
      credentialInLegacyArgument:
        "The legacy public argument '{{argument}}' ({{path}}) of DSC extension '{{name}}' on {{parent}} {{reason}}; move it to protectedSettings.Properties (the legacy format's protected arguments), or pass the password as \"PrivateSettingsRef:<key>\" with the value in protectedSettings.Items.",
      secretInLegacyArgument:
        "The legacy public argument '{{argument}}' ({{path}}) of DSC extension '{{name}}' on {{parent}} {{reason}}; move it to protectedSettings.Properties (the legacy format's protected arguments).",
      credentialInSettings:
        "A credential ({{source}}{{via}}) flows into {{path}} of DSC extension '{{name}}' on {{parent}}, which is stored unencrypted in public settings; pass it in protectedSettings.configurationArguments.",
      credentialInLegacySettings:
        "A credential ({{source}}{{via}}) flows into {{path}} of DSC extension '{{name}}' on {{parent}}, which is stored unencrypted in public settings; pass it as an argument in protectedSettings.Properties (the legacy format's protected arguments) instead.",
      credentialInHandlerValue:
        "A credential ({{source}}{{via}}) flows into {{path}} of DSC extension '{{name}}' on {{parent}}, which is stored unencrypted in public settings; the handler reads this value from public settings only, so keep secrets out of it{{hint}}.",
    },
  },
  create: (context) => checkTemplates(context, CredentialsCheck),
});

/** The checks of one file. */
class CredentialsCheck extends SecretCheck<MessageIds, []> {
  /** Checks the file. */
  run(): void {
    for (const ext of this.model.dscExtensions) this.check(ext);
  }

  /** The first string below the argument value that a credential flows into. */
  flowing(value: AST.JSONExpression, ext: ExtensionInfo): Finding | undefined {
    for (const leaf of stringLeaves(value)) {
      if (isPrivateSettingsRef(leaf.value)) continue;
      const atom = this.analysis.credentialSource(this.analysis.flow.node(leaf, ext.scope));
      if (atom) return { node: leaf, reason: `receives ${atomText(atom)}${this.analysis.viaText(leaf, ext.scope, atom)}` };
    }
    return undefined;
  }

  /** A PSCredential-shaped value (`userName` + `password`) whose password is not a PrivateSettingsRef; `scope`: where it evaluates. */
  credentialObject(value: AST.JSONExpression, scope: EvalScope): Finding | undefined {
    const reason = "is a PSCredential whose password is in clear text";
    if (isObject(value)) {
      const user = value.properties.some((p) => isUserNameKey(propertyName(p) ?? ""));
      const password = value.properties.findLast((p) => isPasswordKey(propertyName(p) ?? ""));
      if (!user || !password || cannotHoldSecret(password.value, scope)) return undefined;
      return { node: password.value, reason };
    }
    if (value.type !== "JSONLiteral" || typeof value.value !== "string" || !mayBeObject(value, scope)) return undefined;
    const evaluated = evaluateNode(value, scope);
    const values: JsonValue[] = evaluated.kind === "known" ? [evaluated.value] : evaluated.kind === "choice" ? evaluated.values : [];
    for (const v of values) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) continue;
      const keys = Object.keys(v);
      const passwordKey = keys.findLast(isPasswordKey);
      if (!keys.some(isUserNameKey) || passwordKey === undefined) continue;
      const password = v[passwordKey];
      if (typeof password === "string" && (password === "" || isPrivateSettingsRef(password))) continue;
      return { node: value, reason };
    }
    return undefined;
  }

  /**
   * An argument named like a secret with a value that may hold one. An object (written, or what
   * an expression gives in every deployment) is no secret string: credentialObject checks a
   * PSCredential. A parameter's object default is not: a deployment may pass a real credential.
   */
  secretName(arg: DscArgument, value: AST.JSONExpression, scope: EvalScope): Finding | undefined {
    if (!isSecretName(arg.key) || isSasName(arg.key) || isObject(value) || isArray(value)) return undefined;
    if (cannotHoldSecret(value, scope)) return undefined;
    const evaluated = mayBeObject(value, scope) ? evaluateNode(value, scope) : undefined;
    const values = possibleValues(evaluated);
    if (evaluated && sameInEveryDeployment(evaluated) && values.length > 0 && values.every((v) => v !== null && typeof v === "object")) return undefined;
    // A SAS token is reported by sas-token-in-protected-settings.
    if (this.analysis.sasSource(this.analysis.flow.node(value, scope))) return undefined;
    return { node: value, reason: "is named like a secret" };
  }

  /** Checks one argument of public settings. */
  checkArgument(ext: ExtensionInfo, arg: DscArgument): void {
    const value = arg.valueNode;
    if (!value || arg.shadowed) return;
    const finding = this.flowing(value, ext) ?? this.credentialObject(value, ext.scope) ?? this.secretName(arg, value, ext.scope);
    if (finding) this.reportArgument(ext, arg, finding, ext.scope);
  }

  /**
   * Reports a public argument that is a credential: where it is written (`passed`: where it is
   * written elsewhere, reported on the extension's expression that reads it, without a fix).
   */
  reportArgument(ext: ExtensionInfo, arg: DscArgument, finding: Finding, scope: EvalScope, passed?: PassedArgument): void {
    const value = arg.valueNode!;
    const loc = passed ? passed.via.loc : finding.node.loc;
    const data = { ...extensionNames(ext), argument: arg.key, reason: passed ? `${finding.reason} (${passedOrigin(passed)})` : finding.reason };
    if (arg.location !== "public") {
      // PrivateSettingsRef works for a PSCredential's password only.
      const credential = isCredential(arg, value, scope) || this.credentialObject(value, scope) !== undefined;
      const messageId = credential ? "credentialInLegacyArgument" : "secretInLegacyArgument";
      this.report({ loc, messageId, data: { ...data, path: legacyArgumentsPath(arg) } });
      return;
    }
    const twin = this.protectedTwin(ext, arg);
    if (twin !== null) {
      this.report({ loc, messageId: "credentialAlsoProtected", data: { ...data, ...twin } });
      return;
    }
    this.report({ loc, messageId: "credentialInArgument", data, fix: passed ? null : this.moveToProtectedArguments(ext, arg) });
  }

  /**
   * Public arguments written elsewhere (a variable, a parameter's default, the value a module's
   * caller passes) and read by an expression of the extension: a PSCredential in clear text or an
   * argument named like a secret. A credential flowing into one is checkOpaque's report, made on
   * the same expression (`flowed`): that argument gets no second one. Each argument once.
   */
  checkPassed(ext: ExtensionInfo, flowed: ReadonlySet<AST.JSONNode>): void {
    const seen = new Set<string>();
    for (const arg of passedDscArguments(ext.dsc, ext.scope)) {
      const value = arg.valueNode;
      if (arg.block !== "settings" || arg.shadowed || !value) continue;
      // A credential flowing into this argument is in the expression's report already.
      if (flowed.has(arg.via) && this.analysis.credentialSource(this.analysis.flow.node(value, arg.scope))) continue;
      const key = `${jsonPointer(arg.via)} ${asciiLower(arg.key)}`;
      if (seen.has(key)) continue;
      const finding = this.credentialObject(value, arg.scope) ?? this.secretName(arg, value, arg.scope);
      if (!finding) continue;
      seen.add(key);
      this.reportArgument(ext, arg, finding, arg.scope, arg);
    }
  }

  /**
   * Reports a credential flowing into a settings value that is not written out as an object. A
   * path through legacy `Properties` gets the legacy format's advice.
   */
  checkOpaque(ext: ExtensionInfo, node: AST.JSONExpression, paths: readonly (readonly string[])[], pathText: string, legacy: boolean, flowed: Set<AST.JSONNode>): void {
    for (const path of paths) {
      const atom = this.analysis.credentialSource(this.analysis.flow.node(node, ext.scope, path));
      if (!atom) continue;
      const via = node.type === "JSONLiteral" && typeof node.value === "string" ? this.analysis.viaText(node, ext.scope, atom) : "";
      this.report({
        loc: node.loc,
        messageId: legacy || path[0] === "Properties" ? "credentialInLegacySettings" : "credentialInSettings",
        data: { ...extensionNames(ext), source: atomText(atom), via, path: pathText },
      });
      flowed.add(node);
      return;
    }
  }

  /** Checks one DSC extension. */
  check(ext: ExtensionInfo): void {
    const view = ext.dsc;
    const settingsProperty = view?.settingsProperty;
    if (!view || !settingsProperty) return;
    const flowed = new Set<AST.JSONNode>();
    if (!view.settings) {
      const value = settingsProperty.value;
      if (value.type === "JSONLiteral" && typeof value.value === "string") {
        this.checkOpaque(ext, value, [["configurationArguments"], ["Properties"], []], "settings", false, flowed);
      }
      this.checkPassed(ext, flowed);
      return;
    }
    const handled = new Set<AST.JSONNode>();
    for (const arg of dscArguments(view)) {
      if (arg.block !== "settings") continue;
      if (arg.valueNode) handled.add(arg.valueNode);
      this.checkArgument(ext, arg);
    }
    const opaque: [AST.JSONProperty | undefined, boolean][] = [
      [view.publicArguments, isObject(view.publicArguments?.value)],
      [view.legacyProperties, isObject(view.legacyProperties?.value) || isArray(view.legacyProperties?.value)],
    ];
    for (const [prop, written] of opaque) {
      if (!prop) continue;
      handled.add(prop.value);
      if (!written) this.checkOpaque(ext, prop.value, [[]], `settings.${propertyName(prop) ?? ""}`, prop === view.legacyProperties, flowed);
    }
    this.checkPassed(ext, flowed);
    // A protected block written inside settings, or a key documented in protectedSettings alone
    // (the legacy `Items`, a RegistrationKey beside the arguments), is valid-dsc-settings' report,
    // which says to move it there: that protects what it holds, one report for one mistake.
    for (const prop of view.settings.properties) {
      const name = propertyName(prop);
      if (name === null) continue;
      if (keyEquals(name, "protectedSettings") || keyEquals(name, "protectedSettingsFromKeyVault") || belongsInProtected(name)) handled.add(prop.value);
    }
    // Any other public value: a URL, a key written in the wrong place, a key of the handler's own.
    for (const node of stringLeaves(view.settings, handled)) {
      if (isPrivateSettingsRef(node.value)) continue;
      const atom = this.analysis.credentialSource(this.analysis.flow.node(node, ext.scope));
      if (!atom) continue;
      const data = { ...extensionNames(ext), source: atomText(atom), via: this.analysis.viaText(node, ext.scope, atom), path: pathTo(view.settings, node, "settings") };
      const own = handlerKeys(view.settings, node);
      if (own) {
        const tokenKey = own.length === 2 && own[1] === "url" ? URL_TOKEN_KEYS.get(own[0]!) : undefined;
        const hint = tokenKey ? `; only a SAS token appended to the URL has a protected place, protectedSettings.${tokenKey}` : "";
        this.report({ loc: node.loc, messageId: "credentialInHandlerValue", data: { ...data, hint } });
        continue;
      }
      const legacy = isLegacyFormat(view);
      this.report({ loc: node.loc, messageId: legacy ? "credentialInLegacySettings" : "credentialInSettings", data });
    }
  }
}

/** True for a key of public settings that the handler documents only in protectedSettings. */
function belongsInProtected(name: string): boolean {
  return !knownKey("settings", name) && (documentedElsewhere("settings", name)?.startsWith("protectedSettings") ?? false);
}

/** The protected token key of each documented URL. */
const URL_TOKEN_KEYS: ReadonlyMap<string, string> = new Map([
  ["configuration", "configurationUrlSasToken"],
  ["configurationData", "configurationDataUrlSasToken"],
]);

/**
 * True when a legacy argument is a PSCredential: its array entry's `TypeName` says so, or its value
 * is written as `{ UserName, Password }` (in place, where a variable or parameter holds it, or with
 * `createObject()`), or it is a secureObject parameter passed whole.
 */
function isCredential(arg: DscArgument, value: AST.JSONExpression, scope: EvalScope): boolean {
  if (arg.typeName?.toLowerCase() === "system.management.automation.pscredential") return true;
  const parsed = isStringLiteral(value) ? parseStringNode(value) : null;
  if (parsed?.kind === "expression") {
    const e = parsed.expr;
    const name = callName(e);
    // `createObject('UserName', ..., 'Password', ...)`, or a secureObject parameter passed whole.
    if (name === "createobject" && e.type === "Call") return credentialKeys(e.args.filter((_, i) => i % 2 === 0).map((k) => (k.type === "String" ? k.value : "")));
    if (name === "parameters" && e.type === "Call" && e.args[0]?.type === "String" && scope.parameter(e.args[0].value)?.type?.toLowerCase() === "secureobject") return true;
  }
  const written = isObject(value) ? [value] : writtenValues(value, scope, [], evaluateExpr).values.map((v) => v.node);
  return written.some((node) => isObject(node) && credentialKeys(node.properties.map((p) => propertyName(p) ?? "")));
}

/** True when the keys name a user and a password (a PSCredential written out). */
function credentialKeys(keys: string[]): boolean {
  return keys.some(isUserNameKey) && keys.some(isPasswordKey);
}

/** Most variable hops `mayBeObject` follows. */
const MAX_SHAPE_HOPS = 32;

/**
 * False when a template string plainly evaluates to something other than an object (a string
 * function, or a variable or parameter that holds one), so evaluating it for a PSCredential shape
 * is wasted work.
 */
function mayBeObject(node: AST.JSONExpression, scope: EvalScope): boolean {
  let current: AST.JSONExpression | undefined = node;
  for (let hops = 0; hops < MAX_SHAPE_HOPS && current; hops++) {
    if (isObject(current)) return true;
    if (current.type !== "JSONLiteral" || typeof current.value !== "string") return false;
    const parsed = parseStringNode(current);
    if (parsed.kind !== "expression") return false;
    const e = parsed.expr;
    const name = callName(e);
    if (name === null) return true;
    if (resultIsNeverObject(name)) return false;
    const arg = e.type === "Call" ? e.args[0] : undefined;
    if (name === "parameters" && arg?.type === "String") {
      const type = scope.parameter(arg.value)?.type?.toLowerCase();
      return type === undefined || type === "object" || type === "secureobject";
    }
    if (name !== "variables" || arg?.type !== "String") return true;
    current = scope.variable(arg.value);
  }
  return current !== undefined;
}

/** Parameter types whose values are never a secret: a test or a number. */
const NON_SECRET_TYPES: ReadonlySet<string> = new Set(["bool", "int"]);

/**
 * True for values that cannot hold a secret: `""`, a boolean, a number, `null`, a `PrivateSettingsRef:`
 * reference, an expression whose top-level call yields an id, a test or a number
 * (`resourceId(...)`, `equals(...)`, `length(...)`), a `bool` or `int` parameter, and a variable
 * that holds one of these.
 */
function cannotHoldSecret(node: AST.JSONExpression | undefined, scope: EvalScope): boolean {
  let current = node;
  for (let hops = 0; hops < MAX_SHAPE_HOPS && current; hops++) {
    if (current.type !== "JSONLiteral") return false;
    // A number is no more a secret written out than it is from an `int` parameter.
    if (typeof current.value !== "string") return typeof current.value === "boolean" || typeof current.value === "number" || current.value === null;
    const parsed = parseStringNode(current);
    if (parsed.kind === "literal") return parsed.value === "" || isPrivateSettingsRef(parsed.value);
    if (parsed.kind !== "expression") return false;
    const e = parsed.expr;
    const name = callName(e);
    if (name !== null && resultIsNeverSecret(name)) return true;
    const arg = e.type === "Call" && e.args.length === 1 ? e.args[0] : undefined;
    if (name === "parameters" && arg?.type === "String") return NON_SECRET_TYPES.has(scope.parameter(arg.value)?.type?.toLowerCase() ?? "");
    if (name !== "variables" || arg?.type !== "String") return evaluatesToNoSecret(current, scope);
    current = scope.variable(arg.value);
  }
  return false;
}

/**
 * True when every value an expression may take is known and cannot be a secret: a reference built
 * by `concat('PrivateSettingsRef:', ...)`, a test, `""`, `null`.
 */
function evaluatesToNoSecret(node: AST.JSONExpression, scope: EvalScope): boolean {
  const values = possibleValues(evaluateNode(node, scope));
  return values.length > 0 && values.every((v) => v === null || typeof v === "boolean" || (typeof v === "string" && (v === "" || isPrivateSettingsRef(v))));
}
