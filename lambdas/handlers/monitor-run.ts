import type { CheckDefinition } from '../core/check';
import type { Deps } from '../core/deps';
import { redact, redactDeep } from '../core/redact';
import { runChecks } from '../core/runner';
import type { StateStore } from '../core/state';
import { worstStatus } from '../core/status';
import type { Report } from '../core/types';
import type { MonitorConfig } from '../config/schema';
import { type AlertState, decideAlerts } from '../publish/alerts';
import { type AlertMessage, renderAlerts } from '../publish/messages';
import { type MetricPoint, countFailing, metricPoints } from '../publish/metrics';
import { FUNCTION_GROUPS, type FunctionGroup } from './groups';

/** State key of the alert memory (under the function's own state prefix). */
export const ALERT_STATE_KEY = 'alerts';

/** Everything one scheduled run needs; the entry point builds it once per cold start. */
export interface MonitorRunContext {
  config: MonitorConfig;
  group: FunctionGroup;
  /** All known checks; the run keeps its group's belts. */
  checks: CheckDefinition[];
  /** Builds the run's data sources (lambdas/core/build-deps.ts in production, fakes in tests). */
  buildDeps(): Promise<Deps & { close(): Promise<void> }>;
  /** Alert memory between runs (the function's prefix in the state bucket). */
  state: StateStore;
  /** Sends metric data points (PutMetricData). */
  publishMetrics(points: MetricPoint[]): Promise<unknown>;
  /** Sends one notification to the alert topic. */
  publishAlert(message: AlertMessage): Promise<unknown>;
  /** Writes one log line. */
  log(line: string): void;
  /** Dashboard name for links in messages. */
  dashboardName?: string;
}

/** What one run did, as logged. */
export interface RunSummary {
  group: FunctionGroup;
  status: Report['status'];
  failing: string[];
  report: Report;
  metrics: { points: number; error?: string };
  alerts: { sent: string[]; error?: string };
}

/** A run whose checks finished but whose publishing failed; thrown so the Lambda Errors alarm fires. */
export class PublishError extends Error {
  override name = 'PublishError';
  constructor(
    message: string,
    /** The run's summary, with the failures. */
    readonly summary: RunSummary,
  ) {
    super(message);
  }
}

const oneLine = (err: unknown) => redact(`${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`).split('\n')[0];

/** Every selected check as `unknown` when the data sources could not even be built. */
function unknownReport(checks: CheckDefinition[], reason: string): Report {
  const results = checks.map((c) => ({ id: c.id, belt: c.belt, status: 'unknown' as const, summary: `${c.id} could not run: data sources failed to start (${reason})`, metrics: [], details: {}, durationMs: 0 }));
  return { status: worstStatus(results.map((r) => r.status)), startedAt: new Date().toISOString(), durationMs: 0, checks: results };
}

async function check(ctx: MonitorRunContext, selected: CheckDefinition[], now: Date): Promise<Report> {
  let deps: (Deps & { close(): Promise<void> }) | undefined;
  try {
    deps = await ctx.buildDeps();
  } catch (err) {
    return unknownReport(selected, oneLine(err));
  }
  try {
    return await runChecks(selected, { config: ctx.config, deps, now }, { deadlineMs: ctx.config.checks.deadlineMs });
  } finally {
    await deps.close().catch(() => undefined);
  }
}

async function alert(ctx: MonitorRunContext, report: Report, now: Date): Promise<string[]> {
  const previous = await ctx.state.get<AlertState>(ALERT_STATE_KEY);
  const { alerts, next, warnings } = decideAlerts(previous, report, now, ctx.config.alerts.repeatHours);
  // A dropped entry means its incident starts over (a repeated onset); say why in the log.
  for (const warning of warnings) ctx.log(JSON.stringify(redactDeep({ message: 'chronos-monitor alert state', group: ctx.group, warning })));
  if (alerts.length > 0) {
    const repo = ctx.config.backups.repository;
    const where = {
      instanceName: ctx.config.instance.name,
      region: ctx.config.region,
      source: ctx.group,
      dashboardName: ctx.dashboardName,
      stanza: ctx.config.backups.stanza,
      bucket: repo.type === 's3' ? repo.bucket : undefined,
    };
    await ctx.publishAlert(renderAlerts(alerts, where, now));
  }
  // Saved only after a successful publish: an alert SNS refused is decided again, and sent, next run.
  if (alerts.length > 0 || JSON.stringify(previous) !== JSON.stringify(next)) await ctx.state.put(ALERT_STATE_KEY, next);
  return alerts.map((a) => `${a.kind}:${a.checkId}`);
}

/**
 * One scheduled run: checks of the group, then metrics and alerts published independently (a CloudWatch
 * failure cannot lose an SNS alert and vice versa), one redacted JSON log line, and a thrown PublishError
 * when either channel failed so the function's Errors alarm reports the broken monitor.
 */
export async function monitorRun(ctx: MonitorRunContext, now: Date): Promise<RunSummary> {
  const belts: readonly string[] = FUNCTION_GROUPS[ctx.group];
  // `checks.disabled` is the runner's business: those checks appear as `skipped`, as in the CLI.
  const selected = ctx.checks.filter((c) => belts.includes(c.belt));
  const report = await check(ctx, selected, now);
  const points = metricPoints(report, { instanceName: ctx.config.instance.name, extra: ctx.config.metrics.extra }, now);
  const [metricsOutcome, alertsOutcome] = await Promise.allSettled([ctx.publishMetrics(points), alert(ctx, report, now)]);
  const summary: RunSummary = {
    group: ctx.group,
    status: report.status,
    failing: report.checks.filter((c) => c.status === 'fail' || c.status === 'unknown').map((c) => c.id),
    report,
    metrics: { points: points.length, ...(metricsOutcome.status === 'rejected' ? { error: oneLine(metricsOutcome.reason) } : {}) },
    alerts: alertsOutcome.status === 'fulfilled' ? { sent: alertsOutcome.value } : { sent: [], error: oneLine(alertsOutcome.reason) },
  };
  // Free text is redacted field by field: ids, statuses and keys are the code's own words, and redacting them
  // would let a password such as "backup" turn every id into "***" for whoever scripts on the log.
  ctx.log(
    JSON.stringify({
      message: 'chronos-monitor run',
      group: summary.group,
      status: summary.status,
      checksFailing: countFailing(report),
      failing: summary.failing,
      checks: report.checks.map((c) => ({ id: c.id, status: c.status, summary: redact(c.summary), durationMs: c.durationMs })),
      metrics: redactDeep(summary.metrics),
      alerts: redactDeep(summary.alerts),
      durationMs: report.durationMs,
    }),
  );
  const problems = [summary.metrics.error && `metrics not published (${summary.metrics.error})`, summary.alerts.error && `alerts not sent (${summary.alerts.error})`].filter(Boolean);
  if (problems.length > 0) throw new PublishError(`chronos-monitor ${ctx.group}: ${problems.join('; ')}`, summary);
  return summary;
}
