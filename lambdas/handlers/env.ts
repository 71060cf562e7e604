import { ConfigError, jsonSyntaxError, parseConfig } from '../config/load';
import type { MonitorConfig } from '../config/schema';
import { type FunctionGroup, GROUP_NAMES, isFunctionGroup } from './groups';

/** Environment variables the stack sets on every check function. */
export const ENV = {
  config: 'CHRONOS_CONFIG',
  group: 'CHRONOS_GROUP',
  topicArn: 'CHRONOS_TOPIC_ARN',
  stateBucket: 'CHRONOS_STATE_BUCKET',
  dashboardName: 'CHRONOS_DASHBOARD',
} as const;

/** What a check function needs at cold start, validated. */
export interface HandlerEnv {
  config: MonitorConfig;
  group: FunctionGroup;
  topicArn: string;
  stateBucket: string;
  dashboardName?: string;
}

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const v = env[name];
  if (!v) throw new ConfigError(`environment variable ${name} is not set; redeploy the stack (npx cdk deploy)`);
  return v;
};

/**
 * Reads and validates the function's environment. The configuration is validated again here (not only at
 * synth) so a hand-edited variable fails at cold start with the schema's message naming the field.
 */
export function readHandlerEnv(env: NodeJS.ProcessEnv): HandlerEnv {
  let json: unknown;
  try {
    json = JSON.parse(required(env, ENV.config));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`environment variable ${ENV.config} is not valid JSON: ${jsonSyntaxError(err, env[ENV.config] ?? '')}`, { cause: err });
  }
  const config = parseConfig(json, `environment variable ${ENV.config}`);
  const group = required(env, ENV.group);
  if (!isFunctionGroup(group)) throw new ConfigError(`environment variable ${ENV.group} must be one of ${GROUP_NAMES.join(', ')}, got: "${group}"`);
  return {
    config,
    group,
    topicArn: required(env, ENV.topicArn),
    stateBucket: required(env, ENV.stateBucket),
    dashboardName: env[ENV.dashboardName] || undefined,
  };
}
