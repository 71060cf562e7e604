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

/** Options of an {@link S3StateStore}. */
export interface S3StateStoreOptions {
  /** Told when a state object is not valid JSON and is read as "no state"; default: console.error (the Lambda log). */
  onWarning?(message: string): void;
}

/**
 * StateStore backed by S3 (the monitor-owned state bucket). A missing object is "no state yet"; denied or
 * unreachable throws so the caller can report it instead of silently forgetting. A corrupt object (not JSON) is
 * read as "no state" with a loud warning: throwing would block every alert until someone repairs the object,
 * while forgetting only re-sends the open incidents' onsets once; the next put overwrites it.
 */
export class S3StateStore implements StateStore {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3StateLocation,
    private readonly options: S3StateStoreOptions = {},
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const objectKey = stateObjectKey(this.location.prefix, key);
    let text: string | undefined;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: objectKey }));
      text = await out.Body?.transformToString('utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    if (text === undefined || text === '') return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      const warn = this.options.onWarning ?? ((m: string) => console.error(m));
      warn(`chronos-monitor: state object s3://${this.location.bucket}/${objectKey} is not valid JSON (${(err as Error).message}); read as empty state, it will be overwritten`);
      return undefined;
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
