import { createCipheriv } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** True when this process can run DES, which s3rver 3.7.1 needs for ListObjectsV2 continuation tokens. */
export function hasLegacyOpenSsl(): boolean {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}

/** Fails (never skips) when pagination cannot work in this process; the message says how to fix it. */
export function requireLegacyOpenSsl(): void {
  if (!hasLegacyOpenSsl()) {
    throw new Error('s3rver pagination needs the OpenSSL legacy provider: run the tests with NODE_OPTIONS=--openssl-legacy-provider (npm test sets it)');
  }
}

/** An in-process s3rver on 127.0.0.1 with its own temp directory. */
export class S3Server {
  private constructor(private readonly server: S3rver, private readonly dir: string, readonly endpoint: string) {}

  /** Starts s3rver on a free loopback port, creating the given buckets. */
  static async start(buckets: string[] = ['chronos-backups-test'], opts: { requirePagination?: boolean } = {}): Promise<S3Server> {
    if (opts.requirePagination ?? true) requireLegacyOpenSsl();
    const dir = mkdtempSync(join(tmpdir(), 'chronos-s3-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
    const addr = await server.run();
    return new S3Server(server, dir, `http://127.0.0.1:${addr.port}`);
  }

  /** An S3 client pointed at this server (path style, s3rver's fixed credentials, no retries so failures are fast). */
  client(): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      region: 'ca-central-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      maxAttempts: 1,
    });
  }

  /** Creates another bucket. */
  async createBucket(bucket: string): Promise<void> {
    const c = this.client();
    try {
      await c.send(new CreateBucketCommand({ Bucket: bucket }));
    } finally {
      c.destroy();
    }
  }

  /**
   * PUTs every regular file under localDir to `bucket/prefix<relative path>` (symlinks such as pgBackRest's `latest`
   * are skipped: S3 repositories have none). Returns the number of objects written.
   */
  async uploadDir(localDir: string, bucket: string, prefix: string): Promise<number> {
    const files: string[] = [];
    const walk = (rel: string) => {
      for (const name of readdirSync(join(localDir, rel))) {
        const r = rel ? `${rel}/${name}` : name;
        const st = lstatSync(join(localDir, r));
        if (st.isSymbolicLink()) continue;
        if (st.isDirectory()) walk(r);
        else if (st.isFile()) files.push(r);
      }
    };
    walk('');
    const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    const c = this.client();
    try {
      for (let i = 0; i < files.length; i += 16) {
        await Promise.all(files.slice(i, i + 16).map((f) => c.send(new PutObjectCommand({ Bucket: bucket, Key: base + f, Body: readFileSync(join(localDir, f)) }))));
      }
    } finally {
      c.destroy();
    }
    return files.length;
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
