import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { retentionCheck } from '../../../lambdas/checks/backups/retention';
import { backupContext, PgBackRestFixture } from '../../support/pgbackrest';

describe('backup.retention with pgBackRest arithmetic on a real repository (2 full + 1 diff)', () => {
  let f: PgBackRestFixture;
  const run = (retention: { full: number; diff?: number }, hoursLater = 0) =>
    retentionCheck.run(backupContext({ repository: new PosixRepositoryStore(f.repo.path), now: new Date(Date.now() + hoursLater * 3600_000), backups: { retention } }));

  beforeAll(async () => {
    f = await PgBackRestFixture.create({ repos: [{ retentionFull: 4 }] });
    f.backup('full');
    f.backup('full');
    f.backup('diff');
  });
  afterAll(() => f?.destroy());

  it('is ok at retention full=2, diff=3: the two fulls count as differentials, as expire does', async () => {
    const out = await run({ full: 2, diff: 3 });
    expect(out).toMatchObject({ status: 'ok', summary: '2 full, 1 diff (retention full 2, diff 3 with fulls counted: 3)' });
    expect(out.metrics).toEqual([{ name: 'FullBackupCount', value: 2, unit: 'Count' }]);
  });

  it('is ok with one full above retention just after a backup, and warns when expire still has not run hours later', async () => {
    expect((await run({ full: 1 })).summary).toMatch(/^2 full, 1 diff: one full above retention 1 while expire catches up/);
    const later = await run({ full: 1 }, 3);
    expect(later.status).toBe('warn');
    expect(later.summary).toBe('2 full, 1 diff: more fulls than retention 1 allows (+1 briefly): is expire running?');
  });

  it('does not warn about too few fulls while the repository is younger than the retention horizon, and warns after it', async () => {
    expect((await run({ full: 4 })).summary).toMatch(/^2 full, 1 diff \(retention 4\): repository is \d+s old, still filling its 4d 08h horizon$/);
    const old = await run({ full: 4 }, 24 * 5);
    expect(old.status).toBe('warn');
    expect(old.summary).toMatch(/^2 full, 1 diff: fewer fulls than retention 4 in a repository 5d 00h old/);
  });
});
