/**
 * Shared SAS-token and credential classification for one template file, built once per model and
 * cached: which parameters carry a SAS token, which atoms are SAS tokens or credentials, and which
 * parameters feed a SAS position of a DSC extension.
 */
import type { AST } from "../json/types.js";
import { findProperty, getPath, isObject, isStringLiteral, keyEquals, propertyName } from "../json/access.js";
import {
  callName,
  evaluateExpr,
  functionScope,
  isJsonNode,
  parseStringNode,
  parseCached,
  walkExpr,
  writtenValues,
  type EvalScope,
  type Expr,
  type ParameterDecl,
} from "../expression/index.js";
import type { ExtensionInfo, TemplateModel } from "../template/model.js";
import { ANY, Flow, innerMap, type Atom } from "./flow.js";
import { isArtifactsSasTokenName, isSasMemberName, isSasName, isSecretName } from "./names.js";
import { redactSasToken } from "./sas.js";

/** Keys of protectedSettings that hold a SAS token (current format). */
export const TOKEN_KEYS = ["configurationUrlSasToken", "configurationDataUrlSasToken"] as const;
export type TokenKey = (typeof TOKEN_KEYS)[number];

/** Most nested hops `directParameters` follows. */
const MAX_DIRECT_DEPTH = 64;

/** Why a parameter must be a secure string. */
export interface SasFeed {
  decl: ParameterDecl;
  /** The declaration's `{...}` object and its property in `parameters`. */
  node: AST.JSONObjectExpression;
  property: AST.JSONProperty;
  /** A clause saying where the parameter's value goes. */
  reason: string;
}

/** A parameter declaration as the model's TemplateScope stores it. */
type DeclaredParameter = ParameterDecl & { node: AST.JSONObjectExpression; property: AST.JSONProperty };

/** True when a declaration carries its JSON nodes (always, for the model's scopes). */
function isDeclared(decl: ParameterDecl): decl is DeclaredParameter {
  const d = decl as Partial<DeclaredParameter>;
  return isObject(d.node) && d.property !== undefined;
}

const analyses = new WeakMap<TemplateModel, SecretAnalysis>();

/** The secret analysis of a model, built once. */
export function secretAnalysis(model: TemplateModel): SecretAnalysis {
  let analysis = analyses.get(model);
  if (!analysis) {
    analysis = new SecretAnalysis(model);
    analyses.set(model, analysis);
  }
  return analysis;
}

/** SAS-token and credential facts of one file. */
export class SecretAnalysis {
  readonly flow = new Flow();
  private tokenKeyFeeds: Map<ParameterDecl, string> | undefined;
  private defaultFed: Set<ParameterDecl> | undefined;
  private urlSecure: Set<ParameterDecl> | undefined;
  private passedOn: Set<ParameterDecl> | undefined;
  private readonly sasParameters = new Map<ParameterDecl, boolean>();
  /** exprCarriesSas results; top-level flow queries only read finished memo entries, so they are stable. */
  private readonly carries = new Map<EvalScope, Map<Expr, boolean>>();

  /** Starts an analysis of `model` (facts are computed on first use). */
  constructor(readonly model: TemplateModel) {}

  /** Parameters the template passes to a SAS token key of a DSC extension, with the key path. */
  private tokenKeyParameters(): Map<ParameterDecl, string> {
    if (this.tokenKeyFeeds) return this.tokenKeyFeeds;
    const feeds = new Map<ParameterDecl, string>();
    for (const ext of this.model.dscExtensions) {
      for (const { prop, path, scope } of tokenKeyProperties(ext)) {
        for (const decl of directParameters(prop.value, scope)) {
          if (!feeds.has(decl)) feeds.set(decl, `is passed to ${path} of DSC extension '${ext.name}'`);
        }
      }
      // A block built by an expression (`union(variables('base'), createObject('configurationUrlSasToken',
      // parameters('t')))`, as Bicep writes a spread) has no written key: the value the expression gives it is read.
      const holder = ext.dsc?.protectedSettingsProperty;
      const parsed = holder && isStringLiteral(holder.value) ? parseStringNode(holder.value) : null;
      if (parsed?.kind !== "expression") continue;
      for (const key of TOKEN_KEYS) {
        for (const { value, scope } of builtMembers(parsed.expr, ext.scope, key, 0)) {
          for (const decl of directParameters(value, scope)) {
            if (!feeds.has(decl)) feeds.set(decl, `is passed to protectedSettings.${key} of DSC extension '${ext.name}'`);
          }
        }
      }
    }
    this.tokenKeyFeeds = feeds;
    return feeds;
  }

