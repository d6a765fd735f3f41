import type { AST, JsonToken } from "../json/types.js";
import {
  asciiLower,
  findEachProperty,
  findProperty,
  getArrayValue,
  getObjectValue,
  getValue,
  isArray,
  isObject,
  isStringLiteral,
  propertyName,
  rootExpression,
} from "../json/access.js";
import {
  callName,
  evaluateExpr,
  evaluateNode,
  isExpressionString,
  isJsonNode,
  parseStringNode,
  startParseCacheFile,
  writtenValues,
  type EvalScope,
  type Expr,
  type ParameterDecl,
  type Value,
} from "../expression/index.js";
import { TemplateScope } from "./scope.js";
import { hasCopyIndex, matchSkeleton, nameKey, namesMatch, piecesText, splitSegments, stringPieces, type Piece } from "./names.js";
import { dscSettingsView, type DscSettingsView } from "./dsc.js";
import { ConditionBuilder, neverTrue } from "./conditions.js";
import { sameInEveryDeployment, UNKNOWN_PARENT } from "./describe.js";

export type FileKind = "deploymentTemplate" | "deploymentParameters" | "other";
export type DeploymentLevel = "resourceGroup" | "subscription" | "managementGroup" | "tenant";

/** One template: the root, or the inline `properties.template` of a nested deployment. */
export interface TemplateInfo {
  node: AST.JSONObjectExpression;
  parent: TemplateInfo | null;
  /** The `Microsoft.Resources/deployments` resource that holds this template (null for the root). */
  deployment: ResourceInfo | null;
  /** `inner` when the nested deployment evaluates expressions in its own scope. */
  evaluation: "root" | "inner" | "outer";
  languageVersion: string | null;
  /** The scope expressions written in this template are evaluated in. */
  scope: TemplateScope;
  /** This template's own declarations (differs from `scope` under outer evaluation). */
  ownScope: TemplateScope;
  resources: ResourceInfo[];
}

/** A resource declaration anywhere in the file. */
export interface ResourceInfo {
  node: AST.JSONObjectExpression;
  template: TemplateInfo;
  /** The enclosing resource when declared in another resource's `resources`. */
  parent: ResourceInfo | null;
  /** The key under languageVersion 2.0 object-shaped `resources`. */
  symbolicName: string | null;
  /** `type` as written (null when not a string). */
  declaredType: string | null;
  /** Full type: nested one-segment types are prefixed with the parent's type. */
  type: string | null;
  typeProperty: AST.JSONProperty | undefined;
  nameProperty: AST.JSONProperty | undefined;
  /** `name` as written, for messages. */
  nameText: string | null;
  /** `name` as pieces (literal where known, canonical expressions elsewhere). */
  namePieces: Piece[] | null;
  existing: boolean;
  copyName: string | null;
  properties: AST.JSONObjectExpression | undefined;
  dependsOn: AST.JSONProperty | undefined;
}

export type MachineKind = "vm" | "vmss";

/** A virtual machine or a scale set. */
export interface MachineInfo {
  kind: MachineKind;
  resource: ResourceInfo;
  /** `properties.upgradePolicy.mode` of a scale set, evaluated (undefined when absent; null where a deployment leaves it out). */
  upgradeMode: Value | undefined;
  /**
   * True when no deployment of the file deploys the machine (see dropUndeployed): it is left out
   * of `machines`, but its extensions (whose own conditions may hold) still name it as their parent.
   */
  undeployed?: true;
}

export type Placement =
  | "vm-nested-child"
  | "vm-top-level"
  | "vmss-profile"
  | "vmss-nested-child"
  | "vmss-top-level"
  | "vm-profile"
  | "vmss-misplaced-profile";

/** A further place of a profile entry (see ExtensionInfo.alsoIn). */
export interface EntryPlace {
  parent: MachineInfo;
  placement: Placement;
  branches: readonly Branch[];
}

/** An extension in any placement, with the facts every rule asks about. */
export interface ExtensionInfo {
  /** The extension object: a resource or a profile entry (or a property-copy `input`). */
  node: AST.JSONObjectExpression;
  placement: Placement;
  parentKind: MachineKind;
  /**
   * The VM or scale set this extension deploys to, when it is declared in the same template, or
   * (with a fully known name) in an enclosing one.
   */
  parent: MachineInfo | null;
  /** Parent name pieces (from the enclosing machine or the first name segment). */
  parentNamePieces: Piece[] | null;
  /**
   * True when the parent is found by the extension's name: a top-level child, or a nested child
   * that the resource it is declared in does not parent (another machine's type with a full name,
   * or a child nested in a NIC).
   */
  readonly parentByName: boolean;
  /** Set when the extension is a resource. */
  resource: ResourceInfo | null;
  template: TemplateInfo;
  scope: EvalScope;
  /** `properties` of the extension (for profile entries: the entry's `properties`). */
  properties: AST.JSONObjectExpression | undefined;
  /** Name for messages. */
  name: string;
  /** Name of the parent for messages. */
  parentName: string;
  /** Set for profile entries produced by a property copy loop. */
  fromPropertyCopy: boolean;
  /**
   * The `if()` choices on the way to a profile entry that a list built by an expression holds
   * (`if(p, createArray(variables('dsc')), createArray())`): it deploys only where each test went
   * the way taken. Empty for everything else.
   */
  branches: readonly Branch[];
  /**
   * The other places a profile entry is reached: an entry written once (in a variable) that two
   * scale sets read, or that one list reaches twice (`concat(if(p, [a], [b]), [a])`), is one
   * extension, which the rules check once, for its first place; a check that depends on the place
   * (a second DSC extension on the same scale set) looks at these too. Empty for everything else.
   */
  alsoIn: readonly EntryPlace[];
  /** The misplaced profile path (`properties.extensionProfile`, ...), for misplaced entries. */
  profilePath: string | null;
  publisher: Value | undefined;
  extensionType: Value | undefined;
  isDsc: boolean;
  dsc: DscSettingsView | undefined;
}

/** Everything the rules know about one file. */
export interface TemplateModel {
  kind: FileKind;
  level: DeploymentLevel | null;
  root: AST.JSONObjectExpression | undefined;
  /** The file's tokens (comments excluded), for scans of every string; null when the AST has none. */
  tokens: readonly JsonToken[] | null;
  /** The file's source text, which the tokens' ranges index (see lib/json/tokens.ts). */
  text: string;
  templates: TemplateInfo[];
  resources: ResourceInfo[];
  machines: MachineInfo[];
  extensions: ExtensionInfo[];
  dscExtensions: ExtensionInfo[];
  /** Extensions that no deployment of the file deploys (see dropUndeployed), left out of the lists above. */
  undeployed: ExtensionInfo[];
  /**
   * Values the model read through an expression, where they are written (a scale set's
   * `"extensions": "[variables('exts')]"`): other expressions may read them too, so no autofix
   * edits them (see TemplateCheck.report).
   */
  shared: AST.JSONExpression[];
}

