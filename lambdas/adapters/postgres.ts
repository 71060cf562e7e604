/**
 * The only module that talks to PostgreSQL. One `pg.Client` per run, opened lazily and shared by the
 * memoized reads; every failure becomes an `Observed` failure whose reason is one secret-free line.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import pg from 'pg';
import type { MonitorConfig } from '../config/schema';
import { failed, observed, once, type FailureKind, type Observed } from '../core/observed';
import type { ArchiverFacts, ConnectFacts, DatabaseSource, ExtensionFacts } from '../core/ports';
import { redact, registerSecret } from '../core/redact';

/** The `database` section of the validated configuration. */
export type DatabaseConfig = MonitorConfig['database'];

/** What {@link createDatabaseSource} needs besides the config. */
export interface DatabaseSourceOptions {
  /** Builds the driver client; tests may wrap it. @default - a plain `pg.Client` */
  clientFactory?: (config: pg.ClientConfig) => pg.Client;
}

/** Everything the archiver query reads, before the pure arithmetic in {@link buildArchiverFacts}. */
export interface ArchiverRow {
  /** The fields below mirror pg_settings and pg_stat_archiver one to one. */
  archiveMode: string;
  archiveTimeoutSeconds: number;
  walSegmentSizeBytes: number;
  archivedCount: number;
  failedCount: number;
  lastArchivedWal: string | null;
  lastArchivedTime: Date | null;
  lastFailedWal: string | null;
  lastFailedTime: Date | null;
  statsReset: Date | null;
  failingNow: boolean;
  inRecovery: boolean;
  currentLsn: string | null;
  /** pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') as a decimal string, null in recovery. */
  currentPosition: string | null;
  timeline: number;
  serverNow: Date;
}

const WAL_NAME = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(\..*)?$/;

/**
 * Byte position where the last archived WAL ends, from its file name (the check_pgactivity method).
 * A `.backup` file names its backup's start segment; the archiver takes ready files in name order and that
 * segment's name sorts before its `.backup`, so the segment itself is archived: count it (counting only the
 * segments before it reported a phantom 16 MiB backlog after every backup). A `.partial` counts only the
 * segments before its own (it ends mid-segment); `.history` gives null.
 */
export function archivedEndPosition(walName: string | null, segmentSizeBytes: number): bigint | null {
  if (!walName) return null;
  const m = WAL_NAME.exec(walName);
  if (!m) return null;
  const suffix = m[4];
  if (suffix && suffix !== '.partial' && !/^\.[0-9A-F]{8}\.backup$/.test(suffix)) return null;
  const seg = BigInt(segmentSizeBytes);
  const segmentsPerLog = 0x100000000n / seg;
  const segno = BigInt(`0x${m[2]}`) * segmentsPerLog + BigInt(`0x${m[3]}`);
  return suffix === '.partial' ? segno * seg : (segno + 1n) * seg;
}

/** Pure arithmetic over one archiver row plus the `.ready` listing: the shared {@link ArchiverFacts}. */
export function buildArchiverFacts(
  row: ArchiverRow,
  ready: { count: number; oldestSeconds: number | null } | { unreadable: string; kind?: FailureKind },
  segmentSizeOverride?: number,
): ArchiverFacts {
  const seg = segmentSizeOverride ?? row.walSegmentSizeBytes;
  const end = archivedEndPosition(row.lastArchivedWal, seg);
  let unarchivedBytes: number | null = null;
  if (end !== null && row.currentPosition !== null) {
    const diff = BigInt(row.currentPosition.split('.')[0]) - end;
    unarchivedBytes = Number(diff > 0n ? diff : 0n);
  }
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    archiveMode: row.archiveMode,
    archiveTimeoutSeconds: row.archiveTimeoutSeconds,
    archivedCount: row.archivedCount,
    failedCount: row.failedCount,
    lastArchivedWal: row.lastArchivedWal,
    lastArchivedTime: iso(row.lastArchivedTime),
    lastFailedWal: row.lastFailedWal,
    lastFailedTime: iso(row.lastFailedTime),
    statsReset: iso(row.statsReset),
    failingNow: row.failingNow,
    readyCount: 'unreadable' in ready ? null : ready.count,
    oldestReadySeconds: 'unreadable' in ready ? null : ready.oldestSeconds,
    ...('unreadable' in ready ? { readyUnreadableReason: ready.unreadable, ...(ready.kind ? { readyUnreadableKind: ready.kind } : {}) } : {}),
    currentLsn: row.currentLsn,
    timeline: row.timeline,
    walSegmentSizeBytes: seg,
    unarchivedBytes,
    serverNow: row.serverNow.toISOString(),
    inRecovery: row.inRecovery,
  };
}

