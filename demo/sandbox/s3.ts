/**
 * The demo's S3: s3rver (a real S3-compatible server on 127.0.0.1) holding the captured pgBackRest repository,
 * behind a tiny HTTP front that answers the four bucket-settings reads s3rver does not implement
 * (GET ?versioning, ?encryption, ?publicAccessBlock, ?lifecycle) and passes every other request through unchanged,
 * headers included, so SigV4 signatures still verify at s3rver.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** Bucket settings the front reports; `null` means "not configured" (S3 then answers with its not-found error). */
export interface FakeBucketSettings {
  versioning: 'Enabled' | 'Suspended' | null;
  encryption: { algorithm: 'AES256' | 'aws:kms'; bucketKey: boolean } | null;
  publicAccessBlock: boolean | null;
  /** Lifecycle rules as S3 XML `<Rule>` elements. */
  lifecycleRulesXml: string[] | null;
}

/** What to serve. */
export interface S3StandInOptions {
  bucket: string;
  /** Key prefix of the repository (pgBackRest repo1-path without its leading `/`), ending in `/`. */
  prefix: string;
  /** Directory holding the repository tree (keys relative to it). */
  fixtureDir: string;
  /** Rewrites an object's bytes before upload (the demo re-dates backup.info with it). */
  transform?: (key: string, body: Buffer) => Buffer;
  settings: FakeBucketSettings;
}

/** A running stand-in. */
export interface S3StandIn {
  /** The endpoint the monitor uses: the front, `http://127.0.0.1:PORT`. */
  url: string;
  settings: FakeBucketSettings;
  /** Objects uploaded and their total size. */
  objects: number;
  bytes: number;
  close(): Promise<void>;
}

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function xml(res: ServerResponse, status: number, body: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text), 'x-amz-request-id': 'demo' });
  res.end(text);
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  xml(res, status, `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>demo</RequestId></Error>`);
}

/** Answers a bucket-settings GET from `settings`; returns false for any other request. */
export function answerBucketSettings(settings: FakeBucketSettings, bucket: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET') return false;
  const url = new URL(req.url ?? '/', 'http://front');
  if (url.pathname !== `/${bucket}` && url.pathname !== `/${bucket}/`) return false;
  const q = url.searchParams;
  if (q.has('versioning')) {
    xml(res, 200, `<VersioningConfiguration xmlns="${NS}">${settings.versioning ? `<Status>${settings.versioning}</Status>` : ''}</VersioningConfiguration>`);
  } else if (q.has('encryption')) {
    const e = settings.encryption;
    if (!e) s3Error(res, 404, 'ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found');
    else
      xml(
        res,
        200,
        `<ServerSideEncryptionConfiguration xmlns="${NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${e.algorithm}</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${e.bucketKey}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
      );
  } else if (q.has('publicAccessBlock')) {
    const on = settings.publicAccessBlock;
    if (on === null) s3Error(res, 404, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
    else
      xml(
        res,
        200,
        `<PublicAccessBlockConfiguration xmlns="${NS}"><BlockPublicAcls>${on}</BlockPublicAcls><IgnorePublicAcls>${on}</IgnorePublicAcls><BlockPublicPolicy>${on}</BlockPublicPolicy><RestrictPublicBuckets>${on}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
      );
  } else if (q.has('lifecycle')) {
    const rules = settings.lifecycleRulesXml;
    if (!rules) s3Error(res, 404, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist');
    else xml(res, 200, `<LifecycleConfiguration xmlns="${NS}">${rules.join('')}</LifecycleConfiguration>`);
  } else {
    return false;
  }
  return true;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? (d as unknown as { path: string }).path, d.name))
    .sort();
}

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return (server.address() as AddressInfo).port;
}

/** Starts s3rver and its front on free loopback ports and uploads the repository through the front with the real SDK. */
export async function startS3(options: S3StandInOptions): Promise<S3StandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'chronos-demo-s3-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: [{ name: options.bucket, configs: [] }] });
  let front: ReturnType<typeof createServer> | undefined;
  const close = async () => {
    if (front) {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front!.close(() => resolve()));
    }
    await s3rver.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const backend = await s3rver.run();
    front = createServer((req, res) => {
      if (answerBucketSettings(options.settings, options.bucket, req, res)) return;
      const upstream = request({ host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', (err) => {
        if (!res.headersSent) s3Error(res, 502, 'BadGateway', `s3rver did not answer: ${err.message}`);
        else res.destroy();
      });
      req.pipe(upstream);
    });
    const url = `http://127.0.0.1:${await listen(front)}`;
    const client = new S3Client({ endpoint: url, region: 'ca-central-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, maxAttempts: 1 });
    const files = listFiles(options.fixtureDir);
    let bytes = 0;
    try {
      for (let i = 0; i < files.length; i += 16) {
        await Promise.all(
          files.slice(i, i + 16).map(async (file) => {
            const key = relative(options.fixtureDir, file).split(sep).join('/');
            const body = options.transform ? options.transform(key, readFileSync(file)) : readFileSync(file);
            bytes += body.length;
            await client.send(new PutObjectCommand({ Bucket: options.bucket, Key: `${options.prefix}${key}`, Body: body }));
          }),
        );
      }
    } finally {
      client.destroy();
    }
    return { url, settings: options.settings, objects: files.length, bytes, close };
  } catch (err) {
    await close();
    throw err;
  }
}
