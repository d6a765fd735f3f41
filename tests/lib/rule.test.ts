// The per-file budget of fix and suggestion text (TemplateCheck.report in lib/rule.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Linter, type Rule } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import type { RuleFix, RuleFixer } from "@typescript-eslint/utils/ts-eslint";
import sasRule from "../../rules/sas-token-in-protected-settings.js";
import {
  checkTemplates,
  createRule,
  declareFix,
  fixTextBudget,
  mergedFixLength,
  SharedRanges,
  TemplateCheck,
  type Context,
  type TemplateCheckClass,
} from "../../lib/rule.js";
import { getTemplateModel } from "../../lib/template/model.js";
import { deploymentTemplate, scaleSetResource } from "../helpers/templates.js";

const LANGUAGE = { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } };

/** A fix that writes the file's `{` followed by spaces: its text is `length` long. */
interface Planned {
  length: number;
  /** Offer it as a suggestion instead of a fix. */
  suggestion?: boolean;
}

/** A template of exactly `size` characters when `size` exceeds the bare template (a padding variable). */
function paddedTemplate(size: number): string {
  const bare = deploymentTemplate("", { variables: '{ "pad": "" }' });
  return bare.replace('"pad": ""', `"pad": "${"x".repeat(Math.max(0, size - bare.length))}"`);
}

/** A check that reports once per planned fix, in order, at line 1. */
function plannedCheck(plan: readonly Planned[], paths: readonly string[] = ["/pad"]) {
  return class extends TemplateCheck<"found" | "fixIt", []> {
    run(): void {
      for (const { length, suggestion } of plan) {
        const fix = declareFix(
          () => paths,
          (fixer: RuleFixer): RuleFix => fixer.replaceTextRange([0, 1], `{${" ".repeat(length - 1)}`),
        );
        this.report({
          loc: { line: 1, column: 0 },
          messageId: "found",
          ...(suggestion ? { suggest: [{ messageId: "fixIt", fix }] } : { fix }),
        });
      }
    }
  };
}

/** A rule module whose checks are `Check`. */
function ruleOf(Check: TemplateCheckClass<"found" | "fixIt", []>) {
  return createRule<[], "found" | "fixIt">({
    name: "planned",
    meta: {
      type: "problem",
      fixable: "code",
      hasSuggestions: true,
      docs: { description: "Test rule.", recommended: false },
      messages: { found: "Found.", fixIt: "Fix it." },
      schema: [],
    },
    defaultOptions: [],
    create: (context) => checkTemplates(context, Check),
  });
}

/** Lints `text` with a rule whose checks are `Check`. */
function lintWith(text: string, Check: TemplateCheckClass<"found" | "fixIt", []>): Linter.LintMessage[] {
  const linter = new Linter({ configType: "flat" });
  return linter.verify(
    text,
    [{ files: ["**/*.json"], languageOptions: LANGUAGE, plugins: { t: { rules: { planned: ruleOf(Check) as never } } }, rules: { "t/planned": "error" } }],
    { filename: "template.json" },
  );
}

/** Lints `text` with the planned rule. */
function lintPlanned(text: string, plan: readonly Planned[]): Linter.LintMessage[] {
  return lintWith(text, plannedCheck(plan));
}

describe("fixTextBudget", () => {
  it("is four times the file's length, and at least 64 KiB", () => {
    assert.equal(fixTextBudget(0), 65536);
    assert.equal(fixTextBudget(16384), 65536);
    assert.equal(fixTextBudget(16385), 65540);
    assert.equal(fixTextBudget(1_000_000), 4_000_000);
  });
});

describe("mergedFixLength", () => {
  it("is the length of ESLint's merged text: the edits' text and the source between them", () => {
    const text = '{ "a": 1, "b": 2, "c": 3 }';
    const edits: RuleFix[] = [
      { range: [2, 5], text: '"A"' },
      { range: [18, 21], text: '"cc"' },
    ];
    const rule: Rule.RuleModule = {
      meta: { fixable: "code", schema: [] },
      create: (context) => ({ Program: (node) => context.report({ node, message: "m", fix: () => edits as Rule.Fix[] }) }),
    };
    const linter = new Linter({ configType: "flat" });
    const merged = linter.verify(text, [{ files: ["**/*.json"], languageOptions: LANGUAGE, plugins: { t: { rules: { r: rule } } }, rules: { "t/r": "error" } }], {
      filename: "x.json",
    })[0]?.fix;
    assert.equal(merged?.text, '"A": 1, "b": 2, "cc"');
    assert.equal(mergedFixLength(edits), merged!.text.length);
  });

  it("is the text's length for one edit and 0 for none", () => {
    assert.equal(mergedFixLength([{ range: [3, 90], text: "abc" }]), 3);
    assert.equal(mergedFixLength([]), 0);
  });
});

