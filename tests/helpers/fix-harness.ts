// Fix-safety harness: runs every rule of the plugin with a recording context, then checks each
// fix and each suggestion on its own (the output parses, the parsed data changes only at the JSON
// pointers the fix declares through `declareFix`, no comment is lost) and the whole `--fix` run
// (same checks on the final text, and a second run changes nothing).
import { Linter, type Rule } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import plugin from "../../index.js";

/** One replacement of `range` of the text by `text`, as ESLint's fixer produces it. */
export interface Edit {
  range: [number, number];
  text: string;
}

/** A fix or suggestion a rule offered, with the pointers it declared (undefined when it declared none). */
export interface RecordedFix {
  ruleId: string;
  /** The report's messageId. */
  messageId: string;
  /** "fix" for an autofix, "suggestion" for a suggestion. */
  kind: "fix" | "suggestion";
  /** The suggestion's own messageId. */
  suggestionId?: string;
  paths: readonly string[] | undefined;
  /** The fix merged into one edit, as ESLint applies it. */
  edit: Edit;
  line: number;
  column: number;
}

/** One report of one rule, with its fix and suggestions. */
export interface RecordedReport {
  ruleId: string;
  messageId: string;
  line: number;
  column: number;
  fix: RecordedFix | null;
  suggestions: RecordedFix[];
}

/** The check that failed. */
export type FailureKind = "crash" | "parse" | "paths" | "undeclared" | "comments" | "idempotent" | "overlap";

/** One broken promise of a rule's fix. */
export interface HarnessFailure {
  kind: FailureKind;
  ruleId: string | null;
  messageId: string | null;
  message: string;
}

/** What the harness found for one text. */
export interface HarnessResult {
  /** The input did not parse; nothing else was checked. */
  parseError: string | null;
  /** Reports of the first pass. */
  reports: RecordedReport[];
  /** Fixes applied over all passes of the simulated `--fix` run. */
  fixesApplied: number;
  /** Fixes and suggestions checked on their own. */
  checked: number;
  /** The text after the simulated `--fix` run. */
  output: string;
  /** Passes the simulated `--fix` run made before nothing was left to fix. */
  passes: number;
  failures: HarnessFailure[];
  /** Fixes of allow-listed rules that declared no paths (checked without the path check). */
  undeclared: RecordedFix[];
}

/** Options of the harness. */
export interface HarnessOptions {
  /** Rules whose fixes may still lack declared paths (they are reported, not failed). */
  allowUndeclared?: ReadonlySet<string>;
  /** Rule entries to run (default: `plugin.configs.all`). */
  rules?: Linter.RulesRecord;
  /** Rules to wrap instead of the plugin's (the harness's own tests use fakes), under `arm-dsc/`. */
  ruleModules?: Record<string, Rule.RuleModule>;
}

/**
 * Rules whose fixes or suggestions do not yet declare the JSON pointers they change (through
 * `declareFix` in lib/rule.ts). They are being retrofitted; until then the harness reports their
 * undeclared fixes as diagnostics and checks them without the path check. Remove a name as soon
 * as its rule declares paths.
 */
export const UNDECLARED_ALLOWED: ReadonlySet<string> = new Set<string>([]);

/** ESLint stops `--fix` after this many passes. */
const MAX_FIX_PASSES = 10;
const NAMESPACE = "arm-dsc";
const FILES = ["**/*.json", "**/*.jsonc"];

/** The rule entries of a config array, merged in order. */
export function rulesOf(config: readonly Linter.Config[]): Linter.RulesRecord {
  const out: Linter.RulesRecord = {};
  for (const c of config) Object.assign(out, c.rules ?? {});
  return out;
}

/** The JSONC parser options every config of the plugin uses. */
const LANGUAGE_OPTIONS: Linter.LanguageOptions = { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } };

/** A file name the plugin's configs match, keeping the extension of `filename`. */
export function lintName(filename: string): string {
  return filename.toLowerCase().endsWith(".jsonc") ? "template.jsonc" : "template.json";
}

/** Text without a leading byte order mark (ESLint's ranges do not count it). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses JSONC like the plugin's configs do; throws on a syntax error. */
export function parseJsonc(text: string): jsoncParser.AST.JSONProgram {
  return jsoncParser.parseJSON(text, { jsonSyntax: "JSONC" });
}

// ---------------------------------------------------------------------------------------------
// Data and comments
// ---------------------------------------------------------------------------------------------

/** Parsed JSON data; objects are Maps so that any key (even `__proto__`) is an own entry. */
export type Data = null | boolean | number | string | bigint | RegExp | undefined | Data[] | Map<string, Data>;

