import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBucketSource } from '../../../lambdas/adapters/bucket';
import { startS3, type S3StandIn } from '../../../demo/sandbox/s3';
import { requireLegacyOpenSsl } from '../../support/s3-server';

describe('demo S3 stand-in (s3rver behind a bucket-settings front)', () => {
  let s3: S3StandIn;
  let client: S3Client;
  let dir: string;

  beforeAll(async () => {
    requireLegacyOpenSsl();
    dir = mkdtempSync(join(tmpdir(), 'chronos-demo-s3-test-'));
    mkdirSync(join(dir, 'backup', 'st'), { recursive: true });
    writeFileSync(join(dir, 'backup', 'st', 'backup.info'), 'original');
    for (let i = 0; i < 7; i++) writeFileSync(join(dir, 'backup', 'st', `f${i}`), `file ${i}`);
    s3 = await startS3({
      bucket: 'demo-bucket',
      prefix: 'var/lib/pgbackrest/',
      fixtureDir: dir,
      transform: (key, body) => (key.endsWith('backup.info') ? Buffer.from('rewritten') : body),
      settings: { versioning: 'Enabled', encryption: { algorithm: 'AES256', bucketKey: true }, publicAccessBlock: true, lifecycleRulesXml: ['<Rule><ID>r1</ID><Filter><Prefix>var/</Prefix></Filter><Status>Enabled</Status><Transition><Days>31</Days><StorageClass>GLACIER_IR</StorageClass></Transition></Rule>'] },
    });
    client = new S3Client({ endpoint: s3.url, region: 'ca-central-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads every fixture file under the prefix, transformed where asked, through the signed proxy', async () => {
    expect(s3.objects).toBe(8);
    const body = await client.send(new GetObjectCommand({ Bucket: 'demo-bucket', Key: 'var/lib/pgbackrest/backup/st/backup.info' }));
    expect(await body.Body?.transformToString()).toBe('rewritten');
  });

  it('passes paginated listings through to s3rver', async () => {
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: 'demo-bucket', Prefix: 'var/lib/pgbackrest/backup/st/', MaxKeys: 3, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(keys).toHaveLength(8);
  });

  it('answers the four bucket-settings reads that s3rver lacks, as the monitor reads them', async () => {
    const bucket = createBucketSource(client, 'demo-bucket');
    expect(await bucket.versioning()).toEqual({ ok: true, value: 'Enabled' });
    expect(await bucket.encryption()).toEqual({ ok: true, value: { algorithm: 'AES256', bucketKey: true } });
    expect(await bucket.publicAccessBlock()).toEqual({ ok: true, value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true } });
    expect(await bucket.lifecycle()).toMatchObject({ ok: true, value: [{ id: 'r1', enabled: true, prefix: 'var/', transitions: [{ days: 31, storageClass: 'GLACIER_IR' }] }] });
  });

  it('answers "not configured" the way S3 does, which the monitor reads as absent settings', async () => {
    Object.assign(s3.settings, { versioning: null, encryption: null, publicAccessBlock: null, lifecycleRulesXml: null });
    const bucket = createBucketSource(client, 'demo-bucket');
    expect(await bucket.versioning()).toEqual({ ok: true, value: 'Disabled' });
    expect(await bucket.encryption()).toEqual({ ok: true, value: null });
    expect(await bucket.publicAccessBlock()).toEqual({ ok: true, value: null });
    expect(await bucket.lifecycle()).toEqual({ ok: true, value: null });
  });
});
