import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { archivedEndPosition, classifyPgError, createDatabaseSource, type DatabaseConfig } from '../../lambdas/adapters/postgres';
import { observed, failed } from '../../lambdas/core/observed';
import type { DatabaseSource } from '../../lambdas/core/ports';
import { clearSecrets, redact, registerSecret } from '../../lambdas/core/redact';
import { configWith } from '../checks/database/context';
import { startNeverAnsweringServer } from '../support/never-answering-server';
import { freePort, isRoot, ownedTempDir, PgCluster, requireTool } from '../support/pg-cluster';

const SUPERUSER_PW = 'Sup3r-secret-pw!';
const MONITOR_PW = 'm0nitor-Secret-xyz';
let cluster: PgCluster;
let certDir: string;
const sources: DatabaseSource[] = [];

function dbConfig(overrides: Partial<DatabaseConfig> = {}): DatabaseConfig {
  return { ...configWith({ port: cluster.port, connectTimeoutMs: 2000, queryTimeoutMs: 2000 }).database, ...overrides };
}
function source(cfg: DatabaseConfig, pw: string | undefined = MONITOR_PW): DatabaseSource {
  const s = createDatabaseSource(cfg, async () => observed(pw));
  sources.push(s);
  return s;
}

beforeAll(async () => {
  requireTool('/usr/bin/openssl', 'openssl is needed to make the test TLS certificate');
  certDir = ownedTempDir('chronos-tls-');
  execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(certDir, 'server.key'), '-out', join(certDir, 'server.crt')], { stdio: 'ignore' });
  chmodSync(join(certDir, 'server.key'), 0o600);
  if (isRoot) execFileSync('chown', ['postgres:postgres', join(certDir, 'server.key'), join(certDir, 'server.crt')]);
  cluster = await PgCluster.create({
    superuserPassword: SUPERUSER_PW,
    conf: ['ssl = on', `ssl_cert_file = '${certDir}/server.crt'`, `ssl_key_file = '${certDir}/server.key'`, 'archive_mode = on', `archive_command = 'true'`, 'archive_timeout = 60'],
  });
  cluster.sql(`create role chronos_monitor login password '${MONITOR_PW}'; grant pg_monitor to chronos_monitor;`);
  cluster.sql(`create role plain_user login password '${MONITOR_PW}';`);
  cluster.sql('create extension hstore; create extension postgis;');
});

afterAll(async () => {
  await Promise.all(sources.map((s) => s.close()));
  cluster?.destroy();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
  clearSecrets();
});

