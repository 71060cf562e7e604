import { createDatabaseSource } from '../../../lambdas/adapters/postgres';
import { dbExtensions } from '../../../lambdas/checks/database/extensions';
import { observed } from '../../../lambdas/core/observed';
import type { DatabaseSource } from '../../../lambdas/core/ports';
import { PgCluster } from '../../support/pg-cluster';
import { configWith, contextFor } from './context';

let cluster: PgCluster;
let src: DatabaseSource;

beforeAll(async () => {
  cluster = await PgCluster.create({ superuserPassword: 'ext-super-pw' });
  cluster.sql(`create role chronos_monitor login password 'ext-monitor-pw'; grant pg_monitor to chronos_monitor;`);
  cluster.sql('create extension postgis; create extension cube; create extension pg_trgm;');
  src = createDatabaseSource(configWith({ port: cluster.port }).database, async () => observed('ext-monitor-pw'));
});
afterAll(async () => {
  await src?.close();
  cluster?.destroy();
});

const run = (expected: Record<string, string>) => {
  const config = configWith({ port: cluster.port, expectedExtensions: expected });
  return dbExtensions.run(contextFor(config, src));
};

describe('db.extensions on a real cluster', () => {
  it('is ok when every expected extension is installed at the expected version or newer', async () => {
    const r = await run({ postgis: '3.3.2', cube: '1.0', pg_trgm: '1.5' });
    expect(r.status).toBe('ok');
    expect(r.summary).toMatch(/^all 3 expected extensions present .*postgis 3\.3\.2/);
    expect(r.metrics).toEqual([{ name: 'ExtensionsMissing', value: 0, unit: 'Count' }]);
  });

  it('warns that postgis 3.3.2 is older than the expected 3.4.3', async () => {
    const r = await run({ postgis: '3.4.3', cube: '1.0' });
    expect(r.status).toBe('warn');
    expect(r.summary).toBe('1 of 2 expected extensions have problems: postgis 3.3.2 older than expected 3.4.3');
  });

  it('fails when vector is missing, counts it, and still names the older one', async () => {
    const r = await run({ vector: '0.5.1', postgis: '3.4.3' });
    expect(r.status).toBe('fail');
    expect(r.summary).toBe('2 of 2 expected extensions have problems: vector missing (expected >= 0.5.1); postgis 3.3.2 older than expected 3.4.3');
    expect(r.metrics).toEqual([{ name: 'ExtensionsMissing', value: 1, unit: 'Count' }]);
  });

  it('is skipped when no extensions are expected', () => {
    expect(dbExtensions.skipReason?.(configWith({}))).toMatch(/expectedExtensions is empty/);
  });
});

describe('db.extensions version comparison (operator expectations)', () => {
  const fake = (installed: Record<string, string>): DatabaseSource =>
    ({ extensions: async () => observed(Object.entries(installed).map(([name, version]) => ({ name, version }))) }) as unknown as DatabaseSource;
  const check = (installed: Record<string, string>, expected: Record<string, string>) =>
    dbExtensions.run(contextFor(configWith({ expectedExtensions: expected }), fake(installed)));

  it('treats timescaledb 2.17.2 as newer than 2.9.0 (numeric, not string, comparison)', async () => {
    expect((await check({ timescaledb: '2.17.2' }, { timescaledb: '2.9.0' })).status).toBe('ok');
  });
  it('treats vector 0.5.1 as older than 0.10.0', async () => {
    expect((await check({ vector: '0.5.1' }, { vector: '0.10.0' })).summary).toMatch(/vector 0\.5\.1 older than expected 0\.10\.0/);
  });
  it('ranks a dev or rc build below its release but above the previous release', async () => {
    expect((await check({ postgis: '3.4.3dev' }, { postgis: '3.4.3' })).status).toBe('warn');
    expect((await check({ postgis: '3.4.3dev' }, { postgis: '3.4.2' })).status).toBe('ok');
    expect((await check({ age: '1.6.0-rc0' }, { age: '1.6.0' })).status).toBe('warn');
  });
  it('warns, naming both, when an installed version is not a version at all', async () => {
    const r = await check({ age: 'unpackaged' }, { age: '1.6.0' });
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/age unpackaged cannot be compared with the expected 1\.6\.0/);
  });
  it('is unknown when the extension list cannot be read', async () => {
    const src2 = { extensions: async () => ({ ok: false, kind: 'timeout', reason: 'no answer within 5000 ms' }) } as unknown as DatabaseSource;
    const r = await dbExtensions.run(contextFor(configWith({ expectedExtensions: { vector: '0.5.1' } }), src2));
    expect(r).toMatchObject({ status: 'unknown', summary: 'cannot read the installed extensions: no answer within 5000 ms' });
  });
});
