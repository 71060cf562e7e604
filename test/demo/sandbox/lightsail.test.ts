import { GetInstanceCommand, GetStaticIpCommand, LightsailClient } from '@aws-sdk/client-lightsail';
import { createInstanceSource } from '../../../lambdas/adapters/lightsail';
import { startLightsail, type LightsailStandIn, type LightsailWorld } from '../../../demo/sandbox/lightsail';

const world = (): LightsailWorld => ({
  region: 'ca-central-1',
  instances: {
    db1: { name: 'db1', state: 'running', publicIpAddress: '127.0.0.1', privateIpAddress: '172.26.0.10', isStaticIp: true, blueprintId: 'ubuntu_22_04', bundleId: 'small_3_0', availabilityZone: 'ca-central-1a' },
  },
  staticIps: { ip1: { name: 'ip1', ipAddress: '127.0.0.1', isAttached: true, attachedTo: 'db1' } },
});

describe('demo Lightsail stand-in', () => {
  let standIn: LightsailStandIn;
  let client: LightsailClient;

  beforeAll(async () => {
    standIn = await startLightsail(world());
    client = new LightsailClient({ endpoint: standIn.url, region: 'ca-central-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await standIn.close();
  });

  it('answers GetInstance to the real SDK client in the shape Lightsail uses', async () => {
    const out = await client.send(new GetInstanceCommand({ instanceName: 'db1' }));
    expect(out.instance).toMatchObject({
      name: 'db1',
      state: { code: 16, name: 'running' },
      publicIpAddress: '127.0.0.1',
      isStaticIp: true,
      location: { availabilityZone: 'ca-central-1a', regionName: 'ca-central-1' },
      arn: 'arn:aws:lightsail:ca-central-1:111122223333:Instance/db1',
    });
    expect(out.instance?.createdAt).toBeInstanceOf(Date);
    expect(standIn.calls.GetInstance).toBeGreaterThanOrEqual(1);
  });

  it('answers GetStaticIp with the attachment', async () => {
    const out = await client.send(new GetStaticIpCommand({ staticIpName: 'ip1' }));
    expect(out.staticIp).toMatchObject({ name: 'ip1', ipAddress: '127.0.0.1', isAttached: true, attachedTo: 'db1' });
  });

  it('reports an unknown instance as NotFoundException, which the adapter turns into not-found', async () => {
    await expect(client.send(new GetInstanceCommand({ instanceName: 'nope' }))).rejects.toMatchObject({ name: 'NotFoundException' });
    const source = createInstanceSource(client);
    const r = await source.instance('nope');
    expect(r).toMatchObject({ ok: false, kind: 'not-found' });
  });

  it('serves changes to its world on the next call (a stopped instance, a detached IP)', async () => {
    standIn.world.instances.db1.state = 'stopped';
    standIn.world.staticIps.ip1 = { name: 'ip1', ipAddress: '127.0.0.1', isAttached: false };
    const source = createInstanceSource(client);
    expect(await source.instance('db1')).toMatchObject({ ok: true, value: { state: 'stopped' } });
    expect(await source.staticIp('ip1')).toMatchObject({ ok: true, value: { isAttached: false, attachedTo: undefined } });
    standIn.world.instances.db1.state = 'running';
  });

  it('refuses operations it does not implement with a message naming them', async () => {
    const res = await fetch(standIn.url, { method: 'POST', headers: { 'x-amz-target': 'Lightsail_20161128.RebootInstance', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'InvalidInputException', message: expect.stringContaining('RebootInstance') });
  });
});
