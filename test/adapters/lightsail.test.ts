import { AccessDeniedException, GetInstanceCommand, GetStaticIpCommand, LightsailClient, NotFoundException, UnauthenticatedException } from '@aws-sdk/client-lightsail';
import { mockClient } from 'aws-sdk-client-mock';
import { createInstanceSource } from '../../lambdas/adapters/lightsail';

const lightsail = mockClient(LightsailClient);
const client = () => new LightsailClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

beforeEach(() => lightsail.reset());
afterAll(() => lightsail.restore());

describe('createInstanceSource', () => {
  it('reads the instance state and addresses', async () => {
    lightsail.on(GetInstanceCommand, { instanceName: 'chronos-production-database' }).resolves({
      instance: {
        name: 'chronos-production-database',
        state: { code: 16, name: 'running' },
        publicIpAddress: '203.0.113.10',
        privateIpAddress: '172.26.5.20',
        isStaticIp: true,
        bundleId: 'small_3_0',
        blueprintId: 'ubuntu_22_04',
        location: { availabilityZone: 'ca-central-1a', regionName: 'ca-central-1' },
      },
    });
    expect(await createInstanceSource(client()).instance('chronos-production-database')).toEqual({
      ok: true,
      value: {
        name: 'chronos-production-database',
        state: 'running',
        publicIpAddress: '203.0.113.10',
        privateIpAddress: '172.26.5.20',
        isStaticIp: true,
        bundleId: 'small_3_0',
        blueprintId: 'ubuntu_22_04',
        availabilityZone: 'ca-central-1a',
      },
    });
  });

  it('asks Lightsail once per run for the same instance', async () => {
    lightsail.on(GetInstanceCommand).resolves({ instance: { name: 'i', state: { name: 'stopped' } } });
    const source = createInstanceSource(client());
    await Promise.all([source.instance('i'), source.instance('i')]);
    expect(lightsail.commandCalls(GetInstanceCommand)).toHaveLength(1);
  });

  it('reports a missing instance as not-found naming it and the region', async () => {
    lightsail.on(GetInstanceCommand).rejects(new NotFoundException({ message: 'The Instance does not exist: nope', $metadata: { httpStatusCode: 400 } }));
    const r = await createInstanceSource(client()).instance('nope');
    expect(r).toEqual({ ok: false, kind: 'not-found', reason: 'instance nope in ca-central-1 not found (NotFoundException: The Instance does not exist: nope)' });
  });

  it('reports a denial naming the IAM action', async () => {
    lightsail.on(GetStaticIpCommand).rejects(new AccessDeniedException({ message: 'User is not authorized', $metadata: { httpStatusCode: 403 } }));
    const r = await createInstanceSource(client()).staticIp('chronos-prod-db-static-ip');
    expect(r).toMatchObject({ ok: false, kind: 'denied' });
    expect(r.ok ? '' : r.reason).toBe('lightsail:GetStaticIp denied on static IP chronos-prod-db-static-ip in ca-central-1 (AccessDeniedException: User is not authorized)');
  });

  it('reports rejected credentials as an auth failure', async () => {
    lightsail.on(GetInstanceCommand).rejects(new UnauthenticatedException({ message: 'token expired', $metadata: { httpStatusCode: 401 } }));
    expect(await createInstanceSource(client()).instance('i')).toMatchObject({ ok: false, kind: 'auth' });
  });

  it('reads whether and where a static IP is attached', async () => {
    lightsail.on(GetStaticIpCommand).resolves({ staticIp: { name: 'ip', ipAddress: '203.0.113.10', isAttached: true, attachedTo: 'chronos-production-database' } });
    expect(await createInstanceSource(client()).staticIp('ip')).toEqual({
      ok: true,
      value: { name: 'ip', ipAddress: '203.0.113.10', isAttached: true, attachedTo: 'chronos-production-database' },
    });
  });

  it('treats an answer without a state as invalid rather than guessing', async () => {
    lightsail.on(GetInstanceCommand).resolves({ instance: { name: 'i' } });
    expect(await createInstanceSource(client()).instance('i')).toEqual({ ok: false, kind: 'invalid', reason: 'lightsail:GetInstance returned no state for instance i' });
  });
});
