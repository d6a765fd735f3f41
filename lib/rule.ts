// The eslint-utils entry point alone: the package index also loads the TypeScript AST helpers (~40 ms).
import { RuleCreator } from "@typescript-eslint/utils/eslint-utils";
import type {
  ReportDescriptor,
  ReportFixFunction,
  RuleContext,
  RuleFix,
  RuleFixer,
  RuleListener,
  RuleModule,
} from "@typescript-eslint/utils/ts-eslint";
import { toCompatCreate } from "eslint-json-compat-utils";
import { createFixer } from "./json/fix.js";
import type { JsonFixer, JsonSourceCode } from "./json/types.js";
import { getTemplateModel, type TemplateModel } from "./template/model.js";

/** The `meta.docs` fields every rule of this plugin sets. */
export interface ArmDscDocs {
  description: string;
  /** In the `recommended` config. */
  recommended: boolean;
  /** Options the `strict` config sets, when they differ from the defaults. */
  strictOptions?: readonly unknown[];
}

/** Where a rule's documentation lives. */
export const docsUrl = (name: string): string =>
  `https://github.com/arm-dsc/eslint-plugin-arm-dsc/blob/main/docs/rules/${name}.md`;

const creator = RuleCreator<ArmDscDocs>(docsUrl);

/**
 * Creates a rule: `docs.url` from the name, defaults from `meta.defaultOptions`, and a `create`
 * that also runs on `@eslint/json`'s AST through eslint-json-compat-utils.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  spec: Parameters<typeof creator<Options, MessageIds>>[0],
): RuleModule<MessageIds, Options, ArmDscDocs> & { name: string } {
  const rule = creator<Options, MessageIds>(spec);
  // ESLint (our peer, >= 10) has already merged `meta.defaultOptions` into `context.options`; the
  // RuleCreator's own `create` would structuredClone and merge them again for every rule on every
  // file, which was most of the plugin's cost on a small JSON file that is not a template.
  const withOptions: typeof rule.create = (context) => spec.create(context, context.options);
  const create = toCompatCreate(withOptions as never) as unknown as typeof rule.create;
  return { ...rule, create };
}

/** The source code of a JSON file, typed for lib/json. */
export function jsonSource(context: Readonly<RuleContext<string, readonly unknown[]>>): JsonSourceCode {
  return context.sourceCode as unknown as JsonSourceCode;
}

/** The template model of the linted file, or null when it is not JSON or not an ARM template. */
export function templateOf(
  context: Readonly<RuleContext<string, readonly unknown[]>>,
  kinds: readonly TemplateModel["kind"][] = ["deploymentTemplate"],
): TemplateModel | null {
  const source = jsonSource(context);
  if (!source.parserServices?.isJSON) return null;
  const model = getTemplateModel(source.ast, source.text);
  return kinds.includes(model.kind) ? model : null;
}

export type { RuleListener };

/** The context a rule's `create` gets. */
export type Context<MessageIds extends string, Options extends readonly unknown[]> = Readonly<RuleContext<MessageIds, Options>>;

/** The least fix text a rule may offer in one file, however small the file. */
const FIX_TEXT_FLOOR = 64 * 1024;
/** The fix text a rule may offer in one file, per character of the file. */
const FIX_TEXT_PER_CHAR = 4;

/**
 * How much fix and suggestion text one rule may offer in one lint of a file of `length`
 * characters. A fix that edits two places is one edit to ESLint, whose text holds everything in
 * between: a token fix that edits a variable and an extension's `protectedSettings` carries the
 * text from `variables` to that extension. With one such finding per extension, the text grows
 * with the square of the template (3.3 GB for 2,000 scale sets, which `eslint -f json` cannot
 * write). Four times the file is more than any template of the corpus needs (at most 1.5 times).
 */
export function fixTextBudget(length: number): number {
  return Math.max(FIX_TEXT_FLOOR, FIX_TEXT_PER_CHAR * length);
}

/** The length of the one edit ESLint makes of `edits` (non-overlapping): the text between them included. */
export function mergedFixLength(edits: readonly RuleFix[]): number {
  if (edits.length === 1) return edits[0]!.text.length;
  let start = Infinity;
  let end = -Infinity;
  let delta = 0;
  for (const edit of edits) {
    start = Math.min(start, edit.range[0]);
    end = Math.max(end, edit.range[1]);
    delta += edit.text.length - (edit.range[1] - edit.range[0]);
  }
  return edits.length === 0 ? 0 : end - start + delta;
}

