import { checkIdProblems } from '../lambdas/checks';
import type { MonitorConfig, SecretSource } from '../lambdas/config/schema';

/** Margin on top of the per-check deadline: building sources (SSM read), then publishing metrics and alerts. */
export const TIMEOUT_MARGIN_SECONDS = 40;

/** Lambda timeout for a configuration: every check deadline plus the publishing margin. */
export function functionTimeoutSeconds(config: MonitorConfig): number {
  return Math.ceil(config.checks.deadlineMs / 1000) + TIMEOUT_MARGIN_SECONDS;
}

/** Largest value of all Lambda environment variables together (AWS limit 4 KiB); the rest is for the other variables. */
export const MAX_CONFIG_ENV_BYTES = 3500;

const envSecret = (field: string, s: SecretSource | undefined): string | undefined =>
  s && 'env' in s
    ? `\`${field}\` is {"env":"${s.env}"}, which a Lambda can only read if the secret is written into the template; use {"ssmParameter":"/name"} (SecureString) or {"secretsManager":"id"}`
    : undefined;

/**
 * Checks that go beyond the schema and only matter for the deployed monitor. Returns every problem, each
 * naming the field, the value and what is expected; empty when the configuration is deployable.
 */
export function deployProblems(config: MonitorConfig): string[] {
  const problems: string[] = [...checkIdProblems(config.checks.disabled)];
  if (config.backups.repository.type !== 's3') {
    problems.push('`backups.repository.type` is "posix": a Lambda cannot read a directory on the database host; the deployed monitor needs {"type":"s3",...}');
  }
  for (const p of [envSecret('database.password', config.database.password), envSecret('backups.cipherPass', config.backups.cipherPass)]) if (p) problems.push(p);
  if (config.alerts.emails.length === 0 && config.alerts.smsNumbers.length === 0) {
    problems.push('`alerts.emails` and `alerts.smsNumbers` are both empty: nobody would be told; add at least one email address');
  }
  const timeout = functionTimeoutSeconds(config);
  if (timeout > config.schedule.rateMinutes * 60 || timeout > 900) {
    problems.push(
      `\`checks.deadlineMs\` is ${config.checks.deadlineMs}: with the ${TIMEOUT_MARGIN_SECONDS} s publishing margin a run may take ${timeout} s, longer than the ${config.schedule.rateMinutes}-minute schedule (or Lambda's 900 s); lower it`,
    );
  }
  const envBytes = Buffer.byteLength(JSON.stringify(config));
  if (envBytes > MAX_CONFIG_ENV_BYTES) problems.push(`the configuration is ${envBytes} bytes as JSON; the Lambda environment allows about ${MAX_CONFIG_ENV_BYTES}; shorten lists such as \`alerts.emails\``);
  return problems;
}

/** The repository key prefix: pgBackRest `repo1-path` without leading or trailing slashes ('' for the bucket root). */
export function repositoryPrefix(config: MonitorConfig): string {
  const repo = config.backups.repository;
  return repo.type === 's3' ? repo.path.replace(/^\/+|\/+$/g, '') : '';
}
