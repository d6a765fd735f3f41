/** A `major.minor` handler version as integers, or null when the text is not exactly that. */
export function parseVersion(text: string): [number, number] | null {
  const match = /^(\d{1,9})\.(\d{1,9})$/u.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** Compares versions per integer component: 2.9 < 2.80. */
export function compareVersions(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
