/**
 * One place that builds the AWS SDK v3 clients. Each client is created on first use and then reused for the
 * life of the process (a warm Lambda keeps its sockets and credentials). Every client gets short timeouts and
 * at most two attempts, so a dead endpoint makes a check `unknown` within seconds instead of hanging it.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LightsailClient } from '@aws-sdk/client-lightsail';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { MonitorConfig } from '../config/schema';

/** The SDK clients the monitor uses, each built lazily once. */
export interface AwsClients {
  /** Lightsail (instance belt). */
  readonly lightsail: LightsailClient;
  /** S3 for the repository bucket (repository reads and bucket settings). */
  readonly s3: S3Client;
  /** SSM Parameter Store (secrets). */
  readonly ssm: SSMClient;
  /** Secrets Manager (secrets). */
  readonly secretsManager: SecretsManagerClient;
  /** CloudWatch (metrics published with PutMetricData outside EMF). */
  readonly cloudwatch: CloudWatchClient;
  /** SNS (alerts). */
  readonly sns: SNSClient;
}

/** Options of {@link createAwsClients} beyond what the configuration says. */
export interface AwsClientOptions {
  /**
   * A named profile of ~/.aws/config (an `aws sso login` profile, for instance). Credentials then come from
   * that profile through the SDK's node provider chain.
   * @default - the default chain: environment, Lambda role, AWS_PROFILE, ...
   */
  profile?: string;
  /**
   * Milliseconds to wait for a TCP connection.
   * @default 3000
   */
  connectionTimeoutMs?: number;
  /**
   * Milliseconds to wait for a response once connected.
   * @default 10000
   */
  requestTimeoutMs?: number;
  /**
   * Attempts per call, the first included.
   * @default 2
   */
  maxAttempts?: number;
}

/** The S3 region: the repository's own region when given (pgBackRest `repo1-s3-region`), else the monitor's. */
export function s3Region(config: Pick<MonitorConfig, 'region' | 'backups'>): string {
  const repo = config.backups.repository;
  return (repo.type === 's3' && repo.region) || config.region;
}

/**
 * Builds the clients for one configuration. Nothing is contacted and no credential is read until a client
 * sends its first request.
 */
export function createAwsClients(
  config: Pick<MonitorConfig, 'region' | 'endpoints' | 'backups'>,
  options: AwsClientOptions = {},
): AwsClients {
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 10000,
    // Without this, @smithy/node-http-handler 4.x only logs a warning when requestTimeout passes and keeps waiting.
    throwOnRequestTimeout: true,
  });
  const credentials: ReturnType<typeof fromNodeProviderChain> | undefined = options.profile
    ? fromNodeProviderChain({ profile: options.profile })
    : undefined;
  const common = (endpoint: string | undefined, region = config.region) => ({
    region,
    requestHandler,
    maxAttempts: options.maxAttempts ?? 2,
    ...(credentials ? { credentials } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  const repo = config.backups.repository;
  const s3Endpoint = config.endpoints.s3 ?? (repo.type === 's3' ? repo.endpoint : undefined);
  const builders = {
    lightsail: () => new LightsailClient(common(config.endpoints.lightsail)),
    s3: () =>
      new S3Client({
        ...common(s3Endpoint, s3Region(config)),
        // S3-compatible servers and loopback endpoints have no per-bucket DNS names.
        forcePathStyle: Boolean(s3Endpoint) || (repo.type === 's3' && repo.forcePathStyle === true),
      }),
    ssm: () => new SSMClient(common(config.endpoints.ssm)),
    secretsManager: () => new SecretsManagerClient(common(config.endpoints.secretsManager)),
    cloudwatch: () => new CloudWatchClient(common(config.endpoints.cloudwatch)),
    sns: () => new SNSClient(common(config.endpoints.sns)),
  };
  const built: Partial<Record<keyof AwsClients, unknown>> = {};
  const clients = {} as AwsClients;
  for (const name of Object.keys(builders) as (keyof AwsClients)[]) {
    Object.defineProperty(clients, name, {
      enumerable: true,
      get: () => (built[name] ??= builders[name]()),
    });
  }
  return clients;
}

const perProcess = new Map<string, AwsClients>();

/**
 * The process-wide clients for a configuration: the first call builds them, later calls (warm Lambda
 * invocations, several belts in one CLI run) get the same objects.
 */
export function sharedAwsClients(config: Pick<MonitorConfig, 'region' | 'endpoints' | 'backups'>, options: AwsClientOptions = {}): AwsClients {
  const repo = config.backups.repository;
  const key = JSON.stringify([config.region, config.endpoints, repo.type === 's3' ? [repo.endpoint, repo.region, repo.forcePathStyle] : null, options]);
  let clients = perProcess.get(key);
  if (!clients) {
    clients = createAwsClients(config, options);
    perProcess.set(key, clients);
  }
  return clients;
}