  /**
   * True when a parameter carries a SAS token: by name, passed to a SAS token key, passed on by
   * the default of a parameter named like a SAS token
   * (`"storageSasToken": { "defaultValue": "[parameters('token')]" }`), a secure string that
   * flows into a DSC extension's download URL (the only secret a URL carries is its token), or one
   * on the way of such a parameter's value through nested deployments, before or after it (a
   * module's plain string on the way to or from another module's token is logged in its deployment
   * history).
   */
  isSasParameter(decl: ParameterDecl): boolean {
    let sas = this.sasParameters.get(decl);
    if (sas === undefined) {
      sas = this.carriesSasItself(decl) || (mayHoldText(decl) && this.passedOnParameters().has(decl));
      this.sasParameters.set(decl, sas);
    }
    return sas;
  }

  /** isSasParameter, but for the values passed on to other parameters. */
  private carriesSasItself(decl: ParameterDecl): boolean {
    return (
      mayHoldText(decl) &&
      (isSasName(decl.name) ||
        this.tokenKeyParameters().has(decl) ||
        this.defaultFedParameters().has(decl) ||
        (decl.type?.toLowerCase() === "securestring" && this.urlSecureParameters().has(decl)))
    );
  }

  /**
   * Parameters whose value a nested deployment passes on (through any number of modules) to one
   * that carries a SAS token itself, and those a deployment passes such a parameter's value to.
   */
  private passedOnParameters(): Set<ParameterDecl> {
    if (this.passedOn) return this.passedOn;
    const fed = new Set<ParameterDecl>();
    for (const template of this.model.templates) {
      for (const decl of template.ownScope.parameters.values()) {
        const supplied = decl.supplied;
        if (!supplied) continue;
        // directParameters follows what is passed on into the caller's own callers. A parameter
        // that carries a token may hold a whole URL: only the piece that ends it is its token.
        const value = supplied.node ?? supplied.expr;
        if (this.carriesSasItself(decl)) for (const other of directParameters(value, supplied.scope, true)) fed.add(other);
        else if (directParameters(value, supplied.scope).some((other) => this.carriesSasItself(other))) fed.add(decl);
      }
    }
    this.passedOn = fed;
    return fed;
  }

  /**
   * Secure string parameters appended as the last piece of a DSC extension's download URL, after
   * the URL itself (`concat(base, 'x.zip', parameters('key'))`): what a URL carries there is its
   * SAS token. A secure value that is the whole URL, its start or a piece in the middle is a secret
   * in public settings all the same, but not one that configurationUrlSasToken could hold.
   */
  private urlSecureParameters(): Set<ParameterDecl> {
    if (this.urlSecure) return this.urlSecure;
    const found = new Set<ParameterDecl>();
    for (const ext of this.model.dscExtensions) {
      for (const { node, scope } of urlValues(ext)) {
        if (!isStringLiteral(node)) continue;
        const parsed = parseStringNode(node);
        if (parsed.kind === "expression") trailingSecureParameters(parsed.expr, scope, false, 0, found);
      }
    }
    this.urlSecure = found;
    return found;
  }

  /** Parameters that the default of a parameter named like a SAS token passes on. */
  private defaultFedParameters(): Set<ParameterDecl> {
    if (this.defaultFed) return this.defaultFed;
    const fed = new Set<ParameterDecl>();
    for (const template of this.model.templates) {
      for (const decl of template.ownScope.parameters.values()) {
        if (!isSasName(decl.name) || decl.supplied || !decl.defaultValue) continue;
        for (const other of directParameters(decl.defaultValue, template.ownScope, true)) if (other !== decl) fed.add(other);
      }
    }
    this.defaultFed = fed;
    return fed;
  }

