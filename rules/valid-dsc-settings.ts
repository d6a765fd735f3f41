import { createRule, declareFix, TemplateCheck, checkTemplates } from "../lib/rule.js";
import {
  asciiLower,
  findProperty,
  getObjectValue,
  isArray,
  isNullLiteral,
  isObject,
  isStringLiteral,
  jsonPointer,
  keyEquals,
  pathTo,
  propertyName,
  stringLeaves,
} from "../lib/json/access.js";
import { isPrivateSettingsRef, isSecretName, readersOfWritten, secretAnalysis } from "../lib/secrets/index.js";
import { createFixer, insertProperty, mergeEdits, moveProperty, renameKey, replaceNode, sourceEol } from "../lib/json/fix.js";
import type { AST, JsonSourceCode, JsonToken, TextEdit } from "../lib/json/types.js";
import {
  callName,
  closedForm,
  evaluateExpr,
  evaluateNode,
  hasCall,
  isAlmostExpression,
  isExpressionString,
  isTemplateCall,
  malformedReason,
  parseCached,
  type EvalScope,
  type Expr,
  type JsonValue,
} from "../lib/expression/index.js";
import type { ExtensionInfo } from "../lib/template/model.js";
import { dscArguments, findDscArguments, passedDscArguments, passedOrigin, type DscArgument, type PassedArgument } from "../lib/template/arguments.js";
import type { DscSettingsView } from "../lib/template/dsc.js";
import { extensionNames, originText, possibleValues, sameInEveryDeployment, surelyGiven, surelyNotNull, surelyNull, offendingText, valueText } from "../lib/template/describe.js";
import {
  BLOCK_PATHS,
  documentedElsewhere,
  isPublicTokenKey,
  knownKey,
  planMigration,
  settingsFormat,
  suggestKey,
  type FormatInfo,
  type MigrationEntry,
  type MigrationPlan,
  type MigrationValue,
  type SettingsBlock,
} from "../lib/template/settings-schema.js";

type Options = [{ requireCurrentFormat?: boolean }];
type MessageIds =
  | "missingCompanion"
  | "duplicateArgument"
  | "argumentsNotObject"
  | "notAnObject"
  | "invalidUrl"
  | "registrationKeyNotCredential"
  | "wrapInCredential"
  | "invalidValue"
  | "unknownKey"
  | "unknownKeyDidYouMean"
  | "misplacedKey"
  | "rebootNodeIfNeeded"
  | "mixedFormat"
  | "bothProtected"
  | "wrongType"
  | "legacyFormat"
  | "protectedInSettings"
  | "moveOutOfSettings"
  | "renameKey"
  | "convertToCurrent"
  | "privateRefOutsideProperties"
  | "privateRefMissingItem"
  | "notAnExpression"
  | "setLocalhost"
  | "malformedExpression"
  | "closeExpression";

/** Whether a setting is given: surely, surely not (absent or null), or only on some paths. */
type Presence = "yes" | "no" | "maybe";

const WMF_VERSIONS = ["4.0", "5.0", "5.1", "latest"];

/** The handler's objects in settings, with the members it reads from each. */
const HANDLER_OBJECTS: readonly [string, string][] = [
  ["configuration", "url, script and function"],
  ["configurationData", "url"],
  ["privacy", "dataCollection"],
  ["advancedOptions", "forcePullAndApply and downloadMappings"],
];

/**
 * The `list*()` function whose result an expression reads a member of (`listKeys(...).Keys[0].value`,
 * the documented source of an Automation registration key: a string), and whether the read ends in
 * `.value`, the key's text (`.Keys[0]` is the key's object); null for anything else.
 */
function listedKey(node: AST.JSONExpression): { name: string; text: boolean } | null {
  if (!isStringLiteral(node)) return null;
  const parsed = parseCached(node.value);
  if (parsed.kind !== "expression") return null;
  let e = parsed.expr;
  if (e.type !== "Member" && e.type !== "Index") return null;
  const text = e.type === "Member" && e.property.toLowerCase() === "value";
  while (e.type === "Member" || e.type === "Index") e = e.object;
  const name = e.type === "Call" && e.namespace === null ? e.name : null;
  return name !== null && name.toLowerCase().startsWith("list") ? { name, text } : null;
}

/**
 * The parameter an expression reads whole (`[parameters('k')]`), with its declared type (lower
 * case) and how a message names it; null for any other value or an undeclared type.
 */
function declaredParameter(node: AST.JSONExpression, scope: EvalScope): { type: string; text: string } | null {
  if (!isStringLiteral(node)) return null;
  const parsed = parseCached(node.value);
  if (parsed.kind !== "expression") return null;
  const e = parsed.expr;
  const arg = e.type === "Call" && e.args.length === 1 ? e.args[0] : undefined;
  if (callName(e) !== "parameters" || arg?.type !== "String") return null;
  const decl = scope.parameter(arg.value);
  if (!decl?.type) return null;
  return { type: decl.type.toLowerCase(), text: `parameter '${decl.name}' of type ${decl.type}` };
}

/**
 * True unless the extension surely runs the default configuration script: settings written out
 * without a `configuration` that names a URL or module (the handler's script runs only then).
 */
function usesOwnConfiguration(view: DscSettingsView): boolean {
  if (!view.settings) return view.settingsProperty !== undefined;
  const configuration = findProperty(view.settings, "configuration")?.value;
  if (!configuration || isNullLiteral(configuration)) return false;
  return !isObject(configuration) || findProperty(configuration, "url") !== undefined || findProperty(configuration, "module") !== undefined;
}
const DATA_COLLECTION = ["enable", "disable", ""];

