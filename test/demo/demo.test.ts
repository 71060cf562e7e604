import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { ALL_CHECKS } from '../../lambdas/checks';

const ROOT = join(__dirname, '../..');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the demo as `npm run demo` does (`node --import tsx demo/run.ts`), in its own process group so Ctrl-C can be simulated. */
function runDemo(options: { interruptWhen?: RegExp } = {}): Promise<Run> {
  // Without the legacy OpenSSL flag in NODE_OPTIONS (as when run by hand), the demo must re-run itself with it.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/run.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 110_000);
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (options.interruptWhen && !interrupted && options.interruptWhen.test(stdout)) {
      interrupted = true;
      // What a terminal does on Ctrl-C: SIGINT to the whole foreground process group.
      process.kill(-child.pid!, 'SIGINT');
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

function listenerPorts(text: string): number[] {
  return [...new Set([...text.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])))];
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

/** The status word printed for a check id in a rendered report section. */
function statusOf(section: string, id: string): string | undefined {
  return new RegExp(`(OK|WARN|FAIL|UNKNOWN|SKIPPED)\\s+${id.replace(/\./g, '\\.')}\\s`).exec(section)?.[1];
}

describe('npm run demo', () => {
  let run: Run;
  let healthy: string;
  let scenario: string;
  let alert: string;

  beforeAll(async () => {
    run = await runDemo();
    const [, afterKata = ''] = run.stdout.split('The kata: every belt, right now');
    [healthy, scenario = ''] = afterKata.split('Scenario: it is now 2 days later');
    [scenario, alert = ''] = scenario.split('The alert that would be sent');
  }, 120_000);

  it('exits 0 after showing its progress while the sandbox starts', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/starting embedded PostgreSQL/);
    expect(run.stdout).toMatch(/PostgreSQL listening on 127\.0\.0\.1:\d+ \(\d+\.\d s\)/);
    expect(run.stdout).toMatch(/serving the captured pgBackRest repository on http:\/\/127\.0\.0\.1:\d+ \(s3rver: \d+ objects/);
    expect(run.stdout).toMatch(/sandbox ready in \d+\.\d s/);
  });

  it('prints the kata with every belt and every check, all ok, and no alert', () => {
    for (const belt of ['INSTANCE', 'DATABASE', 'BACKUPS & WAL', 'BUCKET']) expect(healthy).toContain(`\n${belt}\n`);
    for (const c of ALL_CHECKS) expect([c.id, statusOf(healthy, c.id)]).toEqual([c.id, 'OK']);
    expect(healthy).toMatch(/Overall: OK/);
    expect(healthy).toContain('No alert would be sent');
  });

  it('shows the broken scenario: backups past their window, archiving failing, a dropped extension', () => {
    for (const belt of ['INSTANCE', 'DATABASE', 'BACKUPS & WAL', 'BUCKET']) expect(scenario).toContain(`\n${belt}\n`);
    expect(statusOf(scenario, 'db.extensions')).toBe('FAIL');
    expect(scenario).toMatch(/db\.extensions\s+.*age missing/);
    for (const id of ['backup.full-age', 'backup.diff-age', 'db.archiver', 'backup.rpo', 'backup.recoverability']) expect([id, statusOf(scenario, id)]).toEqual([id, 'FAIL']);
    for (const id of ['instance.state', 'bucket.config', 'backup.repository', 'backup.wal-continuity']) expect([id, statusOf(scenario, id)]).toEqual([id, 'OK']);
    expect(scenario).toMatch(/Overall: FAIL/);
  });

  it('prints the alert text that would be sent, naming each failing check and the command to run', () => {
    expect(alert).toMatch(/Subject: chronos-monitor chronos-production-database: FAIL db\.extensions/);
    expect(alert).toContain('age missing');
    expect(alert).toContain('What to do: run `npx chronos-monitor check --only backup.full-age`');
    expect(alert).toMatch(/\nSMS: \[chronos-production-datab\] FAIL db\.extensions/);
  });

  it('cleans up: every server it started has stopped listening', async () => {
    expect(run.stdout).toMatch(/stopped PostgreSQL, s3rver and the Lightsail stand-in/);
    const ports = listenerPorts(run.stdout);
    expect(ports.length).toBeGreaterThanOrEqual(3);
    for (const p of ports) expect([p, await refused(p)]).toEqual([p, true]);
  });

  it('stops every server on Ctrl-C', async () => {
    const r = await runDemo({ interruptWhen: /sandbox ready/ });
    expect(r.stdout).toContain('interrupted: stopping the sandbox');
    expect(r.code).toBe(130);
    const ports = listenerPorts(r.stdout);
    expect(ports.length).toBeGreaterThanOrEqual(3);
    for (const p of ports) expect([p, await refused(p)]).toEqual([p, true]);
  }, 120_000);

  it('cleans up on Ctrl-C while the stand-ins are still starting', async () => {
    const r = await runDemo({ interruptWhen: /starting the S3 stand-in/ });
    expect(r.stdout).toContain('interrupted: stopping the sandbox');
    expect(r.code).toBe(130);
    for (const p of listenerPorts(r.stdout)) expect([p, await refused(p)]).toEqual([p, true]);
  }, 120_000);
});
