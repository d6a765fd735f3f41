import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "jsonc-eslint-parser";
import rule from "../../rules/no-duplicate-dsc-extension.js";
import { getTemplateModel } from "../../lib/template/model.js";
import { ConditionBuilder, mutuallyExclusive, neverTrue } from "../../lib/template/conditions.js";
import { runRuleTests } from "../helpers/tester.js";
import { at, errorAt, oneError, PARAMETERS_SCHEMA } from "../helpers/at.js";
import { deploymentTemplate, scaleSetResource } from "../helpers/templates.js";

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8");

/** `properties` of an extension of the given type. */
const props = (type = "DSC") =>
  `"properties": { "publisher": "Microsoft.Powershell", "type": "${type}", "typeHandlerVersion": "2.83" }`;

/** A top-level VM extension resource. */
function topLevel(name: string, condition?: string, type = "DSC"): string {
  return `    {${condition === undefined ? "" : `\n      "condition": ${condition},`}
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "${name}",
      ${props(type)}
    }`;
}

/** A template with the given parameters, variables and resources. */
function template(resources: string[], parameters = "{}", variables = "{}"): string {
  return deploymentTemplate(resources.join(",\n"), { parameters, variables });
}

const VM1 = `    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "vm1" }`;

/** Two DSC extensions on vm1 under the given conditions. */
function conditional(a: string, b: string, parameters = "{}", variables = "{}"): string {
  return template([VM1, topLevel("vm1/dscA", a), topLevel("vm1/dscB", b)], parameters, variables);
}

const twoOnVm = template([VM1, topLevel("vm1/iis"), topLevel("vm1/app")]);
const threeOnVm = template([VM1, topLevel("vm1/iis"), topLevel("vm1/app"), topLevel("vm1/sql")]);
const undeclaredParent = template(
  [topLevel("[concat(parameters('vmName'), '/iis')]"), topLevel("[format('{0}/app', parameters('vmName'))]")],
  `{ "vmName": { "type": "string" } }`,
);

/** A scale set with two profile entries. */
const twoEntries = template([
  scaleSetResource(`            "extensions": [
              { "name": "iis", ${props()} },
              { "name": "app", ${props()} }
            ]`),
]);

/** A scale set whose extension list is `list` (JSON text), over the variables `dscA` and `dscB` (two DSC entries). */
function builtList(list: string): string {
  return template(
    [scaleSetResource(`            "extensions": ${list.startsWith("[") && !list.startsWith("[\"") ? JSON.stringify(list) : list}`)],
    `{ "p": { "type": "bool" } }`,
    `{ "dscA": { "name": "iis", ${props()} }, "dscB": { "name": "app", ${props()} } }`,
  );
}
/** Bicep's `p ? [dscA] : [dscB]` and `concat(p ? [dscA] : [], !p ? [dscB] : [])`: never both. */
const eitherEntry = builtList("[if(parameters('p'), createArray(variables('dscA')), createArray(variables('dscB')))]");
const exclusiveIfs = builtList("[concat(if(parameters('p'), createArray(variables('dscA')), createArray()), if(not(parameters('p')), createArray(variables('dscB')), createArray()))]");
/** ... and `[p ? dscA : dscB]`, in an expression or written out. */
const eitherElement = builtList("[createArray(if(parameters('p'), variables('dscA'), variables('dscB')))]");
const eitherWritten = builtList(`["[if(parameters('p'), variables('dscA'), variables('dscB'))]"]`);
/** ... but `concat([dscA], p ? [dscB] : [])` has both when p is true. */
const alsoEntry = builtList("[concat(createArray(variables('dscA')), if(parameters('p'), createArray(variables('dscB')), createArray()))]");

/** `concat(p ? [dscA] : [dscB], [dscA])`: one entry reached twice; when p is false, dscB and dscA. */
const entryTwice = builtList("[concat(if(parameters('p'), createArray(variables('dscA')), createArray(variables('dscB'))), createArray(variables('dscA')))]");
/** ... and `[p ? dscA : dscB, dscA]`, written out. */
const entryTwiceWritten = builtList(`["[if(parameters('p'), variables('dscA'), variables('dscB'))]", "[variables('dscA')]"]`);
/**
 * A profile entry in twelve places, each under `mode == 'profile'` and a switch of its own, and a
 * child resource under `mode == 'child'`: never both, though the places' `or` has more atoms than
 * exclusivity is tried for at once.
 */
