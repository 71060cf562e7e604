import { Socket } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { classifyLog, renderLogReport } from '../../lambdas/logs/classify';
import type { LogReport } from '../../lambdas/logs/types';
import { PG_BINDIR, PgCluster, runAsOwner } from '../support/pg-cluster';

const SUPER_PW = 'l0gs-Super-pw';
const SECRET_IN_COMMAND = 'S3CR3T-archive-token';

/** Sends raw bytes to the server port and waits until the server hangs up (or we do, after `holdMs`). */
function probe(port: number, bytes: Buffer, holdMs = 200): Promise<void> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.on('error', () => resolve());
    s.on('close', () => resolve());
    s.connect(port, '127.0.0.1', () => {
      s.write(bytes);
      setTimeout(() => s.end(), holdMs);
    });
    s.on('data', () => undefined);
  });
}

function startupPacket(protocol: number, params: Record<string, string>): Buffer {
  const body = Buffer.concat([...Object.entries(params).flatMap(([k, v]) => [Buffer.from(`${k}\0${v}\0`)]), Buffer.from('\0')]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(protocol, 4);
  return Buffer.concat([head, body]);
}

async function login(port: number, user: string, password: string): Promise<void> {
  const c = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres', connectionTimeoutMillis: 5000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
  } catch {
    // The failures are the point: the server logs them.
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Waits until the server log contains every text (the server writes it asynchronously); the test timeout bounds it. */
async function logContains(cluster: PgCluster, texts: (string | RegExp)[]): Promise<string> {
  for (;;) {
    const log = cluster.log();
    if (texts.every((t) => (typeof t === 'string' ? log.includes(t) : t.test(log)))) return log;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const kind = (r: LogReport, id: string) => r.kinds.find((k) => k.id === id);

describe('classifyLog on the log of a real PostgreSQL 15 (default prefix "%m [%p] ")', () => {
  let cluster: PgCluster;
  let report: LogReport;
  let raw: string;

  beforeAll(async () => {
    cluster = await PgCluster.create({
      superuserPassword: SUPER_PW,
      conf: ['archive_mode = on', `archive_command = 'false ${SECRET_IN_COMMAND}'`],
    });
    for (let i = 0; i < 6; i++) await login(cluster.port, 'postgres', `wrong-${i}`);
    await login(cluster.port, 'admin', 'guess');
    await probe(cluster.port, Buffer.from([0, 0]));
    await probe(cluster.port, Buffer.from('GET / HTTP/1.1\r\nHost: 203.0.113.10:5432\r\n\r\n'));
    await probe(cluster.port, startupPacket(0x00000000, {}));
    await probe(cluster.port, startupPacket(0x00ff00ff, {}));
    await probe(cluster.port, startupPacket(0x00030000, { database: 'postgres' }));
    cluster.sql('create table t as select 1 as i; select pg_switch_wal();');
    await logContains(cluster, ['archive command failed', 'incomplete startup packet', 'invalid length of startup packet', 'no PostgreSQL user name', '255.255']);
    // Let the backlog drain so the fast shutdown does not wait on the failing archiver.
    cluster.reconfigure([`archive_command = 'true'`]);
    cluster.stop();
    cluster.start();
    raw = await logContains(cluster, ['database system is shut down', /ready to accept connections[\s\S]*ready to accept connections/]);
    report = classifyLog(raw);
  });
  afterAll(() => cluster?.destroy());

  it('counts every scanner probe as harmless noise', () => {
    expect(kind(report, 'noise.incomplete-startup-packet')?.count).toBe(1);
    expect(kind(report, 'noise.invalid-startup-length')?.count).toBe(1);
    expect(kind(report, 'noise.unsupported-protocol')?.count).toBe(2);
    expect(kind(report, 'noise.no-user')?.count).toBe(1);
    expect(report.categories.noise).toBe(5);
  });

  it('counts 7 password failures within 10 minutes as suspected brute force against postgres and admin', () => {
    expect(kind(report, 'auth.password-failed')?.count).toBe(7);
    expect(report.bruteForce).toMatchObject({ failures: 7, maxInWindow: 7, detected: true, timed: true });
    expect(report.bruteForce.users).toEqual([{ name: 'postgres', count: 6 }, { name: 'admin', count: 1 }]);
  });

  it('reports the failing archive command as real trouble with first and last times, never its DETAIL text', () => {
    const k = kind(report, 'trouble.archive-failed');
    expect(k?.count).toBeGreaterThanOrEqual(1);
    expect(k?.first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(k?.example).toMatch(/^archive command failed with exit code 1$/);
    expect(raw).toContain(SECRET_IN_COMMAND);
    expect(JSON.stringify(report)).not.toContain(SECRET_IN_COMMAND);
    expect(renderLogReport(report)).not.toContain(SECRET_IN_COMMAND);
  });

  it('sees the fast shutdown and both starts as lifecycle events', () => {
    expect(kind(report, 'lifecycle.shutdown')?.count).toBe(2);
    expect(kind(report, 'lifecycle.start')?.count).toBe(4);
    expect(kind(report, 'lifecycle.crash-recovery')).toBeUndefined();
  });

  it('fails overall because archiving failed, and says so first', () => {
    expect(report.verdict).toBe('fail');
    expect(report.summary).toMatch(/^archive command failing ×\d+; brute force suspected: 7 authentication failures within 10 min \(threshold 5\); 5 scanner probe\(s\) \(harmless\)$/);
    expect(report.unclassified.unparsedLines).toBe(0);
  });
});

describe('classifyLog with log_connections=on after a backend crash', () => {
  let cluster: PgCluster;
  let report: LogReport;

  beforeAll(async () => {
    cluster = await PgCluster.create({ superuserPassword: SUPER_PW, conf: ['log_connections = on'] });
    for (let i = 0; i < 5; i++) await login(cluster.port, 'postgres', `nope-${i}`);
    await login(cluster.port, 'postgres', SUPER_PW);
    const victim = new pg.Client({ host: '127.0.0.1', port: cluster.port, user: 'postgres', password: SUPER_PW, database: 'postgres' });
    victim.on('error', () => undefined);
    await victim.connect();
    const pid = Number((await victim.query('select pg_backend_pid() as pid')).rows[0].pid);
    process.kill(pid, 'SIGKILL');
    await logContains(cluster, [`(PID ${pid}) was terminated by signal 9`, /all server processes terminated; reinitializing[\s\S]*ready to accept connections/]);
    await victim.end().catch(() => undefined);
    runAsOwner(join(PG_BINDIR, 'pg_ctl'), ['-D', cluster.dataDir, '-m', 'immediate', '-w', 'stop']);
    cluster.start();
    report = classifyLog(await logContains(cluster, ['automatic recovery in progress', /immediate shutdown request[\s\S]*ready to accept connections/]));
  });
  afterAll(() => cluster?.destroy());

  it('reports the killed backend as a crash', () => {
    expect(kind(report, 'trouble.server-crash')?.count).toBeGreaterThanOrEqual(3);
    expect(kind(report, 'trouble.server-crash')?.example).toMatch(/^server process \(PID \d+\) was terminated by signal 9: Killed$/);
  });

  it('reports crash recovery after an immediate shutdown', () => {
    expect(kind(report, 'lifecycle.crash-recovery')?.count).toBeGreaterThanOrEqual(1);
  });

  it('ties failures to their source address and flags the superuser login that followed them', () => {
    expect(report.bruteForce.sources).toEqual([{ host: '127.0.0.1', count: 5 }]);
    // Two later logins: the successful one and the session that was then killed.
    expect(report.bruteForce.loginsAfterFailures).toEqual([1, 2].map(() => ({ user: 'postgres', host: '127.0.0.1', time: expect.any(String) })));
    expect(report.verdict).toBe('fail');
    expect(renderLogReport(report)).toContain('FAIL  login as postgres succeeded from 127.0.0.1 after failed attempts');
  });
});
