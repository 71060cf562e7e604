import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { diffAgeCheck } from '../../../lambdas/checks/backups/diff-age';
import { backupContext, withValidChecksum } from '../../support/pgbackrest';
import { BACKUP_INFO_245 } from '../../support/pgbackrest-samples';

const BACKUP_INFO = BACKUP_INFO_245;
const DIFF_STOP = 1796301276;
const FULL_STOP = 1796301274;

describe('backup.diff-age', () => {
  const dirs: string[] = [];
  /** A posix repository holding the given backup.info (and its .copy) for stanza `demo`. */
  const repoWith = (text: string): PosixRepositoryStore => {
    const dir = mkdtempSync(join(tmpdir(), 'chronos-diffage-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'backup/demo'), { recursive: true });
    for (const n of ['backup.info', 'backup.info.copy']) writeFileSync(join(dir, 'backup/demo', n), text);
    return new PosixRepositoryStore(dir);
  };
  const run = (text: string, now: Date) => diffAgeCheck.run(backupContext({ repository: repoWith(text), stanza: 'demo', now }));
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('measures the diff by its stop time even though its local-time label sorts before its full', async () => {
    const o = await run(BACKUP_INFO, new Date((DIFF_STOP + 2 * 3600) * 1000));
    expect(o.status).toBe('ok');
    expect(o.summary).toBe('newest full or diff backup 20261203-123431F_20261203-073435D finished 2h 00m ago (2026-12-03T12:34:36.000Z); warn > 7h, fail > 9h (backups.diffAgeHours)');
    expect(o.metrics).toEqual([{ name: 'DiffBackupAgeSeconds', value: 7200, unit: 'Seconds' }]);
  });

  it('warns after 7 hours and fails after 9 hours', async () => {
    expect((await run(BACKUP_INFO, new Date((DIFF_STOP + 8 * 3600) * 1000))).status).toBe('warn');
    expect((await run(BACKUP_INFO, new Date((DIFF_STOP + 10 * 3600) * 1000))).status).toBe('fail');
  });

  it('counts a full backup as a diff when it is the newest', async () => {
    const onlyFull = withValidChecksum(BACKUP_INFO.replace(/^20261203-123431F_.*\n/m, ''));
    const o = await run(onlyFull, new Date((FULL_STOP + 3600) * 1000));
    expect(o.status).toBe('ok');
    expect(o.details?.label).toBe('20261203-123431F');
  });

  it('warns about clock skew when the newest backup finishes an hour in the future', async () => {
    const o = await run(BACKUP_INFO, new Date((DIFF_STOP - 3600) * 1000));
    expect(o.status).toBe('warn');
    expect(o.summary).toContain('finishes 1h 00m in the future');
  });

  it('fails when backup.info is damaged in both copies', async () => {
    const o = await run(BACKUP_INFO.replace('"backup-type":"diff"', '"backup-type":"incr"'), new Date(DIFF_STOP * 1000));
    expect(o.status).toBe('fail');
    expect(o.summary).toMatch(/^cannot tell the age of the newest full or diff backup: backup\/demo\/backup.info in .* fails its checksum/);
  });
});
