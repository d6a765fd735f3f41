import type { AST } from "../json/types.js";
import { asciiLower, isArray, isObject, isStringLiteral, propertyName, stepsTo } from "../json/access.js";
import { isExpressionString } from "../expression/index.js";
import type { DscSettingsView } from "./dsc.js";

/** The objects of a DSC settings block whose keys the handler defines (never `configurationArguments`). */
export type SettingsBlock =
  | "settings"
  | "protectedSettings"
  | "configuration"
  | "module"
  | "configurationData"
  | "privacy"
  | "advancedOptions";

/** Which settings format a key belongs to; `both` for keys the two formats share. */
export type KeyFormat = "current" | "legacy" | "both";

/** The value a key takes: an object, a string (or other scalar), or anything. */
export type ValueShape = "object" | "string" | "any";

/** One documented key of a block. */
export interface KnownKey {
  /** Documented spelling (the current format's camelCase where both formats share the key). */
  name: string;
  format: KeyFormat;
  shape: ValueShape;
  /** The block this key's object value is, when the handler defines its keys too. */
  child?: SettingsBlock;
}

/** Dotted path of each block, as messages show it. */
export const BLOCK_PATHS: Readonly<Record<SettingsBlock, string>> = {
  settings: "settings",
  protectedSettings: "protectedSettings",
  configuration: "settings.configuration",
  module: "settings.configuration.module",
  configurationData: "settings.configurationData",
  privacy: "settings.privacy",
  advancedOptions: "settings.advancedOptions",
};

/** A KnownKey literal. */
function key(name: string, format: KeyFormat, shape: ValueShape, child?: SettingsBlock): KnownKey {
  return child === undefined ? { name, format, shape } : { name, format, shape, child };
}

/** Documented keys of every block, current format first (§1.2, §1.3 of the domain reference). */
const KNOWN_KEYS: Readonly<Record<SettingsBlock, readonly KnownKey[]>> = {
  settings: [
    key("wmfVersion", "both", "string"),
    key("configuration", "current", "object", "configuration"),
    key("configurationArguments", "current", "any"),
    key("configurationData", "current", "object", "configurationData"),
    key("privacy", "both", "object", "privacy"),
    key("advancedOptions", "both", "object", "advancedOptions"),
    key("ModulesUrl", "legacy", "string"),
    key("ModuleSource", "legacy", "string"),
    key("ModuleVersion", "legacy", "string"),
    key("ConfigurationFunction", "legacy", "string"),
    key("SasToken", "legacy", "string"),
    key("Properties", "legacy", "any"),
    key("ProtocolVersion", "legacy", "any"),
  ],
  protectedSettings: [
    key("configurationArguments", "current", "any"),
    key("configurationUrlSasToken", "current", "string"),
    key("configurationDataUrlSasToken", "current", "string"),
    key("Items", "legacy", "object"),
    key("DataBlobUri", "legacy", "string"),
    key("Properties", "legacy", "any"),
  ],
  configuration: [
    key("url", "both", "string"),
    key("script", "both", "string"),
    key("function", "both", "string"),
    key("module", "both", "object", "module"),
  ],
  module: [key("name", "both", "string"), key("version", "both", "string")],
  configurationData: [key("url", "both", "string")],
  privacy: [key("dataCollection", "both", "string")],
  advancedOptions: [key("forcePullAndApply", "both", "any"), key("downloadMappings", "both", "object")],
};

/** Lower-case index of KNOWN_KEYS. */
const KNOWN_INDEX: ReadonlyMap<SettingsBlock, ReadonlyMap<string, KnownKey>> = new Map(
  (Object.keys(KNOWN_KEYS) as SettingsBlock[]).map((block) => [
    block,
    new Map(KNOWN_KEYS[block].map((k) => [asciiLower(k.name), k])),
  ]),
);

/** Token keys in public settings that belong to the rule sas-token-in-protected-settings. */
const PUBLIC_TOKEN_KEYS: ReadonlySet<string> = new Set(["configurationurlsastoken", "configurationdataurlsastoken"]);

