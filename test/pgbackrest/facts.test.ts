import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../../lambdas/adapters/repository/posix';
import type { RepositoryStore } from '../../lambdas/core/ports';
import { repoFacts } from '../../lambdas/pgbackrest/facts';
import { backupContext, RepoCopies, PgBackRestFixture } from '../support/pgbackrest';

describe('repoFacts on repositories written by pgBackRest 2.45', () => {
  let f: PgBackRestFixture;
  let systemId: string;
  const copies = new RepoCopies();
  const plain = () => f.repos[0];
  const enc = () => f.repos[1];

  /** A private copy of a repository that a test may damage. */
  const copyOf = (path: string): string => copies.copy(path);

  beforeAll(async () => {
    f = await PgBackRestFixture.create({ repos: [{}, { encrypted: true }] });
    f.backup('full', { repo: 1 });
    f.backup('full', { repo: 2 });
    f.switchWal(1);
    f.backup('diff', { repo: 1 });
    systemId = /"system-id":(\d+)/.exec(f.pgbackrest(['info', '--output=json']))![1];
  });
  afterAll(() => {
    f?.destroy();
    copies.removeAll();
  });

  it('reads a plaintext backup.info: one full and one diff with epoch stop times and the exact system id', async () => {
    const info = await repoFacts(backupContext({ repository: new PosixRepositoryStore(plain().path) })).backupInfo();
    if (!info.ok) throw new Error(info.reason);
    expect(info.value).toMatchObject({ source: 'backup/chronos/backup.info', encrypted: false, systemId, dbVersion: '15', format: 5 });
    expect(info.value.backups.map((b) => b.type)).toEqual(['full', 'diff']);
    const [full, diff] = info.value.backups;
    expect(diff.prior).toBe(full.label);
    expect(full.timestampStop).toBeGreaterThanOrEqual(full.timestampStart);
    expect(Math.abs(full.timestampStop - Date.now() / 1000)).toBeLessThan(600);
    expect(full.archiveStart).toMatch(/^[0-9A-F]{24}$/);
  });

  it('decrypts an encrypted repository with the configured pass and keeps the sub-passes', async () => {
    const facts = repoFacts(backupContext({ repository: new PosixRepositoryStore(enc().path), cipherPass: enc().cipherPass }));
    const [b, a] = await Promise.all([facts.backupInfo(), facts.archiveInfo()]);
    if (!b.ok || !a.ok) throw new Error('unreadable');
    expect(b.value).toMatchObject({ encrypted: true, systemId, backups: [expect.objectContaining({ type: 'full' })] });
    expect(b.value.cipherPass).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(a.value).toMatchObject({ encrypted: true, systemId, archiveId: '15-1' });
    expect(a.value.cipherPass).toMatch(/^[A-Za-z0-9+/]{64}$/);
  });

  it('says the pass is missing, not "no backups", when the repository is encrypted and no pass is configured', async () => {
    const info = await repoFacts(backupContext({ repository: new PosixRepositoryStore(enc().path) })).backupInfo();
    expect(info).toEqual({ ok: false, kind: 'config', reason: 'repository is encrypted but backups.cipherPass is not configured' });
  });

  it('says the pass is wrong when it does not decrypt backup.info (and does not echo it)', async () => {
    const info = await repoFacts(backupContext({ repository: new PosixRepositoryStore(enc().path), cipherPass: 'definitely-the-wrong-pass' })).backupInfo();
    expect(info).toEqual({ ok: false, kind: 'auth', reason: 'cipher pass does not decrypt backup.info (wrong pass?)' });
  });

  it('reads a plaintext repository even when a pass is configured, and notes it', async () => {
    const info = await repoFacts(backupContext({ repository: new PosixRepositoryStore(plain().path), cipherPass: 'unused-pass' })).archiveInfo();
    expect(info.ok && info.value.passUnused).toBe(true);
  });

  it('falls back to backup.info.copy when backup.info fails its checksum', async () => {
    const dir = copyOf(plain().path);
    const file = join(dir, 'backup/chronos/backup.info');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"backup-timestamp-stop":(\d+)/, (_, n) => `"backup-timestamp-stop":${Number(n) + 1}`));
    const info = await repoFacts(backupContext({ repository: new PosixRepositoryStore(dir) })).backupInfo();
    if (!info.ok) throw new Error(info.reason);
    expect(info.value.source).toBe('backup/chronos/backup.info.copy');
    expect(info.value.mainProblem).toMatch(/^backup\/chronos\/backup.info in .* fails its checksum \(stored [0-9a-f]{40}, computed [0-9a-f]{40}\)/);
  });

  it('falls back to the .copy when an encrypted backup.info is truncated', async () => {
    const dir = copyOf(enc().path);
    truncateSync(join(dir, 'backup/chronos/backup.info'), 100);
    const info = await repoFacts(backupContext({ repository: new PosixRepositoryStore(dir), cipherPass: enc().cipherPass })).backupInfo();
    expect(info.ok && info.value.source).toBe('backup/chronos/backup.info.copy');
  });

  it('reports damage on both copies as invalid, naming the file', async () => {
    const dir = copyOf(plain().path);
    for (const n of ['archive.info', 'archive.info.copy']) writeFileSync(join(dir, 'archive/chronos', n), readFileSync(join(dir, 'archive/chronos', n), 'utf8').replace('db-version="15"', 'db-version="16"'));
    const info = await repoFacts(backupContext({ repository: new PosixRepositoryStore(dir) })).archiveInfo();
    expect(info.ok).toBe(false);
    expect(!info.ok && info.kind).toBe('invalid');
    expect(!info.ok && info.reason).toMatch(/archive\/chronos\/archive.info in .* fails its checksum.*; the .copy: archive\/chronos\/archive.info.copy in .* fails its checksum/);
  });

  it('reports a stanza without info files as not-found, suggesting the stanza or path is wrong', async () => {
    const info = await repoFacts(backupContext({ repository: new PosixRepositoryStore(plain().path), stanza: 'other' })).backupInfo();
    expect(info).toMatchObject({ ok: false, kind: 'not-found', reason: expect.stringMatching(/backup\/other\/backup.info and its .copy not found .*wrong stanza/) });
  });

  it('decrypts archive files with archive.info\'s sub-pass (a .backup history file)', async () => {
    const ctx = backupContext({ repository: new PosixRepositoryStore(enc().path), cipherPass: enc().cipherPass });
    const facts = repoFacts(ctx);
    const dir = `${facts.repoPrefixes().archive}15-1/0000000100000000/`;
    const name = readdirSync(join(enc().path, dir)).find((n) => n.endsWith('.backup'))!;
    const file = await facts.readArchiveFile(dir + name);
    expect(file.ok && file.value.toString('utf8')).toMatch(/^START WAL LOCATION: /);
  });

  it('reads each info file once per run however many checks ask', async () => {
    const inner = new PosixRepositoryStore(plain().path);
    const reads: string[] = [];
    const counting: RepositoryStore = { describe: () => inner.describe(), list: (p) => inner.list(p), head: (k) => inner.head(k), read: (k) => (reads.push(k), inner.read(k)) };
    const ctx = backupContext({ repository: counting });
    await Promise.all([repoFacts(ctx).backupInfo(), repoFacts({ ...ctx, now: new Date() }).backupInfo(), repoFacts(ctx).archiveInfo()]);
    expect(reads.sort()).toEqual(['archive/chronos/archive.info', 'backup/chronos/backup.info']);
  });
});
