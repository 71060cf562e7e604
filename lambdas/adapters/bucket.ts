import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { observed, once, type Observed } from '../core/observed';
import type { BucketSettings, BucketSource, LifecycleRuleFacts } from '../core/ports';
import { awsFailure } from './aws-errors';

/** S3's answers for "this bucket has no such configuration": a value (`null`), not a failure. */
const ABSENT = {
  encryption: 'ServerSideEncryptionConfigurationNotFoundError',
  publicAccessBlock: 'NoSuchPublicAccessBlockConfiguration',
  lifecycle: 'NoSuchLifecycleConfiguration',
} as const;

async function read<T>(load: () => Promise<T>, absentName: string | undefined, action: string, bucket: string): Promise<Observed<T | null>> {
  try {
    return observed(await load());
  } catch (err) {
    if (absentName && (err as { name?: string })?.name === absentName) return observed(null);
    return awsFailure(err, action, `bucket ${bucket}`);
  }
}

/** Normalises one S3 lifecycle rule (legacy top-level Prefix, Filter.Prefix or Filter.And). */
export function normaliseLifecycleRule(rule: LifecycleRule, index: number): LifecycleRuleFacts {
  const f = rule.Filter;
  const and = f?.And;
  const tagList = and?.Tags ?? (f?.Tag ? [f.Tag] : []);
  const tags = tagList.length ? Object.fromEntries(tagList.map((t) => [t.Key ?? '', t.Value ?? ''])) : undefined;
  const gt = and?.ObjectSizeGreaterThan ?? f?.ObjectSizeGreaterThan;
  const lt = and?.ObjectSizeLessThan ?? f?.ObjectSizeLessThan;
  return {
    id: rule.ID || `(rule ${index + 1}, no id)`,
    enabled: rule.Status === 'Enabled',
    prefix: and?.Prefix ?? f?.Prefix ?? rule.Prefix ?? '',
    // A transition by date applies to every object once the date has passed: treat it as day 0.
    transitions: (rule.Transitions ?? []).map((t) => ({ days: t.Days ?? 0, storageClass: String(t.StorageClass ?? 'UNKNOWN') })),
    expirationDays: rule.Expiration?.Days,
    ...(rule.Expiration?.Date ? { expirationDate: new Date(rule.Expiration.Date).toISOString() } : {}),
    noncurrentTransitions: (rule.NoncurrentVersionTransitions ?? []).map((t) => ({ days: t.NoncurrentDays ?? 0, storageClass: String(t.StorageClass ?? 'UNKNOWN') })),
    noncurrentExpirationDays: rule.NoncurrentVersionExpiration?.NoncurrentDays,
    abortIncompleteMultipartDays: rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
    ...(tags ? { tags } : {}),
    ...(gt !== undefined ? { objectSizeGreaterThan: Number(gt) } : {}),
    ...(lt !== undefined ? { objectSizeLessThan: Number(lt) } : {}),
  };
}

/**
 * Bucket-settings reads. Each setting is read once per source and separately, so one denied call does not
 * hide the others. Build one per run.
 */
export function createBucketSource(client: S3Client, bucket: string): BucketSource {
  return {
    versioning: once(async (): Promise<Observed<BucketSettings['versioning']>> => {
      const r = await read(() => client.send(new GetBucketVersioningCommand({ Bucket: bucket })), undefined, 's3:GetBucketVersioning', bucket);
      if (!r.ok) return r;
      // A bucket that never had versioning answers without a Status.
      const status = r.value?.Status;
      return observed(status === 'Enabled' || status === 'Suspended' ? status : 'Disabled');
    }),
    encryption: once(async (): Promise<Observed<BucketSettings['encryption']>> => {
      const r = await read(() => client.send(new GetBucketEncryptionCommand({ Bucket: bucket })), ABSENT.encryption, 's3:GetEncryptionConfiguration', bucket);
      if (!r.ok || r.value === null) return r as Observed<null>;
      const rule = r.value.ServerSideEncryptionConfiguration?.Rules?.find((x) => x.ApplyServerSideEncryptionByDefault?.SSEAlgorithm);
      const byDefault = rule?.ApplyServerSideEncryptionByDefault;
      if (!byDefault?.SSEAlgorithm) return observed(null);
      return observed({
        algorithm: byDefault.SSEAlgorithm,
        bucketKey: rule?.BucketKeyEnabled === true,
        ...(byDefault.KMSMasterKeyID ? { kmsKeyId: byDefault.KMSMasterKeyID } : {}),
      });
    }),
    publicAccessBlock: once(async (): Promise<Observed<BucketSettings['publicAccessBlock']>> => {
      const r = await read(() => client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })), ABSENT.publicAccessBlock, 's3:GetBucketPublicAccessBlock', bucket);
      if (!r.ok || r.value === null) return r as Observed<null>;
      const c = r.value.PublicAccessBlockConfiguration ?? {};
      return observed({
        blockPublicAcls: c.BlockPublicAcls === true,
        ignorePublicAcls: c.IgnorePublicAcls === true,
        blockPublicPolicy: c.BlockPublicPolicy === true,
        restrictPublicBuckets: c.RestrictPublicBuckets === true,
      });
    }),
    lifecycle: once(async (): Promise<Observed<BucketSettings['lifecycle']>> => {
      const r = await read(() => client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })), ABSENT.lifecycle, 's3:GetLifecycleConfiguration', bucket);
      if (!r.ok || r.value === null) return r as Observed<null>;
      return observed((r.value.Rules ?? []).map(normaliseLifecycleRule));
    }),
  };
}
