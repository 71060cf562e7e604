import type { LogEntry } from './types';

const LEVELS = 'LOG|FATAL|PANIC|ERROR|WARNING|NOTICE|INFO|DEBUG[1-5]?|DETAIL|HINT|STATEMENT|CONTEXT|QUERY|LOCATION|WARN|TRACE';
/** The first `LEVEL:` in the line; what precedes it is the prefix (`%m [%p] ` or any custom one). */
const ENTRY = new RegExp(`^(.*?)\\b(${LEVELS}):\\s+(.*)$`);
const CONTINUATION = new Set(['DETAIL', 'HINT', 'STATEMENT', 'CONTEXT', 'QUERY', 'LOCATION']);
const TIME = /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?|[A-Z]{2,5}\b)?/;
const PID = /\[(\d+)\]/;
const SQLSTATE = /^([0-9A-Z]{5}):\s+/;
// `%h` / `%r` in log_line_prefix: an IPv4 address, optionally followed by `(port)`.
const HOST = /(?:^|[\s@=\[])((?:\d{1,3}\.){3}\d{1,3})(?:\(\d+\))?(?=[\s\]]|$)/;
// pgBackRest writes `2025-11-30 11:00:02.123 P00   INFO: ...` into the same stream when it runs as archive_command.
const PGBACKREST = /\bP\d\d\s*$/;

/** Parses a timestamp as printed; `utc` is false when the zone is an abbreviation we cannot place. */
export function parseLogTime(text: string): { time: string; epochMs: number; utc: boolean } | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [whole, date, clock, zone] = m;
  let offset = 'Z';
  let utc = true;
  if (zone && /^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    offset = `${digits.slice(0, 3)}:${digits.slice(3, 5) || '00'}`;
  } else if (zone && !['Z', 'UTC', 'GMT'].includes(zone)) {
    utc = false;
  }
  const ms = Date.parse(`${date}T${clock.slice(0, 12)}${offset}`);
  return Number.isNaN(ms) ? undefined : { time: whole.trim(), epochMs: ms, utc };
}

function fromJson(line: string): LogEntry | undefined {
  try {
    const j = JSON.parse(line) as Record<string, unknown>;
    if (typeof j.message !== 'string' || typeof j.error_severity !== 'string') return undefined;
    const t = typeof j.timestamp === 'string' ? parseLogTime(j.timestamp) : undefined;
    return {
      ...(t ? { time: t.time, epochMs: t.epochMs } : {}),
      utc: t?.utc ?? false,
      ...(typeof j.pid === 'number' ? { pid: j.pid } : {}),
      level: j.error_severity,
      ...(typeof j.state_code === 'string' ? { sqlstate: j.state_code } : {}),
      message: j.message,
      source: 'postgres',
      continuationLines: ['detail', 'hint', 'statement', 'context'].filter((k) => k in j).length,
    };
  } catch {
    return undefined;
  }
}

/** Line counts of one scan of log text. */
export interface LogScan {
  /** Non-empty input lines. */
  lines: number;
  /** Lines that were neither an entry nor a continuation of one. */
  unparsedLines: number;
}

/**
 * Streams log text (stderr format with any prefix, lines without a prefix, or jsonlog) as entries to `onEntry`,
 * each once complete: DETAIL/HINT/STATEMENT/CONTEXT/QUERY lines and indented lines belong to the entry before them.
 * Holds one entry at a time, so memory does not grow with the log (a month of `docker logs` can be 100 MB).
 */
export function scanLog(text: string, onEntry: (entry: LogEntry) => void): LogScan {
  let lines = 0;
  let unparsed = 0;
  let last: LogEntry | undefined;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    if (raw.trim() === '') continue;
    lines++;
    if (/^\s/.test(raw) && last) {
      last.continuationLines++;
      continue;
    }
    let entry: LogEntry | undefined;
    if (raw.trimStart().startsWith('{')) entry = fromJson(raw.trim());
    if (!entry) {
      const m = ENTRY.exec(raw);
      if (!m) {
        unparsed++;
        continue;
      }
      const [, prefix, level, rest] = m;
      if (CONTINUATION.has(level)) {
        if (last) last.continuationLines++;
        else unparsed++;
        continue;
      }
      const t = parseLogTime(prefix);
      const pid = PID.exec(prefix);
      const host = HOST.exec(prefix);
      const state = SQLSTATE.exec(rest);
      entry = {
        ...(t ? { time: t.time, epochMs: t.epochMs } : {}),
        utc: t?.utc ?? false,
        ...(pid ? { pid: Number(pid[1]) } : {}),
        ...(host ? { host: host[1] } : {}),
        level,
        ...(state ? { sqlstate: state[1] } : {}),
        message: state ? rest.slice(state[0].length) : rest,
        source: PGBACKREST.test(prefix) ? 'pgbackrest' : 'postgres',
        continuationLines: 0,
      };
    }
    if (last) onEntry(last);
    last = entry;
  }
  if (last) onEntry(last);
  return { lines, unparsedLines: unparsed };
}

/** Splits log text into entries (all in memory; {@link scanLog} streams them). */
export function parseLog(text: string): { entries: LogEntry[]; lines: number; unparsedLines: number } {
  const entries: LogEntry[] = [];
  const { lines, unparsedLines } = scanLog(text, (e) => entries.push(e));
  return { entries, lines, unparsedLines };
}
