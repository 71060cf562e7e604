import { AccessDeniedException, GetInstanceCommand, LightsailClient, NotFoundException } from '@aws-sdk/client-lightsail';
import { mockClient } from 'aws-sdk-client-mock';
import { createInstanceSource } from '../../../lambdas/adapters/lightsail';
import { instanceState } from '../../../lambdas/checks/instance/state';
import { parseConfig } from '../../../lambdas/config/load';
import type { CheckContext } from '../../../lambdas/core/check';
import type { Deps } from '../../../lambdas/core/deps';

const lightsail = mockClient(LightsailClient);
const config = parseConfig({
  instance: { name: 'chronos-production-database' },
  database: { host: '203.0.113.10', database: 'chronos', user: 'chronos' },
  backups: { repository: { type: 's3', bucket: 'chronos-backups-example' }, stanza: 'chronos' },
});
const ctx = (): CheckContext => ({
  config,
  deps: { instance: createInstanceSource(new LightsailClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } })) } as unknown as Deps,
  now: new Date('2025-12-01T12:00:00Z'),
  signal: new AbortController().signal,
});

beforeEach(() => lightsail.reset());
afterAll(() => lightsail.restore());

describe('instance.state', () => {
  it('is ok when the instance is running', async () => {
    lightsail.on(GetInstanceCommand).resolves({ instance: { name: 'chronos-production-database', state: { code: 16, name: 'running' } } });
    const out = await instanceState.run(ctx());
    expect(out.status).toBe('ok');
    expect(out.summary).toBe('instance chronos-production-database is running (expected running)');
    expect(out.metrics).toEqual([{ name: 'InstanceRunning', value: 1, unit: 'Count' }]);
  });

  it.each(['stopped', 'stopping', 'pending', 'rebooting'])('fails naming the state when the instance is %s', async (state) => {
    lightsail.on(GetInstanceCommand).resolves({ instance: { name: 'chronos-production-database', state: { name: state } } });
    const out = await instanceState.run(ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toBe(`instance chronos-production-database is ${state}, expected running`);
    expect(out.metrics).toEqual([{ name: 'InstanceRunning', value: 0, unit: 'Count' }]);
  });

  it('fails when the instance does not exist in the region', async () => {
    lightsail.on(GetInstanceCommand).rejects(new NotFoundException({ message: 'The Instance does not exist', $metadata: {} }));
    const out = await instanceState.run(ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toBe('instance chronos-production-database not found in ca-central-1');
  });

  it('is unknown, naming the IAM action, when the read is denied', async () => {
    lightsail.on(GetInstanceCommand).rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));
    const out = await instanceState.run(ctx());
    expect(out.status).toBe('unknown');
    expect(out.summary).toBe(
      'cannot read the state of instance chronos-production-database: lightsail:GetInstance denied on instance chronos-production-database in ca-central-1 (AccessDeniedException: not authorized)',
    );
    expect(out.metrics ?? []).toEqual([]);
  });

  it('is unknown when Lightsail cannot be reached', async () => {
    lightsail.on(GetInstanceCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
    const out = await instanceState.run(ctx());
    expect(out.status).toBe('unknown');
    expect(out.summary).toMatch(/^cannot read the state of instance chronos-production-database: lightsail:GetInstance on instance .* AWS endpoint unreachable/);
  });
});
