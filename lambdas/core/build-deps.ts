import { sharedAwsClients } from '../adapters/aws-clients';
import { createBucketSource } from '../adapters/bucket';
import { createInstanceSource } from '../adapters/lightsail';
import { createDatabaseSource } from '../adapters/postgres';
import { createRepositoryStore } from '../adapters/repository';
import { createSecretReader } from '../adapters/secrets';
import type { MonitorConfig, SecretSource } from '../config/schema';
import type { Deps } from './deps';
import { observed, once, type Observed } from './observed';
import type { StateStore } from './state';

/** Options of {@link buildDeps}. */
export interface BuildDepsOptions {
  /** AWS profile for laptop runs (SSO profiles work). @default - the SDK's default credential chain */
  profile?: string;
  /** Where facts are remembered between runs. */
  state: StateStore;
  /** Where `{"env":…}` secret sources are read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Deps plus the one thing a caller must do at the end of a run. */
export type RunDeps = Deps & { close(): Promise<void> };

/**
 * Wires the adapters for one run: AWS clients (built once per process), the database source (one
 * connection per run), the repository store and the secret reader. Nothing is contacted until a check asks.
 */
export function buildDeps(config: MonitorConfig, options: BuildDepsOptions): RunDeps {
  const clients = sharedAwsClients(config, { profile: options.profile });
  const secrets = createSecretReader(clients, { env: options.env });
  const readOptional = (source: SecretSource | undefined) =>
    once(async (): Promise<Observed<string | undefined>> => (source ? secrets.read(source) : observed(undefined)));
  const repo = config.backups.repository;
  const database = createDatabaseSource(config.database, readOptional(config.database.password));
  return {
    instance: createInstanceSource(clients.lightsail),
    database,
    repository: createRepositoryStore(repo, repo.type === 's3' ? clients.s3 : undefined),
    bucket: repo.type === 's3' ? createBucketSource(clients.s3, repo.bucket) : undefined,
    state: options.state,
    cipherPass: readOptional(config.backups.cipherPass),
    close: () => database.close(),
  };
}
