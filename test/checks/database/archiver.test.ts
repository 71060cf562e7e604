import { rmSync } from 'node:fs';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabaseSource } from '../../../lambdas/adapters/postgres';
import { dbArchiver } from '../../../lambdas/checks/database/archiver';
import { observed } from '../../../lambdas/core/observed';
import type { ArchiverFacts, DatabaseSource } from '../../../lambdas/core/ports';
import type { CheckOutcome } from '../../../lambdas/core/types';
import { ownedTempDir, PgCluster } from '../../support/pg-cluster';
import { configWith, contextFor } from './context';

const SECRET_IN_COMMAND = 'S3CR3T-in-archive-command';
let cluster: PgCluster;
let archiveDir: string;

/** Runs db.archiver through a fresh source (each run is a new monitor invocation) as the pg_monitor role. */
async function check(): Promise<CheckOutcome> {
  const config = configWith({ port: cluster.port });
  const src = createDatabaseSource(config.database, async () => observed('arch-monitor-pw'));
  try {
    return await dbArchiver.run(contextFor(config, src));
  } finally {
    await src.close();
  }
}
const metric = (r: CheckOutcome, name: string) => r.metrics?.find((m) => m.name === name)?.value;

/** Polls a condition on the server (archiving is asynchronous); the test timeout bounds it. */
async function until(sql: string): Promise<void> {
  while (cluster.sql(sql) !== 't') await new Promise((r) => setTimeout(r, 100));
}

beforeAll(async () => {
  archiveDir = ownedTempDir('chronos-archive-');
  cluster = await PgCluster.create({
    superuserPassword: 'arch-super-pw',
    conf: ['archive_mode = on', `archive_command = 'cp %p ${archiveDir}/%f'`, 'archive_timeout = 60'],
  });
  cluster.sql(`create role chronos_monitor login password 'arch-monitor-pw'; grant pg_monitor to chronos_monitor;`);
});
afterAll(() => {
  cluster?.destroy();
  if (archiveDir) rmSync(archiveDir, { recursive: true, force: true });
});

describe('db.archiver on a real cluster', () => {
  it('is ok on an idle cluster whose archive_command works and nothing waits', async () => {
    cluster.sql('create table t as select generate_series(1, 1000) as i; select pg_switch_wal();');
    await until('select archived_count > 0 from pg_stat_archiver');
    await until(`select count(*) = 0 from pg_ls_archive_statusdir() where name like '%.ready'`);
    const r = await check();
    expect(r.status).toBe('ok');
    expect(r.summary).toMatch(/^archiving ok: nothing waiting \(RPO warn 10 min \/ fail 15 min\); last archived 0000000100000000000000\w\w at /);
    expect(metric(r, 'ArchiveFailing')).toBe(0);
    expect(metric(r, 'ArchiveReadySegments')).toBe(0);
    expect(metric(r, 'UnarchivedDataAgeSeconds')).toBe(0);
  });

  it('fails while archive_command fails, naming the WAL file and the failure count, never the command', async () => {
    cluster.reconfigure([`archive_command = 'false ${SECRET_IN_COMMAND}'`]);
    cluster.sql('insert into t select generate_series(1, 1000); select pg_switch_wal();');
    await until('select failed_count > 0 and last_failed_time > coalesce(last_archived_time, \'-infinity\') from pg_stat_archiver');
    const r = await check();
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^archiving is failing: WAL 0000000100000000000000\w\w last failed at .* ago\), \d+ failures since /);
    expect(r.summary).toMatch(/\d+ WAL files waiting to be archived, oldest for \d+s/);
    expect(metric(r, 'ArchiveFailing')).toBe(1);
    expect(metric(r, 'ArchiveReadySegments')).toBeGreaterThanOrEqual(1);
    expect((r.details as { unarchivedBytes: number }).unarchivedBytes).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(JSON.stringify(r)).not.toContain(SECRET_IN_COMMAND);
  });

  it('fails when archive_mode is off', async () => {
    // Let the backlog drain first so that the fast shutdown does not wait on a failing archiver.
    cluster.reconfigure([`archive_command = 'true'`]);
    await until(`select count(*) = 0 from pg_ls_archive_statusdir() where name like '%.ready'`);
    cluster.stop();
    appendFileSync(join(cluster.dataDir, 'postgresql.conf'), 'archive_mode = off\n');
    cluster.start();
    const r = await check();
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^archive_mode is off: no WAL reaches the repository/);
    expect(metric(r, 'ArchiveFailing')).toBe(1);
  });
});

