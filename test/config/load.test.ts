import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it.each([
    ['an object member', { literal: 'hunter2secret' }, '(an object with key literal; values hidden)'],
    ['a number', 987654321, '(a number; value hidden)'],
    ['an array element', ['hunter2secret'], '(an array of 1 item; values hidden)'],
    ['an object key', { hunter2secret: 'x' }, '(an object with 1 key (names hidden); values hidden)'],
  ])('never echoes a password written as %s, only its shape', (_, value, shape) => {
    const input = minimal() as Record<string, any>;
    input.database.password = value;
    const msg = messageOf(input);
    expect(msg).toContain(`\`database.password\` must be a secret source: {"env":"NAME"}, {"ssmParameter":"/name"} or {"secretsManager":"id"}, got: ${shape}`);
    expect(msg).not.toMatch(/hunter2secret|987654321/);
  });

  it('never echoes a cipher pass mixed into a secret source, only the key names', () => {
    const input = minimal() as Record<string, any>;
    input.backups.cipherPass = { ssmParameter: '/x', secretsManager: 'hunter2' };
    const msg = messageOf(input);
    expect(msg).toContain('`backups.cipherPass` must be a secret source');
    expect(msg).toContain('got: (an object with keys ssmParameter, secretsManager; values hidden)');
    expect(msg).not.toContain('hunter2');
  });

  it.each([
    ['checks.deadlineMs', (c: Record<string, any>) => (c.checks = { deadlineMs: 1e300 }), 'a number of milliseconds no larger than 600000 (10 minutes), got: 1e+300'],
    ['database.connectTimeoutMs', (c: Record<string, any>) => (c.database.connectTimeoutMs = 3_000_000_000), 'a number of milliseconds no larger than 600000 (10 minutes), got: 3000000000'],
    ['database.queryTimeoutMs', (c: Record<string, any>) => (c.database.queryTimeoutMs = 3_000_000_000), 'a number of milliseconds no larger than 600000 (10 minutes), got: 3000000000'],
    ['backups.fullAgeHours.fail', (c: Record<string, any>) => (c.backups.fullAgeHours = { warn: 26, fail: 1e9 }), 'a number of hours no larger than 8760 (365 days), got: 1000000000'],
    ['backups.rpoMinutes.fail', (c: Record<string, any>) => (c.backups.rpoMinutes = { warn: 10, fail: 1e9 }), 'a number of minutes no larger than 10080 (7 days), got: 1000000000'],
    ['backups.inProgressGraceHours', (c: Record<string, any>) => (c.backups.inProgressGraceHours = 1e6), 'a number of hours no larger than 8760 (365 days), got: 1000000'],
    ['alerts.repeatHours', (c: Record<string, any>) => (c.alerts = { repeatHours: 1e6 }), 'a number of hours no larger than 8760 (365 days), got: 1000000'],
  ])('rejects %s beyond its bound (a Node timer would turn it into 1 ms), naming the field and the bound', (field, set, text) => {
    const input = minimal() as Record<string, any>;
    set(input);
    expect(messageOf(input)).toContain(`\`${field}\` must be ${text}`);
  });

  it('accepts timeouts and the deadline at their bound', () => {
    const input = minimal() as Record<string, any>;
    input.database.connectTimeoutMs = 600_000;
    input.checks = { deadlineMs: 600_000 };
    expect(parseConfig(input).checks.deadlineMs).toBe(600_000);
  });

  it.each(['.', '..', '...'])('rejects the stanza name %p (only dots)', (stanza) => {
    const input = minimal() as Record<string, any>;
    input.backups.stanza = stanza;
    expect(messageOf(input)).toContain(`\`backups.stanza\` must be a pgBackRest stanza name (letters, digits, "_", "." and "-", not only dots), got: "${stanza}"`);
  });

  it('accepts a stanza name with dots, dashes and underscores', () => {
    const input = minimal() as Record<string, any>;
    input.backups.stanza = 'chronos.main-1_a';
    expect(parseConfig(input).backups.stanza).toBe('chronos.main-1_a');
  });

  it('requires an absolute path for a posix repository', () => {
    const input = minimal() as Record<string, any>;
    input.backups.repository = { type: 'posix', path: 'var/lib/pgbackrest' };
    expect(messageOf(input)).toContain('`backups.repository.path` must be an absolute directory path (starting with "/"), got: "var/lib/pgbackrest"');
    input.backups.repository = { type: 'posix', path: '/var/lib/pgbackrest' };
    expect(parseConfig(input).backups.repository).toEqual({ type: 'posix', path: '/var/lib/pgbackrest' });
  });

  it('says a top level that is not an object must be a JSON object', () => {
    expect(messageOf([])).toContain('`(top level)` must be a JSON object, got: []');
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

  it('states range limits in plain words, once per field', () => {
    const input = minimal() as Record<string, any>;
    input.database.port = 70000;
    input.backups.retention = { full: 1e300 };
    const msg = messageOf(input);
    expect(msg).toContain('`database.port` must be a number no larger than 65535, got: 70000');
    expect(msg).toContain('`backups.retention.full` must be a number no larger than 9999999, got: 1e+300');
    expect(msg).not.toContain('Too big');
    expect(msg.match(/backups\.retention\.full/g)).toHaveLength(1);
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
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says how to create a missing configuration file', () => {
    expect(() => loadConfigFile(join(dir, 'nope.json'))).toThrow(/nope\.json not found; copy monitor\.config\.example\.json/);
  });

  it('names the file when it is not valid JSON', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, '{ "region": ');
    expect(() => loadConfigFile(f)).toThrow(new RegExp(`configuration file ${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON`));
  });

  it('accepts a file saved with a UTF-8 byte order mark', () => {
    const f = join(dir, 'bom.json');
    writeFileSync(f, `\uFEFF${JSON.stringify(minimal())}`, 'utf8');
    expect(loadConfigFile(f).backups.stanza).toBe('chronos');
  });

  it('never quotes the file around a JSON syntax error (a bare password there would be echoed), and names the line', () => {
    const f = join(dir, 'bare-password.json');
    writeFileSync(f, '{\n  "database": {\n    "password": hunter2secret\n  }\n}\n');
    let message = '';
    try {
      loadConfigFile(f);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(`configuration file ${f} is not valid JSON: an unexpected character (quotes missing around a value, or a trailing comma?) on line 3`);
    expect(message).not.toMatch(/hunter2|secret/);
  });

  it('gives line and column for a trailing comma', () => {
    const f = join(dir, 'trailing-comma.json');
    writeFileSync(f, '{\n  "region": "ca-central-1",\n}');
    expect(() => loadConfigFile(f)).toThrow('is not valid JSON: a property name without double quotes, or a trailing comma at line 3, column 1');
  });

  it('names the file in validation errors', () => {
    const f = join(dir, 'invalid.json');
    writeFileSync(f, JSON.stringify({ instance: {} }));
    expect(() => loadConfigFile(f)).toThrow(/invalid\.json is invalid:\n  - `instance\.name` is required/);
  });
});
