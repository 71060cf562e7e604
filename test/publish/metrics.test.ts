import { KEY_METRICS } from '../../lambdas/publish/metric-catalog';
import { countFailing, metricPoints } from '../../lambdas/publish/metrics';
import { reportOf } from './report-fixture';

const now = new Date('2026-12-03T14:00:00Z');
const sel = { instanceName: 'chronos-production-database', extra: false };

describe('metricPoints', () => {
  it('keeps the default set inside the free tier of ten custom metrics', () => {
    expect(KEY_METRICS).toHaveLength(10);
    expect(new Set(KEY_METRICS.map((m) => m.name)).size).toBe(10);
    for (const m of KEY_METRICS) expect(m.name).toMatch(/^[A-Z][A-Za-z]+$/);
  });

  it('publishes key metrics with their unit and the single Instance dimension on a healthy run', () => {
    const r = reportOf({ 'backup.full-age': 'ok', 'backup.diff-age': 'ok' }, [
      { name: 'FullBackupAgeSeconds', value: 7200, unit: 'Seconds' },
      { name: 'BackupInfoBytes', value: 5120, unit: 'Bytes' },
    ]);
    expect(metricPoints(r, sel, now)).toEqual([
      { name: 'ChecksFailing', value: 0, unit: 'Count', dimensions: { Instance: 'chronos-production-database' }, timestamp: now },
      { name: 'FullBackupAgeSeconds', value: 7200, unit: 'Seconds', dimensions: { Instance: 'chronos-production-database' }, timestamp: now },
    ]);
  });

  it('publishes opt-in metrics only with metrics.extra', () => {
    const r = reportOf({ 'backup.full-age': 'ok' }, [{ name: 'BackupInfoBytes', value: 5120, unit: 'Bytes' }]);
    expect(metricPoints(r, { ...sel, extra: true }, now).map((p) => p.name)).toEqual(['ChecksFailing', 'BackupInfoBytes']);
  });

  it('counts fail and unknown (not warn or skipped) in ChecksFailing and drops values that are not finite', () => {
    const r = reportOf({ a: 'fail', b: 'unknown', c: 'warn', d: 'skipped', e: 'ok' }, [{ name: 'DbLatencyMilliseconds', value: Number.NaN, unit: 'Milliseconds' }]);
    expect(countFailing(r)).toBe(2);
    expect(metricPoints(r, sel, now)).toEqual([expect.objectContaining({ name: 'ChecksFailing', value: 2 })]);
  });
});