/** The static value of a JSON node; objects as Maps (last duplicate key wins, as in JSON.parse). */
export function dataOf(node: jsoncParser.AST.JSONNode): Data {
  switch (node.type) {
    case "Program":
      return node.body[0] ? dataOf(node.body[0]) : undefined;
    case "JSONExpressionStatement":
      return dataOf(node.expression);
    case "JSONObjectExpression": {
      const map = new Map<string, Data>();
      for (const prop of node.properties) {
        const key = prop.key.type === "JSONIdentifier" ? prop.key.name : String(prop.key.value);
        map.delete(key);
        map.set(key, dataOf(prop.value));
      }
      return map;
    }
    case "JSONArrayExpression":
      return node.elements.map((e) => (e ? dataOf(e) : null));
    default:
      return jsoncParser.getStaticJSONValue(node as jsoncParser.AST.JSONExpression) as Data;
  }
}

/** One RFC 6901 reference token. */
function pointerToken(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** True when two leaf values are the same. */
function sameLeaf(a: Data, b: Data): boolean {
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  return Object.is(a, b) || a === b;
}

/**
 * JSON pointers where `after` differs from `before`: a changed value at its pointer, an added or
 * removed key or element at its own pointer (so a moved property counts at its old and new path).
 */
export function diffData(before: Data, after: Data, pointer = "", out: string[] = []): string[] {
  if (before instanceof Map && after instanceof Map) {
    for (const [key, value] of before) {
      const p = `${pointer}/${pointerToken(key)}`;
      if (!after.has(key)) out.push(p);
      else diffData(value, after.get(key), p, out);
    }
    for (const key of after.keys()) if (!before.has(key)) out.push(`${pointer}/${pointerToken(key)}`);
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      if (i >= before.length || i >= after.length) out.push(`${pointer}/${i}`);
      else diffData(before[i], after[i], `${pointer}/${i}`, out);
    }
    return out;
  }
  const container = (v: Data) => v instanceof Map || Array.isArray(v);
  if (container(before) || container(after) || !sameLeaf(before, after)) out.push(pointer);
  return out;
}

/** True when `pointer` equals `declared` or lies below it. */
export function isCovered(pointer: string, declared: readonly string[]): boolean {
  return declared.some((d) => d === "" || pointer === d || pointer.startsWith(`${d}/`));
}

/** The comments of a program as source text (`// x`, `/* x *\/`), with their counts. */
export function commentCounts(program: jsoncParser.AST.JSONProgram): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of program.comments) {
    const text = c.type === "Line" ? `//${c.value}` : `/*${c.value}*/`;
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return counts;
}

/** Comments of `before` that `after` has fewer of. */
export function lostComments(before: Map<string, number>, after: Map<string, number>): string[] {
  const lost: string[] = [];
  for (const [text, n] of before) if ((after.get(text) ?? 0) < n) lost.push(text);
  return lost;
}

// ---------------------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------------------

/** One edit covering every fix of a report (text between them copied), or null when they overlap. */
export function mergeFixes(text: string, fixes: readonly Edit[]): Edit | null | "overlap" {
  if (!fixes.length) return null;
  const sorted = [...fixes].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const start = sorted[0]!.range[0];
  let end = start;
  let out = "";
  for (const fix of sorted) {
    if (fix.range[0] < end) return "overlap";
    out += text.slice(end, fix.range[0]) + fix.text;
    end = fix.range[1];
  }
  return { range: [start, end], text: out };
}

/** Applies one edit. */
export function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1]);
}

/** Applies the fixes ESLint would apply in one pass: by range, skipping any that touch an earlier one. */
export function applyPass(text: string, fixes: readonly RecordedFix[]): { output: string; applied: RecordedFix[] } {
  const sorted = [...fixes].sort((a, b) => a.edit.range[0] - b.edit.range[0] || a.edit.range[1] - b.edit.range[1]);
  const applied: RecordedFix[] = [];
  let last = Number.NEGATIVE_INFINITY;
  let output = "";
  for (const fix of sorted) {
    const [start, end] = fix.edit.range;
    if (last >= start || start > end) continue;
    output += text.slice(Math.max(0, last), Math.max(0, start)) + fix.edit.text;
    last = end;
    applied.push(fix);
  }
  output += text.slice(Math.max(0, last));
  return { output, applied };
}

/** The fixes ESLint's fixer returned: null, one, or any iterable of them, as an array. */
function materialize(value: unknown): Edit[] {
  if (value === null || value === undefined) return [];
  if (typeof value === "object" && Symbol.iterator in value) return Array.from(value as Iterable<Edit>);
  return [value as Edit];
}

