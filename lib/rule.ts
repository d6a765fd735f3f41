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
 *
 * Rules keep their logic in module-level functions or in the methods of a per-file check class,
 * never in functions declared inside `create`: V8 keeps a function's optimised code only while a
 * closure of it lives, so helpers declared in `create` (new closures for every file) were compiled
 * again and again over a lint run, a sixth of the plugin's CPU on small templates.
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

/** The context a rule's `create` gets, as the per-file check classes of the rules keep it. */
export type Context<MessageIds extends string, Options extends readonly unknown[]> = Readonly<RuleContext<MessageIds, Options>>;

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