/** Arguments of the default configuration script (Azure Automation registration, §1.2). */
const REGISTRATION_ARGUMENTS: ReadonlyMap<string, string> = new Map(
  [
    "RegistrationUrl",
    "RegistrationKey",
    "NodeConfigurationName",
    "ConfigurationMode",
    "RefreshFrequencyMins",
    "ConfigurationModeFrequencyMins",
    "RebootNodeIfNeeded",
    "ActionAfterReboot",
    "AllowModuleOverwrite",
  ].map((name) => [asciiLower(name), name]),
);

/** Blocks searched, in order, for a key written in the wrong block. */
const ELSEWHERE_ORDER: readonly SettingsBlock[] = [
  "settings",
  "protectedSettings",
  "configuration",
  "configurationData",
  "privacy",
  "advancedOptions",
];

/** The documented key `name` (ASCII case-insensitive) of `block`. */
export function knownKey(block: SettingsBlock, name: string): KnownKey | undefined {
  return KNOWN_INDEX.get(block)?.get(asciiLower(name));
}

/**
 * The documented keys from `settings` down to a value (`["configuration", "url"]`) when each step
 * is a key the handler defines, which it reads from public settings only; null when a step is a
 * key it does not define (written in the wrong place, or a configuration's own), which nothing
 * uses, and which protectedSettings.configurationArguments could take instead.
 */
export function handlerKeys(settings: AST.JSONObjectExpression, value: AST.JSONNode): string[] | null {
  const steps = stepsTo(settings, value);
  const names: string[] = [];
  let block: SettingsBlock | null = "settings";
  for (const step of steps) {
    if (typeof step === "number") continue;
    // Below a documented key whose value the handler reads whole (downloadMappings): still its own.
    if (block === null) continue;
    const known = knownKey(block, propertyName(step) ?? "");
    if (!known) return null;
    names.push(known.name);
    block = known.child ?? null;
  }
  return names.length > 0 ? names : null;
}

/**
 * True for the handler's SAS token keys, `configurationUrlSasToken` and
 * `configurationDataUrlSasToken` (any case): documented in protectedSettings only, and reported in
 * public `settings` by the rule sas-token-in-protected-settings.
 */
export function isPublicTokenKey(name: string): boolean {
  return PUBLIC_TOKEN_KEYS.has(asciiLower(name));
}

/** The documented spelling of a default-configuration-script argument, if `name` is one. */
export function registrationArgument(name: string): string | undefined {
  return REGISTRATION_ARGUMENTS.get(asciiLower(name));
}

/**
 * Where an unknown key of `block` is documented instead: `settings.configurationArguments` (or the
 * protected one) for an argument of the default configuration script, else the first other block
 * that documents the key. Generic `name`/`version` of `configuration.module` are not matched.
 */
export function documentedElsewhere(block: SettingsBlock, name: string): string | undefined {
  const argument = registrationArgument(name);
  if (argument !== undefined) {
    const isProtected = block === "protectedSettings" || asciiLower(argument) === "registrationkey";
    return `${isProtected ? "protectedSettings" : "settings"}.configurationArguments`;
  }
  for (const other of ELSEWHERE_ORDER) {
    if (other !== block && knownKey(other, name)) return BLOCK_PATHS[other];
  }
  return undefined;
}

/** The shape of a written value, for matching it against a key's expected shape. */
export function valueShapeOf(node: AST.JSONExpression): "object" | "array" | "scalar" | "expression" {
  if (isObject(node)) return "object";
  if (isArray(node)) return "array";
  if (isStringLiteral(node) && isExpressionString(node.value)) return "expression";
  return "scalar";
}

/** True when a value of shape `actual` may be meant for a key expecting `expected`. */
function shapeFits(expected: ValueShape, actual: ReturnType<typeof valueShapeOf>): boolean {
  if (expected === "any" || actual === "expression") return true;
  return expected === "object" ? actual === "object" : actual === "scalar";
}

/** Keys longer than this get no suggestion (keeps the distance computation trivially cheap). */
const MAX_SUGGESTION_KEY_LENGTH = 64;

