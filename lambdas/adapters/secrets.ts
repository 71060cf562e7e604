import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { SecretSource } from '../config/schema';
import { failed, observed, type Observed } from '../core/observed';
import { registerSecret } from '../core/redact';
import { awsFailure } from './aws-errors';

/** Reads secrets named by a {@link SecretSource}. */
export interface SecretReader {
  /** The secret's value (registered for redaction before it is returned), or why it could not be read. */
  read(source: SecretSource): Promise<Observed<string>>;
}

/** Options of {@link createSecretReader}. */
export interface SecretReaderOptions {
  /**
   * How long a value read from SSM or Secrets Manager is reused by the process.
   * @default 900000 (15 minutes, one schedule period)
   */
  ttlMs?: number;
  /**
   * The clock used for the cache (tests).
   * @default Date.now
   */
  clock?: () => number;
  /**
   * Where `{env}` sources are read.
   * @default process.env
   */
  env?: NodeJS.ProcessEnv;
}

/** A human name of a secret source for messages; never the value. */
export function describeSecretSource(source: SecretSource): string {
  if ('env' in source) return `environment variable ${source.env}`;
  if ('ssmParameter' in source) return `SSM parameter ${source.ssmParameter}`;
  return `Secrets Manager secret ${source.secretsManager}`;
}

// Per process: a warm Lambda re-reads at most every ttl, which keeps SSM/KMS calls (and their cost) tiny.
const cache = new Map<string, { value: string; expires: number }>();

/** Forgets every cached secret value (tests, credential rotation). */
export function clearSecretCache(): void {
  cache.clear();
}

/** Builds a reader over the SSM and Secrets Manager clients (created lazily, so env-only setups never touch AWS). */
export function createSecretReader(clients: { readonly ssm: SSMClient; readonly secretsManager: SecretsManagerClient }, options: SecretReaderOptions = {}): SecretReader {
  const ttlMs = options.ttlMs ?? 15 * 60 * 1000;
  const clock = options.clock ?? Date.now;
  const env = options.env ?? process.env;

  async function fetch(source: SecretSource): Promise<Observed<string | undefined>> {
    if ('env' in source) return observed(env[source.env]);
    if ('ssmParameter' in source) {
      try {
        const out = await clients.ssm.send(new GetParameterCommand({ Name: source.ssmParameter, WithDecryption: true }));
        return observed(out.Parameter?.Value);
      } catch (err) {
        return awsFailure(err, 'ssm:GetParameter (with kms:Decrypt)', describeSecretSource(source));
      }
    }
    try {
      const out = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: source.secretsManager }));
      const value = out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : undefined);
      return observed(value);
    } catch (err) {
      return awsFailure(err, 'secretsmanager:GetSecretValue', describeSecretSource(source));
    }
  }

  return {
    async read(source) {
      const key = JSON.stringify(source);
      const hit = cache.get(key);
      if (hit && hit.expires > clock()) return observed(hit.value);
      const r = await fetch(source);
      if (!r.ok) return r;
      const value = r.value;
      if (value === undefined) {
        return failed(
          'config',
          'env' in source ? `${describeSecretSource(source)} is not set` : `${describeSecretSource(source)} has no value`,
        );
      }
      if (value === '') return failed('config', `${describeSecretSource(source)} is empty`);
      registerSecret(value);
      if (!('env' in source)) cache.set(key, { value, expires: clock() + ttlMs });
      return observed(value);
    },
  };
}
