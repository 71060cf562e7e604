import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigSchema, type MonitorConfig } from './schema';

/** A configuration problem; the message names the file or field, the bad value and what is expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

const SECRET_KEYS = /pass|secret|token|key$/i;

/** Key names shown when describing a hidden object: plain words only, so a secret typed as a key stays hidden. */
const SHOWABLE_KEY = /^[A-Za-z]{1,24}$/;

/**
 * What a value under a secret field looks like, never what it is: a secret typed as an object member,
 * a number or an array element is as secret as a literal string.
 */
function describeSecretShape(v: unknown): string {
  if (typeof v === 'string') return '(a literal string; value hidden)';
  if (typeof v === 'number') return '(a number; value hidden)';
  if (Array.isArray(v)) return `(an array of ${v.length} item${v.length === 1 ? '' : 's'}; values hidden)`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    const shown = keys.filter((k) => SHOWABLE_KEY.test(k));
    const hidden = keys.length - shown.length;
    const plural = (n: number) => (n === 1 ? 'key' : 'keys');
    const what = shown.length
      ? `${plural(shown.length)} ${shown.join(', ')}${hidden ? ` and ${hidden} more (names hidden)` : ''}`
      : `${hidden} ${plural(hidden)} (names hidden)`;
    return `(an object with ${keys.length ? what : 'no keys'}; values hidden)`;
  }
  return JSON.stringify(v);
}

function describeValue(path: PropertyKey[], v: unknown): string {
  if (v === undefined) return 'nothing';
  if (path.some((p) => typeof p === 'string' && SECRET_KEYS.test(p))) return describeSecretShape(v);
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function formatIssue(input: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return `\`${path}\` has unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against monitor.config.example.json`;
  }
  const got = describeValue(issue.path, valueAt(input, issue.path));
  const expected = issue.message
    .replace(/^Invalid input: expected object\b/, 'a JSON object')
    .replace(/^Invalid input: expected ([aeiou])/, 'an $1')
    .replace(/^Invalid input: expected /, 'a ')
    .replace(/, received \w+$/, '')
    .replace(/^Invalid input/, 'valid');
  if (got === 'nothing') return `\`${path}\` is required: ${expected}`;
  return `\`${path}\` must be ${expected}, got: ${got}`;
}

/** Validates an already-parsed configuration object; throws ConfigError listing every problem. */
export function parseConfig(input: unknown, source = 'configuration'): MonitorConfig {
  const result = ConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${formatIssue(input, i)}`);
  throw new ConfigError(`${source} is invalid:\n${lines.join('\n')}`);
}

/** Reads and validates a JSON configuration file. */
export function loadConfigFile(file: string): MonitorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `configuration file ${file} not found; copy monitor.config.example.json to ${file} and edit it`
        : `configuration file ${file} cannot be read (${code ?? String(err)})`,
      { cause: err },
    );
  }
  // Some editors (Notepad) save UTF-8 with a byte order mark, which JSON.parse rejects as an invisible token.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`configuration file ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseConfig(json, `configuration file ${file}`);
}
