import { createRule, templateOf } from "../lib/rule.js";
import { findProperty, getValue, isStringLiteral } from "../lib/json/access.js";
import type { AST } from "../lib/json/types.js";
import { parentText } from "../lib/template/describe.js";
import { ConditionBuilder, mutuallyExclusive, type Formula } from "../lib/template/conditions.js";
import { samePieces, splitSegments, stringPieces, type Piece } from "../lib/template/names.js";
import type { ExtensionInfo, Placement, ResourceInfo } from "../lib/template/model.js";

type MessageIds = "duplicate";

/** Placements that really deploy an extension (misplaced profiles are extension-placement's business). */
const DEPLOYED = new Set<Placement>(["vm-nested-child", "vm-top-level", "vmss-profile", "vmss-nested-child", "vmss-top-level"]);

/** One DSC extension with what the comparison needs. */
interface Candidate {
  ext: ExtensionInfo;
  /** The extension's own name (last name segment), or null when unknown. */
  ownName: Piece[] | null;
  condition: Formula;
}

export default createRule<[], MessageIds>({
  name: "no-duplicate-dsc-extension",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow a second DSC extension on the same virtual machine or scale-set model",
      recommended: true,
    },
    schema: [],
    messages: {
      duplicate:
        "DSC extension '{{name}}' is a second DSC extension on {{parent}}, after '{{first}}' (line {{line}}); a machine runs at most one extension per handler, and ARM fails with \"Multiple VMExtensions per handler not supported\". Merge the configurations into one DSC extension.",
    },
  },
  create(context) {
    const model = templateOf(context);
    if (!model) return {};

    return {
      Program() {
        const conditions = new ConditionBuilder();
        const groups: Candidate[][] = [];
        const inSourceOrder = [...model.dscExtensions].sort((a, b) => a.node.range[0] - b.node.range[0]);
        for (const ext of inSourceOrder) {
          if (!DEPLOYED.has(ext.placement)) continue;
          const candidate: Candidate = { ext, ownName: ownName(ext), condition: conditions.ofExtension(ext) };
          const group = groups.find((g) => sameParent(g[0]!.ext, ext));
          if (group) group.push(candidate);
          else groups.push([candidate]);
        }
        for (const group of groups) {
          for (let i = 1; i < group.length; i++) {
            const current = group[i]!;
            const first = group.slice(0, i).find((earlier) => clashes(earlier, current));
            if (!first) continue;
            context.report({
              loc: reportNode(current.ext).loc,
              messageId: "duplicate",
              data: {
                name: current.ext.name,
                parent: parentText(current.ext.parentKind, current.ext.parentName),
                first: first.ext.name,
                line: String(reportNode(first.ext).loc.start.line),
              },
            });
          }
        }
      },
    };
  },
});

/**
 * True when two extensions land on the same machine: the same declared VM or scale set, or, for
 * top-level children whose parent is not declared, the same parent name in the same template.
 */
function sameParent(a: ExtensionInfo, b: ExtensionInfo): boolean {
  if (a.parentKind !== b.parentKind) return false;
  if (a.parent || b.parent) {
    if (a.parent !== b.parent) return false;
    // A parent in a copy loop stands for several machines: both must name the same one.
    if (!isLooped(a.parent!.resource)) return true;
    return a.parentNamePieces !== null && b.parentNamePieces !== null && samePieces(a.parentNamePieces, b.parentNamePieces);
  }
  if (a.template !== b.template || !a.parentNamePieces || !b.parentNamePieces) return false;
  return samePieces(a.parentNamePieces, b.parentNamePieces);
}

/** True when a resource is declared once per iteration of a copy loop. */
function isLooped(res: ResourceInfo): boolean {
  return res.copyName !== null || (res.namePieces?.some((p) => "expr" in p && p.expr.startsWith("copyindex(")) ?? false);
}

/** True when `b` is a different DSC extension than `a` that can deploy together with it. */
function clashes(a: Candidate, b: Candidate): boolean {
  // The same extension name is the same extension (declared twice, or a model entry updated by a child resource).
  if (a.ownName && b.ownName && samePieces(a.ownName, b.ownName)) return false;
  return !mutuallyExclusive(a.condition, b.condition);
}

/** The extension's own name: a profile entry's name, a resource's last name segment. */
function ownName(ext: ExtensionInfo): Piece[] | null {
  if (ext.resource) {
    const segments = ext.resource.namePieces ? splitSegments(ext.resource.namePieces) : null;
    return segments?.at(-1) ?? null;
  }
  const name = getValue(ext.node, "name");
  return isStringLiteral(name) ? stringPieces(name.value, ext.scope) : null;
}

/** Where to report: the extension's name value, else its `properties.type`, else the object. */
function reportNode(ext: ExtensionInfo): AST.JSONNode {
  return findProperty(ext.node, "name")?.value ?? findProperty(ext.properties, "type")?.value ?? ext.node;
}
