/**
 * What the result of an ARM template function is, as far as the rules care: whether it can be
 * an object, whether it holds the text of its arguments, and whether it can ever be a secret.
 * Functions are grouped by the kind of result they produce; the predicates at the end are unions
 * of groups. Names are ARM's own (matched case-insensitively); a function in no group (`if`,
 * `coalesce`, `json`, `first`, `union`, `reference`, `list*`, user-defined functions, ...) may
 * return anything, so every predicate answers `false` for it.
 */

/** A fixed set of lower-case function names. */
function group(...names: string[]): ReadonlySet<string> {
  return new Set(names.map((name) => name.toLowerCase()));
}

/**
 * Ids and hashes: strings computed from the arguments without containing them as text
 * (`resourceId('Microsoft.Compute/virtualMachines', 'vm1')` is a path, `uniqueString(...)` a hash).
 * Never an object; never a secret.
 */
export const IDENTIFIER_FUNCTIONS = group(
  "resourceId",
  "subscriptionResourceId",
  "tenantResourceId",
  "extensionResourceId",
  "managementGroupResourceId",
  "guid",
  "uniqueString",
  "newGuid",
);

/** Tests: a boolean. Never an object; never a secret; holds none of its arguments' text. */
export const BOOLEAN_FUNCTIONS = group(
  "equals",
  "not",
  "and",
  "or",
  "less",
  "lessOrEquals",
  "greater",
  "greaterOrEquals",
  "contains",
  "startsWith",
  "endsWith",
  "empty",
  "bool",
  "true",
  "false",
);

/**
 * Numbers: sizes, positions, conversions, arithmetic, the copy loop counter and epoch seconds,
 * plus `range()`, an array of numbers. Never an object; never a secret; holds no argument text.
 */
export const NUMBER_FUNCTIONS = group(
  "length",
  "indexOf",
  "lastIndexOf",
  "int",
  "float",
  "add",
  "sub",
  "mul",
  "div",
  "mod",
  "min",
  "max",
  "copyIndex",
  "dateTimeToEpoch",
  "range",
);

/**
 * Strings built from the text of the arguments (`concat` also joins arrays). Never an object,
 * but whatever flows into the arguments flows into the result.
 */
export const TEXT_FUNCTIONS = group(
  "concat",
  "format",
  "uri",
  "string",
  "toLower",
  "toUpper",
  "trim",
  "replace",
  "substring",
  "padLeft",
  "join",
  "base64",
  "base64ToString",
  "uriComponent",
  "uriComponentToString",
  "dataUri",
  "dataUriToString",
);

/**
 * Arrays built from the arguments' elements (`skip` and `take` also cut strings). Never an
 * object, but the arguments flow into the result.
 */
export const ARRAY_FUNCTIONS = group("split", "array", "createArray", "skip", "take", "flatten", "items", "filter", "map", "sort");

/** Timestamps: date-time strings from the clock or from a date. Never an object; holds no argument text. */
export const TIME_FUNCTIONS = group("utcNow", "dateTimeAdd", "dateTimeFromEpoch");

/**
 * Deployment context: objects and arrays that describe where and how the template is deployed
 * (`resourceGroup()`, `subscription()`, `deployment()`, `environment()`, the zones or API versions
 * of a provider). May be objects; hold none of their arguments' text.
 */
export const DEPLOYMENT_FUNCTIONS = group(
  "resourceGroup",
  "subscription",
  "tenant",
  "managementGroup",
  "deployment",
  "environment",
  "providers",
  "pickZones",
);

/** Functions whose result holds none of the text of their arguments (ids, tests, numbers, times, context). */
const OPAQUE: ReadonlySet<string> = new Set([
  ...IDENTIFIER_FUNCTIONS,
  ...BOOLEAN_FUNCTIONS,
  ...NUMBER_FUNCTIONS,
  ...TIME_FUNCTIONS,
  ...DEPLOYMENT_FUNCTIONS,
]);

/** Functions whose result is a string, number, boolean or array. */
const NEVER_OBJECT: ReadonlySet<string> = new Set([
  ...IDENTIFIER_FUNCTIONS,
  ...BOOLEAN_FUNCTIONS,
  ...NUMBER_FUNCTIONS,
  ...TEXT_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...TIME_FUNCTIONS,
]);

/** Functions whose result is an id, a hash, a test or a number. */
const NEVER_SECRET: ReadonlySet<string> = new Set([...IDENTIFIER_FUNCTIONS, ...BOOLEAN_FUNCTIONS, ...NUMBER_FUNCTIONS]);

/**
 * False when function `name`'s result holds none of its arguments' text (so nothing in the
 * arguments flows into it); true for string and array builders and for every unclassified function.
 */
export function resultCarriesArguments(name: string): boolean {
  return !OPAQUE.has(name.toLowerCase());
}

/** True when function `name` always returns a string, number, boolean or array. */
export function resultIsNeverObject(name: string): boolean {
  return NEVER_OBJECT.has(name.toLowerCase());
}

/** True when function `name` returns an id, a hash, a test or a number: never a secret. */
export function resultIsNeverSecret(name: string): boolean {
  return NEVER_SECRET.has(name.toLowerCase());
}