export default createRule<Options, MessageIds>({
  name: "valid-dsc-settings",
  meta: {
    type: "problem",
    docs: {
      description: "Enforce DSC extension settings that the DSC handler accepts",
      recommended: true,
      strictOptions: [{ requireCurrentFormat: true }],
    },
    fixable: "code",
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          requireCurrentFormat: {
            type: "boolean",
            description: "Report settings written in the legacy format (`ModulesUrl`, `ConfigurationFunction`, `Properties`, ...).",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ requireCurrentFormat: false }],
    messages: {
      missingCompanion:
        "DSC extension '{{name}}' on {{parent}} sets {{present}} without {{missing}}; the handler rejects this input.",
      duplicateArgument:
        "Argument '{{argument}}' of DSC extension '{{name}}' on {{parent}} is in both the public and the protected configuration arguments{{origin}}; the handler rejects duplicates.",
      argumentsNotObject:
        "The {{path}} of DSC extension '{{name}}' on {{parent}} is {{value}}{{origin}}, not an object; the handler requires a hashtable.",
      notAnObject:
        "The {{path}} of DSC extension '{{name}}' on {{parent}} is {{value}}{{origin}}, not an object; {{need}}.",
      invalidUrl:
        "The {{path}} of DSC extension '{{name}}' on {{parent}} is {{value}}{{origin}}, not an absolute URL; the handler fails with \"This is not a valid URL\".",
      registrationKeyNotCredential:
        "The {{path}} of DSC extension '{{name}}' on {{parent}} is {{value}}{{origin}}, but the default configuration script takes RegistrationKey as a PSCredential ({ \"userName\": \"NOT_USED\", \"Password\": <key> }) and fails with \"Invalid type for parameter RegistrationKey of type PSCredential\".",
      wrapInCredential: "Pass the key as the Password of a PSCredential.",
      invalidValue:
        "The {{path}} of DSC extension '{{name}}' on {{parent}} is {{value}}{{origin}}; the handler accepts only {{allowed}}.",
      unknownKey: "Unknown key '{{key}}' in {{path}} of DSC extension '{{name}}' on {{parent}}; the handler documents no such key, so it is most likely ignored.",
      unknownKeyDidYouMean:
        "Unknown key '{{key}}' in {{path}} of DSC extension '{{name}}' on {{parent}}; did you mean '{{suggestion}}'? The handler documents no such key, so it is most likely ignored.",
      misplacedKey:
        "Key '{{key}}' of DSC extension '{{name}}' on {{parent}} is in {{path}}, but the handler documents it only in {{expected}}{{hint}}.",
      rebootNodeIfNeeded:
        "The key '{{key}}' in settings.advancedOptions of DSC extension '{{name}}' on {{parent}} is not a documented handler setting; pass RebootNodeIfNeeded in settings.configurationArguments to the default configuration script, or set it in your configuration's LCM settings.",
      mixedFormat:
        "DSC extension '{{name}}' on {{parent}} mixes the legacy {{legacy}} with current-format keys ({{current}}); write one format.",
      bothProtected:
        "DSC extension '{{name}}' on {{parent}} sets both protectedSettings and protectedSettingsFromKeyVault; an extension can have only one of them.",
      wrongType:
        "DSC extension '{{name}}' on {{parent}} has type {{value}}{{origin}}; the handler's type is \"DSC\" and no extension type \"Microsoft.Powershell.DSC\" exists.",
      legacyFormat:
        "DSC extension '{{name}}' on {{parent}} uses the legacy settings format ({{keys}}); write the current format.",
      protectedInSettings:
        "'{{key}}' is inside settings of DSC extension '{{name}}' on {{parent}}, so it is not protected: it is stored unencrypted with the public settings, and the handler documents no such key there. It belongs in the extension's properties, beside settings.",
      privateRefOutsideProperties:
        "The {{path}} of DSC extension '{{name}}' on {{parent}} is \"{{value}}\", but PrivateSettingsRef is documented only in the legacy settings.Properties, so nothing says the handler resolves it here. Pass the credential in protectedSettings.configurationArguments.",
      privateRefMissingItem:
        "The {{path}} of DSC extension '{{name}}' on {{parent}} refers to protectedSettings.Items.{{key}}, which {{missing}}, so the reference has nothing to resolve to and the credential gets no password.",
      notAnExpression:
        "The {{path}} of DSC extension '{{name}}' on {{parent}} is written like an expression but {{problem}}, so ARM does not evaluate it and {{user}} the text {{value}}{{hint}}.",
      malformedExpression:
        "The {{path}} of DSC extension '{{name}}' on {{parent}} is not a valid template expression ({{reason}}), so ARM rejects the deployment; correct it, or start the text with '[[' if it is meant as text.",
      closeExpression: "Change it to {{fixed}}.",
      setLocalhost: 'Set it to "localhost", the one node name a scale set\'s extension can have.',
      moveOutOfSettings: "Move '{{key}}' out of settings, beside it.",
      renameKey: "Rename '{{key}}' to '{{suggestion}}'.",
      convertToCurrent: "Rewrite the settings in the current format.",
    },
  },
  create: (context) => checkTemplates(context, ValidSettingsCheck),
});

/** The prefix of a legacy password reference (any case). */
const PRIVATE_REF_PREFIX = "PrivateSettingsRef:";

/** Blocks of an extension's properties that are sometimes written inside settings by mistake (lower case). */
const PROTECTED_BLOCKS: ReadonlySet<string> = new Set(["protectedsettings", "protectedsettingsfromkeyvault"]);

/** The checks of one file. */
class ValidSettingsCheck extends TemplateCheck<MessageIds, Options> {
  /** Checks the file. */
  run(): void {
    for (const ext of this.model.dscExtensions) {
      const props = ext.properties;
      if (!props || !ext.dsc) continue;
      this.checkType(ext, props);
      this.checkKeyVault(ext, props);
      const view = ext.dsc;
      const format = settingsFormat(view.settings, view.protectedSettings);
      if (view.settings) this.checkKeys(ext, view.settings, "settings", format, 0);
      if (view.protectedSettings) this.checkKeys(ext, view.protectedSettings, "protectedSettings", format, 0);
      this.checkCompanions(ext);
      this.checkDuplicateArguments(ext);
      this.checkTokensInArguments(ext);
      this.checkArgumentsType(ext, findProperty(view.settings, "configurationArguments"), "settings.configurationArguments");
      this.checkArgumentsType(ext, findProperty(view.protectedSettings, "configurationArguments"), "protectedSettings.configurationArguments");
      this.checkBlocks(ext);
      this.checkUrls(ext);
      this.checkRegistrationKey(ext);
      this.checkValue(ext, findProperty(view.settings, "wmfVersion"), "settings.wmfVersion", WMF_VERSIONS, false, '"4.0", "5.0", "5.1" or "latest"');
      const privacy = findProperty(view.settings, "privacy");
      if (privacy && isObject(privacy.value)) {
        this.checkValue(ext, findProperty(privacy.value, "dataCollection"), "settings.privacy.dataCollection", DATA_COLLECTION, true, '"Enable", "Disable" or "" (any case)');
      }
      this.checkPrivateSettingsRefs(ext);
      this.checkAlmostExpressions(ext, props);
      this.checkMixed(ext, format);
      this.checkLegacy(ext, props, format);
    }
  }

  /** Reports `type: "Microsoft.Powershell.DSC"`, fixing a literal to `"DSC"`. */
  checkType(ext: ExtensionInfo, props: AST.JSONObjectExpression): void {
    const prop = findProperty(props, "type");
    const value = ext.extensionType;
    if (!prop || !value) return;
    const wrong = possibleValues(value).filter((v) => typeof v === "string" && asciiLower(v) === "microsoft.powershell.dsc");
    if (!wrong.length) return;
    const node = prop.value;
    const literal = isStringLiteral(node) && !isExpressionString(node.value) ? node : undefined;
    this.report({
      loc: node.loc,
      messageId: "wrongType",
      data: { ...extensionNames(ext), value: offendingText(value, wrong, typedText), origin: originText(value) },
      fix: literal ? declareFix(() => [jsonPointer(literal)], (fixer) => replaceNode(fixer, literal, JSON.stringify("DSC"))) : null,
    });
  }

  /** Reports `protectedSettings` together with `protectedSettingsFromKeyVault`. */
  checkKeyVault(ext: ExtensionInfo, props: AST.JSONObjectExpression): void {
    const vault = findProperty(props, "protectedSettingsFromKeyVault");
    const plain = findProperty(props, "protectedSettings");
    if (!vault || !plain || !surelyGiven(vault, ext.scope) || !surelyGiven(plain, ext.scope)) return;
    this.report({ loc: vault.key.loc, messageId: "bothProtected", data: extensionNames(ext) });
  }

  /** Checks the keys of one block and of the known blocks nested in it. */
  checkKeys(ext: ExtensionInfo, obj: AST.JSONObjectExpression, block: SettingsBlock, format: FormatInfo, depth: number): void {
    for (const prop of obj.properties) {
      const name = propertyName(prop);
      if (name === null) continue;
      const known = knownKey(block, name);
      if (known) {
        if (known.child && isObject(prop.value) && depth < 4) this.checkKeys(ext, prop.value, known.child, format, depth + 1);
        continue;
      }
      if (block === "settings" && isPublicTokenKey(name)) continue;
      this.reportUnknownKey(ext, obj, prop, name, block, format);
    }
  }