  /** True when a parameter holds a credential: a secure type that is not a SAS token. */
  isCredentialParameter(decl: ParameterDecl): boolean {
    const type = decl.type?.toLowerCase();
    return (type === "securestring" || type === "secureobject") && !this.isSasParameter(decl);
  }

  /**
   * True when the atom is a SAS token. `byMemberName`: a member of an object parameter counts when
   * named like one; false when the member path is the caller's query (`settings` given by a
   * parameter, asked for its `SasToken`) rather than a read written in the template.
   */
  isSasAtom(atom: Atom, byMemberName = true): boolean {
    switch (atom.kind) {
      case "parameter": {
        // A member read of an object parameter is named by its last key (`parameters('storage').sasToken`,
        // not `.sasConfig.accountName`), or the one before an output-style `.value`; the
        // parameter's own name does not make `parameters('sasConfig').expiryHours` a token.
        const member = byMemberName ? memberName(atom.path) : "";
        return member === "" || member.toLowerCase() === "value" ? this.isSasParameter(atom.decl) : isSasMemberName(member);
      }
      case "call":
        // Or a member of a result named like a token (`listOutputsWithSecureValues(...).sasToken`, a module's secure output).
        return SAS_FUNCTIONS.has(atom.name.toLowerCase()) || (byMemberName && isSasMemberName(memberName(atom.path)));
      case "reference":
        return atom.path.some(isSasName);
      case "keyVault":
        // A secret passed for a parameter the template treats as a SAS token (appended to a URL, say).
        return atom.decl !== undefined && this.isSasParameter(atom.decl);
      case "literal":
        return true;
    }
  }

  /** True when the atom is a credential (and not a SAS token). */
  isCredentialAtom(atom: Atom): boolean {
    if (this.isSasAtom(atom)) return false;
    switch (atom.kind) {
      case "parameter": {
        if (!this.isCredentialParameter(atom.decl)) return false;
        // A member of a secure object (a configuration bag) is a credential when its path says so.
        const secureObject = atom.decl.type?.toLowerCase() === "secureobject";
        return !secureObject || atom.path.length === 0 || atom.path.some(isSecretName);
      }
      case "call":
        return atom.name.toLowerCase().startsWith("list");
      case "reference":
        return atom.path.some(isSecretName);
      case "keyVault":
        return true;
      case "literal":
        return false;
    }
  }

  /**
   * The SAS token among `atoms` that the others pass on (see isSasAtom for `byMemberName`): the
   * last, since a parameter's atom comes before those of the value passed for it.
   */
  sasSource(atoms: readonly Atom[], byMemberName = true): Atom | undefined {
    return atoms.findLast((a) => this.isSasAtom(a, byMemberName));
  }

  /** The first credential among `atoms`. */
  credentialSource(atoms: readonly Atom[]): Atom | undefined {
    return atoms.find((a) => this.isCredentialAtom(a));
  }

  /** True when a SAS token flows into the expression (memoised per expression object and scope). */
  exprCarriesSas(expr: Expr, scope: EvalScope): boolean {
    const byExpr = innerMap(this.carries, scope);
    let sas = byExpr.get(expr);
    if (sas === undefined) {
      sas = this.sasSource(this.flow.expr(expr, scope)) !== undefined;
      byExpr.set(expr, sas);
    }
    return sas;
  }

  /** True when a SAS token flows into an expression a caller built (not memoised: see Flow.transient). */
  builtExprCarriesSas(expr: Expr, scope: EvalScope): boolean {
    return this.sasSource(this.flow.transient(expr, scope)) !== undefined;
  }

