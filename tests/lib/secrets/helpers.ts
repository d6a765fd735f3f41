import assert from "node:assert/strict";
import { parseForESLint } from "jsonc-eslint-parser";
import { getPath } from "../../../lib/json/access.js";
import type { AST } from "../../../lib/json/types.js";
import { getTemplateModel, type ExtensionInfo, type TemplateModel } from "../../../lib/template/model.js";
import { secretAnalysis, type SecretAnalysis } from "../../../lib/secrets/index.js";

/** A parsed template with its model, secret analysis and first DSC extension. */
export interface Analyzed {
  model: TemplateModel;
  analysis: SecretAnalysis;
  ext: ExtensionInfo;
}

/** Parses a template and analyses it; fails when it has no DSC extension. */
export function analyze(text: string): Analyzed {
  const { ast } = parseForESLint(text, { jsonSyntax: "JSONC" });
  const model = getTemplateModel(ast, text);
  const ext = model.dscExtensions[0];
  assert.ok(ext, "the template has a DSC extension");
  return { model, analysis: secretAnalysis(model), ext };
}

/** The value node at `path` below the extension's `properties`. */
export function at(ext: ExtensionInfo, ...path: (string | number)[]): AST.JSONExpression {
  const node = getPath(ext.properties, path);
  assert.ok(node, `no value at ${path.join(".")}`);
  return node;
}

/** A template with one top-level DSC extension on `vm1` (the shared test builder). */
export { dscOnVm as template } from "../../helpers/templates.js";

/** Standard artifacts parameters (with defaults, so URLs evaluate). */
export const ARTIFACTS = `{
    "_artifactsLocation": { "type": "string", "defaultValue": "https://example.blob.core.windows.net/artifacts/" },
    "_artifactsLocationSasToken": { "type": "secureString", "defaultValue": "" }
  }`;
