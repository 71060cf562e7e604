import type { MetricUnit } from '../core/types';

/** A metric the monitor publishes by default: public name (PascalCase, unit in the name) and unit. */
export interface KeyMetric {
  /** Public metric name; dashboards and alarms refer to it. */
  name: string;
  /** CloudWatch unit. */
  unit: MetricUnit;
}

/** Count of checks in `fail` or `unknown` in one run; computed by the publisher, not by a check. */
export const CHECKS_FAILING = 'ChecksFailing';

/**
 * The default metrics: exactly ten, which is CloudWatch's always-free custom-metric allowance. Every other
 * metric a check reports is published only with `metrics.extra: true` (US$0.30/month each beyond the free tier).
 * Checks report these names in their outcome's `metrics`; the publisher never invents values for them.
 */
export const KEY_METRICS: readonly KeyMetric[] = [
  { name: 'InstanceRunning', unit: 'Count' },
  { name: 'DbUp', unit: 'Count' },
  { name: 'DbLoginOk', unit: 'Count' },
  { name: 'DbLatencyMilliseconds', unit: 'Milliseconds' },
  { name: 'DbSizeBytes', unit: 'Bytes' },
  { name: 'FullBackupAgeSeconds', unit: 'Seconds' },
  { name: 'DiffBackupAgeSeconds', unit: 'Seconds' },
  { name: 'WalArchiveAgeSeconds', unit: 'Seconds' },
  { name: 'UnarchivedDataAgeSeconds', unit: 'Seconds' },
  { name: CHECKS_FAILING, unit: 'Count' },
];

/** The one dimension every metric carries; its only value is the configured instance name, so cardinality is 1. */
export const METRIC_DIMENSION = 'Instance';

/** True when a metric name is published by default. */
export function isKeyMetric(name: string): boolean {
  return KEY_METRICS.some((m) => m.name === name);
}
