import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createBucketSource } from '../../../lambdas/adapters/bucket';
import { bucketConfig } from '../../../lambdas/checks/bucket/config';
import { parseConfig } from '../../../lambdas/config/load';
import type { CheckContext } from '../../../lambdas/core/check';
import type { Deps } from '../../../lambdas/core/deps';

const s3 = mockClient(S3Client);
const base = {
  instance: { name: 'chronos-production-database' },
  database: { host: '203.0.113.10', database: 'chronos', user: 'chronos' },
  backups: { repository: { type: 's3', bucket: 'chronos-backups-example' }, stanza: 'chronos' },
};
const OPERATOR_LIFECYCLE = {
  transitions: [
    { days: 31, storageClass: 'GLACIER_IR' },
    { days: 181, storageClass: 'DEEP_ARCHIVE' },
  ],
  expirationDays: 365,
  noncurrentExpirationDays: 365,
};
const ctx = (bucket: Record<string, unknown> = { versioning: 'Enabled', encryption: 'AES256', bucketKey: true, publicAccessBlock: true }): CheckContext => ({
  config: parseConfig({ ...base, bucket }),
  deps: { bucket: createBucketSource(new S3Client({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }), 'chronos-backups-example') } as unknown as Deps,
  now: new Date('2025-12-01T12:00:00Z'),
  signal: new AbortController().signal,
});
const s3Error = (name: string, status: number, message = name) => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
const allBlocked = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

beforeEach(() => {
  s3.reset();
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }] } });
  s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: allBlocked });
  s3.on(GetBucketLifecycleConfigurationCommand).resolves({
    Rules: [
      {
        ID: 'tiering',
        Status: 'Enabled',
        Filter: { Prefix: '' },
        Transitions: [
          { Days: 181, StorageClass: 'DEEP_ARCHIVE' },
          { Days: 31, StorageClass: 'GLACIER_IR' },
        ],
        Expiration: { Days: 365 },
        NoncurrentVersionExpiration: { NoncurrentDays: 365 },
      },
    ],
  });
});
afterAll(() => s3.restore());

describe('bucket.config', () => {
  it('is ok when every setting is as configured, including the lifecycle rule', async () => {
    const out = await bucketConfig.run(ctx({ versioning: 'Enabled', encryption: 'AES256', bucketKey: true, publicAccessBlock: true, lifecycle: OPERATOR_LIFECYCLE }));
    expect(out.status).toBe('ok');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: versioning Enabled, encryption AES256, bucket key enabled, public access block all four flags true, lifecycle rule "tiering" (all 5 as configured)',
    );
    expect(out.metrics).toEqual([{ name: 'BucketConfigDrift', value: 0, unit: 'Count' }]);
  });

  it('fails naming each setting that drifted, with the expected value', async () => {
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
    s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: { ...allBlocked, BlockPublicPolicy: false } });
    const out = await bucketConfig.run(ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: 2 setting(s) not as configured: versioning is Suspended (expected Enabled); public access block is blockPublicPolicy false (expected all four flags true)',
    );
    expect(out.metrics).toEqual([{ name: 'BucketConfigDrift', value: 2, unit: 'Count' }]);
    expect(out.details?.settings).toHaveLength(4);
  });

  it('fails when default encryption or the public access block is missing', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(s3Error('ServerSideEncryptionConfigurationNotFoundError', 404));
    s3.on(GetPublicAccessBlockCommand).rejects(s3Error('NoSuchPublicAccessBlockConfiguration', 404));
    const out = await bucketConfig.run(ctx({ versioning: 'Enabled', encryption: 'AES256', publicAccessBlock: true }));
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: 2 setting(s) not as configured: encryption is none (expected AES256); public access block is none configured (expected all four flags true)',
    );
  });

  it('only warns when the bucket key or the lifecycle shape differ (cost, not protection)', async () => {
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
    const out = await bucketConfig.run(ctx({ bucketKey: true, lifecycle: { ...OPERATOR_LIFECYCLE, expirationDays: 730 } }));
    expect(out.status).toBe('warn');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: 2 setting(s) not as configured: bucket key is disabled (expected enabled); ' +
        'lifecycle is "tiering" prefix "": transitions 181d→DEEP_ARCHIVE, 31d→GLACIER_IR; expiration 365; noncurrent transitions none; noncurrent expiration 365 ' +
        '(expected an enabled rule reaching the repository with transitions 181d→DEEP_ARCHIVE, 31d→GLACIER_IR; expiration 730; noncurrent transitions none; noncurrent expiration 365)',
    );
  });

  it('is unknown for a denied read, reporting the other settings, when nothing fails', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    const out = await bucketConfig.run(ctx({ versioning: 'Enabled', encryption: 'AES256', publicAccessBlock: true }));
    expect(out.status).toBe('unknown');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: unreadable: encryption (s3:GetEncryptionConfiguration denied on bucket chronos-backups-example (AccessDenied: Access Denied))',
    );
    expect(out.metrics).toEqual([]);
    expect(out.details?.settings).toEqual([
      { setting: 'versioning', expected: 'Enabled', actual: 'Enabled', state: 'ok', status: 'ok' },
      expect.objectContaining({ setting: 'encryption', state: 'unknown', status: 'unknown' }),
      { setting: 'public access block', expected: 'all four flags true', actual: 'all four flags true', state: 'ok', status: 'ok' },
    ]);
  });

  it('stays fail when one read is denied and another setting drifted', async () => {
    s3.on(GetBucketVersioningCommand).resolves({});
    s3.on(GetBucketLifecycleConfigurationCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'));
    const out = await bucketConfig.run(ctx({ lifecycle: OPERATOR_LIFECYCLE }));
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: 1 setting(s) not as configured: versioning is Disabled (expected Enabled); unreadable: lifecycle (s3:GetLifecycleConfiguration denied on bucket chronos-backups-example (AccessDenied: Access Denied))',
    );
    expect(out.metrics).toEqual([{ name: 'BucketConfigDrift', value: 1, unit: 'Count' }]);
  });

  it('does not read the public access block when it is not required', async () => {
    const out = await bucketConfig.run(ctx({ versioning: 'Enabled', encryption: 'AES256', publicAccessBlock: false }));
    expect(out.status).toBe('ok');
    expect(s3.commandCalls(GetPublicAccessBlockCommand)).toHaveLength(0);
  });

  it('is skipped for a posix repository', () => {
    const posix = parseConfig({ ...base, backups: { ...base.backups, repository: { type: 'posix', path: '/srv/pgbackrest' } } });
    expect(bucketConfig.skipReason?.(posix)).toBe('the repository is a posix directory (/srv/pgbackrest), not an S3 bucket');
  });
});
