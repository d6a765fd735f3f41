import { createRule, declareFix, TemplateCheck, checkTemplates } from "../lib/rule.js";
import type { ReportDescriptor } from "@typescript-eslint/utils/ts-eslint";
import { findProperty, insideProperty, jsonPointer, propertyName } from "../lib/json/access.js";
import { insertProperty, replaceNode } from "../lib/json/fix.js";
import type { AST } from "../lib/json/types.js";
import { evaluateExpr, evaluateNode, parseStringNode, writtenValues, type Value } from "../lib/expression/index.js";
import { sameInEveryDeployment } from "../lib/template/describe.js";
import { extensionProperty, type ExtensionInfo } from "../lib/template/model.js";
import { extensionNames, mayBeTrue, originPhrase, originText, possibleValues, offendingText, reasonText } from "../lib/template/describe.js";
import { compareVersions, parseVersion } from "../lib/versions.js";
import { readersOfWritten } from "../lib/secrets/index.js";

type Options = [
  {
    minimumVersion?: string;
    preferredVersion?: string;
    allowAutoUpgradeMinorVersion?: boolean;
  },
];
type MessageIds =
  | "missing"
  | "numberVersion"
  | "notPinned"
  | "unresolved"
  | "belowMinimum"
  | "autoUpgrade"
  | "automaticUpgrade"
  | "insertVersion"
  | "disableAutoUpgrade"
  | "pinAndDisableAutoUpgrade"
  | "disableAutomaticUpgrade"
  | "setFalseWhereWritten"
  | "replaceWithFalse";

const VERSION_PATTERN = "^\\d{1,9}\\.\\d{1,9}$";

/**
 * The default `minimumVersion`: versions 1.0 to 2.3 were removed, 2.4 to 2.13 are retired, and
 * before 2.75 the handler cannot download over TLS 1.2, which download hosts now require (version
 * history, 2.75).
 */
const DEFAULT_MINIMUM = "2.75";