  /**
   * Parameters that must be secure strings: those passed to a SAS token key, those concatenated as
   * a token onto a configuration URL, and every `_artifactsLocationSasToken` (in files with a DSC
   * extension). Each declaration once, with the first reason found.
   */
  sasFeeds(): SasFeed[] {
    const found = new Map<ParameterDecl, string>(this.tokenKeyParameters());
    for (const ext of this.model.dscExtensions) {
      for (const { node, path, scope } of urlValues(ext)) {
        for (const atom of this.flow.node(node, scope)) {
          if (atom.kind !== "parameter" || found.has(atom.decl) || !this.isSasParameter(atom.decl)) continue;
          found.set(atom.decl, `is appended as a SAS token to ${path} of DSC extension '${ext.name}'`);
        }
      }
    }
    if (this.model.dscExtensions.length > 0) {
      for (const template of this.model.templates) {
        for (const decl of template.ownScope.parameters.values()) {
          if (isArtifactsSasTokenName(decl.name) && !found.has(decl)) found.set(decl, "carries the artifacts location SAS token");
        }
      }
    }
    const feeds: SasFeed[] = [];
    for (const [decl, reason] of found) {
      if (isDeclared(decl)) feeds.push({ decl, node: decl.node, property: decl.property, reason });
    }
    return feeds;
  }

  /**
   * ` through variable 'v'` (or ` through parameter 'p'`, for a value that comes from a
   * parameter's default or supplied value) when `atom` reaches the string `value` through the first
   * such read written in it; "" when it is written in place. Pass the string node when there is
   * one: its parse is cached.
   */
  viaText(value: string | AST.JSONExpression, scope: EvalScope, atom: Atom): string {
    if (typeof value !== "string" && (value.type !== "JSONLiteral" || typeof value.value !== "string")) return "";
    const parsed = typeof value === "string" ? parseCached(value) : parseStringNode(value);
    if (parsed.kind !== "expression") return "";
    const key = this.flow.key(atom);
    let found: string | undefined;
    walkExpr(parsed.expr, (e) => {
      if (found !== undefined || e.type !== "Call") return;
      const name = callName(e);
      const arg = e.args[0];
      if ((name !== "variables" && name !== "parameters") || arg?.type !== "String") return;
      // The token's own parameter is no hop, nor one of the same name it is passed on to (a module's `_artifactsLocationSasToken`).
      if (name === "parameters" && atom.kind === "parameter" && (scope.parameter(arg.value) === atom.decl || keyEquals(arg.value, atom.decl.name))) return;
      if (!this.flow.expr(e, scope).some((a) => this.flow.key(a) === key)) return;
      found =
        name === "variables"
          ? ` through variable '${scope.variableName(arg.value) ?? arg.value}'`
          : ` through parameter '${scope.parameter(arg.value)?.name ?? arg.value}'`;
    });
    return found ?? "";
  }
}

/** False for the parameter types that cannot hold a token's text (`bool`, `int`). */
function mayHoldText(decl: ParameterDecl): boolean {
  const type = decl.type?.toLowerCase();
  return type !== "bool" && type !== "int";
}

/** What a walk has looked at: an expression in a scope (and one flag of the walk's state, such as `after`). */
class Visited {
  private readonly seen = new Map<EvalScope, Set<object>>();
  private readonly seenFlagged = new Map<EvalScope, Set<object>>();

  /** True the first time `value` is met in `scope` (with `flag`); records it. */
  first(value: object, scope: EvalScope, flag = false): boolean {
    const byScope = flag ? this.seenFlagged : this.seen;
    let set = byScope.get(scope);
    if (!set) byScope.set(scope, (set = new Set()));
    if (set.has(value)) return false;
    set.add(value);
    return true;
  }
}

/** A value and the scope it is written in. */
interface Scoped {
  value: AST.JSONExpression | Expr;
  scope: EvalScope;
}

/**
 * The values an object built by `value` (in `scope`) may give its member `key`: the arguments
 * `createObject()` pairs with that key, or the key's value in a written object, in the objects that
 * `union()`, `shallowMerge()` (of `createArray()`) and either branch of `if()` combine, read through
 * variables, the values a module's caller passes, parameter defaults and user-defined functions.
 * Whole objects that another value merges in are not the member: only what is paired with `key`.
 */
