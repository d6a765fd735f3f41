import { parseJSON } from "jsonc-eslint-parser";
import type { AST } from "../../../lib/json/types.js";
import type { EvalScope, Expr, ParameterDecl, Value } from "../../../lib/expression/index.js";

/** Parses JSONC text and returns the root value node. */
export function jsonNode(text: string): AST.JSONExpression {
  return parseJSON(text, { jsonSyntax: "JSONC" }).body[0].expression;
}

function keyOf(prop: AST.JSONProperty): string {
  return prop.key.type === "JSONIdentifier" ? prop.key.name : String(prop.key.value);
}

function member(obj: AST.JSONExpression | undefined, name: string): AST.JSONExpression | undefined {
  if (obj?.type !== "JSONObjectExpression") return undefined;
  return obj.properties.find((p) => keyOf(p).toLowerCase() === name.toLowerCase())?.value;
}

/** A tiny EvalScope over a template's `parameters` and `variables` sections. */
export class TestScope implements EvalScope {
  readonly cache = new Map<unknown, Value>();
  readonly params = new Map<string, ParameterDecl>();
  readonly vars = new Map<string, { name: string; node: AST.JSONExpression }>();
  lookups = 0;

  constructor(template: AST.JSONExpression | string = "{}") {
    const root = typeof template === "string" ? jsonNode(template) : template;
    const params = member(root, "parameters");
    if (params?.type === "JSONObjectExpression") {
      for (const prop of params.properties) {
        const decl = prop.value;
        const type = member(decl, "type");
        const d: ParameterDecl = {
          name: keyOf(prop),
          type: type?.type === "JSONLiteral" && typeof type.value === "string" ? type.value : null,
        };
        const def = member(decl, "defaultValue");
        if (def) d.defaultValue = def;
        const allowed = member(decl, "allowedValues");
        if (allowed) d.allowedValues = allowed;
        this.params.set(d.name.toLowerCase(), d);
      }
    }
    const vars = member(root, "variables");
    if (vars?.type === "JSONObjectExpression") {
      for (const prop of vars.properties) this.vars.set(keyOf(prop).toLowerCase(), { name: keyOf(prop), node: prop.value });
    }
  }

  /** Supplies a value for a parameter (as a nested deployment does), evaluated in `scope`. */
  supply(name: string, valueJson: string, scope: EvalScope): this {
    const decl = this.params.get(name.toLowerCase());
    if (!decl) throw new Error(`no parameter ${name}`);
    decl.supplied = { node: jsonNode(valueJson), scope };
    return this;
  }

  parameter(name: string): ParameterDecl | undefined {
    this.lookups++;
    return this.params.get(name.toLowerCase());
  }

  variable(name: string): AST.JSONExpression | undefined {
    this.lookups++;
    return this.vars.get(name.toLowerCase())?.node;
  }

  variableName(name: string): string | undefined {
    return this.vars.get(name.toLowerCase())?.name;
  }
}

/** Removes `start`/`end` from an expression tree (recursive; for small test trees). */
export function stripOffsets(e: Expr): unknown {
  switch (e.type) {
    case "String":
      return { type: e.type, value: e.value };
    case "Number":
      return { type: e.type, value: e.value, raw: e.raw };
    case "Identifier":
      return { type: e.type, name: e.name };
    case "Call":
      return { type: e.type, namespace: e.namespace, name: e.name, args: e.args.map(stripOffsets) };
    case "Member":
      return { type: e.type, object: stripOffsets(e.object), property: e.property };
    case "Index":
      return { type: e.type, object: stripOffsets(e.object), index: stripOffsets(e.index) };
  }
}
