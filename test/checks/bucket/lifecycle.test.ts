import { GetBucketLifecycleConfigurationCommand, GetBucketVersioningCommand, S3Client, S3ServiceException, type LifecycleRule } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createBucketSource } from '../../../lambdas/adapters/bucket';
import { bucketLifecycle } from '../../../lambdas/checks/bucket/lifecycle';
import { parseConfig } from '../../../lambdas/config/load';
import type { CheckContext } from '../../../lambdas/core/check';
import type { Deps } from '../../../lambdas/core/deps';

const s3 = mockClient(S3Client);
const baseConfig = {
  instance: { name: 'chronos-production-database' },
  database: { host: '203.0.113.10', database: 'chronos', user: 'chronos' },
  backups: { repository: { type: 's3', bucket: 'chronos-backups-example', path: '/var/lib/pgbackrest' }, stanza: 'chronos', retention: { full: 4, diff: 4 } },
};
const config = parseConfig(baseConfig);
const ctx = (): CheckContext => ({
  config,
  deps: { bucket: createBucketSource(new S3Client({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }), 'chronos-backups-example') } as unknown as Deps,
  now: new Date('2025-12-01T12:00:00Z'),
  signal: new AbortController().signal,
});

/** The operator's lifecycle (operator-notes.md): Standard 0-30, Glacier IR 31-180, Deep Archive 181-365, expire 365; noncurrent the same. */
const OPERATOR_RULE: LifecycleRule = {
  ID: 'chronos-backup-tiering',
  Status: 'Enabled',
  Filter: { Prefix: '' },
  Transitions: [
    { Days: 31, StorageClass: 'GLACIER_IR' },
    { Days: 181, StorageClass: 'DEEP_ARCHIVE' },
  ],
  Expiration: { Days: 365 },
  NoncurrentVersionTransitions: [
    { NoncurrentDays: 31, StorageClass: 'GLACIER_IR' },
    { NoncurrentDays: 181, StorageClass: 'DEEP_ARCHIVE' },
  ],
  NoncurrentVersionExpiration: { NoncurrentDays: 365 },
};

beforeEach(() => {
  s3.reset();
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
});
afterAll(() => s3.restore());

describe('bucket.lifecycle', () => {
  it('fails the operator lifecycle for Deep Archive at 181 days and for expiring history files at 365 days, and says what to change', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({ Rules: [OPERATOR_RULE] });
    const out = await bucketLifecycle.run(ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: 2 lifecycle risk(s) (expected 0): ' +
        'rule "chronos-backup-tiering" moves repository files to DEEP_ARCHIVE after 181 days, where they cannot be read without an S3 restore; ' +
        'rule "chronos-backup-tiering" expires timeline history files after 365 days. ' +
        'Fix: drop the DEEP_ARCHIVE transition from rule "chronos-backup-tiering" (GLACIER_IR stays instantly readable) or scope the rule to backup/chronos/backup.history/, and let pgBackRest retention (repo1-retention-full) delete old backups',
    );
    expect(out.metrics).toEqual([{ name: 'LifecycleRisks', value: 2, unit: 'Count' }]);
    const risks = out.details?.risks as { problem: string; filesAtRisk: string[]; fix: string }[];
    expect(risks[1].filesAtRisk).toEqual([
      'timeline history files archive/<stanza>/<id>/0000000N.history (kept as long as their timeline lives; every restore on timeline N needs them)',
    ]);
    expect(risks[1].fix).toContain('exclude archive/chronos/ from rule "chronos-backup-tiering"');
    expect(out.details?.horizonHours).toBe(120);
    expect(out.details?.notes).toEqual([
      'rule "chronos-backup-tiering" moves noncurrent versions to GLACIER_IR after 31 days: each is billed at least 90 days there',
      'rule "chronos-backup-tiering" moves noncurrent versions to DEEP_ARCHIVE after 181 days: each is billed at least 180 days there (plus about 40 KiB of index overhead per object)',
    ]);
  });

  it('is ok with a lifecycle that keeps repository files readable and cleans old versions', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({
      Rules: [
        { ID: 'tier', Status: 'Enabled', Filter: { Prefix: 'var/lib/pgbackrest/' }, Transitions: [{ Days: 31, StorageClass: 'GLACIER_IR' }], NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
        { ID: 'old-manifests', Status: 'Enabled', Filter: { Prefix: 'var/lib/pgbackrest/backup/chronos/backup.history/' }, Expiration: { Days: 365 } },
      ],
    });
    const out = await bucketLifecycle.run(ctx());
    expect(out.status).toBe('ok');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: 2 lifecycle rule(s), 0 risks to a restore (expected 0; retention horizon 120 h = backups.retention.full 4 × backups.fullAgeHours.fail 30 h)',
    );
    expect(out.metrics).toEqual([{ name: 'LifecycleRisks', value: 0, unit: 'Count' }]);
  });

  it('fails an expiration shorter than pgBackRest retention', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({
      Rules: [{ ID: 'cleanup', Status: 'Enabled', Filter: { Prefix: 'var/lib/pgbackrest/archive/' }, Expiration: { Days: 3 }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }],
    });
    const out = await bucketLifecycle.run(ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toMatch(/^bucket chronos-backups-example: 1 lifecycle risk\(s\) \(expected 0\): rule "cleanup" expires repository files pgBackRest still needs after 3 days \(pgBackRest keeps backups and WAL up to 5 days\)\. Fix: exclude archive\/chronos\//);
  });

  it('warns when old versions are kept forever', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).resolves({
      Rules: [{ ID: 'tier', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: 31, StorageClass: 'GLACIER_IR' }] }],
    });
    const out = await bucketLifecycle.run(ctx());
    expect(out.status).toBe('warn');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: 1 lifecycle risk(s) (expected 0): versioning is Enabled but no rule reaching the repository has NoncurrentVersionExpiration, so every version pgBackRest deletes or rewrites is kept and billed forever. Fix: add NoncurrentVersionExpiration (for example 30 days) to the repository rule',
    );
  });

  it('is ok with a note when the bucket has no lifecycle at all', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).rejects(new S3ServiceException({ name: 'NoSuchLifecycleConfiguration', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'none' }));
    const out = await bucketLifecycle.run(ctx());
    expect(out.status).toBe('ok');
    expect(out.summary).toBe(
      'bucket chronos-backups-example has no lifecycle rules (0 risks, expected 0): pgBackRest retention alone deletes old backups; note: deleted versions stay billed until a NoncurrentVersionExpiration rule removes them',
    );
  });

  it('is unknown, naming the IAM action, when the lifecycle cannot be read', async () => {
    s3.on(GetBucketLifecycleConfigurationCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' }));
    const out = await bucketLifecycle.run(ctx());
    expect(out.status).toBe('unknown');
    expect(out.summary).toBe(
      'bucket chronos-backups-example: cannot read lifecycle rules: s3:GetLifecycleConfiguration denied on bucket chronos-backups-example (AccessDenied: Access Denied)',
    );
    expect(out.metrics ?? []).toEqual([]);
  });

  it('is skipped for a posix repository', () => {
    const posix = parseConfig({ ...baseConfig, backups: { ...baseConfig.backups, repository: { type: 'posix', path: '/var/lib/pgbackrest' } } });
    expect(bucketLifecycle.skipReason?.(posix)).toBe('the repository is a posix directory (/var/lib/pgbackrest), not an S3 bucket');
    expect(bucketLifecycle.skipReason?.(config)).toBeUndefined();
  });
});
