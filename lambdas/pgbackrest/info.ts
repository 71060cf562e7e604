import { createHash } from 'node:crypto';

/** An info file (backup.info, archive.info, manifest) that is not the INI-with-JSON pgBackRest writes. */
export class InfoParseError extends Error {
  override name = 'InfoParseError';
}

/** One `key=value` line; `raw` is the JSON text exactly as stored (kept for the checksum and big integers). */
export interface InfoEntry {
  key: string;
  raw: string;
  /** Parsed JSON; integers beyond 2^53 are kept as decimal strings. */
  value: unknown;
  /** 1-based line number in the file. */
  line: number;
}

/** One `[section]`; a name may occur twice (pgBackRest writes two `[backrest]` sections). */
export interface InfoSection {
  name: string;
  line: number;
  entries: InfoEntry[];
}

/** A parsed info file: its sections in file order. */
export interface InfoDocument {
  file: string;
  sections: InfoSection[];
}

/** One backup as recorded in `[backup:current]` of backup.info. */
export interface BackupEntry {
  label: string;
  type: 'full' | 'diff' | 'incr';
  /** Epoch seconds (database clock); never derive times from the label. */
  timestampStart: number;
  /** Epoch seconds when the backup completed. */
  timestampStop: number;
  /** First WAL segment the backup needs; null for offline backups. */
  archiveStart: string | null;
  /** Last WAL segment the backup needs; null for offline backups. */
  archiveStop: string | null;
  /** `X/Y` LSN at backup start, when recorded (2.38+). */
  lsnStart: string | null;
  /** `X/Y` LSN at backup stop, when recorded. */
  lsnStop: string | null;
  /** Label of the backup this one depends on (diff/incr). */
  prior?: string;
  /** Labels whose files this backup references. */
  reference?: string[];
  /** `backup-error`: true when page checksum errors were found; undefined before pgBackRest 2.36 (unknown). */
  error?: boolean;
  /** Bytes the backup set takes in the repository (compressed, encrypted). */
  repoSize: number;
  /** Bytes of the database the backup set restores. */
  size: number;
  /** Bytes this backup added to the repository. */
  repoSizeDelta: number;
  /** Bytes of the database copied by this backup. */
  sizeDelta: number;
  /** `[db:history]` id of the database the backup was taken from. */
  dbId: number;
  /** pgBackRest version that wrote the backup. */
  backrestVersion: string;
  /** The `option-*` booleans without their prefix (`online`, `archive-check`, `compress`, ...). */
  options: Record<string, boolean>;
}

/** One `[db:history]` entry: a database (system id + major version) the stanza has held. */
export interface DbHistoryEntry {
  id: number;
  systemId: string;
  version: string;
}

/** backup.info, parsed. */
export interface BackupInfo {
  format: number;
  version: string;
  /** `db-system-id` as a decimal string (it exceeds 2^53). */
  systemId: string;
  dbVersion: string;
  dbId: number;
  /** Sub-pass that decrypts manifests; present only in encrypted repositories. A secret. */
  cipherPass?: string;
  /** Backups sorted as in the file (by label). */
  backups: BackupEntry[];
  history: DbHistoryEntry[];
}

/** archive.info, parsed. */
export interface ArchiveInfo {
  format: number;
  version: string;
  systemId: string;
  dbVersion: string;
  dbId: number;
  /** Folder of the current WAL archive, `<dbVersion>-<dbId>` such as `15-1`. */
  archiveId: string;
  /** Sub-pass that decrypts WAL, `.history` and `.backup` files; encrypted repositories only. A secret. */
  cipherPass?: string;
  history: DbHistoryEntry[];
}