const manyPlacesExclusive = (() => {
  const flags = Array.from({ length: 12 }, (_, i) => `f${i}`);
  const list = `[union(${flags.map((f) => `if(and(equals(parameters('mode'), 'profile'), parameters('${f}')), createArray(variables('dscA')), createArray())`).join(", ")})]`;
  const child = `    {
      "condition": "[equals(parameters('mode'), 'child')]",
      "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
      "apiVersion": "2024-07-01",
      "name": "vmss1/dsc2",
      ${props()}
    }`;
  const parameters = JSON.stringify({ mode: { type: "string", allowedValues: ["profile", "child"] }, ...Object.fromEntries(flags.map((f) => [f, { type: "bool" }])) });
  return template([scaleSetResource(`            "extensions": ${JSON.stringify(list)}`), child], parameters, `{ "dscA": { "name": "iis", ${props()} } }`);
})();

/** Two entries, each reached twice: one report, however often the pair repeats. */
const pairTwice = builtList("[concat(createArray(variables('dscB')), createArray(variables('dscA')), createArray(variables('dscB')), createArray(variables('dscA')))]");
/** Two scale sets that share the entry `dscA`; vmss2 also has `dscB`. */
const sharedEntry = template(
  [
    scaleSetResource(`            "extensions": ["[variables('dscA')]"]`),
    scaleSetResource(`            "extensions": "[createArray(variables('dscB'), variables('dscA'))]"`).replace(`"name": "vmss1"`, `"name": "vmss2"`),
  ],
  "{}",
  `{ "dscA": { "name": "iis", ${props()} }, "dscB": { "name": "app", ${props()} } }`,
);

/** A scale set with a profile entry and a child extension resource named `childName`. */
function entryAndChild(childName: string): string {
  return template([
    `    {
      "type": "Microsoft.Compute/virtualMachineScaleSets",
      "apiVersion": "2024-07-01",
      "name": "vmss1",
      "properties": {
        "upgradePolicy": { "mode": "Automatic" },
        "virtualMachineProfile": { "extensionProfile": { "extensions": [{ "name": "dsc", ${props()} }] } }
      }
    }`,
    `    {
      "type": "Microsoft.Compute/virtualMachineScaleSets/extensions",
      "apiVersion": "2024-07-01",
      "name": "vmss1/${childName}",
      ${props()}
    }`,
  ]);
}
const entryAndOtherChild = entryAndChild("dsc2");

