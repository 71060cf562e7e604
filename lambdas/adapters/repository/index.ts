import { S3Client } from '@aws-sdk/client-s3';
import type { RepositoryConfig } from '../../config/schema';
import type { RepositoryStore } from '../../core/ports';
import { PosixRepositoryStore } from './posix';
import { S3RepositoryStore } from './s3';

export { PosixRepositoryStore } from './posix';
export { S3RepositoryStore, type S3RepositoryOptions } from './s3';

/**
 * Builds the repository store for `backups.repository`. For S3, pass the run's shared client; without one a client
 * is built from the repository's region/endpoint (region falls back to AWS_REGION, then ca-central-1).
 */
export function createRepositoryStore(config: RepositoryConfig, s3Client?: S3Client): RepositoryStore {
  if (config.type === 'posix') return new PosixRepositoryStore(config.path);
  const client =
    s3Client ??
    new S3Client({
      region: config.region ?? process.env.AWS_REGION ?? 'ca-central-1',
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.forcePathStyle !== undefined ? { forcePathStyle: config.forcePathStyle } : {}),
    });
  return new S3RepositoryStore(client, { bucket: config.bucket, path: config.path });
}
