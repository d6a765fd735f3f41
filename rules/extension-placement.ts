import { createRule, declareFix, TemplateCheck, checkTemplates } from "../lib/rule.js";
import { asciiLower, findProperty, getObjectValue, isObject, jsonPointer, propertyName } from "../lib/json/access.js";
import { moveProperty, removeProperties, replaceNode, wrapProperties } from "../lib/json/fix.js";
import type { AST, TextEdit } from "../lib/json/types.js";
import { evaluateNode } from "../lib/expression/index.js";
import { extensionNames, originText, parentText, possibleValues } from "../lib/template/describe.js";
import { nameKey, splitSegments } from "../lib/template/names.js";
import { copyInputs, displayName, extensionProperty, type ExtensionInfo, type MachineInfo } from "../lib/template/model.js";

type Options = [{ allowScaleSetChildResource?: boolean }];
type MessageIds =
  | "vmProfile"
  | "misplacedProfile"
  | "resourceKeys"
  | "entryCondition"
  | "entryProperties"
  | "resourceProperties"
  | "nestedFullType"
  | "nestedOtherType"
  | "nestedNameSegments"
  | "topLevelNameSegments"
  | "topLevelShortType"
  | "scaleSetChild"
  | "manualForceUpdate"
  | "moveProfile"
  | "wrapInProperties"
  | "removeCondition";

/** Members of a resource declaration that a scale-set profile entry does not have (lower case). */
const RESOURCE_ONLY_KEYS = lowerSet(["type", "apiVersion", "location", "dependsOn", "tags", "copy"]);
/**
 * Resource keys that deploy in a profile entry: `type` is a read-only member of the entry, and
 * Microsoft's own scale-set samples write `type` and `location` in their entries. Reported (and
 * removed) only beside a key ARM fails on.
 */
const TOLERATED_KEYS = lowerSet(["type", "location"]);
/** Members of an extension's `properties` (VirtualMachineScaleSetExtensionProperties), lower case. */
const EXTENSION_PROPERTY_KEYS = lowerSet([
  "publisher",
  "type",
  "typeHandlerVersion",
  "autoUpgradeMinorVersion",
  "enableAutomaticUpgrade",
  "forceUpdateTag",
  "settings",
  "protectedSettings",
  "protectedSettingsFromKeyVault",
  "provisionAfterExtensions",
  "suppressFailures",
]);

export default createRule<Options, MessageIds>({
  name: "extension-placement",
  meta: {
    type: "problem",
    docs: {
      description: "Require extensions to be declared where ARM applies them to a virtual machine or scale set",
      recommended: true,
    },
    fixable: "code",
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          allowScaleSetChildResource: {
            type: "boolean",
            description:
              "Accept a DSC extension declared as a scale-set child resource when the scale set's upgrade policy is Manual or not set.",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ allowScaleSetChildResource: false }],
    messages: {
      vmProfile:
        "Virtual machine '{{name}}' has properties.extensionProfile, but virtual machines have no extension profile; declare each extension as a child resource (type 'extensions' in the VM's resources, or a top-level 'Microsoft.Compute/virtualMachines/extensions' resource).",
      misplacedProfile:
        "Scale set '{{name}}' declares extensions at {{path}}, where ARM does not look for them; the extension profile belongs at properties.virtualMachineProfile.extensionProfile.",
      resourceKeys:
        "Extension '{{name}}' in the extension profile of {{parent}} has {{keys}}, which {{belong}} to a resource declaration, not to a profile entry: an entry takes only 'name' and 'properties', and ARM fails on {{failing}} with \"Could not find member ... on object of type 'VMScaleSetVMExtension'\".",
      entryCondition:
        "Extension '{{name}}' in the extension profile of {{parent}} has a 'condition', which a profile entry does not take: ARM fails with \"Could not find member 'condition' on object of type 'VMScaleSetVMExtension'\". To add the extension only in some deployments, build the extensions array with if().",
      entryProperties:
        "Extension '{{name}}' in the extension profile of {{parent}} has {{keys}} at the entry level; extension settings belong inside the entry's 'properties' object.",
      resourceProperties:
        "Extension '{{name}}' on {{parent}} has {{keys}} beside 'properties'; an extension's settings are read only from inside 'properties', where {{these}}.",
      nestedFullType:
        "Extension '{{name}}' is declared inside {{parent}} with the full type '{{type}}' but a one-segment name; a child declared in its parent's resources uses the type 'extensions' (ARM requires as many type segments as name segments).",
      nestedOtherType:
        "Extension '{{name}}' is declared inside {{parent}} with the type '{{type}}', another kind of machine's extension type, and a one-segment name, which ARM rejects; declare it in that machine's resources, or give it the type 'extensions' to extend {{parent}}.",
      nestedNameSegments:
        "Extension '{{name}}' is declared inside {{parent}} with a name of {{count}}, but its type '{{type}}' takes {{expected}}; inside the parent's resources, write the type 'extensions' and the extension name alone, without '/'.",
      topLevelNameSegments:
        "Top-level extension '{{name}}' of type '{{type}}' has a name of {{count}}; its name must be '<{{kind}} name>/<extension name>' so that ARM knows which {{kind}} it belongs to.",
      topLevelShortType:
        "Top-level extension '{{name}}' has the type 'extensions', which ARM accepts only inside its parent's resources; outside them, the type names the parent's type: 'Microsoft.Compute/virtualMachines/extensions' (or 'Microsoft.Compute/virtualMachineScaleSets/extensions' for a scale set){{rename}}.",
      scaleSetChild:
        "DSC extension '{{name}}' is a child resource of {{parent}}, whose upgrade policy is {{mode}}: the child only updates the scale-set model after the instances exist, and existing instances never get it until each one is upgraded by hand; declare it in properties.virtualMachineProfile.extensionProfile.extensions instead.",
      manualForceUpdate:
        "DSC extension '{{name}}' on {{parent}} sets forceUpdateTag, but the scale set's upgrade policy is {{mode}}: a new tag only changes the scale-set model, and existing instances run the configuration again only when each one is upgraded by hand; use an Automatic or Rolling upgrade policy, or upgrade the instances after each change of the tag.",
      moveProfile: "Move {{path}} to properties.virtualMachineProfile.extensionProfile.",
      wrapInProperties: "Move {{keys}} into 'properties'.",
      removeCondition: "Remove 'condition': the extension is then added whenever the scale set is deployed.",
    },
  },
  create: (context) => checkTemplates(context, PlacementCheck),
});

