/** Result status of one check, ordered from best to worst by {@link STATUS_RANK}. */
export type Status = 'ok' | 'warn' | 'fail' | 'unknown' | 'skipped';

/** Severity order used to aggregate a report: the report's status is the worst check status. */
export const STATUS_RANK: Record<Status, number> = { skipped: 0, ok: 1, warn: 2, unknown: 3, fail: 4 };

/** CloudWatch-compatible unit names used by check metrics. */
export type MetricUnit = 'Seconds' | 'Milliseconds' | 'Bytes' | 'Count' | 'None' | 'Percent';

/** One measured value a check reports; names are public (see README "Metrics"). */
export interface Metric {
  /** PascalCase metric name, e.g. `FullBackupAgeSeconds`. */
  name: string;
  value: number;
  unit: MetricUnit;
}

/** The belt a check belongs to; the CLI groups output by belt and the stack splits Lambdas by belt. */
export type Belt = 'instance' | 'database' | 'backups' | 'bucket';

/** What a check returns: status, a one-line summary stating measured value and threshold, metrics and details. */
export interface CheckOutcome {
  status: Status;
  /** One line, states the measured value and the threshold; never contains a secret. */
  summary: string;
  metrics?: Metric[];
  details?: Record<string, unknown>;
}

/** A finished check as it appears in the report. */
export interface CheckResult {
  id: string;
  belt: Belt;
  status: Status;
  summary: string;
  metrics: Metric[];
  details: Record<string, unknown>;
  durationMs: number;
}

/** The report printed by `check --json` and logged by the Lambdas. Public interface. */
export interface Report {
  status: Status;
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
}