  /** Reports one key that `block` does not document. */
  reportUnknownKey(
    ext: ExtensionInfo,
    obj: AST.JSONObjectExpression,
    prop: AST.JSONProperty,
    name: string,
    block: SettingsBlock,
    format: FormatInfo,
  ): void {
    const base = { ...extensionNames(ext), key: name, path: BLOCK_PATHS[block] };
    if (block === "advancedOptions" && asciiLower(name) === "rebootnodeifneeded") {
      this.report({ loc: prop.key.loc, messageId: "rebootNodeIfNeeded", data: base });
      return;
    }
    if (block === "settings" && PROTECTED_BLOCKS.has(asciiLower(name))) {
      this.reportProtectedInSettings(ext, prop, base);
      return;
    }
    const expected = documentedElsewhere(block, name);
    if (expected !== undefined) {
      this.report({ loc: prop.key.loc, messageId: "misplacedKey", data: { ...base, expected, hint: this.misplacedSecretHint(ext, prop, block, expected) } });
      return;
    }
    const inUse = format.format === "current" || format.format === "legacy" ? format.format : "any";
    const suggestion = suggestKey(block, name, inUse, prop.value);
    if (suggestion === undefined || findProperty(obj, suggestion)) {
      this.report({ loc: prop.key.loc, messageId: "unknownKey", data: base });
      return;
    }
    // Renamed to configurationArguments, an argument also in the other block's would make a duplicate the handler rejects.
    const other = block === "settings" ? ext.dsc?.protectedArguments : ext.dsc?.publicArguments;
    const clash = keyEquals(suggestion, "configurationArguments") && sharesArgument(prop, other);
    this.report({
      loc: prop.key.loc,
      messageId: "unknownKeyDidYouMean",
      data: { ...base, suggestion },
      suggest: clash
        ? []
        : [
            {
              messageId: "renameKey",
              data: { key: name, suggestion },
              fix: declareFix(() => [jsonPointer(prop), memberPointer(obj, suggestion)], (fixer) => renameKey(fixer, prop, suggestion)),
            },
          ],
    });
  }

  /**
   * Reports a protected block written inside `settings` (a brace in the wrong place): its secrets
   * are public, and the handler never receives them. Moving it out changes what the handler gets,
   * so it is a suggestion, offered when the extension has neither protected block yet.
   */
  reportProtectedInSettings(ext: ExtensionInfo, prop: AST.JSONProperty, data: Record<string, string>): void {
    const props = ext.properties;
    // Beside either protected block, the moved one would clash or make two (which ARM rejects); with
    // an argument that the public ones have too, the handler would reject the duplicate.
    const moved = isObject(prop.value) ? findProperty(prop.value, "configurationArguments") : undefined;
    const movable =
      props &&
      !findProperty(props, "protectedSettings") &&
      !findProperty(props, "protectedSettingsFromKeyVault") &&
      !sharesArgument(moved, ext.dsc?.publicArguments);
    this.report({
      loc: prop.key.loc,
      messageId: "protectedInSettings",
      data,
      suggest: movable
        ? [
            {
              messageId: "moveOutOfSettings",
              data: { key: data.key! },
              fix: declareFix(() => [jsonPointer(prop), memberPointer(props, data.key!)], (fixer) => moveProperty(this.source, fixer, prop, { obj: props })),
            },
          ]
        : [],
    });
  }

  /** Reports `present` when it is given and every key of `missing` is surely absent. */
  requireCompanion(
    ext: ExtensionInfo,
    prop: AST.JSONProperty | undefined,
    present: string,
    companions: Presence[],
    missing: string,
  ): void {
    if (lacksCompanion(ext, prop, companions)) this.report({ loc: prop.key.loc, messageId: "missingCompanion", data: { ...extensionNames(ext), present, missing } });
  }

  /**
   * Reports the members that need `settings.configuration.url` when it is missing: one report, on
   * the first of them, when several do (deleting the URL leaves script, function and the token
   * without it: one mistake); one alone is reported as {@link requireCompanion} would.
   */
  requireUrl(ext: ExtensionInfo, needs: readonly { prop: AST.JSONProperty | undefined; present: string; companions: Presence[]; missing: string }[]): void {
    const lacking = needs.filter((n) => lacksCompanion(ext, n.prop, n.companions));
    if (lacking.length === 0) return;
    const present = lacking.length === 1 ? lacking[0]!.present : `${lacking.slice(0, -1).map((n) => n.present).join(", ")} and ${lacking.at(-1)!.present}`;
    const missing = lacking.length === 1 ? lacking[0]!.missing : "settings.configuration.url";
    this.report({ loc: lacking[0]!.prop!.key.loc, messageId: "missingCompanion", data: { ...extensionNames(ext), present, missing } });
  }

  /** The documented co-requirements of url, script, function, module and the SAS tokens (§1.2). */
  checkCompanions(ext: ExtensionInfo): void {
    const view = ext.dsc!;
    const settingsState = blockState(view.settingsProperty, view.settings);
    if (settingsState === "unknown") return;
    const settings = view.settings;
    const configurationProp = findProperty(settings, "configuration");
    const configuration = objectOrState(ext, configurationProp);
    const dataProp = findProperty(settings, "configurationData");
    const data = objectOrState(ext, dataProp);
    const url = member(ext, configuration, "url");
    const script = member(ext, configuration, "script");
    const fn = member(ext, configuration, "function");
    const module = member(ext, configuration, "module");
    const modulesUrl = member(ext, settings, "ModulesUrl");
    const configurationFunction = member(ext, settings, "ConfigurationFunction");
    const moduleSource = member(ext, settings, "ModuleSource");
    const anyUrl = either(url.state, modulesUrl.state);
    const anyModule = either(module.state, moduleSource.state);

    const missingParts: string[] = [];
    if (either(script.state, configurationFunction.state) === "no") missingParts.push("settings.configuration.script");
    if (either(fn.state, configurationFunction.state) === "no") missingParts.push("settings.configuration.function");
    if (missingParts.length) this.requireCompanion(ext, url.prop, "settings.configuration.url", ["no"], missingParts.join(" and "));
    const needUrl = [
      { prop: script.prop, present: "settings.configuration.script", companions: [anyUrl], missing: "settings.configuration.url" },
      { prop: fn.prop, present: "settings.configuration.function", companions: [anyUrl, anyModule], missing: "settings.configuration.url or settings.configuration.module" },
    ];
    this.requireCompanion(ext, modulesUrl.prop, "settings.ModulesUrl", [script.state, fn.state, configurationFunction.state], "settings.ConfigurationFunction");
    this.requireCompanion(ext, configurationFunction.prop, "settings.ConfigurationFunction", [anyUrl, anyModule], "settings.ModulesUrl or settings.ModuleSource");
    this.requireCompanion(ext, findProperty(settings, "SasToken"), "settings.SasToken", [anyUrl], "settings.ModulesUrl");

    const protectedSettings = view.protectedSettings;
    const token = findProperty(protectedSettings, "configurationUrlSasToken");
    this.requireUrl(ext, [...needUrl, { prop: token, present: "protectedSettings.configurationUrlSasToken", companions: [anyUrl], missing: "settings.configuration.url" }]);
    if (!protectedSettings) return;
    let dataUrl: Presence = typeof data === "string" ? data : "no";
    if (typeof data !== "string") {
      const prop = findProperty(data, "url");
      dataUrl = prop ? presence(ext, prop) : "no";
    }
    const dataBlob = findProperty(protectedSettings, "DataBlobUri");
    dataUrl = either(dataUrl, dataBlob ? presence(ext, dataBlob) : "no");
    this.requireCompanion(ext, findProperty(protectedSettings, "configurationDataUrlSasToken"), "protectedSettings.configurationDataUrlSasToken", [dataUrl], "settings.configurationData.url");
  }