/**
 * The checks of one linted template: each rule's logic is a subclass, and its `create` is
 * {@link checkTemplates}. Rules keep their logic in methods (or module-level functions), never in
 * functions declared inside `create`: V8 keeps a function's optimised code only while a closure of
 * it lives, so helpers declared in `create` (new closures for every file) were compiled again and
 * again over a lint run (about 30 ms of compiler work per 110 ms lint of a small template).
 */
export abstract class TemplateCheck<MessageIds extends string, Options extends readonly unknown[]> {
  // The fields are `declare`d and set in the constructor. As class fields they would be defined
  // one by one before the constructor runs, on instances of ten subclasses: V8's stores there go
  // megamorphic, and a construction took about 700 ns instead of 80 ns (a loop over ten subclasses).
  /** The file's template model. */
  protected declare readonly model: TemplateModel;
  protected declare readonly source: JsonSourceCode;
  /** The rule's options (ESLint has merged in `meta.defaultOptions`). */
  protected declare readonly options: Options[0];
  /** The file's `context.report`, bound once. */
  private declare readonly contextReport: Context<MessageIds, Options>["report"];
  /** Fix and suggestion text this rule may still offer in this file ({@link fixTextBudget}); -1 once one did not fit. */
  private declare fixBudget: number;

  /**
   * Reads what the checks need from `context` once and keeps no reference to it. ESLint makes each
   * rule's context with the file's own context as its prototype, so every file's rule contexts
   * have a new hidden class. Optimised code that reads a property of one embeds that class, and
   * V8 keeps classes used by optimised code alive for two more full collections, and with them
   * their prototype: the file's context, source code and AST. Checks that read `context.report`
   * or `context.options` per extension kept the ASTs of up to two earlier files alive.
   */
  constructor(context: Context<MessageIds, Options>, model: TemplateModel) {
    this.model = model;
    this.source = jsonSource(context);
    this.options = context.options[0];
    this.contextReport = context.report.bind(context);
    this.fixBudget = fixTextBudget(this.source.text.length);
  }

  /** Checks the file (the rule's Program listener). */
  abstract run(): void;

  /**
   * True while this rule may still offer fixes and suggestions in this file. Once one does not fit
   * in the budget ({@link fixTextBudget}), the rule offers none for the rest of the file, so a
   * check can skip working out a fix (and whether it is one) that would be dropped: see {@link plan}.
   */
  protected get offersFixes(): boolean {
    return this.fixBudget >= 0;
  }

  /**
   * Works out a fix or suggestion before its report, for a check where whether one can be built
   * decides what it reports (a fix, a suggestion, or neither). Returns null without calling `build`
   * once the rule's budget is closed ({@link offersFixes}), when the result would be dropped.
   */
  protected plan<T>(build: (fixer: JsonFixer) => T | null | undefined): T | null {
    return this.offersFixes ? (build(createFixer()) ?? null) : null;
  }

  /**
   * Reports a problem. Its fix and suggestions are offered, in report order, until the first one
   * that does not fit in the rule's budget for the file ({@link fixTextBudget}); from then on the
   * rule's problems are reported without them. `eslint --fix` lints again after each pass, with a
   * new budget, so it still reaches every fix.
   */
  protected report(descriptor: ReportDescriptor<MessageIds>): void {
    const { fix, suggest } = descriptor;
    if (!fix && !suggest?.length) {
      this.contextReport(descriptor);
      return;
    }
    if (!this.offersFixes) {
      this.contextReport({ ...descriptor, fix: null, suggest: [] });
      return;
    }
    this.contextReport({
      ...descriptor,
      fix: fix && this.budgeted(this.model.shared.length ? this.unshared(fix) : fix),
      suggest: suggest?.map((s) => ({ ...s, fix: this.budgeted(s.fix) })),
    });
  }

  /** True when `node` lies in a value the model read through an expression, which {@link unshared} keeps fixes out of. */
  protected isShared(node: { range: readonly [number, number] }): boolean {
    return this.model.shared.length > 0 && sharedRanges(this.model).overlaps(node.range[0], node.range[1]);
  }

  /**
   * `fix`, unless one of its edits lands in a value the model read through an expression
   * ({@link TemplateModel.shared}): other expressions may read that value too, so editing it is
   * not provably safe. The report stays; its suggestions are still offered, for a person to judge.
   */
  private unshared(fix: ReportFixFunction): ReportFixFunction {
    return keepPaths(fix, (fixer) => {
      const result = fix(fixer);
      if (result == null) return null;
      const edits: readonly RuleFix[] = isFixList(result) ? Array.from(result) : [result];
      const shared = sharedRanges(this.model);
      if (edits.some((edit) => shared.overlaps(edit.range[0], edit.range[1]))) return null;
      return isFixList(result) ? edits : result;
    });
  }

