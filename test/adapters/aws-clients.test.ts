import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, s3Region, sharedAwsClients } from '../../lambdas/adapters/aws-clients';
import { createBucketSource } from '../../lambdas/adapters/bucket';
import { createInstanceSource } from '../../lambdas/adapters/lightsail';
import { parseConfig } from '../../lambdas/config/load';
import type { MonitorConfig } from '../../lambdas/config/schema';
import { startNeverAnsweringServer } from '../support/never-answering-server';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** An HTTP server on 127.0.0.1 that records requests and answers with `reply`. */
async function startRecorder(reply: (req: Seen) => { status?: number; type: string; body: string }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      const r = reply(s);
      res.writeHead(r.status ?? 200, { 'content-type': r.type });
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { seen, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function config(over: Record<string, unknown> = {}, repo: Record<string, unknown> = {}): MonitorConfig {
  return parseConfig({
    instance: { name: 'chronos-production-database' },
    database: { host: '203.0.113.10', database: 'chronos', user: 'chronos' },
    backups: { repository: { type: 's3', bucket: 'chronos-backups-example', ...repo }, stanza: 'chronos' },
    ...over,
  });
}

const savedEnv = { ...process.env };
let home: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'chronos-aws-home-'));
  // Never let a test reach the instance metadata service or read the developer's own AWS files.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.HOME = home;
  for (const k of ['AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SSO']) delete process.env[k];
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTENVONLY';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-env';
  // Written before any client exists: the SDK caches what it read from ~/.aws/config for the whole process.
  writeAwsConfig(join(home, '.aws'));
});

