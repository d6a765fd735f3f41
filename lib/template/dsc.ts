import type { AST } from "../json/types.js";
import { findProperty, isObject, propertyName } from "../json/access.js";
import type { EvalScope } from "../expression/index.js";

/** Keys of the current (2016+) settings format, as documented (§1.2), keyed by lower case. */
export const CURRENT_SETTINGS_KEYS: ReadonlyMap<string, string> = keyMap([
  "wmfVersion",
  "configuration",
  "configurationArguments",
  "configurationData",
  "privacy",
  "advancedOptions",
]);
/** Keys of the current format's protectedSettings. */
export const CURRENT_PROTECTED_KEYS: ReadonlyMap<string, string> = keyMap([
  "configurationArguments",
  "configurationUrlSasToken",
  "configurationDataUrlSasToken",
]);
/** Keys that only the legacy format has in settings (§1.3). */
export const LEGACY_SETTINGS_KEYS: ReadonlyMap<string, string> = keyMap([
  "ModulesUrl",
  "ModuleSource",
  "ModuleVersion",
  "ConfigurationFunction",
  "SasToken",
  "Properties",
  "ProtocolVersion",
]);
/** Keys shared by both formats (the legacy spelling differs only in case). */
export const SHARED_SETTINGS_KEYS: ReadonlyMap<string, string> = keyMap(["wmfVersion", "privacy", "advancedOptions"]);
/** Keys that only the legacy format has in protectedSettings. */
export const LEGACY_PROTECTED_KEYS: ReadonlyMap<string, string> = keyMap(["Items", "DataBlobUri", "Properties"]);

/** Lower-case lookup table of documented spellings. */
function keyMap(keys: string[]): ReadonlyMap<string, string> {
  return new Map(keys.map((key) => [key.toLowerCase(), key]));
}

export type SettingsFormat = "current" | "legacy" | "mixed" | "none";

/** What a rule needs to know about one DSC extension's settings blocks. */
export interface DscSettingsView {
  /** `properties.settings` when it is an object. */
  settings: AST.JSONObjectExpression | undefined;
  settingsProperty: AST.JSONProperty | undefined;
  /** `properties.protectedSettings` when it is an object. */
  protectedSettings: AST.JSONObjectExpression | undefined;
  protectedSettingsProperty: AST.JSONProperty | undefined;
  format: SettingsFormat;
  /** Properties of `settings` that only the legacy format knows. */
  legacyKeys: AST.JSONProperty[];
  /** Properties of `settings` that only the current format knows. */
  currentKeys: AST.JSONProperty[];
  /** `settings.configurationArguments` (any value type). */
  publicArguments: AST.JSONProperty | undefined;
  /** `protectedSettings.configurationArguments` (any value type). */
  protectedArguments: AST.JSONProperty | undefined;
  /** Legacy `settings.Properties` (object or array form). */
  legacyProperties: AST.JSONProperty | undefined;
  /** The scope the extension's expressions evaluate in (absent when the view is built alone). */
  scope: EvalScope | undefined;
}

/** Builds the settings view of a DSC extension from its `properties` object. */
export function dscSettingsView(properties: AST.JSONObjectExpression | undefined, scope?: EvalScope): DscSettingsView {
  const settingsProperty = properties ? findProperty(properties, "settings") : undefined;
  const protectedSettingsProperty = properties ? findProperty(properties, "protectedSettings") : undefined;
  const settings = isObject(settingsProperty?.value) ? settingsProperty.value : undefined;
  const protectedSettings = isObject(protectedSettingsProperty?.value) ? protectedSettingsProperty.value : undefined;
  const legacyKeys: AST.JSONProperty[] = [];
  const currentKeys: AST.JSONProperty[] = [];
  for (const prop of settings?.properties ?? []) {
    const key = propertyName(prop)?.toLowerCase();
    if (key === undefined || SHARED_SETTINGS_KEYS.has(key)) continue;
    if (LEGACY_SETTINGS_KEYS.has(key)) legacyKeys.push(prop);
    else if (CURRENT_SETTINGS_KEYS.has(key)) currentKeys.push(prop);
  }
  for (const prop of protectedSettings?.properties ?? []) {
    const key = propertyName(prop)?.toLowerCase();
    if (key === "items" || key === "databloburi") legacyKeys.push(prop);
    else if (key === "configurationurlsastoken" || key === "configurationdataurlsastoken") currentKeys.push(prop);
  }
  const format: SettingsFormat =
    legacyKeys.length && currentKeys.length
      ? "mixed"
      : legacyKeys.length
        ? "legacy"
        : currentKeys.length || settings?.properties.length
          ? "current"
          : "none";
  return {
    settings,
    settingsProperty,
    protectedSettings,
    protectedSettingsProperty,
    format,
    legacyKeys,
    currentKeys,
    publicArguments: settings ? findProperty(settings, "configurationArguments") : undefined,
    protectedArguments: protectedSettings ? findProperty(protectedSettings, "configurationArguments") : undefined,
    legacyProperties: settings ? findProperty(settings, "Properties") : undefined,
    scope,
  };
}
