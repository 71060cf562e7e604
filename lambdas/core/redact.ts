/**
 * Every secret value read at run time is registered here, and every text that leaves the process
 * (report, log line, metric dimension, alert) goes through {@link redact}. Drivers build error messages
 * from connection parameters (a password typed where the user belongs comes back as "user \"SECRET\""),
 * so redaction is by value, not by field.
 */
const secrets = new Set<string>();

/** Registers a secret so that {@link redact} removes it; values shorter than 4 characters are still hidden. */
export function registerSecret(value: string | undefined): void {
  if (value) secrets.add(value);
}

/** Replaces every registered secret (and its URL-encoded form) by `***`. */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}

/** Redacts every string inside a JSON-compatible value. */
export function redactDeep<T>(value: T): T {
  if (secrets.size === 0) return value;
  return JSON.parse(redact(JSON.stringify(value))) as T;
}

/** Forgets registered secrets (tests). */
export function clearSecrets(): void {
  secrets.clear();
}
