/**
 * Every secret value read at run time is registered here, and every text that leaves the process
 * (report, log line, metric dimension, alert) goes through {@link redact}. Drivers build error messages
 * from connection parameters (a password typed where the user belongs comes back as "user \"SECRET\""),
 * so redaction is by value, not by field.
 */
const secrets = new Set<string>();

/**
 * Secrets shorter than this are hidden only where they stand as a whole token (not next to a letter, digit
 * or `_`): replacing every `x` of every message for a one-letter password would garble the output and
 * hide nothing an attacker could not guess anyway.
 */
export const SHORT_SECRET_LENGTH = 4;

/** Registers a secret so that {@link redact} removes it; values shorter than 4 characters only as whole tokens. */
export function registerSecret(value: string | undefined): void {
  if (value) secrets.add(value);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The spellings a secret can take in outgoing text: as is, URL-encoded, and escaped inside a JSON string. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  // Longest first, so that an escaped form is replaced whole rather than around its raw core.
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every registered secret by `***`, in its raw, URL-encoded and JSON-escaped forms, so that
 * `redact(JSON.stringify(x))` is as safe as redacting each string of `x`.
 */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    for (const form of formsOf(s)) {
      if (s.length >= SHORT_SECRET_LENGTH) out = out.split(form).join('***');
      else out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(form)}(?![A-Za-z0-9_])`, 'g'), '***');
    }
  }
  return out;
}

/** Redacts every string (values and keys) inside a JSON-compatible value; the result is its JSON form. */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0 || value === undefined) return value;
  // The JSON round trip keeps the old contract (Dates become ISO strings, undefined fields vanish);
  // redaction then happens per string, where no JSON escaping can hide a secret.
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [redact(k), walk(x)]));
    return v;
  };
  return walk(JSON.parse(JSON.stringify(value))) as T;
}

/** Forgets registered secrets (tests). */
export function clearSecrets(): void {
  secrets.clear();
}