/** The largest edit distance accepted for a suggestion, by key length. */
function maxDistance(length: number): number {
  return length <= 4 ? 1 : length <= 10 ? 2 : 3;
}

/**
 * The documented key of `block` closest to the unknown key `name` (did-you-mean): keys of the
 * format in use (`any` for all), whose value shape fits `node`, within a small edit distance,
 * and only when one candidate is strictly closest.
 */
export function suggestKey(
  block: SettingsBlock,
  name: string,
  format: "current" | "legacy" | "any",
  node: AST.JSONExpression,
): string | undefined {
  if (name.length === 0 || name.length > MAX_SUGGESTION_KEY_LENGTH) return undefined;
  const lower = asciiLower(name);
  const limit = maxDistance(name.length);
  const shape = valueShapeOf(node);
  let best: string | undefined;
  let bestDistance = limit + 1;
  let tie = false;
  for (const candidate of KNOWN_KEYS[block]) {
    if (format !== "any" && candidate.format !== "both" && candidate.format !== format) continue;
    if (!shapeFits(candidate.shape, shape)) continue;
    const distance = editDistance(lower, asciiLower(candidate.name), limit);
    if (distance < bestDistance) {
      best = candidate.name;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) tie = true;
  }
  return best !== undefined && !tie ? best : undefined;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) between `a` and
 * `b`, computed only in the diagonal band of width `2 * max + 1`; any result above `max` is
 * returned as `max + 1`. Cost is O(length * max).
 */
export function editDistance(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  const width = b.length + 1;
  let before = new Array<number>(width).fill(over);
  let previous = new Array<number>(width).fill(over);
  let current = new Array<number>(width).fill(over);
  for (let j = 0; j <= Math.min(b.length, max); j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current.fill(over);
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    if (i <= max) current[0] = i;
    let rowMin = current[0]!;
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = Math.min(value, over);
      if (current[j]! < rowMin) rowMin = current[j]!;
    }
    if (rowMin > max) return over;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, over);
}

/** A key of `settings` or `protectedSettings` with the format it belongs to. */
export interface FormatKey {
  prop: AST.JSONProperty;
  block: "settings" | "protectedSettings";
  known: KnownKey;
}

/** The settings format of one extension, judged from both blocks (protected keys included). */
export interface FormatInfo {
  format: "current" | "legacy" | "mixed" | "none";
  legacy: FormatKey[];
  current: FormatKey[];
}

/** Adds the legacy-only and current-only keys of one block to `legacy` and `current`. */
function collectFormatKeys(obj: AST.JSONObjectExpression | undefined, block: FormatKey["block"], legacy: FormatKey[], current: FormatKey[]): void {
  if (!obj) return;
  for (const prop of obj.properties) {
    const name = propertyName(prop);
    const known = name === null ? undefined : knownKey(block, name);
    if (known?.format === "legacy") legacy.push({ prop, block, known });
    else if (known?.format === "current") current.push({ prop, block, known });
  }
}

/** Classifies the keys of `settings` and `protectedSettings` into legacy-only and current-only ones. */
export function settingsFormat(
  settings: AST.JSONObjectExpression | undefined,
  protectedSettings: AST.JSONObjectExpression | undefined,
): FormatInfo {
  const legacy: FormatKey[] = [];
  const current: FormatKey[] = [];
  collectFormatKeys(settings, "settings", legacy, current);
  collectFormatKeys(protectedSettings, "protectedSettings", legacy, current);
  const format =
    legacy.length && current.length ? "mixed" : legacy.length ? "legacy" : current.length ? "current" : "none";
  return { format, legacy, current };
}

/**
 * True when an extension writes its settings in the legacy format (legacy `Properties`, or only
 * legacy keys): advice for it names the legacy format's places, so that following it does not mix
 * the formats.
 */
export function isLegacyFormat(view: DscSettingsView): boolean {
  return view.legacyProperties !== undefined || settingsFormat(view.settings, view.protectedSettings).format === "legacy";
}

// ---------------------------------------------------------------------------------------------
// Legacy -> current migration (§1.3 mapping table)
// ---------------------------------------------------------------------------------------------

