/** Where the `occurrence`-th copy of `snippet` sits in `code`, as ESLint reports it (1-based columns). */
export function at(
  code: string,
  snippet: string,
  occurrence = 1,
): { line: number; column: number; endLine: number; endColumn: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = code.indexOf(snippet, index + 1);
    if (index < 0) throw new Error(`snippet ${JSON.stringify(snippet)} (#${occurrence}) not found`);
  }
  const start = position(code, index);
  const end = position(code, index + snippet.length);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** One expected error: its messageId and data, where the `occurrence`-th `snippet` of `code` sits. */
export function errorAt(code: string, messageId: string, data: Record<string, string>, snippet: string, occurrence = 1) {
  return { messageId, data, ...at(code, snippet, occurrence) };
}

/** An invalid case with one expected error and no fix: `code` and errorAt's report on it. */
export function oneError(code: string, messageId: string, data: Record<string, string>, snippet: string, occurrence = 1) {
  return { code, errors: [errorAt(code, messageId, data, snippet, occurrence)] };
}

/** Line and 1-based column of an offset. */
function position(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, offset).replace(/^\uFEFF/u, "");
  const lines = before.split(/\r\n|\n|\r/u);
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

export const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
export const PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";