describe('createDatabaseSource against a real PostgreSQL 15 as a pg_monitor role', () => {
  it('logs in over TLS (mode require) and reports version, TLS, latency, recovery state', async () => {
    const r = await source(dbConfig({ tls: { mode: 'require' } })).connect();
    expect(r).toMatchObject({ ok: true, value: { tls: true, inRecovery: false, database: 'postgres' } });
    if (!r.ok) return;
    expect(Math.floor(r.value.serverVersionNum / 10000)).toBe(15);
    expect(r.value.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(r.value.latencyMs).toBeGreaterThan(0);
  });

  it('verifies the server certificate in verify-full mode against the configured caFile', async () => {
    const r = await source(dbConfig({ tls: { mode: 'verify-full', caFile: join(certDir, 'server.crt') } })).connect();
    expect(r).toMatchObject({ ok: true, value: { tls: true } });
  });

  it('rejects a self-signed certificate in verify-full mode without a caFile', async () => {
    const r = await source(dbConfig({ tls: { mode: 'verify-full' } })).connect();
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    if (!r.ok) expect(r.reason).toMatch(/TLS certificate verification failed/);
  });

  it('names an unreadable caFile instead of connecting', async () => {
    const r = await source(dbConfig({ tls: { mode: 'verify-full', caFile: '/nonexistent/ca.pem' } })).connect();
    expect(r).toEqual({ ok: false, kind: 'config', reason: expect.stringContaining('database.tls.caFile /nonexistent/ca.pem cannot be read: ENOENT') });
    if (!r.ok) expect(r.reason).toContain('the database was not contacted');
  });

  it('connects without TLS in mode disable and says so', async () => {
    const r = await source(dbConfig()).connect();
    expect(r).toMatchObject({ ok: true, value: { tls: false } });
  });

  it('lists installed extensions with their versions', async () => {
    const r = await source(dbConfig()).extensions();
    expect(r.ok && r.value).toEqual(expect.arrayContaining([{ name: 'postgis', version: '3.3.2' }, { name: 'hstore', version: expect.stringMatching(/^1\.\d+$/) }]));
  });

  it('reads the database size in bytes', async () => {
    const r = await source(dbConfig()).sizeBytes();
    expect(r.ok && r.value).toBeGreaterThan(1_000_000);
  });

  it('reads archiver facts, the .ready backlog and the WAL position with the server clock', async () => {
    const s = source(dbConfig());
    const r = await s.archiver();
    expect(r).toMatchObject({ ok: true, value: { archiveMode: 'on', archiveTimeoutSeconds: 60, timeline: 1, walSegmentSizeBytes: 16 * 1024 * 1024, failingNow: false } });
    if (!r.ok) return;
    expect(typeof r.value.readyCount).toBe('number');
    expect(r.value.currentLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect(Math.abs(Date.parse(r.value.serverNow) - Date.now())).toBeLessThan(60_000);
    // Memoized: several checks asking share one read.
    expect(await s.archiver()).toBe(r);
  });

  it('reports the backlog as unreadable (null), not a crash, for a role without pg_monitor', async () => {
    const r = await source(dbConfig({ user: 'plain_user' })).archiver();
    expect(r).toMatchObject({ ok: true, value: { readyCount: null, oldestReadySeconds: null } });
    if (r.ok) expect(r.value.readyUnreadableReason).toMatch(/permission denied/);
    if (r.ok) expect(r.value.readyUnreadableKind).toBe('denied');
  });
});

describe('the unarchived WAL figure right after a backup', () => {
  it('is less than one segment when last_archived_wal is the backup-history (.backup) file, not a phantom 16 MiB', async () => {
    cluster.sql("select pg_backup_start('chronos-test', true); select lsn from pg_backup_stop(false);");
    const deadline = Date.now() + 20_000;
    while (!/\.backup$/.test(cluster.sql('select coalesce(last_archived_wal, \'\') from pg_stat_archiver')) && Date.now() < deadline) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    const s = createDatabaseSource(dbConfig(), async () => observed(MONITOR_PW));
    try {
      const a = await s.archiver();
      expect(a.ok).toBe(true);
      if (a.ok) {
        expect(a.value.lastArchivedWal).toMatch(/^[0-9A-F]{24}\.[0-9A-F]{8}\.backup$/);
        expect(a.value.unarchivedBytes).toBeLessThan(a.value.walSegmentSizeBytes);
      }
    } finally {
      await s.close();
    }
  });
});

describe('createDatabaseSource failures', () => {
  it('reports a wrong password as an auth failure (the check says "reachable, login refused") without the password in the reason', async () => {
    const wrong = 'Wr0ng-password-123';
    const r = await source(dbConfig(), wrong).connect();
    expect(r).toMatchObject({ ok: false, kind: 'auth' });
    if (!r.ok) {
      expect(r.reason).toMatch(/^127\.0\.0\.1:\d+\/postgres: password authentication failed for user "chronos_monitor" \(SQLSTATE 28P01\)$/);
      expect(r.reason).not.toContain(wrong);
    }
  });

  it('never leaks a password pasted as the user name (the server echoes the user name)', async () => {
    const r = await source(dbConfig({ user: MONITOR_PW }), MONITOR_PW).connect();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.kind).toBe('auth');
      expect(r.reason).not.toContain(MONITOR_PW);
      expect(redact(JSON.stringify(r))).not.toContain(MONITOR_PW);
    }
  });

  it('says the database does not exist (SQLSTATE 3D000)', async () => {
    const r = await source(dbConfig({ database: 'chronos_missing' })).connect();
    expect(r).toMatchObject({ ok: false, kind: 'not-found', reason: expect.stringContaining('database "chronos_missing" does not exist') });
  });

  it('says TLS is required but the server does not offer it', async () => {
    const plain = await PgCluster.create({ superuserPassword: SUPERUSER_PW });
    try {
      const r = await source(dbConfig({ port: plain.port, user: 'postgres', tls: { mode: 'require' } }), SUPERUSER_PW).connect();
      expect(r).toMatchObject({ ok: false, kind: 'invalid', reason: expect.stringContaining('"require" but the server does not offer TLS') });
    } finally {
      plain.destroy();
    }
  });

  it('reports a closed port as unreachable', async () => {
    const port = await freePort();
    const r = await source(dbConfig({ port })).connect();
    expect(r).toMatchObject({ ok: false, kind: 'unreachable', reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('gives up on a server that accepts TCP and never answers, at the connect timeout', async () => {
    const hung = await startNeverAnsweringServer();
    try {
      const s = source(dbConfig({ port: hung.port, connectTimeoutMs: 300 }));
      const r = await s.connect();
      expect(r).toMatchObject({ ok: false, kind: 'timeout', reason: expect.stringContaining('no answer within 300 ms') });
      expect(hung.accepted()).toBe(1);
      // Every other read shares the failed session instead of dialling again.
      expect(await s.sizeBytes()).toMatchObject({ ok: false, kind: 'timeout' });
      expect(hung.accepted()).toBe(1);
      await s.close();
      await s.close();
    } finally {
      await hung.close();
    }
  });

  it('also times out in TLS mode when the server never answers the SSLRequest', async () => {
    const hung = await startNeverAnsweringServer();
    try {
      const r = await source(dbConfig({ port: hung.port, connectTimeoutMs: 300, tls: { mode: 'require' } })).connect();
      expect(r).toMatchObject({ ok: false, kind: 'timeout' });
    } finally {
      await hung.close();
    }
  });

  it('says a non-PostgreSQL server (HTTP) did not negotiate TLS, not that the login was refused', async () => {
    const http = createServer((_, res) => res.end('hello'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (http.address() as { port: number }).port;
      const r = await source(dbConfig({ port, tls: { mode: 'require' } })).connect();
      expect(r).toEqual({ ok: false, kind: 'invalid', reason: `127.0.0.1:${port}/postgres: reachable, but did not negotiate TLS: the answer to the TLS request is not PostgreSQL's (is this a PostgreSQL server?)` });
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it.each(['expired', 'x'])('classifies a hung server as a timeout even when the password is %p (words of the driver message)', async (pw) => {
    const hung = await startNeverAnsweringServer();
    try {
      const r = await source(dbConfig({ port: hung.port, connectTimeoutMs: 300 }), pw).connect();
      expect(r).toEqual({
        ok: false,
        kind: 'timeout',
        reason: `127.0.0.1:${hung.port}/postgres: no answer within 300 ms (connectTimeoutMs); the port accepted nothing or the server never finished the login`,
      });
    } finally {
      await hung.close();
    }
  });

  it('never leaks a secret with a quote and a backslash typed as the database name, even in JSON', async () => {
    const secret = 'Pw"q\\uote$1x-db';
    registerSecret(secret); // e.g. the cipher pass, registered when read
    const r = await source(dbConfig({ database: secret })).connect();
    expect(r).toMatchObject({ ok: false, kind: 'not-found' });
    if (r.ok) return;
    expect(r.reason).toBe(`127.0.0.1:${cluster.port}/***: reachable, but database "***" does not exist (SQLSTATE 3D000); check database.database`);
    expect(redact(JSON.stringify(r, null, 2))).not.toContain('uote$1x');
  });

  it('does not contact the database when the password cannot be read', async () => {
    const s = createDatabaseSource(dbConfig(), async () => failed('denied', 'AccessDenied on ssm:GetParameter'));
    sources.push(s);
    expect(await s.connect()).toMatchObject({ ok: false, kind: 'config', reason: expect.stringContaining('was not contacted') });
  });
});

describe('classifyPgError', () => {
  const cfg = () => configWith({ port: 5432, database: 'chronos', user: 'chronos_monitor' }).database;
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

  it('reports a server that is starting up or shutting down (57P03) as unreachable, with its words', () => {
    expect(classifyPgError(pgError('57P03', 'the database system is starting up'), cfg(), 'connect')).toEqual({
      kind: 'unreachable',
      reason: '127.0.0.1:5432/chronos: server refuses connections while starting up, shutting down or recovering (SQLSTATE 57P03): the database system is starting up',
    });
  });
  it('reports exhausted connection slots (53300) as reachable but full', () => {
    expect(classifyPgError(pgError('53300', 'sorry, too many clients already'), cfg(), 'connect')).toMatchObject({ kind: 'error', reason: expect.stringContaining('too many clients (SQLSTATE 53300)') });
  });
  it('classifies on the driver text as it came, even when a registered password is a word of it', () => {
    registerSecret('expired');
    expect(classifyPgError(new Error('timeout expired'), cfg(), 'connect')).toMatchObject({ kind: 'timeout', reason: expect.stringContaining('no answer within 5000 ms') });
  });
  it('redacts a password typed as the host name, in the reason and in its JSON form', () => {
    const pw = 'h0st"pass\\word';
    registerSecret(pw);
    const r = classifyPgError(Object.assign(new Error(`getaddrinfo ENOTFOUND ${pw}`), { code: 'ENOTFOUND' }), { ...cfg(), host: pw }, 'connect');
    expect(r).toEqual({ kind: 'unreachable', reason: '***:5432/chronos: host name does not resolve (ENOTFOUND)' });
    expect(redact(JSON.stringify({ ...r, host: pw }))).not.toContain('pass');
  });
  it('reports a statement timeout (57014) as a query timeout naming queryTimeoutMs', () => {
    expect(classifyPgError(pgError('57014', 'canceling statement due to statement timeout'), cfg(), 'query')).toMatchObject({ kind: 'timeout', reason: expect.stringContaining('(queryTimeoutMs)') });
  });
});

describe('createDatabaseSource when every connection slot is taken', () => {
  it('reports "too many clients" for a non-superuser when only reserved slots remain', async () => {
    const full = await PgCluster.create({ superuserPassword: SUPERUSER_PW, conf: ['max_connections = 4', 'superuser_reserved_connections = 3'] });
    const holder = source(dbConfig({ port: full.port, user: 'chronos_monitor' }));
    try {
      full.sql(`create role chronos_monitor login password '${MONITOR_PW}'; grant pg_monitor to chronos_monitor;`);
      expect(await holder.connect()).toMatchObject({ ok: true });
      const r = await source(dbConfig({ port: full.port })).connect();
      expect(r).toMatchObject({ ok: false, kind: 'error', reason: expect.stringContaining('no connection slot is free: too many clients (SQLSTATE 53300)') });
    } finally {
      await holder.close();
      full.destroy();
    }
  });
});

describe('archivedEndPosition', () => {
  const seg = 16 * 1024 * 1024;
  it('ends a 16 MiB segment 000000010000000000000003 at byte 4 * 16 MiB', () => {
    expect(archivedEndPosition('000000010000000000000003', seg)).toBe(BigInt(4 * seg));
  });
  it('crosses the log boundary: 0000000100000001000000FF ends at 0x2/00000000', () => {
    expect(archivedEndPosition('0000000100000001000000FF', seg)).toBe(0x200000000n);
  });
  it('counts the segment a .backup file names (archived before it), only the segments before a .partial, and ignores .history', () => {
    expect(archivedEndPosition('000000010000000000000002.00000028.backup', seg)).toBe(BigInt(3 * seg));
    expect(archivedEndPosition('000000020000000000000005.partial', seg)).toBe(BigInt(5 * seg));
    expect(archivedEndPosition('00000002.history', seg)).toBeNull();
    expect(archivedEndPosition(null, seg)).toBeNull();
  });
  it('handles 64 MiB segments (64 per log file)', () => {
    expect(archivedEndPosition('000000010000000100000000', 64 * 1024 * 1024)).toBe(0x104000000n);
  });
});
