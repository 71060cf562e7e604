import type { MonitorConfig } from '../../config/schema';

/** Why the bucket belt does not apply: a posix repository has no bucket. */
export function bucketSkipReason(config: MonitorConfig): string | undefined {
  const repo = config.backups.repository;
  return repo.type === 'posix' ? `the repository is a posix directory (${repo.path}), not an S3 bucket` : undefined;
}

/** The bucket name of an S3 repository (callers run only when {@link bucketSkipReason} is undefined). */
export function bucketName(config: MonitorConfig): string {
  const repo = config.backups.repository;
  return repo.type === 's3' ? repo.bucket : '(posix repository)';
}