/** The checks of one file. */
class PlacementCheck extends TemplateCheck<MessageIds, Options> {
  /** The name keys of the file's scale sets, once asked (see scaleSetNames). */
  declare private scaleSets: Set<string> | undefined;

  /** Checks the file. */
  run(): void {
    for (const machine of this.model.machines) this.checkMachine(machine);
    for (const ext of this.model.extensions) {
      if (ext.placement === "vmss-profile" || ext.placement === "vmss-misplaced-profile") {
        this.checkEntry(ext);
        this.checkForceUpdate(ext);
      }
      else if (ext.resource) {
        this.checkSegments(ext);
        this.checkScaleSetChild(ext);
        this.checkForceUpdate(ext);
        this.checkResourceLevel(ext);
      }
    }
  }

  /** A VM's extensionProfile, or a scale set's profile at a wrong path. */
  checkMachine(machine: MachineInfo): void {
    const res = machine.resource;
    const props = res.properties;
    if (res.existing || !props) return;
    const name = displayName(res);
    if (machine.kind === "vm") {
      const profile = findProperty(props, "extensionProfile");
      if (profile) this.report({ loc: profile.key.loc, messageId: "vmProfile", data: { name } });
      return;
    }
    const vmProfileProp = findProperty(props, "virtualMachineProfile");
    const vmProfile = isObject(vmProfileProp?.value) ? vmProfileProp.value : undefined;
    const atProperties = findProperty(props, "extensionProfile");
    if (atProperties) {
      let edits: TextEdit[] | null = null;
      let target = "";
      if (!vmProfileProp) {
        edits = this.plan((fixer) => moveProperty(this.source, fixer, atProperties, { parent: props, key: "virtualMachineProfile" }));
        target = memberPointer(props, "virtualMachineProfile");
      } else if (vmProfile && !findProperty(vmProfile, "extensionProfile")) {
        edits = this.plan((fixer) => moveProperty(this.source, fixer, atProperties, { obj: vmProfile }));
        target = memberPointer(vmProfile, propertyName(atProperties) ?? "");
      }
      this.reportProfile(name, atProperties, "properties.extensionProfile", edits, target);
    }
    const extensions = vmProfile ? findProperty(vmProfile, "extensions") : undefined;
    if (vmProfile && extensions) {
      const existing = findProperty(vmProfile, "extensionProfile");
      let edits: TextEdit[] | null = null;
      let target = "";
      if (!existing) {
        edits = this.plan((fixer) => moveProperty(this.source, fixer, extensions, { parent: vmProfile, key: "extensionProfile" }));
        target = memberPointer(vmProfile, "extensionProfile");
      } else if (isObject(existing.value) && !findProperty(existing.value, "extensions") && copyInputs(existing.value, "extensions").length === 0) {
        const profile = existing.value;
        edits = this.plan((fixer) => moveProperty(this.source, fixer, extensions, { obj: profile }));
        target = memberPointer(profile, propertyName(extensions) ?? "");
      }
      this.reportProfile(name, extensions, "properties.virtualMachineProfile.extensions", edits, target);
    }
  }

