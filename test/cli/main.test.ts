/**
 * End-to-end tests of `chronos-monitor check` against real parts: a PostgreSQL 15 cluster archiving through real
 * pgBackRest (a plaintext repo1 and an encrypted repo2), a least-privilege login role whose password the server
 * really checks (scram-sha-256 on TCP), the Lightsail stand-in of the demo sandbox, the demo's S3 front over
 * s3rver, and a TCP server that never answers. `main(argv, io)` runs in-process; one test spawns the real entry
 * point to prove the exit-code plumbing.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLightsail, type LightsailStandIn } from '../../demo/sandbox/lightsail';
import { startS3 } from '../../demo/sandbox/s3';
import { main } from '../../lambdas/cli/main';
import type { MonitorConfigInput } from '../../lambdas/config/schema';
import { clearSecrets } from '../../lambdas/core/redact';
import type { Report } from '../../lambdas/core/types';
import { startNeverAnsweringServer } from '../support/never-answering-server';
import { PgBackRestFixture } from '../support/pgbackrest';
import { requireLegacyOpenSsl } from '../support/s3-server';

const ROOT = join(__dirname, '../..');
const INSTANCE = 'chronos-e2e-database';
const STATIC_IP = 'chronos-e2e-static-ip';
const DB_PASSWORD = 'e2e-Db-Pa55-4b9d1c7e';
const WRONG_PASSWORD = 'e2e-Wr0ng-Pa55-93ac0f';
const PASSWORD_ENV = 'CHRONOS_E2E_DB_PASSWORD';
const CIPHER_ENV = 'CHRONOS_E2E_CIPHER_PASS';
const WRONG_CIPHER = 'e2e-wrong-cipher-pass-51d0';
/** A distinctive archive_command: it fails (false ignores its arguments) and must never be echoed. */
const BROKEN_ARCHIVE_COMMAND = 'false --e2e-archive-secret=Zq81x';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main` with a fake CliIo and captures everything it prints. */
async function cli(argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => '',
    isTTY: false,
    env: process.env,
  });
  return { code, stdout, stderr };
}

/** Runs `check --json` and parses the report. */
async function checkJson(configFile: string, extra: string[] = []): Promise<Run & { report: Report }> {
  const r = await cli(['check', '--config', configFile, '--json', '--state-file', join(work, `state-${++runs}.json`), ...extra]);
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`check --json printed no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { ...r, report };
}

/** The result of one check id in a report (throws naming the id when it is absent). */
function check(report: Report, id: string) {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`${id} not in the report: ${report.checks.map((x) => x.id).join(', ')}`);
  return c;
}

/** id -> status for a whole report, for one readable assertion. */
function statuses(report: Report): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

let f: PgBackRestFixture;
let lightsail: LightsailStandIn;
let work: string;
let runs = 0;
let fullStop: number;
const savedEnv = { ...process.env };

/** The configuration of the healthy world; `edit` changes a deep copy. */
function baseConfig(): MonitorConfigInput {
  return {
    region: 'ca-central-1',
    instance: { name: INSTANCE, staticIpName: STATIC_IP },
    database: {
      host: '127.0.0.1',
      port: f.cluster.port,
      database: 'chronos',
      user: 'chronos_monitor',
      password: { env: PASSWORD_ENV },
      tls: { mode: 'disable' },
      expectedMajorVersion: 15,
      expectedExtensions: { hstore: '1.8', pg_trgm: '1.6', postgis: '3.3.2' },
      connectTimeoutMs: 3000,
      queryTimeoutMs: 5000,
    },
    backups: { repository: { type: 'posix', path: f.repos[0].path }, stanza: f.stanza, retention: { full: 4 } },
    checks: { deadlineMs: 15000, disabled: [] },
    endpoints: { lightsail: lightsail.url },
  };
}

/** Writes a config file (the base config changed by `edit`) and returns its path. */
function writeConfig(edit: (c: MonitorConfigInput) => void = () => undefined, name = `config-${++runs}.json`): string {
  const c = baseConfig();
  edit(c);
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(c, null, 2));
  return file;
}

