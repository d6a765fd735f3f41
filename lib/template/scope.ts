import type { AST } from "../json/types.js";
import { findEachProperty, getObjectValue, getValue, isArray, isBooleanLiteral, isObject, isStringLiteral, propertyName } from "../json/access.js";
import type { EvalScope, ParameterDecl, UserFunction, Value } from "../expression/index.js";

/** The keys of a parameter declaration the scope reads, in the order the constructor unpacks them. */
const DECLARATION_KEYS = ["type", "defaultValue", "allowedValues", "$ref", "nullable"] as const;

/** Most `$ref` hops followed to a user-defined type's `type`. */
const MAX_REF_HOPS = 8;

/**
 * The `type` of the definition a Bicep user-defined type refers to (`"$ref": "#/definitions/X"`),
 * following definitions that refer on (null when it cannot be read), and the first `allowedValues`
 * on the way: Bicep writes a literal union (`'2.80' | '2.83'`) as a string type with allowed values.
 */
function refDefinition(template: AST.JSONObjectExpression | undefined, ref: AST.JSONExpression | undefined): { type: string | null; allowedValues?: AST.JSONExpression } {
  const definitions = template ? getObjectValue(template, "definitions") : undefined;
  let allowedValues: AST.JSONExpression | undefined;
  let current = ref;
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    const match = isStringLiteral(current) ? /^#\/definitions\/([^/]+)$/u.exec(current.value) : null;
    const definition = match ? getObjectValue(definitions, match[1]!) : undefined;
    if (!definition) break;
    allowedValues ??= getValue(definition, "allowedValues");
    const type = getValue(definition, "type");
    if (isStringLiteral(type)) return { type: type.value, allowedValues };
    current = getValue(definition, "$ref");
  }
  return { type: null, allowedValues };
}

/** A function member (`{ "parameters": [{ "name", "type" }], "output": { "value" } }`); undefined when malformed. */
function userFunction(member: AST.JSONExpression): UserFunction | undefined {
  const params = isObject(member) ? getValue(member, "parameters") : undefined;
  const output = isObject(member) ? getObjectValue(member, "output") : undefined;
  const value = output ? getValue(output, "value") : undefined;
  if (!value || (params !== undefined && !isArray(params))) return undefined;
  const parameters: UserFunction["parameters"] = [];
  for (const p of params?.elements ?? []) {
    const name = isObject(p) ? getValue(p, "name") : undefined;
    if (!isStringLiteral(name)) return undefined;
    const type = getValue(p as AST.JSONObjectExpression, "type");
    parameters.push({ name: name.value, type: isStringLiteral(type) ? type.value : null });
  }
  return { parameters, output: value };
}

/**
 * The parameters and variables that expressions in one part of a template can see. One instance
 * per template (or per inner-scoped nested template); it owns the evaluation memo for that scope.
 */
export class TemplateScope implements EvalScope {
  readonly cache = new Map<unknown, Value>();
  readonly parameters = new Map<string, ParameterDecl & { node: AST.JSONObjectExpression; property: AST.JSONProperty }>();
  readonly variables = new Map<string, { name: string; node: AST.JSONExpression; property: AST.JSONProperty }>();
  /** The `input` of each variable a copy loop builds, by lower-case name. */
  readonly copies = new Map<string, AST.JSONExpression>();
  /** User-defined functions by lower-case `namespace.name`. */
  readonly functions = new Map<string, UserFunction>();

  /** Collects the declarations of `template` (its `parameters` and `variables` objects). */
  constructor(template: AST.JSONObjectExpression | undefined) {
    const params = template ? getObjectValue(template, "parameters") : undefined;
    for (const prop of params?.properties ?? []) {
      const name = propertyName(prop);
      if (name === null || !isObject(prop.value)) continue;
      const decl = prop.value;
      const [type, defaultValue, allowedValues, ref, nullable] = findEachProperty(decl, DECLARATION_KEYS);
      const defined = type ? null : refDefinition(template, ref?.value);
      // Every optional member is set (undefined when absent), so that all declarations share one shape.
      this.parameters.set(name.toLowerCase(), {
        name,
        type: type ? (isStringLiteral(type.value) ? type.value.value : null) : defined!.type,
        typeRef: ref && !type ? ref : undefined,
        defaultValue: defaultValue?.value,
        allowedValues: allowedValues?.value ?? defined?.allowedValues,
        supplied: undefined,
        fixedDefault: undefined,
        nullable: isBooleanLiteral(nullable?.value) && nullable.value.value ? true : undefined,
        absentIsNull: undefined,
        free: undefined,
        argument: undefined,
        node: decl,
        property: prop,
      });
    }
    const namespaces = template ? getValue(template, "functions") : undefined;
    for (const namespace of isArray(namespaces) ? namespaces.elements : []) {
      const prefix = isObject(namespace) ? getValue(namespace, "namespace") : undefined;
      const members = isObject(namespace) ? getObjectValue(namespace, "members") : undefined;
      if (!isStringLiteral(prefix) || !members) continue;
      for (const member of members.properties) {
        const fn = userFunction(member.value);
        const name = propertyName(member);
        if (fn && name !== null) this.functions.set(`${prefix.value}.${name}`.toLowerCase(), fn);
      }
    }
    const vars = template ? getObjectValue(template, "variables") : undefined;
    for (const prop of vars?.properties ?? []) {
      const name = propertyName(prop);
      if (name === null) continue;
      const key = name.toLowerCase();
      this.variables.set(key, { name, node: prop.value, property: prop });
      if (key !== "copy" || prop.value.type !== "JSONArrayExpression") continue;
      for (const loop of prop.value.elements) {
        const [loopName, input] = isObject(loop) ? [getValue(loop, "name"), getValue(loop, "input")] : [];
        if (isStringLiteral(loopName) && input) this.copies.set(loopName.value.toLowerCase(), input);
      }
    }
  }

  /** A user-defined function (see EvalScope.userFunction). */
  userFunction(namespace: string, name: string): UserFunction | undefined {
    return this.functions.get(`${namespace}.${name}`.toLowerCase());
  }

  /** Case-insensitive parameter lookup. */
  parameter(name: string): ParameterDecl | undefined {
    return this.parameters.get(name.toLowerCase());
  }

  /** Case-insensitive variable lookup. */
  variable(name: string): AST.JSONExpression | undefined {
    return this.variables.get(name.toLowerCase())?.node;
  }

  /** The input of a copy-loop variable (see EvalScope.variableCopy). */
  variableCopy(name: string): AST.JSONExpression | undefined {
    return this.copies.get(name.toLowerCase());
  }

  /** The declared spelling of a variable name. */
  variableName(name: string): string | undefined {
    return this.variables.get(name.toLowerCase())?.name;
  }
}
