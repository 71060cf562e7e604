import { App } from 'aws-cdk-lib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../lib/app';
import { cdkJsonContext, EXAMPLE_INPUT } from './config-fixture';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'chronos-app-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeConfig = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};
const appFor = (file: string, bundle = false) =>
  new App({ context: { ...cdkJsonContext(), config: file, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });

describe('buildApp', () => {
  it('fails synth with the schema message naming the field when the configuration is wrong', () => {
    const file = writeConfig('bad.json', { ...EXAMPLE_INPUT, backups: { ...EXAMPLE_INPUT.backups, rpoMinutes: { warn: 10, fail: '15m' } } });
    expect(() => buildApp(appFor(file))).toThrow(`configuration file ${file} is invalid:\n  - \`backups.rpoMinutes.fail\` must be a positive number of minutes, got: "15m"`);
  });

  it('names the missing file and says how to create it', () => {
    expect(() => buildApp(appFor(join(dir, 'nope.json')))).toThrow(/configuration file .*nope\.json not found; copy monitor\.config\.example\.json/);
  });

  it('creates the stack in config.region', () => {
    const file = writeConfig('west.json', { ...EXAMPLE_INPUT, region: 'us-west-2' });
    expect(buildApp(appFor(file)).stack.region).toBe('us-west-2');
  });

  it('passes the cdk-nag AwsSolutions rules (every finding fixed or acknowledged with a reason)', () => {
    const { app } = buildApp(appFor(writeConfig('example.json', EXAMPLE_INPUT)));
    expect(() => app.synth()).not.toThrow();
  });

  it('passes cdk-nag for a Secrets Manager password, a KMS bucket and the bucket root as repository path too', () => {
    const file = writeConfig('variant.json', {
      ...EXAMPLE_INPUT,
      database: { ...EXAMPLE_INPUT.database, password: { secretsManager: 'chronos/monitor/db' } },
      backups: { ...EXAMPLE_INPUT.backups, repository: { type: 's3', bucket: 'chronos-backups-example', path: '/' } },
      bucket: { encryption: 'aws:kms' },
    });
    const { app } = buildApp(appFor(file));
    expect(() => app.synth()).not.toThrow();
  });

  it('bundles the handler with local esbuild (SDK included) into a file that loads on Node', () => {
    const { app } = buildApp(appFor(writeConfig('bundle.json', EXAMPLE_INPUT), true));
    const out = app.synth().directory;
    const assets = readdirSync(out).filter((d) => d.startsWith('asset.'));
    expect(assets).toHaveLength(1); // three functions, one identical bundle
    const bundle = join(out, assets[0], 'index.js');
    const code = readFileSync(bundle, 'utf8');
    // Only the optional CRT signer (a guarded require for SigV4a, not installed) stays outside the bundle.
    const external = new Set([...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]));
    expect([...external]).toEqual(['@aws-sdk/signature-v4-crt']);
    const env = {
      ...process.env,
      AWS_REGION: 'ca-central-1',
      CHRONOS_CONFIG: JSON.stringify(EXAMPLE_INPUT),
      CHRONOS_GROUP: 'backups',
      CHRONOS_TOPIC_ARN: 'arn:aws:sns:ca-central-1:111122223333:chronos-monitor-alerts',
      CHRONOS_STATE_BUCKET: 'state',
    };
    const probe = spawnSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(bundle)}).handler)`], { env, encoding: 'utf8' });
    expect(probe.stderr).not.toMatch(/Error/);
    expect(probe.stdout).toBe('function');
  });
});
