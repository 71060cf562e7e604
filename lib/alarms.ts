import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { MonitorConfig } from '../lambdas/config/schema';
import type { FunctionGroup } from '../lambdas/handlers/groups';
import { CHECKS_FAILING, METRIC_DIMENSION } from '../lambdas/publish/metric-catalog';
import { alarmName, functionName, pascal } from './naming';

/** Props of {@link MonitorAlarms}. */
export interface MonitorAlarmsProps {
  config: MonitorConfig;
  /** The check functions by group. */
  functions: Record<FunctionGroup, lambda.IFunction>;
  /** Where alarm and OK notifications go. */
  topic: sns.ITopic;
}

/** One custom metric of the monitor's namespace with its single bounded dimension. */
export function monitorMetric(config: MonitorConfig, metricName: string, statistic: string, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: config.metrics.namespace,
    metricName,
    dimensionsMap: { [METRIC_DIMENSION]: config.instance.name },
    period: Duration.minutes(config.schedule.rateMinutes),
    statistic,
    label,
  });
}

/**
 * The alarms that watch the monitor itself. Check-level alerts (a backup too old, the database down) are
 * sent by the functions with the measured value, the threshold and the command to run; an alarm on the same
 * condition would send a second, vaguer message for the same event. So:
 * - `<group>-not-running` (one per function): no invocation for two schedule periods. Missing data is
 *   BREACHING because Lambda emits no Invocations point when nothing ran; this is the dead-man's switch.
 * - `<group>-errors` (one per function): the function failed (crash, timeout, or it could not publish its
 *   metrics or alerts). Missing data is NOT_BREACHING: no invocation means no error, and not-running covers it.
 * - `checks-failing`: any check in fail/unknown. It has NO actions (the functions already alerted, naming the
 *   check); it exists for the dashboard's alarm widget and for `aws cloudwatch describe-alarms`. Missing data
 *   IGNORE keeps the last known state while not-running speaks for the silence.
 */
export class MonitorAlarms extends Construct {
  /** Every alarm, in dashboard order. */
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitorAlarmsProps) {
    super(scope, id);
    const { config, topic } = props;
    const period = Duration.minutes(config.schedule.rateMinutes);
    const notify = (alarm: cloudwatch.Alarm) => {
      alarm.addAlarmAction(new SnsAction(topic));
      alarm.addOkAction(new SnsAction(topic));
      return alarm;
    };
    for (const [group, fn] of Object.entries(props.functions) as [FunctionGroup, lambda.IFunction][]) {
      const runbook = `Run \`aws logs tail /aws/lambda/${functionName(group)} --since 1h\`; then \`npx chronos-monitor check\` from a laptop.`;
      this.alarms.push(
        notify(
          new cloudwatch.Alarm(this, `${pascal(group)}NotRunning`, {
            alarmName: alarmName(`${group}-not-running`),
            alarmDescription: `The ${group} checks have not run for ${2 * config.schedule.rateMinutes} minutes: the monitor is blind to them. Check the schedule ${alarmName(group)} is enabled. ${runbook}`,
            metric: fn.metricInvocations({ period, statistic: 'Sum' }),
            comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            threshold: 1,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            treatMissingData: cloudwatch.TreatMissingData.BREACHING,
          }),
        ),
        notify(
          new cloudwatch.Alarm(this, `${pascal(group)}Errors`, {
            alarmName: alarmName(`${group}-errors`),
            alarmDescription: `The ${group} check function failed (crash, timeout, or could not publish metrics/alerts); check-level alerts may be missing while this is in ALARM. ${runbook}`,
            metric: fn.metricErrors({ period, statistic: 'Sum' }),
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            threshold: 1,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        ),
      );
    }
    this.alarms.push(
      new cloudwatch.Alarm(this, 'ChecksFailing', {
        alarmName: alarmName('checks-failing'),
        alarmDescription: 'At least one check is fail/unknown. No actions: the check functions already sent an alert naming the check. Run `npx chronos-monitor check`.',
        metric: monitorMetric(config, CHECKS_FAILING, 'Maximum'),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        threshold: 1,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
        actionsEnabled: false,
      }),
    );
  }
}
