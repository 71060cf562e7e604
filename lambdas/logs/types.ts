/** Where a classified entry belongs. `routine` is normal operation (checkpoints, connection logging, pgBackRest info). */
export type LogCategory = 'trouble' | 'auth' | 'lifecycle' | 'noise' | 'routine';

/** How bad one kind of entry is on its own; repeated auth failures are judged separately ({@link BruteForce}). */
export type LogSeverity = 'info' | 'warn' | 'fail';

/** One log entry: a message line with its continuation lines (DETAIL, HINT, STATEMENT, ...) folded in. */
export interface LogEntry {
  /** The timestamp as printed (`2025-11-30 11:00:02.123 UTC`), when the line had one. */
  time?: string;
  /** Milliseconds for ordering and windows; in the log's own zone when that zone is not UTC or numeric. */
  epochMs?: number;
  /** True when `epochMs` is a real UTC instant (zone UTC/GMT/Z or a numeric offset). */
  utc: boolean;
  /** Backend process id from `[%p]`, when printed. */
  pid?: number;
  /** Severity as printed: LOG, FATAL, PANIC, ERROR, WARNING, ... */
  level: string;
  /** Client IPv4 address when the prefix prints it (`%h` or `%r`). */
  host?: string;
  /** SQLSTATE when the log prints it (`%e`, verbose, jsonlog). */
  sqlstate?: string;
  /** The message text without prefix, level and SQLSTATE. */
  message: string;
  /** `postgres` for server lines, `pgbackrest` for pgBackRest output captured in the same stream. */
  source: 'postgres' | 'pgbackrest';
  /** Continuation lines folded into this entry; their text is never reported (a DETAIL can hold secrets). */
  continuationLines: number;
}

/** One kind of entry in the report, with how often and when it occurred. */
export interface LogKind {
  /** Stable id such as `trouble.archive-failed`; part of the JSON output. */
  id: string;
  /** Section of the report. */
  category: LogCategory;
  /** How bad this kind is on its own. */
  severity: LogSeverity;
  /** Short human label. */
  label: string;
  /** Entries of this kind. */
  count: number;
  /** First and last occurrence (ISO when the zone is known, else as printed). */
  first: string | null;
  /** Last occurrence, same format as `first`. */
  last: string | null;
  /** First message of this kind (no DETAIL text; user names left out); absent for auth kinds. */
  example?: string;
}

/** Repeated password failures: the brute-force verdict. */
export interface BruteForce {
  /** Password (and other method) authentication failures in the whole log. */
  failures: number;
  /** Most failures inside any window of `windowMinutes`. */
  maxInWindow: number;
  /** The window length (10). */
  windowMinutes: number;
  /** Failures within the window that count as brute force (5). */
  threshold: number;
  /** `maxInWindow >= threshold` (or, without timestamps, `failures >= threshold`). */
  detected: boolean;
  /** False when the failures carried no timestamps, so the rate could not be measured. */
  timed: boolean;
  /** Targeted user names with counts; names that look like a pasted password are masked. */
  users: { name: string; count: number }[];
  /** Client addresses with counts (known only with `log_connections=on` or `%h`/`%r` in the prefix). */
  sources: { host: string; count: number }[];
  /** Logins that succeeded from a source with earlier failures (needs `log_connections=on`). */
  loginsAfterFailures: { user: string; host: string; time: string | null }[];
}

/** The classifier's output: printed by `chronos-monitor logs` and its `--json` (a public shape). */
export interface LogReport {
  /**
   * Worst of: trouble `fail`, warnings and brute force `warn`, else `ok`; `unknown` (unless `fail`) when no entry,
   * or fewer than half of the lines, is in a PostgreSQL log format. The CLI exit code follows it.
   */
  verdict: 'ok' | 'warn' | 'fail' | 'unknown';
  /** One line naming what decided the verdict. */
  summary: string;
  /** Non-empty input lines. */
  lines: number;
  /** Entries after folding continuation lines. */
  entries: number;
  /** Earliest timestamp seen (ISO when the zone is known). */
  firstTime: string | null;
  /** Latest timestamp seen. */
  lastTime: string | null;
  /** Entry counts per category. */
  categories: Record<LogCategory, number>;
  /** Every kind seen, worst first, then by count. */
  kinds: LogKind[];
  /** The repeated-authentication-failure verdict. */
  bruteForce: BruteForce;
  /** Entries no rule matched, by level; and lines that were not log entries at all. */
  unclassified: { entries: number; byLevel: Record<string, number>; unparsedLines: number };
}