/** VMs in a copy loop, each with a nested DSC child and a top-level one. */
const loopedTwice = template([
  `    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "[concat('vm', copyIndex())]",
      "copy": { "name": "vms", "count": 3 },
      "resources": [
        {
          "type": "extensions",
          "apiVersion": "2024-07-01",
          "name": "Microsoft.Powershell.DSC",
          ${props()}
        }
      ]
    }`,
  `${topLevel("[concat('vm', copyIndex(), '/app')]").replace("{\n", `{\n      "copy": { "name": "apps", "count": 3 },\n`)}`,
]);

/** The DSC child of every looped VM (`every`, declared in the VMs' resources) and a top-level DSC extension on one of them, `vm1/sql`. */
const onOneOfLooped = loopedTwice.replace(`"[concat('vm', copyIndex(), '/app')]"`, `"vm1/sql"`).replace(`"copy": { "name": "apps", "count": 3 },\n`, "");
/** ... the same with a top-level loop for every VM instead (`count` iterations of `vm<i>/all`). */
const everyTopLevel = (count: string, condition?: string, vmCount = "3") =>
  template([
    `    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "[concat('vm', copyIndex())]", "copy": { "name": "vms", "count": ${vmCount} } }`,
    topLevel("[concat('vm', copyIndex(), '/all')]", condition).replace("{\n", `{\n      "copy": { "name": "all", "count": ${count} },\n`),
    topLevel("vm1/sql"),
  ]);

const broken = example("broken/vm-two-dsc-extensions.json");
const brokenDuplicate = { name: "app-01/ConfigureApp", parent: "virtual machine 'app-01'", first: "InstallIIS", line: "19" };

const OS = `{ "os": { "type": "string", "defaultValue": "a" }, "x": { "type": "bool", "defaultValue": false }, "y": { "type": "bool", "defaultValue": false } }`;
const onVm1 = { name: "vm1/dscB", parent: "virtual machine 'vm1'", first: "vm1/dscA" };
const defaultsOnly = conditional(`"[parameters('x')]"`, `"[parameters('y')]"`, OS);
/** DSC extensions `vm1/dsc0`, `vm1/dsc1`, ... on vm1, with the given conditions. */
function switched(conditions: string[]): string {
  return template([VM1, ...conditions.map((c, i) => topLevel(`vm1/dsc${i}`, c))], OS);
}
const onSwitch = (i: number) => `"[equals(parameters('os'), '${i}')]"`;
/** One switch, one value each: no two of them ever deploy together. */
const switchedApart = switched([0, 1, 2, 3, 4, 5].map(onSwitch));
/** ... until one tests a value in another case (ARM may compare it either way), or another subject. */
const switchedCase = switched([`"[equals(parameters('os'), 'a')]"`, onSwitch(1), `"[equals(parameters('os'), 'A')]"`]);
const switchedOther = switched([onSwitch(0), onSwitch(1), `"[parameters('x')]"`]);
const sameCondition = conditional(`"[equals(parameters('os'), 'a')]"`, `"[equals(parameters('os'), 'a')]"`, OS);

/** vm1 with a DSC extension in a copy loop of `count`, named `name`, deployed when `condition` holds. */
const looped = (count: string, name = "[concat('vm1/dsc', copyIndex())]", condition?: string) =>
  template([VM1, topLevel(name, condition).replace("{\n", `{\n      "copy": { "name": "dscs", "count": ${count} },\n`)], `{ "n": { "type": "int", "defaultValue": 2 } }`, `{ "two": 2 }`);
/** A scale set whose profile gets its extensions from a property copy of `count` DSC entries. */
const propertyCopy = (count: string) =>
  deploymentTemplate(
    scaleSetResource(`            "copy": [{ "name": "extensions", "count": ${count}, "input": { "name": "[concat('dsc', copyIndex('extensions'))]", ${props()} } }]`),
  );
const loopError = (code: string, count: string, snippet: string, name: string, parent: string, what = "") =>
  oneError(code, "loopDuplicate", { name, parent, count, what }, snippet);

runRuleTests("no-duplicate-dsc-extension", rule, {
  valid: [
    { code: example("vm-dsc.json"), filename: "vm-dsc.json" },
    { code: example("vmss-dsc.json"), filename: "vmss-dsc.json" },
    template([VM1, topLevel("vm1/dsc"), topLevel("vm1/script", undefined, "CustomScriptExtension")]),
    template([VM1, topLevel("vm1/dsc"), topLevel("vm2/dsc")]),
    // copy loops of one, of a count a deployment may set, over one deployed iteration, or over different machines
    looped("1"),
    looped(`"[parameters('n')]"`),
    looped("2", undefined, `"[equals(copyIndex(), 0)]"`),
    propertyCopy("1"),
    // copy loops over different machines
    template([topLevel("[concat('web', copyIndex(), '/dsc')]"), topLevel("[concat('app', copyIndex(), '/dsc')]")]),
    // one extension on the first VM of a loop, another on the others
    template([
      `    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-07-01", "name": "[concat('vm', copyIndex())]", "copy": { "name": "vms", "count": 3 } }`,
      topLevel("vm0/first"),
      topLevel("[concat('vm', copyIndex(1), '/rest')]"),
    ]),
    // the same extension name is the same extension (a model entry updated by a child resource)
    entryAndChild("dsc"),
    // provably exclusive conditions
    conditional(`"[equals(parameters('os'), 'a')]"`, `"[not(equals(parameters('os'), 'a'))]"`, OS),
    conditional(`"[parameters('x')]"`, `"[not(parameters('x'))]"`, OS),
    conditional(`"[equals(parameters('os'), 'a')]"`, `"[equals(parameters('os'), 'b')]"`, OS),
    switchedApart,
    eitherEntry,
    manyPlacesExclusive,
    // a loop that may not reach the instance, or whose condition picks iterations
    everyTopLevel("1"),
    everyTopLevel(`"[parameters('count')]"`).replace(`"parameters": {}`, `"parameters": { "count": { "type": "int" } }`),
    everyTopLevel("3", `"[equals(copyIndex(), 0)]"`),
    // one entry that two scale sets share: one DSC extension on each
    sharedEntry.replace("variables('dscB'), ", ""),
    exclusiveIfs,
    eitherElement,
    eitherWritten,
    conditional(`"[equals('a', parameters('os'))]"`, `"[if(equals(parameters('os'), 'a'), false(), true())]"`, OS),
    conditional(`"[and(parameters('x'), parameters('y'))]"`, `"[or(not(parameters('x')), not(parameters('y')))]"`, OS),
    conditional(`"[variables('isA')]"`, `"[not(equals(parameters('os'), 'a'))]"`, OS, `{ "isA": "[equals(parameters('os'), 'a')]" }`),
    conditional("false", "true"),
    conditional(`"[equals(variables('mode'), 'on')]"`, "true", "{}", `{ "mode": "off" }`),
    conditional(`"[bool('false')]"`, "true"),
    // a parameter limited by allowedValues takes only those values
    conditional(
      `"[equals(parameters('tier'), 'gold')]"`,
      "true",
      `{ "tier": { "type": "string", "allowedValues": ["silver", "bronze"], "defaultValue": "silver" } }`,
    ),
    // misplaced profiles are extension-placement's business
    template([
      `    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "vm1",
      "properties": { "extensionProfile": { "extensions": [{ "name": "a", ${props()} }, { "name": "b", ${props()} }] } }
    }`,
    ]),
    `{ "$schema": "${PARAMETERS_SCHEMA}", "parameters": {} }`,
  ],
  invalid: [
    // a copy loop that repeats the extension on one machine
    loopError(looped("5"), "5", "5", "[concat('vm1/dsc', copyIndex())]", "virtual machine 'vm1'"),
    loopError(looped(`"[variables('two')]"`, "vm1/dsc"), "2", `"[variables('two')]"`, "vm1/dsc", "virtual machine 'vm1'"),
    loopError(propertyCopy("3"), "3", "3", "[concat('dsc', copyIndex('extensions'))]", "scale set 'vmss1'", " (a property copy of the profile's extensions)"),
    {
      code: broken,
      errors: [{ messageId: "duplicate", data: brokenDuplicate, ...at(broken, `"[concat(variables('vmName'), '/ConfigureApp')]"`) }],
    },
    oneError(twoOnVm, "duplicate", { name: "vm1/app", parent: "virtual machine 'vm1'", first: "vm1/iis", line: "11" }, `"vm1/app"`),
    {
      code: threeOnVm,
      errors: [
        errorAt(threeOnVm, "duplicate", { name: "vm1/app", parent: "virtual machine 'vm1'", first: "vm1/iis", line: "11" }, `"vm1/app"`),
        errorAt(threeOnVm, "duplicate", { name: "vm1/sql", parent: "virtual machine 'vm1'", first: "vm1/iis", line: "11" }, `"vm1/sql"`),
      ],
    },
    {
      code: undeclaredParent,
      errors: [
        {
          messageId: "duplicate",
          data: {
            name: "[format('{0}/app', parameters('vmName'))]",
            parent: "virtual machine '[parameters('vmName')]'",
            first: "[concat(parameters('vmName'), '/iis')]",
            line: "10",
          },
          ...at(undeclaredParent, `"[format('{0}/app', parameters('vmName'))]"`),
        },
      ],
    },
    {
      code: loopedTwice,
      errors: [
        {
          messageId: "duplicate",
          data: {
            name: "[concat('vm', copyIndex(), '/app')]",
            parent: "virtual machine '[concat('vm', copyIndex())]'",
            first: "Microsoft.Powershell.DSC",
            line: "16",
          },
          ...at(loopedTwice, `"[concat('vm', copyIndex(), '/app')]"`),
        },
      ],
    },
    oneError(alsoEntry, "duplicate", { name: "app", parent: "scale set 'vmss1'", first: "iis", line: "5" }, `"app"`),
    // an extension on one instance of looped VMs that all get another one
    oneError(onOneOfLooped, "duplicate", { name: "vm1/sql", parent: "virtual machine 'vm1'", first: "Microsoft.Powershell.DSC", line: "16" }, `"vm1/sql"`),
    // ... the same count, known or not
    oneError(
      everyTopLevel(`"[parameters('count')]"`, undefined, `"[parameters( 'count' )]"`).replace(`"parameters": {}`, `"parameters": { "count": { "type": "int" } }`),
      "duplicate",
      { name: "vm1/sql", parent: "virtual machine 'vm1'", first: "[concat('vm', copyIndex(), '/all')]", line: "12" },
      `"vm1/sql"`,
    ),
    oneError(everyTopLevel("3"), "duplicate", { name: "vm1/sql", parent: "virtual machine 'vm1'", first: "[concat('vm', copyIndex(), '/all')]", line: "12" }, `"vm1/sql"`),
    // an entry in two places counts in each: on its own, it is one extension (same name)
    oneError(entryTwice, "duplicate", { name: "app", parent: "scale set 'vmss1'", first: "iis", line: "5" }, `"app"`),
    oneError(pairTwice, "duplicate", { name: "app", parent: "scale set 'vmss1'", first: "iis", line: "5" }, `"app"`),
    oneError(entryTwiceWritten, "duplicate", { name: "app", parent: "scale set 'vmss1'", first: "iis", line: "5" }, `"app"`),
    oneError(sharedEntry, "duplicate", { name: "app", parent: "scale set 'vmss2'", first: "iis", line: "5" }, `"app"`),
    oneError(twoEntries, "duplicate", { name: "app", parent: "scale set 'vmss1'", first: "iis", line: "15" }, `"app"`),
    oneError(entryAndOtherChild, "duplicate", { name: "vmss1/dsc2", parent: "scale set 'vmss1'", first: "dsc", line: "13" }, `"vmss1/dsc2"`),
    {
      // parameter defaults can be overridden: two conditions false by default may both be true
      code: defaultsOnly,
      errors: [{ messageId: "duplicate", data: { ...onVm1, line: "12" }, ...at(defaultsOnly, `"vm1/dscB"`) }],
    },
    {
      code: sameCondition,
      errors: [{ messageId: "duplicate", data: { ...onVm1, line: "12" }, ...at(sameCondition, `"vm1/dscB"`) }],
    },
    oneError(switchedCase, "duplicate", { name: "vm1/dsc2", parent: "virtual machine 'vm1'", first: "vm1/dsc0", line: "12" }, `"vm1/dsc2"`),
    oneError(switchedOther, "duplicate", { name: "vm1/dsc2", parent: "virtual machine 'vm1'", first: "vm1/dsc0", line: "12" }, `"vm1/dsc2"`),
  ],
});

describe("lib/template/conditions", () => {
  /** The condition formulas of the DSC extensions of a template, in source order (those never deployed too). */
  function formulas(code: string) {
    const model = getTemplateModel(parseForESLint(code, { jsonSyntax: "JSONC" }).ast, code);
    const builder = new ConditionBuilder();
    const all = [...model.dscExtensions, ...model.undeployed].sort((a, b) => a.node.range[0] - b.node.range[0]);
    return all.map((ext) => builder.ofExtension(ext));
  }

  it("proves exclusivity only when no deployment satisfies both", () => {
    const [a, b] = formulas(conditional(`"[equals(parameters('os'), 'a')]"`, `"[equals(parameters('os'), 'A')]"`, OS));
    // ARM may compare strings case-insensitively: 'a' and 'A' are not provably different
    assert.equal(mutuallyExclusive(a!, b!), false);
    const [c, d] = formulas(conditional(`"[parameters('x')]"`, `"[parameters('y')]"`, OS));
    assert.equal(mutuallyExclusive(c!, d!), false);
  });

  it("knows conditions that are false in every deployment", () => {
    const [never, always] = formulas(conditional(`"[equals(variables('mode'), 'on')]"`, `"[parameters('x')]"`, OS, `{ "mode": "off" }`));
    assert.equal(neverTrue(never!), true);
    assert.equal(neverTrue(always!), false);
  });

  it("gives up on formulas with too many atoms", () => {
    const many = Array.from({ length: 13 }, (_, i) => `equals(parameters('os'), '${i}')`).join(", ");
    const [a, b] = formulas(conditional(`"[or(${many})]"`, `"[not(or(${many}))]"`, OS));
    assert.equal(mutuallyExclusive(a!, b!), false);
  });
});