  /**
   * Reports a scale-set profile at the wrong path, with the move when it can be built; `target`
   * is the pointer the moved property (or the object created to hold it) gets.
   */
  reportProfile(name: string, prop: AST.JSONProperty, path: string, edits: TextEdit[] | null, target: string): void {
    this.report({
      loc: prop.key.loc,
      messageId: "misplacedProfile",
      data: { name, path },
      suggest: edits
        ? [{ messageId: "moveProfile", data: { path }, fix: declareFix(() => [jsonPointer(prop), target], () => edits) }]
        : [],
    });
  }

  /** Resource-only keys and extension properties at the level of a scale-set profile entry. */
  checkEntry(ext: ExtensionInfo): void {
    const entry = ext.node;
    const resourceKeys: AST.JSONProperty[] = [];
    const misplaced: AST.JSONProperty[] = [];
    for (const prop of entry.properties) {
      const name = propertyName(prop);
      if (name === null) continue;
      const key = asciiLower(name);
      if (key === "type") (isResourceType(ext, prop) ? resourceKeys : misplaced).push(prop);
      else if (key === "copy") {
        // An array is a property copy loop (valid); an object is a resource copy loop.
        if (isObject(prop.value)) resourceKeys.push(prop);
      } else if (RESOURCE_ONLY_KEYS.has(key)) resourceKeys.push(prop);
      else if (EXTENSION_PROPERTY_KEYS.has(key)) misplaced.push(prop);
      // In a profile at a wrong path (misplacedProfile's report) the entry reaches no machine anyway.
      else if (key === "condition" && ext.placement === "vmss-profile") this.reportEntryCondition(ext, prop);
    }
    const failing = resourceKeys.filter((p) => !TOLERATED_KEYS.has(asciiLower(propertyName(p)!)));
    if (failing.length > 0) {
      this.report({
        loc: resourceKeys[0]!.key.loc,
        messageId: "resourceKeys",
        data: {
          ...extensionNames(ext),
          keys: keyList(resourceKeys),
          belong: resourceKeys.length === 1 ? "belongs" : "belong",
          failing: failing.length === resourceKeys.length ? "such keys" : keyList(failing),
        },
        fix: declareFix(() => resourceKeys.map((p) => jsonPointer(p)), (fixer) => removeProperties(this.source, fixer, resourceKeys)),
      });
    }
    if (misplaced.length > 0) this.reportOutsideProperties(ext, misplaced, "entryProperties");
  }

  /**
   * A `condition` in a profile entry. Removing it makes the template deployable but adds the
   * extension in deployments the author meant to leave without it, so that is only a suggestion.
   */
  reportEntryCondition(ext: ExtensionInfo, prop: AST.JSONProperty): void {
    const edits = this.plan((fixer) => removeProperties(this.source, fixer, [prop]));
    this.report({
      loc: prop.key.loc,
      messageId: "entryCondition",
      data: extensionNames(ext),
      suggest: edits ? [{ messageId: "removeCondition", fix: declareFix(() => [jsonPointer(prop)], () => edits) }] : [],
    });
  }

  /** Extension properties written beside an extension resource's `properties` (`settings`, say). */
  checkResourceLevel(ext: ExtensionInfo): void {
    const misplaced = ext.node.properties.filter((prop) => {
      const name = propertyName(prop);
      // `type` is the resource's own.
      return name !== null && asciiLower(name) !== "type" && EXTENSION_PROPERTY_KEYS.has(asciiLower(name));
    });
    if (misplaced.length > 0) this.reportOutsideProperties(ext, misplaced, "resourceProperties");
  }

