import { createRule, declareFix, TemplateCheck, checkTemplates } from "../lib/rule.js";

import { jsonPointer } from "../lib/json/access.js";
import { extensionNames } from "../lib/template/describe.js";
import { addDependency, dependencyEntry, dependsOnResource } from "../lib/template/depends.js";
import type { ExtensionInfo, ResourceInfo } from "../lib/template/model.js";
import { samePieces } from "../lib/template/names.js";

type MessageIds = "missingDependency";

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
        "DSC extension '{{name}}' does not depend on its parent {{parent}}, which the same template deploys; ARM does not add this dependency for child resources, so the extension may be deployed before its {{kind}} exists.",
    },
  },
  create: (context) => checkTemplates(context, DependsOnParentCheck),
});

/** The checks of one file. */
class DependsOnParentCheck extends TemplateCheck<MessageIds, []> {
  /** Checks the file. */
  run(): void {
    for (const ext of this.model.dscExtensions) this.check(ext);
  }

  /** Reports one extension whose dependsOn misses its parent. */
  check(ext: ExtensionInfo): void {
    const res = ext.resource;
    const parent = ext.parent?.resource;
    if (!res || !parent || !CHILD_PLACEMENTS.has(ext.placement)) return;
    if (parent.existing || parent.template !== res.template) return;
    if (dependsOnResource(res, parent) !== "no") return;
    const entry = dependencyEntry(parent);
    const fixable = entry !== null && copyIndexIsSafe(ext, parent);
    const anchor = res.dependsOn ?? res.nameProperty ?? res.typeProperty;
    this.report({
      loc: anchor ? anchor.key.loc : res.node.loc,
      messageId: "missingDependency",
      data: {
        ...extensionNames(ext),
        kind: ext.parentKind === "vm" ? "virtual machine" : "scale set",
      },
      fix: fixable
        ? declareFix(() => [res.dependsOn ? jsonPointer(res.dependsOn) : `${jsonPointer(res.node)}/dependsOn`], (fixer) =>
            addDependency(this.source, fixer, res, entry),
          )
        : null,
    });
  }
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
  if (res.parent !== null) return true;
  const own = ext.parentNamePieces;
  return res.copyName !== null && own !== null && parent.namePieces !== null && samePieces(own, parent.namePieces);
}
