/**
 * Starts the three loopback stand-ins the demo checks run against (database, S3 with the captured repository,
 * Lightsail) and stops them again. Progress goes to the given printer with each step's duration.
 */
import { formatDuration } from '../../lambdas/core/format';
import type { Fixture } from '../fixture';
import { DEMO } from '../demo.config';
import { startLightsail, type LightsailStandIn } from './lightsail';
import { startPostgres, type PostgresStandIn, type SimulatedArchiver } from './postgres';
import { newestBackupStop, redateBackupInfo } from './redate';
import { startS3, type S3StandIn } from './s3';

/** The running sandbox. */
export interface Sandbox {
  postgres: PostgresStandIn;
  s3: S3StandIn;
  lightsail: LightsailStandIn;
  /** Seconds every backup timestamp was moved by. */
  shiftSeconds: number;
  /** Stops everything; safe to call twice. */
  close(): Promise<void>;
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  fixture: Fixture;
  /** The instant the demo pretends it is. */
  now: Date;
  /** How long before `now` the newest captured backup is made to have finished. */
  newestBackupAgeSeconds: number;
  archiver: SimulatedArchiver;
  progress(line: string): void;
}

const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** Healthy bucket settings matching the operator's requirements (versioning, SSE-S3 with bucket key, no public access). */
function healthyBucket() {
  return {
    versioning: 'Enabled' as const,
    encryption: { algorithm: 'AES256' as const, bucketKey: true },
    publicAccessBlock: true,
    // No storage-class transitions (a restore must be able to GET every file); old versions and stale uploads expire.
    lifecycleRulesXml: [
      '<Rule><ID>noncurrent-versions-30d</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>',
    ],
  };
}

/** Starts the stand-ins in parallel; if one fails, the others are stopped before the error is rethrown. */
export async function startSandbox(o: SandboxOptions): Promise<Sandbox> {
  const { fixture } = o;
  const targetStop = Math.floor(o.now.getTime() / 1000) - o.newestBackupAgeSeconds;
  const shiftSeconds = targetStop - newestBackupStop(fixture.backupInfo);
  const backupInfoKey = `backup/${fixture.meta.stanza}/backup.info`;

  const t0 = performance.now();
  o.progress('starting embedded PostgreSQL (PGlite: PostgreSQL 18 in WebAssembly, answering as the captured PostgreSQL 15 cluster)…');
  const impersonate = { systemIdentifier: fixture.meta.archiver.systemIdentifier, serverVersion: fixture.meta.archiver.serverVersion.split(' ')[0] };
  const pg = startPostgres({ extensions: ['vector', 'age'], archiver: o.archiver, impersonate }).then((p) => {
    o.progress(`  PostgreSQL listening on 127.0.0.1:${p.port} (${(p.startMs / 1000).toFixed(1)} s)`);
    return p;
  });
  const s3 = startS3({
    bucket: DEMO.bucket,
    prefix: `${DEMO.repoPath.replace(/^\//, '')}/`,
    fixtureDir: fixture.repoDir,
    transform: (key, body) => (key === backupInfoKey || key === `${backupInfoKey}.copy` ? Buffer.from(redateBackupInfo(body.toString('utf8'), shiftSeconds)) : body),
    settings: healthyBucket(),
  }).then((s) => {
    o.progress(`  serving the captured pgBackRest repository on ${s.url} (s3rver: ${s.objects} objects, ${(s.bytes / 1048576).toFixed(1)} MiB, ${seconds(t0)})`);
    return s;
  });
  const ls = startLightsail({
    region: 'ca-central-1',
    instances: {
      [DEMO.instanceName]: {
        name: DEMO.instanceName,
        state: 'running',
        // The sandbox's "instance" is this machine: its public address is the loopback the database listens on.
        publicIpAddress: '127.0.0.1',
        privateIpAddress: '172.26.0.10',
        isStaticIp: true,
        blueprintId: 'ubuntu_22_04',
        bundleId: 'small_3_0',
        availabilityZone: 'ca-central-1a',
      },
    },
    staticIps: { [DEMO.staticIpName]: { name: DEMO.staticIpName, ipAddress: '127.0.0.1', isAttached: true, attachedTo: DEMO.instanceName } },
  }).then((l) => {
    o.progress(`  Lightsail API stand-in on ${l.url}`);
    return l;
  });
  o.progress(
    `starting the S3 stand-in and uploading the repository (backup timestamps moved ${formatDuration(Math.abs(shiftSeconds))} ${shiftSeconds < 0 ? 'back' : 'forward'} so the newest finished ${formatDuration(o.newestBackupAgeSeconds)} ago)…`,
  );

  const settled = await Promise.allSettled([pg, s3, ls]);
  const closers = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close] : []));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.allSettled(closers.map((c) => c()));
  };
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await close();
    throw failure.reason;
  }
  o.progress(`sandbox ready in ${seconds(t0)}`);
  return {
    postgres: (settled[0] as PromiseFulfilledResult<PostgresStandIn>).value,
    s3: (settled[1] as PromiseFulfilledResult<S3StandIn>).value,
    lightsail: (settled[2] as PromiseFulfilledResult<LightsailStandIn>).value,
    shiftSeconds,
    close,
  };
}
