/**
 * `npm run demo`: chronos-monitor end to end on this machine, no AWS account and no PostgreSQL needed.
 * Starts loopback stand-ins (PGlite, s3rver holding a repository real pgBackRest wrote, a Lightsail API), runs the
 * real checks through the production wiring (buildDeps → runChecks), then stages a broken scenario and prints the
 * alert that would be sent. Everything it starts is stopped before it exits, also on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { ALL_CHECKS } from '../lambdas/checks';
import type { MonitorConfig } from '../lambdas/config/schema';
import { buildDeps } from '../lambdas/core/build-deps';
import { runChecks } from '../lambdas/core/runner';
import { MemoryStateStore, type StateStore } from '../lambdas/core/state';
import type { Report } from '../lambdas/core/types';
import { renderReport } from '../lambdas/cli/render';
import { runbookFor } from '../lambdas/core/runbook';
import { decideAlerts } from '../lambdas/publish/alerts';
import { renderAlerts } from '../lambdas/publish/messages';
import { DEMO, demoConfig } from './demo.config';
import { loadFixture, lsnIn, segmentAfter, segmentSizeBytes } from './fixture';
import { startSandbox, type Sandbox } from './sandbox';
import type { SimulatedArchiver } from './sandbox/postgres';

const DAY = 86_400;

/** Set by Ctrl-C: the signal handler then owns cleanup and the exit code. */
let interrupted = false;

/** s3rver builds ListObjectsV2 continuation tokens with DES, which Node 20 only offers with the legacy provider. */
function hasLegacyOpenSsl(): boolean {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}

