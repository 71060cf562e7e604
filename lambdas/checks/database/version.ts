/** A version split into numeric parts and an optional pre-release suffix (`3.4.3dev` → [3,4,3] + `dev`). */
export interface ParsedVersion {
  parts: number[];
  /** Text after the numeric parts, without a leading separator; empty for a release. */
  suffix: string;
}

/** Parses `2.17.2`, `3.4.3dev`, `1.6.0-rc0`, `1.6`; undefined when the text does not start with a number. */
export function parseVersion(text: string): ParsedVersion | undefined {
  const m = /^\s*v?(\d+(?:\.\d+)*)(.*)$/.exec(text);
  if (!m) return undefined;
  return { parts: m[1].split('.').map(Number), suffix: m[2].replace(/^[-.+_~\s]+/, '').trim() };
}

/**
 * Compares versions numerically part by part (2.17.2 > 2.9.0, 0.10.0 > 0.5.1; missing parts count as 0).
 * On equal numbers a suffixed build (`dev`, `rc0`, `beta1`) ranks below the release, as in semver.
 * Returns -1, 0 or 1, or undefined when either side is not a version.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (x.suffix === y.suffix) return 0;
  if (!x.suffix) return 1;
  if (!y.suffix) return -1;
  return x.suffix.localeCompare(y.suffix, 'en', { numeric: true }) < 0 ? -1 : 1;
}
