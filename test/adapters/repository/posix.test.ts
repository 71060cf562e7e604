import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { createRepositoryStore } from '../../../lambdas/adapters/repository';

describe('PosixRepositoryStore', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'chronos-posix-'));
    mkdirSync(join(root, 'backup/chronos/20261203-123431F'), { recursive: true });
    writeFileSync(join(root, 'backup/chronos/backup.info'), 'info');
    writeFileSync(join(root, 'backup/chronos/backup.info.copy'), 'info');
    symlinkSync('20261203-123431F', join(root, 'backup/chronos/latest'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const store = () => new PosixRepositoryStore(root);

  it('lists files and folders of one level, skipping the `latest` symlink S3 repositories do not have', async () => {
    const l = await store().list('backup/chronos/');
    if (!l.ok) throw new Error(l.reason);
    expect(l.value.objects.map((o) => o.key)).toEqual(['backup/chronos/backup.info', 'backup/chronos/backup.info.copy']);
    expect(l.value.prefixes).toEqual(['backup/chronos/20261203-123431F/']);
    expect(l.value.objects[0].size).toBe(4);
    expect(l.value.objects[0].lastModified.getTime()).toBeGreaterThan(0);
  });

  it('lists a missing folder as empty, as an S3 prefix would', async () => {
    expect(await store().list('archive/chronos/')).toEqual({ ok: true, value: { objects: [], prefixes: [], requests: 1 } });
  });

  it('reads and heads a file; a missing file is not-found naming the path', async () => {
    const r = await store().read('backup/chronos/backup.info');
    expect(r.ok && r.value.toString()).toBe('info');
    expect((await store().head('backup/chronos/backup.info')).ok).toBe(true);
    expect(await store().read('backup/chronos/nope')).toEqual({ ok: false, kind: 'not-found', reason: `${join(root, 'backup/chronos/nope')} does not exist` });
  });

  it('refuses keys that escape the repository', async () => {
    expect(await store().read('../../etc/passwd')).toMatchObject({ ok: false, kind: 'invalid', reason: expect.stringContaining('outside the repository') });
  });

  it('reports a folder read as a file as invalid', async () => {
    expect(await store().read('backup/chronos')).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('is what createRepositoryStore builds for a posix repository', () => {
    expect(createRepositoryStore({ type: 'posix', path: root }).describe()).toBe(root);
  });
});