/** Where the failure came from, for messages: `host:port/database` (unredacted: callers redact the whole reason). */
function target(cfg: DatabaseConfig): string {
  return `${cfg.host}:${cfg.port}/${cfg.database}`;
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port, or a firewall rejects it)',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name does not resolve',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  ECONNRESET: 'connection reset by the server or a firewall during login',
  EPIPE: 'connection closed by the server during login',
};

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|ERR_TLS|ERR_SSL/;

/**
 * Maps a driver or socket error to an Observed failure. The driver's text is classified as it came (a
 * password such as "expired" must not change the verdict) and only the outgoing reason is passed through
 * {@link redact}, because the driver and this function build it from connection parameters (a password
 * typed as the user, host or database name comes back).
 */
export function classifyPgError(err: unknown, cfg: DatabaseConfig, phase: 'connect' | 'query'): { kind: FailureKind; reason: string } {
  const f = classifyRaw(err, cfg, phase);
  return { kind: f.kind, reason: redact(f.reason) };
}

/** {@link classifyPgError} before redaction. */
function classifyRaw(err: unknown, cfg: DatabaseConfig, phase: 'connect' | 'query'): { kind: FailureKind; reason: string } {
  const e = (err ?? {}) as { code?: string; message?: string; severity?: string };
  const code = typeof e.code === 'string' ? e.code : '';
  const msg = String(e.message ?? err).split('\n')[0];
  const where = target(cfg);
  const user = `user "${cfg.user}"`;
  if (NETWORK[code]) return { kind: 'unreachable', reason: `${where}: ${NETWORK[code]} (${code})` };
  if (code === 'ETIMEDOUT' || /timeout expired|connection timeout/i.test(msg)) {
    return { kind: 'timeout', reason: `${where}: no answer within ${cfg.connectTimeoutMs} ms (connectTimeoutMs); the port accepted nothing or the server never finished the login` };
  }
  if (/Query read timeout/i.test(msg) || code === '57014') {
    return { kind: 'timeout', reason: `${where}: a query took longer than ${cfg.queryTimeoutMs} ms (queryTimeoutMs)` };
  }
  if (code === '28P01') return { kind: 'auth', reason: `${where}: password authentication failed for ${user} (SQLSTATE 28P01)` };
  if (code === '28000') return { kind: 'auth', reason: `${where}: login refused for ${user} (SQLSTATE 28000): ${msg}` };
  if (code === '3D000') return { kind: 'not-found', reason: `${where}: reachable, but database "${cfg.database}" does not exist (SQLSTATE 3D000); check database.database` };
  if (code === '57P03') return { kind: 'unreachable', reason: `${where}: server refuses connections while starting up, shutting down or recovering (SQLSTATE 57P03): ${msg}` };
  if (code === '53300') return { kind: 'error', reason: `${where}: reachable, but no connection slot is free: too many clients (SQLSTATE 53300)` };
  if (code === '42501') return { kind: 'denied', reason: `${where}: permission denied (SQLSTATE 42501): ${msg}; grant pg_monitor to ${user}` };
  // The server was contacted in the TLS cases below, so they are not 'config' (which means "not contacted").
  if (/does not support SSL/i.test(msg)) {
    return { kind: 'invalid', reason: `${where}: database.tls.mode is "${cfg.tls.mode}" but the server does not offer TLS` };
  }
  if (/error establishing an SSL connection/i.test(msg)) {
    // The SSLRequest got neither PostgreSQL's "S" nor "N": something else (an HTTP server, a proxy) listens there.
    return { kind: 'invalid', reason: `${where}: reachable, but did not negotiate TLS: the answer to the TLS request is not PostgreSQL's (is this a PostgreSQL server?)` };
  }
  if (TLS_CODES.test(code)) return { kind: 'invalid', reason: `${where}: TLS certificate verification failed (${code}): ${msg}` };
  if (/password must be a string|password.*(missing|not provided)/i.test(msg)) {
    return { kind: 'auth', reason: `${where}: the server asks for a password but database.password is not configured` };
  }
  if (/Connection terminated/i.test(msg) && phase === 'connect') {
    return { kind: 'unreachable', reason: `${where}: connection closed by the server before login completed` };
  }
  const sqlstate = /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : code ? ` (${code})` : '';
  return { kind: 'error', reason: `${where}: ${phase} failed${sqlstate}: ${msg}` };
}

