import type { CheckDefinition } from '../../core/check';
import type { FailureKind } from '../../core/observed';
import type { CheckOutcome, Metric } from '../../core/types';

/** Failure kinds where nothing answered at the PostgreSQL protocol level. */
const DOWN: FailureKind[] = ['unreachable', 'timeout'];

const metric = (name: string, value: number): Metric => ({ name, value, unit: 'Count' });

/** `db.connect`: reachability and login reported separately, latency, server major version, TLS, recovery. */
export const dbConnect: CheckDefinition = {
  id: 'db.connect',
  belt: 'database',
  description: 'Logs in to PostgreSQL: reachable, login accepted, latency, major version, TLS in use, not in recovery.',
  async run({ config, deps }): Promise<CheckOutcome> {
    const db = config.database;
    const r = await deps.database.connect();
    if (!r.ok) {
      // 'config' means our own configuration failed before the server was contacted (password source,
      // CA file): the monitor cannot see the database, which is not the database being down.
      if (r.kind === 'config') {
        return { status: 'unknown', summary: r.reason, details: { contacted: false, failure: r.kind, tlsMode: db.tls.mode } };
      }
      const reachable = !DOWN.includes(r.kind);
      const verdict = !reachable ? 'unreachable' : r.kind === 'invalid' ? 'reachable, TLS not established' : 'reachable, login refused';
      return {
        status: 'fail',
        summary: `PostgreSQL ${verdict}: ${r.reason}`,
        metrics: [metric('DbUp', reachable ? 1 : 0), metric('DbLoginOk', 0)],
        details: { reachable, loggedIn: false, failure: r.kind, tlsMode: db.tls.mode },
      };
    }
    const f = r.value;
    const major = Math.floor(f.serverVersionNum / 10000);
    const problems: string[] = [];
    let status: CheckOutcome['status'] = 'ok';
    if (db.expectedMajorVersion !== undefined && major !== db.expectedMajorVersion) {
      status = 'fail';
      problems.push(`server major version ${major} (${f.serverVersion}) is not the expected ${db.expectedMajorVersion}`);
    }
    if (f.inRecovery) {
      if (status === 'ok') status = 'warn';
      problems.push('server is in recovery (a standby or a restore in progress), so it accepts no writes and archives nothing');
    }
    const tls = f.tls ? `TLS ${f.tlsVersion ?? 'on'}` : 'no TLS';
    const head = `PostgreSQL ${f.serverVersion.split(' ')[0]} reachable, login ok in ${Math.round(f.latencyMs)} ms, ${tls}`;
    return {
      status,
      summary: problems.length ? `${problems.join('; ')} (${head})` : head,
      metrics: [metric('DbUp', 1), metric('DbLoginOk', 1), { name: 'DbLatencyMilliseconds', value: f.latencyMs, unit: 'Milliseconds' }],
      details: {
        reachable: true,
        loggedIn: true,
        serverVersion: f.serverVersion,
        serverVersionNum: f.serverVersionNum,
        expectedMajorVersion: db.expectedMajorVersion ?? null,
        tls: f.tls,
        tlsVersion: f.tlsVersion ?? null,
        tlsMode: db.tls.mode,
        inRecovery: f.inRecovery,
        startedAt: f.startedAt,
        database: f.database,
      },
    };
  },
};
