// The editor path: the real ESLint language server (vscode-eslint's server, as shipped in
// vscode-langservers-extracted and used by Neovim, Helix, Zed and others) lints a template of
// examples/ through this project's built plugin, reports our rules with links to their docs, and
// applies a quick fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint, type Linter, type Rule } from "eslint";
import { LspClient } from "./lsp-client.js";
import { ROOT, linkNodeModules, loadPlugin, makeTempDir, packageBin, removeDir, writeFlatConfig, type Plugin } from "./support.js";

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface Diagnostic {
  range: Range;
  message: string;
  source?: string;
  code?: string | number;
  codeDescription?: { href: string };
}
interface Command {
  title: string;
  command: string;
  arguments?: unknown[];
}
interface CodeAction {
  title: string;
  kind?: string;
  diagnostics?: Diagnostic[];
  command?: Command;
  isPreferred?: boolean;
}
interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[];
}

/** The broken template whose fixable finding the test repairs through a code action. */
const FIX_EXAMPLE = "examples/broken/vmss-copied-from-vm.json";
/** A second template, opened under the language id of VS Code's ARM Tools extension. */
const ARM_TEMPLATE_EXAMPLE = "examples/broken/vm-two-dsc-extensions.json";
const PREFERRED_FIX_RULE = "arm-dsc/pinned-type-handler-version";

/** Settings both editors send (the server asks for them per document). */
function commonSettings(workspace: string): Record<string, unknown> {
  return {
    validate: "on",
    useESLintClass: false,
    codeAction: {
      disableRuleComment: { enable: true, location: "separateLine" },
      showDocumentation: { enable: true },
    },
    codeActionOnSave: { enable: false, mode: "all" },
    quiet: false,
    onIgnoredFiles: "off",
    options: {},
    rulesCustomizations: [],
    run: "onType",
    problems: { shortenToSingleLine: false },
    workspaceFolder: { name: basename(workspace), uri: pathToFileURL(workspace).href },
  };
}

/** The settings profiles of the README's editors. */
const PROFILES: Record<string, (workspace: string) => Record<string, unknown>> = {
  // VS Code's ESLint extension with "eslint.useFlatConfig": true and "eslint.validate" set.
  "VS Code": (workspace) => ({
    ...commonSettings(workspace),
    packageManager: "npm",
    // `true` makes the server load FlatESLint from eslint/use-at-your-own-risk, which ESLint 10
    // no longer exports; flat config is chosen by `useFlatConfig`.
    experimental: { useFlatConfig: false },
    useFlatConfig: true,
    format: false,
    nodePath: null,
    workingDirectory: { mode: "location" },
  }),
  // nvim-lspconfig's `eslint` defaults.
  "Neovim (nvim-lspconfig)": (workspace) => ({
    ...commonSettings(workspace),
    experimental: {},
    format: true,
    nodePath: "",
    workingDirectory: { mode: "auto" },
  }),
};

/** Offsets of the start of each line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

/** Applies LSP text edits (UTF-16 positions, as JavaScript strings index) to `text`. */
function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const offset = (p: Position) => starts[p.line]! + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, offset(edit.range.start)) + edit.newText + out.slice(offset(edit.range.end));
  return out;
}

/** Applies an ESLint fix (offsets into the original text). */
function applyFix(text: string, fix: Rule.Fix): string {
  return text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
}

/** ESLint's own view of a file: the messages a diagnostic must mirror. */
async function reference(workspace: string, file: string, text: string): Promise<Linter.LintMessage[]> {
  const eslint = new ESLint({ cwd: workspace });
  const [result] = await eslint.lintText(text, { filePath: file });
  return result!.messages;
}

/** A diagnostic as a comparable line: zero-based range, code, message. */
function diagnosticLine(d: Diagnostic): string {
  return `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${String(d.code)} ${d.message}`;
}

/** An ESLint message as the diagnostic line the server should produce. */
function expectedLine(m: Linter.LintMessage): string {
  const endLine = (m.endLine ?? m.line) - 1;
  const endColumn = (m.endColumn ?? m.column) - 1;
  return `${m.line - 1}:${m.column - 1}-${endLine}:${endColumn} ${m.ruleId} ${m.message}`;
}

