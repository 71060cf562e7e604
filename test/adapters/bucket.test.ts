import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createBucketSource } from '../../lambdas/adapters/bucket';

const s3 = mockClient(S3Client);
const source = () => createBucketSource(new S3Client({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }), 'chronos-backups-example');
const s3Error = (name: string, status: number, message = name) => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });

beforeEach(() => s3.reset());
afterAll(() => s3.restore());

describe('createBucketSource', () => {
  it('reads versioning, and calls a bucket that never had it Disabled', async () => {
    s3.on(GetBucketVersioningCommand).resolvesOnce({ Status: 'Suspended' }).resolvesOnce({});
    expect(await source().versioning()).toEqual({ ok: true, value: 'Suspended' });
    expect(await source().versioning()).toEqual({ ok: true, value: 'Disabled' });
  });

  it('reads default encryption with its bucket key', async () => {
    s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }] },
    });
    expect(await source().encryption()).toEqual({ ok: true, value: { algorithm: 'AES256', bucketKey: true } });
  });

  it('reports absent configurations as null, not as failures', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(s3Error('ServerSideEncryptionConfigurationNotFoundError', 404));
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration', 404));
    s3.on(GetBucketLifecycleConfigurationCommand).rejects(s3Error('NoSuchLifecycleConfiguration', 404));
    const b = source();
    expect(await b.encryption()).toEqual({ ok: true, value: null });
    expect(await b.publicAccessBlock()).toEqual({ ok: true, value: null });
    expect(await b.lifecycle()).toEqual({ ok: true, value: null });
  });

  it.each([
    ['versioning', GetBucketVersioningCommand, 's3:GetBucketVersioning'],
    ['encryption', GetBucketEncryptionCommand, 's3:GetEncryptionConfiguration'],
    ['publicAccessBlock', GetPublicAccessBlockCommand, 's3:GetBucketPublicAccessBlock'],
    ['lifecycle', GetBucketLifecycleConfigurationCommand, 's3:GetLifecycleConfiguration'],
  ] as const)('reports a denied %s read naming the IAM action %s', async (method, command, action) => {
    s3.on(command as never).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    const r = await source()[method]();
    expect(r).toEqual({ ok: false, kind: 'denied', reason: `${action} denied on bucket chronos-backups-example (AccessDenied: Access Denied)` });
  });

  it('reads the four public access block flags', async () => {
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true },
    });
    expect(await source().publicAccessBlock()).toEqual({
      ok: true,
      value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true },
    });
  });

  it('normalises lifecycle rules from Filter.Prefix, Filter.And and the legacy Prefix', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({
      Rules: [
        {
          ID: 'tiering',
          Status: 'Enabled',
          Filter: { Prefix: 'var/lib/pgbackrest/' },
          Transitions: [
            { Days: 31, StorageClass: 'GLACIER_IR' },
            { Days: 181, StorageClass: 'DEEP_ARCHIVE' },
          ],
          Expiration: { Days: 365 },
          NoncurrentVersionTransitions: [{ NoncurrentDays: 31, StorageClass: 'GLACIER_IR' }],
          NoncurrentVersionExpiration: { NoncurrentDays: 365 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
        { ID: 'tagged', Status: 'Disabled', Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'tier', Value: 'cold' }], ObjectSizeGreaterThan: 131072 } } },
        { Status: 'Enabled', Prefix: 'old/', Expiration: { Days: 1 } },
      ],
    });
    const r = await source().lifecycle();
    expect(r).toEqual({
      ok: true,
      value: [
        {
          id: 'tiering',
          enabled: true,
          prefix: 'var/lib/pgbackrest/',
          transitions: [
            { days: 31, storageClass: 'GLACIER_IR' },
            { days: 181, storageClass: 'DEEP_ARCHIVE' },
          ],
          expirationDays: 365,
          noncurrentTransitions: [{ days: 31, storageClass: 'GLACIER_IR' }],
          noncurrentExpirationDays: 365,
          abortIncompleteMultipartDays: 7,
        },
        {
          id: 'tagged',
          enabled: false,
          prefix: 'logs/',
          transitions: [],
          expirationDays: undefined,
          noncurrentTransitions: [],
          noncurrentExpirationDays: undefined,
          abortIncompleteMultipartDays: undefined,
          tags: { tier: 'cold' },
          objectSizeGreaterThan: 131072,
        },
        {
          id: '(rule 3, no id)',
          enabled: true,
          prefix: 'old/',
          transitions: [],
          expirationDays: 1,
          noncurrentTransitions: [],
          noncurrentExpirationDays: undefined,
          abortIncompleteMultipartDays: undefined,
        },
      ],
    });
  });

  it('reads each setting once per source', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    const b = source();
    await Promise.all([b.versioning(), b.versioning()]);
    expect(s3.commandCalls(GetBucketVersioningCommand)).toHaveLength(1);
  });
});
