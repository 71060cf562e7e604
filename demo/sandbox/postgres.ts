/**
 * The demo's database: PGlite (PostgreSQL 18 compiled to WebAssembly, in this process) served over TCP on
 * 127.0.0.1 by pglite-socket, so the monitor's real `pg` adapter connects and queries it unchanged.
 *
 * PGlite cannot archive WAL (archive_mode is off, pg_stat_archiver is all zeros). So that the archiver and RPO
 * checks have something true-to-life to judge, a `demo` schema shadows the few catalog objects they read
 * (pg_stat_archiver, pg_settings, current_setting, pg_current_wal_lsn, pg_ls_archive_statusdir, now) with
 * simulated values that the demo keeps consistent with the captured repository, and the session's search_path
 * puts `demo` before pg_catalog. Everything else (login, version, extensions, size, DDL) is PGlite's own.
 */
import { PGlite } from '@electric-sql/pglite';
import { age } from '@electric-sql/pglite-age';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** The simulated WAL archiver, as pg_stat_archiver and friends will report it. */
export interface SimulatedArchiver {
  archivedCount: number;
  lastArchivedWal: string | null;
  lastArchivedTime: Date | null;
  failedCount: number;
  lastFailedWal: string | null;
  lastFailedTime: Date | null;
  /** pg_current_wal_lsn() as `X/Y`. */
  currentLsn: string;
  /** `.ready` files waiting in pg_wal/archive_status, with their age in seconds on the (shifted) server clock. */
  ready: { wal: string; ageSeconds: number }[];
  archiveTimeoutSeconds: number;
}

/** A running stand-in. */
export interface PostgresStandIn {
  host: string;
  port: number;
  /** Milliseconds PGlite took to start (with its extensions). */
  startMs: number;
  /** Runs SQL as the session owner (DDL for scenarios). */
  exec(sql: string): Promise<void>;
  /** Replaces the simulated archiver state. */
  setArchiver(a: SimulatedArchiver): Promise<void>;
  /** Moves the server clock seen through now() by this many seconds (scenarios set in the future). */
  setClockOffset(seconds: number): Promise<void>;
  close(): Promise<void>;
}

// `demo` objects shadow pg_catalog ones of the same name and signature because search_path lists demo first.
const DEMO_SCHEMA = `
create schema demo;
create table demo.clock (offset_s float8 not null);
insert into demo.clock values (0);
create function demo.now() returns timestamptz language sql stable
  as $$ select pg_catalog.now() + make_interval(secs => (select offset_s from demo.clock)) $$;
create table demo.archiver_state (
  archived_count bigint not null, last_archived_wal text, last_archived_time timestamptz,
  failed_count bigint not null, last_failed_wal text, last_failed_time timestamptz,
  stats_reset timestamptz not null, current_lsn pg_lsn not null, archive_timeout_s int not null);
create table demo.ready (name text not null, modification timestamptz not null);
create view demo.pg_stat_archiver as
  select archived_count, last_archived_wal, last_archived_time, failed_count, last_failed_wal, last_failed_time, stats_reset
  from demo.archiver_state;
create view demo.pg_settings as
  select s.name,
    case s.name when 'archive_mode' then 'on'
      when 'archive_timeout' then (select archive_timeout_s::text from demo.archiver_state)
      else s.setting end as setting,
    s.unit, s.category, s.short_desc, s.context, s.vartype, s.source
  from pg_catalog.pg_settings s;
create table demo.identity (system_identifier bigint, server_version text, server_version_num text);
create function demo.current_setting(text) returns text language sql stable
  as $$ select coalesce(
    (select setting from demo.pg_settings where name = $1 and name in ('archive_mode', 'archive_timeout')),
    (select case $1 when 'server_version' then server_version when 'server_version_num' then server_version_num end from demo.identity),
    pg_catalog.current_setting($1)) $$;
create function demo.pg_control_system(out pg_control_version integer, out catalog_version_no integer,
    out system_identifier bigint, out pg_control_last_modified timestamptz) returns record language sql stable
  as $$ select c.pg_control_version, c.catalog_version_no, coalesce((select i.system_identifier from demo.identity i), c.system_identifier),
    c.pg_control_last_modified from pg_catalog.pg_control_system() c $$;
create function demo.pg_current_wal_lsn() returns pg_lsn language sql stable
  as $$ select current_lsn from demo.archiver_state $$;
create function demo.pg_ls_archive_statusdir(out name text, out size bigint, out modification timestamptz) returns setof record
  language sql stable as $$ select name || '.ready', 0::bigint, modification from demo.ready $$;
`;