  /**
   * Reports arguments given both publicly and protected. Each side's arguments are written in the
   * extension or read through an expression (`"configurationArguments": "[variables('args')]"`, a
   * whole block from a parameter's default), where their values are written; a passed argument is
   * reported on the extension's expression that reads it, once per name.
   */
  checkDuplicateArguments(ext: ExtensionInfo): void {
    const view = ext.dsc!;
    const passed = passedDscArguments(view, ext.scope);
    const protectedNames = new Map<string, string>();
    for (const entry of blockArguments(view.protectedSettings, "protectedSettings", passed, ext.scope)) {
      const name = asciiLower(entry.name);
      if (!protectedNames.has(name)) protectedNames.set(name, entry.origin);
    }
    if (!protectedNames.size) return;
    const reported = new Set<string>();
    for (const entry of blockArguments(view.settings, "settings", passed, ext.scope)) {
      const name = asciiLower(entry.name);
      const twin = protectedNames.get(name);
      if (twin === undefined || reported.has(`${jsonPointer(entry.node)} ${name}`)) continue;
      reported.add(`${jsonPointer(entry.node)} ${name}`);
      const sides = [entry.origin && `the public one ${entry.origin}`, twin && `the protected one ${twin}`].filter(Boolean);
      this.report({
        loc: entry.node.loc,
        messageId: "duplicateArgument",
        data: { ...extensionNames(ext), argument: entry.name, origin: sides.length ? ` (${sides.join("; ")})` : "" },
      });
    }
  }

  /**
   * Reports the handler's SAS token keys written as configuration arguments: the handler never
   * applies them to the URL there, and hands them to the configuration, which rarely takes such a
   * parameter. Only reported: moving one changes what the configuration and the handler receive.
   */
  checkTokensInArguments(ext: ExtensionInfo): void {
    const view = ext.dsc!;
    for (const block of ["settings", "protectedSettings"] as const) {
      const args = findProperty(block === "settings" ? view.settings : view.protectedSettings, "configurationArguments")?.value;
      if (!isObject(args)) continue;
      for (const prop of args.properties) {
        const name = propertyName(prop);
        if (name === null || !isPublicTokenKey(name)) continue;
        this.report({
          loc: prop.key.loc,
          messageId: "misplacedKey",
          data: { ...extensionNames(ext), key: name, path: `${block}.configurationArguments`, expected: "protectedSettings", hint: "" },
        });
      }
    }
  }

  /** Reports a `configurationArguments` that is not (and cannot become) an object. */
  checkArgumentsType(ext: ExtensionInfo, prop: AST.JSONProperty | undefined, path: string): void {
    this.checkObject(ext, prop, path, "argumentsNotObject", {});
  }

  /** Reports settings blocks, and the handler's own objects in them, given as something else than an object. */
  checkBlocks(ext: ExtensionInfo): void {
    const view = ext.dsc!;
    const extension = "settings and protectedSettings must be JSON objects (write the object, or pass an object or secureObject parameter)";
    this.checkObject(ext, view.settingsProperty, "settings", "notAnObject", { need: extension });
    this.checkObject(ext, view.protectedSettingsProperty, "protectedSettings", "notAnObject", { need: extension });
    for (const [key, members] of HANDLER_OBJECTS) {
      this.checkObject(ext, findProperty(view.settings, key), `settings.${key}`, "notAnObject", { need: `the handler reads ${members} from it` });
    }
  }

  /** Reports `prop`'s value when it is not (and cannot become) an object or null. */
  checkObject(ext: ExtensionInfo, prop: AST.JSONProperty | undefined, path: string, messageId: "argumentsNotObject" | "notAnObject", extra: Record<string, string>): void {
    if (!prop) return;
    const node = prop.value;
    if (isObject(node) || isNullLiteral(node)) return;
    const base = { ...extensionNames(ext), path, ...extra };
    if (isArray(node)) {
      this.report({ loc: node.loc, messageId, data: { ...base, value: "an array", origin: "" } });
      return;
    }
    const value = evaluateNode(node, ext.scope);
    const bad = possibleValues(value).filter((v) => v !== null && (typeof v !== "object" || Array.isArray(v)));
    if (bad.length) {
      this.report({ loc: node.loc, messageId, data: { ...base, value: offendingText(value, bad, typedText), origin: originText(value) } });
      return;
    }
    const declared = value.kind === "unknown" ? declaredParameter(node, ext.scope) : null;
    if (declared && declared.type !== "object" && declared.type !== "secureobject") {
      this.report({ loc: node.loc, messageId, data: { ...base, value: declared.text, origin: "" } });
    }
  }

  /**
   * Reports a download URL known before deployment that is not absolute (no scheme: `x.zip`,
   * `/dsc/x.zip`); the handler downloads from it and rejects it. A value with a `:` anywhere may
   * be a URL or a path the handler takes, and is left alone.
   */
  checkUrls(ext: ExtensionInfo): void {
    const view = ext.dsc!;
    const urls: [AST.JSONProperty | undefined, string][] = [
      [findProperty(getObjectValue(view.settings, "configuration"), "url"), "settings.configuration.url"],
      [findProperty(getObjectValue(view.settings, "configurationData"), "url"), "settings.configurationData.url"],
      [findProperty(view.settings, "ModulesUrl"), "settings.ModulesUrl"],
      [findProperty(view.protectedSettings, "DataBlobUri"), "protectedSettings.DataBlobUri"],
    ];
    for (const [prop, path] of urls) {
      if (!prop) continue;
      const value = evaluateNode(prop.value, ext.scope);
      // Known before deployment only: a default a deployment may replace (an empty _artifactsLocation) proves nothing.
      if (!sameInEveryDeployment(value)) continue;
      // A text written like an expression but not one is notAnExpression's report.
      // A UNC path (\\server\share\x.zip, or //server/share/x.zip as .NET also reads it) is absolute too.
      const bad = possibleValues(value).filter((v) => typeof v === "string" && v.trim() !== "" && !v.includes(":") && !v.startsWith("[") && !isUncPath(v));
      if (!bad.length) continue;
      this.report({ loc: prop.value.loc, messageId: "invalidUrl", data: { ...extensionNames(ext), path, value: offendingText(value, bad, typedText), origin: originText(value) } });
    }
  }

