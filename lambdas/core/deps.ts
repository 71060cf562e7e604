import type { Observed } from './observed';
import type { BucketSource, DatabaseSource, InstanceSource, RepositoryStore } from './ports';
import type { StateStore } from './state';

/** Everything a run reads, built once per run (Lambda invocation or CLI call). */
export interface Deps {
  instance: InstanceSource;
  database: DatabaseSource;
  /** The repository store; the backup checks share parsed facts through `lambdas/pgbackrest/facts.ts`. */
  repository: RepositoryStore;
  /** Undefined for a posix repository. */
  bucket?: BucketSource;
  state: StateStore;
  /** Cipher pass of an encrypted repository, or undefined when none is configured. */
  cipherPass(): Promise<Observed<string | undefined>>;
}
