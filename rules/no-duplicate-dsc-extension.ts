import { createRule, TemplateCheck, checkTemplates } from "../lib/rule.js";
import { findProperty, getValue, isObject, isProperty, isStringLiteral } from "../lib/json/access.js";
import type { AST } from "../lib/json/types.js";
import { evaluateNode, parseStringNode, printExpr } from "../lib/expression/index.js";
import { parentText, possibleValues, sameInEveryDeployment } from "../lib/template/describe.js";
import { ConditionBuilder, mutuallyExclusive, type Formula } from "../lib/template/conditions.js";
import { piecesText, samePieces, splitSegments, stringPieces, type Piece } from "../lib/template/names.js";
import { displayName, type ExtensionInfo, type MachineInfo, type MachineKind, type Placement, type ResourceInfo, type TemplateInfo } from "../lib/template/model.js";

type MessageIds = "duplicate" | "loopDuplicate";

/** Placements that really deploy an extension (misplaced profiles are extension-placement's business). */
const DEPLOYED = new Set<Placement>(["vm-nested-child", "vm-top-level", "vmss-profile", "vmss-nested-child", "vmss-top-level"]);

/** One DSC extension in one place (a profile entry may be in several, ExtensionInfo.alsoIn) with what the comparison needs. */
interface Candidate {
  ext: ExtensionInfo;
  /** The extension's own name (last name segment), or null when unknown. */
  ownName: Piece[] | null;
  condition: Formula;
  /** For an entry in several places on the machine: each place's condition (`condition` is their `or`). */
  anyOf?: Formula[];
  /** The parent in messages (worked out for a report only: the name may need an evaluation). */
  parent: () => string;
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
      loopDuplicate:
        "DSC extension '{{name}}' is deployed {{count}} times on {{parent}} by its copy loop{{what}}; a machine runs at most one extension per handler, and ARM fails with \"Multiple VMExtensions per handler not supported\". Merge the configurations into one DSC extension, or loop over machines instead.",
    },
  },
  create: (context) => checkTemplates(context, DuplicateCheck),
});

/** The checks of one file. */
class DuplicateCheck extends TemplateCheck<MessageIds, []> {
  /** Reports each DSC extension that lands on a machine that already has one. */
  run(): void {
    const conditions = new ConditionBuilder();
    const groups: Candidate[][] = [];
    const byParent = new Map<unknown, Map<string, Candidate[]>>();
    const inSourceOrder = [...this.model.dscExtensions].sort((a, b) => a.node.range[0] - b.node.range[0]);
    const places: { candidate: Candidate; key: ParentKey | null }[] = [];
    const merged = new MergedConditions();
    for (const ext of inSourceOrder) {
      const own = ownName(ext);
      if (DEPLOYED.has(ext.placement)) {
        this.checkLoop(ext);
        const key = parentKey(ext.parentKind, ext.parent, ext.parentNamePieces, ext.template);
        // One instance of a looped machine is named as the extension names it (`vm0`).
        const instance = key?.looped && ext.parentNamePieces && !samePieces(ext.parentNamePieces, key.looped.resource.namePieces ?? []) ? ext.parentNamePieces : null;
        const candidate = { ext, ownName: own, condition: conditions.ofExtension(ext), parent: () => parentText(ext.parentKind, instance ? piecesText(instance) : ext.parentName) };
        places.push({ candidate, key });
      }
      // The entry's other places: one candidate per machine, deployed where any of its places is.
      const onMachine = new Map<MachineInfo, Candidate>();
      for (const { parent: machine, placement, branches } of ext.alsoIn) {
        if (!DEPLOYED.has(placement) || machine.undeployed) continue;
        const condition = conditions.ofPlace(machine.resource, branches);
        const first = machine === ext.parent && DEPLOYED.has(ext.placement) ? places.at(-1)!.candidate : onMachine.get(machine);
        if (first) {
          merged.add(first, condition);
          continue;
        }
        const candidate = { ext, ownName: own, condition, parent: () => parentText(machine.kind, displayName(machine.resource)) };
        onMachine.set(machine, candidate);
        places.push({ candidate, key: parentKey(machine.kind, machine, machine.resource.namePieces, machine.resource.template) });
      }
    }
    const loopedMachines = new Set<MachineInfo>();
    for (const { candidate, key } of places) {
      if (key === null) {
        groups.push([candidate]);
        continue;
      }
      if (key.looped) loopedMachines.add(key.looped);
      let byName = byParent.get(key.owner);
      if (!byName) byParent.set(key.owner, (byName = new Map()));
      const group = byName.get(key.name);
      if (group) group.push(candidate);
      else {
        const created = [candidate];
        byName.set(key.name, created);
        groups.push(created);
      }
    }
    // The extensions a looped machine's every instance gets (named by its own name) are also on the
    // one instance that another group names (`vm0`): they come first there, so the report is on
    // that instance's own extension.
    for (const machine of loopedMachines) {
      const byName = byParent.get(machine);
      if (!byName || !machine.resource.namePieces) continue;
      const own = byName.get(`${machine.kind}\u0000${piecesKey(machine.resource.namePieces)}`);
      const every = own?.filter((c) => this.onEveryInstance(c.ext, machine)) ?? [];
      if (every.length === 0) continue;
      for (const group of byName.values()) if (group !== own) group.unshift(...every);
    }
    for (const group of groups) {
      const switches = new SwitchValues();
      for (let i = 0; i < group.length; i++) {
        const current = group[i]!;
        // One switch with one value each (`equals(parameters('mode'), 'web')`, ...) never clashes:
        // answered without comparing every pair, which many such extensions would make quadratic.
        const first = switches.excludesAll(current.condition) ? undefined : group.slice(0, i).find((earlier) => clashes(earlier, current));
        switches.add(current.condition);
        if (!first) continue;
        this.report({
          loc: reportNode(current.ext).loc,
          messageId: "duplicate",
          data: {
            name: current.ext.name,
            parent: current.parent(),
            first: first.ext.name,
            line: String(reportNode(first.ext).loc.start.line),
          },
        });
      }
    }
  }

