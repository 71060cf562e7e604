import { AccessDeniedException, GetInstanceCommand, GetStaticIpCommand, LightsailClient, NotFoundException } from '@aws-sdk/client-lightsail';
import { mockClient } from 'aws-sdk-client-mock';
import { createInstanceSource } from '../../../lambdas/adapters/lightsail';
import { instanceStaticIp } from '../../../lambdas/checks/instance/static-ip';
import { parseConfig } from '../../../lambdas/config/load';
import type { CheckContext } from '../../../lambdas/core/check';
import type { Deps } from '../../../lambdas/core/deps';

const lightsail = mockClient(LightsailClient);
const configWith = (host: string, staticIpName: string | null = 'chronos-prod-db-static-ip') =>
  parseConfig({
    instance: { name: 'chronos-production-database', ...(staticIpName ? { staticIpName } : {}) },
    database: { host, database: 'chronos', user: 'chronos' },
    backups: { repository: { type: 's3', bucket: 'chronos-backups-example' }, stanza: 'chronos' },
  });
const ctx = (host = '203.0.113.10'): CheckContext => ({
  config: configWith(host),
  deps: { instance: createInstanceSource(new LightsailClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } })) } as unknown as Deps,
  now: new Date('2025-12-01T12:00:00Z'),
  signal: new AbortController().signal,
});
const attachedTo = (instance: string | undefined) =>
  lightsail.on(GetStaticIpCommand).resolves({
    staticIp: { name: 'chronos-prod-db-static-ip', ipAddress: '203.0.113.10', isAttached: instance !== undefined, ...(instance ? { attachedTo: instance } : {}) },
  });

beforeEach(() => {
  lightsail.reset();
  lightsail.on(GetInstanceCommand).resolves({ instance: { name: 'chronos-production-database', state: { name: 'running' }, publicIpAddress: '203.0.113.10', privateIpAddress: '172.26.5.20' } });
});
afterAll(() => lightsail.restore());

describe('instance.static-ip', () => {
  it('is skipped when no static IP is configured', () => {
    expect(instanceStaticIp.skipReason?.(configWith('203.0.113.10', null))).toBe('instance.staticIpName is not configured');
    expect(instanceStaticIp.skipReason?.(configWith('203.0.113.10'))).toBeUndefined();
  });

  it('is ok when the static IP is attached to this instance and is the database host', async () => {
    attachedTo('chronos-production-database');
    const out = await instanceStaticIp.run(ctx());
    expect(out.status).toBe('ok');
    expect(out.summary).toBe('static IP chronos-prod-db-static-ip (203.0.113.10) is attached to chronos-production-database and is database.host (expected both)');
    expect(out.metrics).toEqual([{ name: 'StaticIpAttached', value: 1, unit: 'Count' }]);
  });

  it('fails when the static IP is not attached (and says it is billed)', async () => {
    attachedTo(undefined);
    const out = await instanceStaticIp.run(ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'static IP chronos-prod-db-static-ip (203.0.113.10) is not attached to any instance, expected attached to chronos-production-database (an unattached static IP is also billed)',
    );
    expect(out.metrics).toEqual([{ name: 'StaticIpAttached', value: 0, unit: 'Count' }]);
  });

  it('fails naming the instance it is attached to instead', async () => {
    attachedTo('chronos-staging');
    const out = await instanceStaticIp.run(ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toBe('static IP chronos-prod-db-static-ip (203.0.113.10) is attached to chronos-staging, expected chronos-production-database');
  });

  it('fails when the database host is another address: the monitor would check a different machine', async () => {
    attachedTo('chronos-production-database');
    const out = await instanceStaticIp.run(ctx('198.51.100.7'));
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(
      'database.host 198.51.100.7 is not static IP chronos-prod-db-static-ip (203.0.113.10) of chronos-production-database nor its private IP 172.26.5.20: the database checks are looking at a different machine',
    );
  });

  it("accepts the instance's private IP as database host (VPC access after 5432 is closed)", async () => {
    attachedTo('chronos-production-database');
    const out = await instanceStaticIp.run(ctx('172.26.5.20'));
    expect(out.status).toBe('ok');
    expect(out.summary).toBe(
      'static IP chronos-prod-db-static-ip (203.0.113.10) is attached to chronos-production-database; database.host 172.26.5.20 is its private IP (expected the static or private IP)',
    );
  });

  it('does not compare a host name, and says so in the details', async () => {
    attachedTo('chronos-production-database');
    const out = await instanceStaticIp.run(ctx('db.example.org'));
    expect(out.status).toBe('ok');
    expect(out.details?.hostComparison).toBe('database.host db.example.org is a name, not an IP literal; it was not compared with 203.0.113.10');
  });

  it('fails when the static IP does not exist', async () => {
    lightsail.on(GetStaticIpCommand).rejects(new NotFoundException({ message: 'The StaticIp does not exist', $metadata: {} }));
    const out = await instanceStaticIp.run(ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toBe('static IP chronos-prod-db-static-ip not found in ca-central-1');
  });

  it('is unknown when the read is denied', async () => {
    lightsail.on(GetStaticIpCommand).rejects(new AccessDeniedException({ message: 'no', $metadata: {} }));
    const out = await instanceStaticIp.run(ctx());
    expect(out.status).toBe('unknown');
    expect(out.summary).toBe(
      'cannot read static IP chronos-prod-db-static-ip: lightsail:GetStaticIp denied on static IP chronos-prod-db-static-ip in ca-central-1 (AccessDeniedException: no)',
    );
  });
});