  /**
   * Reports a RegistrationKey given as text to the default configuration script (no configuration
   * of the extension's own), which takes it as a PSCredential. Wrapping it changes what is
   * deployed (from a failing deployment to a working one), so it is a suggestion.
   */
  checkRegistrationKey(ext: ExtensionInfo): void {
    const view = ext.dsc!;
    if (view.format === "legacy" || usesOwnConfiguration(view)) return;
    for (const arg of dscArguments(view)) {
      if ((arg.location !== "public" && arg.location !== "protected") || arg.shadowed || !arg.valueNode || !keyEquals(arg.key, "RegistrationKey")) continue;
      const node = arg.valueNode;
      if (isObject(node)) continue;
      const value = evaluateNode(node, ext.scope);
      const values = possibleValues(value);
      const texts = values.filter((v) => typeof v === "string");
      // Only a value that is text in every deployment: an object parameter may hold the PSCredential.
      const declared = value.kind === "unknown" ? declaredParameter(node, ext.scope) : null;
      const listed = value.kind === "unknown" ? listedKey(node) : null;
      const shown = declared
        ? declared.type === "string" || declared.type === "securestring"
          ? declared.text
          : null
        : listed !== null
          ? `a key read from ${listed.name}()`
          : texts.length && texts.length === values.length && value.kind !== "unknown"
            ? "text"
            : null;
      if (shown === null) continue;
      const path = `${arg.block}.configurationArguments.${arg.key}`;
      const text = this.source.getText(node);
      this.report({
        loc: node.loc,
        messageId: "registrationKeyNotCredential",
        // The key itself is not shown: it is a secret. Where a list*() result comes from is not its origin.
        data: { ...extensionNames(ext), path, value: shown, origin: declared || listed !== null ? "" : originText(value) },
        // The wrap makes a PSCredential of text only: a key's object (`.Keys[0]`) stays wrong in it.
        suggest:
          listed === null || listed.text
            ? [
                {
                  messageId: "wrapInCredential",
                  fix: declareFix(() => [jsonPointer(node)], (fixer) => replaceNode(fixer, node, `{ "userName": "NOT_USED", "Password": ${text} }`)),
                },
              ]
            : [],
      });
    }
  }

  /** Reports a value outside the allowed set (case-insensitive), checking every possible value. */
  checkValue(ext: ExtensionInfo, prop: AST.JSONProperty | undefined, path: string, allowed: string[], allowNull: boolean, allowedText: string): void {
    if (!prop || isNullLiteral(prop.value)) return;
    const ok = (v: JsonValue) => (v === null ? allowNull : typeof v === "string" && allowed.includes(asciiLower(v)));
    // An expression written wrong is notAnExpression's report, enough when its closed form is allowed.
    const form = isAlmostExpression(prop.value) ? closedForm(prop.value.value, ext.scope) : null;
    if (form && possibleValues(evaluateExpr(form.expr, ext.scope)).every(ok)) return;
    const value = evaluateNode(prop.value, ext.scope);
    const bad = possibleValues(value).filter((v) => !ok(v));
    if (!bad.length) return;
    this.report({
      loc: prop.value.loc,
      messageId: "invalidValue",
      data: { ...extensionNames(ext), path, value: offendingText(value, bad, typedText), origin: originText(value), allowed: allowedText },
    });
  }

  /**
   * Checks the legacy `"PrivateSettingsRef:<key>"` references written in public settings. Only a
   * reference inside `settings.Properties` is resolved, from `protectedSettings.Items.<key>`;
   * anywhere else the configuration gets the text itself. Items are looked up only when
   * `protectedSettings` and its `Items` are written out as objects.
   */
  checkPrivateSettingsRefs(ext: ExtensionInfo): void {
    const view = ext.dsc!;
    if (!view.settings) return;
    const properties = view.legacyProperties?.value;
    const current = view.publicArguments?.value;
    const items = this.privateItems(ext);
    for (const node of stringLeaves(view.settings)) {
      if (!isPrivateSettingsRef(node.value)) continue;
      const data = { ...extensionNames(ext), path: pathTo(view.settings, node, "settings") };
      if (!within(node, properties)) {
        // Only what the configuration receives: elsewhere the handler ignores the key or reads another value.
        if (within(node, current)) this.report({ loc: node.loc, messageId: "privateRefOutsideProperties", data: { ...data, value: node.value } });
        continue;
      }
      const key = node.value.slice(PRIVATE_REF_PREFIX.length);
      if (items === null || items.has(asciiLower(key))) continue;
      const missing = !view.protectedSettings
        ? "is not written: the extension has no protectedSettings"
        : findProperty(view.protectedSettings, "Items")
          ? "is not among the Items written"
          : "is not written: protectedSettings has no Items";
      this.report({ loc: node.loc, messageId: "privateRefMissingItem", data: { ...data, key, missing } });
    }
  }

  /**
   * Reports a string of the extension meant as an expression that is not one: ARM evaluates a
   * string only when it starts with `[` and ends with `]`, so `"[parameters('pw')"` or
   * `"[parameters('pw')] "` reaches the handler as that text, and a `name` or `dependsOn` entry
   * written so is taken as it is. Closing it changes what is deployed, so it is a suggestion.
   */
  checkAlmostExpressions(ext: ExtensionInfo, props: AST.JSONObjectExpression): void {
    // The extension's properties (which may be written elsewhere), paths named from inside them as
    // the other messages name settings paths; then its other members (`name`, `dependsOn`, ...).
    const view = ext.dsc;
    // The typeHandlerVersion, written wrong too, is pinned-type-handler-version's report.
    const version = findProperty(props, "typeHandlerVersion")?.value;
    // A scale set's node name can be "localhost" alone: that is the suggestion, rather than closing it.
    // Not where another extension reads it too (a VM's node name would become "localhost").
    const nodeNames = new Set<AST.JSONNode>();
    if (ext.parentKind === "vmss") {
      for (const arg of findDscArguments(view, ["nodeName"])) if (arg.valueNode && this.onlyReader(arg.valueNode)) nodeNames.add(arg.valueNode);
    }
    for (const leaf of stringLeaves(props)) {
      if (within(leaf, version)) continue;
      const nodeName = nodeNames.has(leaf);
      if (isAlmostExpression(leaf)) this.checkAlmostExpression(ext, leaf, pathTo(props, leaf, "properties").slice("properties.".length), "the handler receives", nodeName);
      else if (within(leaf, view?.settingsProperty?.value) || within(leaf, view?.protectedSettingsProperty?.value)) this.checkMalformed(ext, leaf, props, nodeName);
    }
    for (const member of ext.node.properties) {
      const value = member.value;
      const key = propertyName(member);
      if (key === null) continue;
      // A name or dependsOn entry written without its brackets (`concat(parameters('vm'), '/dsc')`).
      const named = keyEquals(key, "name") || keyEquals(key, "dependsOn");
      // Most members are plain strings (`name`, `type`, `apiVersion`): no walk for those.
      if (value.type === "JSONLiteral" && !isAlmostExpression(value) && !(named && isBracketless(value))) continue;
      if (keyEquals(key, "properties") || keyEquals(key, "resources")) continue;
      for (const leaf of stringLeaves(value)) {
        if (isAlmostExpression(leaf)) this.checkAlmostExpression(ext, leaf, pathTo(value, leaf, key), "takes");
        else if (named && isBracketless(leaf)) this.checkBracketless(ext, leaf, pathTo(value, leaf, key));
      }
    }
  }

  /**
   * A settings string that is an expression ARM cannot parse (`"[concat('x', 'y.zip)]"`, a
   * placeholder such as `"[replace-with-password]"`): the deployment fails on it.
   */
  checkMalformed(ext: ExtensionInfo, node: AST.JSONStringLiteral, props: AST.JSONObjectExpression, nodeName = false): void {
    const reason = malformedReason(node.value);
    if (reason === null) return;
    // The path (a walk up from the string) only for a report.
    const path = pathTo(props, node, "properties").slice("properties.".length);
    this.report({ loc: node.loc, messageId: "malformedExpression", data: { ...extensionNames(ext), path, reason }, suggest: nodeName ? [setLocalhost(node)] : [] });
  }

