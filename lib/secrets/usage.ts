/**
 * Where a file reads its variables: every `variables('<name>')` call in every string, with the
 * member path it is read through (`variables('s').url` reads path ["url"]). A fix may rewrite a
 * variable (or a member of an object variable) only when this is its one reader.
 */
import type { AST } from "../json/types.js";
import { isArray, isObject } from "../json/access.js";
import { callName, isExpressionString, parseStringNode, type Expr } from "../expression/index.js";
import { ANY } from "./flow.js";

/** Variable reads of one file. */
export interface VariableUses {
  /** Member paths each variable (by lower-case name) is read through. */
  paths: Map<string, string[][]>;
  /** True when a variable name is computed (`variables(concat(...))`): any variable may be read. */
  dynamic: boolean;
}

const cache = new WeakMap<object, VariableUses>();

/** The variable reads in the file whose root value is `root` (cached per root). */
export function variableUses(root: AST.JSONExpression): VariableUses {
  let uses = cache.get(root);
  if (!uses) {
    uses = collect(root);
    cache.set(root, uses);
  }
  return uses;
}

/** True when a string value may read a variable: an expression that mentions `variables`. */
export function mayReadVariables(value: string): boolean {
  return isExpressionString(value) && value.toLowerCase().includes("variables");
}

/** True when one path is a prefix of the other (segments compare case-insensitively; ANY matches all). */
function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== ANY && y !== ANY && x.toLowerCase() !== y.toLowerCase()) return false;
  }
  return true;
}

/** Number of reads of variable `name` that may see the member at `path`. */
export function readersOf(uses: VariableUses, name: string, path: readonly string[]): number {
  if (uses.dynamic) return Infinity;
  return (uses.paths.get(name.toLowerCase()) ?? []).filter((p) => overlaps(p, path)).length;
}

/** Scans every string of the document. Iterative. */
function collect(root: AST.JSONExpression): VariableUses {
  const uses: VariableUses = { paths: new Map(), dynamic: false };
  const stack: AST.JSONExpression[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isObject(node)) {
      for (const prop of node.properties) stack.push(prop.value);
    } else if (isArray(node)) {
      for (const element of node.elements) if (element) stack.push(element);
    } else if (node.type === "JSONLiteral" && typeof node.value === "string" && mayReadVariables(node.value)) {
      const parsed = parseStringNode(node);
      if (parsed.kind === "expression") scanExpr(parsed.expr, uses);
    }
  }
  return uses;
}

/** Records the variable reads of one expression. */
function scanExpr(expr: Expr, uses: VariableUses): void {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    let e = stack.pop()!;
    const path: string[] = [];
    while (e.type === "Member" || e.type === "Index") {
      if (e.type === "Member") path.push(e.property);
      else {
        const index = e.index;
        path.push(index.type === "String" ? index.value : index.type === "Number" ? String(index.value) : ANY);
        if (index.type !== "String" && index.type !== "Number") stack.push(index);
      }
      e = e.object;
    }
    path.reverse();
    if (e.type !== "Call") continue;
    if (callName(e) === "variables") {
      const arg = e.args[0];
      if (e.args.length === 1 && arg?.type === "String") {
        const name = arg.value.toLowerCase();
        const list = uses.paths.get(name) ?? [];
        list.push(path);
        uses.paths.set(name, list);
        continue;
      }
      uses.dynamic = true;
    }
    for (const arg of e.args) stack.push(arg);
  }
}