const VM = "microsoft.compute/virtualmachines";
const VMSS = "microsoft.compute/virtualmachinescalesets";
/** Resource types whose `properties` the model reads (lower case; `extensions` is a nested child's short type). */
const MACHINE_AND_EXTENSION_TYPES: ReadonlySet<string> = new Set([VM, VMSS, `${VM}/extensions`, `${VMSS}/extensions`, "extensions"]);
const DEPLOYMENTS = "microsoft.resources/deployments";
/** Resource nesting deeper than this is not ARM (child resources nest at most five levels). */
const MAX_RESOURCE_DEPTH = 16;
/** Nested deployments deeper than this are not followed. */
const MAX_TEMPLATE_DEPTH = 16;

const models = new WeakMap<object, TemplateModel>();

/** The keys of a resource the model reads, in the order `resource` unpacks them. */
const RESOURCE_KEYS = ["type", "name", "existing", "copy", "properties", "dependsOn", "resources"] as const;

/** The model of the file behind `ast` (a jsonc `Program`) and its source `text`, built once and cached. */
export function getTemplateModel(ast: unknown, text: string): TemplateModel {
  const key = ast as object;
  let model = models.get(key);
  if (!model) {
    startParseCacheFile(key);
    model = buildModel(ast as AST.JSONProgram, text);
    models.set(key, model);
  }
  return model;
}

/**
 * Classifies a `$schema` value: a file of `schema.management.azure.com` (or of
 * `schema.management.azure.cn`, which Azure China's documentation writes), or the 2015 preview form
 * `http://schemas.microsoft.org/azure/deploymentTemplate?api-version=2015-01-01#` that early
 * templates still carry.
 */
