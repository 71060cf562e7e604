import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { putMetricPoints } from '../../lambdas/adapters/cloudwatch';
import type { MetricPoint } from '../../lambdas/publish/metrics';

const cw = mockClient(CloudWatchClient);
beforeEach(() => cw.reset());

describe('putMetricPoints', () => {
  it('sends every point to the namespace in requests of at most 150 points', async () => {
    cw.on(PutMetricDataCommand).resolves({});
    const now = new Date('2026-12-03T14:00:00Z');
    const points: MetricPoint[] = Array.from({ length: 160 }, (_, i) => ({ name: `M${i}`, value: i, unit: 'Count', dimensions: { Instance: 'i' }, timestamp: now }));
    expect(await putMetricPoints(new CloudWatchClient({ region: 'ca-central-1' }), 'Chronos/Monitor', points)).toBe(2);
    const calls = cw.commandCalls(PutMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.MetricData!.length)).toEqual([150, 10]);
    expect(calls[0].args[0].input.Namespace).toBe('Chronos/Monitor');
  });

  it('lets the SDK error through so the caller can report it', async () => {
    cw.on(PutMetricDataCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const p: MetricPoint = { name: 'ChecksFailing', value: 0, unit: 'Count', dimensions: {}, timestamp: new Date() };
    await expect(putMetricPoints(new CloudWatchClient({ region: 'ca-central-1' }), 'N', [p])).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
