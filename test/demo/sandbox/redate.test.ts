import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newestBackupStop, redateBackupInfo } from '../../../demo/sandbox/redate';
import { loadFixture } from '../../../demo/fixture';
import { parseBackupInfo, verifyInfoChecksum } from '../../../lambdas/pgbackrest/info';
import { requireTool } from '../../support/pg-cluster';

const PGBACKREST = '/usr/bin/pgbackrest';

describe('re-dating the captured backup.info', () => {
  const fixture = loadFixture();

  it('moves every backup start/stop by the same constant and keeps labels and intervals', () => {
    const before = parseBackupInfo(fixture.backupInfo).backups;
    const after = parseBackupInfo(redateBackupInfo(fixture.backupInfo, 86_400)).backups;
    expect(after.map((b) => b.label)).toEqual(before.map((b) => b.label));
    after.forEach((b, i) => {
      expect(b.timestampStart - before[i].timestampStart).toBe(86_400);
      expect(b.timestampStop - before[i].timestampStop).toBe(86_400);
    });
    expect(newestBackupStop(redateBackupInfo(fixture.backupInfo, -60))).toBe(newestBackupStop(fixture.backupInfo) - 60);
  });

  it('writes a backrest-checksum that the monitor verifies', () => {
    const text = redateBackupInfo(fixture.backupInfo, -3 * 86_400);
    expect(text).not.toBe(fixture.backupInfo);
    expect(verifyInfoChecksum(text).valid).toBe(true);
  });

  it('writes a backup.info that real pgBackRest loads (and pgBackRest rejects one shifted without a new checksum)', () => {
    requireTool(PGBACKREST, 'pgBackRest is needed (apt-get install pgbackrest)');
    const dir = mkdtempSync(join(tmpdir(), 'chronos-redate-'));
    try {
      cpSync(fixture.repoDir, join(dir, 'repo'), { recursive: true });
      const file = join(dir, 'repo', 'backup', fixture.meta.stanza, 'backup.info');
      const info = () =>
        spawnSync(PGBACKREST, [`--stanza=${fixture.meta.stanza}`, `--repo1-path=${join(dir, 'repo')}`, '--log-level-file=off', '--log-level-console=error', `--lock-path=${dir}/lock`, 'info', '--output=json'], { encoding: 'utf8' });

      const shifted = redateBackupInfo(fixture.backupInfo, -3 * 86_400);
      writeFileSync(file, shifted);
      writeFileSync(`${file}.copy`, shifted);
      const ok = info();
      expect(ok.stderr).toBe('');
      const stop = (JSON.parse(ok.stdout) as { backup: { timestamp: { stop: number } }[] }[])[0].backup.map((b) => b.timestamp.stop);
      expect(Math.max(...stop)).toBe(newestBackupStop(fixture.backupInfo) - 3 * 86_400);

      const naive = fixture.backupInfo.replace(/("backup-timestamp-stop":)(\d+)/g, (_, k: string, n: string) => `${k}${Number(n) - 60}`);
      writeFileSync(file, naive);
      writeFileSync(`${file}.copy`, naive);
      expect(info().stdout + info().stderr).toMatch(/checksum/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a fractional shift and a text without a checksum line, naming the problem', () => {
    expect(() => redateBackupInfo(fixture.backupInfo, 1.5)).toThrow(/shiftSeconds must be an integer/);
    expect(() => redateBackupInfo(fixture.backupInfo.replace(/^backrest-checksum=.*$/m, ''), 10)).toThrow(/no backrest-checksum/);
  });
});

