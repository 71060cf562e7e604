import { createServer } from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3RepositoryStore } from '../../../lambdas/adapters/repository/s3';
import { createRepositoryStore } from '../../../lambdas/adapters/repository';
import { freePort } from '../../support/pg-cluster';
import { S3Server } from '../../support/s3-server';

const BUCKET = 'chronos-backups-test';

/** A stand-in client whose `send` answers from a script (for S3 behaviours s3rver cannot produce). */
function scriptedClient(answer: (input: Record<string, unknown>, call: number) => unknown): S3Client {
  let call = 0;
  return { send: async (cmd: { input: Record<string, unknown> }) => answer(cmd.input, call++) } as unknown as S3Client;
}

function s3Error(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} from S3`), { name, $metadata: { httpStatusCode: status }, ...extra });
}

describe('S3RepositoryStore against s3rver', () => {
  let s3: S3Server;
  let client: S3Client;
  beforeAll(async () => {
    s3 = await S3Server.start([BUCKET]);
    client = s3.client();
    const keys = ['a.info', 'b.info', 'c.info', 'd.info', 'e.info', 'f.info', 'g.info', 'dir1/x', 'dir2/y', 'dir3/z'];
    for (const k of keys) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `var/lib/pgbackrest/archive/chronos/${k}`, Body: `body of ${k}` }));
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  const store = (pageSize?: number) => new S3RepositoryStore(client, { bucket: BUCKET, path: '/var/lib/pgbackrest', pageSize });

  it('strips the leading "/" of the repository path to form the key prefix', () => {
    expect(store().describe()).toBe(`s3://${BUCKET}/var/lib/pgbackrest/`);
  });

  it('follows every page of a listing (10 entries, 3 per page) and returns keys relative to the repository', async () => {
    const l = await store(3).list('archive/chronos/');
    if (!l.ok) throw new Error(l.reason);
    expect(l.value.objects.map((o) => o.key)).toEqual(['a.info', 'b.info', 'c.info', 'd.info', 'e.info', 'f.info', 'g.info'].map((k) => `archive/chronos/${k}`));
    expect(l.value.prefixes).toEqual(['archive/chronos/dir1/', 'archive/chronos/dir2/', 'archive/chronos/dir3/']);
    expect(l.value.requests).toBeGreaterThanOrEqual(3);
    expect(l.value.objects[0]).toMatchObject({ size: 'body of a.info'.length, storageClass: 'STANDARD' });
  });

  it('reads and heads an object, and reports a missing key as not-found', async () => {
    const r = await store().read('archive/chronos/b.info');
    expect(r.ok && r.value.toString()).toBe('body of b.info');
    const h = await store().head('archive/chronos/b.info');
    expect(h.ok && h.value).toMatchObject({ key: 'archive/chronos/b.info', size: 14, storageClass: 'STANDARD' });
    expect(await store().read('archive/chronos/missing')).toEqual({ ok: false, kind: 'not-found', reason: `s3://${BUCKET}/var/lib/pgbackrest/archive/chronos/missing not found` });
    expect((await store().head('archive/chronos/missing')).ok).toBe(false);
  });

  it('reports a missing bucket as not-found naming the bucket', async () => {
    const r = await new S3RepositoryStore(client, { bucket: 'no-such-bucket', path: '/x' }).read('backup.info');
    expect(r).toMatchObject({ ok: false, kind: 'not-found', reason: expect.stringContaining('NoSuchBucket') });
  });

  it('builds a store from the repository config with a given client', async () => {
    const st = createRepositoryStore({ type: 's3', bucket: BUCKET, path: '/var/lib/pgbackrest' }, client);
    expect((await st.read('archive/chronos/a.info')).ok).toBe(true);
  });

  it('reports a closed endpoint as unreachable', async () => {
    const port = await freePort();
    const dead = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'ca-central-1', forcePathStyle: true, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    const r = await new S3RepositoryStore(dead, { bucket: BUCKET, path: '/p' }).list('backup/');
    dead.destroy();
    expect(r).toMatchObject({ ok: false, kind: 'unreachable', reason: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('S3RepositoryStore on S3 behaviour s3rver cannot produce', () => {
  it('stops with invalid, never loops, when a page repeats its continuation token', async () => {
    const client = scriptedClient(() => ({ Contents: [], IsTruncated: true, NextContinuationToken: 'same' }));
    const r = await new S3RepositoryStore(client, { bucket: 'b', path: '/r' }).list('archive/');
    expect(r).toEqual({ ok: false, kind: 'invalid', reason: 'listing s3://b/r/archive/ is inconsistent: page 2 repeats a continuation token; stopped' });
  });

  it('stops with invalid when keys go backwards between pages', async () => {
    const pages = [
      { Contents: [{ Key: 'r/archive/b' }], IsTruncated: true, NextContinuationToken: 't1' },
      { Contents: [{ Key: 'r/archive/a' }], IsTruncated: false },
    ];
    const r = await new S3RepositoryStore(scriptedClient((_, i) => pages[i]), { bucket: 'b', path: '/r' }).list('archive/');
    expect(r).toMatchObject({ ok: false, kind: 'invalid', reason: expect.stringContaining('key r/archive/a came after r/archive/b') });
  });

  it('stops with invalid when a truncated page has no continuation token', async () => {
    const r = await new S3RepositoryStore(scriptedClient(() => ({ IsTruncated: true })), { bucket: 'b', path: 'r' }).list('');
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('sends the continuation token of each page and passes the abort signal', async () => {
    const seen: unknown[] = [];
    const client = {
      send: async (cmd: { input: Record<string, unknown> }, opts: { abortSignal?: AbortSignal }) => {
        seen.push([cmd.input.ContinuationToken, cmd.input.Delimiter, opts.abortSignal instanceof AbortSignal]);
        return seen.length === 1 ? { Contents: [{ Key: 'r/x', StorageClass: 'GLACIER' }], IsTruncated: true, NextContinuationToken: 'n1' } : { Contents: [{ Key: 'r/y' }], IsTruncated: false };
      },
    } as unknown as S3Client;
    const r = await new S3RepositoryStore(client, { bucket: 'b', path: '/r' }).list('', new AbortController().signal);
    expect(seen).toEqual([
      [undefined, '/', true],
      ['n1', '/', true],
    ]);
    expect(r.ok && r.value.objects.map((o) => [o.key, o.storageClass])).toEqual([
      ['x', 'GLACIER'],
      ['y', undefined],
    ]);
  });

  it('explains that an object in Deep Archive cannot be read until restored', async () => {
    const client = scriptedClient(() => {
      throw s3Error('InvalidObjectState', 403, { StorageClass: 'DEEP_ARCHIVE' });
    });
    const r = await new S3RepositoryStore(client, { bucket: 'b', path: '/r' }).read('archive/x');
    expect(r).toEqual({ ok: false, kind: 'denied', reason: 's3://b/r/archive/x is archived in DEEP_ARCHIVE (InvalidObjectState) and cannot be read until restored' });
  });

  it('maps AccessDenied to denied and bad credentials to auth', async () => {
    const denied = await new S3RepositoryStore(scriptedClient(() => { throw s3Error('AccessDenied', 403); }), { bucket: 'b', path: '/r' }).read('k');
    expect(denied).toMatchObject({ ok: false, kind: 'denied', reason: expect.stringContaining('s3:GetObject') });
    const auth = await new S3RepositoryStore(scriptedClient(() => { throw s3Error('InvalidAccessKeyId', 403); }), { bucket: 'b', path: '/r' }).read('k');
    expect(auth).toMatchObject({ ok: false, kind: 'auth' });
  });

  it('summarises malformed XML from an S3-compatible endpoint in one bounded line', async () => {
    const http = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0"?><ListBucketResult><Name>b</Name><Contents><Key>x</Key>');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    const port = (http.address() as { port: number }).port;
    const client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'ca-central-1', forcePathStyle: true, credentials: { accessKeyId: 'k', secretAccessKey: 's' }, maxAttempts: 1 });
    try {
      const r = await new S3RepositoryStore(client, { bucket: 'b', path: '/r' }).list('archive');
      expect(r).toMatchObject({ ok: false, kind: 'error' });
      if (r.ok) return;
      expect(r.reason).toMatch(/^listing s3:\/\/b\/r\/archive\/: Error \(HTTP 200\): .*XML parse error/);
      expect(r.reason).not.toContain('\n');
      expect(r.reason).not.toContain('$response');
      expect(r.reason).toBe(r.reason.trim());
      expect(r.reason.length).toBeLessThanOrEqual(300);
    } finally {
      client.destroy();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('calls an empty HTTP 404 on GET or LIST an unexpected answer (not S3), not "not found"; on HEAD it is a missing key', async () => {
    const http = createServer((_, res) => {
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    const port = (http.address() as { port: number }).port;
    const client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'ca-central-1', forcePathStyle: true, credentials: { accessKeyId: 'k', secretAccessKey: 's' }, maxAttempts: 1 });
    const store = new S3RepositoryStore(client, { bucket: 'b', path: '/r' });
    try {
      expect(await store.read('backup/chronos/backup.info')).toEqual({
        ok: false,
        kind: 'error',
        reason: 's3://b/r/backup/chronos/backup.info: HTTP 404 without an S3 error code (NotFound); is the endpoint an S3 API?',
      });
      expect(await store.list('archive')).toMatchObject({ ok: false, kind: 'error', reason: expect.stringContaining('is the endpoint an S3 API?') });
      expect(await store.head('backup/chronos/20261203-110002F/backup.manifest')).toMatchObject({ ok: false, kind: 'not-found' });
    } finally {
      client.destroy();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('keeps only the first line, trimmed and bounded, of a multi-line SDK message', async () => {
    const message = `  Deserialization error: ${'x'.repeat(400)}  \nto see the raw response, inspect the hidden field {error}.$response on this object.`;
    const client = scriptedClient(() => {
      throw Object.assign(new Error(message), { name: 'Error' });
    });
    const r = await new S3RepositoryStore(client, { bucket: 'b', path: '/r' }).read('k');
    expect(r).toMatchObject({ ok: false, kind: 'error' });
    if (r.ok) return;
    expect(r.reason).toMatch(/^s3:\/\/b\/r\/k: Error: Deserialization error: x+\.\.\.$/);
    expect(r.reason).not.toContain('$response');
    expect(r.reason.length).toBeLessThanOrEqual(300);
  });

  it('reports an aborted request as timeout', async () => {
    const ac = new AbortController();
    ac.abort();
    const client = scriptedClient(() => {
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    });
    expect(await new S3RepositoryStore(client, { bucket: 'b', path: '/r' }).read('k', ac.signal)).toMatchObject({ ok: false, kind: 'timeout' });
  });
});
