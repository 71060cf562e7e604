/**
 * Lambda entry point of every check function (the stack sets CHRONOS_GROUP). Wiring only: configuration and
 * clients are built once per cold start; each invocation runs the group's checks and publishes.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { putMetricPoints } from '../adapters/cloudwatch';
import { sharedAwsClients } from '../adapters/aws-clients';
import { publishAlert } from '../adapters/sns';
import { S3StateStore } from '../adapters/state-s3';
import { ALL_CHECKS } from '../checks';
import { buildDeps } from '../core/build-deps';
import { readHandlerEnv } from './env';
import { monitorRun, type RunSummary } from './monitor-run';

const env = readHandlerEnv(process.env);
const clients = sharedAwsClients(env.config);
// The state bucket lives in the function's own region, whatever endpoint the repository uses.
const state = new S3StateStore(new S3Client({}), { bucket: env.stateBucket, prefix: `state/${env.group}` });

/** Scheduled by EventBridge Scheduler; the event carries nothing the run needs. */
export const handler = async (): Promise<Omit<RunSummary, 'report'>> => {
  const { report: _report, ...summary } = await monitorRun(
    {
      ...env,
      checks: ALL_CHECKS,
      buildDeps: async () => buildDeps(env.config, { state }),
      state,
      publishMetrics: (points) => putMetricPoints(clients.cloudwatch, env.config.metrics.namespace, points),
      publishAlert: (message) => publishAlert(clients.sns, env.topicArn, message),
      log: (line) => console.log(line),
    },
    new Date(),
  );
  return summary;
};
