import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { MonitorConfig } from '../../lambdas/config/schema';
import { MonitorStack } from '../../lib/monitor-stack';
import { cdkJsonContext, EXAMPLE_INPUT, exampleConfig } from './config-fixture';

/** Synthesizes the stack without bundling (one test in app.test.ts bundles for real). */
function synth(config: MonitorConfig = exampleConfig()): Template {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new MonitorStack(app, 'ChronosMonitor', { config, env: { region: config.region } }));
}

const roleStatements = (t: Template, group: string): unknown[] => {
  const roles = Object.values(t.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp(`^chronos-monitor-${group}:`) } }));
  expect(roles).toHaveLength(1);
  return (roles[0] as { Properties: { Policies: { PolicyDocument: { Statement: unknown[] } }[] } }).Properties.Policies[0].PolicyDocument.Statement;
};

describe('MonitorStack', () => {
  const t = synth();

  it('runs three check functions on Node 24 arm64 with JSON logs, a timeout above the check deadline and no async retries', () => {
    t.resourceCountIs('AWS::Lambda::Function', 3);
    for (const group of ['instance', 'database', 'backups']) {
      t.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `chronos-monitor-${group}`,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 60,
        MemorySize: 256,
        LoggingConfig: { LogFormat: 'JSON', LogGroup: Match.anyValue() },
        Environment: { Variables: Match.objectLike({ CHRONOS_GROUP: group, CHRONOS_CONFIG: Match.serializedJson(Match.objectLike({ instance: Match.objectLike({ name: 'chronos-production-database' }) })) }) },
      });
    }
    t.resourceCountIs('AWS::Lambda::EventInvokeConfig', 3);
    t.allResourcesProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it('passes secret sources, never secret values, to the functions', () => {
    const vars = Object.values(t.findResources('AWS::Lambda::Function')).map((f) => JSON.parse((f as { Properties: { Environment: { Variables: { CHRONOS_CONFIG: string } } } }).Properties.Environment.Variables.CHRONOS_CONFIG));
    expect(vars[0].database.password).toEqual({ ssmParameter: '/chronos/monitor/db-password' });
  });

  it('keeps each log group one month', () => {
    t.resourceCountIs('AWS::Logs::LogGroup', 3);
    t.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/chronos-monitor-backups' });
  });

  it('schedules every function every 15 minutes with EventBridge Scheduler and no retries', () => {
    t.resourceCountIs('AWS::Scheduler::Schedule', 3);
    t.allResourcesProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 900 } }),
    });
  });

  it('follows config.schedule.rateMinutes and config.checks.deadlineMs', () => {
    const t5 = synth(exampleConfig({ schedule: { rateMinutes: 5 }, checks: { deadlineMs: 10000 } }));
    t5.allResourcesProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
    t5.allResourcesProperties('AWS::Lambda::Function', { Timeout: 50 });
    t5.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'chronos-monitor-database-not-running', Period: 300 });
  });

  it('sends alerts to one SSL-only, unencrypted topic with email and SMS subscriptions', () => {
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'chronos-monitor-alerts', KmsMasterKeyId: Match.absent() });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    t.resourceCountIs('AWS::SNS::Subscription', 2);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sms', Endpoint: '+15145550100' });
  });

  it('alarms when a function has not run for two periods (missing data breaching), with alarm and OK actions', () => {
    for (const group of ['instance', 'database', 'backups']) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `chronos-monitor-${group}-not-running`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Statistic: 'Sum',
        Period: 900,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
        OKActions: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
      });
    }
  });

  it('alarms when a function errors (missing data not breaching), with alarm and OK actions', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'chronos-monitor-backups-errors',
      MetricName: 'Errors',
      Period: 900,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
    });
  });

  it('keeps a silent ChecksFailing alarm for the dashboard so no check alerts twice', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'chronos-monitor-checks-failing',
      Namespace: 'Chronos/Monitor',
      MetricName: 'ChecksFailing',
      Dimensions: [{ Name: 'Instance', Value: 'chronos-production-database' }],
      Statistic: 'Maximum',
      Threshold: 1,
      TreatMissingData: 'ignore',
      ActionsEnabled: false,
      AlarmActions: Match.absent(),
    });
  });

  it('stays inside the free tier: 7 alarms on 7 metrics', () => {
    t.resourceCountIs('AWS::CloudWatch::Alarm', 7);
  });

  it('draws one dashboard with backup ages against their thresholds, WAL age against the RPO, alarms and the kata', () => {
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const dash = Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0] as { Properties: { DashboardName: string; DashboardBody: unknown } };
    expect(dash.Properties.DashboardName).toBe('chronos-monitor');
    const body = JSON.stringify(dash.Properties.DashboardBody);
    for (const needle of ['FullBackupAgeSeconds', 'DiffBackupAgeSeconds', 'WalArchiveAgeSeconds', 'UnarchivedDataAgeSeconds', 'DbLatencyMilliseconds', 'DbSizeBytes', 'InstanceRunning', 'ChecksFailing']) {
      expect(body).toContain(needle);
    }
    expect(body).toContain('\\"value\\":108000,\\"label\\":\\"fail 30h\\"');
    expect(body).toContain('\\"value\\":32400,\\"label\\":\\"fail 9h\\"');
    expect(body).toContain('\\"value\\":900,\\"label\\":\\"RPO 15 min\\"');
    expect(body).toContain('\\"type\\":\\"alarm\\"');
    expect(body).toContain('npx chronos-monitor check --only backup.full-age');
  });

  it('lets the backups function read only the repository prefix, the bucket settings and its two secrets', () => {
    const s = roleStatements(t, 'backups');
    expect(s).toEqual(
      expect.arrayContaining([
        { Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::chronos-backups-example/var/lib/pgbackrest/*' },
        {
          Action: 's3:ListBucket',
          Effect: 'Allow',
          Resource: 'arn:aws:s3:::chronos-backups-example',
          Condition: { StringLike: { 's3:prefix': ['var/lib/pgbackrest/*', 'var/lib/pgbackrest'] } },
        },
        {
          Action: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketVersioning', 's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration'],
          Effect: 'Allow',
          Resource: 'arn:aws:s3:::chronos-backups-example',
        },
        {
          Action: 'ssm:GetParameter',
          Effect: 'Allow',
          // The db password too: backup.rpo reads the archiver position from the database.
          Resource: [
            { 'Fn::Join': ['', ['arn:aws:ssm:ca-central-1:', { Ref: 'AWS::AccountId' }, ':parameter/chronos/monitor/db-password']] },
            { 'Fn::Join': ['', ['arn:aws:ssm:ca-central-1:', { Ref: 'AWS::AccountId' }, ':parameter/chronos/monitor/repo-cipher-pass']] },
          ],
        },
        {
          Action: 'kms:Decrypt',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:aws:kms:ca-central-1:', { Ref: 'AWS::AccountId' }, ':key/*']] },
          Condition: { StringEquals: { 'kms:ViaService': 'ssm.ca-central-1.amazonaws.com' } },
        },
      ]),
    );
    expect(JSON.stringify(s)).not.toContain('lightsail:');
    expect(s).toHaveLength(10);
  });

  it('lets every function publish only to its namespace, its topic and its own state prefix', () => {
    for (const group of ['instance', 'database', 'backups']) {
      const s = roleStatements(t, group);
      expect(s).toEqual(
        expect.arrayContaining([
          { Action: 'cloudwatch:PutMetricData', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Chronos/Monitor' } } },
          { Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^AlertTopic/) } },
          { Action: ['s3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^StateBucket/), 'Arn'] }, `/state/${group}/*`]] } },
          {
            Action: 's3:ListBucket',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [expect.stringMatching(/^StateBucket/), 'Arn'] },
            Condition: { StringLike: { 's3:prefix': [`state/${group}/*`] } },
          },
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] } },
        ]),
      );
    }
  });

  it('lets the instance function call only the two Lightsail reads in the configured region', () => {
    const s = roleStatements(t, 'instance');
    expect(s).toContainEqual({
      Action: ['lightsail:GetInstance', 'lightsail:GetStaticIp'],
      Effect: 'Allow',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': 'ca-central-1' } },
    });
    expect(s).toHaveLength(6);
  });

  it('lets the database function read only the password parameter', () => {
    const s = roleStatements(t, 'database');
    expect(s).toContainEqual({ Action: 'ssm:GetParameter', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:aws:ssm:ca-central-1:', { Ref: 'AWS::AccountId' }, ':parameter/chronos/monitor/db-password']] } });
    expect(JSON.stringify(s)).not.toMatch(/s3:::chronos-backups-example|repo-cipher-pass|lightsail/);
  });

  it('reads a Secrets Manager secret by name only', () => {
    const ts = synth(exampleConfig({ database: { ...EXAMPLE_INPUT.database, password: { secretsManager: 'chronos/monitor/db' } } }));
    expect(roleStatements(ts, 'database')).toContainEqual({
      Action: 'secretsmanager:GetSecretValue',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:aws:secretsmanager:ca-central-1:', { Ref: 'AWS::AccountId' }, ':secret:chronos/monitor/db-??????']] },
    });
  });

  it('keeps its own state in a private, SSL-only, encrypted bucket that survives cdk destroy', () => {
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      },
    });
  });

  it('prints the SMS spend-limit command instead of changing an account-wide setting', () => {
    t.hasOutput('SmsSpendLimitCommand', { Value: 'aws sns set-sms-attributes --attributes MonthlySpendLimit=1 --region ca-central-1' });
    expect(t.findResources('Custom::AWS')).toEqual({});
  });

  it.each([
    [{ backups: { ...EXAMPLE_INPUT.backups, repository: { type: 'posix', path: '/var/lib/pgbackrest' } } }, '`backups.repository.type` is "posix"'],
    [{ database: { ...EXAMPLE_INPUT.database, password: { env: 'PGPASSWORD' } } }, '`database.password` is {"env":"PGPASSWORD"}'],
    [{ alerts: { emails: [], smsNumbers: [] } }, '`alerts.emails` and `alerts.smsNumbers` are both empty'],
    [{ checks: { deadlineMs: 300000 }, schedule: { rateMinutes: 5 } }, '`checks.deadlineMs` is 300000'],
    [{ checks: { disabled: ['instance.sate'] } }, '`checks.disabled` names no check: "instance.sate"'],
  ])('refuses to synthesize a configuration it cannot deploy (%#)', (override, message) => {
    expect(() => synth(exampleConfig(override))).toThrow(message);
  });
});
