import type { CheckResult, Report, Status } from '../../lambdas/core/types';

/** A one-check-per-entry report for alert and metric tests. */
export function reportOf(entries: Record<string, Status | [Status, string]>, metrics: CheckResult['metrics'] = []): Report {
  const checks: CheckResult[] = Object.entries(entries).map(([id, v], i) => {
    const [status, summary] = Array.isArray(v) ? v : [v, `${id} is ${v}`];
    return { id, belt: id.startsWith('db.') ? 'database' : 'backups', status, summary, metrics: i === 0 ? metrics : [], details: {}, durationMs: 1 };
  });
  return { status: 'ok', startedAt: '2026-12-03T12:00:00.000Z', durationMs: 5, checks };
}