describe('db.archiver verdicts', () => {
  const base: ArchiverFacts = {
    archiveMode: 'on',
    archiveTimeoutSeconds: 300,
    archivedCount: 120,
    failedCount: 0,
    lastArchivedWal: '00000001000000000000004A',
    lastArchivedTime: '2025-11-30T05:00:00.000Z',
    lastFailedWal: null,
    lastFailedTime: null,
    statsReset: '2025-11-01T00:00:00.000Z',
    failingNow: false,
    readyCount: 0,
    oldestReadySeconds: null,
    currentLsn: '0/4B000000',
    timeline: 1,
    walSegmentSizeBytes: 16777216,
    unarchivedBytes: 0,
    serverNow: '2025-11-30T11:00:00.000Z',
  };
  const run = (facts: Partial<ArchiverFacts>) => {
    const src = { archiver: async () => observed({ ...base, ...facts }) } as unknown as DatabaseSource;
    return dbArchiver.run(contextFor(configWith({}), src));
  };

  it('is ok on an idle database whose last archive is 6 hours old but nothing waits', async () => {
    const r = await run({});
    expect(r.status).toBe('ok');
    expect(r.summary).toContain('last archived 00000001000000000000004A at 2025-11-30T05:00:00.000Z (6h 00m ago)');
  });
  it('warns when the oldest unarchived WAL is 11 minutes old (RPO warn 10)', async () => {
    const r = await run({ readyCount: 2, oldestReadySeconds: 660 });
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/^2 WAL files waiting to be archived, oldest for 11m \(RPO warn 10 min \/ fail 15 min\)/);
    expect(metric(r, 'UnarchivedDataAgeSeconds')).toBe(660);
  });
  it('fails when the oldest unarchived WAL is 20 minutes old (RPO fail 15)', async () => {
    expect((await run({ readyCount: 5, oldestReadySeconds: 1200 })).status).toBe('fail');
  });
  it('is ok with one segment waiting for a few seconds', async () => {
    const r = await run({ readyCount: 1, oldestReadySeconds: 4 });
    expect(r.status).toBe('ok');
    expect(r.summary).toMatch(/^archiving ok: 1 WAL files waiting, oldest for 4s/);
  });
  it('is unknown when the backlog cannot be read, and says why', async () => {
    const r = await run({ readyCount: null, readyUnreadableReason: 'permission denied for function pg_ls_archive_statusdir', readyUnreadableKind: 'denied' });
    expect(r.status).toBe('unknown');
    expect(r.summary).toMatch(/archive backlog cannot be read \(permission denied .*\); grant pg_monitor/);
    expect(metric(r, 'UnarchivedDataAgeSeconds')).toBeUndefined();
  });
  it('does not blame a missing grant when the backlog query failed because the connection dropped', async () => {
    const reason = 'listing pg_wal/archive_status: 127.0.0.1:5432/postgres: query failed: Connection terminated unexpectedly';
    const r = await run({ readyCount: null, readyUnreadableReason: reason, readyUnreadableKind: 'error' });
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain(`the archive backlog cannot be read (${reason})`);
    expect(r.summary).not.toContain('grant');
  });
  it('warns on a fresh server that has never archived anything', async () => {
    const r = await run({ archivedCount: 0, lastArchivedWal: null, lastArchivedTime: null, unarchivedBytes: null });
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/^no WAL has ever been archived since 2025-11-01T00:00:00.000Z, so archiving is not proven to work/);
  });
  it('warns when archive_timeout is off, because a quiet database can exceed the RPO inside one segment', async () => {
    const r = await run({ archiveTimeoutSeconds: 0 });
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/^archive_timeout is 0 \(off\): .* longer than the 15 min RPO/);
  });
});