  /**
   * A name or dependsOn entry that is an expression of ARM's functions (or the template's) without
   * its brackets: ARM takes the text as it is, a name with quotes and parentheses in it.
   */
  checkBracketless(ext: ExtensionInfo, node: AST.JSONStringLiteral, path: string): void {
    const trimmed = node.value.trim();
    const fixed = `[${trimmed}]`;
    const parsed = parseCached(fixed);
    if (parsed.kind !== "expression" || !hasCall(parsed.expr) || !isTemplateCall(parsed.expr, ext.scope)) return;
    this.report({
      loc: node.loc,
      messageId: "notAnExpression",
      data: { ...extensionNames(ext), path, problem: "lacks the '[' and ']' around it", user: "takes", value: valueText(node.value), hint: "" },
      suggest: [
        {
          messageId: "closeExpression",
          data: { fixed: JSON.stringify(fixed) },
          fix: declareFix(() => [jsonPointer(node)], (fixer) => replaceNode(fixer, node, JSON.stringify(fixed))),
        },
      ],
    });
  }

  /** True when a value of the extension is written in it, or where it alone reads it. */
  onlyReader(node: AST.JSONNode): boolean {
    return !this.isShared(node) || readersOfWritten(this.model.tokens, this.model.text, node) === 1;
  }

  /** One string of checkAlmostExpressions (see isAlmostExpression); `user` says who gets the text as it is. */
  checkAlmostExpression(ext: ExtensionInfo, node: AST.JSONStringLiteral, path: string, user: string, nodeName = false): void {
    const text = node.value;
    const form = closedForm(text, ext.scope);
    if (!form) return;
    const { fixed, closed, opened } = form;
    // Closed in public settings, a secure parameter's value would be stored there in clear text.
    const leaks = !nodeName && within(node, ext.dsc?.settings) && this.carriesSecret(form.expr, ext);
    this.report({
      loc: node.loc,
      messageId: "notAnExpression",
      data: {
        ...extensionNames(ext),
        path,
        problem: closed ? "has whitespace after its closing ']'" : opened > 0 ? "does not close its parentheses and ']'" : "does not end with ']'",
        user,
        value: valueText(text),
        hint: leaks ? "; closed, it would put a secret in public settings, so move it to protectedSettings first" : "",
      },
      suggest: nodeName
        ? [setLocalhost(node)]
        : leaks
          ? []
          : [
              {
                messageId: "closeExpression",
                data: { fixed: JSON.stringify(fixed) },
                fix: declareFix(() => [jsonPointer(node)], (fixer) => replaceNode(fixer, node, JSON.stringify(fixed))),
              },
            ],
    });
  }

  /**
   * Advice for a misplaced key whose value carries a secret. A key of protectedSettings that the
   * handler documents only in public settings: moving it as it is would store the secret
   * unencrypted (a key already in public settings, one level too deep, gets none: moving it stores
   * nothing anew); a legacy `ModulesUrl` has a protected place for its token in the current format
   * only. A key of public settings documented only in protectedSettings: the message says that what
   * it holds is stored unencrypted now.
   */
  misplacedSecretHint(ext: ExtensionInfo, prop: AST.JSONProperty, block: SettingsBlock, expected: string): string {
    const toPublic = block === "protectedSettings" && expected === "settings";
    // A key of protectedSettings written in settings (the legacy Items, a RegistrationKey): the
    // move protects what it holds, and credentials-in-protected-settings leaves it to this report.
    const toProtected = block === "settings" && expected.startsWith("protectedSettings");
    if (!toPublic && !toProtected) return "";
    const analysis = secretAnalysis(this.model);
    const atoms = analysis.flow.node(prop.value, ext.scope);
    if (toProtected) {
      // `Items` holds what PrivateSettingsRef resolves, and a key named like a secret (RegistrationKey) holds one, whatever their values are made of.
      const key = propertyName(prop) ?? "";
      const items = keyEquals(key, "Items");
      const named = (items || isSecretName(key)) && literalSecretIn(prop.value, items);
      const secret = named || analysis.credentialSource(atoms) !== undefined || analysis.sasSource(atoms) !== undefined;
      return secret ? "; it carries a secret, which settings store unencrypted" : "";
    }
    if (analysis.sasSource(atoms) !== undefined && keyEquals(propertyName(prop) ?? "", "ModulesUrl")) {
      return "; its SAS token would be stored unencrypted there: use settings.configuration.url without the token and protectedSettings.configurationUrlSasToken (current format)";
    }
    if (analysis.credentialSource(atoms) !== undefined || analysis.sasSource(atoms) !== undefined) {
      return "; it carries a secret, which settings would store unencrypted";
    }
    return "";
  }

  /** True when a secret flows into an expression: a secure parameter, a `list*()` result, a SAS token (see lib/secrets). */
  carriesSecret(expr: Expr, ext: ExtensionInfo): boolean {
    const analysis = secretAnalysis(this.model);
    const atoms = analysis.flow.transient(expr, ext.scope);
    return analysis.credentialSource(atoms) !== undefined || analysis.sasSource(atoms) !== undefined;
  }

  /**
   * The keys of `protectedSettings.Items` (lower case), empty when there are none; null when they
   * cannot be read (protected settings from Key Vault or given by an expression, Items not written
   * as an object).
   */
  privateItems(ext: ExtensionInfo): Set<string> | null {
    const view = ext.dsc!;
    if (ext.properties && findProperty(ext.properties, "protectedSettingsFromKeyVault")) return null;
    const holder = view.protectedSettingsProperty;
    if (holder && !view.protectedSettings && !isNullLiteral(holder.value)) return null;
    const items = findProperty(view.protectedSettings, "Items");
    if (!items) return new Set();
    if (!isObject(items.value)) return null;
    const keys = new Set<string>();
    for (const prop of items.value.properties) {
      const name = propertyName(prop);
      if (name === null) return null;
      keys.add(asciiLower(name));
    }
    return keys;
  }

  /** Reports each legacy key of a block that also has current-format keys. */
  checkMixed(ext: ExtensionInfo, format: FormatInfo): void {
    if (format.format !== "mixed") return;
    const current = format.current.map((k) => `'${k.block}.${propertyName(k.prop)}'`).join(", ");
    const legacy = format.legacy.map((k) => `'${k.block}.${propertyName(k.prop)}'`).join(", ");
    // One report for the extension, on its first legacy key: one decision fixes all of them.
    this.report({
      loc: format.legacy[0]!.prop.key.loc,
      messageId: "mixedFormat",
      data: { ...extensionNames(ext), legacy: `${format.legacy.length > 1 ? "keys" : "key"} ${legacy}`, current },
    });
  }

  /** Reports the legacy format (option requireCurrentFormat), with a rewrite when it is mechanical. */
  checkLegacy(ext: ExtensionInfo, props: AST.JSONObjectExpression, format: FormatInfo): void {
    if (!this.options.requireCurrentFormat || format.format !== "legacy") return;
    const first = format.legacy[0]!;
    const keys = format.legacy.map((k) => `'${k.block}.${propertyName(k.prop)}'`).join(", ");
    const migration = this.plan(() => migrationEdits(this.source, ext, props));
    this.report({
      loc: first.prop.key.loc,
      messageId: "legacyFormat",
      data: { ...extensionNames(ext), keys },
      suggest: migration ? [{ messageId: "convertToCurrent", fix: declareFix(() => migration.paths, () => migration.edits) }] : [],
    });
  }
}

/** The suggestion that sets a scale set's node name to "localhost". */
function setLocalhost(node: AST.JSONStringLiteral) {
  return { messageId: "setLocalhost" as const, fix: declareFix(() => [jsonPointer(node)], (fixer) => replaceNode(fixer, node, JSON.stringify("localhost"))) };
}