  /**
   * True when an extension named after its looped machine's own name surely lands on every
   * instance: a child declared in the machine's resources, or a top-level one whose copy loop has
   * at least as many iterations as the machine's (the same count, or both known) and whose
   * condition does not pick iterations.
   */
  onEveryInstance(ext: ExtensionInfo, machine: MachineInfo): boolean {
    const resource = ext.resource;
    if (!resource) return false;
    if (resource.parent === machine.resource) return true;
    const condition = findProperty(resource.node, "condition")?.value;
    if (condition && /copyindex/iu.test(this.source.getText(condition))) return false;
    const own = loopOf(ext)?.count;
    const copy = getValue(machine.resource.node, "copy");
    const theirs = isObject(copy) ? getValue(copy, "count") : undefined;
    if (!own || !theirs) return false;
    if (countText(own, this.source.getText(own)) === countText(theirs, this.source.getText(theirs))) return true;
    const [a, b] = [evaluateNode(own, resource.template.scope), evaluateNode(theirs, machine.resource.template.scope)];
    return a.kind === "known" && b.kind === "known" && typeof a.value === "number" && typeof b.value === "number" && a.value >= b.value;
  }

  /** Reports an extension whose own copy loop deploys it more than once on one machine. */
  checkLoop(ext: ExtensionInfo): void {
    const loop = loopOf(ext);
    if (!loop) return;
    // A loop that picks the machine, or the iteration that deploys, by its index does not repeat it on one.
    if (!ext.fromPropertyCopy) {
      const parent = ext.parentNamePieces;
      if (!parent || parent.some((p) => "expr" in p && p.expr.includes("copyindex")) || (ext.parent && isLooped(ext.parent.resource))) return;
    }
    const condition = ext.resource ? findProperty(ext.resource.node, "condition")?.value : undefined;
    if (condition && /copyindex/iu.test(this.source.getText(condition))) return;
    const value = evaluateNode(loop.count, ext.resource?.template.scope ?? ext.scope);
    const counts = possibleValues(value);
    if (!counts.length || !sameInEveryDeployment(value) || !counts.every((c) => typeof c === "number" && c >= 2)) return;
    this.report({
      loc: loop.count.loc,
      messageId: "loopDuplicate",
      data: {
        name: ext.name,
        parent: parentText(ext.parentKind, ext.parentName),
        count: counts.length === 1 ? String(counts[0]) : `${Math.min(...(counts as number[]))} or more`,
        what: ext.fromPropertyCopy ? " (a property copy of the profile's extensions)" : "",
      },
    });
  }
}

/** A copy count as text that is equal for the same count: an expression printed canonically (in lower case). */
function countText(node: AST.JSONExpression, written: string): string {
  const parsed = isStringLiteral(node) ? parseStringNode(node) : null;
  return parsed?.kind === "expression" ? printExpr(parsed.expr).toLowerCase() : written;
}

/** The `count` of the copy loop that repeats an extension: the resource's own, or the property copy its profile entry comes from. */
function loopOf(ext: ExtensionInfo): { count: AST.JSONExpression } | null {
  let loop: AST.JSONNode | undefined;
  if (ext.fromPropertyCopy) {
    const input = ext.node.parent;
    loop = isProperty(input) ? input.parent : undefined;
  } else if (ext.resource) {
    loop = findProperty(ext.resource.node, "copy")?.value;
  }
  const count = isObject(loop) ? findProperty(loop, "count")?.value : undefined;
  return count ? { count } : null;
}