export function classifySchema(schema: string): { kind: FileKind; level: DeploymentLevel | null } {
  const lower = schema.toLowerCase();
  if (/^https?:\/\/schemas\.microsoft\.org\/azure\/deploymenttemplate(?:[?#]|$)/u.test(lower)) {
    return { kind: "deploymentTemplate", level: "resourceGroup" };
  }
  const file = lower.slice(lower.lastIndexOf("/") + 1).replace(/#.*$/u, "");
  if (!lower.includes("schema.management.azure.com") && !lower.includes("schema.management.azure.cn")) return { kind: "other", level: null };
  switch (file) {
    case "deploymenttemplate.json":
      return { kind: "deploymentTemplate", level: "resourceGroup" };
    case "subscriptiondeploymenttemplate.json":
      return { kind: "deploymentTemplate", level: "subscription" };
    case "managementgroupdeploymenttemplate.json":
      return { kind: "deploymentTemplate", level: "managementGroup" };
    case "tenantdeploymenttemplate.json":
      return { kind: "deploymentTemplate", level: "tenant" };
    case "deploymentparameters.json":
    case "subscriptiondeploymentparameters.json":
      return { kind: "deploymentParameters", level: null };
    default:
      return { kind: "other", level: null };
  }
}

/** Builds the model: one look at `$schema`, then a walk of the resources only. */
function buildModel(program: AST.JSONProgram, text: string): TemplateModel {
  const root = rootExpression(program);
  const model: TemplateModel = {
    kind: "other",
    level: null,
    root: isObject(root) ? root : undefined,
    tokens: null,
    text,
    templates: [],
    resources: [],
    machines: [],
    extensions: [],
    dscExtensions: [],
    undeployed: [],
    shared: [],
  };
  if (!model.root) return model;
  const schema = getValue(model.root, "$schema");
  if (schema?.type !== "JSONLiteral" || typeof schema.value !== "string") return model;
  Object.assign(model, classifySchema(schema.value));
  if (model.kind === "other") return model;
  // jsonc-eslint-parser and eslint-json-compat-utils always give the token list.
  if (Array.isArray(program.tokens)) model.tokens = program.tokens;
  if (model.kind !== "deploymentTemplate") return model;
  new ModelBuilder(model).template(model.root, null, null, "root", 0).linkAncestorParents();
  dropUndeployed(model);
  return model;
}

/**
 * Leaves out the machines and extensions that no deployment of this file deploys: their
 * `condition`, or an enclosing nested deployment's, is false whatever values the root template's
 * parameters take. A parent resource's condition does not count (ARM does not carry it to child
 * resources), nor does a root parameter's default (a deployment may pass another value). The
 * common case is a module whose caller leaves a switch at the module's default
 * (`"condition": "[parameters('extensionDSCConfig').enabled]"` with `{ "enabled": false }`). No
 * rule looks at what is left out.
 */
function dropUndeployed(model: TemplateModel): void {
  const root = model.templates[0];
  if (!root || (!model.extensions.length && !model.machines.length)) return;
  const conditions = new ConditionBuilder();
  const undeployed = new Set<unknown>();
  for (const item of [...model.machines, ...model.extensions]) {
    if (hasConditions(item.resource ?? null) && neverTrue(conditions.ofResource(item.resource ?? null))) undeployed.add(item);
  }
  if (!undeployed.size) return;
  const indexes = new Map<TemplateInfo, MachineIndex>();
  for (const ext of model.extensions) {
    if (!ext.parent || !undeployed.has(ext.parent)) continue;
    if (ext.resource) {
      if (ext.parentByName) reparent(ext, model, undeployed, indexes);
      continue;
    }
    // A profile entry another scale set reads too is deployed there (in a profile at its right path, if one is).
    const places = ext.alsoIn.map((place, i) => ({ place, i })).filter(({ place }) => !undeployed.has(place.parent));
    const deployed = places.find(({ place }) => place.placement === "vmss-profile") ?? places[0];
    if (deployed && ext instanceof Extension) ext.promote(deployed.i);
    else undeployed.add(ext);
  }
  for (const machine of model.machines) if (undeployed.has(machine)) machine.undeployed = true;
  model.machines = model.machines.filter((m) => !undeployed.has(m));
  model.undeployed = model.extensions.filter((e) => undeployed.has(e));
  model.extensions = model.extensions.filter((e) => !undeployed.has(e));
  model.dscExtensions = model.dscExtensions.filter((e) => !undeployed.has(e));
}

/**
 * Links a child extension found by name (see ExtensionInfo.parentByName) whose parent no
 * deployment deploys to another machine of that name in its template: the first one deployed, else
 * an `existing` declaration (Bicep's new-or-existing pattern: a conditional scale set that this
 * file never deploys, and the existing one the extension then lands on). With none, the undeployed
 * parent stays.
 */
function reparent(ext: ExtensionInfo, model: TemplateModel, undeployed: ReadonlySet<unknown>, indexes: Map<TemplateInfo, MachineIndex>): void {
  const want = ext.parentNamePieces;
  if (!want) return;
  const indexOf = (template: TemplateInfo): MachineIndex => {
    let index = indexes.get(template);
    if (!index) {
      index = new MachineIndex(model.machines.filter((m) => m.resource.template === template && !undeployed.has(m)));
      indexes.set(template, index);
    }
    return index;
  };
  let parent = indexOf(ext.template).find(ext.parentKind, want);
  // An `existing` declaration stands for a machine an enclosing template may deploy (see linkAncestorParents).
  if (!parent || parent.resource.existing) parent = ancestorMachine(ext, want, indexOf) ?? parent;
  if (!parent) return;
  ext.parent = parent;
  ext.parentName = displayName(parent.resource);
}

/**
 * The machine an enclosing template of `ext` deploys under the name `want`, written out in full in
 * both: expressions of two templates are evaluated in different scopes, so their text says
 * nothing. The search stops at a deployment into another resource group or subscription: a
 * machine of the same name above it is another machine.
 */
function ancestorMachine(ext: ExtensionInfo, want: Piece[], indexOf: (template: TemplateInfo) => MachineIndex): MachineInfo | undefined {
  if (want.some((piece) => "expr" in piece)) return undefined;
  for (let template = ext.template; template.parent; template = template.parent) {
    if (template.deployment && deploysElsewhere(template.deployment)) break;
    const parent = indexOf(template.parent).findWritten(ext.parentKind, want);
    if (parent) return parent;
  }
  return undefined;
}

/** Members of a nested deployment that send it to another resource group, subscription or scope. */
const TARGET_MEMBERS: readonly [string, RegExp][] = [
  ["resourceGroup", /^\[\s*resourcegroup\s*\(\s*\)\s*\.\s*name\s*\]$/u],
  ["subscriptionId", /^\[\s*subscription\s*\(\s*\)\s*\.\s*subscriptionid\s*\]$/u],
  ["scope", /^$/u],
];

/**
 * True when a nested deployment may deploy somewhere else than its template does: it names a
 * resource group, subscription or scope, other than by `[resourceGroup().name]` or
 * `[subscription().subscriptionId]`.
 */
export function deploysElsewhere(deployment: ResourceInfo): boolean {
  return TARGET_MEMBERS.some(([key, same]) => {
    const value = findProperty(deployment.node, key)?.value;
    if (!value) return false;
    return !(isStringLiteral(value) && same.test(value.value.toLowerCase()));
  });
}

/**
 * True when the resource or an enclosing deployment has a `condition` (see
 * ConditionBuilder.ofResource), and no enclosing deployment links a parameters file, which may set
 * any of its template's parameters.
 */
function hasConditions(resource: ResourceInfo | null): boolean {
  let found = false;
  for (let res = resource; res; res = res.template.deployment) {
    if (findProperty(res.node, "condition")) found = true;
    const deployment = res.template.deployment;
    if (deployment && findProperty(deployment.properties, "parametersLink")) return false;
  }
  return found;
}

/**
 * A ResourceInfo whose `namePieces` are evaluated on first use: only machines, extensions and
 * `dependsOn` targets are ever asked, and evaluating every name was a third of the model build.
 * A class (not an object literal with a getter, which V8 keeps in slow dictionary mode).
 */
class Resource implements ResourceInfo {
  existing = false;
  copyName: string | null = null;
  properties: AST.JSONObjectExpression | undefined = undefined;
  dependsOn: AST.JSONProperty | undefined = undefined;
  private pieces: Piece[] | null | undefined = undefined;

  /** Records the facts read before the name is needed. */
  constructor(
    readonly node: AST.JSONObjectExpression,
    readonly template: TemplateInfo,
    readonly parent: ResourceInfo | null,
    readonly symbolicName: string | null,
    readonly declaredType: string | null,
    readonly type: string | null,
    readonly typeProperty: AST.JSONProperty | undefined,
    readonly nameProperty: AST.JSONProperty | undefined,
    readonly nameText: string | null,
  ) {}

  /** `name` as pieces, evaluated in the template's scope the first time it is asked. */
  get namePieces(): Piece[] | null {
    if (this.pieces === undefined) this.pieces = this.nameText === null ? null : stringPieces(this.nameText, this.template.scope);
    return this.pieces;
  }

  /** Replaces the name pieces (the interface allows writing them). */
  set namePieces(value: Piece[] | null) {
    this.pieces = value;
  }
}

/** What the walk knows of an extension before it is completed; `name: null` takes the resource's name. */
type ExtensionPartial = Pick<ExtensionInfo, "node" | "placement" | "parentKind" | "resource" | "template" | "properties" | "fromPropertyCopy" | "profilePath"> & {
  branches?: readonly Branch[];
  name: string | null;
  parent?: MachineInfo;
};

/**
 * An ExtensionInfo whose names are worked out on first use: most are only read for a report, and
 * a resource's name may need an evaluation. The parent's name pieces come from the parent known
 * when the extension was recorded, or else from the first segment of the extension's own name
 * (what parent resolution matches on); later resolution does not change them.
 */
class Extension implements ExtensionInfo {
  readonly node: AST.JSONObjectExpression;
  placement: Placement;
  parentKind: MachineKind;
  readonly resource: ResourceInfo | null;
  readonly template: TemplateInfo;
  readonly properties: AST.JSONObjectExpression | undefined;
  readonly fromPropertyCopy: boolean;
  readonly profilePath: string | null;
  branches: readonly Branch[];
  readonly alsoIn: EntryPlace[] = [];
  readonly parentByName: boolean;
  private readonly entryName: string | null;
  private recordedParent: MachineInfo | null;
  private names: { name?: string; parentName?: string; parentNamePieces?: Piece[] | null } = {};

  /** Completes `partial` with the facts the walk worked out. */
  constructor(
    partial: ExtensionPartial,
    public parent: MachineInfo | null,
    readonly scope: EvalScope,
    readonly publisher: Value | undefined,
    readonly extensionType: Value | undefined,
    readonly isDsc: boolean,
    readonly dsc: DscSettingsView | undefined,
  ) {
    this.node = partial.node;
    this.placement = partial.placement;
    this.parentKind = partial.parentKind;
    this.resource = partial.resource;
    this.template = partial.template;
    this.properties = partial.properties;
    this.fromPropertyCopy = partial.fromPropertyCopy;
    this.profilePath = partial.profilePath;
    this.branches = partial.branches ?? [];
    this.entryName = partial.name;
    this.recordedParent = parent;
    this.parentByName = partial.resource !== null && parent === null;
  }

  /**
   * Makes the place `alsoIn[index]` this profile entry's first, the first one taking its place in
   * `alsoIn` (see dropUndeployed: the first scale set that reads the entry is never deployed).
   */
  promote(index: number): void {
    const place = this.alsoIn[index]!;
    this.alsoIn[index] = { parent: this.parent!, placement: this.placement, branches: this.branches };
    this.parent = this.recordedParent = place.parent;
    this.parentKind = place.parent.kind;
    this.placement = place.placement;
    this.branches = place.branches;
    this.names = {};
  }

  /** Name for messages. */
  get name(): string {
    return (this.names.name ??= this.entryName ?? (this.resource ? displayName(this.resource) : "(unnamed)"));
  }

  set name(value: string) {
    this.names.name = value;
  }

  /** Name of the parent for messages. */
  get parentName(): string {
    return (this.names.parentName ??= this.parent ? displayName(this.parent.resource) : UNKNOWN_PARENT);
  }

  set parentName(value: string) {
    this.names.parentName = value;
  }

  /** Parent name pieces (from the parent known when recorded, or the first name segment). */
  get parentNamePieces(): Piece[] | null {
    if (this.names.parentNamePieces === undefined) {
      let pieces: Piece[] | null = this.recordedParent?.resource.namePieces ?? null;
      if (this.resource && !this.recordedParent) {
        const segments = this.resource.namePieces ? splitSegments(this.resource.namePieces) : null;
        if (segments && segments.length > 1) pieces = segments[0] ?? null;
      }
      this.names.parentNamePieces = pieces;
    }
    return this.names.parentNamePieces;
  }

  set parentNamePieces(value: Piece[] | null) {
    this.names.parentNamePieces = value;
  }
}

/** Walks templates and resources and fills a model. */
class ModelBuilder {
  /** Profile entries recorded so far: an entry written once (in a variable) that two scale sets read is one extension (see ExtensionInfo.alsoIn). */
  private readonly recordedEntries = new Map<AST.JSONObjectExpression, Extension>();
  /** The scale-set property copy loop whose `input` is being read (see writtenElements). */
  private propertyLoop: { name: string; input: AST.JSONExpression } | null = null;
  /** The machine of each VM or scale-set resource. */
  private readonly machineOf = new Map<ResourceInfo, MachineInfo>();
  /** Machines and extensions of each template, in model order (so linking parents is linear). */
  private readonly byTemplate = new Map<TemplateInfo, { machines: MachineInfo[]; extensions: ExtensionInfo[] }>();

  /** Starts a builder for `model`. */
  constructor(private readonly model: TemplateModel) {}

  /** The machines and extensions recorded so far for `template`. */
  local(template: TemplateInfo): { machines: MachineInfo[]; extensions: ExtensionInfo[]; index?: MachineIndex } {
    let found = this.byTemplate.get(template);
    if (!found) {
      found = { machines: [], extensions: [] };
      this.byTemplate.set(template, found);
    }
    return found;
  }

  /** Walks one template and its nested deployments. */
  template(
    node: AST.JSONObjectExpression,
    parent: TemplateInfo | null,
    deployment: ResourceInfo | null,
    evaluation: TemplateInfo["evaluation"],
    depth: number,
  ): this {
    const ownScope = new TemplateScope(node);
    const scope = evaluation === "outer" && parent ? parent.scope : ownScope;
    if (evaluation === "inner" && deployment && parent) supplyParameters(ownScope, deployment, parent.scope);
    // A deployment sets the root template's parameters.
    if (!parent) for (const decl of ownScope.parameters.values()) decl.free = true;
    const lv = getValue(node, "languageVersion");
    const info: TemplateInfo = {
      node,
      parent,
      deployment,
      evaluation,
      languageVersion: lv?.type === "JSONLiteral" && lv.value !== null ? String(lv.value) : null,
      scope,
      ownScope,
      resources: [],
    };
    this.model.templates.push(info);
    const resources = getValue(node, "resources");
    const start = info.resources.length;
    this.resourceList(resources, info, null, 0);
    for (const res of info.resources.slice(start)) {
      if (res.type?.toLowerCase() !== DEPLOYMENTS || depth >= MAX_TEMPLATE_DEPTH || !res.properties) continue;
      const inner = getObjectValue(res.properties, "template");
      if (!inner) continue;
      const scopeValue = getValue(getObjectValue(res.properties, "expressionEvaluationOptions"), "scope");
      const isInner =
        scopeValue?.type === "JSONLiteral" &&
        typeof scopeValue.value === "string" &&
        scopeValue.value.toLowerCase() === "inner";
      this.template(inner, info, res, isInner ? "inner" : "outer", depth + 1);
    }
    this.resolveParents(info);
    return this;
  }

  /** Walks a `resources` value: an array, or an object keyed by symbolic name (languageVersion 2.0). */
  resourceList(
    value: AST.JSONExpression | undefined,
    template: TemplateInfo,
    parent: ResourceInfo | null,
    depth: number,
  ): void {
    if (depth > MAX_RESOURCE_DEPTH) return;
    if (isArray(value)) {
      for (const element of value.elements) {
        if (isObject(element)) this.resource(element, template, parent, null, depth);
      }
    } else if (isObject(value)) {
      for (const prop of value.properties) {
        if (isObject(prop.value)) this.resource(prop.value, template, parent, propertyName(prop), depth);
      }
    }
  }

  /** Records one resource, its machines and extensions, and walks its children. */
  resource(
    node: AST.JSONObjectExpression,
    template: TemplateInfo,
    parent: ResourceInfo | null,
    symbolicName: string | null,
    depth: number,
  ): void {
    const [typeProperty, nameProperty, existing, copy, properties, dependsOn, children] = findEachProperty(node, RESOURCE_KEYS);
    const declaredType = stringOf(typeProperty?.value);
    let type = declaredType;
    if (declaredType !== null && parent?.type && !declaredType.includes("/")) type = `${parent.type}/${declaredType}`;
    const nameText = stringOf(nameProperty?.value);
    const res = new Resource(node, template, parent, symbolicName, declaredType, type, typeProperty, nameProperty, nameText);
    res.existing = existing?.value.type === "JSONLiteral" && existing.value.value === true;
    res.copyName = stringOf(getValue(isObject(copy?.value) ? copy.value : undefined, "name"));
    res.properties = isObject(properties?.value) ? properties.value : undefined;
    res.dependsOn = dependsOn;
    template.resources.push(res);
    this.model.resources.push(res);
    const lower = type?.toLowerCase();
    // Bicep compiles `properties: someVariable` to an expression: read the object where it is written.
    if (!res.properties && properties && MACHINE_AND_EXTENSION_TYPES.has(lower ?? "")) res.properties = this.writtenObject(properties.value, template.scope);
    if (lower === VM || lower === VMSS) this.machine(res, lower === VM ? "vm" : "vmss");
    else {
      // A nested child's type outside its parent (`extensions` at the top level) is rejected by ARM
      // and reported by extension-placement; it is taken as a VM extension so that the other rules
      // still check it.
      const short = parent === null && lower === "extensions";
      const declared = lower === `${VMSS}/extensions` ? "vmss" : lower === `${VM}/extensions` || short ? "vm" : null;
      const nested = parent !== null;
      // A child with a one-segment name sits on the machine it is declared in, whatever its full
      // type says (a scale set's extension type in a VM, which ARM rejects and extension-placement
      // reports); with a full name, ARM deploys the type as written.
      const enclosing = nested ? this.machineOf.get(parent)?.kind : undefined;
      const kind = declared && enclosing && enclosing !== declared && oneSegmentName(res) ? enclosing : declared;
      if (kind) {
        this.extension({
          node,
          placement: nested ? (kind === "vm" ? "vm-nested-child" : "vmss-nested-child") : kind === "vm" ? "vm-top-level" : "vmss-top-level",
          parentKind: kind,
          resource: res,
          template,
          properties: res.properties,
          name: null,
          fromPropertyCopy: false,
          profilePath: null,
        });
      }
    }
    this.resourceList(children?.value, template, res, depth + 1);
  }

  /** Records a VM or scale set and the extensions of its profile (right or wrong path). */
  machine(res: ResourceInfo, kind: MachineKind): void {
    const props = res.properties;
    const machine: MachineInfo = { kind, resource: res, upgradeMode: upgradeModeOf(props, res.template.scope) };
    this.model.machines.push(machine);
    if (!this.machineOf.has(res)) this.machineOf.set(res, machine);
    this.local(res.template).machines.push(machine);
    if (!props) return;
    if (kind === "vm") {
      this.profileArrays(getObjectValue(props, "extensionProfile"), "extensions", machine, "properties.extensionProfile", "vm-profile");
      return;
    }
    const scope = res.template.scope;
    const vmProfile = this.writtenObject(getValue(props, "virtualMachineProfile"), scope);
    this.profileArrays(this.writtenObject(getValue(vmProfile, "extensionProfile"), scope), "extensions", machine, null, "vmss-profile");
    this.profileArrays(getObjectValue(props, "extensionProfile"), "extensions", machine, "properties.extensionProfile", "vmss-misplaced-profile");
    this.profileArrays(vmProfile, "extensions", machine, "properties.virtualMachineProfile.extensions", "vmss-misplaced-profile");
  }

  /** Records the extensions of every `key` member of `profile` (lower-case key), and of its property copy loops. */
  profileArrays(
    profile: AST.JSONObjectExpression | undefined,
    key: string,
    machine: MachineInfo,
    path: string | null,
    placement: Placement,
  ): void {
    if (!profile) return;
    for (const prop of profile.properties) {
      if (propertyName(prop)?.toLowerCase() !== key) continue;
      this.profileEntries(prop.value, machine, path, placement, false);
    }
    for (const input of copyInputs(profile, key)) {
      const outer = this.propertyLoop;
      this.propertyLoop = { name: key, input };
      try {
        this.profileEntries(input, machine, path, placement, true);
      } finally {
        this.propertyLoop = outer;
      }
    }
  }

  /** Records the entries of an `extensions` array (or one property-copy `input` object). */
  profileEntries(
    value: AST.JSONExpression,
    machine: MachineInfo,
    profilePath: string | null,
    placement: Placement,
    fromPropertyCopy: boolean,
  ): void {
    const scope = machine.resource.template.scope;
    for (const { node: element, branches } of this.listElements(value, scope, 0)) {
      const entry = element && this.writtenObject(element, scope);
      if (!entry) continue;
      const recorded = this.recordedEntries.get(entry);
      if (recorded) {
        recorded.alsoIn.push({ parent: machine, placement, branches });
        continue;
      }
      const info = this.extension({
        node: entry,
        placement,
        parentKind: machine.kind,
        resource: null,
        template: machine.resource.template,
        properties: this.writtenObject(getValue(entry, "properties"), scope),
        name: stringOf(getValue(entry, "name")) ?? "(unnamed)",
        fromPropertyCopy,
        profilePath,
        parent: machine,
        branches,
      });
      this.recordedEntries.set(entry, info);
    }
  }

  /**
   * The elements of a list written in place, or given by an expression: read where it is written
   * (a variable, say), and through the functions Bicep builds lists with: `createArray()` (each
   * argument an element, read where it is written), `concat()` and `union()` of lists, a variable
   * that builds the list, and the branches of `if()` (`cond ? [dsc] : []`; see exprElements), each
   * element with the `if()` choices on the way to it.
   */
  listElements(value: AST.JSONExpression | Expr, scope: EvalScope, depth: number, branches: readonly Branch[] = []): ListElement[] {
    if (!isJsonNode(value)) return this.exprElements(value, scope, depth, branches);
    if (isArray(value)) {
      // An element may choose its entry (`"[if(p, variables('a'), variables('b'))]"`, Bicep's `[p ? a : b]`).
      return value.elements.flatMap((node) => {
        const parsed = node && isStringLiteral(node) && isExpressionString(node.value) ? parseStringNode(node) : null;
        return parsed?.kind === "expression" && callName(parsed.expr) === "if" ? this.entriesOf(parsed.expr, scope, depth, branches) : [{ node, branches }];
      });
    }
    const parsed = isStringLiteral(value) && isExpressionString(value.value) ? parseStringNode(value) : null;
    return parsed?.kind === "expression" ? this.exprElements(parsed.expr, scope, depth, branches) : [{ node: value, branches }];
  }

  /** {@link listElements} of an expression (of an `if()`, see eitherBranch). */
  private exprElements(expr: Expr, scope: EvalScope, depth: number, branches: readonly Branch[]): ListElement[] {
    const name = callName(expr);
    if (expr.type === "Call" && depth < MAX_LIST_DEPTH) {
      const args = expr.args;
      if (name === "createarray") return args.flatMap((arg) => this.entriesOf(arg, scope, depth + 1, branches));
      if (name === "concat" || name === "union") return args.flatMap((arg) => this.exprElements(arg, scope, depth + 1, branches));
      if (name === "if" && args.length === 3) return this.eitherBranch(expr, scope, branches, (arg, taken) => this.exprElements(arg, scope, depth + 1, taken));
      // A variable that holds an expression building the list (Bicep's `var extensions = concat(...)`).
      const held = name === "variables" && args.length === 1 && args[0]!.type === "String" ? scope.variable(args[0]!.value) : undefined;
      if (held && isStringLiteral(held) && isExpressionString(held.value)) return this.listElements(held, scope, depth + 1, branches);
    }
    return this.writtenInScope(expr, scope).flatMap((node) => (isArray(node) ? node.elements : [node]).map((element) => ({ node: element, branches })));
  }

  /**
   * The entry an element expression of a list gives: of an `if()`, either branch's (see
   * eitherBranch); else the JSON written for it.
   */
  private entriesOf(expr: Expr, scope: EvalScope, depth: number, branches: readonly Branch[]): ListElement[] {
    if (expr.type === "Call" && expr.args.length === 3 && callName(expr) === "if" && depth < MAX_LIST_DEPTH) {
      return this.eitherBranch(expr, scope, branches, (arg, taken) => this.entriesOf(arg, scope, depth + 1, taken));
    }
    return this.writtenInScope(expr, scope).map((node) => ({ node, branches }));
  }

  /**
   * What `follow` finds in the branches of an `if()`: only the branch its condition takes when that
   * is the same in every deployment; else both, each with the choice added to `branches`.
   */
  private eitherBranch(
    call: Extract<Expr, { type: "Call" }>,
    scope: EvalScope,
    branches: readonly Branch[],
    follow: (arg: Expr, branches: readonly Branch[]) => ListElement[],
  ): ListElement[] {
    const [test, yes, no] = call.args as [Expr, Expr, Expr];
    const value = evaluateExpr(test, scope);
    if (value.kind === "known" && typeof value.value === "boolean" && sameInEveryDeployment(value)) return follow(value.value ? yes : no, branches);
    return [...follow(yes, [...branches, { test, scope, taken: true }]), ...follow(no, [...branches, { test, scope, taken: false }])];
  }

  /**
   * The JSON nodes an expression (or an expression string) is written as (written.ts), when they
   * evaluate in `scope` (the same template), recorded as shared; a JSON value that is not an
   * expression string is itself. Inside a scale set's property copy loop (`propertyLoop`), the
   * loop's `copyIndex()` reads each element the loop builds.
   */
  writtenInScope(value: AST.JSONExpression | Expr, scope: EvalScope): AST.JSONExpression[] {
    if (isJsonNode(value) && (!isStringLiteral(value) || !isExpressionString(value.value))) return [value];
    const nodes = writtenValues(value, scope, [], evaluateExpr, undefined, { loop: this.propertyLoop ?? undefined })
      .values.filter((written) => written.scope === scope)
      .map((written) => written.node);
    this.model.shared.push(...nodes);
    return nodes;
  }

  /**
   * An object written in place, or the one object an expression string is written as in the same
   * template (`"virtualMachineProfile": "[variables('profile')]"`); undefined otherwise.
   */
  writtenObject(value: AST.JSONExpression | undefined, scope: EvalScope): AST.JSONObjectExpression | undefined {
    if (!value) return undefined;
    if (isObject(value)) return value;
    const written = this.writtenInScope(value, scope);
    const [only] = written;
    return written.length === 1 && isObject(only) ? only : undefined;
  }

  /** Completes and records an extension. */
  extension(partial: ExtensionPartial): Extension {
    const scope = partial.template.scope;
    // A nested child of another machine's extension type (with a full name, which ARM deploys as
    // typed) is not on the machine it is declared in: its name says which one (see resolveParents).
    const enclosing = this.enclosingMachine(partial.resource);
    const parent = partial.parent ?? (enclosing?.kind === partial.parentKind && !namesAnotherMachine(partial.resource, enclosing) ? enclosing : null);
    // Entry-level publisher/type (a misplacement) still identify the extension.
    const publisherNode = getValue(partial.properties, "publisher") ?? getValue(partial.node, "publisher");
    const typeNode = extensionProperty(partial, "type")?.value;
    const publisher = publisherNode ? evaluateNode(publisherNode, scope) : undefined;
    const extensionType = typeNode ? evaluateNode(typeNode, scope) : undefined;
    const isDsc = matchesOnly(publisher, "microsoft.powershell") && matchesOnly(extensionType, "dsc", "microsoft.powershell.dsc");
    const info = new Extension(partial, parent, scope, publisher, extensionType, isDsc, isDsc ? dscSettingsView(partial.properties, scope) : undefined);
    this.model.extensions.push(info);
    this.local(info.template).extensions.push(info);
    if (isDsc) this.model.dscExtensions.push(info);
    return info;
  }

  /** The machine a nested child extension sits in. */
  enclosingMachine(res: ResourceInfo | null): MachineInfo | null {
    if (!res?.parent) return null;
    return this.machineOf.get(res.parent) ?? null;
  }

  /**
   * Links the child extensions found by name (see ExtensionInfo.parentByName) that no machine of
   * their own template parents (or only an `existing` declaration of one) to a machine of an
   * enclosing template: a module that deploys a scale set and then, in a nested deployment of its
   * own, a DSC extension on it (see ancestorMachine).
   */
  linkAncestorParents(): void {
    for (const ext of this.model.extensions) {
      // An `existing` declaration in the extension's template (as AVM's extension modules write) stands for the one deployed outside it.
      if ((ext.parent && !ext.parent.resource.existing) || !ext.parentByName) continue;
      const want = ext.parentNamePieces;
      const parent = want && ancestorMachine(ext, want, (template) => this.indexOf(template));
      if (parent) {
        ext.parent = parent;
        ext.parentName = displayName(parent.resource);
      }
    }
  }

  /** The machine index of a template whose machines are all known (built on first use). */
  indexOf(template: TemplateInfo): MachineIndex {
    const local = this.local(template);
    return (local.index ??= new MachineIndex(local.machines));
  }

  /**
   * Links top-level child extensions of `template` to a VM or scale set of the same template, and
   * nested children that their enclosing resource does not parent (another machine's type).
   */
  resolveParents(template: TemplateInfo): void {
    const local = this.byTemplate.get(template);
    if (!local) return;
    for (const ext of local.extensions) {
      if (ext.parent || !ext.parentNamePieces || !ext.resource) continue;
      const want = ext.parentNamePieces;
      const parent = this.indexOf(template).find(ext.parentKind, want);
      if (parent) {
        ext.parent = parent;
        ext.parentName = displayName(parent.resource);
      } else {
        // Named as its extension's name writes it, folding only what every deployment shares.
        const shown = ext.resource.nameText === null ? null : splitSegments(stringPieces(ext.resource.nameText, template.scope, true));
        ext.parentName = piecesText(shown && shown.length > 1 ? shown[0]! : want);
      }
    }
  }
}

/**
 * The machines of one template by name. `find` looks up a name written alike with one Map lookup,
 * and otherwise compares the copy-loop names that could produce the wanted name: those with its
 * matchSkeleton whose text before the first expression starts it and whose text after the last
 * expression ends it.
 */
class MachineIndex {
  /** Names (copy-loop names too) by nameKey: the machine `rank` prefers of those written alike. */
  private readonly byKey = new Map<string, number>();
  /** Copy-loop names by matchSkeleton, then by their leading text, then by their trailing text (see trailingText). */
  private readonly patterns = new Map<string, Map<string, Map<string, number[]>>>();

  /** Indexes `machines` (one template's, in model order). */
  constructor(private readonly machines: MachineInfo[]) {
    machines.forEach((m, i) => {
      const pieces = m.resource.namePieces;
      if (pieces === null) return;
      const key = `${m.kind}:${nameKey(pieces)}`;
      const first = this.byKey.get(key);
      if (first === undefined || this.rank(i) < this.rank(first)) this.byKey.set(key, i);
      // Of copy loops named alike, the first is compared for all (byKey says which of them is meant).
      if (first !== undefined || !hasCopyIndex(pieces)) return;
      const skeleton = matchSkeleton(pieces);
      let byLead = this.patterns.get(skeleton);
      if (!byLead) this.patterns.set(skeleton, (byLead = new Map()));
      const lead = leadingText(pieces);
      let byTail = byLead.get(lead);
      if (!byTail) byLead.set(lead, (byTail = new Map()));
      const tail = trailingText(pieces);
      const list = byTail.get(tail);
      if (list) list.push(i);
      else byTail.set(tail, [i]);
    });
  }

  /**
   * The order in which machines are preferred: the first one the template deploys, else the first
   * `existing` declaration (which names the same machine but deploys nothing, so a check that needs
   * what the template deploys then finds the deployed one, in any order).
   */
  private rank(i: number): number {
    return this.machines[i]!.resource.existing ? this.machines.length + i : i;
  }

  /**
   * The machine of `kind` whose name matches `want`: one the template deploys under a name written
   * alike; else, of the copy loops whose names produce it (and an `existing` one written alike),
   * the one `rank` prefers. At most MAX_LOOP_COMPARISONS loop names are compared, so that a file's
   * lookups stay linear.
   */
  find(kind: MachineKind, want: Piece[]): MachineInfo | undefined {
    let best = this.byKey.get(`${kind}:${nameKey(want)}`);
    const byLead = this.patterns.get(matchSkeleton(want));
    if ((best !== undefined && !this.machines[best]!.resource.existing) || !byLead) return best === undefined ? undefined : this.machines[best];
    const lead = leadingText(want);
    const tail = trailingText(want);
    let budget = MAX_LOOP_COMPARISONS;
    for (let length = 0; length <= lead.length && budget > 0; length++) {
      const byTail = byLead.get(lead.slice(0, length));
      if (!byTail) continue;
      for (let end = 0; end <= tail.length && budget > 0; end++) {
        for (const i of byTail.get(tail.slice(tail.length - end)) ?? []) {
          // A later loop (or the one that stands for it) ranks no better than its own index.
          if ((best !== undefined && i >= this.rank(best)) || budget === 0) break;
          const m = this.machines[i]!;
          if (m.kind !== kind) continue;
          budget--;
          if (!namesMatch(m.resource.namePieces!, want)) continue;
          const found = this.byKey.get(`${kind}:${nameKey(m.resource.namePieces!)}`)!;
          if (best === undefined || this.rank(found) < this.rank(best)) best = found;
        }
      }
    }
    return best === undefined ? undefined : this.machines[best];
  }

  /** The first machine of `kind` whose name is written out and equals `want` (written out too). */
  findWritten(kind: MachineKind, want: Piece[]): MachineInfo | undefined {
    const m = this.machines[this.byKey.get(`${kind}:${nameKey(want)}`) ?? -1];
    return m?.resource.namePieces?.every((piece) => "lit" in piece) ? m : undefined;
  }
}

/** Most copy-loop names one MachineIndex lookup compares with the wanted name. */
const MAX_LOOP_COMPARISONS = 256;

/** The lower-case text a name starts with, up to its first expression. */
function leadingText(pieces: Piece[]): string {
  let text = "";
  for (const piece of pieces) {
    if (!("lit" in piece)) break;
    text += piece.lit.toLowerCase();
  }
  return text;
}

/**
 * The lower-case text a name ends with, after its last expression: in a name that namesMatch
 * matches against a loop's, the loop's trailing text ends this one.
 */
function trailingText(pieces: Piece[]): string {
  let text = "";
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i]!;
    if (!("lit" in piece)) break;
    text = piece.lit.toLowerCase() + text;
  }
  return text;
}

/** An `if()` test on the way to a list element, and the branch it went (see ExtensionInfo.branches). */
export interface Branch {
  test: Expr;
  scope: EvalScope;
  taken: boolean;
}

/** An element of a list, and the `if()` choices on the way to it. */
interface ListElement {
  node: AST.JSONExpression | null;
  branches: readonly Branch[];
}

/** Most nested list-building calls and variable hops followed for one `extensions` list. */
const MAX_LIST_DEPTH = 8;

/** What a parameter passed as a Key Vault reference (`{ "reference": { "keyVault": ... } }`) evaluates as. */
const KEY_VAULT_REFERENCE: Expr = { type: "Call", namespace: null, name: "reference", args: [], start: 0, end: 0 };

/** Inner-scoped nested deployment: its parameters take the values the deployment passes. */
function supplyParameters(scope: TemplateScope, deployment: ResourceInfo, outer: EvalScope): void {
  const block = getValue(deployment.properties, "parameters");
  const blockExpr = isStringLiteral(block) ? parseStringNode(block) : null;
  if (block && blockExpr?.kind === "expression") {
    supplyFromExpression(scope, block, blockExpr.expr, outer);
    return;
  }
  const passed = isObject(block) ? block : undefined;
  for (const prop of passed?.properties ?? []) {
    const name = propertyName(prop);
    const decl = name === null ? undefined : scope.parameters.get(name.toLowerCase());
    if (!decl) continue;
    if (isObject(prop.value)) {
      const value = findProperty(prop.value, "value");
      if (value) decl.supplied = { node: value.value, scope: outer };
      // A Key Vault reference: a secret read at deployment.
      else if (findProperty(prop.value, "reference")) decl.supplied = { expr: KEY_VAULT_REFERENCE, scope: outer };
      continue;
    }
    // Bicep passes a module's parameter object as one expression: `[createObject('value', x)]`.
    const parsed = isStringLiteral(prop.value) ? parseStringNode(prop.value) : null;
    if (parsed?.kind === "expression") decl.supplied = { expr: valueOf(parsed.expr), scope: outer };
  }
  // What the deployment does not pass keeps its default, unless a parameters file it links may set it.
  if (findProperty(deployment.properties, "parametersLink")) {
    for (const decl of scope.parameters.values()) if (!decl.supplied) decl.free = true;
    return;
  }
  for (const decl of scope.parameters.values()) if (!decl.supplied) notPassed(decl);
}

/** A parameter of an inner-scoped template that its deployment does not pass: its default, or null when nullable. */
function notPassed(decl: ParameterDecl): void {
  if (decl.defaultValue) decl.fixedDefault = true;
  else if (decl.nullable) decl.absentIsNull = true;
}

/**
 * The parameters block of an inner-scoped deployment given as one expression
 * (`"[createObject('p', createObject('value', x))]"`, `"[variables('moduleParameters')]"`): each
 * parameter's value is the block's member read where the block is written. One the block provably
 * lacks keeps its default; any other is passed, so its default is never taken for the value.
 */
function supplyFromExpression(scope: TemplateScope, node: AST.JSONExpression, expr: Expr, outer: EvalScope): void {
  // Known before deployment (`json('{}')`, `createObject()` of literals): its keys say what is passed.
  const whole = evaluateExpr(expr, outer);
  const known = whole.kind === "known" && isPlainObject(whole.value) ? whole.value : null;
  // Its keys by lower-case name (the first spelling), looked up once per inner parameter.
  const names = new Map<string, string>();
  for (const key of known ? Object.keys(known) : []) if (!names.has(key.toLowerCase())) names.set(key.toLowerCase(), key);
  for (const decl of scope.parameters.values()) {
    const spelled = names.get(decl.name.toLowerCase());
    const entry = known && spelled !== undefined ? known[spelled] : undefined;
    if (known ? entry === undefined : writtenLacks(node, outer, decl.name)) {
      notPassed(decl);
      continue;
    }
    if (isPlainObject(entry) && !hasKey(entry, "value") && hasKey(entry, "reference")) {
      decl.supplied = { expr: KEY_VAULT_REFERENCE, scope: outer };
      continue;
    }
    const member: Expr = { type: "Member", object: expr, property: decl.name, start: expr.start, end: expr.end };
    decl.supplied = { expr: valueOf(member), scope: outer };
  }
}

/**
 * The `value` member of a parameter object written as an expression: `x` for
 * `createObject('value', x)`, `if(c, x, y)` for an `if()` of two of those (as Bicep writes an
 * optional module parameter), else `(<expression>).value`.
 */
function valueOf(expr: Expr): Expr {
  if (expr.type === "Call" && expr.namespace === null) {
    const name = expr.name.toLowerCase();
    const [key, value] = expr.args;
    if (name === "createobject" && expr.args.length === 2 && key?.type === "String" && key.value.toLowerCase() === "value") return value!;
    if (name === "if" && expr.args.length === 3) return { ...expr, args: [expr.args[0]!, valueOf(expr.args[1]!), valueOf(expr.args[2]!)] };
  }
  return { type: "Member", object: expr, property: "value", start: expr.start, end: expr.end };
}

/** The `input` objects of property copy loops named `key` inside `obj.copy`. */
export function copyInputs(obj: AST.JSONObjectExpression, key: string): AST.JSONExpression[] {
  const out: AST.JSONExpression[] = [];
  for (const loop of getArrayValue(obj, "copy")?.elements ?? []) {
    if (!isObject(loop)) continue;
    const name = stringOf(getValue(loop, "name"));
    const input = getValue(loop, "input");
    if (name?.toLowerCase() === key && input) out.push(input);
  }
  return out;
}

/** True when every possible value of `value` is one of `expected` (case-insensitive). */
function matchesOnly(value: Value | undefined, ...expected: string[]): boolean {
  if (!value) return false;
  const values = value.kind === "known" ? [value.value] : value.kind === "choice" ? value.values : [];
  return values.length > 0 && values.every((v) => typeof v === "string" && expected.includes(v.toLowerCase()));
}

/**
 * The property `key` of an extension's `properties`, or, for a scale-set or VM profile entry that
 * has it at the entry level instead (a misplacement that extension-placement reports), that one; a
 * resource's own `type` is its resource type, so resources are only looked up in `properties`.
 */
export function extensionProperty(ext: Pick<ExtensionInfo, "node" | "properties" | "resource">, key: string): AST.JSONProperty | undefined {
  return findProperty(ext.properties, key) ?? (ext.resource ? undefined : findProperty(ext.node, key));
}

/** A string literal's value, or null. */
export function stringOf(node: AST.JSONExpression | AST.JSONProperty | undefined | null): string | null {
  return node?.type === "JSONLiteral" && typeof node.value === "string" ? node.value : null;
}

/**
 * True when a nested child with the full extension type names, by its full name, a machine other
 * than the one it is declared in (`vmB/dsc` inside `vmA`; both names known before deployment): ARM
 * deploys it as named, so its parent is found by name.
 */
function namesAnotherMachine(res: ResourceInfo | null, machine: MachineInfo): boolean {
  if (!res?.declaredType?.includes("/") || !res.namePieces || !machine.resource.namePieces) return false;
  const segments = splitSegments(res.namePieces);
  const own = splitSegments(machine.resource.namePieces);
  if (segments.length !== 2 || own.length !== 1) return false;
  const named = literalText(segments[0]!);
  const enclosing = literalText(own[0]!);
  return named !== null && enclosing !== null && asciiLower(named) !== asciiLower(enclosing);
}

/** The text of name pieces that are all literal, or null. */
function literalText(pieces: Piece[]): string | null {
  return pieces.every((piece) => "lit" in piece) ? pieces.map((piece) => (piece as { lit: string }).lit).join("") : null;
}

/** True when a resource's name is one segment, known before deployment (no `/`). */
function oneSegmentName(res: ResourceInfo): boolean {
  const segments = res.namePieces ? splitSegments(res.namePieces) : [];
  return segments.length === 1 && segments[0]!.every((piece) => "lit" in piece);
}

/**
 * A resource's name for messages: its value when known before deployment, else as written. A
 * name read from a parameter's default is not known (a deployment may pass another value), so it
 * is shown as written too.
 */
export function displayName(res: ResourceInfo): string {
  const only = res.namePieces?.length === 1 ? res.namePieces[0] : undefined;
  if (only && "lit" in only && !(res.nameProperty && isExpressionNameOf(res) && !sameInEveryDeployment(evaluateNode(res.nameProperty.value, res.template.scope)))) return only.lit;
  return res.nameText ?? "(unnamed)";
}

/** True when a resource's name is written as an expression. */
function isExpressionNameOf(res: ResourceInfo): boolean {
  return res.nameText !== null && isExpressionString(res.nameText);
}

/**
 * `properties.upgradePolicy.mode` of a scale set, evaluated: written in the policy object, or read
 * from a policy given by an expression (`"[variables('upgradePolicy')]"`) as its member `mode`.
 * Undefined when no policy or mode is written (Manual by default); a value that is null in some
 * deployments (`if(p, 'Automatic', null())`, a policy built without a mode) leaves it out there.
 */
function upgradeModeOf(props: AST.JSONObjectExpression | undefined, scope: EvalScope): Value | undefined {
  const policy = getValue(props, "upgradePolicy");
  if (isObject(policy)) {
    const mode = getValue(policy, "mode");
    return mode ? evaluateNode(mode, scope) : undefined;
  }
  const parsed = policy && isStringLiteral(policy) ? parseStringNode(policy) : null;
  if (!policy || parsed?.kind !== "expression") return undefined;
  // A policy written without a mode is Manual by default, as one written in place.
  if (writtenLacks(policy, scope, "mode")) return undefined;
  // Read as tryGet: a choice between a policy with a mode and one without is Manual (null) in some deployments.
  const { start, end } = parsed.expr;
  const read: Expr = { type: "Call", namespace: null, name: "tryGet", args: [parsed.expr, { type: "String", value: "mode", start, end }], start, end };
  return evaluateExpr(read, scope);
}

/** True when every value an expression may be written as lacks the member `key` (see written.ts). */
function writtenLacks(node: AST.JSONExpression, scope: EvalScope, key: string): boolean {
  const found = writtenValues(node, scope, [key], evaluateExpr);
  return found.complete && found.values.length === 0 && found.misses.length > 0;
}

/** True for a JSON object value (not an array or null). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when an object has `key` (ASCII case-insensitive). */
function hasKey(obj: Record<string, unknown>, key: string): boolean {
  return Object.keys(obj).some((k) => k.toLowerCase() === key);
}
