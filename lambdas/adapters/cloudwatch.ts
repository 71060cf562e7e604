import { type CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { MetricPoint } from '../publish/metrics';

/** PutMetricData accepts up to 1,000 data points per request; staying far below keeps payloads small. */
const BATCH = 150;

/** Publishes data points to one namespace with PutMetricData; throws the SDK error when CloudWatch refuses. */
export async function putMetricPoints(client: CloudWatchClient, namespace: string, points: MetricPoint[]): Promise<number> {
  let requests = 0;
  for (let i = 0; i < points.length; i += BATCH) {
    await client.send(
      new PutMetricDataCommand({
        Namespace: namespace,
        MetricData: points.slice(i, i + BATCH).map((p) => ({
          MetricName: p.name,
          Value: p.value,
          Unit: p.unit as StandardUnit,
          Timestamp: p.timestamp,
          Dimensions: Object.entries(p.dimensions).map(([Name, Value]) => ({ Name, Value })),
        })),
      }),
    );
    requests++;
  }
  return requests;
}
