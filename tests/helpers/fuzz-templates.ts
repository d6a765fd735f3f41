// fast-check arbitraries for the reliability fuzzer: ARM templates with VMs, scale sets and
// extensions in every placement, nested deployments, languageVersion 2.0 resources, property-copy
// input, current and legacy DSC settings, random key casing, template expressions from a grammar
// (and malformed ones), SAS-like strings and wrong types in every slot; printed as JSONC with
// comments, trailing commas, escapes and LF or CRLF line ends.
import fc from "fast-check";
import { Linter } from "eslint";
import plugin from "../../index.js";
import { FixHarness, formatFailures } from "./fix-harness.js";

/** A number (or other bare token) exactly as it is written, e.g. `2.20`. */
export class Raw {
  /** Wraps the literal text. */
  constructor(readonly text: string) {}
}

/** An object with its entries in order; keys may repeat or differ only in case. */
export class Obj {
  /** Wraps the entries. */
  constructor(readonly entries: readonly Entry[]) {}
}

/** A JSON value to print. */
export type Node = null | boolean | string | Raw | Obj | readonly Node[];
/** One object member. */
export type Entry = readonly [string, Node];
type Arb<T> = fc.Arbitrary<T>;

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

/** Flips the case of the letters of `text` where the bits of `mask` are set. */
function mixCase(text: string, mask: number): string {
  let bit = 0;
  return text.replace(/[a-z]/gi, (c) => {
    const flip = (mask >>> bit++ % 31) & 1;
    return flip ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c;
  });
}

/** A key as written, or (now and then) in lower, upper or mixed case: ARM reads keys case-insensitively. */
export function casing(key: string): Arb<string> {
  return fc.oneof(
    { arbitrary: fc.constant(key), weight: 40 },
    { arbitrary: fc.constant(key.toLowerCase()), weight: 1 },
    { arbitrary: fc.constant(key.toUpperCase()), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 0x7fffffff }).map((mask) => mixCase(key, mask)), weight: 1 },
  );
}

/** Values of the wrong type for any slot. */
export const wrongType: Arb<Node> = fc.constantFrom<Node>(
  null,
  true,
  new Raw("0"),
  new Raw("2.2"),
  new Raw("-1"),
  "",
  "x",
  [],
  [null],
  ["a", new Raw("1")],
  new Obj([]),
  new Obj([["value", "x"]]),
);

/** `arb` usually, a value of the wrong type sometimes. */
export function slot(arb: Arb<Node>): Arb<Node> {
  return fc.oneof({ arbitrary: arb, weight: 24 }, { arbitrary: wrongType, weight: 1 });
}

/** An optional member, there with probability `presence`, its key in random casing, its value sometimes of the wrong type. */
export function member(key: string, value: Arb<Node>, presence = 0.5): Arb<Entry | undefined> {
  const present = Math.round(presence * 100);
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 100 - present },
    { arbitrary: fc.tuple(casing(key), slot(value)), weight: present },
  );
}

/** A member that is almost always there. */
export function required(key: string, value: Arb<Node>): Arb<Entry | undefined> {
  return member(key, value, 0.97);
}

/** An object from optional members (absent ones dropped). */
export function obj(...members: Arb<Entry | undefined>[]): Arb<Node> {
  return fc.tuple(...members).map((entries) => new Obj(entries.filter((e): e is Entry => e !== undefined)));
}

/** An array of 0..max items. */
export function list(item: Arb<Node>, max = 3, min = 0): Arb<Node> {
  return fc.array(item, { minLength: min, maxLength: max });
}

/** One of the given constants. */
function pick(...values: Node[]): Arb<Node> {
  return fc.constantFrom(...values);
}

// ---------------------------------------------------------------------------------------------
// Strings: literals, SAS-like text and template expressions
// ---------------------------------------------------------------------------------------------

const PARAMETER_NAMES = ["vmName", "vmssName", "dscVersion", "sasToken", "_artifactsLocation", "_artifactsLocationSasToken", "adminPassword", "adminCreds", "nodeName", "configUrl", "upgradeMode", "missing"];
const VARIABLE_NAMES = ["dscVersion", "url", "sas", "nodeName", "pub", "extType", "settings", "cycleA", "cycleB", "chain2", "missing"];

