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

/**
 * JSON.parse's message, without the text it quotes: Node cites the characters around a syntax error
 * (`Unexpected token 'h', ..."password":hunter2sec"...`), and in a configuration file those can be a
 * password typed where a secret source belongs. Where it is known, the line and column are given instead.
 */
export function jsonSyntaxError(err: unknown, text: string): string {
  const message = (err as Error)?.message ?? String(err);
  const position = /at position (\d+)/.exec(message)?.[1];
  const where = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
  };
  const kind = /^Unexpected end of JSON input/.test(message)
    ? 'the text ends too early (a missing } or ]?)'
    : /^Unexpected token/.test(message)
      ? 'an unexpected character (quotes missing around a value, or a trailing comma?)'
      : /^Unexpected non-whitespace/.test(message)
        ? 'more text after the end of the JSON value'
        : /^Expected double-quoted property name/.test(message)
          ? 'a property name without double quotes, or a trailing comma'
          : /^Expected ',' or/.test(message)
            ? 'a missing comma or closing bracket'
            : 'a syntax error';
  if (position !== undefined) return `${kind} at ${where(Number(position))}`;
  // Newer messages quote the surroundings instead of a position: find them to name the line, never print them.
  const around = /, (?:\.\.\.)?"(.*)"(?:\.\.\.)? is not valid JSON$/.exec(message)?.[1];
  const at = around ? text.indexOf(around) : -1;
  return at >= 0 ? `${kind} on line ${text.slice(0, at).split('\n').length}` : kind;
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
    .replace(/^Invalid input/, 'valid')
    // zod's own range wording ("Too big: expected number to be <=65535") read as the rest of our sentences.
    .replace(/^Too big: expected (\w+) to be <=?(\S+)$/, (_, t: string, n: string) => `${t === 'int' ? 'a whole number' : 'a number'} no larger than ${n}`)
    .replace(/^Too small: expected (\w+) to be >=?(\S+)$/, (_, t: string, n: string) => `${t === 'int' ? 'a whole number' : 'a number'} of at least ${n}`);
  if (got === 'nothing') return `\`${path}\` is required: ${expected}`;
  return `\`${path}\` must be ${expected}, got: ${got}`;
}

/** Validates an already-parsed configuration object; throws ConfigError listing every problem. */
export function parseConfig(input: unknown, source = 'configuration'): MonitorConfig {
  const result = ConfigSchema.safeParse(input);
  if (result.success) return result.data;
  // One range message per field: a huge number trips both zod's safe-integer bound and ours; keep the tighter one.
  const tightest = new Map<string, number>();
  for (const i of result.error.issues) {
    if (i.code !== 'too_big') continue;
    const key = i.path.map(String).join('.');
    tightest.set(key, Math.min(tightest.get(key) ?? Infinity, Number(i.maximum)));
  }
  const lines = result.error.issues
    .filter((i) => i.code !== 'too_big' || Number(i.maximum) === tightest.get(i.path.map(String).join('.')))
    .map((i) => `  - ${formatIssue(input, i)}`);
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
    throw new ConfigError(`configuration file ${file} is not valid JSON: ${jsonSyntaxError(err, text)}`, { cause: err });
  }
  return parseConfig(json, `configuration file ${file}`);
}