function builtMembers(value: AST.JSONExpression | Expr, scope: EvalScope, key: string, depth: number, seen = new Visited()): Scoped[] {
  // Each value once per scope: a union of one variable's objects, taken several times, is one walk.
  if (depth > MAX_DIRECT_DEPTH || !seen.first(value, scope)) return [];
  if (isJsonNode(value)) {
    if (isObject(value)) {
      const member = findProperty(value, key);
      return member ? [{ value: member.value, scope }] : [];
    }
    const parsed = isStringLiteral(value) ? parseStringNode(value) : null;
    return parsed?.kind === "expression" ? builtMembers(parsed.expr, scope, key, depth + 1, seen) : [];
  }
  if (value.type !== "Call") return [];
  const next = (arg: AST.JSONExpression | Expr, where = scope) => builtMembers(arg, where, key, depth + 1, seen);
  if (value.namespace !== null) {
    const fn = scope.userFunction?.(value.namespace, value.name);
    return fn && fn.parameters.length === value.args.length ? next(fn.output, functionScope(fn, value.args, scope)) : [];
  }
  const named = value.args.length === 1 && value.args[0]!.type === "String" ? value.args[0]!.value : null;
  switch (callName(value)) {
    case "createobject": {
      const out: Scoped[] = [];
      for (let i = 0; i + 1 < value.args.length; i += 2) {
        const name = value.args[i]!;
        if (name.type === "String" && keyEquals(name.value, key)) out.push({ value: value.args[i + 1]!, scope });
      }
      return out;
    }
    case "union":
    case "shallowmerge":
    case "createarray":
      return value.args.flatMap((arg) => next(arg));
    case "if":
      return value.args.slice(1).flatMap((arg) => next(arg));
    case "variables": {
      const node = named === null ? undefined : scope.variable(named);
      return node ? next(node) : [];
    }
    case "parameters": {
      const decl = named === null ? undefined : scope.parameter(named);
      const supplied = decl?.supplied;
      if (supplied) return next(supplied.node ?? supplied.expr, supplied.scope);
      return decl?.defaultValue ? next(decl.defaultValue) : [];
    }
    default:
      return [];
  }
}

/**
 * The argument a member read takes from a `createObject()` it reads, through nested reads; null
 * otherwise. A loop, not recursion: the parser builds member chains of any length.
 */
function createdMember(e: Extract<Expr, { type: "Member" }>): Expr | null {
  const names: string[] = [];
  let base: Expr = e;
  while (base.type === "Member") {
    names.push(base.property.toLowerCase());
    base = base.object;
  }
  let current: Expr | null = base;
  for (let n = names.length - 1; n >= 0 && current; n--) {
    if (current.type !== "Call" || callName(current) !== "createobject") return null;
    const args: Expr[] = current.args;
    current = null;
    for (let i = args.length - 2; i >= 0; i -= 2) {
      const key = args[i]!;
      if (key.type === "String" && key.value.toLowerCase() === names[n]) {
        current = args[i + 1]!;
        break;
      }
    }
  }
  return current;
}

/**
 * Adds the secure string parameters that `expr` ends with after some other text (`after`):
 * through the last argument of `concat()`, the relative part of `uri()`, a `format()` whose text
 * ends with a placeholder, `string()`, both branches of `if()`, `variables()`, and the value a
 * nested deployment passes.
 */