/** Quotes integer literals longer than 15 digits outside strings, so JSON.parse keeps them exact. */
function protectBigInts(json: string): string {
  let out = '';
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      out += json.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(json.slice(i, i + 64));
      const tok = m ? m[0] : c;
      out += /^-?\d{16,}$/.test(tok) ? `"${tok}"` : tok;
      i += tok.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Parses one JSON value with big integers kept as strings; undefined when it is not valid JSON. */
export function parseJsonValue(raw: string): { value: unknown } | undefined {
  try {
    JSON.parse(raw);
  } catch {
    return undefined;
  }
  return { value: JSON.parse(protectBigInts(raw)) };
}

/**
 * Parses pgBackRest's INI-with-JSON-values text. Sections keep file order and duplicates; a key may contain `=`
 * (the split moves to the next `=` until the value is valid JSON, as pgBackRest's strict INI reader does).
 */
export function parseInfoText(text: string, file = 'info file'): InfoDocument {
  const sections: InfoSection[] = [];
  let current: InfoSection | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
    const lineNo = n + 1;
    if (line === '') continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']') || line.length < 3) throw new InfoParseError(`${file} line ${lineNo}: malformed section header ${JSON.stringify(clip(line))}`);
      current = { name: line.slice(1, -1), line: lineNo, entries: [] };
      sections.push(current);
      continue;
    }
    if (!current) throw new InfoParseError(`${file} line ${lineNo}: key before any [section]: ${JSON.stringify(clip(line))}`);
    let eq = line.indexOf('=');
    let parsed: { value: unknown } | undefined;
    while (eq > 0) {
      parsed = parseJsonValue(line.slice(eq + 1));
      if (parsed) break;
      eq = line.indexOf('=', eq + 1);
    }
    if (eq <= 0 || !parsed) throw new InfoParseError(`${file} line ${lineNo}: expected key=<JSON value> in [${current.name}], got ${JSON.stringify(clip(line))}`);
    current.entries.push({ key: line.slice(0, eq), raw: line.slice(eq + 1), value: parsed.value, line: lineNo });
  }
  if (sections.length === 0) throw new InfoParseError(`${file}: empty or not an info file (no [section] found)`);
  return { file, sections };
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Escapes a key the way pgBackRest's JSON writer does (only `" \ \n \r \t \b \f`). */
function jsonKey(key: string): string {
  return `"${key.replace(/[\\"\n\r\t\b\f]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' })[c] as string)}"`;
}

/** The checksum pgBackRest computes over an info file (SHA-1 of a JSON-like rendering, `backrest-checksum` excluded). */
export function computeInfoChecksum(doc: InfoDocument): string {
  let s = '{';
  let last: InfoSection | undefined;
  for (const section of doc.sections) {
    for (const e of section.entries) {
      if (section.name === 'backrest' && e.key === 'backrest-checksum') continue;
      if (section !== last) {
        s += `${last === undefined ? '' : '},'}"${section.name}":{`;
        last = section;
      } else {
        s += ',';
      }
      s += `${jsonKey(e.key)}:${e.raw}`;
    }
  }
  return createHash('sha1').update(`${s}}}`, 'utf8').digest('hex');
}

/** Result of {@link verifyInfoChecksum}. */
export interface ChecksumVerdict {
  valid: boolean;
  /** The `backrest-checksum` stored in the file, when present. */
  stored?: string;
  computed: string;
}

/** Verifies the `backrest-checksum` of an info file's text (throws {@link InfoParseError} when it is not an info file). */
export function verifyInfoChecksum(text: string, file = 'info file'): ChecksumVerdict {
  const doc = parseInfoText(text, file);
  const computed = computeInfoChecksum(doc);
  const stored = findEntry(doc, 'backrest', 'backrest-checksum')?.value;
  return { valid: typeof stored === 'string' && stored === computed, stored: typeof stored === 'string' ? stored : undefined, computed };
}

/** The first entry named key in any section named section (sections may repeat). */
export function findEntry(doc: InfoDocument, section: string, key: string): InfoEntry | undefined {
  for (const s of doc.sections) if (s.name === section) for (const e of s.entries) if (e.key === key) return e;
  return undefined;
}

