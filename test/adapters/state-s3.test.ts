import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3StateStore, stateObjectKey } from '../../lambdas/adapters/state-s3';
import { S3Server } from '../support/s3-server';

describe('S3StateStore (against s3rver on 127.0.0.1)', () => {
  let server: S3Server;
  let client: S3Client;
  beforeAll(async () => {
    server = await S3Server.start(['chronos-monitor-state'], { requirePagination: false });
    client = server.client();
  });
  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  it('answers undefined for a key never written', async () => {
    const store = new S3StateStore(client, { bucket: 'chronos-monitor-state', prefix: 'state/backups' });
    expect(await store.get('alerts')).toBeUndefined();
  });

  it('round-trips JSON under the function\'s own prefix, one object per key', async () => {
    const store = new S3StateStore(client, { bucket: 'chronos-monitor-state', prefix: 'state/database' });
    await store.put('alerts', { checks: { 'db.login': { open: true, status: 'fail' } } });
    await store.put('wal/last seen', { lsn: '0/3000050' });
    expect(await store.get('alerts')).toEqual({ checks: { 'db.login': { open: true, status: 'fail' } } });
    expect(await store.get('wal/last seen')).toEqual({ lsn: '0/3000050' });
    const raw = await client.send(new GetObjectCommand({ Bucket: 'chronos-monitor-state', Key: stateObjectKey('state/database', 'wal/last seen') }));
    expect(stateObjectKey('state/database', 'wal/last seen')).toBe('state/database/wal%2Flast%20seen.json');
    expect(await raw.Body!.transformToString()).toBe('{"lsn":"0/3000050"}');
  });

  it('keeps functions apart: one prefix does not see the other\'s state', async () => {
    const a = new S3StateStore(client, { bucket: 'chronos-monitor-state', prefix: 'state/instance' });
    const b = new S3StateStore(client, { bucket: 'chronos-monitor-state', prefix: 'state/backups' });
    await a.put('alerts', { checks: { x: 1 } });
    expect(await b.get('alerts')).toBeUndefined();
  });

  it('throws (instead of forgetting) when the bucket does not exist', async () => {
    const store = new S3StateStore(client, { bucket: 'no-such-state-bucket', prefix: 'state/backups' });
    await expect(store.get('alerts')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('reads a corrupt object as empty state with a loud warning, so alerts keep flowing, and heals on the next put', async () => {
    const key = stateObjectKey('state/backups', 'alerts');
    await client.send(new PutObjectCommand({ Bucket: 'chronos-monitor-state', Key: key, Body: '{"checks": {"backup.rpo": {"open": tr' }));
    const warnings: string[] = [];
    const store = new S3StateStore(client, { bucket: 'chronos-monitor-state', prefix: 'state/backups' }, { onWarning: (m) => warnings.push(m) });
    expect(await store.get('alerts')).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^chronos-monitor: state object s3:\/\/chronos-monitor-state\/state\/backups\/alerts\.json is not valid JSON \(.+\); read as empty state, it will be overwritten$/)]);
    await store.put('alerts', { checks: {} });
    expect(await store.get('alerts')).toEqual({ checks: {} });
    expect(warnings).toHaveLength(1);
  });

  it('logs the corrupt object to the Lambda log (console.error) when no warning hook is given', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'chronos-monitor-state', Key: stateObjectKey('state/database', 'alerts'), Body: 'garbage' }));
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await new S3StateStore(client, { bucket: 'chronos-monitor-state', prefix: 'state/database' }).get('alerts')).toBeUndefined();
      expect(spy).toHaveBeenCalledWith(expect.stringContaining('state/database/alerts.json is not valid JSON'));
    } finally {
      spy.mockRestore();
    }
  });
});
