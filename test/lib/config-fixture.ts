import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../lambdas/config/load';
import type { MonitorConfig } from '../../lambdas/config/schema';

/** The operator's system as the example configuration describes it, plus one SMS number; tests override parts. */
export const EXAMPLE_INPUT = {
  region: 'ca-central-1',
  instance: { name: 'chronos-production-database', staticIpName: 'chronos-prod-db-static-ip' },
  database: {
    host: '203.0.113.10',
    database: 'chronos',
    user: 'chronos_monitor',
    password: { ssmParameter: '/chronos/monitor/db-password' },
    expectedExtensions: { timescaledb: '2.17.2', postgis: '3.4.3', vector: '0.5.1', age: '1.6.0' },
  },
  backups: {
    repository: { type: 's3', bucket: 'chronos-backups-example', path: '/var/lib/pgbackrest' },
    stanza: 'chronos',
    cipherPass: { ssmParameter: '/chronos/monitor/repo-cipher-pass' },
  },
  alerts: { emails: ['ops@example.com'], smsNumbers: ['+15145550100'] },
};

/** Validated example configuration with optional top-level overrides. */
export function exampleConfig(overrides: Record<string, unknown> = {}): MonitorConfig {
  return parseConfig({ ...EXAMPLE_INPUT, ...overrides }, 'test configuration');
}

/** The feature flags of cdk.json: `new App()` in a test does not read them, `cdk synth` does. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
}