  /**
   * Reports extension properties outside the extension's `properties`, with the suggestion to move
   * them in: the extension then receives them, which changes what is deployed.
   */
  reportOutsideProperties(ext: ExtensionInfo, misplaced: AST.JSONProperty[], messageId: "entryProperties" | "resourceProperties"): void {
    const node = ext.node;
    const keys = keyList(misplaced);
    const edits = canWrap(ext, misplaced) ? this.plan((fixer) => wrapProperties(this.source, fixer, node, misplaced, "properties")) : null;
    // Into the existing `properties` object key by key, or into a `properties` object it creates.
    const inner = getObjectValue(node, "properties");
    const targets = inner ? misplaced.map((p) => memberPointer(inner, propertyName(p) ?? "")) : [memberPointer(node, "properties")];
    const paths = [...misplaced.map((p) => jsonPointer(p)), ...targets];
    this.report({
      loc: misplaced[0]!.key.loc,
      messageId,
      data: { ...extensionNames(ext), keys, these: misplaced.length === 1 ? "it belongs" : "they belong" },
      suggest: edits ? [{ messageId: "wrapInProperties", data: { keys }, fix: declareFix(() => paths, () => edits) }] : [],
    });
  }

  /** Type/name segment agreement of child extension resources. */
  checkSegments(ext: ExtensionInfo): void {
    const res = ext.resource;
    if (!res?.namePieces || !res.declaredType || !res.nameProperty) return;
    const segments = splitSegments(res.namePieces);
    const opaque = segments.some((s) => s.some((p) => "expr" in p));
    const nested = ext.placement === "vm-nested-child" || ext.placement === "vmss-nested-child";
    const full = res.declaredType.includes("/");
    if (!nested && !full && res.typeProperty) {
      this.reportShortType(ext, res.typeProperty.value, segments.length === 1 && !opaque);
      return;
    }
    if (nested && full && segments.length === 1 && !opaque && res.typeProperty) {
      const typeNode = res.typeProperty.value;
      // The short type keeps the deployment only when the full type is the parent's own extension
      // type; another machine's type is reported as such, without a fix.
      const ownType = res.parent?.type && asciiLower(res.declaredType) === `${asciiLower(res.parent.type)}/extensions`;
      this.report({
        loc: typeNode.loc,
        messageId: ownType ? "nestedFullType" : "nestedOtherType",
        data: segmentData(ext, res.declaredType),
        fix: ownType ? declareFix(() => [jsonPointer(typeNode)], (fixer) => replaceNode(fixer, typeNode, JSON.stringify("extensions"))) : null,
      });
      return;
    }
    const expected = nested && !full ? 1 : 2;
    const wrong = segments.length > expected || (segments.length < expected && !opaque);
    if (!wrong) return;
    this.report({
      loc: res.nameProperty.value.loc,
      messageId: nested ? "nestedNameSegments" : "topLevelNameSegments",
      data: { ...segmentData(ext, res.declaredType), count: segmentCount(segments.length), expected: segmentCount(expected) },
    });
  }

  /**
   * A top-level extension with a nested child's type. The type is fixed when the name's first
   * segment names a VM of the same template: the template did not deploy before, and after the fix
   * it deploys the extension on that VM.
   */
  /** The name keys of the file's scale sets (see nameKey), worked out on first use. */
  scaleSetNames(): ReadonlySet<string> {
    if (!this.scaleSets) {
      this.scaleSets = new Set();
      for (const m of this.model.machines) if (m.kind === "vmss" && m.resource.namePieces?.length) this.scaleSets.add(nameKey(m.resource.namePieces));
    }
    return this.scaleSets;
  }

  reportShortType(ext: ExtensionInfo, typeNode: AST.JSONExpression, oneSegment: boolean): void {
    const parent = ext.parent?.kind === "vm" && ext.parent.resource.template === ext.template ? ext.parent.resource : null;
    // Not when a scale set of the same name is declared too: the extension may be meant for it.
    const pieces = parent?.namePieces;
    const vm = !!pieces && pieces.length > 0 && !this.scaleSetNames().has(nameKey(pieces));
    // A one-segment name names no parent: with the full type alone, the name is then wrong.
    const rename = oneSegment ? "; its one-segment name must then name the parent too ('<parent name>/<extension name>'), or move the extension into its parent's resources" : "";
    this.report({
      loc: typeNode.loc,
      messageId: "topLevelShortType",
      data: { ...extensionNames(ext), rename },
      fix: vm ? declareFix(() => [jsonPointer(typeNode)], (fixer) => replaceNode(fixer, typeNode, JSON.stringify("Microsoft.Compute/virtualMachines/extensions"))) : null,
    });
  }