/**
 * True when a value holds a secret written as text: not blank, not an expression (what flows into
 * one is judged by the secret analysis), not a `PrivateSettingsRef:` (which names one held
 * elsewhere). In an object, under a key named like a secret (a PSCredential's `Password`), or
 * under any key when `everyMember` (the legacy `Items`, whose members are the secrets).
 */
function literalSecretIn(node: AST.JSONExpression, everyMember: boolean): boolean {
  if (isStringLiteral(node)) return node.value.trim() !== "" && !isExpressionString(node.value) && !isPrivateSettingsRef(node.value);
  if (!isObject(node)) return false;
  return node.properties.some((p) => (everyMember || isSecretName(propertyName(p) ?? "")) && literalSecretIn(p.value, true));
}

/** True when `prop` is given and every one of its companions is surely missing. */
function lacksCompanion(ext: ExtensionInfo, prop: AST.JSONProperty | undefined, companions: readonly Presence[]): prop is AST.JSONProperty {
  return prop !== undefined && presence(ext, prop) === "yes" && companions.every((c) => c === "no");
}

/** True when `node` lies inside `container`. */
function within(node: AST.JSONNode, container: AST.JSONNode | undefined): boolean {
  return container !== undefined && container.range[0] <= node.range[0] && node.range[1] <= container.range[1];
}


/** A value for a message, with its type when that is what is wrong: `the number 5.1`, `"5"`. */
function typedText(v: JsonValue): string {
  if (typeof v === "number") return `the number ${valueText(v)}`;
  if (typeof v === "boolean") return `the boolean ${valueText(v)}`;
  return valueText(v);
}

/** A member of a block and whether it is given; for a block not written as an object, its state. */
function member(ext: ExtensionInfo, block: AST.JSONObjectExpression | Presence | undefined, key: string): { prop: AST.JSONProperty | undefined; state: Presence } {
  if (typeof block === "string") return { prop: undefined, state: block };
  const prop = findProperty(block, key);
  return { prop, state: prop ? presence(ext, prop) : "no" };
}

/** Whether a property's value is given: absent when null (literal or evaluated), unknown on some paths. */
function presence(ext: ExtensionInfo, prop: AST.JSONProperty): Presence {
  if (isNullLiteral(prop.value)) return "no";
  if (!isStringLiteral(prop.value) || !isExpressionString(prop.value.value)) return "yes";
  if (surelyNotNull(prop.value, ext.scope)) return "yes";
  const values = possibleValues(evaluateNode(prop.value, ext.scope));
  if (values.length === 0) return "yes";
  if (values.every((v) => v === null)) return "no";
  return values.some((v) => v === null) ? "maybe" : "yes";
}

/** `yes` when either is surely given, `no` when both are surely absent. */
function either(a: Presence, b: Presence): Presence {
  if (a === "yes" || b === "yes") return "yes";
  return a === "no" && b === "no" ? "no" : "maybe";
}

/** `settings` as the rule can read it: an object, absent, or something only known at deployment. */
function blockState(prop: AST.JSONProperty | undefined, obj: AST.JSONObjectExpression | undefined): "object" | "absent" | "unknown" {
  if (obj) return "object";
  return !prop || isNullLiteral(prop.value) ? "absent" : "unknown";
}

/** A nested block's object, or `no` when absent and `maybe` when not written as an object. */
function objectOrState(ext: ExtensionInfo, prop: AST.JSONProperty | undefined): AST.JSONObjectExpression | Presence {
  if (!prop) return "no";
  if (isObject(prop.value)) return prop.value;
  return presence(ext, prop) === "no" ? "no" : "maybe";
}

/** True when two argument collections have an argument of the same name (any case). */
function sharesArgument(a: AST.JSONProperty | undefined, b: AST.JSONProperty | undefined): boolean {
  const names = new Set(argumentNames(b).map((arg) => asciiLower(arg.name)));
  return names.size > 0 && argumentNames(a).some((arg) => names.has(asciiLower(arg.name)));
}

/** True for a UNC path: `\\server\share\x.zip`, or `//server/share/x.zip`, which .NET reads as one too. */
function isUncPath(text: string): boolean {
  return text.startsWith("\\\\") || text.startsWith("//");
}

/** An argument name of one settings block, the node a report on it lands on, and where it is read ("" when written in the extension). */
interface NamedArgument {
  name: string;
  node: AST.JSONNode;
  origin: string;
}

/**
 * The arguments one settings block of an extension passes: those written in its
 * `configurationArguments` and `Properties`, and those `passed` (read through an expression) in it,
 * which land on the expression; none that is null in every deployment.
 */
function blockArguments(holder: AST.JSONObjectExpression | undefined, block: DscArgument["block"], passed: readonly PassedArgument[], scope: EvalScope): NamedArgument[] {
  const out: NamedArgument[] = [];
  for (const key of ["configurationArguments", "Properties"]) {
    for (const entry of argumentNames(findProperty(holder, key), scope)) out.push({ ...entry, origin: "" });
  }
  for (const arg of passed) {
    if (arg.block !== block || arg.shadowed) continue;
    if (arg.location !== "legacyArray" && arg.property && surelyNull(arg.property, arg.scope)) continue;
    out.push({ name: arg.key, node: arg.via, origin: passedOrigin(arg) });
  }
  return out;
}

/**
 * Argument names of a `configurationArguments` / `Properties` value (object keys or array `Name`s);
 * with `passedIn`, only the object keys some deployment passes (not null in every one).
 */
