import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { MonitorConfig } from '../lambdas/config/schema';
import type { FunctionGroup } from '../lambdas/handlers/groups';
import { CHECKS_FAILING } from '../lambdas/publish/metric-catalog';
import { monitorMetric } from './alarms';

/** Props of {@link MonitorDashboard}. */
export interface MonitorDashboardProps {
  config: MonitorConfig;
  dashboardName: string;
  functions: Record<FunctionGroup, lambda.IFunction>;
  /** Alarms shown in the status widget. */
  alarms: cloudwatch.IAlarm[];
}

/** The operator's daily commands, shown at the top of the dashboard. */
export function kataMarkdown(config: MonitorConfig): string {
  const lightsail = `https://lightsail.aws.amazon.com/ls/webapp/${config.region}/instances/${config.instance.name}/metrics`;
  return [
    '# chronos-monitor: can this database be restored to 15 minutes ago, right now?',
    'Morning kata (one line each, from the repository, after `aws sso login --profile X`):',
    '`npx chronos-monitor check` - every check, worst status first  ',
    '`npx chronos-monitor check --only backup.full-age` - one check in detail  ',
    `\`aws logs tail /aws/lambda/chronos-monitor-backups --since 1h --region ${config.region}\` - what the monitor saw  `,
    `Instance graphs (CPU, burst, network) live in the [Lightsail console](${lightsail}).`,
  ].join('\n');
}

const hours = (h: number) => h * 3600;

/** Warn and fail lines (in seconds, the metric's unit) labelled in the configuration's own unit. */
const ageLines = (warnSeconds: number, failSeconds: number, unit: string, pair: { warn: number; fail: number }, failLabel = 'fail'): cloudwatch.HorizontalAnnotation[] => [
  { value: warnSeconds, label: `warn ${pair.warn}${unit}`, color: cloudwatch.Color.ORANGE },
  { value: failSeconds, label: `${failLabel} ${pair.fail}${unit}`, color: cloudwatch.Color.RED },
];

/** One dashboard, one row per belt, then the monitor's own health. */
export class MonitorDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitorDashboardProps) {
    super(scope, id);
    const { config } = props;
    const m = (name: string, stat = 'Maximum', label?: string) => monitorMetric(config, name, stat, label);
    const b = config.backups;
    const period = Duration.minutes(config.schedule.rateMinutes);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(2),
    });
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: kataMarkdown(config), width: 24, height: 5 }));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Instance: running (1 = running)', left: [m('InstanceRunning', 'Minimum')], width: 12, leftYAxis: { min: 0, max: 1 } }),
      new cloudwatch.SingleValueWidget({ title: 'Checks failing (fail or unknown)', metrics: [m(CHECKS_FAILING)], width: 12 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Database: up / login ok (1 = yes)', left: [m('DbUp', 'Minimum'), m('DbLoginOk', 'Minimum')], width: 8, leftYAxis: { min: 0, max: 1 } }),
      new cloudwatch.GraphWidget({ title: 'Database: login latency (ms)', left: [m('DbLatencyMilliseconds')], width: 8, leftYAxis: { min: 0 } }),
      new cloudwatch.GraphWidget({ title: 'Database: size (bytes)', left: [m('DbSizeBytes')], width: 8, leftYAxis: { min: 0 } }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Backups: newest full backup age (s)',
        left: [m('FullBackupAgeSeconds')],
        leftAnnotations: ageLines(hours(b.fullAgeHours.warn), hours(b.fullAgeHours.fail), 'h', b.fullAgeHours),
        width: 8,
        leftYAxis: { min: 0 },
      }),
      new cloudwatch.GraphWidget({
        title: 'Backups: newest diff backup age (s)',
        left: [m('DiffBackupAgeSeconds')],
        leftAnnotations: ageLines(hours(b.diffAgeHours.warn), hours(b.diffAgeHours.fail), 'h', b.diffAgeHours),
        width: 8,
        leftYAxis: { min: 0 },
      }),
      new cloudwatch.GraphWidget({
        title: 'Backups: WAL archive / unarchived data age vs RPO (s)',
        left: [m('WalArchiveAgeSeconds'), m('UnarchivedDataAgeSeconds')],
        leftAnnotations: ageLines(b.rpoMinutes.warn * 60, b.rpoMinutes.fail * 60, ' min', b.rpoMinutes, 'RPO'),
        width: 8,
        leftYAxis: { min: 0 },
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          '### Bucket',
          'Versioning, encryption, public access block and lifecycle are settings, not numbers: a drift shows in *Checks failing* and in the alert email.',
          '`npx chronos-monitor check --only bucket`',
        ].join('\n'),
        width: 8,
        height: 6,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 8, height: 6 }),
      new cloudwatch.GraphWidget({
        title: 'Monitor: invocations and errors per function',
        left: Object.entries(props.functions).map(([g, fn]) => fn.metricInvocations({ period, statistic: 'Sum', label: `${g} runs` })),
        right: Object.entries(props.functions).map(([g, fn]) => fn.metricErrors({ period, statistic: 'Sum', label: `${g} errors` })),
        width: 8,
        height: 6,
      }),
    );
  }
}