function writeAwsConfig(awsDir: string): void {
    mkdirSync(join(awsDir, 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(awsDir, 'config'),
      [
        '[profile chronos-static]',
        'aws_access_key_id = AKIDFROMPROFILE',
        'aws_secret_access_key = secret-from-profile',
        '',
        '[profile chronos-sso]',
        'sso_session = chronos',
        'sso_account_id = 111122223333',
        'sso_role_name = ChronosMonitor',
        'region = ca-central-1',
        '',
        '[profile chronos-sso-expired]',
        'sso_session = chronos-expired',
        'sso_account_id = 111122223333',
        'sso_role_name = ChronosMonitor',
        '',
        '[sso-session chronos]',
        'sso_start_url = https://example.awsapps.com/start',
        'sso_region = ca-central-1',
        'sso_registration_scopes = sso:account:access',
        '',
        '[sso-session chronos-expired]',
        'sso_start_url = https://example.awsapps.com/start',
        'sso_region = ca-central-1',
        '',
      ].join('\n'),
    );
    // What `aws sso login --sso-session chronos` leaves behind: a cached access token named by the session's SHA-1.
    writeFileSync(
      join(awsDir, 'sso', 'cache', `${createHash('sha1').update('chronos').digest('hex')}.json`),
      JSON.stringify({ startUrl: 'https://example.awsapps.com/start', region: 'ca-central-1', accessToken: 'sso-access-token-for-test', expiresAt: '2099-01-01T00:00:00Z' }),
    );
}

afterAll(() => {
  process.env = savedEnv;
  rmSync(home, { recursive: true, force: true });
});

describe('endpoint overrides', () => {
  it('sends S3 bucket-setting requests to the configured endpoint, path-style', async () => {
    const rec = await startRecorder(() => ({ type: 'application/xml', body: '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>' }));
    try {
      const clients = createAwsClients(config({ endpoints: { s3: rec.url } }));
      const v = await createBucketSource(clients.s3, 'chronos-backups-example').versioning();
      expect(v).toEqual({ ok: true, value: 'Enabled' });
      expect(rec.seen).toHaveLength(1);
      expect(rec.seen[0].method).toBe('GET');
      expect(rec.seen[0].url).toMatch(/^\/chronos-backups-example\/?\?versioning/);
    } finally {
      await rec.close();
    }
  });

  it('uses the repository endpoint for S3 when endpoints.s3 is not set', async () => {
    const rec = await startRecorder(() => ({ type: 'application/xml', body: '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>' }));
    try {
      const clients = createAwsClients(config({}, { endpoint: rec.url }));
      expect(await createBucketSource(clients.s3, 'chronos-backups-example').versioning()).toEqual({ ok: true, value: 'Disabled' });
      expect(rec.seen[0].url).toMatch(/^\/chronos-backups-example\/?\?versioning/);
    } finally {
      await rec.close();
    }
  });

  it('sends Lightsail calls to the configured endpoint and reads the instance from the JSON answer', async () => {
    const rec = await startRecorder(() => ({
      type: 'application/x-amz-json-1.1',
      body: JSON.stringify({ instance: { name: 'chronos-production-database', state: { code: 16, name: 'running' }, publicIpAddress: '203.0.113.10', isStaticIp: true } }),
    }));
    try {
      const clients = createAwsClients(config({ endpoints: { lightsail: rec.url } }));
      const r = await createInstanceSource(clients.lightsail).instance('chronos-production-database');
      expect(r).toMatchObject({ ok: true, value: { state: 'running', publicIpAddress: '203.0.113.10', isStaticIp: true } });
      expect(rec.seen[0].headers['x-amz-target']).toBe('Lightsail_20161128.GetInstance');
      expect(JSON.parse(rec.seen[0].body)).toEqual({ instanceName: 'chronos-production-database' });
      // Signed for the configured region.
      expect(String(rec.seen[0].headers.authorization)).toContain('/ca-central-1/lightsail/aws4_request');
    } finally {
      await rec.close();
    }
  });
});

describe('client settings', () => {
  it('forces path-style addressing when the repository asks for it, and not otherwise', async () => {
    expect(await createAwsClients(config({}, { forcePathStyle: true })).s3.config.forcePathStyle).toBe(true);
    expect(await createAwsClients(config()).s3.config.forcePathStyle).toBe(false);
  });

  it('signs S3 for the repository region when it differs from the monitor region', async () => {
    const c = config({}, { region: 'us-east-1' });
    expect(s3Region(c)).toBe('us-east-1');
    expect(await createAwsClients(c).s3.config.region()).toBe('us-east-1');
    expect(await createAwsClients(c).lightsail.config.region()).toBe('ca-central-1');
  });

  it('allows two attempts per call', async () => {
    const clients = createAwsClients(config());
    expect(await clients.lightsail.config.maxAttempts()).toBe(2);
  });

  it('builds each client once per process for the same configuration', () => {
    const a = sharedAwsClients(config());
    const b = sharedAwsClients(config());
    expect(a.s3).toBe(b.s3);
    expect(a.lightsail).toBe(a.lightsail);
    expect(sharedAwsClients(config(), { profile: 'other' }).s3).not.toBe(a.s3);
  });
});

describe('a dead endpoint', () => {
  it('reports a timeout instead of hanging when the endpoint accepts and never answers', async () => {
    const dead = await startNeverAnsweringServer();
    try {
      const clients = createAwsClients(config({ endpoints: { lightsail: `http://127.0.0.1:${dead.port}` } }), { requestTimeoutMs: 200 });
      const r = await createInstanceSource(clients.lightsail).instance('chronos-production-database');
      expect(r).toMatchObject({ ok: false, kind: 'timeout' });
      expect(r.ok ? '' : r.reason).toMatch(/^lightsail:GetInstance on instance chronos-production-database in ca-central-1 timed out/);
      expect(dead.accepted()).toBe(2); // maxAttempts 2
    } finally {
      await dead.close();
    }
  });

  it('reports unreachable when nothing listens on the endpoint', async () => {
    const dead = await startNeverAnsweringServer();
    const port = dead.port;
    await dead.close();
    const clients = createAwsClients(config({ endpoints: { s3: `http://127.0.0.1:${port}` } }));
    const r = await createBucketSource(clients.s3, 'chronos-backups-example').lifecycle();
    expect(r.ok ? '' : r.reason).toMatch(/^s3:GetLifecycleConfiguration on bucket chronos-backups-example: AWS endpoint unreachable \(.*ECONNREFUSED/);
  });
});

describe('named profiles (aws sso login)', () => {
  it('takes credentials from the named profile, not from the environment', async () => {
    // The SDK warns that both a profile and environment keys exist, then uses the profile.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const clients = createAwsClients(config(), { profile: 'chronos-static' });
      const creds = await clients.s3.config.credentials();
      expect(creds.accessKeyId).toBe('AKIDFROMPROFILE');
    } finally {
      warn.mockRestore();
    }
  });

  it('uses the default chain (here: the environment) when no profile is given', async () => {
    const creds = await createAwsClients(config()).lightsail.config.credentials();
    expect(creds.accessKeyId).toBe('AKIDTESTENVONLY');
  });

  it('exchanges the cached SSO token for role credentials and signs requests with them', async () => {
    const portal = await startRecorder(() => ({
      type: 'application/json',
      body: JSON.stringify({ roleCredentials: { accessKeyId: 'ASIAFROMSSO', secretAccessKey: 'sso-secret', sessionToken: 'sso-session', expiration: Date.parse('2099-01-01T00:00:00Z') } }),
    }));
    // The SSO portal is the one AWS endpoint the SDK calls here; point it at loopback.
    process.env.AWS_ENDPOINT_URL_SSO = portal.url;
    try {
      const clients = createAwsClients(config(), { profile: 'chronos-sso' });
      const creds = await clients.sns.config.credentials();
      expect(creds).toMatchObject({ accessKeyId: 'ASIAFROMSSO', sessionToken: 'sso-session' });
      expect(portal.seen).toHaveLength(1);
      expect(portal.seen[0].url).toMatch(/^\/federation\/credentials\?/);
      expect(portal.seen[0].url).toContain('account_id=111122223333');
      expect(portal.seen[0].url).toContain('role_name=ChronosMonitor');
      expect(portal.seen[0].headers['x-amz-sso_bearer_token']).toBe('sso-access-token-for-test');
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SSO;
      await portal.close();
    }
  });

  it('reports missing SSO login as an auth failure that says to run aws sso login', async () => {
    const rec = await startRecorder(() => ({ type: 'application/json', body: '{}' }));
    try {
      const clients = createAwsClients(config({ endpoints: { lightsail: rec.url } }), { profile: 'chronos-sso-expired' });
      const r = await createInstanceSource(clients.lightsail).instance('chronos-production-database');
      expect(r).toMatchObject({ ok: false, kind: 'auth' });
      expect(r.ok ? '' : r.reason).toContain('aws sso login --profile <profile>');
      expect(rec.seen).toHaveLength(0); // nothing is sent unsigned
    } finally {
      await rec.close();
    }
  });
});