function argumentNames(prop: AST.JSONProperty | undefined, passedIn?: EvalScope): { name: string; node: AST.JSONNode }[] {
  const value = prop?.value;
  const out: { name: string; node: AST.JSONNode }[] = [];
  if (isObject(value)) {
    for (const p of value.properties) {
      const name = propertyName(p);
      // A null argument is not passed: ARM removes the key.
      if (name !== null && !(passedIn && surelyNull(p, passedIn))) out.push({ name, node: p.key });
    }
  } else if (isArray(value)) {
    for (const element of value.elements) {
      const nameNode = isObject(element) ? findProperty(element, "Name")?.value : undefined;
      if (isStringLiteral(nameNode) && !isExpressionString(nameNode.value)) out.push({ name: nameNode.value, node: nameNode });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Legacy -> current rewrite
// ---------------------------------------------------------------------------------------------

/** Layout of the rewritten text. */
interface Layout {
  unit: string;
  eol: string;
  colon: string;
  oneLine: boolean;
  pad: string;
}

/**
 * The edits rewriting a legacy extension's settings into the current format, with the pointers of
 * the `settings` and `protectedSettings` values they rewrite (or create); null when not mechanical.
 */
function migrationEdits(sc: JsonSourceCode, ext: ExtensionInfo, props: AST.JSONObjectExpression): { edits: TextEdit[]; paths: string[] } | null {
  const view = ext.dsc!;
  const settings = view.settings;
  const settingsProp = view.settingsProperty;
  if (!settings || !settingsProp) return null;
  const vault = findProperty(props, "protectedSettingsFromKeyVault");
  const protectedProp = view.protectedSettingsProperty;
  const protectedAllowed = !vault && (!protectedProp || view.protectedSettings !== undefined || isNullLiteral(protectedProp.value));
  const plan = planMigration(settings, view.protectedSettings, {
    protectedAllowed,
    constantString: (node) => constantString(node, ext),
  });
  if (!plan || !keepsComments(sc, plan, settings, view.protectedSettings)) return null;
  const nodes = copiedNodes(plan);
  if (nodes.some((node) => hasMultiLineString(node))) return null;
  const layout = layoutOf(sc, settingsProp, settings);
  const fixer = createFixer();
  const edits: TextEdit[] = [fixer.replaceTextRange(settings.range, renderObject(sc, plan.settings, indentOf(sc.text, settingsProp.range[0]), layout))];
  const paths = [jsonPointer(settings)];
  if (plan.protectedSettings) {
    const target = view.protectedSettings;
    if (protectedProp) {
      const targetLayout = target ? layoutOf(sc, protectedProp, target) : layout;
      const text = renderObject(sc, plan.protectedSettings, indentOf(sc.text, protectedProp.range[0]), targetLayout);
      edits.push(fixer.replaceTextRange(protectedProp.value.range, text));
      paths.push(jsonPointer(protectedProp.value));
    } else {
      const text = renderObject(sc, plan.protectedSettings, "", layout);
      const inserted = insertProperty(sc, fixer, props, "protectedSettings", text, { after: settingsProp });
      if (!inserted) return null;
      edits.push(...inserted);
      paths.push(memberPointer(props, "protectedSettings"));
    }
  }
  const merged = mergeEdits(fixer, edits);
  return merged && { edits: merged, paths };
}

/** The JSON pointer of member `key` of `obj`, whether or not it exists yet. */
function memberPointer(obj: AST.JSONObjectExpression, key: string): string {
  return `${jsonPointer(obj)}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** A string known before deployment from literals only (no parameters, no runtime functions). */
function constantString(node: AST.JSONExpression, ext: ExtensionInfo): string | undefined {
  if (isStringLiteral(node) && !node.value.startsWith("[")) return node.value;
  const value = evaluateNode(node, ext.scope);
  if (value.kind !== "known" || typeof value.value !== "string" || value.prov.parameters.length) return undefined;
  return value.value;
}

/** Every source node the plan copies. */
function copiedNodes(plan: MigrationPlan): AST.JSONExpression[] {
  const out: AST.JSONExpression[] = [];
  const visit = (entries: MigrationEntry[]) => {
    for (const entry of entries) {
      if (entry.value.kind === "node") out.push(entry.value.node);
      else if (entry.value.kind === "object") visit(entry.value.entries);
    }
  };
  visit(plan.settings);
  if (plan.protectedSettings) visit(plan.protectedSettings);
  return out;
}

/** True when no comment inside the rewritten blocks would be lost (each sits in a copied value). */
function keepsComments(sc: JsonSourceCode, plan: MigrationPlan, settings: AST.JSONObjectExpression, protectedSettings: AST.JSONObjectExpression | undefined): boolean {
  const kept = copiedNodes(plan);
  const rewritten = plan.protectedSettings && protectedSettings ? [settings, protectedSettings] : [settings];
  return rewritten.every((block) =>
    commentsIn(sc, block).every((c) => kept.some((n) => n.range[0] <= c.range[0] && c.range[1] <= n.range[1])),
  );
}

/** Comments inside a node, found through the token store. */
function commentsIn(sc: JsonSourceCode, node: { range: [number, number] }): JsonToken[] {
  const out: JsonToken[] = [];
  let token = sc.getFirstToken(node, { includeComments: true });
  while (token && token.range[1] <= node.range[1]) {
    if (token.type === "Line" || token.type === "Block") out.push(token);
    token = sc.getTokenAfter(token, { includeComments: true });
  }
  return out;
}

/** True when a string literal inside `node` spans lines (re-indenting would change it). */
function hasMultiLineString(node: AST.JSONNode, depth = 0): boolean {
  if (depth > 64) return true;
  if (node.type === "JSONLiteral") return /[\r\n\u2028\u2029]/u.test(node.raw);
  if (isObject(node)) return node.properties.some((p) => hasMultiLineString(p.key, depth + 1) || hasMultiLineString(p.value, depth + 1));
  if (isArray(node)) return node.elements.some((e) => e !== null && hasMultiLineString(e, depth + 1));
  return false;
}

/** The layout of a block: one line or several, indentation unit, colon style. */
function layoutOf(sc: JsonSourceCode, prop: AST.JSONProperty, obj: AST.JSONObjectExpression): Layout {
  const text = sc.getText(obj);
  const between = sc.text.slice(prop.key.range[1], prop.value.range[0]);
  const oneLine = !/[\r\n]/u.test(text);
  return {
    unit: oneLine ? "" : unitNear(sc, obj),
    eol: sourceEol(sc),
    colon: /^[ \t]*:[ \t]*$/u.test(between) ? between : ": ",
    oneLine,
    pad: /^\{[ \t]/u.test(text) || obj.properties.length === 0 ? " " : "",
  };
}

/**
 * The indentation step at `obj`: from the first member of `obj` or of the nearest enclosing object
 * whose first member starts a line (two spaces when none does). Looks at one line per level only,
 * so minified one-line templates stay linear.
 */
function unitNear(sc: JsonSourceCode, obj: AST.JSONObjectExpression): string {
  for (let node: unknown = obj, depth = 0; node && depth < 64; node = (node as { parent?: unknown }).parent, depth++) {
    const first = isObject(node) ? node.properties[0] : undefined;
    if (!first) continue;
    const before = sc.text.slice(sc.text.lastIndexOf("\n", first.range[0] - 1) + 1, first.range[0]);
    const base = indentOf(sc.text, (node as AST.JSONObjectExpression).range[0]);
    if (/^[ \t]*$/u.test(before) && before.length > base.length && before.startsWith(base)) return before.slice(base.length);
  }
  return "  ";
}

/** Leading spaces and tabs of the line containing `pos`. */
function indentOf(text: string, pos: number): string {
  let start = pos;
  while (start > 0 && text[start - 1] !== "\n" && text[start - 1] !== "\r") start--;
  return /^[ \t]*/u.exec(text.slice(start, pos))![0];
}

/** An object of migrated entries; `indent` is the indentation of the line that opens it. */
function renderObject(sc: JsonSourceCode, entries: MigrationEntry[], indent: string, layout: Layout): string {
  if (entries.length === 0) return "{}";
  if (layout.oneLine) {
    const body = entries.map((e) => JSON.stringify(e.key) + layout.colon + renderValue(sc, e.value, indent, layout)).join(", ");
    return `{${layout.pad}${body}${layout.pad}}`;
  }
  const inner = indent + layout.unit;
  const lines = entries.map((e) => layout.eol + inner + JSON.stringify(e.key) + layout.colon + renderValue(sc, e.value, inner, layout));
  return `{${lines.join(",")}${layout.eol}${indent}}`;
}

/** One migrated value; copied source keeps its text, re-based to `indent` when it spans lines. */
function renderValue(sc: JsonSourceCode, value: MigrationValue, indent: string, layout: Layout): string {
  if (value.kind === "string") return JSON.stringify(value.value);
  if (value.kind === "object") return renderObject(sc, value.entries, indent, layout);
  const raw = sc.getText(value.node);
  if (!/[\r\n]/u.test(raw)) return raw;
  const from = indentOf(sc.text, value.node.range[0]);
  return raw
    .split(/\r\n|\r|\n/u)
    .map((line, i) => {
      if (i === 0) return line;
      if (line.trim() === "") return "";
      return line.startsWith(from) ? indent + line.slice(from.length) : line;
    })
    .join(layout.eol);
}

/** A string that may be an expression without its brackets: no `[` first, a `)` last (checkBracketless parses it). */
function isBracketless(node: AST.JSONNode): node is AST.JSONStringLiteral {
  if (node.type !== "JSONLiteral" || typeof node.value !== "string") return false;
  const text = node.value.trim();
  return text.charCodeAt(0) !== 0x5b && text.endsWith(")") && text.includes("(");
}

