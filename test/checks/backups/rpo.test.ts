import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { S3RepositoryStore } from '../../../lambdas/adapters/repository/s3';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { recoverabilityCheck } from '../../../lambdas/checks/backups/recoverability';
import { rpoCheck } from '../../../lambdas/checks/backups/rpo';
import type { ArchiverFacts } from '../../../lambdas/core/ports';
import { MemoryStateStore } from '../../../lambdas/core/state';
import { judgeExposure } from '../../../lambdas/pgbackrest/rpo-facts';
import { PgBackRestFixture } from '../../support/pgbackrest';
import { deleteSegments, recoveryContext, runCheck, runChecksOn } from '../../support/pgbackrest-scenarios';

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** An S3-compatible endpoint on 127.0.0.1 answering every request with one fixed response (what s3rver cannot do). */
async function brokenS3(status: number, body: string): Promise<{ store: S3RepositoryStore; close: () => Promise<void> }> {
  const http: Server = createServer((_, res) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const port = (http.address() as { port: number }).port;
  const client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'ca-central-1', forcePathStyle: true, credentials: { accessKeyId: 'k', secretAccessKey: 's' }, maxAttempts: 1 });
  return {
    store: new S3RepositoryStore(client, { bucket: 'chronos-backups-test', path: '/var/lib/pgbackrest' }),
    close: async () => {
      client.destroy();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

describe('backup.rpo on a real cluster archiving through pgBackRest', () => {
  let f: PgBackRestFixture;
  const state = new MemoryStateStore();
  const ctx = (o: { databaseDown?: boolean } = {}) => recoveryContext(f, { repository: new PosixRepositoryStore(f.repo.path), state, ...o });

  beforeAll(async () => {
    // repo2 is encrypted: only its info files are read (wrong-pass test), the checks judge repo1.
    f = await PgBackRestFixture.create({ pgConf: ['archive_timeout = 0'], repos: [{}, { encrypted: true }] });
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

  it('is unknown, never ok, when both copies of backup.info are damaged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chronos-broken-repo-'));
    try {
      cpSync(f.repo.path, dir, { recursive: true, verbatimSymlinks: true });
      for (const n of ['backup.info', 'backup.info.copy']) writeFileSync(join(dir, 'backup/chronos', n), 'truncated garbage');
      const out = await runCheck(rpoCheck, recoveryContext(f, { repository: new PosixRepositoryStore(dir), state: new MemoryStateStore() }));
      expect(out.status).toBe('unknown');
      expect(out.summary).toMatch(/; judged on the database only: the repository is not readable \(backup\.info: .*backup\/chronos\/backup\.info .*neither an info file nor encrypted/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is unknown, never ok, when the cipher pass does not decrypt the repository', async () => {
    const out = await runCheck(rpoCheck, recoveryContext(f, { repository: new PosixRepositoryStore(f.repos[1].path), cipherPass: 'a-wrong-cipher-pass', state: new MemoryStateStore() }));
    expect(out.status).toBe('unknown');
    expect(out.summary).toMatch(/; judged on the database only: the repository is not readable \(backup\.info: cipher pass does not decrypt backup\.info \(wrong pass\?\)\)$/);
    expect(JSON.stringify(out)).not.toContain('a-wrong-cipher-pass');
  });

  it.each([
    ['answers HTTP 500 InternalError', 500, '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>'],
    ['answers malformed XML', 200, '<?xml version="1.0"?><ListBucketResult><Name>b</Name><Contents><Key>x</Key>'],
  ])('is unknown, never ok, when the S3 endpoint %s', async (_, status, body) => {
    const s3 = await brokenS3(status, body);
    try {
      const out = await runCheck(rpoCheck, recoveryContext(f, { repository: s3.store, state: new MemoryStateStore() }));
      expect(out.status).toBe('unknown');
      expect(out.summary).toMatch(/; judged on the database only: the repository is not readable \(backup\.info: /);
    } finally {
      await s3.close();
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

describe('backup.rpo and backup.recoverability while WAL is stuck and the monitor role cannot list pg_wal/archive_status', () => {
  let f: PgBackRestFixture;
  let hold = '';
  let entered = '';
  const state = new MemoryStateStore();
  // A role without pg_monitor: pg_ls_archive_statusdir() is denied, so the .ready backlog is unreadable.
  const ctx = () => recoveryContext(f, { repository: new PosixRepositoryStore(f.repo.path), state, extra: { database: { host: '127.0.0.1', database: 'postgres', user: 'chronos_nomon' } } });

  beforeAll(async () => {
    f = await PgBackRestFixture.create({ pgConf: ['archive_timeout = 60'] });
    f.backup('full');
    f.switchWal(1);
    f.cluster.sql('create role chronos_nomon login');
    // archive_command hangs (neither fails nor succeeds) until the hold file goes, then archives for real.
    hold = join(f.baseDir, 'hold');
    entered = join(f.baseDir, 'entered');
    const script = join(f.baseDir, 'hold-archive.sh');
    writeFileSync(script, `#!/bin/sh\ntouch ${entered}\nwhile [ -f ${hold} ]; do sleep 0.2; done\nexec /usr/bin/pgbackrest --config=${f.configPath} --stanza=${f.stanza} archive-push "$1"\n`);
    chmodSync(script, 0o755);
    writeFileSync(hold, '');
    f.cluster.reconfigure([`archive_command = '${script} %p'`]);
    for (let i = 0; i < 2; i++) {
      f.write(100);
      f.cluster.sql('select pg_switch_wal()');
    }
    const deadline = Date.now() + 30_000;
    while (!existsSync(entered) && Date.now() < deadline) pause(100);
    if (!existsSync(entered)) throw new Error(`archive_command never started; see ${f.cluster.logFile}`);
    // Let the stall last a little, so "seconds since the last archive" is visibly above zero.
    pause(1500);
  });
  afterAll(() => {
    if (hold) rmSync(hold, { force: true });
    f?.destroy();
  });

  it('never reports "idle" or "restorable to now" over three runs: the exposure is dated from the last archive and grows', async () => {
    const exposures: number[] = [];
    for (let run = 0; run < 3; run++) {
      const [rpo, rec] = await runChecksOn([rpoCheck, recoverabilityCheck], ctx());
      expect(rpo.details).toMatchObject({ readyCount: null, idle: false, unarchivedBytes: expect.any(Number) });
      expect((rpo.details as { unarchivedBytes: number }).unarchivedBytes).toBeGreaterThanOrEqual(16 << 20);
      expect(rpo.summary).toMatch(/^unarchived data \d+s old \(warn 10 min, RPO 15 min\): [12] completed segment\(s\) \(\d+ bytes\) not yet archived, written since \S+; the \.ready backlog is not readable \(.*permission denied.*\), so idle cannot be told from stuck$/);
      expect(rpo.summary).not.toContain('idle:');
      expect(rec.summary).not.toMatch(/^restorable to now/);
      expect(rec.summary).toMatch(/^restorable to \d{4}-\d\d-\d\dT\d\d:\d\dZ \(\d+s ago, RPO 15 min; [12] completed segment\(s\)/);
      exposures.push(rpo.metrics![0].value);
      pause(1100);
    }
    expect(exposures[0]).toBeGreaterThanOrEqual(1);
    expect(exposures[2]).toBeGreaterThan(exposures[0]);
    expect(exposures[1]).toBeGreaterThanOrEqual(exposures[0]);
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

  it('counts bytes sitting in the current segment of an idle server with archive_timeout = 0 as exposure since the last archive', () => {
    // The previous run already saw these bytes waiting, so they date from the last archive (10:00), not from that run (11:30).
    const prev = { lsn: '0/A000100', timeline: 1, at: '2026-12-03T11:30:00.000Z', unarchivedBytes: 256 };
    expect(judgeExposure({ ...base, archiveTimeoutSeconds: 0 }, prev)).toMatchObject({ idle: true, exposureSeconds: 7200 });
    expect(judgeExposure(base, prev)).toMatchObject({ idle: true, exposureSeconds: 0 });
  });

  it('never calls an unreadable .ready backlog idle: completed segments waiting are dated from the last archive, run after run', () => {
    const stuck = { ...base, readyCount: null, readyUnreadableReason: 'permission denied for function pg_ls_archive_statusdir', currentLsn: '0/F000000', unarchivedBytes: 32 << 20 };
    let previous: Parameters<typeof judgeExposure>[1] = undefined;
    const seen: (number | undefined)[] = [];
    for (const at of ['2026-12-03T12:00:00.000Z', '2026-12-03T12:05:00.000Z', '2026-12-03T12:10:00.000Z']) {
      const j = judgeExposure({ ...stuck, serverNow: at }, previous);
      expect(j.idle).toBe(false);
      expect(j.basis).toMatch(/^2 completed segment\(s\) \(33554432 bytes\) not yet archived, written since 2026-12-03T10:00:00\.000Z; the \.ready backlog is not readable \(permission denied for function pg_ls_archive_statusdir; grant pg_monitor\), so idle cannot be told from stuck$/);
      seen.push(j.exposureSeconds);
      previous = { lsn: stuck.currentLsn, timeline: 1, at, unarchivedBytes: stuck.unarchivedBytes };
    }
    expect(seen).toEqual([7200, 7500, 7800]);
  });

  it('is not idle when a whole segment waits although the .ready listing reads empty', () => {
    const prev = { lsn: '0/B000000', timeline: 1, at: '2026-12-03T11:55:00.000Z', unarchivedBytes: 16 << 20 };
    const j = judgeExposure({ ...base, currentLsn: '0/B000000', unarchivedBytes: 16 << 20, readyCount: 0 }, prev);
    expect(j).toMatchObject({ idle: false, exposureSeconds: 7200 });
  });

  it('moves the start of the exposure to the previous run only when that run saw everything archived', () => {
    const readyUnknown = { ...base, readyCount: null };
    expect(judgeExposure(readyUnknown, { lsn: '0/A000000', timeline: 1, at: '2026-12-03T11:58:00.000Z', unarchivedBytes: 0 })).toMatchObject({ idle: false, exposureSeconds: 120 });
    expect(judgeExposure(readyUnknown, { lsn: '0/A000000', timeline: 1, at: '2026-12-03T11:58:00.000Z', unarchivedBytes: 128 })).toMatchObject({ idle: false, exposureSeconds: 7200 });
  });

  it('cannot measure when the backlog is unreadable and PostgreSQL has never archived', () => {
    const j = judgeExposure({ ...base, readyCount: null, lastArchivedTime: null, lastArchivedWal: null, unarchivedBytes: null }, { lsn: base.currentLsn!, timeline: 1, at: '2026-12-03T11:58:00.000Z', unarchivedBytes: null });
    expect(j.exposureSeconds).toBeUndefined();
    expect(j.idle).toBe(false);
  });

  it('cannot measure on a server in recovery', () => {
    expect(judgeExposure({ ...base, currentLsn: null }, undefined).exposureSeconds).toBeUndefined();
  });
});
