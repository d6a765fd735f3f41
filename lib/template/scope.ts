import type { AST } from "../json/types.js";
import { findEachProperty, getObjectValue, getValue, isObject, isStringLiteral, propertyName } from "../json/access.js";
import type { EvalScope, ParameterDecl, Value } from "../expression/index.js";

/** The keys of a parameter declaration the scope reads, in the order the constructor unpacks them. */
const DECLARATION_KEYS = ["type", "defaultValue", "allowedValues", "$ref"] as const;

/** Most `$ref` hops followed to a user-defined type's `type`. */
const MAX_REF_HOPS = 8;

/**
 * The `type` of the definition a Bicep user-defined type refers to (`"$ref": "#/definitions/X"`),
 * following definitions that refer on; null when it cannot be read.
 */
function refType(template: AST.JSONObjectExpression | undefined, ref: AST.JSONExpression | undefined): string | null {
  const definitions = template ? getObjectValue(template, "definitions") : undefined;
  let current = ref;
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    const match = isStringLiteral(current) ? /^#\/definitions\/([^/]+)$/u.exec(current.value) : null;
    const definition = match ? getObjectValue(definitions, match[1]!) : undefined;
    if (!definition) return null;
    const type = getValue(definition, "type");
    if (isStringLiteral(type)) return type.value;
    current = getValue(definition, "$ref");
  }
  return null;
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

  /** Collects the declarations of `template` (its `parameters` and `variables` objects). */
  constructor(template: AST.JSONObjectExpression | undefined) {
    const params = template ? getObjectValue(template, "parameters") : undefined;
    for (const prop of params?.properties ?? []) {
      const name = propertyName(prop);
      if (name === null || !isObject(prop.value)) continue;
      const decl = prop.value;
      const [type, defaultValue, allowedValues, ref] = findEachProperty(decl, DECLARATION_KEYS);
      this.parameters.set(name.toLowerCase(), {
        name,
        type: type ? (isStringLiteral(type.value) ? type.value.value : null) : refType(template, ref?.value),
        ...(ref && !type ? { typeRef: ref } : {}),
        defaultValue: defaultValue?.value,
        allowedValues: allowedValues?.value,
        node: decl,
        property: prop,
      });
    }
    const vars = template ? getObjectValue(template, "variables") : undefined;
    for (const prop of vars?.properties ?? []) {
      const name = propertyName(prop);
      if (name === null) continue;
      this.variables.set(name.toLowerCase(), { name, node: prop.value, property: prop });
      if (name.toLowerCase() !== "copy" || prop.value.type !== "JSONArrayExpression") continue;
      for (const loop of prop.value.elements) {
        const [loopName, input] = isObject(loop) ? [getValue(loop, "name"), getValue(loop, "input")] : [];
        if (isStringLiteral(loopName) && input) this.copies.set(loopName.value.toLowerCase(), input);
      }
    }
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