/** A SAS-like query string (sometimes missing a part, sometimes behind a URL). */
export const sasText: Arb<string> = fc
  .record({
    sv: fc.constantFrom("2021-06-08", "2019-02-02", "2015-04-05"),
    parts: fc.subarray(["ss=b", "srt=sco", "sp=r", "sp=rl", "se=2030-01-01T00:00:00Z", "st=2020-01-01", "spr=https", "sr=b"]),
    // the last is shaped like a real signature (43 Base64 characters and `=`), the others are not
    sig: fc.constantFrom("abc%3D", "Zm9vYmFy%2B%2F%3D", "x", "", "ZmFrZS1zaWduYXR1cmUtZm9yLWZ1enotMzItYnl0ZXM%3D"),
    withSig: fc.boolean(),
    prefix: fc.constantFrom("?", "", "https://acct.blob.core.windows.net/c/config.zip?", "&"),
  })
  .map(({ sv, parts, sig, withSig, prefix }) => `${prefix}sv=${sv}${parts.map((p) => `&${p}`).join("")}${withSig ? `&sig=${sig}` : ""}`);

/** Plain string literals that matter to the rules. */
const literalText: Arb<string> = fc.constantFrom(
  "",
  "x",
  "vm1",
  "vmss1",
  "dsc",
  "localhost",
  "web01",
  "2.83",
  "2.9",
  "2.77",
  "2.14",
  "2.13",
  "1.0",
  "2.*",
  "2",
  "latest",
  "5.1",
  "Microsoft.Powershell",
  "DSC",
  "https://acct.blob.core.windows.net/c/config.zip",
  "config.ps1",
  "Main",
  "PrivateSettingsRef:AdminPassword",
  "[[escaped",
  "a/b",
  "ü€😀",
);

