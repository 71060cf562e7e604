import { parseConfig } from '../../../lambdas/config/load';
import type { MonitorConfig, MonitorConfigInput } from '../../../lambdas/config/schema';
import type { CheckContext } from '../../../lambdas/core/check';
import type { Deps } from '../../../lambdas/core/deps';
import type { DatabaseSource } from '../../../lambdas/core/ports';
import { MemoryStateStore } from '../../../lambdas/core/state';

/** A valid config whose `database` section is overridden; the other sections are placeholders. */
export function configWith(database: Partial<MonitorConfigInput['database']>, extra: Partial<MonitorConfigInput> = {}): MonitorConfig {
  return parseConfig({
    instance: { name: 'chronos-production-database' },
    database: { host: '127.0.0.1', database: 'postgres', user: 'chronos_monitor', tls: { mode: 'disable' }, ...database },
    backups: { repository: { type: 'posix', path: '/nonexistent' }, stanza: 'demo' },
    ...extra,
  });
}

/** A check context whose only real dependency is the database source. */
export function contextFor(config: MonitorConfig, database: DatabaseSource): CheckContext {
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not used by database checks')) });
  const deps: Deps = {
    instance: unused as Deps['instance'],
    repository: unused as Deps['repository'],
    database,
    state: new MemoryStateStore(),
    cipherPass: async () => ({ ok: true, value: undefined }),
  };
  return { config, deps, now: new Date(), signal: new AbortController().signal };
}