function trailingSecureParameters(expr: Expr, scope: EvalScope, after: boolean, depth: number, found: Set<ParameterDecl>, seen = new Visited()): void {
  if (depth > MAX_DIRECT_DEPTH || !seen.first(expr, scope, after)) return;
  if (expr.type === "Member" || expr.type === "Index") {
    // A member of an object variable written in the template (`variables('dsc').token`).
    const held = variableMember(expr, scope);
    const parsed = isStringLiteral(held) ? parseStringNode(held) : null;
    if (parsed?.kind === "expression") trailingSecureParameters(parsed.expr, scope, after, depth + 1, found, seen);
    return;
  }
  if (expr.type !== "Call") return;
  const args = expr.args;
  const arg = args[0];
  if (expr.namespace !== null) {
    // A user-defined function: its output, with its parameters bound to the call's arguments.
    const fn = scope.userFunction?.(expr.namespace, expr.name);
    const parsed = fn && fn.parameters.length === args.length && isStringLiteral(fn.output) ? parseStringNode(fn.output) : null;
    if (parsed?.kind === "expression") trailingSecureParameters(parsed.expr, functionScope(fn!, args, scope), after, depth + 1, found, seen);
    return;
  }
  switch (callName(expr)) {
    case "concat":
      if (args.length > 0) trailingSecureParameters(args[args.length - 1]!, scope, after || args.length > 1, depth + 1, found, seen);
      return;
    case "uri":
      if (args.length === 2) trailingSecureParameters(args[1]!, scope, true, depth + 1, found, seen);
      return;
    case "string":
      if (args.length === 1) trailingSecureParameters(args[0]!, scope, after, depth + 1, found, seen);
      return;
    case "if":
      // Either branch may be the URL.
      if (args.length === 3) {
        trailingSecureParameters(args[1]!, scope, after, depth + 1, found, seen);
        trailingSecureParameters(args[2]!, scope, after, depth + 1, found, seen);
      }
      return;
    case "format": {
      const last = arg?.type === "String" ? /\{(\d+)\}$/u.exec(arg.value) : null;
      const target = last ? args[Number(last[1]) + 1] : undefined;
      if (last && target) trailingSecureParameters(target, scope, after || last.index > 0, depth + 1, found, seen);
      return;
    }
    case "variables": {
      const node = arg?.type === "String" && args.length === 1 ? scope.variable(arg.value) : undefined;
      const parsed = isStringLiteral(node) ? parseStringNode(node) : null;
      if (parsed?.kind === "expression") trailingSecureParameters(parsed.expr, scope, after, depth + 1, found, seen);
      return;
    }
    case "parameters": {
      const decl = arg?.type === "String" && args.length === 1 ? scope.parameter(arg.value) : undefined;
      if (!decl) return;
      const supplied = decl.supplied;
      const passed = supplied?.node && isStringLiteral(supplied.node) ? parseStringNode(supplied.node) : null;
      const next = supplied?.expr ?? (passed?.kind === "expression" ? passed.expr : undefined);
      // The parameter is the token, and so is what is passed for it (followed on to where it comes
      // from); a function's parameter is no declaration, only the argument it stands for.
      if (after && !decl.argument && decl.type?.toLowerCase() === "securestring") found.add(decl);
      if (next) trailingSecureParameters(next, supplied!.scope, after, depth + 1, found, seen);
      return;
    }
  }
}

/** The `list*()` functions whose result is a SAS token (lower case). */
const SAS_FUNCTIONS: ReadonlySet<string> = new Set(["listaccountsas", "listservicesas"]);

/** Text naming an atom in a message. */
export function atomText(atom: Atom): string {
  switch (atom.kind) {
    case "parameter": {
      // A member named by its path is what carries the value (`parameters('storage').sasToken`).
      const member = atom.path.filter((step) => step !== ANY);
      return member.length ? `member ${member.join(".")} of parameter '${atom.name}'` : `parameter '${atom.name}'`;
    }
    case "call":
      // The member read when that is what names the token (`listOutputsWithSecureValues().sasToken`).
      return !SAS_FUNCTIONS.has(atom.name.toLowerCase()) && isSasMemberName(memberName(atom.path)) ? `${atom.name}().${atom.path.join(".")}` : `${atom.name}()`;
    case "reference":
      return atom.path.length ? `reference().${atom.path.join(".")}` : "reference()";
    case "keyVault":
      return "a Key Vault secret";
    case "literal":
      return `the literal token '${redactSasToken(atom.text, atom.match)}'`;
  }
}