  /**
   * `fix`, offered only when its text fits in what is left of the budget; one that does not fit
   * closes the budget. The first call decides (and spends); a later call gets the same answer,
   * however often the fix is asked for.
   */
  private budgeted(fix: ReportFixFunction): ReportFixFunction {
    let granted: boolean | undefined;
    const budgeted: ReportFixFunction = (fixer) => {
      if (granted === undefined && !this.offersFixes) granted = false;
      if (granted === false) return null;
      const result = fix(fixer);
      if (result == null) return null;
      if (granted) return result;
      const edits: readonly RuleFix[] = isFixList(result) ? Array.from(result) : [result];
      const length = mergedFixLength(edits);
      granted = length <= this.fixBudget;
      this.fixBudget = granted ? this.fixBudget - length : -1;
      if (!granted) return null;
      return isFixList(result) ? edits : result;
    };
    return keepPaths(fix, budgeted);
  }
}

/** `wrapper`, with a declared fix's `paths` (see declareFix) kept visible through it. */
function keepPaths(fix: ReportFixFunction, wrapper: ReportFixFunction): ReportFixFunction {
  if ("paths" in fix) Object.defineProperty(wrapper, "paths", { enumerable: true, get: () => (fix as Partial<DeclaredFix<unknown>>).paths });
  return wrapper;
}

/** True for a fixer's list (array or iterator) of fixes, false for one fix. */
function isFixList(result: IterableIterator<RuleFix> | readonly RuleFix[] | RuleFix): result is IterableIterator<RuleFix> | readonly RuleFix[] {
  return Symbol.iterator in result;
}

/** A {@link TemplateCheck} subclass, as {@link checkTemplates} builds one per file. */
export type TemplateCheckClass<MessageIds extends string, Options extends readonly unknown[]> = new (
  context: Context<MessageIds, Options>,
  model: TemplateModel,
) => TemplateCheck<MessageIds, Options>;

/** A rule's listeners: `Check` runs on each file that is a template of one of `kinds`; other files get none. */
export function checkTemplates<MessageIds extends string, Options extends readonly unknown[]>(
  context: Context<MessageIds, Options>,
  Check: TemplateCheckClass<MessageIds, Options>,
  kinds: readonly TemplateModel["kind"][] = ["deploymentTemplate"],
): RuleListener {
  const model = templateOf(context, kinds);
  return model ? { Program: () => new Check(context, model).run() } : {};
}

/** A fix function that also states which JSON pointers of the data it changes. */
export type DeclaredFix<F> = F & { readonly paths: readonly string[] };

/**
 * Marks a fix (or suggestion fix) with the JSON pointers it may change. The fix-safety harness
 * (tests/reliability) checks that applying it changes the parsed data at those paths only. The
 * pointers are computed when `paths` is first read, so linting never pays for them.
 */
export function declareFix<R>(
  paths: () => readonly string[],
  fix: (fixer: RuleFixer) => R,
): DeclaredFix<(fixer: RuleFixer) => R> {
  let computed: readonly string[] | undefined;
  return Object.defineProperty(fix, "paths", { enumerable: true, get: () => (computed ??= paths()) }) as DeclaredFix<(fixer: RuleFixer) => R>;
}

/**
 * The ranges of a model's shared values, sorted by start with the furthest end so far, so that
 * whether an edit overlaps one is a binary search rather than a scan per edit.
 */
export class SharedRanges {
  private readonly starts: number[] = [];
  private readonly furthestEnds: number[] = [];

  constructor(nodes: readonly { range: readonly [number, number] }[]) {
    const ranges = nodes.map((n) => n.range).sort((a, b) => a[0] - b[0]);
    let furthest = -1;
    for (const [start, end] of ranges) {
      furthest = Math.max(furthest, end);
      this.starts.push(start);
      this.furthestEnds.push(furthest);
    }
  }

  /** True when [start, end) overlaps one of the ranges: one starts before `end` and ends after `start`. */
  overlaps(start: number, end: number): boolean {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! < end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && this.furthestEnds[lo - 1]! > start;
  }
}

const SHARED_RANGES = new WeakMap<TemplateModel, SharedRanges>();

/** The model's shared ranges, sorted once per file. */
function sharedRanges(model: TemplateModel): SharedRanges {
  let ranges = SHARED_RANGES.get(model);
  if (!ranges) SHARED_RANGES.set(model, (ranges = new SharedRanges(model.shared)));
  return ranges;
}
