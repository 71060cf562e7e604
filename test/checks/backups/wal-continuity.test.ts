import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { walContinuityCheck } from '../../../lambdas/checks/backups/wal-continuity';
import { MemoryStateStore } from '../../../lambdas/core/state';
import { PgBackRestFixture } from '../../support/pgbackrest';
import { abandonedTimeline, archiveDir, deleteSegments, recoveryContext, restoreAndPromote, runCheck } from '../../support/pgbackrest-scenarios';

// One encrypted repository written by real pgBackRest; the tests run in order and each adds to the story.
describe('backup.wal-continuity on an encrypted repository across real timeline switches', () => {
  let f: PgBackRestFixture;
  let tli2Segments: string[] = [];
  const ctx = (state = new MemoryStateStore()) => recoveryContext(f, { repository: new PosixRepositoryStore(f.repo.path), cipherPass: f.repo.cipherPass, state });

  beforeAll(async () => {
    f = await PgBackRestFixture.create({ repos: [{ encrypted: true }], pgConf: ['archive_timeout = 0'] });
    f.backup('full');
  });
  afterAll(() => f?.destroy());

  it('passes across a real timeline switch (restore --type=immediate + promote into the same repository), reading the encrypted 00000002.history', async () => {
    expect(restoreAndPromote(f)).toBe(2);
    tli2Segments = f.switchWal(3);
    const out = await runCheck(walContinuityCheck, ctx());
    expect(out.summary).toMatch(/^WAL continuous from 0000000[12]0000000000000002\.\.00000002000000000000000[4-9] \(\d+ segments, 0 missing, timeline 2 via 1→2\)$/);
    expect(out.status).toBe('ok');
    expect(out.metrics).toEqual([{ name: 'WalMissingSegments', value: 0, unit: 'Count' }]);
    expect(out.details).toMatchObject({ timeline: 2, timelineSource: 'database', lineage: [{ tli: 1, switchLsn: expect.stringMatching(/^0\/2[0-9A-F]{6}$/) }, { tli: 2 }] });
  });

  it('warns about a stray timeline: a test restore promoted to timeline 3, archived, then abandoned while timeline 2 carries on', async () => {
    expect(abandonedTimeline(f)).toBe(3);
    f.switchWal(1);
    const out = await runCheck(walContinuityCheck, ctx());
    expect(out.status).toBe('warn');
    expect(out.summary).toContain('stray timeline(s): timeline 3 (history file, 1 WAL folder(s)) is not in the lineage of timeline 2');
    expect(out.metrics).toEqual([{ name: 'WalMissingSegments', value: 0, unit: 'Count' }]);
  });

  it('says why a stray timeline\'s history file is unusable, naming the key and the parse error', async () => {
    const file = join(archiveDir(f.repo.path), '00000009.history');
    writeFileSync(file, 'not a history file\n');
    try {
      const out = await runCheck(walContinuityCheck, ctx());
      expect(out.status).toBe('warn');
      expect(out.details).toMatchObject({
        strays: expect.arrayContaining([
          'timeline 9 (history file, 0 WAL folder(s)) is not in the lineage of timeline 2; its history file cannot be parsed: archive/chronos/15-1/00000009.history line 1 is not "<parent tli>\\t<X/Y>\\t<reason>": "not a history file"',
        ]),
      });
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('fails naming the missing range when segments after the newest full backup are deleted from the repository', async () => {
    const gone = tli2Segments.slice(0, 2);
    expect(deleteSegments(f.repo.path, gone)).toHaveLength(2);
    const out = await runCheck(walContinuityCheck, ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toContain(`WAL hole ${gone[0]}..${gone[1]} (2 segments) after the newest full backup`);
    expect(out.summary).toContain('point-in-time recovery impossible past');
    expect(out.summary).toContain('take a new full backup');
    expect(out.metrics).toEqual([{ name: 'WalMissingSegments', value: 2, unit: 'Count' }]);
    expect(JSON.stringify(out)).not.toContain(f.repo.cipherPass!);
  });

  it('only warns once a new full backup starts after the hole (older backups cannot replay past it)', async () => {
    f.backup('full');
    f.switchWal(1);
    const out = await runCheck(walContinuityCheck, ctx());
    expect(out.status).toBe('warn');
    expect(out.summary).toMatch(/^WAL hole \S+\.\.\S+ \(2 segments\) before the newest full backup's start: older backups cannot replay past it/);
  });

  it("fails when the newest full backup's own WAL (archiveStart..archiveStop) is missing", async () => {
    const info = JSON.parse(f.pgbackrest(['info', '--output=json']))[0];
    const newestFull = [...info.backup].reverse().find((b: { type: string }) => b.type === 'full');
    deleteSegments(f.repo.path, [newestFull.archive.start]);
    const out = await runCheck(walContinuityCheck, ctx());
    expect(out.status).toBe('fail');
    expect(out.details).toMatchObject({ notes: expect.arrayContaining([expect.stringMatching(new RegExp(`^backup ${newestFull.label} is unrestorable: its own WAL ${newestFull.archive.start}\\.\\.`))]) });
  });

  it('says unknown, not ok, when wal_segment_size is unknown (database down, no override)', async () => {
    const c = recoveryContext(f, { repository: new PosixRepositoryStore(f.repo.path), cipherPass: f.repo.cipherPass, databaseDown: true });
    const out = await runCheck(walContinuityCheck, c);
    expect(out.status).toBe('unknown');
    expect(out.summary).toContain('wal_segment_size is unknown');
  });
});