/** The driver's TLS option for the configured mode; reads the CA file (a missing file names itself). */
async function tlsOption(cfg: DatabaseConfig): Promise<Observed<pg.ClientConfig['ssl']>> {
  const { mode, caFile } = cfg.tls;
  if (mode === 'disable') return observed(false);
  if (mode === 'require') return observed({ rejectUnauthorized: false });
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = await readFile(caFile, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? String(err).split('\n')[0];
      return failed('config', redact(`database.tls.caFile ${caFile} cannot be read: ${why}; the database was not contacted`));
    }
  }
  // SNI must not carry an IP address (RFC 6066); Node still checks the certificate's IP SAN against the host.
  return observed({ rejectUnauthorized: true, ...(isIP(cfg.host) ? {} : { servername: cfg.host }), ...(ca ? { ca } : {}) });
}

interface Session {
  client: pg.Client;
  latencyMs: number;
  facts: ConnectFacts;
}

const CONNECT_SQL = `select current_setting('server_version_num')::int as version_num,
  current_setting('server_version') as version_str,
  pg_is_in_recovery() as in_recovery,
  pg_postmaster_start_time() as started_at,
  current_database() as database,
  coalesce((select ssl from pg_stat_ssl where pid = pg_backend_pid()), false) as ssl,
  (select version from pg_stat_ssl where pid = pg_backend_pid()) as tls_version`;

// One row; guarded by pg_is_in_recovery() because the WAL position functions error on a standby.
const ARCHIVER_SQL = `select
  (select setting from pg_settings where name = 'archive_mode') as archive_mode,
  (select setting::int from pg_settings where name = 'archive_timeout') as archive_timeout_s,
  (select setting::bigint from pg_settings where name = 'wal_segment_size')::text as seg,
  a.archived_count::text as archived_count, a.failed_count::text as failed_count,
  a.last_archived_wal, a.last_archived_time, a.last_failed_wal, a.last_failed_time, a.stats_reset,
  (a.last_failed_time is not null and (a.last_archived_time is null or a.last_failed_time > a.last_archived_time)) as failing_now,
  pg_is_in_recovery() as in_recovery,
  case when not pg_is_in_recovery() then pg_current_wal_lsn()::text end as current_lsn,
  case when not pg_is_in_recovery() then pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text end as current_pos,
  (select timeline_id from pg_control_checkpoint()) as timeline,
  now() as server_now
from pg_stat_archiver a`;

const READY_SQL = `select count(*)::int as ready,
  extract(epoch from now() - min(modification))::float8 as oldest_s
from pg_ls_archive_statusdir() where name like '%.ready'`;

/**
 * The PostgreSQL {@link DatabaseSource}: one lazily opened client per run, explicit connect/query/statement
 * timeouts, `application_name=chronos-monitor`, and fields passed separately (no connection string).
 */