/** All entries of every section with that name, in file order. */
export function sectionEntries(doc: InfoDocument, section: string): InfoEntry[] {
  return doc.sections.filter((s) => s.name === section).flatMap((s) => s.entries);
}

function where(doc: InfoDocument, section: string, key: string, line?: number): string {
  return `${doc.file}${line ? ` line ${line}` : ''} [${section}] ${key}`;
}

function required(doc: InfoDocument, section: string, key: string): InfoEntry {
  const e = findEntry(doc, section, key);
  if (!e) throw new InfoParseError(`${doc.file}: [${section}] ${key} is missing`);
  return e;
}

function num(doc: InfoDocument, section: string, key: string, value: unknown, line: number): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new InfoParseError(`${where(doc, section, key, line)} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

function str(doc: InfoDocument, section: string, key: string, value: unknown, line: number): string {
  if (typeof value !== 'string') throw new InfoParseError(`${where(doc, section, key, line)} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** A big unsigned integer as a decimal string, whatever way it was stored. */
function bigId(doc: InfoDocument, section: string, key: string, value: unknown, raw: string | undefined, line: number): string {
  if (raw !== undefined && /^\d+$/.test(raw)) return raw;
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new InfoParseError(`${where(doc, section, key, line)} must be an unsigned integer, got ${JSON.stringify(value)}`);
}

function header(doc: InfoDocument): { format: number; version: string } {
  const f = required(doc, 'backrest', 'backrest-format');
  const v = required(doc, 'backrest', 'backrest-version');
  return { format: num(doc, 'backrest', 'backrest-format', f.value, f.line), version: str(doc, 'backrest', 'backrest-version', v.value, v.line) };
}

function cipherPass(doc: InfoDocument): string | undefined {
  const e = findEntry(doc, 'cipher', 'cipher-pass');
  return e ? str(doc, 'cipher', 'cipher-pass', e.value, e.line) : undefined;
}

function dbSection(doc: InfoDocument): { systemId: string; dbVersion: string; dbId: number } {
  const sys = required(doc, 'db', 'db-system-id');
  const ver = required(doc, 'db', 'db-version');
  const id = required(doc, 'db', 'db-id');
  return {
    systemId: bigId(doc, 'db', 'db-system-id', sys.value, sys.raw, sys.line),
    dbVersion: str(doc, 'db', 'db-version', ver.value, ver.line),
    dbId: num(doc, 'db', 'db-id', id.value, id.line),
  };
}

function history(doc: InfoDocument, systemKey: 'db-system-id' | 'db-id'): DbHistoryEntry[] {
  return sectionEntries(doc, 'db:history').map((e) => {
    const v = e.value as Record<string, unknown> | null;
    if (!v || typeof v !== 'object') throw new InfoParseError(`${where(doc, 'db:history', e.key, e.line)} must be a JSON object`);
    return {
      id: num(doc, 'db:history', e.key, e.key, e.line),
      systemId: bigId(doc, 'db:history', `${e.key}.${systemKey}`, v[systemKey], undefined, e.line),
      version: str(doc, 'db:history', `${e.key}.db-version`, v['db-version'], e.line),
    };
  });
}

const BACKUP_TYPES = new Set(['full', 'diff', 'incr']);

/** Backup timestamps outside [2000-01-01, 2200-01-01) are damage, not dates (epoch seconds). */
export const PLAUSIBLE_EPOCH_SECONDS = { min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2200, 0, 1) / 1000 };

function epoch(doc: InfoDocument, section: string, key: string, value: number, line: number): number {
  if (!Number.isInteger(value) || value < PLAUSIBLE_EPOCH_SECONDS.min || value >= PLAUSIBLE_EPOCH_SECONDS.max) {
    throw new InfoParseError(`${where(doc, section, key, line)} is ${value}: not a plausible epoch time (expected whole seconds between 2000-01-01 and 2200-01-01)`);
  }
  return value;
}

