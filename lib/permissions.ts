import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { MonitorConfig, SecretSource } from '../lambdas/config/schema';
import type { FunctionGroup } from '../lambdas/handlers/groups';
import { repositoryPrefix } from './deploy-config';

/** ARNs of the stack's own resources a check function writes to. */
export interface OwnResources {
  /** The alert topic. */
  topicArn: string;
  /** The monitor-owned state bucket. */
  stateBucketArn: string;
}

/** Reads of one secret source: the named SSM parameter or secret only (never a wildcard over names). */
export function secretStatements(stack: Stack, source: SecretSource | undefined): iam.PolicyStatement[] {
  if (!source || 'env' in source) return [];
  if ('ssmParameter' in source) {
    return [
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: source.ssmParameter.replace(/^\//, '') })],
      }),
      // SecureString decryption happens inside SSM with the aws/ssm key (or a CMK); only through SSM.
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: { StringEquals: { 'kms:ViaService': `ssm.${stack.region}.amazonaws.com` } },
      }),
    ];
  }
  const id = source.secretsManager;
  // Secrets Manager appends six random characters to a secret's ARN.
  const arn = id.startsWith('arn:') ? id : stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${id}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return [new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] })];
}

/** What every check function may do: publish its metrics, its alerts, and keep its own state. */
export function commonStatements(config: MonitorConfig, group: FunctionGroup, own: OwnResources): iam.PolicyStatement[] {
  const statePrefix = `state/${group}`;
  return [
    // PutMetricData has no resource ARN; the namespace condition is the only scope CloudWatch offers.
    new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': config.metrics.namespace } },
    }),
    new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [own.topicArn] }),
    new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [`${own.stateBucketArn}/${statePrefix}/*`] }),
    // ListBucket lets a missing state object answer 404 instead of 403, so "no state yet" is not an error.
    new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [own.stateBucketArn], conditions: { StringLike: { 's3:prefix': [`${statePrefix}/*`] } } }),
  ];
}

/** What the checks of one group read in the monitored system. */
export function groupStatements(stack: Stack, config: MonitorConfig, group: FunctionGroup): iam.PolicyStatement[] {
  switch (group) {
    case 'instance':
      // Lightsail Get* actions take no resource ARN (and Lightsail ARNs carry a UUID, not the name).
      return [
        new iam.PolicyStatement({
          actions: ['lightsail:GetInstance', 'lightsail:GetStaticIp'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:RequestedRegion': config.region } },
        }),
      ];
    case 'database':
      return secretStatements(stack, config.database.password);
    case 'backups': {
      const repo = config.backups.repository;
      if (repo.type !== 's3') return [...secretStatements(stack, config.backups.cipherPass), ...secretStatements(stack, config.database.password)];
      const bucketArn = `arn:${stack.partition}:s3:::${repo.bucket}`;
      const prefix = repositoryPrefix(config);
      const statements = [
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [prefix ? `${bucketArn}/${prefix}/*` : `${bucketArn}/*`] }),
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
          ...(prefix ? { conditions: { StringLike: { 's3:prefix': [`${prefix}/*`, prefix] } } } : {}),
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetBucketVersioning', 's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:GetBucketPublicAccessBlock'],
          resources: [bucketArn],
        }),
      ];
      if (config.bucket.encryption !== 'AES256') {
        // SSE-KMS objects are decrypted by S3 on our behalf; allow it only through S3.
        statements.push(
          new iam.PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
            conditions: { StringEquals: { 'kms:ViaService': `s3.${repo.region ?? stack.region}.amazonaws.com` } },
          }),
        );
      }
      // backup.rpo and the recoverability analysis read the archiver's position from the database too.
      return [...statements, ...secretStatements(stack, config.backups.cipherPass), ...secretStatements(stack, config.database.password)];
    }
  }
}