/** See {@link parentKey}. */
interface ParentKey {
  owner: unknown;
  name: string;
  /** The owner, when it is a machine in a copy loop. */
  looped?: MachineInfo;
}

/**
 * The grouping key of an extension's machine: two extensions land on the same machine exactly when
 * their keys are equal: the same declared VM or scale set (a parent in a copy loop stands for several
 * machines, so both must also name the same one), or, for top-level children whose parent is not
 * declared, the same parent name (`pieces`) in the same template. Null when the extension matches
 * no other.
 */
function parentKey(kind: MachineKind, parent: MachineInfo | null, pieces: Piece[] | null, template: TemplateInfo): ParentKey | null {
  if (parent) {
    if (!isLooped(parent.resource)) return { owner: parent, name: kind };
    return pieces !== null && pieces.length > 0 ? { owner: parent, name: `${kind}\u0000${piecesKey(pieces)}`, looped: parent } : null;
  }
  return pieces && pieces.length > 0 ? { owner: template, name: `${kind}\u0000${piecesKey(pieces)}` } : null;
}

/** A text key of pieces: equal exactly when {@link samePieces} holds (for non-empty pieces). */
function piecesKey(pieces: Piece[]): string {
  return JSON.stringify(pieces.map((p) => ("lit" in p ? `l${p.lit.toLowerCase()}` : `e${p.expr}`)));
}

/** True when a resource is declared once per iteration of a copy loop. */
function isLooped(res: ResourceInfo): boolean {
  return res.copyName !== null || (res.namePieces?.some((p) => "expr" in p && p.expr.startsWith("copyindex(")) ?? false);
}

/**
 * The conditions of an entry's places on one machine, merged into its candidate's: it deploys there
 * where any of them holds. One `or` per candidate, built here (the builder's formulas are shared),
 * each distinct condition once.
 */
class MergedConditions {
  private readonly keys = new Map<Candidate, Set<string>>();

  /** Adds `condition` to the candidate's (see Candidate.anyOf). */
  add(candidate: Candidate, condition: Formula): void {
    const key = JSON.stringify(condition);
    let seen = this.keys.get(candidate);
    if (!seen) {
      const own = JSON.stringify(candidate.condition);
      if (own === key) return;
      seen = new Set([own]);
      this.keys.set(candidate, seen);
      candidate.anyOf = [candidate.condition];
      candidate.condition = { kind: "or", operands: candidate.anyOf };
    }
    if (seen.has(key)) return;
    seen.add(key);
    candidate.anyOf!.push(condition);
  }
}

/** Most pairs of place conditions {@link clashes} compares one by one (past it, their `or`s at once). */
const MAX_PLACE_PAIRS = 1024;

/** True when `b` is a different DSC extension than `a` that can deploy together with it. */
function clashes(a: Candidate, b: Candidate): boolean {
  // The same extension name is the same extension (declared twice, or a model entry updated by a child resource).
  if (a.ownName && b.ownName && samePieces(a.ownName, b.ownName)) return false;
  // An entry in several places clashes when one of its places does: compared place by place, each
  // `or` stays within the atoms mutuallyExclusive can try.
  const as = a.anyOf ?? [a.condition];
  const bs = b.anyOf ?? [b.condition];
  if (as.length * bs.length > MAX_PLACE_PAIRS) return !mutuallyExclusive(a.condition, b.condition);
  return as.some((x) => bs.some((y) => !mutuallyExclusive(x, y)));
}

/**
 * The values that the conditions seen so far test one subject for, while each of them is one such
 * test (`subject == value`); a condition that is anything else ends the run.
 */
class SwitchValues {
  private subject: string | null | undefined;
  private readonly values = new Set<string>();

  /** True when `condition` tests the same subject for a value that surely differs from every one seen. */
  excludesAll(condition: Formula): boolean {
    return condition.kind === "atom" && this.subject === condition.subject && !this.values.has(valueKey(condition.value));
  }

  /** Records a condition. */
  add(condition: Formula): void {
    if (condition.kind !== "atom" || (this.subject !== undefined && this.subject !== condition.subject)) {
      this.subject = null;
      return;
    }
    this.subject = condition.subject;
    this.values.add(valueKey(condition.value));
  }
}

/** A key equal for two scalars unless they surely differ (strings compare either way as to case). */
function valueKey(value: unknown): string {
  return typeof value === "string" ? `s${value.toLowerCase()}` : `${typeof value}${JSON.stringify(value)}`;
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