function backupEntry(doc: InfoDocument, e: InfoEntry): BackupEntry {
  const v = e.value as Record<string, unknown> | null;
  const sec = 'backup:current';
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InfoParseError(`${where(doc, sec, e.key, e.line)} must be a JSON object`);
  const field = (k: string): unknown => {
    if (!(k in v)) throw new InfoParseError(`${where(doc, sec, e.key, e.line)}: "${k}" is missing`);
    return v[k];
  };
  const n = (k: string) => num(doc, sec, `${e.key}.${k}`, field(k), e.line);
  const optStr = (k: string): string | null => {
    const x = v[k];
    if (x === undefined || x === null) return null;
    return str(doc, sec, `${e.key}.${k}`, x, e.line);
  };
  const type = field('backup-type');
  if (typeof type !== 'string' || !BACKUP_TYPES.has(type)) throw new InfoParseError(`${where(doc, sec, `${e.key}.backup-type`, e.line)} must be full, diff or incr, got ${JSON.stringify(type)}`);
  const reference = v['backup-reference'];
  if (reference !== undefined && reference !== null && !(Array.isArray(reference) && reference.every((r) => typeof r === 'string'))) {
    throw new InfoParseError(`${where(doc, sec, `${e.key}.backup-reference`, e.line)} must be a list of labels`);
  }
  const error = v['backup-error'];
  const options: Record<string, boolean> = {};
  for (const [k, x] of Object.entries(v)) if (k.startsWith('option-') && typeof x === 'boolean') options[k.slice('option-'.length)] = x;
  const prior = optStr('backup-prior');
  const start = epoch(doc, sec, `${e.key}.backup-timestamp-start`, n('backup-timestamp-start'), e.line);
  const stop = epoch(doc, sec, `${e.key}.backup-timestamp-stop`, n('backup-timestamp-stop'), e.line);
  if (stop < start) throw new InfoParseError(`${where(doc, sec, `${e.key}.backup-timestamp-stop`, e.line)} is ${stop}, before backup-timestamp-start ${start}`);
  return {
    label: e.key,
    type: type as BackupEntry['type'],
    timestampStart: start,
    timestampStop: stop,
    archiveStart: optStr('backup-archive-start'),
    archiveStop: optStr('backup-archive-stop'),
    lsnStart: optStr('backup-lsn-start'),
    lsnStop: optStr('backup-lsn-stop'),
    ...(prior ? { prior } : {}),
    ...(Array.isArray(reference) ? { reference: reference as string[] } : {}),
    error: typeof error === 'boolean' ? error : undefined,
    repoSize: n('backup-info-repo-size'),
    size: n('backup-info-size'),
    repoSizeDelta: n('backup-info-repo-size-delta'),
    sizeDelta: n('backup-info-size-delta'),
    dbId: n('db-id'),
    backrestVersion: str(doc, sec, `${e.key}.backrest-version`, field('backrest-version'), e.line),
    options,
  };
}

/** Parses backup.info text (already decrypted). Errors name the file, line, section and key. */
export function parseBackupInfo(text: string, file = 'backup.info'): BackupInfo {
  const doc = parseInfoText(text, file);
  const pass = cipherPass(doc);
  return {
    ...header(doc),
    ...dbSection(doc),
    ...(pass !== undefined ? { cipherPass: pass } : {}),
    backups: sectionEntries(doc, 'backup:current').map((e) => backupEntry(doc, e)),
    history: history(doc, 'db-system-id'),
  };
}

/** Parses archive.info text (already decrypted); history system ids are under `db-id` there (a pgBackRest typo). */
export function parseArchiveInfo(text: string, file = 'archive.info'): ArchiveInfo {
  const doc = parseInfoText(text, file);
  const db = dbSection(doc);
  const pass = cipherPass(doc);
  return {
    ...header(doc),
    ...db,
    archiveId: `${db.dbVersion}-${db.dbId}`,
    ...(pass !== undefined ? { cipherPass: pass } : {}),
    history: history(doc, 'db-id'),
  };
}