// ---------------------------------------------------------------------------------------------
// Recording rules
// ---------------------------------------------------------------------------------------------

type ReportDescriptor = Rule.ReportDescriptor & {
  messageId?: string;
  loc?: { line: number; column: number } | { start: { line: number; column: number } };
  node?: { loc?: { start: { line: number; column: number } } };
};
type FixFunction = ((fixer: Rule.RuleFixer) => unknown) & { paths?: unknown };

/** The start of a report's location, 1-based line and column. */
function startOf(descriptor: ReportDescriptor): { line: number; column: number } {
  const loc = descriptor.loc ?? descriptor.node?.loc;
  const start = loc && "start" in loc ? loc.start : loc;
  return start ? { line: start.line, column: start.column + 1 } : { line: 0, column: 0 };
}

/** The declared paths of a fix function, when it has a well-formed `paths` array. */
function declaredPaths(fix: FixFunction): readonly string[] | undefined {
  return Array.isArray(fix.paths) && fix.paths.every((p) => typeof p === "string") ? (fix.paths as string[]) : undefined;
}

/** Runs the plugin's rules with a context that records every report's fix and suggestions. */
export class FixHarness {
  private readonly linter = new Linter({ configType: "flat" });
  private readonly config: Linter.Config[];
  private readonly allow: ReadonlySet<string>;
  /** Where the wrapped rules record while `collect` runs. */
  private sink: { text: string; reports: RecordedReport[]; overlaps: HarnessFailure[] } | null = null;

  /** Wraps every rule of the plugin (new rules are picked up from `plugin.rules`). */
  constructor(options: HarnessOptions = {}) {
    this.allow = options.allowUndeclared ?? UNDECLARED_ALLOWED;
    const wrapped: Record<string, Rule.RuleModule> = {};
    for (const [name, rule] of Object.entries(options.ruleModules ?? (plugin.rules as unknown as Record<string, Rule.RuleModule>))) {
      wrapped[name] = this.wrap(`${NAMESPACE}/${name}`, rule);
    }
    this.config = [
      {
        files: FILES,
        plugins: { [NAMESPACE]: { meta: plugin.meta, rules: wrapped } },
        languageOptions: LANGUAGE_OPTIONS,
        rules: options.rules ?? rulesOf(plugin.configs.all),
      },
    ];
  }

  /** A copy of `rule` whose context records reports before passing them on. */
  private wrap(ruleId: string, rule: Rule.RuleModule): Rule.RuleModule {
    const record = (context: Rule.RuleContext, descriptor: ReportDescriptor): ReportDescriptor => {
      const sink = this.sink;
      if (!sink) return descriptor;
      const start = startOf(descriptor);
      const messageId = descriptor.messageId ?? "(no messageId)";
      const report: RecordedReport = { ruleId, messageId, ...start, fix: null, suggestions: [] };
      sink.reports.push(report);
      const text = context.sourceCode.text;
      const track = (original: FixFunction, kind: RecordedFix["kind"], suggestionId?: string) => (fixer: Rule.RuleFixer) => {
        const edits = materialize(original(fixer));
        const edit = mergeFixes(text, edits);
        if (edit === "overlap") {
          sink.overlaps.push({ kind: "overlap", ruleId, messageId, message: `${ruleId} (${messageId}): a ${kind} has overlapping edits.` });
        } else if (edit) {
          const fix: RecordedFix = { ruleId, messageId, kind, paths: declaredPaths(original), edit, ...start };
          if (suggestionId !== undefined) fix.suggestionId = suggestionId;
          if (kind === "fix") report.fix = fix;
          else report.suggestions.push(fix);
        }
        return edits;
      };
      const out: ReportDescriptor = { ...descriptor };
      if (typeof descriptor.fix === "function") out.fix = track(descriptor.fix as FixFunction, "fix") as Rule.ReportFixer;
      if (Array.isArray(descriptor.suggest)) {
        out.suggest = descriptor.suggest.map((s) => {
          const id = (s as { messageId?: string }).messageId ?? "(no messageId)";
          return typeof s.fix === "function" ? { ...s, fix: track(s.fix as FixFunction, "suggestion", id) as Rule.ReportFixer } : s;
        });
      }
      return out;
    };
    return {
      ...rule,
      create(context: Rule.RuleContext) {
        const report = (...args: unknown[]) => {
          const [first] = args;
          if (args.length === 1 && typeof first === "object" && first !== null) {
            context.report(record(context, first as ReportDescriptor));
          } else {
            (context.report as (...a: unknown[]) => void)(...args);
          }
        };
        // The context is frozen and owns `report`: shadow it on an object that inherits the rest.
        const proxy = Object.freeze(Object.create(context, { report: { value: report, enumerable: true } }) as Rule.RuleContext);
        return rule.create(proxy);
      },
    };
  }

