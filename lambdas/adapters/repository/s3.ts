import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { failed, observed, type Observed } from '../../core/observed';
import type { RepoListing, RepoObject, RepositoryStore } from '../../core/ports';

/** Options of {@link S3RepositoryStore}. */
export interface S3RepositoryOptions {
  bucket: string;
  /** pgBackRest `repo1-path`; its leading `/` is stripped to form the key prefix, as pgBackRest does. */
  path: string;
  /** Keys per ListObjectsV2 page (S3 caps it at 1000). @default 1000 */
  pageSize?: number;
  /** Pages after which a listing is declared runaway. @default 10000 */
  maxPages?: number;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const AUTH_NAMES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'CredentialsProviderError', 'UnrecognizedClientException']);

/** Maps an S3 SDK error to an Observed failure naming the object; messages from S3 carry no secrets. */
export function s3Failure<T>(err: unknown, what: string, signal?: AbortSignal, op: 'get' | 'head' | 'list' = 'get'): Observed<T> {
  const e = err as Error & { $metadata?: { httpStatusCode?: number }; code?: string; StorageClass?: string; cause?: { code?: string }; $cause?: { code?: string } };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  // The SDK sometimes wraps socket errors ("AWS SDK error wrapper for Error: connect ECONNREFUSED ..."), keeping the code only in the text.
  const code = e?.code ?? e?.cause?.code ?? e?.$cause?.code ?? /\b(E[A-Z_]{4,})\b/.exec(e?.message ?? '')?.[1];
  if (signal?.aborted || name === 'AbortError') return failed('timeout', `${what}: request aborted at the check's deadline`);
  if (name === 'InvalidObjectState') {
    return failed('denied', `${what} is archived in ${e.StorageClass ?? 'a Glacier storage class'} (InvalidObjectState) and cannot be read until restored`);
  }
  if (name === 'NoSuchBucket') return failed('not-found', `${what}: the bucket does not exist (NoSuchBucket)`);
  // S3 answers a missing key on GET with a NoSuchKey document; only HEAD has no body to carry one. An empty 404 on
  // GET or LIST comes from something that is not S3 (a proxy, a wrong endpoint): the monitor cannot see.
  if (name === 'NoSuchKey' || (op === 'head' && (name === 'NotFound' || status === 404))) return failed('not-found', `${what} not found`);
  if (status === 404) return failed('error', `${what}: HTTP 404 without an S3 error code (${name}); is the endpoint an S3 API?`);
  if (AUTH_NAMES.has(name)) return failed('auth', `${what}: S3 rejected the credentials (${name})`);
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403) return failed('denied', `${what}: access denied (${name}); the monitor's IAM policy must allow s3:GetObject and s3:ListBucket`);
  if ((code && NETWORK_CODES.has(code)) || name === 'TimeoutError' || name === 'RequestTimeout') return failed('unreachable', `${what}: S3 endpoint unreachable (${code ?? name})`);
  // One line: some SDK messages go on ("Deserialization error: to see the raw response, inspect ...").
  const first = String(e?.message ?? err).split('\n')[0].trim();
  const line = first.length > 200 ? `${first.slice(0, 197)}...` : first;
  return failed('error', `${what}: ${name}${status ? ` (HTTP ${status})` : ''}: ${line}`.slice(0, 300));
}

/** A pgBackRest repository in an S3 bucket (`repo1-type=s3`). Keys are relative to the repository path. */
export class S3RepositoryStore implements RepositoryStore {
  private readonly base: string;
  constructor(private readonly client: S3Client, private readonly options: S3RepositoryOptions) {
    const p = options.path.replace(/^\/+/, '');
    this.base = p === '' || p.endsWith('/') ? p : `${p}/`;
  }

  /** `s3://bucket/prefix`. */
  describe(): string {
    return `s3://${this.options.bucket}/${this.base}`;
  }

  private url(key: string): string {
    return `s3://${this.options.bucket}/${this.base}${key}`;
  }

  /** GetObject of one key. */
  async read(key: string, signal?: AbortSignal): Promise<Observed<Buffer>> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.base + key }), { abortSignal: signal });
      if (!r.Body) return failed('invalid', `${this.url(key)} has no body`);
      return observed(Buffer.from(await r.Body.transformToByteArray()));
    } catch (err) {
      return s3Failure(err, this.url(key), signal);
    }
  }

  /** ListObjectsV2 with Delimiter `/`, every page; `invalid` when a page repeats a token or keys go backwards. */
  async list(prefix: string, signal?: AbortSignal): Promise<Observed<RepoListing>> {
    const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    const what = this.url(base);
    const objects: RepoObject[] = [];
    const prefixes: string[] = [];
    const seenTokens = new Set<string>();
    let token: string | undefined;
    let lastKey = '';
    let lastPrefix = '';
    let requests = 0;
    const maxPages = this.options.maxPages ?? 10_000;
    for (;;) {
      if (requests >= maxPages) return failed('invalid', `listing ${what} did not end after ${requests} pages; stopped`);
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.base + base, Delimiter: '/', ContinuationToken: token, MaxKeys: this.options.pageSize }),
          { abortSignal: signal },
        );
      } catch (err) {
        return s3Failure(err, `listing ${what}`, signal, 'list');
      }
      requests++;
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        if (o.Key <= lastKey) return failed('invalid', `listing ${what} is inconsistent: key ${o.Key} came after ${lastKey} (page ${requests}); stopped`);
        lastKey = o.Key;
        objects.push({
          key: o.Key.slice(this.base.length),
          size: o.Size ?? 0,
          lastModified: o.LastModified ?? new Date(0),
          ...(o.StorageClass ? { storageClass: o.StorageClass } : {}),
        });
      }
      for (const cp of page.CommonPrefixes ?? []) {
        if (!cp.Prefix) continue;
        if (cp.Prefix <= lastPrefix) return failed('invalid', `listing ${what} is inconsistent: folder ${cp.Prefix} came after ${lastPrefix} (page ${requests}); stopped`);
        lastPrefix = cp.Prefix;
        prefixes.push(cp.Prefix.slice(this.base.length));
      }
      if (!page.IsTruncated) break;
      const next = page.NextContinuationToken;
      if (!next) return failed('invalid', `listing ${what} is inconsistent: page ${requests} is truncated but has no continuation token; stopped`);
      if (seenTokens.has(next)) return failed('invalid', `listing ${what} is inconsistent: page ${requests} repeats a continuation token; stopped`);
      seenTokens.add(next);
      token = next;
    }
    return observed({ objects, prefixes, requests });
  }

  /** HeadObject of one key (size, LastModified, StorageClass). */
  async head(key: string, signal?: AbortSignal): Promise<Observed<RepoObject>> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.base + key }), { abortSignal: signal });
      return observed({
        key,
        size: r.ContentLength ?? 0,
        lastModified: r.LastModified ?? new Date(0),
        // HeadObject omits StorageClass for STANDARD objects.
        storageClass: r.StorageClass ?? 'STANDARD',
      });
    } catch (err) {
      return s3Failure(err, this.url(key), signal, 'head');
    }
  }
}