/** Runs this same script again with the legacy provider enabled; resolves with its exit code. */
function reexecWithLegacyProvider(): Promise<number> {
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --openssl-legacy-provider`.trim() };
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1))));
}

/** Dummy credentials for this process only: the SDK then never looks at ~/.aws, SSO caches or the instance metadata service. */
function isolateAwsEnvironment(): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'ca-central-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    // The SDK's notice that its 2027 releases need Node 22 is for the operator's own installs, not the demo's output.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
}

/** One monitor run exactly as the CLI does it: build deps, run every check, close. */
async function runOnce(config: MonitorConfig, state: StateStore, now: Date): Promise<Report> {
  const deps = buildDeps(config, { state });
  try {
    return await runChecks(ALL_CHECKS, { config, deps, now }, { deadlineMs: config.checks.deadlineMs });
  } finally {
    await deps.close();
  }
}

function rule(title: string): string {
  return `\n${'═'.repeat(4)} ${title} ${'═'.repeat(Math.max(4, 100 - title.length))}\n`;
}

async function main(): Promise<number> {
  if (!hasLegacyOpenSsl()) return reexecWithLegacyProvider();
  isolateAwsEnvironment();
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const t0 = performance.now();
  const now = new Date();
  const fixture = loadFixture();
  const newest = fixture.segments[fixture.segments.length - 1];
  const segSize = segmentSizeBytes(fixture.meta.archiver.walSegmentSizeBytes);

  out('chronos-monitor demo: a local sandbox, the real checks, then a broken scenario.');
  out(`fixture: pgBackRest repository captured ${fixture.meta.capturedAt} by ${fixture.meta.pgbackrestVersion} from PostgreSQL ${fixture.meta.archiver.serverVersion.split(' ')[0]} (scripts/capture-demo-repo.sh)\n`);

  let sandbox: Sandbox | undefined;
  let starting: Promise<Sandbox> | undefined;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    out('\ninterrupted: stopping the sandbox…');
    process.exitCode = 130;
    // A Ctrl-C during start-up waits for the stand-ins to be up, so that each one is stopped and its temp dir removed;
    // a stand-in still serving a check's connection gets 5 s, then the process exits anyway.
    const closeWithin = (s: Sandbox) => Promise.race([s.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    void (starting ?? Promise.resolve(undefined))
      .then((s) => s && closeWithin(s), () => undefined)
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    starting = startSandbox({
      fixture,
      now,
      newestBackupAgeSeconds: 47 * 60,
      progress: out,
      // As PostgreSQL reported at capture: every segment up to the newest one archived, nothing written since.
      archiver: {
        archivedCount: fixture.meta.archiver.archivedCount,
        lastArchivedWal: newest,
        lastArchivedTime: now,
        failedCount: 0,
        lastFailedWal: null,
        lastFailedTime: null,
        currentLsn: fixture.meta.archiver.currentLsn,
        ready: [],
        archiveTimeoutSeconds: 60,
      },
    });
    sandbox = await starting;
    if (interrupted) return 130;
    const config = demoConfig({ dbPort: sandbox.postgres.port, s3Url: sandbox.s3.url, lightsailUrl: sandbox.lightsail.url });
    const state = new MemoryStateStore();

    out(rule('The kata: every belt, right now'));
    const healthy = await runOnce(config, state, now);
    if (interrupted) return 130;
    out(renderReport(healthy, { color, header: `chronos-monitor check — ${now.toISOString()} — demo sandbox` }));
    const first = decideAlerts(undefined, healthy, now, config.alerts.repeatHours);
    out(first.alerts.length === 0 ? '\nNo alert would be sent: nothing is failing and nothing is unknown.' : `\n${first.alerts.length} alert(s) would be sent already: ${first.alerts.map((a) => a.checkId).join(', ')}`);

    // The scenario: two days pass. The backup job stops, archive-push starts failing (say the S3 key was rotated)
    // and someone drops an extension the application needs.
    const later = new Date(now.getTime() + 2 * DAY * 1000);
    const failingSince = 44 * 3600;
    await sandbox.postgres.setClockOffset(2 * DAY);
    const stuck = [1, 2, 3].map((n) => segmentAfter(newest, n, segSize));
    const broken: SimulatedArchiver = {
      archivedCount: fixture.meta.archiver.archivedCount,
      lastArchivedWal: newest,
      lastArchivedTime: now,
      failedCount: 2113,
      lastFailedWal: stuck[0],
      lastFailedTime: new Date(later.getTime() - 50_000),
      currentLsn: lsnIn(segmentAfter(newest, 4, segSize), 0x2a8, segSize),
      ready: [
        { wal: stuck[0], ageSeconds: failingSince },
        { wal: stuck[1], ageSeconds: 20 * 3600 },
        { wal: stuck[2], ageSeconds: 3 * 3600 },
      ],
      archiveTimeoutSeconds: 60,
    };
    await sandbox.postgres.setArchiver(broken);
    await sandbox.postgres.exec('drop extension age');

    out(rule('Scenario: it is now 2 days later'));
    out('Since the first run: the backup job has not run, archive-push has failed for 44 h (3 WAL segments wait in');
    out('pg_wal/archive_status), and someone ran `DROP EXTENSION age`. Same checks, evaluated at now + 2 days:\n');
    if (interrupted) return 130;
    const bad = await runOnce(config, state, later);
    if (interrupted) return 130;
    const hint = (id: string) => runbookFor(id, { instanceName: DEMO.instanceName, region: config.region, stanza: config.backups.stanza });
    out(renderReport(bad, { color, hint, header: `chronos-monitor check — ${later.toISOString()} (now + 2 days) — demo sandbox` }));
    const decision = decideAlerts(first.next, bad, later, config.alerts.repeatHours);
    out(rule('The alert that would be sent (SNS: email + SMS)'));
    if (decision.alerts.length === 0) {
      out('No alert would be sent.');
    } else {
      const msg = renderAlerts(decision.alerts, { instanceName: DEMO.instanceName, region: config.region, source: 'demo', stanza: config.backups.stanza }, later);
      out(`Subject: ${msg.subject}\n\n${msg.email}\n\nSMS: ${msg.sms}`);
    }
  } finally {
    if (sandbox && !interrupted) {
      out(rule('Cleanup'));
      const tc = performance.now();
      await sandbox.close();
      out(`stopped PostgreSQL, s3rver and the Lightsail stand-in; removed the S3 temp directory (${((performance.now() - tc) / 1000).toFixed(1)} s)`);
    }
  }
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  out(`demo finished in ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${rssMiB.toFixed(0)} MiB`);
  return 0;
}

main().then(
  (code) => {
    if (!interrupted) process.exit(code);
  },
  (err: Error) => {
    process.stderr.write(`demo failed: ${err?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
