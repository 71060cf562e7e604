import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../../lambdas/adapters/repository/posix';
import { S3RepositoryStore } from '../../lambdas/adapters/repository/s3';
import { walContinuityCheck } from '../../lambdas/checks/backups/wal-continuity';
import { MemoryStateStore } from '../../lambdas/core/state';
import { listWalDir } from '../../lambdas/pgbackrest/archive-scan';
import { segmentName, segmentPos } from '../../lambdas/pgbackrest/wal';
import { PgBackRestFixture } from '../support/pgbackrest';
import { archiveDir, deleteSegments, recoveryContext, runCheck } from '../support/pgbackrest-scenarios';
import { S3Server } from '../support/s3-server';

const MiB = 1 << 20;

/**
 * A real 1 MiB-segment repository (initdb --wal-segsize=1) copied aside, then extended with synthesized
 * contiguous segment objects (real names, a real segment's bytes) after the newest real one up to `lastSegno`.
 */
function extendedCopy(repoPath: string, lastSegno: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'chronos-walscan-'));
  // Backup data files are not read by the WAL checks; leaving them out keeps the upload small.
  cpSync(repoPath, dir, { recursive: true, filter: (src) => !src.includes('/pg_data') });
  const arch = archiveDir(dir);
  const first = readdirSync(join(arch, '0000000100000000')).filter((n) => /^[0-9A-F]{24}-/.test(n)).sort();
  const newest = first[first.length - 1];
  const body = readFileSync(join(arch, '0000000100000000', newest));
  const from = segmentPos(newest.slice(0, 24), MiB)!.segno + 1;
  for (let s = from; s <= lastSegno; s++) {
    const name = segmentName(1, s, MiB);
    const folder = join(arch, name.slice(0, 16));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}-${'ab'.repeat(20)}.gz`), body);
  }
  return dir;
}

describe('WAL archive listing at scale (1 MiB segments: 4096 per folder)', () => {
  let f: PgBackRestFixture;
  const scratch: string[] = [];

  beforeAll(async () => {
    f = await PgBackRestFixture.create({ initdbArgs: ['--wal-segsize=1'], pgConf: ['archive_timeout = 0'] });
    f.backup('full');
    f.switchWal(2);
  });
  afterAll(() => {
    f?.destroy();
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
  });

  it('follows S3 pagination over 1,100 keys in one folder served by s3rver (a real repository uploaded plus synthesized contiguous segment names)', async () => {
    const repo = extendedCopy(f.repo.path, 1099);
    scratch.push(repo);
    const s3 = await S3Server.start(['chronos-backups-test']);
    const client = s3.client();
    try {
      await s3.uploadDir(repo, 'chronos-backups-test', 'var/lib/pgbackrest/');
      const store = new S3RepositoryStore(client, { bucket: 'chronos-backups-test', path: '/var/lib/pgbackrest' });
      const listed = await listWalDir(store, 'archive/chronos/15-1/', '0000000100000000', 4096);
      if (!listed.ok) throw new Error(listed.reason);
      expect(listed.value.contents.segments.size).toBeGreaterThanOrEqual(1090);
      expect(listed.value.requests).toBe(2);
      const out = await runCheck(walContinuityCheck, recoveryContext(f, { repository: store }));
      expect(out.status).toBe('ok');
      expect(out.summary).toMatch(/^WAL continuous from 00000001000000000000000\d\.\.00000001000000000000044B /);
      expect(out.details).toMatchObject({ requests: 3, listedFolders: 1 });
    } finally {
      client.destroy();
      await s3.stop();
    }
  });

  it('lists only new folders in steady state, and finds a hole punched into a verified folder at the next full re-verification (24 h)', async () => {
    const repo = extendedCopy(f.repo.path, 4096 + 20);
    scratch.push(repo);
    const state = new MemoryStateStore();
    const run = (hoursLater = 0) =>
      runCheck(walContinuityCheck, recoveryContext(f, { repository: new PosixRepositoryStore(repo), state, now: new Date(Date.now() + hoursLater * 3600_000) }));
    const first = await run();
    expect(first.status).toBe('ok');
    expect(first.details).toMatchObject({ listedFolders: 2, cachedFolders: 0, requests: 3, fullVerification: true });
    const steady = await run(0.25);
    expect(steady.details).toMatchObject({ listedFolders: 1, cachedFolders: 1, requests: 2, fullVerification: false });
    deleteSegments(repo, ['000000010000000000000800']);
    expect((await run(0.5)).status).toBe('ok'); // the trade-off: unseen until the next full verification
    const reverified = await run(25);
    expect(reverified.status).toBe('fail');
    expect(reverified.summary).toContain('WAL hole 000000010000000000000800 (1 segment)');
  });
});