describe("TemplateCheck.report: the fix text budget", () => {
  const text = paddedTemplate(20_000);
  const L = text.length;

  it("offers fixes while they fit in four times the file, then reports without them", () => {
    const plan = [{ length: L }, { length: L }, { length: L }, { length: 2 * L }, { length: L / 2 }, { length: 1 }];
    const messages = lintPlanned(text, plan);
    assert.deepEqual(
      messages.map((m) => m.fix?.text.length ?? null),
      // 3L spent; 2L does not fit in the L left, and from then on nothing is offered, not even
      // the fixes that would still fit.
      [L, L, L, null, null, null],
    );
    assert.deepEqual(
      messages.map((m) => m.messageId),
      Array.from(plan, () => "found"),
    );
    assert.deepEqual(messages[0]!.fix!.range, [0, 1]);
  });

  it("tells a check when it may skip working out fixes, and calls none past the budget", () => {
    const seen: boolean[] = [];
    const planned: (string | null)[] = [];
    let calls = 0;
    let plans = 0;
    const Check = class extends TemplateCheck<"found" | "fixIt", []> {
      run(): void {
        for (const length of [2 * L, 2 * L, 1, 1]) {
          seen.push(this.offersFixes);
          planned.push(this.plan(() => (plans++, `plan ${length}`)));
          const fix = (fixer: RuleFixer): RuleFix => (calls++, fixer.replaceTextRange([0, 1], `{${" ".repeat(length - 1)}`));
          this.report({ loc: { line: 1, column: 0 }, messageId: "found", fix, suggest: [{ messageId: "fixIt", fix }] });
        }
      }
    };
    const messages = lintWith(text, Check);
    // The first finding's fix and suggestion spend the whole 4L. The second fix does not fit and
    // closes the budget: its suggestion and the later findings' fixes are never called.
    assert.deepEqual(
      messages.map((m) => [m.fix?.text.length ?? null, m.suggestions?.length ?? 0]),
      [
        [2 * L, 1],
        [null, 0],
        [null, 0],
        [null, 0],
      ],
    );
    assert.deepEqual(seen, [true, true, false, false]);
    assert.equal(calls, 3);
    // plan builds while the budget is open, and returns null without building once it is closed.
    assert.deepEqual(planned, [`plan ${2 * L}`, `plan ${2 * L}`, null, null]);
    assert.equal(plans, 2);
  });

  it("spends the same budget on suggestions and drops those that do not fit", () => {
    const messages = lintPlanned(text, [{ length: 3 * L }, { length: L, suggestion: true }, { length: 1, suggestion: true }]);
    assert.equal(messages[0]!.fix?.text.length, 3 * L);
    assert.deepEqual(
      messages[1]!.suggestions?.map((s) => ({ messageId: s.messageId, range: s.fix.range, length: s.fix.text.length })),
      [{ messageId: "fixIt", range: [0, 1], length: L }],
    );
    assert.deepEqual(messages[2]!.suggestions ?? [], []);
    assert.equal(messages[2]!.fix, undefined);
  });

  it("leaves a small file's fixes alone: the budget is at least 64 KiB", () => {
    const small = paddedTemplate(1000);
    const plan = Array.from({ length: 100 }, () => ({ length: small.length }));
    const messages = lintPlanned(small, plan);
    assert.equal(messages.filter((m) => m.fix).length, Math.floor(65536 / small.length));
  });

  it("keeps a declared fix's paths, and answers a second call as the first", () => {
    const reported: { fix?: unknown; suggest?: { fix: unknown }[] }[] = [];
    const program = jsoncParser.parseForESLint(text, { jsonSyntax: "JSONC" }).ast;
    const context = {
      sourceCode: { text, ast: program, parserServices: { isJSON: true } },
      options: [],
      report: (descriptor: (typeof reported)[number]) => reported.push(descriptor),
    } as unknown as Context<"found" | "fixIt", []>;
    const Check = plannedCheck([{ length: 4 * L }, { length: 1 }], ["/pad", "/x"]);
    new Check(context, getTemplateModel(program, text)).run();
    const fixer = { replaceTextRange: (range: [number, number], t: string) => ({ range, text: t }) } as unknown as RuleFixer;
    const [granted, refused] = reported.map((d) => d.fix as ((f: RuleFixer) => RuleFix | null) & { paths?: readonly string[] });
    assert.deepEqual(granted!.paths, ["/pad", "/x"]);
    assert.deepEqual(refused!.paths, ["/pad", "/x"]);
    const whole = { range: [0, 1], text: `{${" ".repeat(4 * L - 1)}` };
    assert.deepEqual(granted!(fixer), whole);
    assert.equal(refused!(fixer), null);
    assert.deepEqual(granted!(fixer), whole);
    assert.equal(refused!(fixer), null);
  });

  it("keeps the paths in a file with values read through expressions, whose edits it checks", () => {
    // An extension whose whole properties is a variable: the model records the variable's object as shared.
    const shared = deploymentTemplate(
      `    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/dsc",
      "properties": "[variables('p')]"
    }`,
      { variables: '{ "p": { "publisher": "Microsoft.Powershell", "type": "DSC" } }' },
    );
    const reported: { fix?: unknown }[] = [];
    const program = jsoncParser.parseForESLint(shared, { jsonSyntax: "JSONC" }).ast;
    const context = {
      sourceCode: { text: shared, ast: program, parserServices: { isJSON: true } },
      options: [],
      report: (descriptor: (typeof reported)[number]) => reported.push(descriptor),
    } as unknown as Context<"found" | "fixIt", []>;
    const model = getTemplateModel(program, shared);
    assert.equal(model.shared.length, 1);
    const Check = plannedCheck([{ length: 1 }], ["/pad", "/x"]);
    new Check(context, model).run();
    const fix = reported[0]!.fix as ((f: RuleFixer) => RuleFix | null) & { paths?: readonly string[] };
    assert.deepEqual(fix.paths, ["/pad", "/x"]);
    const fixer = { replaceTextRange: (range: [number, number], t: string) => ({ range, text: t }) } as unknown as RuleFixer;
    assert.deepEqual(fix(fixer), { range: [0, 1], text: "{" });
  });
});

