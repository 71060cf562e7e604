import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { rpoCheck } from '../../../lambdas/checks/backups/rpo';
import type { ArchiverFacts } from '../../../lambdas/core/ports';
import { MemoryStateStore } from '../../../lambdas/core/state';
import { judgeExposure } from '../../../lambdas/pgbackrest/rpo-facts';
import { PgBackRestFixture } from '../../support/pgbackrest';
import { deleteSegments, recoveryContext, runCheck } from '../../support/pgbackrest-scenarios';

describe('backup.rpo on a real cluster archiving through pgBackRest', () => {
  let f: PgBackRestFixture;
  const state = new MemoryStateStore();
  const ctx = (o: { databaseDown?: boolean } = {}) => recoveryContext(f, { repository: new PosixRepositoryStore(f.repo.path), state, ...o });

  beforeAll(async () => {
    f = await PgBackRestFixture.create({ pgConf: ['archive_timeout = 0'] });
    f.backup('full');
    f.switchWal(2);
  });
  afterAll(() => f?.destroy());

  it('is ok on an idle cluster for which nothing is due: WAL position unchanged between two runs, nothing waiting', async () => {
    const first = await runCheck(rpoCheck, ctx());
    expect(first.status).toBe('ok');
    const second = await runCheck(rpoCheck, ctx());
    expect(second.status).toBe('ok');
    expect(second.metrics).toEqual([{ name: 'RpoExposureSeconds', value: 0, unit: 'Seconds' }]);
    expect(second.summary).toMatch(/^unarchived data 0s old \(warn 10 min, RPO 15 min\): (idle: WAL position \S+ unchanged since|every written WAL byte is archived)/);
    expect(second.details).toMatchObject({ previousPosition: { lsn: expect.stringMatching(/^0\//) } });
  });

  it('is unknown, never ok, when the repository cannot be read: PostgreSQL saying "archived" proves nothing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'chronos-empty-repo-'));
    try {
      const out = await runCheck(rpoCheck, recoveryContext(f, { repository: new PosixRepositoryStore(empty), state: new MemoryStateStore() }));
      expect(out.status).toBe('unknown');
      expect(out.summary).toMatch(/; judged on the database only: the repository is not readable \(backup\.info: /);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('is unknown when the database cannot be read and the repository proves nothing wrong', async () => {
    const out = await runCheck(rpoCheck, ctx({ databaseDown: true }));
    expect(out.status).toBe('unknown');
    expect(out.summary).toMatch(/^RPO exposure cannot be measured: the database is not readable/);
  });

  it('fails when PostgreSQL reports a segment archived that the repository does not hold (archive-push-queue-max drop)', async () => {
    const [seg] = f.switchWal(1);
    expect(deleteSegments(f.repo.path, [seg])).toHaveLength(1);
    const out = await runCheck(rpoCheck, ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toContain(`PostgreSQL reports ${seg} archived but the repository lacks it`);
  });

  it('warns while archiving fails, dating the exposure by the oldest .ready segment', async () => {
    f.cluster.reconfigure(["archive_command = 'false'"]);
    try {
      f.write(100);
      f.cluster.sql('select pg_switch_wal()');
      const deadline = Date.now() + 20_000;
      while (f.cluster.sql("select failed_count from pg_stat_archiver") === '0' && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      const out = await runCheck(rpoCheck, ctx());
      expect(['warn', 'fail']).toContain(out.status);
      expect(out.summary).toMatch(/1 segment\(s\) wait to be archived, the oldest for \d+s/);
      expect(out.details).toMatchObject({ failingNow: true, readyCount: 1 });
    } finally {
      f.cluster.reconfigure([`archive_command = '/usr/bin/pgbackrest --config=${f.configPath} --stanza=${f.stanza} archive-push %p'`]);
    }
  });
});

describe('judgeExposure', () => {
  const base: ArchiverFacts = {
    archiveMode: 'on',
    archiveTimeoutSeconds: 60,
    archivedCount: 10,
    failedCount: 0,
    lastArchivedWal: '000000010000000000000009',
    lastArchivedTime: '2026-12-03T10:00:00.000Z',
    lastFailedWal: null,
    lastFailedTime: null,
    statsReset: null,
    failingNow: false,
    readyCount: 0,
    oldestReadySeconds: null,
    currentLsn: '0/A000100',
    timeline: 1,
    walSegmentSizeBytes: 16 << 20,
    unarchivedBytes: 256,
    serverNow: '2026-12-03T12:00:00.000Z',
  };

  it('dates data written after an idle spell from the previous run, not from the last archive hours ago', () => {
    const prev = { lsn: '0/A000000', timeline: 1, at: '2026-12-03T11:58:00.000Z', unarchivedBytes: 0 };
    expect(judgeExposure(base, prev)).toMatchObject({ idle: false, exposureSeconds: 120 });
  });

  it('dates unarchived bytes from the last archive on the first run (no remembered position)', () => {
    expect(judgeExposure(base, undefined)).toMatchObject({ exposureSeconds: 7200 });
  });

  it('counts bytes sitting in the current segment of an idle server with archive_timeout = 0 as exposure', () => {
    const prev = { lsn: '0/A000100', timeline: 1, at: '2026-12-03T11:30:00.000Z', unarchivedBytes: 256 };
    expect(judgeExposure({ ...base, archiveTimeoutSeconds: 0 }, prev)).toMatchObject({ idle: true, exposureSeconds: 1800 });
    expect(judgeExposure(base, prev)).toMatchObject({ idle: true, exposureSeconds: 0 });
  });

  it('cannot measure on a server in recovery', () => {
    expect(judgeExposure({ ...base, currentLsn: null }, undefined).exposureSeconds).toBeUndefined();
  });
});