/** A value of the migrated settings: source text of a node, a new string, or a new object. */
export type MigrationValue =
  | { kind: "node"; node: AST.JSONExpression }
  | { kind: "string"; value: string }
  | { kind: "object"; entries: MigrationEntry[] };

/** One member of a migrated object. */
export interface MigrationEntry {
  key: string;
  value: MigrationValue;
}

/** The current-format blocks that replace a legacy `settings` / `protectedSettings` pair. */
export interface MigrationPlan {
  settings: MigrationEntry[];
  /** New members of `protectedSettings`; null when it stays as it is. */
  protectedSettings: MigrationEntry[] | null;
}

/** Evaluation hook: a node's string value when it is known without parameters or runtime functions. */
export type ConstantString = (node: AST.JSONExpression) => string | undefined;

/** Legacy settings keys the migration maps (anything else makes a block non-mechanical). */
const MIGRATABLE_SETTINGS: ReadonlySet<string> = new Set(
  ["ModulesUrl", "ModuleSource", "ModuleVersion", "ConfigurationFunction", "SasToken", "Properties", "wmfVersion", "privacy", "advancedOptions"].map(asciiLower),
);

/** Lower-case key -> property of `obj`; null when a key repeats (in any case) or is not a string. */
function keyTable(obj: AST.JSONObjectExpression): Map<string, AST.JSONProperty> | null {
  const table = new Map<string, AST.JSONProperty>();
  for (const prop of obj.properties) {
    const name = propertyName(prop);
    if (name === null || table.has(asciiLower(name))) return null;
    table.set(asciiLower(name), prop);
  }
  return table;
}

/** True when a string anywhere in `node` mentions `PrivateSettingsRef:` (depth-bounded). */
export function mentionsPrivateSettingsRef(node: AST.JSONNode, depth = 0): boolean {
  if (depth > 64) return true;
  if (isStringLiteral(node)) return /privatesettingsref:/i.test(node.value);
  if (isObject(node)) return node.properties.some((p) => mentionsPrivateSettingsRef(p.value, depth + 1));
  if (isArray(node)) return node.elements.some((e) => e !== null && mentionsPrivateSettingsRef(e, depth + 1));
  return false;
}

/** A plain string literal that is not (and does not look like) an expression. */
function plainString(node: AST.JSONExpression | undefined): string | undefined {
  return isStringLiteral(node) && !node.value.startsWith("[") ? node.value : undefined;
}

/** Splits `script.ps1\function`; undefined for any other form. */
export function splitConfigurationFunction(value: string): { script: string; function: string } | undefined {
  const parts = value.split("\\");
  if (parts.length !== 2) return undefined;
  const [script, fn] = parts as [string, string];
  if (!/^[^\\/]+\.ps1$/i.test(script) || fn.trim() === "" || fn !== fn.trim()) return undefined;
  return { script, function: fn };
}

/**
 * Legacy `Properties` as a configurationArguments object: an object is kept as written; an array
 * converts when every entry is a plain `{ Name, Value }` (TypeName `System.String` or absent).
 */
function argumentsValue(node: AST.JSONExpression): MigrationValue | undefined {
  if (isObject(node)) return { kind: "node", node };
  if (!isArray(node)) return undefined;
  const entries: MigrationEntry[] = [];
  const seen = new Set<string>();
  for (const element of node.elements) {
    if (!isObject(element)) return undefined;
    const table = keyTable(element);
    if (!table || [...table.keys()].some((k) => k !== "name" && k !== "value" && k !== "typename")) return undefined;
    const name = plainString(table.get("name")?.value);
    const value = table.get("value")?.value;
    const typeNameNode = table.get("typename")?.value;
    if (name === undefined || name === "" || value === undefined || seen.has(asciiLower(name))) return undefined;
    if (typeNameNode !== undefined && asciiLower(plainString(typeNameNode) ?? "") !== "system.string") return undefined;
    seen.add(asciiLower(name));
    entries.push({ key: name, value: { kind: "node", node: value } });
  }
  return { kind: "object", entries };
}

