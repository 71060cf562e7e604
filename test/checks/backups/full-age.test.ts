import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { fullAgeCheck, gradeBackupAge, newestBackupAge } from '../../../lambdas/checks/backups/full-age';
import type { BackupEntry } from '../../../lambdas/pgbackrest/info';
import { rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { backupContext, PgBackRestFixture } from '../../support/pgbackrest';
import { interruptedBackupLayout } from '../../support/pgbackrest-scenarios';

const entry = (label: string, type: BackupEntry['type'], timestampStop: number): BackupEntry =>
  ({ label, type, timestampStart: timestampStop - 60, timestampStop, archiveStart: null, archiveStop: null, lsnStart: null, lsnStop: null, repoSize: 0, size: 0, repoSizeDelta: 0, sizeDelta: 0, dbId: 1, backrestVersion: '2.45', options: {} }) as BackupEntry;

describe('newestBackupAge', () => {
  it('picks the backup that finished last by backup-timestamp-stop, not by label', () => {
    // Labels are local time of the pgBackRest process: after a TZ change a newer backup can sort first.
    const backups = [entry('20251129-110002F', 'full', 1_764_440_000), entry('20251129-060010F', 'full', 1_764_450_000)];
    expect(newestBackupAge(backups, ['full'], new Date(1_764_453_600_000))).toEqual({ backup: backups[1], ageSeconds: 3600 });
  });

  it('ignores backups of other types and returns undefined when none match', () => {
    expect(newestBackupAge([entry('x', 'diff', 1)], ['full'], new Date())).toBeUndefined();
  });
});

describe('gradeBackupAge', () => {
  it('grades against warn and fail hours, and flags a stop time far in the future as clock skew', () => {
    expect(gradeBackupAge(26 * 3600, { warn: 26, fail: 30 })).toBe('ok');
    expect(gradeBackupAge(26 * 3600 + 1, { warn: 26, fail: 30 })).toBe('warn');
    expect(gradeBackupAge(30 * 3600 + 1, { warn: 26, fail: 30 })).toBe('fail');
    expect(gradeBackupAge(-60, { warn: 26, fail: 30 })).toBe('ok');
    expect(gradeBackupAge(-3600, { warn: 26, fail: 30 })).toBe('warn');
  });
});

describe('backup.full-age on a repository written by pgBackRest 2.45', () => {
  let f: PgBackRestFixture;
  let fullStop: number;
  beforeAll(async () => {
    f = await PgBackRestFixture.create();
    f.backup('full');
    f.switchWal(1);
    f.backup('diff');
    const info = JSON.parse(f.pgbackrest(['info', '--output=json']));
    fullStop = info[0].backup.find((b: { type: string }) => b.type === 'full').timestamp.stop;
  });
  afterAll(() => f?.destroy());

  const at = (secondsAfterFull: number) => fullAgeCheck.run(backupContext({ repository: new PosixRepositoryStore(f.repo.path), now: new Date((fullStop + secondsAfterFull) * 1000) }));

  it('is ok one hour after the full backup, reporting the age metric', async () => {
    const o = await at(3600);
    expect(o.status).toBe('ok');
    expect(o.summary).toMatch(/^newest full backup \d{8}-\d{6}F finished 1h 00m ago \(.*\); warn > 26h, fail > 30h \(backups.fullAgeHours\)$/);
    expect(o.metrics).toEqual([{ name: 'FullBackupAgeSeconds', value: 3600, unit: 'Seconds' }]);
  });

  it('warns 27 hours later and fails 31 hours later (the diff does not count)', async () => {
    expect((await at(27 * 3600)).status).toBe('warn');
    const o = await at(31 * 3600);
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('finished 31h 00m ago');
  });

  it('honours configured thresholds', async () => {
    const o = await fullAgeCheck.run(
      backupContext({ repository: new PosixRepositoryStore(f.repo.path), now: new Date((fullStop + 3 * 3600) * 1000), backups: { fullAgeHours: { warn: 1, fail: 2 } } }),
    );
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('warn > 1h, fail > 2h');
  });

  it('fails when the stanza has no backup at all', async () => {
    const g = await PgBackRestFixture.create();
    try {
      const o = await fullAgeCheck.run(backupContext({ repository: new PosixRepositoryStore(g.repo.path) }));
      expect(o.status).toBe('fail');
      expect(o.summary).toBe('no full backup in backup/chronos/backup.info (0 backup(s) of other types); expected one within 30h');
    } finally {
      g.destroy();
    }
  });

  it('is unknown, not "no full backup", when backup.info cannot be decrypted', async () => {
    const g = await PgBackRestFixture.create({ repos: [{ encrypted: true }] });
    try {
      const o = await fullAgeCheck.run(backupContext({ repository: new PosixRepositoryStore(g.repo.path), cipherPass: 'wrong-pass-here' }));
      expect(o.status).toBe('unknown');
      expect(o.summary).toBe('cannot tell the age of the newest full backup: cipher pass does not decrypt backup.info (wrong pass?)');
    } finally {
      g.destroy();
    }
  });
  it('extends the limits by backups.inProgressGraceHours while a full backup is visibly running, and not once its heartbeat is stale', async () => {
    const labels = JSON.parse(f.pgbackrest(['info', '--output=json']))[0].backup.map((b: { label: string }) => b.label);
    const label = interruptedBackupLayout(f.repo.path, labels[0], '20991231-235959F');
    const copy = join(f.repo.path, 'backup', 'chronos', label, 'backup.manifest.copy');
    const now = fullStop + 31 * 3600;
    try {
      utimesSync(copy, now - 600, now - 600);
      const running = await at(31 * 3600);
      expect(running.status).toBe('warn');
      expect(running.summary).toContain('a backup is running, limits extended by 2h (backups.inProgressGraceHours)');
      utimesSync(copy, now - 3 * 3600, now - 3 * 3600);
      expect((await at(31 * 3600)).status).toBe('fail');
    } finally {
      rmSync(join(f.repo.path, 'backup', 'chronos', label), { recursive: true, force: true });
    }
  });
});
