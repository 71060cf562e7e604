import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DIR, loadFixture, lsnIn, segmentAfter, segmentSizeBytes } from '../../demo/fixture';
import { parseArchiveInfo, parseBackupInfo } from '../../lambdas/pgbackrest/info';
import { requireTool } from '../support/pg-cluster';

function totalBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .reduce((n, d) => n + statSync(join(d.parentPath, d.name)).size, 0);
}

describe('the demo fixture (a repository real pgBackRest wrote)', () => {
  const fixture = loadFixture();

  it('is small enough to commit (under 3 MB)', () => {
    expect(totalBytes(FIXTURE_DIR)).toBeLessThan(3_000_000);
  });

  it('holds a full and a diff backup, archive.info of the same system, and a WAL run ending at the segment PostgreSQL last archived', () => {
    const backup = parseBackupInfo(fixture.backupInfo);
    expect(backup.backups.map((b) => b.type)).toEqual(['full', 'diff']);
    const archive = parseArchiveInfo(readFileSync(join(fixture.repoDir, 'archive', fixture.meta.stanza, 'archive.info'), 'utf8'));
    expect(archive.systemId).toBe(backup.systemId);
    expect(archive.systemId).toBe(fixture.meta.archiver.systemIdentifier);
    expect(fixture.segments[fixture.segments.length - 1]).toBe(fixture.meta.archiver.lastArchivedWal);
    expect(fixture.segments.length).toBeGreaterThanOrEqual(3);
  });

  it('passes pgbackrest verify (every file pgBackRest lists is present with its checksum)', () => {
    requireTool('/usr/bin/pgbackrest', 'pgBackRest is needed (apt-get install pgbackrest)');
    const r = spawnSync('/usr/bin/pgbackrest', [`--stanza=${fixture.meta.stanza}`, `--repo1-path=${fixture.repoDir}`, '--log-level-file=off', '--log-level-console=warn', 'verify'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('names the segments that follow one, across a log-file boundary', () => {
    expect(segmentAfter('00000001000000000000000B', 1)).toBe('00000001000000000000000C');
    expect(segmentAfter('0000000100000000000000FF', 1)).toBe('000000010000000100000000');
    expect(segmentAfter('00000001000000000000003F', 1, 64 * 1024 * 1024)).toBe('000000010000000100000000');
  });

  it('gives the LSN at an offset inside a segment', () => {
    expect(lsnIn('00000001000000000000000C', 0)).toBe('0/C000000');
    expect(lsnIn('000000010000000100000002', 0x2a8)).toBe('1/20002A8');
  });

  it('reads the captured WAL segment size setting, and names the field when it cannot', () => {
    expect(segmentSizeBytes(fixture.meta.archiver.walSegmentSizeBytes)).toBe(16 * 1024 * 1024);
    expect(segmentSizeBytes('1GB')).toBe(1024 ** 3);
    expect(() => segmentSizeBytes('lots')).toThrow(/archiver\.walSegmentSizeBytes is "lots"/);
  });

  it('names the script to run when the fixture is missing', () => {
    expect(() => loadFixture('/nonexistent')).toThrow(/scripts\/capture-demo-repo\.sh/);
  });
});