/** A node copied as written. */
function nodeValue(prop: AST.JSONProperty | undefined): MigrationValue | undefined {
  return prop ? { kind: "node", node: prop.value } : undefined;
}

/** Appends `key: value` when the value exists. */
function push(entries: MigrationEntry[], key: string, value: MigrationValue | undefined): void {
  if (value !== undefined) entries.push({ key, value });
}

/**
 * Plans the rewrite of a legacy block into the current format, or returns null when it does not
 * convert mechanically: `PrivateSettingsRef:` credentials, protected `Items`, `ProtocolVersion`,
 * keys outside the mapping, a `ConfigurationFunction` not known to be of the form
 * `script.ps1\function` (a literal, or an expression over literals and variables only), a
 * `ModulesUrl` without it (or the reverse), array-form `Properties` with typed entries, a
 * `DataBlobUri` that may carry a SAS token, repeated keys, or a SAS token with nowhere to go.
 */
export function planMigration(
  settings: AST.JSONObjectExpression,
  protectedSettings: AST.JSONObjectExpression | undefined,
  options: { protectedAllowed: boolean; constantString: ConstantString },
): MigrationPlan | null {
  const pub = keyTable(settings);
  const priv = protectedSettings ? keyTable(protectedSettings) : new Map<string, AST.JSONProperty>();
  if (!pub || !priv) return null;
  if ([...pub.keys()].some((k) => !MIGRATABLE_SETTINGS.has(k))) return null;
  if ([...priv.keys()].some((k) => k !== "properties" && k !== "databloburi")) return null;
  if (mentionsPrivateSettingsRef(settings)) return null;

  const modulesUrl = pub.get("modulesurl");
  const functionProp = pub.get("configurationfunction");
  if ((modulesUrl === undefined) !== (functionProp === undefined)) return null;
  const split = functionProp ? splitConfigurationFunction(options.constantString(functionProp.value) ?? "") : undefined;
  if (functionProp && !split) return null;
  const sasToken = pub.get("sastoken");
  if (sasToken && (!modulesUrl || !options.protectedAllowed)) return null;

  const configuration: MigrationEntry[] = [];
  push(configuration, "url", nodeValue(modulesUrl));
  if (split) {
    configuration.push({ key: "script", value: { kind: "string", value: split.script } });
    configuration.push({ key: "function", value: { kind: "string", value: split.function } });
  }
  const module: MigrationEntry[] = [];
  push(module, "name", nodeValue(pub.get("modulesource")));
  push(module, "version", nodeValue(pub.get("moduleversion")));
  if (module.length) configuration.push({ key: "module", value: { kind: "object", entries: module } });

  const out: MigrationEntry[] = [];
  push(out, "wmfVersion", nodeValue(pub.get("wmfversion")));
  if (configuration.length) out.push({ key: "configuration", value: { kind: "object", entries: configuration } });
  const publicProperties = pub.get("properties");
  if (publicProperties) {
    const args = argumentsValue(publicProperties.value);
    if (!args) return null;
    out.push({ key: "configurationArguments", value: args });
  }
  const dataBlob = priv.get("databloburi");
  if (dataBlob) {
    const url = options.constantString(dataBlob.value);
    if (url === undefined || url.includes("?") || /sig=/i.test(url)) return null;
    out.push({ key: "configurationData", value: { kind: "object", entries: [{ key: "url", value: { kind: "node", node: dataBlob.value } }] } });
  }
  push(out, "privacy", nodeValue(pub.get("privacy")));
  push(out, "advancedOptions", nodeValue(pub.get("advancedoptions")));

  const protectedOut: MigrationEntry[] = [];
  const protectedProperties = priv.get("properties");
  if (protectedProperties) {
    const args = argumentsValue(protectedProperties.value);
    if (!args) return null;
    protectedOut.push({ key: "configurationArguments", value: args });
  }
  push(protectedOut, "configurationUrlSasToken", nodeValue(sasToken));
  const protectedChanged = protectedOut.length > 0 || dataBlob !== undefined;
  return { settings: out, protectedSettings: protectedChanged ? protectedOut : null };
}
