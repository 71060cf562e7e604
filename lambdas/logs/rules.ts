import type { LogCategory, LogEntry, LogSeverity } from './types';

/** One classification rule: a stable message prefix (PostgreSQL 14–17 wordings) and/or SQLSTATE. */
export interface LogRule {
  /** Stable public id, `category.name`. */
  id: string;
  /** Report section. */
  category: LogCategory;
  /** Severity of one occurrence. */
  severity: LogSeverity;
  /** Human label in the report. */
  label: string;
  /** Matches the message text (without level, prefix or SQLSTATE). */
  match?: RegExp;
  /** Matches when the entry carries one of these SQLSTATEs (verbose logs, jsonlog). */
  sqlstates?: string[];
  /** Restricts the rule to these levels. */
  levels?: string[];
  /** Restricts the rule to one source. @default - postgres */
  source?: LogEntry['source'];
}

const FATAL = ['FATAL'];

/**
 * The rules, first match wins. The texts follow /work/shared/reference/postgres.md §3; prefixes are matched, not whole
 * messages, because the tails changed between versions (`SSL off` → `no encryption`, `3.0 to 3.0` → `3.0 to 3.2`).
 */
export const LOG_RULES: LogRule[] = [
  // ---- real trouble (the specific ones before the generic PANIC)
  { id: 'trouble.disk-full', category: 'trouble', severity: 'fail', label: 'disk full (No space left on device)', match: /No space left on device/i, sqlstates: ['53100'] },
  { id: 'trouble.out-of-memory', category: 'trouble', severity: 'fail', label: 'out of memory', match: /^out of memory|Cannot allocate memory/, sqlstates: ['53200'] },
  { id: 'trouble.data-corruption', category: 'trouble', severity: 'fail', label: 'data corruption (invalid page, checksum failure)', match: /^invalid page in block|checksum verification failed|^could not read block \d+/, sqlstates: ['XX001', 'XX002'] },
  { id: 'trouble.panic', category: 'trouble', severity: 'fail', label: 'PANIC (server stops)', levels: ['PANIC'] },
  { id: 'trouble.server-crash', category: 'trouble', severity: 'fail', label: 'server process crashed (terminated by signal)', match: /\(PID \d+\) was terminated by (signal|exception)|^terminating any other active server processes|^all server processes terminated; reinitializing/ },
  { id: 'trouble.archive-failed', category: 'trouble', severity: 'fail', label: 'archive command failing', match: /^archive command (failed|was terminated)|^archiving write-ahead log file "[^"]*" failed too many times|^archive module failed/ },
  { id: 'trouble.too-many-clients', category: 'trouble', severity: 'fail', label: 'connection slots exhausted (too many clients)', match: /^sorry, too many clients already|^remaining connection slots are reserved/, sqlstates: ['53300'] },
  { id: 'trouble.wraparound', category: 'trouble', severity: 'fail', label: 'transaction ID wraparound danger', match: /^database (with OID \d+|"[^"]*") must be vacuumed within|^database is not accepting commands/ },
  { id: 'trouble.write-failed', category: 'trouble', severity: 'fail', label: 'could not write or sync a file', match: /^could not (write to|fsync|extend) file/ },
  { id: 'trouble.pgbackrest-error', category: 'trouble', severity: 'fail', label: 'pgBackRest error', levels: ['ERROR'], source: 'pgbackrest' },
  { id: 'trouble.checkpoints-too-frequent', category: 'trouble', severity: 'warn', label: 'checkpoints too frequent (max_wal_size too small)', match: /^checkpoints are occurring too frequently/ },
  { id: 'trouble.pgbackrest-warning', category: 'trouble', severity: 'warn', label: 'pgBackRest warning', levels: ['WARN', 'WARNING'], source: 'pgbackrest' },

  // ---- authentication and client errors
  { id: 'auth.password-failed', category: 'auth', severity: 'info', label: 'password authentication failed', match: /^password authentication failed for user "/, sqlstates: ['28P01'] },
  { id: 'auth.failed', category: 'auth', severity: 'info', label: 'authentication failed (other method)', match: /^\w+ authentication failed for user "/ },
  { id: 'auth.hba-rejected', category: 'auth', severity: 'warn', label: 'rejected by pg_hba.conf', match: /^no pg_hba\.conf entry for host|^pg_hba\.conf rejects connection/ },
  { id: 'auth.role-missing', category: 'auth', severity: 'warn', label: 'login as a role that does not exist', match: /^role "[^"]*" does not exist/, levels: FATAL },
  { id: 'auth.database-missing', category: 'auth', severity: 'warn', label: 'connection to a database that does not exist', match: /^database "[^"]*" does not exist/, levels: FATAL },
  { id: 'auth.connection-limit', category: 'auth', severity: 'warn', label: 'per-role or per-database connection limit reached', match: /^too many connections for (role|database)/ },

  // ---- internet scanners and probes (harmless, counted)
  { id: 'noise.incomplete-startup-packet', category: 'noise', severity: 'info', label: 'incomplete startup packet', match: /^incomplete startup packet/ },
  { id: 'noise.invalid-startup-length', category: 'noise', severity: 'info', label: 'invalid length of startup packet (HTTP/TLS probe)', match: /^invalid length of startup packet/ },
  { id: 'noise.unsupported-protocol', category: 'noise', severity: 'info', label: 'unsupported frontend protocol (scanner)', match: /^unsupported frontend protocol/ },
  { id: 'noise.no-user', category: 'noise', severity: 'info', label: 'no user name in startup packet (scanner)', match: /^no PostgreSQL user name specified in startup packet/ },
  { id: 'noise.bad-startup-layout', category: 'noise', severity: 'info', label: 'invalid startup packet layout', match: /^invalid startup packet layout/ },
  { id: 'noise.tls-aborted', category: 'noise', severity: 'info', label: 'TLS handshake aborted', match: /^could not accept SSL connection|^received direct SSL connection request without ALPN/ },
  { id: 'noise.connection-reset', category: 'noise', severity: 'info', label: 'client reset the connection', match: /^could not receive data from client: Connection reset by peer|^connection to client lost/ },

  // ---- lifecycle
  { id: 'lifecycle.crash-recovery', category: 'lifecycle', severity: 'warn', label: 'crash recovery (not shut down cleanly)', match: /^database system was (interrupted|not properly shut down)/ },
  { id: 'lifecycle.start', category: 'lifecycle', severity: 'info', label: 'server started', match: /^starting PostgreSQL|^database system is ready to accept/ },
  { id: 'lifecycle.shutdown', category: 'lifecycle', severity: 'info', label: 'shutdown requested / completed', match: /^received (fast|smart|immediate) shutdown request|^database system is shut down$/ },
  { id: 'lifecycle.not-accepting', category: 'lifecycle', severity: 'info', label: 'connection refused while starting or stopping', match: /^the database system is (starting up|shutting down|in recovery mode|not yet accepting connections|not accepting connections)/, sqlstates: ['57P03'] },
  { id: 'lifecycle.terminated-by-admin', category: 'lifecycle', severity: 'info', label: 'connection terminated by administrator command', match: /^terminating connection due to administrator command/, sqlstates: ['57P01'] },
  { id: 'lifecycle.other', category: 'lifecycle', severity: 'info', label: 'startup/shutdown detail', match: /^database system was shut down|^listening on |^redo (starts|done) at|^aborting any active transactions|^shutting down$|^background worker "logical replication launcher"|^database system is shut down|^invalid record length|^redo is not required|^last completed transaction/ },

  // ---- routine operation
  { id: 'routine.checkpoint', category: 'routine', severity: 'info', label: 'checkpoint', match: /^(checkpoint|restartpoint) (starting|complete)/ },
  { id: 'routine.connection', category: 'routine', severity: 'info', label: 'connection logging', match: /^(connection (received|authenticated|authorized)|disconnection): / },
  { id: 'routine.pgbackrest', category: 'routine', severity: 'info', label: 'pgBackRest output (e.g. WAL pushed)', source: 'pgbackrest' },
];

/** The first rule matching an entry, or undefined. */
export function matchRule(entry: LogEntry): LogRule | undefined {
  return LOG_RULES.find((r) => {
    if ((r.source ?? 'postgres') !== entry.source) return false;
    if (r.levels && !r.levels.includes(entry.level)) return false;
    if (r.sqlstates && entry.sqlstate && r.sqlstates.includes(entry.sqlstate)) return true;
    return r.match ? r.match.test(entry.message) : Boolean(r.levels || r.source);
  });
}