/** An ARM string literal inside an expression (quotes doubled). */
function quoted(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Expression source text up to `depth` calls deep. */
function expressionArb(depth: number): Arb<string> {
  const leaf: Arb<string> = fc.oneof(
    literalText.map(quoted),
    sasText.map(quoted),
    fc.constantFrom("0", "1", "42", "true()", "false()", "copyIndex()", "copyIndex('extensions')", "resourceGroup().location", "deployment().properties.templateLink.uri", "subscription().subscriptionId"),
    fc.constantFrom(...PARAMETER_NAMES).map((n) => `parameters(${quoted(n)})`),
    fc.constantFrom(...VARIABLE_NAMES).map((n) => `variables(${quoted(n)})`),
  );
  if (depth <= 0) return leaf;
  const sub = expressionArb(depth - 1);
  const args = (max: number) => fc.array(sub, { minLength: 0, maxLength: max });
  return fc.oneof(
    { arbitrary: leaf, weight: 3 },
    { arbitrary: args(3).map((a) => `concat(${a.join(", ")})`), weight: 3 },
    { arbitrary: args(3).map((a) => `format('{0}?{1}', ${a.join(", ")})`), weight: 1 },
    { arbitrary: fc.tuple(sub, sub).map(([a, b]) => `uri(${a}, ${b})`), weight: 1 },
    { arbitrary: fc.tuple(sub, sub, sub).map(([c, a, b]) => `if(${c}, ${a}, ${b})`), weight: 1 },
    { arbitrary: fc.tuple(sub, sub).map(([a, b]) => `if(equals(${a}, 'x'), ${b}, 'localhost')`), weight: 1 },
    { arbitrary: sub.map((a) => `reference(${a}).outputs.value.value`), weight: 1 },
    { arbitrary: sub.map((a) => `reference(resourceId('Microsoft.Storage/storageAccounts', ${a}), '2019-06-01').primaryEndpoints.blob`), weight: 1 },
    { arbitrary: sub.map((a) => `listKeys(resourceId('Microsoft.Storage/storageAccounts', ${a}), '2019-06-01').keys[0].value`), weight: 1 },
    { arbitrary: sub.map((a) => `listAccountSas(${a}, '2021-04-01', variables('settings')).accountSasToken`), weight: 1 },
    { arbitrary: sub.map((a) => `resourceId('Microsoft.Compute/virtualMachines', ${a})`), weight: 1 },
    { arbitrary: sub.map((a) => `toLower(${a})`), weight: 1 },
    { arbitrary: sub.map((a) => `string(${a})`), weight: 1 },
    { arbitrary: fc.tuple(sub, sub).map(([a, b]) => `createObject('nodeName', ${a}, 'x', ${b})`), weight: 1 },
    { arbitrary: sub.map((a) => `split(${a}, '/')[1]`), weight: 1 },
    { arbitrary: sub.map((a) => `${a}.nodeName`), weight: 1 },
  );
}

/** A string that is not a well-formed expression. */
const malformedExpression: Arb<string> = fc.constantFrom(
  "[concat(",
  "[concat('a'",
  "[concat('a',,)]",
  "[)]",
  "[parameters('x')",
  "['unterminated]",
  "[]",
  "[ ]",
  "[a.b.]",
  "[1 2]",
  "[concat('a') extra]",
  "[variables('x')[0]",
  "[if(]",
  "[format('{0}', )]",
  "[[parameters('x')]",
  "[parameters('vmName')] ",
  "[concat('a', parameters('adminPassword'))]\t",
);

/** Any string value a template may hold in a setting: literal, SAS-like, expression or malformed. */
export function stringArb(depth = 2): Arb<string> {
  return fc.oneof(
    { arbitrary: literalText, weight: 4 },
    { arbitrary: sasText, weight: 1 },
    { arbitrary: expressionArb(depth).map((e) => `[${e}]`), weight: 4 },
    { arbitrary: malformedExpression, weight: 1 },
  );
}

/** A string node (as a Node arbitrary). */
const str: Arb<Node> = stringArb();

/** Numbers as written, including versions that parse to other values (`2.20` is 2.2). */
const numberArb: Arb<Node> = fc.constantFrom("0", "1", "2", "2.20", "2.9", "2.83", "1.0", "-1", "1e2", "10").map((t) => new Raw(t));
const boolArb: Arb<Node> = fc.oneof(fc.boolean(), pick("true", "false", "[true()]", "[parameters('missing')]"));

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
const PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";
const schemaArb: Arb<Node> = fc.oneof(
  { arbitrary: pick(SCHEMA), weight: 20 },
  { arbitrary: pick(SCHEMA.toLowerCase(), "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#", "http://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#"), weight: 2 },
  { arbitrary: pick("https://example.com/other.json", PARAMETERS_SCHEMA), weight: 1 },
);

const dependsOnArb: Arb<Node> = list(
  fc.oneof(
    pick("[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]", "[resourceId('Microsoft.Compute/virtualMachineScaleSets', 'vmss1')]", "vm1", "vmss1", "[parameters('vmName')]", "Microsoft.Compute/virtualMachines/vm1"),
    str,
  ),
  3,
);

/** Configuration arguments: node name, credentials and other values. */
const argumentsArb: Arb<Node> = obj(
  member("nodeName", str, 0.6),
  member("domainName", str, 0.3),
  member("adminCreds", obj(member("UserName", str), member("Password", str)), 0.3),
  member("password", str, 0.25),
  member("storageSasToken", str, 0.15),
  member("registrationKey", obj(member("userName", str), member("password", str)), 0.1),
  member("retries", numberArb, 0.1),
);

/** A `Properties` value of the legacy format: an object, or the array of Name/Value/TypeName entries. */
const legacyPropertiesArb: Arb<Node> = fc.oneof(
  argumentsArb,
  list(obj(required("Name", fc.oneof(pick("nodeName", "AdminCreds", "NodeName"), str)), member("Value", fc.oneof(str, argumentsArb)), member("TypeName", pick("System.String", "System.Management.Automation.PSCredential"))), 3),
);

/** `settings` in the current (2016+) format, with the odd misplaced or misspelled key. */
const currentSettingsArb: Arb<Node> = obj(
  member("wmfVersion", pick("latest", "5.1", "4.0", "bogus")),
  member("configuration", obj(member("url", str, 0.8), member("script", str, 0.6), member("function", str, 0.6)), 0.6),
  member("configurationArguments", argumentsArb, 0.5),
  member("configurationData", obj(member("url", str)), 0.2),
  member("privacy", obj(member("dataCollection", pick("enable", "Disable", "", "x"))), 0.2),
  member("advancedOptions", obj(member("forcePullAndApply", boolArb), member("downloadMappings", obj(member("specificDependencyKey", str)))), 0.1),
  member("configurationUrlSasToken", str, 0.1),
  member("configurationDataUrlSasToken", str, 0.05),
  member("configurationArgument", argumentsArb, 0.03),
  member("SasToken", str, 0.04),
);

/** `settings` in the legacy format. */
const legacySettingsArb: Arb<Node> = obj(
  member("ModulesUrl", str, 0.8),
  member("ConfigurationFunction", fc.oneof(pick("Config.ps1\\Main", "x"), str), 0.8),
  member("SasToken", str, 0.4),
  member("Properties", legacyPropertiesArb, 0.6),
  member("ProtocolVersion", pick("2.0.0"), 0.1),
  member("wmfVersion", pick("latest", "5.0"), 0.2),
  member("configuration", obj(member("url", str)), 0.05),
);

const protectedSettingsArb: Arb<Node> = obj(
  member("configurationArguments", argumentsArb, 0.4),
  member("configurationUrlSasToken", str, 0.3),
  member("configurationDataUrlSasToken", str, 0.1),
  member("Items", obj(member("AdminPassword", str), member("registrationKeyPrivate", str)), 0.15),
  member("DataBlobUri", str, 0.08),
  member("Properties", legacyPropertiesArb, 0.03),
);

/** The `properties` of an extension (or a profile entry), DSC most of the time. */
const extensionPropertiesArb: Arb<Node> = obj(
  required("publisher", fc.oneof({ arbitrary: pick("Microsoft.Powershell", "Microsoft.PowerShell", "microsoft.powershell"), weight: 8 }, { arbitrary: pick("[variables('pub')]", "Microsoft.Compute", "[parameters('missing')]"), weight: 1 })),
  required("type", fc.oneof({ arbitrary: pick("DSC", "dsc"), weight: 8 }, { arbitrary: pick("Microsoft.Powershell.DSC", "[variables('extType')]", "CustomScriptExtension"), weight: 1 })),
  member("typeHandlerVersion", fc.oneof(pick("2.83", "2.9", "2.77", "2.14", "1.0", "2.*", "2", "[parameters('dscVersion')]", "[variables('dscVersion')]"), numberArb, str), 0.85),
  member("autoUpgradeMinorVersion", boolArb, 0.6),
  member("enableAutomaticUpgrade", boolArb, 0.1),
  member("settings", fc.oneof({ arbitrary: currentSettingsArb, weight: 3 }, { arbitrary: legacySettingsArb, weight: 2 }, { arbitrary: pick("[variables('settings')]"), weight: 1 }), 0.85),
  member("protectedSettings", protectedSettingsArb, 0.5),
  member("protectedSettingsFromKeyVault", obj(member("secretUrl", str), member("sourceVault", obj(member("id", str)))), 0.05),
  member("Settings", currentSettingsArb, 0.02),
);

const nameArb = (kind: "vm" | "vmss"): Arb<Node> =>
  fc.oneof(
    { arbitrary: pick(kind === "vm" ? "vm1" : "vmss1"), weight: 4 },
    { arbitrary: pick(kind === "vm" ? "[parameters('vmName')]" : "[parameters('vmssName')]", `[concat('${kind}', copyIndex())]`), weight: 2 },
    { arbitrary: str, weight: 1 },
  );

/** An extension entry of a profile's `extensions` array (resource-only keys misplaced now and then). */
const profileEntryArb: Arb<Node> = obj(
  member("name", fc.oneof(pick("dsc", "Microsoft.Powershell.DSC", "[concat('ext', copyIndex('extensions'))]"), str), 0.9),
  required("properties", extensionPropertiesArb),
  member("type", pick("Microsoft.Compute/virtualMachineScaleSets/extensions", "extensions"), 0.05),
  member("apiVersion", pick("2024-07-01"), 0.05),
  member("location", pick("[resourceGroup().location]"), 0.05),
  member("dependsOn", dependsOnArb, 0.04),
  member("tags", obj(member("a", str)), 0.03),
  member("publisher", pick("Microsoft.Powershell"), 0.03),
  member("settings", currentSettingsArb, 0.03),
);

/** An extension resource: a nested child (`type` usually "extensions") or a top-level one. */
function extensionResourceArb(parent: "vm" | "vmss", nested: boolean): Arb<Node> {
  const full = `Microsoft.Compute/${parent === "vm" ? "virtualMachines" : "virtualMachineScaleSets"}/extensions`;
  const parentName = parent === "vm" ? "vm1" : "vmss1";
  const types = nested ? pick("extensions", "Extensions", full) : fc.oneof({ arbitrary: pick(full), weight: 6 }, { arbitrary: pick(full.toLowerCase(), "extensions"), weight: 1 });
  const names = nested
    ? fc.oneof({ arbitrary: pick("dsc", "DSC"), weight: 5 }, { arbitrary: pick(`${parentName}/dsc`, "[concat(parameters('vmName'), '/dsc')]"), weight: 1 }, { arbitrary: str, weight: 1 })
    : fc.oneof(
        { arbitrary: pick(`${parentName}/dsc`, `[concat(parameters('${parent}Name'), '/dsc')]`, `[format('{0}/dsc', parameters('${parent}Name'))]`, `[concat('${parent}', copyIndex(), '/dsc')]`), weight: 5 },
        { arbitrary: pick("dsc", "a/b/c"), weight: 1 },
        { arbitrary: str, weight: 1 },
      );
  return obj(
    required("type", types),
    member("apiVersion", pick("2024-07-01", "2015-06-15"), 0.9),
    required("name", names),
    member("location", pick("[resourceGroup().location]", "westeurope"), 0.8),
    member("dependsOn", dependsOnArb, 0.5),
    member("copy", obj(member("name", pick("extLoop")), member("count", numberArb)), 0.08),
    required("properties", extensionPropertiesArb),
  );
}

/** A VM with nested child extensions and, now and then, a misplaced `extensionProfile`. */
const vmArb: Arb<Node> = obj(
  required("type", pick("Microsoft.Compute/virtualMachines", "microsoft.compute/virtualMachines")),
  member("apiVersion", pick("2024-07-01"), 0.9),
  required("name", nameArb("vm")),
  member("location", pick("[resourceGroup().location]"), 0.8),
  member("copy", obj(member("name", pick("vmLoop")), member("count", numberArb)), 0.08),
  member("properties", obj(member("hardwareProfile", obj(member("vmSize", pick("Standard_D2s_v5")))), member("extensionProfile", obj(member("extensions", list(profileEntryArb, 2))), 0.08)), 0.8),
  member("resources", list(extensionResourceArb("vm", true), 2), 0.5),
);

/** A scale set: profile entries (or a property copy of them), misplaced profiles, nested children. */
const vmssArb: Arb<Node> = obj(
  required("type", pick("Microsoft.Compute/virtualMachineScaleSets", "Microsoft.Compute/VirtualMachineScaleSets")),
  member("apiVersion", pick("2024-07-01"), 0.9),
  required("name", nameArb("vmss")),
  member("location", pick("[resourceGroup().location]"), 0.8),
  required(
    "properties",
    obj(
      member("upgradePolicy", obj(member("mode", fc.oneof(pick("Automatic", "Manual", "Rolling", "manual", "[parameters('upgradeMode')]"), str))), 0.6),
      required(
        "virtualMachineProfile",
        obj(
          member(
            "extensionProfile",
            obj(
              member("extensions", list(profileEntryArb, 3), 0.8),
              member("copy", list(obj(required("name", pick("extensions", "Extensions", "other")), member("count", numberArb), required("input", profileEntryArb)), 1, 1), 0.2),
            ),
            0.85,
          ),
          member("extensions", list(profileEntryArb, 1), 0.05),
        ),
      ),
      member("extensionProfile", obj(member("extensions", list(profileEntryArb, 1))), 0.05),
    ),
  ),
  member("resources", list(extensionResourceArb("vmss", true), 1), 0.15),
);

/** A resource that is neither machine nor extension. */
const otherResourceArb: Arb<Node> = obj(
  required("type", pick("Microsoft.Storage/storageAccounts", "Microsoft.Network/networkInterfaces", "Microsoft.Compute/virtualMachines/extensions/other")),
  member("apiVersion", pick("2023-01-01")),
  required("name", str),
  member("properties", obj(member("value", str))),
);

/** Parameter declarations feeding the expressions (types and defaults sometimes wrong). */
const parametersArb: Arb<Node> = obj(
  member("vmName", obj(required("type", pick("string")), member("defaultValue", pick("vm1", "[concat('vm', '1')]")))),
  member("vmssName", obj(required("type", pick("string")), member("defaultValue", pick("vmss1")))),
  member("dscVersion", obj(required("type", pick("string")), member("defaultValue", fc.oneof(pick("2.83", "2.*", "1.0", "2.9"), numberArb)), member("allowedValues", list(pick("2.83", "2.9", "2.*"), 3, 1), 0.2))),
  member("sasToken", obj(required("type", pick("string", "secureString", "securestring")), member("defaultValue", fc.oneof(pick(""), sasText)))),
  member("_artifactsLocation", obj(required("type", pick("string")), member("defaultValue", pick("https://acct.blob.core.windows.net/c/", "[deployment().properties.templateLink.uri]")))),
  member("_artifactsLocationSasToken", obj(required("type", pick("secureString", "string")), member("defaultValue", fc.oneof(pick(""), sasText)))),
  member("adminPassword", obj(required("type", pick("secureString", "string")), member("defaultValue", str, 0.2))),
  member("adminCreds", obj(required("type", pick("secureObject", "object")))),
  member("nodeName", obj(required("type", pick("string")), member("defaultValue", pick("localhost", "web01", "[parameters('vmName')]")))),
  member("configUrl", obj(required("type", pick("string")), member("defaultValue", str))),
  member("upgradeMode", obj(required("type", pick("string")), member("defaultValue", pick("Automatic", "Manual")), member("allowedValues", list(pick("Automatic", "Manual", "Rolling"), 3, 1), 0.3))),
);

/** Variables, including a cycle and a short chain. */
const variablesArb: Arb<Node> = obj(
  member("dscVersion", fc.oneof(pick("2.83", "2.*", "[parameters('dscVersion')]"), numberArb, str)),
  member("url", str),
  member("sas", fc.oneof(sasText, str)),
  member("nodeName", fc.oneof(pick("localhost", "[parameters('nodeName')]", "[variables('cycleA')]"), str)),
  member("pub", pick("Microsoft.Powershell", "Microsoft.Compute")),
  member("extType", pick("DSC", "Microsoft.Powershell.DSC")),
  member("settings", currentSettingsArb, 0.1),
  member("cycleA", pick("[variables('cycleB')]"), 0.15),
  member("cycleB", pick("[concat(variables('cycleA'), 'x')]"), 0.15),
  member("chain0", str, 0.15),
  member("chain1", pick("[variables('chain0')]"), 0.15),
  member("chain2", pick("[concat(variables('chain1'), variables('chain1'))]"), 0.15),
);

/** A resources value: an array, or (languageVersion 2.0) an object keyed by symbolic name. */
function resourcesArb(depth: number): Arb<Node> {
  const resource = resourceArb(depth);
  return fc.oneof(
    { arbitrary: list(resource, 4), weight: 5 },
    { arbitrary: fc.array(fc.tuple(fc.constantFrom("vm", "vmss", "ext", "dep", "other", "Vm"), resource), { maxLength: 3 }).map((pairs) => new Obj(pairs)), weight: 1 },
  );
}

/** A nested deployment (inner or outer evaluation) with an inline template. */
function deploymentArb(depth: number): Arb<Node> {
  return obj(
    required("type", pick("Microsoft.Resources/deployments", "microsoft.resources/deployments")),
    member("apiVersion", pick("2022-09-01")),
    required("name", pick("nested", "[concat('nested', copyIndex())]")),
    required(
      "properties",
      obj(
        member("mode", pick("Incremental")),
        member("expressionEvaluationOptions", obj(member("scope", pick("inner", "outer", "Inner", "bogus"))), 0.6),
        member("parameters", obj(member("vmName", obj(member("value", str))), member("dscVersion", obj(member("value", fc.oneof(str, numberArb)))), member("sasToken", obj(member("value", str)))), 0.6),
        required("template", templateArb(depth - 1)),
      ),
    ),
  );
}

/** Any resource; deployments only while `depth` allows another level. */
function resourceArb(depth: number): Arb<Node> {
  const choices: fc.WeightedArbitrary<Node>[] = [
    { arbitrary: vmArb, weight: 4 },
    { arbitrary: vmssArb, weight: 4 },
    { arbitrary: extensionResourceArb("vm", false), weight: 3 },
    { arbitrary: extensionResourceArb("vmss", false), weight: 2 },
    { arbitrary: otherResourceArb, weight: 1 },
  ];
  if (depth > 0) choices.push({ arbitrary: deploymentArb(depth), weight: 1 });
  return fc.oneof(...choices);
}

/** A deployment template; nested deployments go `depth` levels deep. */
export function templateArb(depth = 1): Arb<Node> {
  return obj(
    required("$schema", schemaArb),
    member("contentVersion", pick("1.0.0.0"), 0.9),
    member("languageVersion", pick("2.0", "1.10-experimental"), 0.1),
    member("parameters", parametersArb, 0.8),
    member("variables", variablesArb, 0.6),
    required("resources", resourcesArb(depth)),
    member("outputs", obj(member("url", obj(member("type", pick("string")), member("value", str)))), 0.1),
  );
}

/** A deployment parameters file (SAS tokens and Key Vault references in values). */
export const parametersFileArb: Arb<Node> = obj(
  required("$schema", pick(PARAMETERS_SCHEMA)),
  member("contentVersion", pick("1.0.0.0")),
  required(
    "parameters",
    obj(
      member("sasToken", obj(member("value", fc.oneof(sasText, str)))),
      member("_artifactsLocationSasToken", obj(member("value", fc.oneof(sasText, str)))),
      member("adminPassword", obj(member("reference", obj(member("keyVault", obj(member("id", str))), member("secretName", str))))),
      member("dscVersion", obj(member("value", fc.oneof(str, numberArb)))),
    ),
  ),
);

/** JSON that is not an ARM file at all. */
const otherJsonArb: Arb<Node> = obj(member("name", str), member("resources", list(vmArb, 1)), member("settings", currentSettingsArb));

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

/** How a generated value is printed. */
export interface PrintStyle {
  eol: "\n" | "\r\n";
  indent: string;
  trailingCommas: boolean;
  /** 0: no comments; higher: more of them. */
  comments: number;
  /** Escape some characters of strings and keys as `\uXXXX`. */
  escapes: boolean;
  /** Print small objects and arrays on one line. */
  compact: boolean;
  /** Drives every per-position choice of the printer. */
  seed: number;
}

export const styleArb: Arb<PrintStyle> = fc.record({
  eol: fc.constantFrom<PrintStyle["eol"]>("\n", "\n", "\r\n"),
  indent: fc.constantFrom("  ", "    ", "\t", " "),
  trailingCommas: fc.boolean(),
  comments: fc.constantFrom(0, 0, 1, 2, 3),
  escapes: fc.boolean(),
  compact: fc.boolean(),
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
});

/** A small deterministic random source (mulberry32) for the printer's per-position choices. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMENT_WORDS = ["note", "\"quoted\": [1, 2],", "[concat('x')]", "{ }", "TODO: fix, later", "https://example.com/a", "ü€", "*", "/"];

/** Prints `node` as JSONC in `style`: comments, trailing commas, escapes and line ends included. */
export function printJsonc(node: Node, style: PrintStyle): string {
  const rand = random(style.seed);
  let counter = 0;
  const chance = (p: number) => style.comments > 0 && rand() < p * style.comments;
  const word = () => COMMENT_WORDS[Math.floor(rand() * COMMENT_WORDS.length)]!;
  const block = () => `/* c${counter++} ${word()} */`;
  const line = () => `// c${counter++} ${word()}`;

  /** A JSON string literal, some characters escaped as `\uXXXX` when the style asks. */
  const quote = (text: string): string => {
    const json = JSON.stringify(text);
    if (!style.escapes || rand() < 0.9) return json;
    return json.replace(/[A-Za-z]/g, (c) => (rand() < 0.15 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : c));
  };
  const isLeaf = (n: Node) => !(n instanceof Obj) && !Array.isArray(n);

  /** Prints a value at nesting `level`. */
  const print = (n: Node, level: number): string => {
    if (n === null) return "null";
    if (typeof n === "boolean") return String(n);
    if (typeof n === "string") return quote(n);
    if (n instanceof Raw) return n.text;
    const items: { key?: string; value: Node }[] = n instanceof Obj ? n.entries.map(([key, value]) => ({ key, value })) : (n as readonly Node[]).map((value) => ({ value }));
    const [open, close] = n instanceof Obj ? ["{", "}"] : ["[", "]"];
    if (!items.length) return chance(0.1) ? `${open} ${block()} ${close}` : `${open}${close}`;
    const pad = style.indent.repeat(level + 1);
    const end = style.indent.repeat(level);
    if (style.compact && items.length <= 3 && items.every((i) => isLeaf(i.value)) && rand() < 0.6) {
      const parts = items.map((i) => `${i.key !== undefined ? `${quote(i.key)}: ` : ""}${chance(0.05) ? `${block()} ` : ""}${print(i.value, level + 1)}`);
      return `${open} ${parts.join(", ")}${style.trailingCommas && rand() < 0.5 ? "," : ""} ${close}`;
    }
    const lines: string[] = [];
    items.forEach((item, index) => {
      if (chance(0.08)) lines.push(`${pad}${rand() < 0.5 ? line() : block()}`);
      const value = print(item.value, level + 1);
      const head = item.key !== undefined ? `${quote(item.key)}${chance(0.02) ? ` ${block()}` : ""}: ${chance(0.03) ? `${block()} ` : ""}` : "";
      const last = index === items.length - 1;
      const comma = !last || style.trailingCommas ? "," : "";
      const trailing = chance(0.05) ? ` ${rand() < 0.5 ? line() : block()}` : "";
      lines.push(`${pad}${head}${value}${comma}${trailing}`);
    });
    if (chance(0.05)) lines.push(`${pad}${line()}`);
    return `${open}${style.eol}${lines.join(style.eol)}${style.eol}${end}${close}`;
  };

  const head = chance(0.2) ? `${line()}${style.eol}` : "";
  const tail = chance(0.2) ? `${style.eol}${block()}` : "";
  return `${head}${print(node, 0)}${tail}${style.eol}`;
}

/** What the fuzzer lints: a template (mostly), a parameters file or other JSON. */
export const documentArb: Arb<Node> = fc.oneof({ arbitrary: templateArb(1), weight: 20 }, { arbitrary: parametersFileArb, weight: 1 }, { arbitrary: otherJsonArb, weight: 1 });

/** A generated file: the printed text, with the value and style it came from. */
export interface FuzzCase {
  text: string;
  filename: string;
}

/** Generated files ready to lint. */
export const fuzzCaseArb: Arb<FuzzCase> = fc.tuple(documentArb, styleArb, fc.boolean()).map(([node, style, jsonc]) => ({
  text: printJsonc(node, style),
  filename: jsonc ? "template.jsonc" : "template.json",
}));

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

/** Counts of one fuzzing run. */
export interface FuzzStats {
  templates: number;
  findings: number;
  /** Generated files that got at least one fix or suggestion (and went through the fix harness). */
  withFixes: number;
  fixesApplied: number;
  /** Fixes and suggestions the harness checked one by one. */
  checked: number;
  failures: number;
}

/** A new, zeroed FuzzStats. */
export function emptyStats(): FuzzStats {
  return { templates: 0, findings: 0, withFixes: 0, fixesApplied: 0, checked: 0, failures: 0 };
}

/** What went wrong with one generated file. */
export interface FuzzProblem {
  /** The failed checks, each as `kind rule messageId`, to group failures by cause. */
  causes: string[];
  message: string;
}

/**
 * A checker for generated files: it lints each with every rule of `configs.all` through one
 * Linter (a throw is a rule crash; a parse error means the generator is broken) and, when any
 * report carries a fix or a suggestion, runs the full fix harness over it. It returns what went
 * wrong, or null, and adds to `stats`.
 */
export function createFuzzChecker(stats: FuzzStats): (fuzzCase: FuzzCase) => FuzzProblem | null {
  const linter = new Linter();
  const harness = new FixHarness();
  const config = plugin.configs.all;
  return (fuzzCase) => {
    stats.templates++;
    let messages: Linter.LintMessage[];
    try {
      messages = linter.verify(fuzzCase.text, config, { filename: fuzzCase.filename });
    } catch (error) {
      stats.failures++;
      const e = error as Error & { ruleId?: string };
      return { causes: [`crash ${e.ruleId ?? "(unknown rule)"}: ${e.message.split("\n")[0]}`], message: `a rule threw: ${e.stack ?? String(error)}` };
    }
    stats.findings += messages.length;
    const fatal = messages.find((m) => m.fatal || !m.ruleId);
    if (fatal) {
      stats.failures++;
      return { causes: ["generator: unexpected message"], message: `unexpected message (a parse error means the generator is broken): ${fatal.message} at ${fatal.line}:${fatal.column}` };
    }
    if (!messages.some((m) => m.fix || m.suggestions?.length)) return null;
    stats.withFixes++;
    const result = harness.check(fuzzCase.text, fuzzCase.filename);
    stats.fixesApplied += result.fixesApplied;
    stats.checked += result.checked;
    if (!result.failures.length) return null;
    stats.failures++;
    const causes = result.failures.map((f) => `${f.kind} ${f.ruleId ?? "(--fix run)"} ${f.messageId ?? ""}`.trim());
    return { causes: [...new Set(causes)].sort(), message: `unsafe fixes:\n${formatFailures(result.failures)}` };
  };
}