/** The key that names a member path: its last one, or the one before a last `value`; "" for none. */
function memberName(path: readonly string[]): string {
  const last = path.length - 1;
  const key = last > 0 && path[last]!.toLowerCase() === "value" ? path[last - 1] : path[last];
  return key === undefined || key === ANY ? "" : key;
}

/** The JSON node a member read of a variable (`variables('dsc').token`, `variables('l')[0]`) reads; undefined when not written out. */
function variableMember(expr: Expr, scope: EvalScope): AST.JSONExpression | undefined {
  const path: (string | number)[] = [];
  let e = expr;
  for (; e.type === "Member" || e.type === "Index"; e = e.object) {
    if (e.type === "Member") path.push(e.property);
    else if (e.index.type === "String" || e.index.type === "Number") path.push(e.index.value);
    else return undefined;
  }
  const arg = e.type === "Call" && e.args.length === 1 ? e.args[0] : undefined;
  if (callName(e) !== "variables" || arg?.type !== "String") return undefined;
  return getPath(scope.variable(arg.value), path.reverse());
}

/** A member of a DSC extension's settings block, where it is written, and the scope its value evaluates in. */
interface BlockMember {
  prop: AST.JSONProperty;
  path: string;
  scope: EvalScope;
}

/**
 * The members `key` of the objects at `within` in a settings block (`settings` or
 * `protectedSettings`): in place, or where the value of a block given by an expression is written
 * (a variable, the object a module's caller passes), with that value's scope.
 */
function blockMembers(ext: ExtensionInfo, block: "settings" | "protectedSettings", within: readonly string[], key: string): BlockMember[] {
  const view = ext.dsc;
  const holder = block === "settings" ? view?.settingsProperty : view?.protectedSettingsProperty;
  if (!holder) return [];
  // Written in place (nearly always): a walk of the objects, without a query.
  let node: AST.JSONExpression | undefined = holder.value;
  let depth = 0;
  for (; depth < within.length && isObject(node); depth++) node = findProperty(node, within[depth]!)?.value;
  if (!node) return [];
  const containers = depth === within.length && isObject(node) ? [{ node, scope: ext.scope }] : writtenValues(node, ext.scope, within.slice(depth), evaluateExpr).values;
  const out: BlockMember[] = [];
  for (const written of containers) {
    const prop = findProperty(written.node, key);
    if (prop) out.push({ prop, path: [block, ...within, propertyName(prop) ?? key].join("."), scope: written.scope });
  }
  return out;
}

/** The SAS token key properties of a DSC extension: documented, misplaced and legacy. */
export function tokenKeyProperties(ext: ExtensionInfo): BlockMember[] {
  const out: BlockMember[] = [];
  for (const block of ["protectedSettings", "settings"] as const) {
    for (const key of TOKEN_KEYS) out.push(...blockMembers(ext, block, [], key));
  }
  out.push(...blockMembers(ext, "settings", [], "SasToken"));
  return out;
}

/** The configuration URL values of a DSC extension a SAS token may be appended to. */
export function urlValues(ext: ExtensionInfo): { node: AST.JSONExpression; path: string; scope: EvalScope }[] {
  const members = [
    ...blockMembers(ext, "settings", ["configuration"], "url"),
    ...blockMembers(ext, "settings", ["configurationData"], "url"),
    ...blockMembers(ext, "settings", [], "ModulesUrl"),
    ...blockMembers(ext, "protectedSettings", [], "DataBlobUri"),
  ];
  return members.map(({ prop, path, scope }) => ({ node: prop.value, path, scope }));
}

/** Functions whose result is their first argument's text, reshaped (`string(parameters('t'))`). */
const PASSES_FIRST: ReadonlySet<string> = new Set([
  "string",
  "trim",
  "tolower",
  "toupper",
  "replace",
  "substring",
  "skip",
  "take",
  "uricomponent",
  "uricomponenttostring",
]);