export default createRule<Options, MessageIds>({
  name: "pinned-type-handler-version",
  meta: {
    type: "problem",
    docs: {
      description: "Require a pinned, supported `typeHandlerVersion` on the DSC extension",
      recommended: true,
    },
    fixable: "code",
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          minimumVersion: {
            type: "string",
            pattern: VERSION_PATTERN,
            description: "Lowest accepted `major.minor` version (1 to 9 digits a component); versions compare per integer component.",
          },
          preferredVersion: {
            type: "string",
            pattern: VERSION_PATTERN,
            description:
              "Version that suggestions write: for a missing `typeHandlerVersion`, and for a retired or unpinned one when turning off `autoUpgradeMinorVersion`; `minimumVersion` when that is higher.",
          },
          allowAutoUpgradeMinorVersion: {
            type: "boolean",
            description: "Accept `autoUpgradeMinorVersion: true`.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ minimumVersion: DEFAULT_MINIMUM, preferredVersion: "2.83", allowAutoUpgradeMinorVersion: false }],
    messages: {
      missing: "DSC extension '{{name}}' on {{parent}} has no typeHandlerVersion; pin a major.minor version.",
      numberVersion:
        "The typeHandlerVersion of DSC extension '{{name}}' on {{parent}} is the JSON number {{raw}}{{readAs}}; write the string \"{{text}}\".",
      notPinned:
        "The typeHandlerVersion of DSC extension '{{name}}' on {{parent}} is {{value}}{{origin}}, not a pinned major.minor version.",
      unresolved:
        "The typeHandlerVersion of DSC extension '{{name}}' on {{parent}} cannot be proven to be a pinned major.minor version: {{reason}}.",
      belowMinimum:
        "The typeHandlerVersion {{value}}{{origin}} of DSC extension '{{name}}' on {{parent}} is below the minimum {{minimum}}{{reason}}{{upgrade}}.",
      autoUpgrade:
        "DSC extension '{{name}}' on {{parent}} sets autoUpgradeMinorVersion to true{{origin}}, which replaces the pinned version with the newest minor version at deployment.",
      automaticUpgrade:
        "DSC extension '{{name}}' on {{parent}} sets enableAutomaticUpgrade to true{{origin}}; the Windows DSC extension is not among the extensions documented to support automatic extension upgrade.",
      insertVersion: 'Insert typeHandlerVersion "{{version}}".',
      disableAutoUpgrade: "Set autoUpgradeMinorVersion to false.",
      pinAndDisableAutoUpgrade: 'Set typeHandlerVersion to "{{version}}" and autoUpgradeMinorVersion to false{{where}}.',
      setFalseWhereWritten: "Set {{key}} to false on line {{line}}, where its value is written.",
      replaceWithFalse: "Replace the expression of {{key}} with false; the value it reads is then ignored.",
      disableAutomaticUpgrade: "Set enableAutomaticUpgrade to false.",
    },
  },
  create: (context) => checkTemplates(context, PinnedVersionCheck),
});

/** The newest version removed from the platform: 1.0 to 2.3 fail with ArtifactNotFound. */
const LAST_REMOVED: [number, number] = [2, 3];

/** Whether autoUpgradeMinorVersion is on: in every deployment, in some, or in none. */
type UpgradeState = "surely" | "maybe" | "no";

/**
 * The upgrade state of an evaluated autoUpgradeMinorVersion (absent: off). A value that reads a
 * parameter a deployment may set is never sure: it may pass another one than the default. One a
 * nested deployment passes as a literal is.
 */
function upgradeState(value: Value | undefined): UpgradeState {
  if (!value || !mayBeTrue(value)) return "no";
  const values = possibleValues(value);
  const allTrue = values.every((v) => v === true || (typeof v === "string" && v.toLowerCase() === "true"));
  return allTrue && sameInEveryDeployment(value) ? "surely" : "maybe";
}

/** The newer of two `major.minor` versions (the first when they are equal or one does not parse). */
function newer(a: string, b: string): string {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  return va && vb && compareVersions(vb, va) > 0 ? b : a;
}

/** Why a version below the minimum does not work, for versions the default minimum rules out. */
function belowReason(version: [number, number]): string {
  if (compareVersions(version, [2, 4]) < 0) return "; versions 1.0 to 2.3 were removed from the platform";
  if (compareVersions(version, [2, 14]) < 0) return "; versions 2.4 to 2.13 are retired (their WMF 5.0 preview certificates expired in 2016)";
  if (compareVersions(version, [2, 75]) < 0) return '; versions before 2.75 cannot download the configuration over TLS 1.2 ("Could not create SSL/TLS secure channel")';
  return "";
}

/**
 * What autoUpgradeMinorVersion does for a version below the minimum: it installs a newer minor
 * version of the same major version only, and every 1.x (and 0.x) version was removed.
 */
function upgradeText(version: [number, number]): string {
  if (version[0] < 2) return `; autoUpgradeMinorVersion does not help, as it never leaves major version ${version[0]}, which has no version left`;
  return "; autoUpgradeMinorVersion installs a newer one until it is turned off";
}

/** The checks of one file. */
class PinnedVersionCheck extends TemplateCheck<MessageIds, Options> {
  private readonly minimum = parseVersion(this.options.minimumVersion ?? DEFAULT_MINIMUM) ?? parseVersion(DEFAULT_MINIMUM)!;
  /** What suggestions write: never a version the rule itself reports as below the minimum. */
  private readonly preferred = newer(this.options.preferredVersion ?? "2.83", this.options.minimumVersion ?? DEFAULT_MINIMUM);

  /**
   * For each `true` written outside an extension (a variable, a parameter default) that the
   * upgrade flags of extensions with an unsound version read: how many such extensions read it.
   * Setting it to false would leave those on a version that fails or is not pinned.
   */
  private readonly unsoundReaders = new Map<AST.JSONExpression, number>();

  /** For each `true` written outside an extension: how many upgrade flags of DSC extensions read it. */
  private readonly flagReaders = new Map<AST.JSONExpression, number>();

  /** Checks the file: the versions first, then the flags, whose suggestions depend on every extension's version. */
  run(): void {
    for (const ext of this.model.dscExtensions) {
      for (const key of FLAGS) {
        const prop = extensionProperty(ext, key);
        const written = prop && writtenTrue(ext, prop);
        if (written && written.node !== prop.value) this.flagReaders.set(written.node, (this.flagReaders.get(written.node) ?? 0) + 1);
      }
    }
    const flags: { ext: ExtensionInfo; upgrade: AST.JSONProperty; value: Value; version: AST.JSONProperty | undefined; sound: boolean }[] = [];
    for (const ext of this.model.dscExtensions) {
      const props = ext.properties;
      if (!props) continue;
      const upgrade = extensionProperty(ext, "autoUpgradeMinorVersion");
      const upgradeValue = upgrade && evaluateNode(upgrade.value, ext.scope);
      const version = extensionProperty(ext, "typeHandlerVersion");
      const sound = this.checkVersion(ext, props, version, upgradeState(upgradeValue));
      if (upgrade && upgradeValue && !this.options.allowAutoUpgradeMinorVersion) {
        flags.push({ ext, upgrade, value: upgradeValue, version, sound });
        const target = sound || !mayBeTrue(upgradeValue) ? null : this.falseTarget(ext, upgrade);
        if (target && target.node !== upgrade.value) this.unsoundReaders.set(target.node, (this.unsoundReaders.get(target.node) ?? 0) + 1);
      }
      const automatic = extensionProperty(ext, "enableAutomaticUpgrade");
      if (automatic) {
        this.checkFlag(ext, automatic, evaluateNode(automatic.value, ext.scope), "automaticUpgrade", () => this.disableSuggestion(ext, automatic, "disableAutomaticUpgrade"));
      }
    }
    for (const { ext, upgrade, value, version, sound } of flags) {
      this.checkFlag(ext, upgrade, value, "autoUpgrade", () => this.upgradeSuggestion(ext, upgrade, sound ? undefined : version));
    }
  }

  /**
   * Where a flag's `false` goes (see writtenTrue), so that the expression keeps working. A `true`
   * written elsewhere that other expressions read as well (another extension's flag, not a DSC
   * one) is left alone: the extension's own expression is replaced instead.
   */
  private falseTarget(ext: ExtensionInfo, prop: AST.JSONProperty): { node: AST.JSONExpression; line: number | null } {
    const written = writtenTrue(ext, prop);
    if (written.node === prop.value) return written;
    const readers = readersOfWritten(this.model.tokens, this.model.text, written.node);
    return readers <= (this.flagReaders.get(written.node) ?? 0) ? written : { node: prop.value, line: null };
  }

  /** The suggestion that sets an upgrade flag to false: in place, where its value is written, or over its expression. */
  private disableSuggestion(ext: ExtensionInfo, prop: AST.JSONProperty, inPlace: "disableAutoUpgrade" | "disableAutomaticUpgrade"): Suggestion[] {
    const target = this.falseTarget(ext, prop);
    const key = propertyName(prop) ?? "";
    const fix = declareFix(() => [jsonPointer(target.node)], (fixer) => replaceNode(fixer, target.node, "false"));
    if (target.line !== null) return [{ messageId: "setFalseWhereWritten", data: { key, line: String(target.line) }, fix }];
    if (!isExpressionNode(prop.value)) return [{ messageId: inPlace, fix }];
    return [{ messageId: "replaceWithFalse", data: { key }, fix }];
  }

  /** True when setting the flag's `true` to false where it is written would also turn the upgrade off for another extension that needs it. */
  private strandsOthers(ext: ExtensionInfo, upgrade: AST.JSONProperty, unsound: boolean): boolean {
    const target = this.falseTarget(ext, upgrade);
    if (target.node === upgrade.value) return false;
    return (this.unsoundReaders.get(target.node) ?? 0) - (unsound ? 1 : 0) > 0;
  }

  /**
   * The suggestion for `autoUpgradeMinorVersion: true`. Turning the upgrade off is safe only with a
   * pinned version the handler still has: with a retired or unpinned version the deployment would
   * then fail. A version written in place is then set to `preferredVersion` in the same edit (what
   * the upgrade installs today); one that comes from elsewhere gets no suggestion.
   */
  upgradeSuggestion(ext: ExtensionInfo, upgrade: AST.JSONProperty, unsoundVersion: AST.JSONProperty | undefined): Suggestion[] {
    // The `true` is written where another extension with a version that needs the upgrade reads it too.
    if (this.strandsOthers(ext, upgrade, unsoundVersion !== undefined)) return [];
    if (!unsoundVersion) return this.disableSuggestion(ext, upgrade, "disableAutoUpgrade");
    const version = unsoundVersion.value;
    if (version.type !== "JSONLiteral" || (typeof version.value !== "string" && typeof version.value !== "number")) return [];
    if (typeof version.value === "string" && parseStringNode(version).kind !== "literal") return [];
    const target = this.falseTarget(ext, upgrade);
    return [
      {
        messageId: "pinAndDisableAutoUpgrade",
        data: { version: this.preferred, where: target.line === null ? "" : ` (on line ${target.line}, where it is written)` },
        fix: declareFix(
          () => [jsonPointer(version), jsonPointer(target.node)],
          (fixer) => [...replaceNode(fixer, version, JSON.stringify(this.preferred)), ...replaceNode(fixer, target.node, "false")],
        ),
      },
    ];
  }

  /**
   * Reports a version below the minimum; false when it is not. A version the platform has not
   * removed (2.4 and later, retired ones included) is not reported when the upgrade is surely on,
   * as the upgrade installs the newest one ("AutoUpgradeMinorVersion = true gets it
   * automatically", the version history says of 2.75): the autoUpgrade report's suggestion raises
   * it when turning the upgrade off.
   */
  checkMinimum(ext: ExtensionInfo, node: AST.JSONNode, text: string, origin: string, upgrading: UpgradeState): boolean {
    const version = parseVersion(text);
    if (!version || compareVersions(version, this.minimum) >= 0) return false;
    if (upgrading === "surely" && compareVersions(version, LAST_REMOVED) > 0) return true;
    this.report({
      loc: node.loc,
      messageId: "belowMinimum",
      data: {
        ...extensionNames(ext),
        value: JSON.stringify(text),
        origin,
        minimum: this.options.minimumVersion ?? DEFAULT_MINIMUM,
        reason: belowReason(version),
        upgrade: upgrading === "no" ? "" : upgradeText(version),
      },
    });
    return true;
  }

  /**
   * Checks `typeHandlerVersion` of one extension. True when it is a pinned version at or above
   * the minimum (a JSON number counts by its text, which its fix keeps).
   */
  checkVersion(ext: ExtensionInfo, props: AST.JSONObjectExpression, prop: AST.JSONProperty | undefined, upgrading: UpgradeState): boolean {
    if (!prop) {
      const anchor = findProperty(props, "type") ?? findProperty(props, "publisher");
      const container = props.parent as AST.JSONProperty;
      this.report({
        loc: (anchor ?? container).key.loc,
        messageId: "missing",
        data: extensionNames(ext),
        suggest: [
          {
            messageId: "insertVersion",
            data: { version: this.preferred },
            fix: declareFix(() => [`${jsonPointer(props)}/typeHandlerVersion`], (fixer) =>
              insertProperty(this.source, fixer, props, "typeHandlerVersion", JSON.stringify(this.preferred), {
                after: anchor,
              }),
            ),
          },
        ],
      });
      return false;
    }
    const node = prop.value;
    if (node.type === "JSONLiteral" && typeof node.value === "number") {
      const raw = node.raw;
      const read = String(node.value);
      // The text as written when it is plain digits (2.20 is meant as "2.20"); else what ARM reads (283e-2 is 2.83).
      const text = PLAIN_NUMBER.test(raw) ? raw : read;
      // A number that is no major.minor version (2, 1e400) is not pinned as a string either: no fix then.
      if (!PLAIN_NUMBER.test(text) || parseVersion(text) === null) {
        this.report({ loc: node.loc, messageId: "notPinned", data: { ...extensionNames(ext), value: raw, origin: "" } });
        return false;
      }
      this.report({
        loc: node.loc,
        messageId: "numberVersion",
        // A number loses trailing zeros (2.20 is 2.2); where nothing is lost, the type alone is wrong.
        data: { ...extensionNames(ext), raw, readAs: read === raw ? "" : `, which is read as ${read}`, text },
        fix: declareFix(() => [jsonPointer(node)], (fixer) => replaceNode(fixer, node, JSON.stringify(text))),
      });
      return parseVersion(text) !== null && !this.checkMinimum(ext, node, text, "", upgrading);
    }
    const value = evaluateNode(node, ext.scope);
    if (value.kind === "unknown") {
      this.report({
        loc: node.loc,
        messageId: "unresolved",
        data: { ...extensionNames(ext), reason: reasonText(value.reason) },
      });
      return false;
    }
    const origin = originWithLine(ext, node, value);
    const values = possibleValues(value);
    const unpinned = values.filter((v) => typeof v !== "string" || !parseVersion(v));
    if (unpinned.length) {
      this.report({
        loc: node.loc,
        messageId: "notPinned",
        data: { ...extensionNames(ext), value: offendingText(value, unpinned), origin },
      });
      return false;
    }
    const lowest = (values as string[]).reduce((a, b) =>
      compareVersions(parseVersion(a)!, parseVersion(b)!) <= 0 ? a : b,
    );
    return !this.checkMinimum(ext, node, lowest, origin, upgrading);
  }

  /** Reports an upgrade flag that is (or may be) true; `suggest` is built only then. */
  checkFlag(ext: ExtensionInfo, prop: AST.JSONProperty, value: Value, messageId: "autoUpgrade" | "automaticUpgrade", suggest: () => Suggestion[]): void {
    if (!mayBeTrue(value)) return;
    this.report({ loc: prop.value.loc, messageId, data: { ...extensionNames(ext), origin: originText(value) }, suggest: suggest() });
  }
}

type Suggestion = NonNullable<ReportDescriptor<MessageIds>["suggest"]>[number];

/** The upgrade flags of an extension. */
const FLAGS = ["autoUpgradeMinorVersion", "enableAutomaticUpgrade"] as const;

/**
 * The flag itself when it is written as a value (line null), else the one `true` it reads, where
 * that is written (a parameter default, a variable, a module caller's value); the expression
 * itself (line null) when there is no such place. Never an entry of `allowedValues`, which would
 * change what a parameter accepts.
 */
function writtenTrue(ext: ExtensionInfo, prop: AST.JSONProperty): { node: AST.JSONExpression; line: number | null } {
  const value = prop.value;
  if (!isExpressionNode(value)) return { node: value, line: null };
  const found = writtenValues(value, ext.scope, [], evaluateExpr);
  const [only] = found.values;
  if (found.complete && found.values.length === 1 && only && isTrueLiteral(only.node) && !insideProperty(only.node, "allowedValues")) {
    return { node: only.node, line: only.node.loc.start.line };
  }
  return { node: value, line: null };
}

/**
 * Where a version comes from, for messages: `originText`, with the line it is written on when
 * that is in another template (what a module's caller passes, as to an Azure Verified Module,
 * whose own expression the report is on).
 */
function originWithLine(ext: ExtensionInfo, node: AST.JSONExpression, value: Value): string {
  const phrase = originPhrase(value);
  if (!isExpressionNode(node)) return phrase === null ? "" : ` (${phrase})`;
  const found = writtenValues(node, ext.scope, [], evaluateExpr);
  const lines = new Set(found.values.filter((v) => v.scope !== ext.scope && v.node.type === "JSONLiteral").map((v) => v.node.loc.start.line));
  const line = found.complete && lines.size === 1 && found.values.length === 1 ? `written on line ${[...lines][0]}` : null;
  const parts = [phrase, line].filter((p) => p !== null);
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}

/** A JSON number written as plain digits, with or without a fraction (not `283e-2`, `1e400`). */
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/u;

/** `true`, or a string "true" in any case (ARM reads both as true). */
function isTrueLiteral(node: AST.JSONExpression): boolean {
  return node.type === "JSONLiteral" && (node.value === true || (typeof node.value === "string" && node.value.toLowerCase() === "true"));
}

/** True for a string node holding an expression. */
function isExpressionNode(node: AST.JSONExpression): boolean {
  return node.type === "JSONLiteral" && typeof node.value === "string" && parseStringNode(node).kind === "expression";
}