export function createDatabaseSource(
  config: DatabaseConfig,
  password: () => Promise<Observed<string | undefined>>,
  options: DatabaseSourceOptions = {},
): DatabaseSource {
  const factory = options.clientFactory ?? ((c: pg.ClientConfig) => new pg.Client(c));
  let client: pg.Client | undefined;
  let closed = false;

  const session = once(async (): Promise<Observed<Session>> => {
    const pw = await password();
    if (!pw.ok) return failed('config', `the database password could not be read (${pw.kind}: ${redact(pw.reason)}); the database was not contacted`);
    registerSecret(pw.value);
    const ssl = await tlsOption(config);
    if (!ssl.ok) return ssl;
    if (closed) return failed('error', 'the database source was closed before it connected');
    const c = factory({
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      password: pw.value,
      ssl: ssl.value,
      application_name: 'chronos-monitor',
      connectionTimeoutMillis: config.connectTimeoutMs,
      query_timeout: config.queryTimeoutMs,
      statement_timeout: config.queryTimeoutMs,
    });
    client = c;
    // Without a listener, a server that drops the connection later would crash the process.
    c.on('error', () => undefined);
    const started = performance.now();
    let backstop: NodeJS.Timeout | undefined;
    try {
      // The driver's own timer covers the login; this one also covers a TLS handshake that never ends.
      const deadline = new Promise<never>((_, reject) => {
        backstop = setTimeout(() => reject(new Error('connection timeout (backstop)')), config.connectTimeoutMs + 250);
      });
      await Promise.race([c.connect(), deadline]);
      const r = await c.query(CONNECT_SQL);
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      const row = r.rows[0];
      return observed({
        client: c,
        latencyMs,
        facts: {
          latencyMs,
          serverVersionNum: Number(row.version_num),
          serverVersion: String(row.version_str),
          tls: Boolean(row.ssl),
          ...(row.tls_version ? { tlsVersion: String(row.tls_version) } : {}),
          inRecovery: Boolean(row.in_recovery),
          startedAt: new Date(row.started_at).toISOString(),
          database: String(row.database),
        },
      });
    } catch (err) {
      const f = classifyPgError(err, config, 'connect');
      await endQuietly(c);
      return failed(f.kind, f.reason);
    } finally {
      clearTimeout(backstop);
    }
  });

  // One connection serves every check of the run; pg queues overlapping queries itself but deprecates it
  // (gone in pg 9), so the checks' queries are chained here explicitly.
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs a query on the shared session, one at a time; a failure of the session is returned as is. */
  async function query<T>(label: string, sql: string, map: (rows: Record<string, unknown>[]) => T): Promise<Observed<T>> {
    const s = await session();
    if (!s.ok) return s;
    const run = queue.then(async (): Promise<Observed<T>> => {
      try {
        const r = await s.value.client.query(sql);
        return observed(map(r.rows));
      } catch (err) {
        const f = classifyPgError(err, config, 'query');
        return failed(f.kind, `${label}: ${f.reason}`);
      }
    });
    queue = run;
    return run;
  }

  const connect = once(async (): Promise<Observed<ConnectFacts>> => {
    const s = await session();
    return s.ok ? observed(s.value.facts) : s;
  });

  const extensions = once(() =>
    query('reading pg_extension', 'select extname, extversion from pg_extension order by extname', (rows): ExtensionFacts[] =>
      rows.map((r) => ({ name: String(r.extname), version: String(r.extversion) })),
    ),
  );

  const sizeBytes = once(() =>
    query('reading pg_database_size', 'select pg_database_size(current_database())::text as bytes', (rows) => Number(rows[0].bytes)),
  );

  const archiver = once(async (): Promise<Observed<ArchiverFacts>> => {
    const main = await query('reading pg_stat_archiver', ARCHIVER_SQL, (rows): ArchiverRow => {
      const r = rows[0];
      const date = (v: unknown) => (v ? new Date(v as string) : null);
      return {
        archiveMode: String(r.archive_mode),
        archiveTimeoutSeconds: Number(r.archive_timeout_s),
        walSegmentSizeBytes: Number(r.seg),
        archivedCount: Number(r.archived_count),
        failedCount: Number(r.failed_count),
        lastArchivedWal: (r.last_archived_wal as string | null) ?? null,
        lastArchivedTime: date(r.last_archived_time),
        lastFailedWal: (r.last_failed_wal as string | null) ?? null,
        lastFailedTime: date(r.last_failed_time),
        statsReset: date(r.stats_reset),
        failingNow: Boolean(r.failing_now),
        inRecovery: Boolean(r.in_recovery),
        currentLsn: (r.current_lsn as string | null) ?? null,
        currentPosition: (r.current_pos as string | null) ?? null,
        timeline: Number(r.timeline),
        serverNow: new Date(r.server_now as string),
      };
    });
    if (!main.ok) return main;
    const ready = await query('listing pg_wal/archive_status', READY_SQL, (rows) => ({
      count: Number(rows[0].ready),
      oldestSeconds: rows[0].oldest_s === null ? null : Math.round(Number(rows[0].oldest_s)),
    }));
    // A role without pg_monitor cannot list archive_status; the rest of the facts still stand.
    const listing = ready.ok ? ready.value : { unreadable: ready.reason, kind: ready.kind };
    return observed(buildArchiverFacts(main.value, listing, config.walSegmentSizeBytes));
  });

  const systemIdentifier = once(() =>
    query('reading pg_control_system', 'select system_identifier::text as id from pg_control_system()', (rows) => String(rows[0].id)),
  );

  return {
    connect,
    extensions,
    sizeBytes,
    archiver,
    systemIdentifier,
    async close() {
      closed = true;
      if (client) await endQuietly(client);
    },
  };
}

/** Ends a client whatever state it is in; never throws, never waits forever. */
async function endQuietly(c: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([c.end(), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
  } catch {
    // Ending an already failed client can reject; there is nothing left to release.
  } finally {
    clearTimeout(timer);
    const stream = (c as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream;
    stream?.destroy?.();
  }
}