  /** Lints `text` once with the recording rules; throws when a rule throws. */
  collect(text: string, filename = "template.json"): { reports: RecordedReport[]; messages: Linter.LintMessage[]; overlaps: HarnessFailure[] } {
    const sink = { text, reports: [] as RecordedReport[], overlaps: [] as HarnessFailure[] };
    this.sink = sink;
    try {
      const messages = this.linter.verify(text, this.config, { filename: lintName(filename) });
      return { reports: keepReported(sink.reports, messages), messages, overlaps: sink.overlaps };
    } finally {
      this.sink = null;
    }
  }

  /** Checks one fix or suggestion applied alone to `text`. */
  checkOne(text: string, before: { data: Data; comments: Map<string, number> }, fix: RecordedFix, failures: HarnessFailure[], undeclared: RecordedFix[]): string[] | null {
    const what = `${fix.ruleId} (${fix.messageId}${fix.suggestionId ? `, suggestion ${fix.suggestionId}` : ""}) at ${fix.line}:${fix.column}`;
    const fail = (kind: FailureKind, message: string) =>
      failures.push({ kind, ruleId: fix.ruleId, messageId: fix.suggestionId ?? fix.messageId, message: `${what}: ${message}` });
    if (!fix.paths) {
      const rule = fix.ruleId.slice(NAMESPACE.length + 1);
      if (this.allow.has(rule)) undeclared.push(fix);
      else fail("undeclared", `the ${fix.kind} declares no paths; wrap it in declareFix(paths, fix) (lib/rule.ts).`);
    }
    const output = applyEdit(text, fix.edit);
    let program: jsoncParser.AST.JSONProgram;
    try {
      program = parseJsonc(output);
    } catch (error) {
      fail("parse", `the output does not parse: ${(error as Error).message}\n${excerpt(output, fix.edit)}`);
      return null;
    }
    const changed = diffData(before.data, dataOf(program));
    if (fix.paths) {
      const stray = changed.filter((p) => !isCovered(p, fix.paths!));
      if (stray.length) {
        fail("paths", `the data changed at ${list(stray)}, outside the declared ${list(fix.paths)}.\n${excerpt(output, fix.edit)}`);
      }
    }
    const lost = lostComments(before.comments, commentCounts(program));
    if (lost.length) fail("comments", `comments lost: ${list(lost)}.`);
    return changed;
  }

  /**
   * The full check of one text: every fix and suggestion alone, then a simulated `--fix` run
   * (passes as ESLint makes them) whose final text must parse, keep every comment, differ only at
   * the applied fixes' declared paths, and have nothing left to fix.
   */
  check(rawText: string, filename = "template.json"): HarnessResult {
    const text = stripBom(rawText);
    const result: HarnessResult = {
      parseError: null,
      reports: [],
      fixesApplied: 0,
      checked: 0,
      output: text,
      passes: 0,
      failures: [],
      undeclared: [],
    };
    let original: jsoncParser.AST.JSONProgram;
    try {
      original = parseJsonc(text);
    } catch (error) {
      result.parseError = (error as Error).message;
      return result;
    }
    const start = { data: dataOf(original), comments: commentCounts(original) };
    const declared: string[] = [];
    let current = text;
    for (let pass = 0; ; pass++) {
      let collected: ReturnType<FixHarness["collect"]>;
      try {
        collected = this.collect(current, filename);
      } catch (error) {
        const e = error as Error & { ruleId?: string };
        result.failures.push({ kind: "crash", ruleId: e.ruleId ?? null, messageId: null, message: `a rule threw${pass ? ` in fix pass ${pass + 1}` : ""}: ${e.stack ?? e.message}` });
        return result;
      }
      if (pass === 0) result.reports = collected.reports;
      result.failures.push(...collected.overlaps);
      const fixes = collected.reports.flatMap((r) => (r.fix ? [r.fix] : []));
      if (pass >= MAX_FIX_PASSES && fixes.length) {
        result.failures.push({
          kind: "idempotent",
          ruleId: fixes[0]!.ruleId,
          messageId: fixes[0]!.messageId,
          message: `after ${MAX_FIX_PASSES} passes there is still something to fix (${list(fixes.map((f) => `${f.ruleId} (${f.messageId})`))}); a second --fix run would change the text again.`,
        });
        break;
      }
      let before = start;
      if (pass > 0) {
        let program: jsoncParser.AST.JSONProgram;
        try {
          program = parseJsonc(current);
        } catch (error) {
          result.failures.push({ kind: "parse", ruleId: null, messageId: null, message: `the text after fix pass ${pass} does not parse: ${(error as Error).message}` });
          return result;
        }
        before = { data: dataOf(program), comments: commentCounts(program) };
      }
      const observed = new Map<RecordedFix, string[] | null>();
      for (const report of collected.reports) {
        for (const fix of [...(report.fix ? [report.fix] : []), ...report.suggestions]) {
          result.checked++;
          observed.set(fix, this.checkOne(current, before, fix, result.failures, result.undeclared));
        }
      }
      if (!fixes.length) break;
      const { output, applied } = applyPass(current, fixes);
      for (const fix of applied) declared.push(...(fix.paths ?? observed.get(fix) ?? []));
      result.fixesApplied += applied.length;
      result.passes = pass + 1;
      current = output;
    }
    result.output = current;
    result.failures = dedupe(result.failures);
    if (current === text) return result;
    let final: jsoncParser.AST.JSONProgram;
    try {
      final = parseJsonc(current);
    } catch (error) {
      result.failures.push({ kind: "parse", ruleId: null, messageId: null, message: `the --fix output does not parse: ${(error as Error).message}` });
      return result;
    }
    const stray = diffData(start.data, dataOf(final)).filter((p) => !isCovered(p, declared));
    if (stray.length) {
      result.failures.push({ kind: "paths", ruleId: null, messageId: null, message: `the --fix output changed the data at ${list(stray)}, which no applied fix declares.` });
    }
    const lost = lostComments(start.comments, commentCounts(final));
    if (lost.length) result.failures.push({ kind: "comments", ruleId: null, messageId: null, message: `the --fix output lost comments: ${list(lost)}.` });
    return result;
  }
}