  /**
   * `forceUpdateTag` on the DSC entry (or, with allowScaleSetChildResource, the DSC child resource)
   * of a scale set whose instances never pick up model changes by themselves: templates change the tag to run the configuration again, which then reaches only
   * instances upgraded by hand (or created later).
   */
  checkForceUpdate(ext: ExtensionInfo): void {
    if (!ext.isDsc) return;
    const tag = extensionProperty(ext, "forceUpdateTag");
    if (!tag) return;
    // A child resource of a Manual scale set is scaleSetChild's report, unless the option allows it.
    const child = ext.placement === "vmss-nested-child" || ext.placement === "vmss-top-level";
    const own = ext.placement === "vmss-profile" || (child && this.options.allowScaleSetChildResource) ? ext.parent : null;
    // A profile entry that several scale sets read: the first Manual one.
    const machines = [own, ...ext.alsoIn.filter((place) => place.placement === "vmss-profile").map((place) => place.parent)];
    for (const machine of machines) {
      // A scale set no deployment of the file deploys is an existing one: its policy is unknown.
      if (!machine || machine.resource.existing || machine.undeployed) continue;
      const mode = manualMode(machine);
      if (mode === null) continue;
      const parent = machine === ext.parent ? extensionNames(ext).parent : parentText(machine.kind, displayName(machine.resource));
      this.report({ loc: tag.key.loc, messageId: "manualForceUpdate", data: { name: ext.name, parent, mode } });
      return;
    }
  }

  /** DSC as a scale-set child resource while the scale set's instances never pick up model changes. */
  checkScaleSetChild(ext: ExtensionInfo): void {
    if (this.options.allowScaleSetChildResource || !ext.isDsc || !ext.resource?.typeProperty) return;
    if (ext.placement !== "vmss-nested-child" && ext.placement !== "vmss-top-level") return;
    // The parent is in this template or an enclosing one, which deploys it before its nested deployments run.
    const machine = ext.parent;
    if (!machine || machine.resource.existing || machine.undeployed) return;
    const mode = manualMode(machine);
    if (mode === null) return;
    this.report({
      loc: ext.resource.typeProperty.value.loc,
      messageId: "scaleSetChild",
      data: { ...extensionNames(ext), mode },
    });
  }
}

/**
 * True when an entry-level `type` is the resource type copied from a resource declaration (its
 * value contains '/', or `properties.type` exists too) rather than the extension type put one
 * level too high.
 */
function isResourceType(ext: ExtensionInfo, prop: AST.JSONProperty): boolean {
  if (findProperty(ext.properties, "type")) return true;
  const values = possibleValues(evaluateNode(prop.value, ext.scope));
  return values.some((v) => typeof v === "string" && v.includes("/"));
}

/** True when the misplaced keys can move into `properties` without a clash. */
function canWrap(ext: ExtensionInfo, props: AST.JSONProperty[]): boolean {
  const names = props.map((p) => propertyName(p)?.toLowerCase() ?? "");
  if (new Set(names).size !== names.length) return false;
  const target = findProperty(ext.node, "properties");
  if (!target) return true;
  const inner = getObjectValue(ext.node, "properties");
  return inner !== undefined && names.every((n) => !findProperty(inner, n));
}

/** The JSON pointer of member `key` of `obj`, whether or not it exists yet. */
function memberPointer(obj: AST.JSONObjectExpression, key: string): string {
  return `${jsonPointer(obj)}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`. */
function keyList(props: AST.JSONProperty[]): string {
  const keys = props.map((p) => `'${propertyName(p) ?? ""}'`);
  return keys.length > 1 ? `${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]}` : (keys[0] ?? "");
}

/** `one segment`, `3 segments`. */
function segmentCount(n: number): string {
  return n === 1 ? "one segment" : `${n} segments`;
}

/**
 * `Manual`, or why the policy is Manual (`Manual in some deployments` when the deployment chooses
 * it among other modes, as a parameter's `allowedValues` let it); null when it is never Manual
 * before deployment.
 */
function manualMode(machine: MachineInfo): string | null {
  const mode = machine.upgradeMode;
  if (!mode) return "not set (Manual by default)";
  const values = possibleValues(mode);
  // A mode that is null is left out, which is Manual too.
  const manual = values.filter((v) => v === null || (typeof v === "string" && v.toLowerCase() === "manual"));
  if (manual.length === 0) return null;
  return `Manual${manual.length < values.length ? " in some deployments" : ""}${originText(mode)}`;
}

/** Message data of the name/type segment reports (built only for a report: the names may need an evaluation). */
function segmentData(ext: ExtensionInfo, type: string): { name: string; parent: string; type: string; kind: string } {
  return { ...extensionNames(ext), type, kind: ext.parentKind === "vm" ? "virtual machine" : "scale set" };
}

/** The ASCII lower-case forms of `keys`, for lookups of a lower-cased key. */
function lowerSet(keys: readonly string[]): ReadonlySet<string> {
  return new Set(keys.map(asciiLower));
}
