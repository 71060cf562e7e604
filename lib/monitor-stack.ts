import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { MonitorConfig } from '../lambdas/config/schema';
import { type FunctionGroup, GROUP_NAMES } from '../lambdas/handlers/groups';
import { MonitorAlarms } from './alarms';
import { CheckFunction } from './check-function';
import { MonitorDashboard } from './dashboard';
import { deployProblems } from './deploy-config';
import { DASHBOARD_NAME, pascal, TOPIC_NAME } from './naming';
import { acknowledgeFindings } from './nag';

/** Props of {@link MonitorStack}. */
export interface MonitorStackProps extends StackProps {
  /** The validated configuration (the same file the CLI reads). */
  config: MonitorConfig;
}

/** Thrown at synth when a valid configuration cannot be deployed (posix repository, env secrets, ...). */
export class DeployConfigError extends Error {
  override name = 'DeployConfigError';
}

/**
 * The deployable monitor: three scheduled check functions (instance, database, backups+bucket), one alert
 * topic (email + SMS), alarms on the monitor's own health, one dashboard, and a small state bucket that keeps
 * the alert memory between runs.
 */
export class MonitorStack extends Stack {
  /** Where every alert and alarm notification goes. */
  readonly topic: sns.Topic;
  /** The check functions by group. */
  readonly checkFunctions: Record<FunctionGroup, CheckFunction>;

  constructor(scope: Construct, id: string, props: MonitorStackProps) {
    super(scope, id, props);
    const { config } = props;
    const problems = deployProblems(config);
    if (problems.length > 0) throw new DeployConfigError(`the configuration cannot be deployed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);

    // Not encrypted with alias/aws/sns: CloudWatch alarms cannot publish to a topic under that key, and a
    // customer key (US$1/month) would protect only messages that never carry secrets.
    this.topic = new sns.Topic(this, 'AlertTopic', { topicName: TOPIC_NAME, displayName: 'chronos', enforceSSL: true });
    for (const email of config.alerts.emails) this.topic.addSubscription(new subs.EmailSubscription(email));
    for (const phone of config.alerts.smsNumbers) this.topic.addSubscription(new subs.SmsSubscription(phone));

    const stateBucket = new s3.Bucket(this, 'StateBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Holds a few KB of alert memory; kept on `cdk destroy` so a redeploy does not re-alert everything.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const fns = {} as Record<FunctionGroup, CheckFunction>;
    for (const group of GROUP_NAMES) {
      fns[group] = new CheckFunction(this, `${pascal(group)}Check`, {
        config,
        group,
        topicArn: this.topic.topicArn,
        stateBucketArn: stateBucket.bucketArn,
        stateBucketName: stateBucket.bucketName,
        dashboardName: DASHBOARD_NAME,
      });
    }
    this.checkFunctions = fns;
    const functions = Object.fromEntries(GROUP_NAMES.map((g) => [g, fns[g].function])) as Record<FunctionGroup, CheckFunction['function']>;
    const alarms = new MonitorAlarms(this, 'Alarms', { config, functions, topic: this.topic });
    new MonitorDashboard(this, 'Dashboard', { config, dashboardName: DASHBOARD_NAME, functions, alarms: alarms.alarms });

    new CfnOutput(this, 'AlertTopicArn', { value: this.topic.topicArn, description: 'SNS topic of every alert' });
    new CfnOutput(this, 'StateBucketName', { value: stateBucket.bucketName, description: 'Alert memory between runs (retained on destroy)' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${config.region}.console.aws.amazon.com/cloudwatch/home?region=${config.region}#dashboards/dashboard/${DASHBOARD_NAME}`,
    });
    if (config.alerts.smsNumbers.length > 0) {
      new CfnOutput(this, 'SmsSpendLimitCommand', {
        description: 'Account-wide SNS setting; run once (not managed by this stack)',
        value: `aws sns set-sms-attributes --attributes MonthlySpendLimit=${config.alerts.smsMonthlySpendLimitUsd} --region ${config.region}`,
      });
    }
    acknowledgeFindings(this, { config, stateBucket, functions: Object.values(fns) });
  }
}
