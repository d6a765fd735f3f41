import { test } from "node:test";
import assert from "node:assert/strict";
import { Linter, type Rule } from "eslint";
import * as jsoncParser from "jsonc-eslint-parser";
import { insertAtPath, moveToPath } from "../../../lib/secrets/index.js";
import sas from "../../../rules/sas-token-in-protected-settings.js";
import credentials from "../../../rules/credentials-in-protected-settings.js";
import { child, doc, expectFix, prop } from "../json/helpers.js";
import { SCHEMA } from "../../helpers/at.js";

test("insertAtPath creates the missing objects, one key per line", () => {
  const d = doc(`{
  "properties": {
    "settings": {},
    "type": "DSC"
  }
}`);
  const props = child(d.root, "properties");
  expectFix(
    d,
    insertAtPath(d.sc, d.fixer, props, ["protectedSettings", "configurationArguments"], "k", `"v"`, prop(props, "settings")),
    `{
  "properties": {
    "settings": {},
    "protectedSettings": {
      "configurationArguments": {
        "k": "v"
      }
    },
    "type": "DSC"
  }
}`,
  );
});

test("insertAtPath keeps one-line objects on one line and refuses taken keys and non-objects", () => {
  const d = doc(`{ "p": { "a": 1, "ps": { "K": 2 }, "s": "x" } }`);
  const p = child(d.root, "p");
  expectFix(d, insertAtPath(d.sc, d.fixer, p, ["n"], "k", "3"), `{ "p": { "a": 1, "ps": { "K": 2 }, "s": "x", "n": { "k": 3 } } }`);
  expectFix(d, insertAtPath(d.sc, d.fixer, p, ["ps"], "j", "3"), `{ "p": { "a": 1, "ps": { "K": 2, "j": 3 }, "s": "x" } }`);
  assert.equal(insertAtPath(d.sc, d.fixer, p, ["ps"], "k", "3"), null);
  assert.equal(insertAtPath(d.sc, d.fixer, p, ["s"], "k", "3"), null);
});

test("moveToPath moves a multi-line value and re-indents it", () => {
  const d = doc(`{
  "properties": {
    "settings": {
      "configurationArguments": {
        "cred": {
          "userName": "u",
          "password": "p"
        }
      }
    }
  }
}`);
  const props = child(d.root, "properties");
  const args = child(child(props, "settings"), "configurationArguments");
  expectFix(
    d,
    moveToPath(d.sc, d.fixer, prop(args, "cred"), props, ["protectedSettings", "configurationArguments"], prop(props, "settings")),
    `{
  "properties": {
    "settings": {
      "configurationArguments": {}
    },
    "protectedSettings": {
      "configurationArguments": {
        "cred": {
          "userName": "u",
          "password": "p"
        }
      }
    }
  }
}`,
  );
});

test("moveToPath refuses a taken key (any case) and carries the moved member's comments", () => {
  const d = doc(`{
  "properties": {
    "settings": { "a": 1, "b": 2 /* note */, "c": 3 },
    "protectedSettings": { "A": 0 }
  }
}`);
  const props = child(d.root, "properties");
  const settings = child(props, "settings");
  assert.equal(moveToPath(d.sc, d.fixer, prop(settings, "a"), props, ["protectedSettings"]), null);
  // a comment before the comma goes with its member
  expectFix(
    d,
    moveToPath(d.sc, d.fixer, prop(settings, "b"), props, ["other"]),
    `{
  "properties": {
    "settings": { "a": 1, "c": 3 },
    "protectedSettings": { "A": 0 },
    "other": {
      "b": 2 /* note */
    }
  }
}`,
  );
  const lines = doc(`{
  "properties": {
    "settings": {
      // the note
      "b": 2
    }
  }
}`);
  const lineProps = child(lines.root, "properties");
  expectFix(
    lines,
    moveToPath(lines.sc, lines.fixer, prop(child(lineProps, "settings"), "b"), lineProps, ["other", "inner"], lineProps.properties[0]),
    `{
  "properties": {
    "settings": {},
    "other": {
      "inner": {
        // the note
        "b": 2
      }
    }
  }
}`,
  );
});

test("fixes of several reports on one extension converge over passes", () => {
  const code = `{
  "$schema": "${SCHEMA}",
  "parameters": { "sasToken": { "type": "secureString" }, "pw": { "type": "secureString" } },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "name": "vm1/dsc",
      "properties": {
        "publisher": "Microsoft.Powershell",
        "type": "DSC",
        "settings": {
          "configuration": { "url": "[concat('https://h/x.zip', parameters('sasToken'))]" },
          "configurationArguments": { "token": "[parameters('sasToken')]", "password": "[parameters('pw')]" },
          "configurationData": { "url": "https://h/data.psd1" },
          "configurationDataUrlSasToken": "[parameters('sasToken')]"
        }
      }
    }
  ]
}`;
  const linter = new Linter();
  const config: Linter.Config[] = [
    {
      files: ["**/*.json"],
      plugins: { s: { rules: { sas, credentials } as unknown as Record<string, Rule.RuleModule> } },
      languageOptions: { parser: jsoncParser, parserOptions: { jsonSyntax: "JSONC" } },
      rules: { "s/sas": "error", "s/credentials": "error" },
    },
  ];
  const result = linter.verifyAndFix(code, config, { filename: "t.json" });
  // the misplaced token key is only a suggestion: moved, it would change the URL the handler downloads
  assert.deepEqual(
    result.messages.map((m) => [m.messageId, m.suggestions?.length]),
    [["misplacedKey", 1]],
  );
  assert.equal(
    result.output,
    code.replace(
      `"settings": {
          "configuration": { "url": "[concat('https://h/x.zip', parameters('sasToken'))]" },
          "configurationArguments": { "token": "[parameters('sasToken')]", "password": "[parameters('pw')]" },
          "configurationData": { "url": "https://h/data.psd1" },
          "configurationDataUrlSasToken": "[parameters('sasToken')]"
        }`,
      `"settings": {
          "configuration": { "url": "https://h/x.zip" },
          "configurationArguments": {},
          "configurationData": { "url": "https://h/data.psd1" },
          "configurationDataUrlSasToken": "[parameters('sasToken')]"
        },
        "protectedSettings": {
          "configurationUrlSasToken": "[parameters('sasToken')]",
          "configurationArguments": {
            "token": "[parameters('sasToken')]",
            "password": "[parameters('pw')]"
          }
        }`,
    ),
  );
});
