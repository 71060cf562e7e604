import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { recoverabilityCheck } from '../../../lambdas/checks/backups/recoverability';
import { retentionCheck } from '../../../lambdas/checks/backups/retention';
import { walContinuityCheck } from '../../../lambdas/checks/backups/wal-continuity';
import { MemoryStateStore } from '../../../lambdas/core/state';
import { backupContext, PgBackRestFixture, withValidChecksum } from '../../support/pgbackrest';
import { recoveryContext, runChecksOn } from '../../support/pgbackrest-scenarios';

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

  it('never states a negative repository age when --now is before the backups (1970): it says they are in the future', async () => {
    const out = await run({ full: 4 }, -Date.now() / 3600_000);
    expect(out.summary).toMatch(/^2 full, 1 diff \(retention 4\): repository is 0s old \(its oldest backup starts \d+d \d\dh in the future relative to now: --now or clock skew\), still filling/);
    expect(out.summary).not.toMatch(/-\d/);
    expect(out.details).toMatchObject({ repositoryAgeSeconds: 0 });
  });

  it('counts a 200 000-entry backup.info without overflowing the stack (no Math.min/max over spread arguments)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chronos-huge-info-'));
    try {
      cpSync(f.repo.path, dir, { recursive: true, verbatimSymlinks: true });
      const p = join(dir, 'backup/chronos/backup.info');
      const text = readFileSync(p, 'utf8');
      // Clones of the real diff (same WAL range, so each is on the lineage), trimmed to the fields the parser needs.
      const diff = JSON.parse(/^\S+D=(\{.*\})$/m.exec(text)![1]) as Record<string, unknown>;
      const keep = ['backrest-format', 'backrest-version', 'backup-archive-start', 'backup-archive-stop', 'backup-info-repo-size', 'backup-info-repo-size-delta', 'backup-info-size', 'backup-info-size-delta', 'backup-timestamp-start', 'backup-timestamp-stop', 'backup-type', 'db-id'];
      const body = JSON.stringify(Object.fromEntries(keep.map((k) => [k, diff[k]])));
      const extra = Array.from({ length: 200_000 }, (_, i) => `20000101-000000F_${String(i).padStart(8, '0')}-000000D=${body}`).join('\n');
      writeFileSync(p, withValidChecksum(text.replace('[backup:current]\n', `[backup:current]\n${extra}\n`)));
      const ctx = recoveryContext(f, { repository: new PosixRepositoryStore(dir), state: new MemoryStateStore(), backups: { retention: { full: 2 } } });
      const [ret, cont, rec] = await runChecksOn([retentionCheck, walContinuityCheck, recoverabilityCheck], ctx);
      expect(ret.summary).toMatch(/^2 full, 200001 diff /);
      for (const o of [ret, cont, rec]) expect(o.summary).not.toMatch(/RangeError|call stack/);
      expect(cont.status).toBe('ok');
      expect(rec.status).toBe('ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
