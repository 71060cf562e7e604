import type { MetricUnit, Report } from '../core/types';
import { CHECKS_FAILING, isKeyMetric, METRIC_DIMENSION } from './metric-catalog';

/** One data point ready for CloudWatch (a structural subset of the SDK's MetricDatum). */
export interface MetricPoint {
  /** Public metric name. */
  name: string;
  value: number;
  unit: MetricUnit;
  /** Always `{ Instance: <instance name> }`: bounded cardinality. */
  dimensions: Record<string, string>;
  timestamp: Date;
}

/** Options of {@link metricPoints}. */
export interface MetricSelection {
  /** Instance name, the value of the single dimension. */
  instanceName: string;
  /** Publish non-key metrics too (`metrics.extra`). */
  extra: boolean;
}

/** Number of checks in `fail` or `unknown`: the figure one alarm and the dashboard watch for every check. */
export function countFailing(report: Report): number {
  return report.checks.filter((c) => c.status === 'fail' || c.status === 'unknown').length;
}

/**
 * The data points of one run: every key metric the checks measured, `ChecksFailing` always (so each run
 * leaves a data point even when no check could measure anything), and the rest only when `extra` is set.
 * Non-finite values are dropped because CloudWatch rejects them and a check that cannot measure says so in
 * its status instead.
 */
export function metricPoints(report: Report, selection: MetricSelection, now: Date): MetricPoint[] {
  const dimensions = { [METRIC_DIMENSION]: selection.instanceName };
  const seen = new Set<string>();
  const points: MetricPoint[] = [{ name: CHECKS_FAILING, value: countFailing(report), unit: 'Count', dimensions, timestamp: now }];
  seen.add(CHECKS_FAILING);
  for (const check of report.checks) {
    for (const m of check.metrics) {
      if (seen.has(m.name) || !Number.isFinite(m.value)) continue;
      if (!selection.extra && !isKeyMetric(m.name)) continue;
      seen.add(m.name);
      points.push({ name: m.name, value: m.value, unit: m.unit, dimensions, timestamp: now });
    }
  }
  return points;
}
