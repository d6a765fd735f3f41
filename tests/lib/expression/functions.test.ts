import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ARRAY_FUNCTIONS,
  BOOLEAN_FUNCTIONS,
  DEPLOYMENT_FUNCTIONS,
  IDENTIFIER_FUNCTIONS,
  NUMBER_FUNCTIONS,
  TEXT_FUNCTIONS,
  TIME_FUNCTIONS,
  resultCarriesArguments,
  resultIsNeverObject,
  resultIsNeverSecret,
} from "../../../lib/expression/index.js";

// The hand-written sets these predicates replaced, copied verbatim.

/** Was OPAQUE_FUNCTIONS in lib/secrets/flow.ts (arguments do not flow into the result). */
const OLD_OPAQUE = [
  "empty", "length", "equals", "not", "and", "or", "less", "lessorequals", "greater", "greaterorequals",
  "contains", "startswith", "endswith", "indexof", "lastindexof", "bool", "int", "float", "uniquestring",
  "guid", "newguid", "resourceid", "subscriptionresourceid", "tenantresourceid", "extensionresourceid",
  "managementgroupresourceid", "resourcegroup", "subscription", "tenant", "managementgroup", "deployment",
  "environment", "copyindex", "utcnow", "datetimeadd", "datetimefromepoch", "datetimetoepoch", "pickzones",
  "providers", "range",
];

/** Was NON_OBJECT_FUNCTIONS in rules/credentials-in-protected-settings.ts. */
const OLD_NON_OBJECT = [
  "concat", "format", "uri", "string", "tolower", "toupper", "trim", "replace", "substring", "base64",
  "base64tostring", "uricomponent", "uricomponenttostring", "datauri", "padleft", "guid", "uniquestring",
  "resourceid", "subscriptionresourceid", "tenantresourceid", "extensionresourceid", "split", "length",
  "empty", "equals", "not", "and", "or", "add", "sub", "mul", "div", "mod", "int", "bool", "array", "range",
  "utcnow",
];

/** Was NON_SECRET_FUNCTIONS in rules/credentials-in-protected-settings.ts. */
const OLD_NON_SECRET = [
  "resourceid", "subscriptionresourceid", "tenantresourceid", "extensionresourceid", "uniquestring", "guid",
  "newguid", "length", "empty", "equals", "not", "and", "or", "contains", "bool", "int",
];

const GROUPS = [
  IDENTIFIER_FUNCTIONS,
  BOOLEAN_FUNCTIONS,
  NUMBER_FUNCTIONS,
  TEXT_FUNCTIONS,
  ARRAY_FUNCTIONS,
  TIME_FUNCTIONS,
  DEPLOYMENT_FUNCTIONS,
];
const ALL = [...new Set(GROUPS.flatMap((g) => [...g]))].sort();

/** The classified names a predicate holds for, sorted. */
function members(predicate: (name: string) => boolean): string[] {
  return ALL.filter(predicate);
}

/** Names of `derived` that `old` lacked, sorted. */
function added(derived: readonly string[], old: readonly string[]): string[] {
  return derived.filter((name) => !old.includes(name)).sort();
}

test("groups are disjoint and lower-case", () => {
  const total = GROUPS.reduce((n, g) => n + g.size, 0);
  assert.equal(ALL.length, total);
  for (const name of ALL) assert.equal(name, name.toLowerCase());
});

test("opaque functions: the old set, plus arithmetic (numbers hold no argument text, like int and length)", () => {
  const opaque = members((name) => !resultCarriesArguments(name));
  for (const name of OLD_OPAQUE) assert.ok(opaque.includes(name), name);
  assert.deepEqual(added(opaque, OLD_OPAQUE), ["add", "div", "false", "max", "min", "mod", "mul", "sub", "true"]);
});

test("never-object functions: the old set, plus every other string, number, boolean or array result", () => {
  const never = members(resultIsNeverObject);
  for (const name of OLD_NON_OBJECT) assert.ok(never.includes(name), name);
  // Only skips evaluating values that cannot be a PSCredential object: no finding changes.
  assert.deepEqual(added(never, OLD_NON_OBJECT), [
    "contains", "copyindex", "createarray", "datauritostring", "datetimeadd", "datetimefromepoch",
    "datetimetoepoch", "endswith", "false", "filter", "flatten", "float", "greater", "greaterorequals",
    "indexof", "items", "join", "lastindexof", "less", "lessorequals", "managementgroupresourceid", "map",
    "max", "min", "newguid", "skip", "sort", "startswith", "take", "true",
  ]);
});

test("never-secret functions: the old set, plus the rest of the ids, tests and numbers", () => {
  const never = members(resultIsNeverSecret);
  for (const name of OLD_NON_SECRET) assert.ok(never.includes(name), name);
  assert.deepEqual(added(never, OLD_NON_SECRET), [
    "add", "copyindex", "datetimetoepoch", "div", "endswith", "false", "float", "greater", "greaterorequals",
    "indexof", "lastindexof", "less", "lessorequals", "managementgroupresourceid", "max", "min", "mod", "mul",
    "range", "startswith", "sub", "true",
  ]);
});

test("unclassified functions get the cautious answer", () => {
  for (const name of ["if", "coalesce", "json", "first", "last", "union", "reference", "listKeys", "contoso.fn", "nosuch"]) {
    assert.ok(resultCarriesArguments(name), name);
    assert.ok(!resultIsNeverObject(name), name);
    assert.ok(!resultIsNeverSecret(name), name);
  }
});

test("names match case-insensitively", () => {
  assert.ok(!resultCarriesArguments("uniqueString"));
  assert.ok(resultIsNeverObject("toLower"));
  assert.ok(resultIsNeverSecret("resourceId"));
  assert.ok(!resultIsNeverObject("resourceGroup"));
});
