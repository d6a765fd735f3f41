import { createRule, declareFix, TemplateCheck, checkTemplates } from "../lib/rule.js";

import { jsonPointer } from "../lib/json/access.js";
import { extensionNames } from "../lib/template/describe.js";
import { addDependency, dependencyEntry, dependsOnResource } from "../lib/template/depends.js";
import { displayName, type ExtensionInfo, type ResourceInfo, type TemplateInfo } from "../lib/template/model.js";
import { samePieces } from "../lib/template/names.js";

type MessageIds = "missingDependency" | "deploymentMissingDependency";

/** Placements in which an extension is a resource of its own (and so needs an explicit dependency). */
const CHILD_PLACEMENTS = new Set<ExtensionInfo["placement"]>([
  "vm-nested-child",
  "vm-top-level",
  "vmss-nested-child",
  "vmss-top-level",
]);

export default createRule<[], MessageIds>({
  name: "extension-depends-on-parent",
  meta: {
    type: "problem",
    docs: {
      description: "Require a DSC child extension to depend on its virtual machine or scale set when both are in the same template",
      recommended: true,
    },
    fixable: "code",
    schema: [],
    messages: {
      missingDependency:
        "DSC extension '{{name}}' does not depend on its parent {{parent}}, which the same template deploys; ARM does not add this dependency for child resources, so the extension may be deployed before its {{kind}} exists{{inTurn}}.",
      deploymentMissingDependency:
        "Nested deployment '{{deployment}}' does not depend on {{parent}}, which this template deploys, but it deploys DSC extension '{{name}}' on it; ARM runs the deployment alongside the {{kind}}, so the extension may be deployed before its {{kind}} exists{{inTurn}}.",
    },
  },
  create: (context) => checkTemplates(context, DependsOnParentCheck),
});

/** The checks of one file. */
class DependsOnParentCheck extends TemplateCheck<MessageIds, []> {
  /** Nested deployments already reported, with the parent each misses. */
  declare private reported: Set<string>;

  /** Checks the file. */
  run(): void {
    this.reported = new Set();
    for (const ext of this.model.dscExtensions) this.check(ext);
  }

  /** Reports one extension whose dependsOn misses its parent. */
  check(ext: ExtensionInfo): void {
    const res = ext.resource;
    const parent = ext.parent?.resource;
    // A machine that no deployment of the file deploys is one that exists already: no race.
    if (!res || !parent || !CHILD_PLACEMENTS.has(ext.placement) || parent.existing || ext.parent?.undeployed) return;
    if (parent.template !== res.template) {
      this.checkDeployment(ext, res.template, parent);
      return;
    }
    if (dependsOnResource(res, parent) !== "no") return;
    this.reportMissing(res, parent, copyIndexIsSafe(ext, parent), "missingDependency", extensionNames(ext), ext);
  }

  /**
   * An extension whose parent an enclosing template deploys: ARM orders only the resources of one
   * template, so the nested deployment that holds the extension (in the parent's template) must
   * depend on the parent. Reported once per deployment and parent, on the deployment.
   */
  checkDeployment(ext: ExtensionInfo, template: TemplateInfo, parent: ResourceInfo): void {
    const holder = deploymentIn(template, parent.template);
    if (!holder || dependsOnResource(holder, parent) !== "no") return;
    const key = `${jsonPointer(holder.node)} ${jsonPointer(parent.node)}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    // A looping parent's name means one machine per index, which the deployment's scope cannot pick.
    const safe = !(parent.nameText?.toLowerCase().includes("copyindex") ?? false);
    this.reportMissing(holder, parent, safe, "deploymentMissingDependency", { ...extensionNames(ext), deployment: displayName(holder) }, ext);
  }

  /** Reports `res` (the extension, or the deployment that holds it) without a dependency on `parent`; `safe`: the fix may name it. */
  reportMissing(res: ResourceInfo, parent: ResourceInfo, safe: boolean, messageId: MessageIds, data: Record<string, string>, ext: ExtensionInfo): void {
    const kind = ext.parentKind === "vm" ? "virtual machine" : "scale set";
    // The parent waits for `res` already: the dependency alone would make a cycle, which ARM rejects.
    const back = dependsOnResource(parent, res);
    const cycle = back !== "no";
    const depends = back === "yes" ? "depends" : "may depend";
    const inTurn = cycle ? `, and the ${kind} ${depends} on the ${res === ext.resource ? "extension" : "deployment"} in turn (directly or through other resources): drop that dependency first` : "";
    const entry = safe && !cycle ? dependencyEntry(parent) : null;
    const anchor = res.dependsOn ?? res.nameProperty ?? res.typeProperty;
    this.report({
      loc: anchor ? anchor.key.loc : res.node.loc,
      messageId,
      data: { ...data, kind, inTurn },
      fix:
        entry !== null
          ? declareFix(() => [res.dependsOn ? jsonPointer(res.dependsOn) : `${jsonPointer(res.node)}/dependsOn`], (fixer) =>
              addDependency(this.source, fixer, res, entry),
            )
          : null,
    });
  }
}

/**
 * The nested deployment of `ancestor` that holds `template` (itself, or one of the deployments that
 * enclose it); null when `ancestor` does not enclose `template`.
 */
function deploymentIn(template: TemplateInfo, ancestor: TemplateInfo): ResourceInfo | null {
  for (let at: TemplateInfo | null = template; at; at = at.parent) {
    if (at.parent === ancestor) return at.deployment;
  }
  return null;
}

/**
 * True when the parent's name expression means the same thing inside the extension. A name built
 * with `copyIndex()` names one VM per index, so it is the extension's own parent only when the
 * extension iterates with it: as a nested child of the looping parent, or in a copy loop of its own
 * whose name gives the parent's part exactly as the parent's name does. `[concat('vm',
 * copyIndex(1), '/dsc')]` names VM i + 1 at index i, and `[concat('vm', '2/dsc')]` in a loop of one
 * names VM 2, where the parent's `[concat('vm', copyIndex())]` would name VM 0. A call that names a
 * loop (`copyIndex('vmLoop')`) is never taken as safe.
 */
function copyIndexIsSafe(ext: ExtensionInfo, parent: ResourceInfo): boolean {
  const lower = parent.nameText?.toLowerCase() ?? "";
  if (!lower.includes("copyindex")) return true;
  if (/copyindex\s*\(\s*'/u.test(lower)) return false;
  const res = ext.resource!;
  // A nested child iterates with the resource it is declared in, which is its parent unless its
  // name names another machine (a child of the other machine kind, found by name).
  if (res.parent !== null) return res.parent === parent;
  const own = ext.parentNamePieces;
  return res.copyName !== null && own !== null && parent.namePieces !== null && samePieces(own, parent.namePieces);
}
