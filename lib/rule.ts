// The eslint-utils entry point alone: the package index also loads the TypeScript AST helpers (~40 ms).
import { RuleCreator } from "@typescript-eslint/utils/eslint-utils";
import type { RuleContext, RuleFixer, RuleListener, RuleModule } from "@typescript-eslint/utils/ts-eslint";
import { toCompatCreate } from "eslint-json-compat-utils";
import type { JsonSourceCode } from "./json/types.js";
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
  const model = getTemplateModel(source.ast);
  return kinds.includes(model.kind) ? model : null;
}

export type { RuleListener };

/** The context a rule's `create` gets. */
export type Context<MessageIds extends string, Options extends readonly unknown[]> = Readonly<RuleContext<MessageIds, Options>>;

/**
 * The checks of one linted template: each rule's logic is a subclass, and its `create` is
 * {@link checkTemplates}. Rules keep their logic in methods (or module-level functions), never in
 * functions declared inside `create`: V8 keeps a function's optimised code only while a closure of
 * it lives, so helpers declared in `create` (new closures for every file) were compiled again and
 * again over a lint run (about 30 ms of compiler work per 110 ms lint of a small template).
 */
export abstract class TemplateCheck<MessageIds extends string, Options extends readonly unknown[]> {
  protected readonly source: JsonSourceCode;
  /** The rule's options (ESLint has merged in `meta.defaultOptions`). */
  protected readonly options: Options[0];
  /** The file's `context.report`, bound once. */
  protected readonly report: Context<MessageIds, Options>["report"];

  /**
   * Reads what the checks need from `context` once and keeps no reference to it. ESLint makes each
   * rule's context with the file's own context as its prototype, so every file's rule contexts
   * have a new hidden class. Optimised code that reads a property of one embeds that class, and
   * V8 keeps classes used by optimised code alive for two more full collections, and with them
   * their prototype: the file's context, source code and AST. Checks that read `context.report`
   * or `context.options` per extension kept the ASTs of up to two earlier files alive.
   */
  constructor(
    context: Context<MessageIds, Options>,
    protected readonly model: TemplateModel,
  ) {
    this.source = jsonSource(context);
    this.options = context.options[0];
    this.report = context.report.bind(context);
  }

  /** Checks the file (the rule's Program listener). */
  abstract run(): void;
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
