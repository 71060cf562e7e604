import { createServer } from 'node:http';
import { createDatabaseSource } from '../../../lambdas/adapters/postgres';
import { dbArchiver } from '../../../lambdas/checks/database/archiver';
import { dbConnect } from '../../../lambdas/checks/database/connect';
import { dbSize } from '../../../lambdas/checks/database/size';
import { observed } from '../../../lambdas/core/observed';
import type { DatabaseSource } from '../../../lambdas/core/ports';
import { clearSecrets, redact, registerSecret } from '../../../lambdas/core/redact';
import { runChecks } from '../../../lambdas/core/runner';
import { startNeverAnsweringServer } from '../../support/never-answering-server';
import { freePort, PgCluster } from '../../support/pg-cluster';
import { configWith, contextFor } from './context';

const PW = 'c0nnect-Secret-pw';
let cluster: PgCluster;
const opened: DatabaseSource[] = [];

async function runConnect(database: Parameters<typeof configWith>[0], password = PW) {
  const config = configWith({ port: cluster.port, connectTimeoutMs: 1000, ...database });
  const src = createDatabaseSource(config.database, async () => observed(password));
  opened.push(src);
  const report = await runChecks([dbConnect], { config, deps: contextFor(config, src).deps, now: new Date() }, { deadlineMs: 10_000 });
  return report.checks[0];
}
const metric = (r: { metrics: { name: string; value: number }[] }, name: string) => r.metrics.find((m) => m.name === name)?.value;

beforeAll(async () => {
  cluster = await PgCluster.create({ superuserPassword: 'super-pw-1' });
  cluster.sql(`create role chronos_monitor login password '${PW}'; grant pg_monitor to chronos_monitor;`);
});
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  cluster?.destroy();
  clearSecrets();
});

describe('db.connect', () => {
  it('is ok when the server is reachable, accepts the login and runs the expected major version', async () => {
    const r = await runConnect({ expectedMajorVersion: 15 });
    expect(r.status).toBe('ok');
    expect(r.summary).toMatch(/^PostgreSQL 15\.\d+ reachable, login ok in \d+ ms, no TLS$/);
    expect(metric(r, 'DbUp')).toBe(1);
    expect(metric(r, 'DbLoginOk')).toBe(1);
    expect(metric(r, 'DbLatencyMilliseconds')).toBeGreaterThan(0);
    expect(r.details).toMatchObject({ tls: false, tlsMode: 'disable', inRecovery: false });
  });

  it('fails when the server major version is not the expected one, naming both', async () => {
    const r = await runConnect({ expectedMajorVersion: 16 });
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/server major version 15 \(15\.\d+.*\) is not the expected 16/);
  });

  it('fails as "reachable, login refused" on a wrong password, without printing it', async () => {
    const r = await runConnect({}, 'not-the-Password-42');
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^PostgreSQL reachable, login refused: .*password authentication failed/);
    expect(metric(r, 'DbUp')).toBe(1);
    expect(metric(r, 'DbLoginOk')).toBe(0);
    expect(JSON.stringify(r)).not.toContain('not-the-Password-42');
  });

  it('fails as unreachable when nothing listens on the port', async () => {
    const r = await runConnect({ port: await freePort() });
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^PostgreSQL unreachable: .*connection refused/);
    expect(metric(r, 'DbUp')).toBe(0);
  });

  it('fails as unreachable at the connect timeout when the server accepts TCP but never answers', async () => {
    const hung = await startNeverAnsweringServer();
    try {
      const r = await runConnect({ port: hung.port, connectTimeoutMs: 300 });
      expect(r.status).toBe('fail');
      expect(r.summary).toMatch(/^PostgreSQL unreachable: .*no answer within 300 ms \(connectTimeoutMs\)/);
      expect(metric(r, 'DbUp')).toBe(0);
    } finally {
      await hung.close();
    }
  });

  it('fails as unreachable, not "login refused", at the connect timeout when the password is a word of the driver message', async () => {
    const hung = await startNeverAnsweringServer();
    try {
      const r = await runConnect({ port: hung.port, connectTimeoutMs: 300 }, 'expired');
      expect(r.status).toBe('fail');
      expect(r.summary).toBe(`PostgreSQL unreachable: 127.0.0.1:${hung.port}/postgres: no answer within 300 ms (connectTimeoutMs); the port accepted nothing or the server never finished the login`);
      expect(metric(r, 'DbUp')).toBe(0);
    } finally {
      await hung.close();
    }
  });

  it('is unknown, with no DbUp, when the CA file cannot be read and the database was never contacted', async () => {
    const r = await runConnect({ tls: { mode: 'verify-full', caFile: '/nonexistent/ca.pem' } });
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('database.tls.caFile /nonexistent/ca.pem cannot be read: ENOENT; the database was not contacted');
    expect(r.metrics).toEqual([]);
    expect(r.details).toMatchObject({ contacted: false, failure: 'config' });
  });

  it('fails as "reachable, TLS not established" (not "login refused") when an HTTP server answers in mode require', async () => {
    const http = createServer((_, res) => res.end('hello'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (http.address() as { port: number }).port;
      const r = await runConnect({ port, tls: { mode: 'require' } });
      expect(r.status).toBe('fail');
      expect(r.summary).toMatch(/^PostgreSQL reachable, TLS not established: .*did not negotiate TLS.*\(is this a PostgreSQL server\?\)$/);
      expect(metric(r, 'DbUp')).toBe(1);
      expect(metric(r, 'DbLoginOk')).toBe(0);
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('never shows a secret with a quote and a backslash typed as the database name, in any check or its JSON', async () => {
    const secret = 'Pw"q\\uote$1x';
    registerSecret(secret);
    const config = configWith({ port: cluster.port, connectTimeoutMs: 1000, database: secret });
    const src = createDatabaseSource(config.database, async () => observed(PW));
    opened.push(src);
    const report = await runChecks([dbConnect, dbSize, dbArchiver], { config, deps: contextFor(config, src).deps, now: new Date() }, { deadlineMs: 10_000 });
    expect(report.checks.map((c) => c.status)).toEqual(['fail', 'unknown', 'unknown']);
    expect(report.checks[1].summary).toContain('reachable, but database "***" does not exist');
    for (const out of [JSON.stringify(report), JSON.stringify(report, null, 2), redact(JSON.stringify(report, null, 2))]) {
      expect(out).not.toContain('uote$1x');
    }
  });

  it('warns when the server is in recovery', async () => {
    const config = configWith({});
    const fake = {
      connect: async () => observed({ latencyMs: 3, serverVersionNum: 160004, serverVersion: '16.4', tls: true, tlsVersion: 'TLSv1.3', inRecovery: true, startedAt: '2025-11-30T11:00:00.000Z', database: 'chronos' }),
    } as unknown as DatabaseSource;
    const r = await dbConnect.run(contextFor(config, fake));
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/in recovery.*\(PostgreSQL 16\.4 reachable, login ok in 3 ms, TLS TLSv1\.3\)/);
  });

  it('is unknown, not down, when the password source fails and the database was never contacted', async () => {
    const config = configWith({});
    const src = createDatabaseSource(config.database, async () => ({ ok: false, kind: 'denied', reason: 'AccessDenied: ssm:GetParameter' }));
    const r = await dbConnect.run(contextFor(config, src));
    expect(r.status).toBe('unknown');
    expect(r.summary).toMatch(/password could not be read \(denied: AccessDenied/);
    expect(r.metrics ?? []).toEqual([]);
  });
});