const lit = (v: string | null) => (v === null ? 'null' : `'${v.replace(/'/g, "''")}'`);
const ts = (d: Date | null) => (d === null ? 'null' : `'${d.toISOString()}'::timestamptz`);

/** The cluster the captured repository belongs to, which the stand-in impersonates (system id, version). */
export interface ImpersonatedCluster {
  systemIdentifier: string;
  /** e.g. `15.18`. */
  serverVersion: string;
}

/** Starts PGlite with the given extensions created, the `demo` schema in place and a TCP listener on 127.0.0.1. */
export async function startPostgres(options: { extensions: ('vector' | 'age')[]; archiver: SimulatedArchiver; impersonate?: ImpersonatedCluster }): Promise<PostgresStandIn> {
  const started = performance.now();
  const available = { vector, age };
  const db = await PGlite.create({ extensions: Object.fromEntries(options.extensions.map((e) => [e, available[e]])) });
  let server: PGLiteSocketServer | undefined;
  try {
    for (const e of options.extensions) await db.exec(`create extension ${e}`);
    await db.exec(DEMO_SCHEMA);
    if (options.impersonate) {
      // backup.repository compares the repository with the live cluster's identity; the captured repository was
      // written by a PostgreSQL 15 cluster, so the stand-in answers as that cluster (version string says so).
      const [major, minor] = options.impersonate.serverVersion.split('.').map(Number);
      const num = major >= 10 ? major * 10000 + (minor || 0) : major * 10000 + (minor || 0) * 100;
      await db.exec(
        `insert into demo.identity values (${BigInt(options.impersonate.systemIdentifier)}, ${lit(`${options.impersonate.serverVersion} (simulated by PGlite)`)}, '${num}')`,
      );
    }
    // PGlite has a single backend shared by every TCP connection, so this session setting is what the monitor sees.
    await db.exec('set search_path = demo, pg_catalog, public');
    const startMs = performance.now() - started;
    // The adapter holds one connection per run; a second allows psql-style poking while the demo runs.
    server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 4 });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    const standIn: PostgresStandIn = {
      host: '127.0.0.1',
      port,
      startMs,
      exec: async (sql) => {
        await db.exec(sql);
      },
      async setArchiver(a) {
        await db.exec(`
          delete from demo.archiver_state;
          insert into demo.archiver_state values (${a.archivedCount}, ${lit(a.lastArchivedWal)}, ${ts(a.lastArchivedTime)},
            ${a.failedCount}, ${lit(a.lastFailedWal)}, ${ts(a.lastFailedTime)}, pg_catalog.now() - interval '30 days',
            ${lit(a.currentLsn)}::pg_lsn, ${a.archiveTimeoutSeconds});
          delete from demo.ready;
          ${a.ready.map((r) => `insert into demo.ready values (${lit(r.wal)}, demo.now() - make_interval(secs => ${r.ageSeconds}));`).join('\n')}`);
      },
      async setClockOffset(seconds) {
        await db.exec(`update demo.clock set offset_s = ${Number(seconds)}`);
      },
      async close() {
        await server?.stop().catch(() => undefined);
        await db.close().catch(() => undefined);
      },
    };
    await standIn.setArchiver(options.archiver);
    return standIn;
  } catch (err) {
    await server?.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
}
