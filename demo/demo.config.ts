/**
 * The demo's configuration: the operator's real layout (instance, static IP, stanza, repository path, bucket rules)
 * pointed at the loopback stand-ins, validated by the same schema as monitor.config.json.
 */
import { parseConfig } from '../lambdas/config/load';
import type { MonitorConfig, MonitorConfigInput } from '../lambdas/config/schema';

/** Where the stand-ins listen. */
export interface DemoEndpoints {
  dbPort: number;
  s3Url: string;
  lightsailUrl: string;
}

/** Names shared by the config and the stand-ins' worlds. */
export const DEMO = {
  instanceName: 'chronos-production-database',
  staticIpName: 'chronos-prod-db-static-ip',
  bucket: 'chronos-backups-demo',
  repoPath: '/var/lib/pgbackrest',
  stanza: 'chronos',
} as const;

/** The demo configuration as a file would hold it. */
export function demoConfigInput(e: DemoEndpoints): MonitorConfigInput {
  return {
    region: 'ca-central-1',
    instance: { name: DEMO.instanceName, staticIpName: DEMO.staticIpName },
    database: {
      host: '127.0.0.1',
      port: e.dbPort,
      // PGlite has one database and one session: whatever login the client sends, it is `postgres` on `postgres`.
      database: 'postgres',
      user: 'postgres',
      tls: { mode: 'disable' },
      // The stand-in answers as the PostgreSQL 15 cluster that wrote the captured repository (production expects 16).
      expectedMajorVersion: 15,
      // PGlite ships vector and age; timescaledb and postgis (the other two in production) have no PGlite build here.
      expectedExtensions: { vector: '0.5.1', age: '1.6.0' },
      connectTimeoutMs: 5000,
      queryTimeoutMs: 5000,
    },
    backups: {
      repository: { type: 's3', bucket: DEMO.bucket, path: DEMO.repoPath, endpoint: e.s3Url, forcePathStyle: true },
      stanza: DEMO.stanza,
      // The captured repository keeps one full (+ its diff), as scripts/capture-demo-repo.sh configures pgBackRest.
      retention: { full: 1 },
    },
    bucket: { versioning: 'Enabled', encryption: 'AES256', bucketKey: true, publicAccessBlock: true },
    checks: { deadlineMs: 10000 },
    alerts: { emails: ['ops@example.com'] },
    endpoints: { s3: e.s3Url, lightsail: e.lightsailUrl },
  };
}

/** The validated demo configuration. */
export function demoConfig(e: DemoEndpoints): MonitorConfig {
  return parseConfig(demoConfigInput(e), 'demo configuration');
}
