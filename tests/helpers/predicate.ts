import assert from "node:assert/strict";

/**
 * Asserts that `predicate` holds for every value of `accepted` and for none of `rejected`; a
 * failure names the value.
 */
export function assertClassifies<T>(predicate: (value: T) => boolean, accepted: readonly T[], rejected: readonly T[]): void {
  for (const value of accepted) assert.equal(predicate(value), true, `accepted: ${String(value)}`);
  for (const value of rejected) assert.equal(predicate(value), false, `rejected: ${String(value)}`);
}
