import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '../../lambdas/config/load';

const minimal = () => ({
  instance: { name: 'chronos-production-database' },
  database: { host: '203.0.113.10', database: 'chronos', user: 'chronos_monitor' },
  backups: { repository: { type: 's3', bucket: 'chronos-backups-example' }, stanza: 'chronos' },
});

function messageOf(input: unknown): string {
  try {
    parseConfig(input, 'monitor.config.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies the documented defaults to a minimal configuration', () => {
    const c = parseConfig(minimal());
    expect(c.region).toBe('ca-central-1');
    expect(c.database.port).toBe(5432);
    expect(c.database.tls.mode).toBe('require');
    expect(c.backups.fullAgeHours).toEqual({ warn: 26, fail: 30 });
    expect(c.backups.diffAgeHours).toEqual({ warn: 7, fail: 9 });
    expect(c.backups.rpoMinutes).toEqual({ warn: 10, fail: 15 });
    expect(c.backups.repository).toMatchObject({ type: 's3', path: '/var/lib/pgbackrest' });
    expect(c.alerts.repeatHours).toBe(6);
    expect(c.metrics.namespace).toBe('Chronos/Monitor');
    expect(c.schedule.rateMinutes).toBe(15);
  });

  it('accepts the shipped example configuration', () => {
    const c = loadConfigFile(join(__dirname, '../../monitor.config.example.json'));
    expect(c.database.expectedExtensions).toEqual({ timescaledb: '2.17.2', postgis: '3.4.3', vector: '0.5.1', age: '1.6.0' });
  });

  it('names the field, the bad value and what is expected for a threshold written with a unit', () => {
    const input = minimal() as Record<string, any>;
    input.backups.rpoMinutes = { warn: '10m', fail: 15 };
    expect(messageOf(input)).toContain('`backups.rpoMinutes.warn` must be a positive number of minutes, got: "10m"');
  });

  it('rejects a warn threshold above the fail threshold', () => {
    const input = minimal() as Record<string, any>;
    input.backups.fullAgeHours = { warn: 40, fail: 30 };
    expect(messageOf(input)).toContain('`backups.fullAgeHours` must be a pair with warn <= fail (hours), got: {"warn":40,"fail":30}');
  });

  it('reports a missing required field by name', () => {
    const input = minimal() as Record<string, any>;
    delete input.database.host;
    expect(messageOf(input)).toContain('`database.host` is required');
  });

  it('rejects a literal password and does not echo it', () => {
    const input = minimal() as Record<string, any>;
    input.database.password = 'hunter2-very-secret';
    const msg = messageOf(input);
    expect(msg).toContain('`database.password` must be a secret source: {"env":"NAME"}, {"ssmParameter":"/name"} or {"secretsManager":"id"}');
    expect(msg).not.toContain('hunter2-very-secret');
  });

  it('names an unknown repository type', () => {
    const input = minimal() as Record<string, any>;
    input.backups.repository = { type: 'gcs', bucket: 'x' };
    expect(messageOf(input)).toContain('`backups.repository.type`');
  });

  it('names unknown (misspelt) fields', () => {
    const input = minimal() as Record<string, any>;
    input.backups.stanzza = 'chronos';
    expect(messageOf(input)).toContain('`backups` has unknown field(s) "stanzza"');
  });

  it('rejects a phone number that is not E.164', () => {
    const input = minimal() as Record<string, any>;
    input.alerts = { smsNumbers: ['514-555-0100'] };
    expect(messageOf(input)).toContain('`alerts.smsNumbers.0` must be an E.164 phone number such as "+15145550100", got: "514-555-0100"');
  });

  it('lists every problem at once', () => {
    const input = minimal() as Record<string, any>;
    input.database.port = 70000;
    input.region = 'canada';
    const msg = messageOf(input);
    expect(msg).toContain('`database.port`');
    expect(msg).toContain('`region` must be an AWS region such as "ca-central-1", got: "canada"');
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronos-config-'));

  it('says how to create a missing configuration file', () => {
    expect(() => loadConfigFile(join(dir, 'nope.json'))).toThrow(/nope\.json not found; copy monitor\.config\.example\.json/);
  });

  it('names the file when it is not valid JSON', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, '{ "region": ');
    expect(() => loadConfigFile(f)).toThrow(new RegExp(`configuration file ${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON`));
  });

  it('names the file in validation errors', () => {
    const f = join(dir, 'invalid.json');
    writeFileSync(f, JSON.stringify({ instance: {} }));
    expect(() => loadConfigFile(f)).toThrow(/invalid\.json is invalid:\n  - `instance\.name` is required/);
  });
});