describe("SharedRanges", () => {
  it("finds whether an edit overlaps a shared value, as a scan of every range would", () => {
    const nodes = [
      [50, 60],
      [10, 40],
      [15, 20],
      [70, 71],
    ].map((range) => ({ range: range as [number, number] }));
    const ranges = new SharedRanges(nodes);
    for (let start = 0; start <= 80; start++) {
      for (let end = start; end <= 80; end++) {
        const scan = nodes.some((n) => start < n.range[1] && n.range[0] < end);
        assert.equal(ranges.overlaps(start, end), scan, `[${start}, ${end})`);
      }
    }
    assert.equal(new SharedRanges([]).overlaps(0, 10), false);
  });
});

/**
 * `count` scale sets, each with a DSC extension whose URL takes the SAS token through a variable of
 * its own: every fix edits that variable and the extension, so its text runs from `variables` to
 * the extension, and the fixes together grow with the square of `count`.
 */
function tokenThroughVariables(count: number): string {
  const variables = Array.from(
    { length: count },
    (_, i) => `"url${i}": "[concat(parameters('base'), 'ss${i}.zip', parameters('_artifactsLocationSasToken'))]"`,
  );
  const resources = Array.from({ length: count }, (_, i) =>
    scaleSetResource(`            "extensions": [
              {
                "name": "dsc",
                "properties": {
                  "publisher": "Microsoft.Powershell", "type": "DSC", "typeHandlerVersion": "2.83",
                  "settings": { "configuration": { "url": "[variables('url${i}')]", "script": "s.ps1", "function": "Main" } }
                }
              }
            ]`).replace('"name": "vmss1"', `"name": "ss${i}"`),
  );
  return deploymentTemplate(resources.join(",\n"), {
    parameters: '{ "base": { "type": "string" }, "_artifactsLocationSasToken": { "type": "securestring" } }',
    variables: `{\n    ${variables.join(",\n    ")}\n  }`,
  });
}

describe("sas-token-in-protected-settings under the budget", () => {
  const config: Linter.Config[] = [
    { files: ["**/*.json"], languageOptions: LANGUAGE, plugins: { "arm-dsc": { rules: { sas: sasRule as never } } }, rules: { "arm-dsc/sas": "error" } },
  ];
  const text = tokenThroughVariables(120);

  it("reports every token, and offers the first fixes up to four times the file", () => {
    const messages = new Linter({ configType: "flat" }).verify(text, config, { filename: "template.json" });
    assert.equal(messages.length, 120);
    assert.ok(messages.every((m) => m.messageId === "tokenInUrl"));
    const fixed = messages.filter((m) => m.fix);
    const fixText = fixed.reduce((sum, m) => sum + m.fix!.text.length, 0);
    // Each fix runs from its variable to its extension: without the budget the 120 fixes would
    // carry about 60 times the file, and a formatter that writes them (-f json) as much.
    assert.equal(fixed.length, 19);
    assert.ok(fixText <= 4 * text.length, `${fixText} > 4 * ${text.length}`);
    assert.ok(JSON.stringify(messages).length < 5 * text.length);
    // The first findings in the file get the fixes.
    assert.deepEqual(
      messages.map((m) => Boolean(m.fix)),
      messages.map((_, i) => i < 19),
    );
  });

  it("still lets eslint --fix reach every token, ten per run", () => {
    const linter = new Linter({ configType: "flat" });
    const first = linter.verifyAndFix(text, config, { filename: "template.json" });
    assert.equal(first.messages.length, 110);
    assert.equal((first.output.match(/configurationUrlSasToken/g) ?? []).length, 10);
    const second = linter.verifyAndFix(first.output, config, { filename: "template.json" });
    assert.equal(second.messages.length, 100);
  });
});
