import { readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { walAgeCheck } from '../../../lambdas/checks/backups/wal-age';
import { MemoryStateStore } from '../../../lambdas/core/state';
import { PgBackRestFixture } from '../../support/pgbackrest';
import { deleteSegments, recoveryContext, runCheck } from '../../support/pgbackrest-scenarios';

describe('backup.wal-age on a real cluster archiving through pgBackRest', () => {
  let f: PgBackRestFixture;
  let newest = '';
  const state = new MemoryStateStore();
  // walSegmentSizeBytes set in config so the repository can still be judged while the database is down.
  const ctx = (o: { hoursLater?: number; databaseDown?: boolean } = {}) =>
    recoveryContext(f, {
      repository: new PosixRepositoryStore(f.repo.path),
      state,
      now: new Date(Date.now() + (o.hoursLater ?? 0) * 3600_000),
      databaseDown: o.databaseDown,
      // The live cluster's clock moves with `now`: a later run of an idle cluster, not a what-if.
      databaseClockShiftMs: (o.hoursLater ?? 0) * 3600_000,
      extra: { database: { host: '127.0.0.1', database: 'postgres', user: 'postgres', walSegmentSizeBytes: 16 << 20 } },
    });

  beforeAll(async () => {
    f = await PgBackRestFixture.create({ pgConf: ['archive_timeout = 0'] });
    f.backup('full');
    newest = f.switchWal(2)[1];
  });
  afterAll(() => f?.destroy());

  it('states the age of the newest archived segment and finds last_archived_wal in the repository', async () => {
    const out = await runCheck(walAgeCheck, ctx());
    expect(out.status).toBe('ok');
    expect(out.summary).toMatch(new RegExp(`^newest WAL ${newest} archived \\d+s ago \\(warn after 10 min\\)$`));
    expect(out.metrics).toEqual([{ name: 'WalArchiveAgeSeconds', value: expect.any(Number), unit: 'Seconds' }]);
    expect(out.details).toMatchObject({ lastArchivedWal: { name: newest, inRepository: true } });
  });

  it('names the highest segment and the last-written one when an out-of-order upload makes them differ', async () => {
    const dir = join(f.repo.path, 'archive', 'chronos', '15-1', newest.slice(0, 16));
    const files = readdirSync(dir).filter((n) => /^[0-9A-F]{24}-/.test(n)).sort();
    const [older, newestFile] = [files[files.length - 2], files[files.length - 1]];
    const t = Date.now() / 1000;
    try {
      for (const file of files) utimesSync(join(dir, file), t - 120, t - 120);
      utimesSync(join(dir, older), t - 5, t - 5);
      const out = await runCheck(walAgeCheck, ctx());
      expect(out.summary).toMatch(new RegExp(`^newest WAL ${newest} \\(last written: ${older.slice(0, 24)}\\) archived \\d+s ago`));
    } finally {
      for (const file of files) utimesSync(join(dir, file), t - 1, t - 1);
      utimesSync(join(dir, newestFile), t, t);
    }
  });

  it('does not page for an idle database whose newest WAL is 3 hours old', async () => {
    await runCheck(walAgeCheck, ctx({ hoursLater: 3 }));
    const out = await runCheck(walAgeCheck, ctx({ hoursLater: 3 }));
    expect(out.status).toBe('ok');
    expect(out.summary).toMatch(/^newest WAL \S+ archived 3h 0\dm ago, but the database is idle with nothing waiting to be archived/);
  });

  it('warns (idle cannot be told from stuck) when the database is unreachable and the WAL is 3 hours old', async () => {
    const out = await runCheck(walAgeCheck, ctx({ hoursLater: 3, databaseDown: true }));
    expect(out.status).toBe('warn');
    expect(out.summary).toContain('the database is not readable, so idle cannot be told from stuck');
    expect(out.details).toMatchObject({ database: expect.stringMatching(/^not readable/) });
  });

  it('fails when the repository lacks the segment PostgreSQL reports as last archived', async () => {
    deleteSegments(f.repo.path, [newest]);
    const out = await runCheck(walAgeCheck, ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toMatch(new RegExp(`^PostgreSQL reports ${newest} archived but archive/chronos/15-1/0000000100000000/ does not hold it`));
  });
});