/** Polls pg_stat_archiver until `cond` holds (up to 20 s). */
function waitArchiver(cond: (row: { failed: number; lastFailed: string }) => boolean): void {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [failed, lastFailed] = f.cluster.sql("select failed_count, coalesce(last_failed_wal, '') from pg_stat_archiver").split('|');
    if (cond({ failed: Number(failed), lastFailed })) return;
    if (Date.now() > deadline) throw new Error(`archiver did not reach the expected state (failed_count ${failed}, last_failed_wal ${lastFailed})`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'chronos-cli-e2e-'));
  // Never reach real AWS: dummy credentials, no instance metadata, no profile from the developer's shell.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'ca-central-1' });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  process.env[PASSWORD_ENV] = DB_PASSWORD;
  f = await PgBackRestFixture.create({ repos: [{}, { encrypted: true }], pgConf: ['archive_timeout = 60'] });
  // Superuser stays trust on the socket (the harness uses it); the monitor role must present its password over TCP.
  const hba = join(f.cluster.dataDir, 'pg_hba.conf');
  writeFileSync(hba, `host all chronos_monitor 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
  f.cluster.sql('select pg_reload_conf()');
  f.cluster.sql('create database chronos');
  f.cluster.sql('create extension hstore; create extension pg_trgm; create extension postgis', 'chronos');
  f.cluster.sql(`create role chronos_monitor login password '${DB_PASSWORD}'; grant pg_monitor to chronos_monitor`);
  f.backup('full');
  f.backup('full', { repo: 2 });
  f.write(2000);
  f.backup('diff');
  f.switchWal(1);
  const info = JSON.parse(f.pgbackrest(['info', '--output=json'])) as { backup: { type: string; timestamp: { stop: number }; database: { 'repo-key': number } }[] }[];
  fullStop = info[0].backup.find((b) => b.type === 'full' && b.database['repo-key'] === 1)!.timestamp.stop;
  lightsail = await startLightsail({
    region: 'ca-central-1',
    instances: {
      [INSTANCE]: {
        name: INSTANCE,
        state: 'running',
        publicIpAddress: '127.0.0.1',
        privateIpAddress: '172.26.0.10',
        isStaticIp: true,
        blueprintId: 'ubuntu_24_04',
        bundleId: 'small_3_0',
        availabilityZone: 'ca-central-1a',
      },
    },
    staticIps: { [STATIC_IP]: { name: STATIC_IP, ipAddress: '127.0.0.1', isAttached: true, attachedTo: INSTANCE } },
  });
}, 120_000);

afterAll(async () => {
  await lightsail?.close();
  f?.destroy();
  if (work) rmSync(work, { recursive: true, force: true });
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
});

beforeEach(() => {
  // Each run must hide its secrets by itself, not because an earlier run happened to register them.
  clearSecrets();
  process.env[PASSWORD_ENV] = DB_PASSWORD;
  delete process.env[CIPHER_ENV];
});

describe('chronos-monitor check on a healthy world', () => {
  it('reports every belt ok (bucket skipped for a posix repository), exits 0 and remembers the WAL position', async () => {
    const stateFile = join(work, 'healthy-state.json');
    const r = await cli(['check', '--config', writeConfig(), '--json', '--state-file', stateFile]);
    const report = JSON.parse(r.stdout) as Report;
    expect({ code: r.code, status: report.status, stderr: r.stderr }).toEqual({ code: 0, status: 'ok', stderr: '' });
    expect(statuses(report)).toEqual({
      'instance.state': 'ok',
      'instance.static-ip': 'ok',
      'db.connect': 'ok',
      'db.extensions': 'ok',
      'db.size': 'ok',
      'db.archiver': 'ok',
      'backup.repository': 'ok',
      'backup.full-age': 'ok',
      'backup.diff-age': 'ok',
      'backup.wal-age': 'ok',
      'backup.wal-continuity': 'ok',
      'backup.rpo': 'ok',
      'backup.recoverability': 'ok',
      'backup.quality': 'ok',
      'backup.retention': 'ok',
      'bucket.config': 'skipped',
      'bucket.lifecycle': 'skipped',
    });
    expect(check(report, 'instance.static-ip').summary).toContain(`static IP ${STATIC_IP} (127.0.0.1) is attached to ${INSTANCE} and is database.host`);
    expect(check(report, 'db.connect').summary).toMatch(/^PostgreSQL 15\.\d+ reachable, login ok in \d+ ms, no TLS$/);
    expect(check(report, 'db.extensions').summary).toMatch(/all 3 expected extensions present .*hstore 1\.8, pg_trgm 1\.6, postgis 3\.3\.\d/);
    expect(check(report, 'backup.repository').summary).toMatch(/backup\.info and archive\.info readable, checksums verified, format 5, .* 2 backup\(s\)/);
    expect(check(report, 'bucket.config').summary).toContain('posix directory');
    expect(lightsail.calls.GetInstance).toBeGreaterThan(0);
    expect(lightsail.calls.GetStaticIp).toBeGreaterThan(0);
    // A real run teaches the state file the current WAL position (backup.rpo reads it next time).
    expect(Object.keys(JSON.parse(readFileSync(stateFile, 'utf8')))).toContain(`rpo.lastLsn.${f.stanza}`);
  });

  it('prints the human report grouped by belt with an overall line, and never the password', async () => {
    const r = await cli(['check', '--config', writeConfig(), '--state-file', join(work, 'text-state.json')]);
    expect(r.code).toBe(0);
    for (const belt of ['INSTANCE', 'DATABASE', 'BACKUPS & WAL', 'BUCKET']) expect(r.stdout).toContain(`\n${belt}\n`);
    expect(r.stdout).toMatch(/✔ OK\s+db\.connect\s+PostgreSQL 15/);
    expect(r.stdout).toMatch(/Overall: OK — 15 ok, 2 skipped \(\d+\.\d s\)\n$/);
    expect(r.stdout + r.stderr).not.toContain(DB_PASSWORD);
  });
});

describe('chronos-monitor check --now (what-if)', () => {
  it('fails backup.full-age 31 h after the full backup, exits 2 and does not write the state file', async () => {
    const now = new Date((fullStop + 31 * 3600) * 1000).toISOString();
    const stateFile = join(work, 'now-state.json');
    const r = await cli(['check', '--config', writeConfig(), '--json', '--now', now, '--state-file', stateFile]);
    const report = JSON.parse(r.stdout) as Report;
    expect(r.code).toBe(2);
    expect(report.status).toBe('fail');
    const full = check(report, 'backup.full-age');
    expect(full.status).toBe('fail');
    expect(full.summary).toMatch(/newest full backup \d{8}-\d{6}F finished 31h 00m ago \(.*\); warn > 26h, fail > 30h \(backups\.fullAgeHours\)/);
    expect(full.metrics).toContainEqual({ name: 'FullBackupAgeSeconds', value: 31 * 3600, unit: 'Seconds' });
    expect(check(report, 'backup.diff-age').status).toBe('fail');
    expect(existsSync(stateFile)).toBe(false);
  });
});

describe('chronos-monitor check on a broken database side', () => {
  it('fails db.extensions naming a missing extension and warns about one older than expected', async () => {
    const missing = await checkJson(writeConfig((c) => (c.database.expectedExtensions = { hstore: '1.8', citext: '1.6' })), ['--only', 'db.extensions']);
    expect(missing.code).toBe(2);
    expect(check(missing.report, 'db.extensions')).toMatchObject({ status: 'fail', summary: '1 of 2 expected extensions have problems: citext missing (expected >= 1.6)' });
    expect(check(missing.report, 'db.extensions').metrics).toContainEqual({ name: 'ExtensionsMissing', value: 1, unit: 'Count' });

    const old = await checkJson(writeConfig((c) => (c.database.expectedExtensions = { pg_trgm: '1.7', postgis: '3.3.2' })), ['--only', 'db.extensions']);
    expect(old.code).toBe(1);
    expect(check(old.report, 'db.extensions')).toMatchObject({ status: 'warn', summary: '1 of 2 expected extensions have problems: pg_trgm 1.6 older than expected 1.7' });
  });

  it('fails db.connect with "login refused" for a wrong password, and neither password appears anywhere', async () => {
    process.env[PASSWORD_ENV] = WRONG_PASSWORD;
    const r = await checkJson(writeConfig(), ['--only', 'db.']);
    expect(r.code).toBe(2);
    const connect = check(r.report, 'db.connect');
    expect(connect.status).toBe('fail');
    expect(connect.summary).toBe(
      `PostgreSQL reachable, login refused: 127.0.0.1:${f.cluster.port}/chronos: password authentication failed for user "chronos_monitor" (SQLSTATE 28P01)`,
    );
    expect(connect.metrics).toEqual([
      { name: 'DbUp', value: 1, unit: 'Count' },
      { name: 'DbLoginOk', value: 0, unit: 'Count' },
    ]);
    expect(statuses(r.report)).toEqual({ 'db.connect': 'fail', 'db.extensions': 'unknown', 'db.size': 'unknown', 'db.archiver': 'unknown' });
    const text = await cli(['check', '--config', writeConfig(), '--only', 'db.', '--state-file', join(work, 'pw-state.json')]);
    for (const out of [r.stdout, r.stderr, text.stdout, text.stderr]) {
      expect(out).not.toContain(WRONG_PASSWORD);
      expect(out).not.toContain(DB_PASSWORD);
    }
    expect(text.stdout).toMatch(/✖ FAIL\s+db\.connect\s+PostgreSQL reachable, login refused/);
  });

  it('keeps ids, statuses and keys of the JSON report intact when the password is a common word ("backup")', async () => {
    process.env[PASSWORD_ENV] = 'backup';
    const r = await checkJson(writeConfig(), ['--only', 'backup.repository,db.connect']);
    expect(r.report.checks.map((c) => c.id)).toEqual(['db.connect', 'backup.repository']);
    expect(check(r.report, 'db.connect').status).toBe('fail');
    expect(check(r.report, 'backup.repository').status).toBe('ok');
    expect(Object.keys(r.report).sort()).toEqual(['checks', 'durationMs', 'startedAt', 'status']);
  });

  it('reports db.connect unknown, not down, when the password variable is not set', async () => {
    delete process.env[PASSWORD_ENV];
    const r = await checkJson(writeConfig(), ['--only', 'db.connect']);
    expect(r.code).toBe(3);
    expect(check(r.report, 'db.connect')).toMatchObject({ status: 'unknown', summary: expect.stringContaining(`environment variable ${PASSWORD_ENV} is not set`) });
    expect(check(r.report, 'db.connect').summary).toContain('the database was not contacted');
  });

  it('reports the database unreachable within the connect timeout while the backup checks still report', async () => {
    const hung = await startNeverAnsweringServer();
    try {
      const config = writeConfig((c) => {
        c.database.port = hung.port;
        c.database.connectTimeoutMs = 1000;
        c.checks = { deadlineMs: 5000, disabled: [] };
      });
      const r = await checkJson(config);
      expect(hung.accepted()).toBeGreaterThan(0);
      expect(r.code).toBe(2);
      const connect = check(r.report, 'db.connect');
      expect(connect.status).toBe('fail');
      expect(connect.summary).toBe(
        `PostgreSQL unreachable: 127.0.0.1:${hung.port}/chronos: no answer within 1000 ms (connectTimeoutMs); the port accepted nothing or the server never finished the login`,
      );
      expect(connect.metrics).toContainEqual({ name: 'DbUp', value: 0, unit: 'Count' });
      for (const id of ['db.extensions', 'db.size', 'db.archiver']) expect(check(r.report, id).status).toBe('unknown');
      // The runner isolates checks: the repository still answers for the backup belt and nothing hit the deadline.
      for (const id of ['backup.repository', 'backup.full-age', 'backup.diff-age', 'backup.quality', 'backup.retention', 'instance.state', 'instance.static-ip']) {
        expect([id, check(r.report, id).status]).toEqual([id, 'ok']);
      }
      expect(check(r.report, 'backup.full-age').metrics[0].name).toBe('FullBackupAgeSeconds');
      expect(r.report.checks.filter((c) => /did not finish within/.test(c.summary))).toEqual([]);
      // Without the database the WAL segment size is unknown, and the WAL checks say so and how to fix it.
      for (const id of ['backup.wal-age', 'backup.wal-continuity', 'backup.recoverability']) {
        expect(check(r.report, id)).toMatchObject({ status: 'unknown', summary: expect.stringContaining('wal_segment_size is unknown: the database is not readable') });
        expect(check(r.report, id).summary).toContain('database.walSegmentSizeBytes is not set');
      }
      expect(check(r.report, 'backup.rpo')).toMatchObject({ status: 'unknown', summary: expect.stringMatching(/^RPO exposure cannot be measured: the database is not readable/) });

      // With the segment size configured, the repository alone proves fresh, continuous, restorable WAL.
      const sized = writeConfig((c) => {
        c.database.port = hung.port;
        c.database.connectTimeoutMs = 1000;
        c.database.walSegmentSizeBytes = 16 * 1024 * 1024;
        c.checks = { deadlineMs: 5000, disabled: [] };
      });
      const repoOnly = await checkJson(sized, ['--only', 'backup.']);
      expect(statuses(repoOnly.report)).toMatchObject({ 'backup.wal-age': 'ok', 'backup.wal-continuity': 'ok', 'backup.recoverability': 'ok', 'backup.rpo': 'unknown' });
      expect(check(repoOnly.report, 'backup.recoverability').summary).toContain('judged on the repository only');
      expect(repoOnly.code).toBe(3);
    } finally {
      await hung.close();
    }
  });
});

describe('chronos-monitor check on repository trouble', () => {
  it('says why an encrypted repository cannot be read without a cipher pass or with a wrong one, never "no backups"', async () => {
    const repo2 = f.repos[1];
    const noPass = await checkJson(writeConfig((c) => (c.backups.repository = { type: 'posix', path: repo2.path })), ['--only', 'backup.repository,backup.full-age']);
    expect(noPass.code).toBe(3);
    // Both info files fail alike, so the summary states the reason once.
    expect(check(noPass.report, 'backup.repository')).toMatchObject({
      status: 'unknown',
      summary: `repository ${repo2.path} not usable: backup.info and archive.info: repository is encrypted but backups.cipherPass is not configured; expected both info files readable`,
    });
    expect(check(noPass.report, 'backup.repository').details).toEqual({ backupInfo: 'config', archiveInfo: 'config' });
    expect(check(noPass.report, 'backup.full-age').status).toBe('unknown');

    process.env[CIPHER_ENV] = WRONG_CIPHER;
    const wrongConfig = writeConfig((c) => {
      c.backups.repository = { type: 'posix', path: repo2.path };
      c.backups.cipherPass = { env: CIPHER_ENV };
    });
    const wrong = await checkJson(wrongConfig, ['--only', 'backup.repository,backup.full-age']);
    expect(wrong.code).toBe(3);
    const repository = check(wrong.report, 'backup.repository');
    expect(repository.status).toBe('unknown');
    expect(repository.summary).toContain('cipher pass does not decrypt backup.info (wrong pass?)');
    expect(check(wrong.report, 'backup.full-age')).toMatchObject({ status: 'unknown' });
    for (const r of [noPass, wrong]) {
      for (const c of r.report.checks) expect(c.summary).not.toMatch(/no (full )?backups?\b/i);
      expect(r.stdout + r.stderr).not.toContain(WRONG_CIPHER);
      expect(r.stdout + r.stderr).not.toContain(repo2.cipherPass);
    }

    // The right pass decrypts: proof the two verdicts above are about the pass, not the repository.
    clearSecrets();
    process.env[CIPHER_ENV] = repo2.cipherPass;
    const right = await checkJson(wrongConfig, ['--only', 'backup.repository,backup.full-age']);
    expect(right.code).toBe(0);
    expect(check(right.report, 'backup.repository').summary).toMatch(/^backup\.info and archive\.info readable \(decrypted\)/);
    expect(right.stdout).not.toContain(repo2.cipherPass);
  });

  it('warns naming backup.info when it is corrupt but backup.info.copy is good, and still computes the ages', async () => {
    const copy = join(work, 'repo-corrupt');
    cpSync(f.repos[0].path, copy, { recursive: true, verbatimSymlinks: true });
    const info = join(copy, 'backup', f.stanza, 'backup.info');
    const storedSum = /backrest-checksum="([0-9a-f]{40})"/.exec(readFileSync(info, 'utf8'))![1];
    writeFileSync(info, readFileSync(info, 'utf8').replace(/backup-timestamp-stop":(\d+)/, 'backup-timestamp-stop":1$1'));
    const r = await checkJson(writeConfig((c) => (c.backups.repository = { type: 'posix', path: copy })), ['--only', 'backup.repository,backup.full-age,backup.diff-age']);
    expect(r.code).toBe(1);
    const repository = check(r.report, 'backup.repository');
    expect(repository.status).toBe('warn');
    expect(repository.summary).toBe(
      `backup/${f.stanza}/backup.info unusable (backup/${f.stanza}/backup.info in ${copy} fails its checksum (stored ${storedSum}, computed ${repository.summary.match(/computed ([0-9a-f]{40})/)?.[1]}); the file is damaged or was edited), read backup/${f.stanza}/backup.info.copy; expected the main file intact`,
    );
    for (const id of ['backup.full-age', 'backup.diff-age']) {
      expect(check(r.report, id).status).toBe('ok');
      expect(check(r.report, id).details.source).toBe(`backup/${f.stanza}/backup.info.copy`);
    }
    expect(check(r.report, 'backup.full-age').metrics[0]).toMatchObject({ name: 'FullBackupAgeSeconds', unit: 'Seconds' });
  });
});

describe('chronos-monitor check with the repository in S3', () => {
  it('reads the repository and the bucket settings through the S3 endpoint and reports every belt ok', async () => {
    requireLegacyOpenSsl();
    f.switchWal(1);
    const s3 = await startS3({
      bucket: 'chronos-e2e-backups',
      prefix: 'e2e/pgbackrest/',
      fixtureDir: f.repos[0].path,
      settings: { versioning: 'Enabled', encryption: { algorithm: 'AES256', bucketKey: true }, publicAccessBlock: true, lifecycleRulesXml: null },
    });
    try {
      const config = writeConfig((c) => {
        c.backups.repository = { type: 's3', bucket: 'chronos-e2e-backups', path: '/e2e/pgbackrest', endpoint: s3.url, forcePathStyle: true };
        c.bucket = { versioning: 'Enabled', encryption: 'AES256', bucketKey: true, publicAccessBlock: true };
      });
      const r = await checkJson(config);
      expect(Object.entries(statuses(r.report)).filter(([, s]) => s !== 'ok')).toEqual([]);
      expect(r.code).toBe(0);
      expect(check(r.report, 'backup.repository').summary).toContain('2 backup(s)');
      expect(check(r.report, 'bucket.config').summary).toBe(
        'bucket chronos-e2e-backups: versioning Enabled, encryption AES256, bucket key enabled, public access block all four flags true (all 4 as configured)',
      );
      expect(check(r.report, 'bucket.lifecycle').summary).toMatch(/^bucket chronos-e2e-backups has no lifecycle rules/);
    } finally {
      await s3.close();
    }
  });
});

describe('chronos-monitor check selection, configuration errors and JSON shape', () => {
  it('runs only the selected checks with --only backup.,db.connect', async () => {
    const r = await checkJson(writeConfig(), ['--only', 'backup.,db.connect']);
    expect(r.report.checks.map((c) => c.id)).toEqual([
      'db.connect',
      'backup.repository',
      'backup.full-age',
      'backup.diff-age',
      'backup.wal-age',
      'backup.wal-continuity',
      'backup.rpo',
      'backup.recoverability',
      'backup.quality',
      'backup.retention',
    ]);
    expect(r.code).toBe(0);
    expect(lightsail.calls.GetInstance).toBeDefined();
  });

  it('exits 3 naming an --only entry that selects no check', async () => {
    const r = await cli(['check', '--config', writeConfig(), '--only', 'backup.,nosuch']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^chronos-monitor: --only names no check: nosuch; check ids are: instance\.state, /);
  });

  it('exits 3 with a message naming the bad configuration field', async () => {
    const file = writeConfig((c) => {
      (c.database as Record<string, unknown>).port = '5432';
      c.backups.rpoMinutes = { warn: 20, fail: 10 };
    });
    const r = await cli(['check', '--config', file]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`configuration file ${file} is invalid:`);
    expect(r.stderr).toContain('`database.port` must be a number, got: "5432"');
    expect(r.stderr).toMatch(/`backups\.rpoMinutes` must be a pair with warn <= fail \(minutes\)/);
  });

  it('exits 3 naming a misspelt id in checks.disabled instead of silently disabling nothing', async () => {
    const file = writeConfig((c) => (c.checks = { disabled: ['instance.sate'] }));
    const r = await cli(['check', '--config', file]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('`checks.disabled` names no check: "instance.sate"; check ids are: instance.state, ');
  });

  it('exits 3 and hints at 2>&1 when logs gets no PostgreSQL log lines', async () => {
    const r = await cli(['logs', '-']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('did you forget 2>&1?');
  });

  it('prints a JSON report of the public shape', async () => {
    const r = await checkJson(writeConfig(), ['--only', 'db.,instance.']);
    expect(Object.keys(r.report).sort()).toEqual(['checks', 'durationMs', 'startedAt', 'status']);
    expect(r.report.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof r.report.durationMs).toBe('number');
    expect(r.report.checks).toHaveLength(6);
    for (const c of r.report.checks) {
      expect(c).toEqual(
        expect.objectContaining({ id: expect.any(String), status: expect.stringMatching(/^(ok|warn|fail|unknown|skipped)$/), summary: expect.any(String), metrics: expect.any(Array), details: expect.any(Object) }),
      );
      for (const m of c.metrics) expect(m).toEqual({ name: expect.stringMatching(/^[A-Z][A-Za-z]+$/), value: expect.any(Number), unit: expect.any(String) });
    }
  });
});

describe('chronos-monitor check when WAL archiving is broken', () => {
  it('fails db.archiver (exit 2) and never prints the archive_command', async () => {
    f.cluster.reconfigure([`archive_command = '${BROKEN_ARCHIVE_COMMAND}'`]);
    try {
      f.write(100);
      const wal = f.cluster.sql('select pg_walfile_name(pg_switch_wal())');
      waitArchiver((a) => a.failed > 0 && a.lastFailed >= wal);
      const r = await checkJson(writeConfig(), ['--only', 'db.,backup.rpo']);
      expect(r.code).toBe(2);
      const archiver = check(r.report, 'db.archiver');
      expect(archiver.status).toBe('fail');
      expect(archiver.summary).toMatch(new RegExp(`^archiving is failing: WAL ${wal} last failed at .*, \\d+ failures since`));
      expect(archiver.metrics).toContainEqual({ name: 'ArchiveFailing', value: 1, unit: 'Count' });
      const text = await cli(['check', '--config', writeConfig(), '--only', 'db.archiver', '--state-file', join(work, 'archiver-state.json')]);
      for (const out of [r.stdout, r.stderr, text.stdout, text.stderr]) expect(out).not.toContain('e2e-archive-secret');
    } finally {
      // Restore archiving for anything that runs after this test.
      f.cluster.reconfigure([`archive_command = '/usr/bin/pgbackrest --config=${f.configPath} --stanza=${f.stanza} archive-push %p'`]);
      f.switchWal(1);
    }
  });
});

describe('bin/chronos-monitor.js', () => {
  it('exits with the report status code as a real process (2 for a failing --now run) and prints parseable JSON', async () => {
    const config = writeConfig(undefined, 'spawned.json');
    const now = new Date((fullStop + 31 * 3600) * 1000).toISOString();
    const child = spawn(process.execPath, [join(ROOT, 'bin/chronos-monitor.js'), 'check', '--config', config, '--json', '--now', now], {
      cwd: work,
      env: { ...process.env, XDG_CACHE_HOME: join(work, 'xdg') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Node 20 makes the AWS SDK print a support warning (Lambda runs Node 24); nothing else may reach stderr.
    const otherStderr = stderr.replace(/^\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?to show where the warning was created\)\n/m, '');
    expect({ code, stderr: otherStderr }).toEqual({ code: 2, stderr: '' });
    const report = JSON.parse(stdout) as Report;
    expect(report.status).toBe('fail');
    expect(check(report, 'backup.full-age').status).toBe('fail');
    expect(check(report, 'db.connect').status).toBe('ok');
    expect(stdout).not.toContain(DB_PASSWORD);
    // --now is a what-if: no state file appears under the default cache directory either.
    expect(existsSync(join(work, 'xdg'))).toBe(false);
  }, 60_000);
});