/**
 * Parameters whose value is passed on whole or reshaped: the value itself, through variables,
 * either branch of `if`, `coalesce`, the non-literal pieces of `concat` (`concat('?',
 * parameters('t'))`) and `format`, and the first argument of the text functions of PASSES_FIRST;
 * followed into the outer parameters that supply an inner-scoped template's parameter, and into the
 * parameters a default passes on (`"defaultValue": "[parameters('_artifactsLocationSasToken')]"`).
 * `lastPiece`: of `concat` and `format`, only the piece that ends the text: what a token is,
 * where the value may be a whole URL with its token at the end (`concat(base, 'x.zip', token)`).
 */
export function directParameters(node: AST.JSONExpression | Expr, scope: EvalScope, lastPiece = false): ParameterDecl[] {
  const out: ParameterDecl[] = [];
  const found = new Set<ParameterDecl>();
  const seen = new Set<object>();
  const work: { value: AST.JSONExpression | Expr; scope: EvalScope; depth: number }[] = [{ value: node, scope, depth: 0 }];
  while (work.length > 0) {
    const item = work.pop()!;
    if (item.depth > MAX_DIRECT_DEPTH || seen.has(item.value)) continue;
    seen.add(item.value);
    const exprs: Expr[] = [];
    if (!isJsonNode(item.value)) exprs.push(item.value);
    else if (isStringLiteral(item.value)) {
      const parsed = parseStringNode(item.value);
      if (parsed.kind === "expression") exprs.push(parsed.expr);
    }
    while (exprs.length > 0) {
      const e = exprs.pop()!;
      if (e.type === "Member") {
        // A member of an object built in place: `createObject('p', createObject('value', x)).p.value` is x.
        const picked = createdMember(e);
        if (picked) exprs.push(picked);
        continue;
      }
      if (e.type !== "Call") continue;
      if (e.namespace !== null) {
        // A user-defined function: its output, with its parameters bound to the call's arguments.
        const fn = item.scope.userFunction?.(e.namespace, e.name);
        if (fn && fn.parameters.length === e.args.length) work.push({ value: fn.output, scope: functionScope(fn, e.args, item.scope), depth: item.depth + 1 });
        continue;
      }
      const name = callName(e);
      const arg = e.args[0];
      if ((name === "parameters" || name === "variables") && e.args.length === 1 && arg?.type === "String") {
        if (name === "variables") {
          const target = item.scope.variable(arg.value);
          if (target) work.push({ value: target, scope: item.scope, depth: item.depth + 1 });
          continue;
        }
        const decl = item.scope.parameter(arg.value);
        if (!decl || found.has(decl)) continue;
        // A function's parameter is no declaration to check: only the argument it stands for.
        if (!decl.argument) {
          out.push(decl);
          found.add(decl);
        }
        // The value passed in, or else the default (which may pass another parameter on).
        const supplied = decl.supplied;
        if (supplied) work.push({ value: supplied.node ?? supplied.expr, scope: supplied.scope, depth: item.depth + 1 });
        else if (decl.defaultValue) work.push({ value: decl.defaultValue, scope: item.scope, depth: item.depth + 1 });
      } else if (name === "if" && e.args.length === 3) {
        exprs.push(e.args[1]!, e.args[2]!);
      } else if (name === "coalesce" || (name === "concat" && !lastPiece)) {
        exprs.push(...e.args);
      } else if (name === "concat") {
        if (e.args.length > 0) exprs.push(e.args[e.args.length - 1]!);
      } else if (name === "format" && !lastPiece) {
        // `format('?{0}', parameters('t'))`, as Bicep writes `'?${t}'`: the pieces, not the pattern.
        exprs.push(...e.args.slice(1));
      } else if (name === "format") {
        const last = arg?.type === "String" ? /\{(\d+)\}$/u.exec(arg.value) : null;
        const target = last ? e.args[Number(last[1]) + 1] : undefined;
        if (target) exprs.push(target);
      } else if (name !== null && PASSES_FIRST.has(name) && arg) {
        exprs.push(arg);
      }
    }
  }
  return out;
}