for (const [profile, settings] of Object.entries(PROFILES)) {
  test(`the ESLint language server (${profile} settings) reports our rules with doc links and applies a quick fix`, { timeout: 90_000 }, async () => {
    const plugin = await loadPlugin();
    const workspace = makeTempDir("lsp");
    let client: LspClient | undefined;
    try {
      writeFlatConfig(workspace);
      linkNodeModules(workspace);
      const fixFile = join(workspace, basename(FIX_EXAMPLE));
      const armFile = join(workspace, basename(ARM_TEMPLATE_EXAMPLE));
      copyFileSync(join(ROOT, FIX_EXAMPLE), fixFile);
      copyFileSync(join(ROOT, ARM_TEMPLATE_EXAMPLE), armFile);

      client = new LspClient(process.execPath, [packageBin("vscode-langservers-extracted", "vscode-eslint-language-server"), "--stdio"], workspace);
      const lsp = client;
      const documents = new Map<string, { text: string; version: number }>();
      const problems: string[] = [];
      const openedDocs: string[] = [];
      lsp.onRequest("workspace/configuration", (params) =>
        (params as { items: unknown[] }).items.map(() => settings(workspace)),
      );
      lsp.onRequest("workspace/applyEdit", (params) => {
        const { edit } = params as { edit: WorkspaceEdit };
        const changes = [
          ...(edit.documentChanges ?? []).map((c) => [c.textDocument.uri, c.edits] as const),
          ...Object.entries(edit.changes ?? {}),
        ];
        for (const [uri, edits] of changes) {
          const doc = documents.get(uri);
          if (!doc) return { applied: false, failureReason: `unknown document ${uri}` };
          doc.text = applyTextEdits(doc.text, edits);
        }
        return { applied: true };
      });
      // Older servers ask before running a workspace's ESLint; 4 is "approved" (as editors answer).
      lsp.onRequest("eslint/confirmESLintExecution", () => 4);
      lsp.onRequest("eslint/openDoc", (params) => {
        openedDocs.push((params as { url: string }).url);
        return {};
      });
      for (const method of ["eslint/noLibrary", "eslint/noConfig", "eslint/probeFailed"]) {
        lsp.onRequest(method, (params) => {
          problems.push(`${method} ${JSON.stringify(params)}`);
          return {};
        });
      }

      const initialize = await lsp.request<{ capabilities: { diagnosticProvider?: unknown; codeActionProvider?: unknown } }>(
        "initialize",
        {
          processId: process.pid,
          clientInfo: { name: "arm-dsc-test" },
          rootUri: pathToFileURL(workspace).href,
          workspaceFolders: [{ name: basename(workspace), uri: pathToFileURL(workspace).href }],
          capabilities: {
            workspace: {
              configuration: true,
              applyEdit: true,
              workspaceEdit: { documentChanges: true },
              workspaceFolders: true,
              didChangeConfiguration: { dynamicRegistration: true },
              diagnostics: { refreshSupport: false },
            },
            textDocument: {
              synchronization: { dynamicRegistration: false, didSave: true },
              publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
              diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
              codeAction: {
                codeActionLiteralSupport: {
                  codeActionKind: { valueSet: ["quickfix", "source", "source.fixAll", "source.fixAll.eslint"] },
                },
                isPreferredSupport: true,
              },
            },
            window: { workDoneProgress: true },
          },
        },
      );
      assert.ok(initialize.capabilities.codeActionProvider, "the server offers code actions");
      lsp.notify("initialized", {});

      /** Opens a document and returns its URI. */
      const open = (file: string, languageId: string) => {
        const uri = pathToFileURL(file).href;
        const text = readFileSync(file, "utf8");
        documents.set(uri, { text, version: 1 });
        lsp.notify("textDocument/didOpen", { textDocument: { uri, languageId, version: 1, text } });
        return uri;
      };
      /** The server's current diagnostics for a document (pulled, or the last pushed set). */
      const diagnostics = async (uri: string): Promise<Diagnostic[]> => {
        if (initialize.capabilities.diagnosticProvider) {
          const report = await lsp.request<{ kind: string; items?: Diagnostic[] }>("textDocument/diagnostic", {
            textDocument: { uri },
          });
          assert.equal(report.kind, "full");
          return report.items ?? [];
        }
        const version = documents.get(uri)!.version;
        const pushed = (await lsp.waitFor(
          "textDocument/publishDiagnostics",
          (p) => (p as { uri: string; version?: number }).uri === uri && (p as { version?: number }).version === version,
          30_000,
        )) as { diagnostics: Diagnostic[] };
        return pushed.diagnostics;
      };
      /** Checks the diagnostics against ESLint's messages for the same text. */
      const checkAgainstEslint = async (uri: string, file: string) => {
        const got = await diagnostics(uri);
        const expected = await reference(workspace, file, documents.get(uri)!.text);
        assert.deepEqual(problems, [], "the server found ESLint and the config");
        assert.deepEqual(got.map(diagnosticLine).sort(), expected.map(expectedLine).sort(), lsp.logText());
        for (const d of got) {
          assert.equal(d.source, "eslint");
          const rule = String(d.code).replace(/^arm-dsc\//u, "");
          assert.ok(Object.hasOwn(plugin.rules, rule), `${String(d.code)} is one of our rules`);
          const url = plugin.rules[rule as keyof Plugin["rules"]].meta?.docs?.url;
          assert.equal(d.codeDescription?.href, url, `${String(d.code)} links to its docs`);
        }
        return { got, expected };
      };

      // A template opened as "json" gets exactly ESLint's findings, with links to the rule docs.
      const uri = open(fixFile, "json");
      const { got, expected } = await checkAgainstEslint(uri, fixFile);
      assert.ok(got.length > 0, "the broken example has findings");

      // The quick fix of a fixable finding (pinned-type-handler-version's when it has one).
      const fixable = expected.filter((m) => m.fix);
      assert.ok(fixable.length > 0, `${FIX_EXAMPLE} has a fixable finding`);
      const target = fixable.find((m) => m.ruleId === PREFERRED_FIX_RULE) ?? fixable[0]!;
      const diagnostic = got.find((d) => diagnosticLine(d) === expectedLine(target))!;
      const original = documents.get(uri)!.text;
      const actions = await lsp.request<CodeAction[]>("textDocument/codeAction", {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], triggerKind: 1 },
      });
      const quickFix = actions.find((a) => a.command?.command === "eslint.applySingleFix");
      assert.ok(quickFix, `a quick fix is offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(quickFix.kind, "quickfix");
      assert.equal(quickFix.isPreferred, true);
      assert.match(quickFix.title, new RegExp(target.ruleId!.replace("/", "\\/"), "u"));
      await lsp.request("workspace/executeCommand", { command: quickFix.command!.command, arguments: quickFix.command!.arguments });
      const fixed = documents.get(uri)!.text;
      assert.equal(fixed, applyFix(original, target.fix!), "the editor's fix is ESLint's fix");
      if (target.ruleId === PREFERRED_FIX_RULE) assert.match(fixed, /"typeHandlerVersion": "2\.20"/u);

      // After the edit the finding is gone and the rest stay.
      const doc = documents.get(uri)!;
      doc.version++;
      lsp.notify("textDocument/didChange", { textDocument: { uri, version: doc.version }, contentChanges: [{ text: doc.text }] });
      const after = await checkAgainstEslint(uri, fixFile);
      assert.ok(!after.got.some((d) => d.codeDescription && diagnosticLine(d) === expectedLine(target)), "the fixed finding is gone");

      // "Show documentation" opens the rule's docs URL.
      const docAction = actions.find((a) => a.command?.command === "eslint.openRuleDoc");
      assert.ok(docAction, "a show-documentation action is offered");
      await lsp.request("workspace/executeCommand", { command: docAction.command!.command, arguments: docAction.command!.arguments });
      await lsp.waitFor("eslint/openDoc", () => true, 10_000);
      assert.deepEqual(openedDocs, [diagnostic.codeDescription!.href]);

      // VS Code's Azure Resource Manager Tools extension gives templates the language id "arm-template".
      const armUri = open(armFile, "arm-template");
      const arm = await checkAgainstEslint(armUri, armFile);
      assert.ok(arm.got.length > 0, `${ARM_TEMPLATE_EXAMPLE} has findings`);
    } finally {
      await client?.close();
      removeDir(workspace);
    }
  });
}
