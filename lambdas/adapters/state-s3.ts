import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StateStore } from '../core/state';

/** Where the Lambdas keep state: one small JSON object per key under `<prefix>/`, so functions never share an object. */
export interface S3StateLocation {
  bucket: string;
  /** Key prefix without trailing slash, e.g. `state/backups`; each function writes only under its own. */
  prefix: string;
}

const isMissing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  // A missing bucket is also a 404, but it means the deployment is broken, not that there is no state yet.
  return e?.name === 'NoSuchKey' || (e?.$metadata?.httpStatusCode === 404 && e?.name !== 'NoSuchBucket');
};

/** Path-safe object name for a state key (`alerts`, `wal.last-seen`). */
export function stateObjectKey(prefix: string, key: string): string {
  return `${prefix}/${encodeURIComponent(key)}.json`;
}

/**
 * StateStore backed by S3 (the monitor-owned state bucket). A missing object is "no state yet"; every other
 * failure (denied, unreachable, corrupt JSON) throws so the caller can report it instead of silently forgetting.
 */
export class S3StateStore implements StateStore {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3StateLocation,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: stateObjectKey(this.location.prefix, key) }));
      const text = await out.Body?.transformToString('utf8');
      return text === undefined || text === '' ? undefined : (JSON.parse(text) as T);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async put<T>(key: string, value: T): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: stateObjectKey(this.location.prefix, key),
        Body: JSON.stringify(value),
        ContentType: 'application/json',
      }),
    );
  }
}