/**
 * The recorded reports that ESLint kept (a disable comment drops a report and its fixes): each
 * fix and suggestion must match one of the messages' own, edit for edit.
 */
function keepReported(reports: readonly RecordedReport[], messages: readonly Linter.LintMessage[]): RecordedReport[] {
  const key = (ruleId: string | null, edit: { range: readonly number[]; text: string }) => `${ruleId} ${edit.range[0]}:${edit.range[1]} ${edit.text}`;
  const available = new Map<string, number>();
  const add = (k: string) => available.set(k, (available.get(k) ?? 0) + 1);
  for (const m of messages) {
    if (m.fix) add(`fix ${key(m.ruleId, m.fix)}`);
    for (const s of m.suggestions ?? []) if (s.fix) add(`suggestion ${key(m.ruleId, s.fix)}`);
  }
  const take = (fix: RecordedFix) => {
    const k = `${fix.kind} ${key(fix.ruleId, fix.edit)}`;
    const n = available.get(k) ?? 0;
    if (n > 0) available.set(k, n - 1);
    return n > 0;
  };
  const reported = new Set(messages.map((m) => `${m.ruleId} ${m.messageId} ${m.line}:${m.column}`));
  return reports
    .filter((r) => reported.has(`${r.ruleId} ${r.messageId} ${r.line}:${r.column}`))
    .map((r) => ({ ...r, fix: r.fix && take(r.fix) ? r.fix : null, suggestions: r.suggestions.filter(take) }));
}

/** Failures without repeats (a suggestion offered again in a later pass fails the same way). */
function dedupe(failures: readonly HarnessFailure[]): HarnessFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => !seen.has(f.message) && Boolean(seen.add(f.message)));
}

/** A short list of values for a message. */
function list(values: readonly string[]): string {
  const shown = values.slice(0, 8).map((v) => JSON.stringify(v));
  return `[${shown.join(", ")}${values.length > 8 ? `, ... (${values.length} in all)` : ""}]`;
}

/** The lines of `output` around an edit, to show in a failure. */
function excerpt(output: string, edit: Edit): string {
  const from = output.lastIndexOf("\n", Math.max(0, edit.range[0] - 200));
  const to = output.indexOf("\n", Math.min(output.length, edit.range[0] + edit.text.length + 200));
  return `--- output around the edit ---\n${output.slice(from + 1, to === -1 ? undefined : to)}`;
}

/** A one-line summary of harness failures, for assertion messages. */
export function formatFailures(failures: readonly HarnessFailure[], limit = 20): string {
  const lines = failures.slice(0, limit).map((f) => `  [${f.kind}] ${f.message}`);
  if (failures.length > limit) lines.push(`  ... and ${failures.length - limit} more`);
  return lines.join("\n");
}
