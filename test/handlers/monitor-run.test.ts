import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { putMetricPoints } from '../../lambdas/adapters/cloudwatch';
import { publishAlert } from '../../lambdas/adapters/sns';
import { parseConfig } from '../../lambdas/config/load';
import type { CheckDefinition } from '../../lambdas/core/check';
import type { Deps } from '../../lambdas/core/deps';
import { clearSecrets, registerSecret } from '../../lambdas/core/redact';
import { MemoryStateStore } from '../../lambdas/core/state';
import type { Belt, CheckOutcome } from '../../lambdas/core/types';
import { ALERT_STATE_KEY, monitorRun, type MonitorRunContext, PublishError } from '../../lambdas/handlers/monitor-run';

const cw = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:ca-central-1:111122223333:chronos-monitor-alerts';

const config = parseConfig({
  instance: { name: 'chronos-production-database' },
  database: { host: '203.0.113.10', database: 'chronos', user: 'chronos_monitor', password: { ssmParameter: '/chronos/monitor/db-password' } },
  backups: { repository: { type: 's3', bucket: 'chronos-backups-example' }, stanza: 'chronos' },
  alerts: { emails: ['ops@example.com'] },
});

/** A controllable world: each check returns whatever the test set for it. */
function world() {
  const outcomes: Record<string, CheckOutcome> = {};
  const def = (id: string, belt: Belt): CheckDefinition => ({ id, belt, description: id, run: async () => outcomes[id] ?? { status: 'ok', summary: `${id} ok` } });
  const checks = [def('instance.running', 'instance'), def('backup.full-age', 'backups'), def('backup.wal-age', 'backups'), def('bucket.versioning', 'bucket'), def('db.login', 'database')];
  const closed: number[] = [];
  const state = new MemoryStateStore();
  const logs: string[] = [];
  const cloudwatch = new CloudWatchClient({ region: 'ca-central-1' });
  const snsClient = new SNSClient({ region: 'ca-central-1' });
  const ctx: MonitorRunContext = {
    config,
    group: 'backups',
    checks,
    buildDeps: async () => ({ state, close: async () => void closed.push(1) }) as unknown as Deps & { close(): Promise<void> },
    state,
    publishMetrics: (points) => putMetricPoints(cloudwatch, config.metrics.namespace, points),
    publishAlert: (m) => publishAlert(snsClient, TOPIC, m),
    log: (l) => logs.push(l),
    dashboardName: 'chronos-monitor',
  };
  return { ctx, outcomes, closed, logs, state };
}

const at = (minutes: number) => new Date(Date.parse('2026-12-03T12:00:00Z') + minutes * 60_000);
const FULL_AGE_FAIL: CheckOutcome = {
  status: 'fail',
  summary: 'newest full backup is 31h 02m old; fail above 30h',
  metrics: [{ name: 'FullBackupAgeSeconds', value: 111720, unit: 'Seconds' }],
};

beforeEach(() => {
  cw.reset();
  sns.reset();
  cw.on(PutMetricDataCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterEach(() => clearSecrets());

describe('monitorRun', () => {
  it('runs only its group\'s belts and publishes ChecksFailing 0 and the key metrics on a healthy run, without alerting', async () => {
    const w = world();
    w.outcomes['backup.full-age'] = { status: 'ok', summary: 'full backup 2h old; fail above 30h', metrics: [{ name: 'FullBackupAgeSeconds', value: 7200, unit: 'Seconds' }, { name: 'ManifestBytes', value: 1, unit: 'Bytes' }] };
    const summary = await monitorRun(w.ctx, at(0));
    expect(summary.report.checks.map((c) => c.id)).toEqual(['backup.full-age', 'backup.wal-age', 'bucket.versioning']);
    const put = cw.commandCalls(PutMetricDataCommand);
    expect(put).toHaveLength(1);
    expect(put[0].args[0].input).toEqual({
      Namespace: 'Chronos/Monitor',
      MetricData: [
        { MetricName: 'ChecksFailing', Value: 0, Unit: 'Count', Timestamp: at(0), Dimensions: [{ Name: 'Instance', Value: 'chronos-production-database' }] },
        { MetricName: 'FullBackupAgeSeconds', Value: 7200, Unit: 'Seconds', Timestamp: at(0), Dimensions: [{ Name: 'Instance', Value: 'chronos-production-database' }] },
      ],
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(w.closed).toHaveLength(1);
  });

  it('publishes ChecksFailing 1 and one alert naming the check, its value, threshold and command on a failing run', async () => {
    const w = world();
    w.outcomes['backup.full-age'] = FULL_AGE_FAIL;
    await monitorRun(w.ctx, at(0));
    const data = cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData!;
    expect(data.map((d) => [d.MetricName, d.Value])).toEqual([['ChecksFailing', 1], ['FullBackupAgeSeconds', 111720]]);
    const pub = sns.commandCalls(PublishCommand);
    expect(pub).toHaveLength(1);
    const input = pub[0].args[0].input;
    expect(input).toMatchObject({ TopicArn: TOPIC, MessageStructure: 'json', Subject: 'chronos-monitor chronos-production-database: FAIL backup.full-age' });
    const body = JSON.parse(input.Message!);
    expect(body.email).toContain('31h 02m old; fail above 30h');
    expect(body.email).toContain('npx chronos-monitor check --only backup.full-age');
    expect(body.sms.length).toBeLessThanOrEqual(140);
  });

  it('sends onset, one reminder after repeatHours and one recovery over simulated runs', async () => {
    const w = world();
    w.outcomes['backup.full-age'] = FULL_AGE_FAIL;
    for (let i = 0; i <= 24; i++) await monitorRun(w.ctx, at(i * 15)); // 0 .. 6 h
    delete w.outcomes['backup.full-age'];
    await monitorRun(w.ctx, at(25 * 15));
    await monitorRun(w.ctx, at(26 * 15));
    const subjects = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
    expect(subjects).toEqual([
      'chronos-monitor chronos-production-database: FAIL backup.full-age',
      'chronos-monitor chronos-production-database: STILL FAIL backup.full-age',
      'chronos-monitor chronos-production-database: RECOVERED backup.full-age',
    ]);
  });

  it('still sends the SNS alert when CloudWatch refuses the metrics, then fails the run so the Errors alarm fires', async () => {
    const w = world();
    cw.on(PutMetricDataCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudwatch:PutMetricData'), { name: 'AccessDenied' }));
    w.outcomes['backup.full-age'] = FULL_AGE_FAIL;
    const run = monitorRun(w.ctx, at(0));
    await expect(run).rejects.toThrow(PublishError);
    await expect(run).rejects.toThrow(/metrics not published \(AccessDenied: User is not authorized/);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(JSON.parse(w.logs[0]).alerts).toEqual({ sent: ['onset:backup.full-age'] });
  });

  it('still publishes the metrics when SNS refuses the alert, and alerts again next run because the state was not advanced', async () => {
    const w = world();
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' })).resolves({ MessageId: 'm-2' });
    w.outcomes['backup.full-age'] = FULL_AGE_FAIL;
    await expect(monitorRun(w.ctx, at(0))).rejects.toThrow(/alerts not sent \(Throttling: Rate exceeded\)/);
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(1);
    expect(await w.state.get(ALERT_STATE_KEY)).toBeUndefined();
    await monitorRun(w.ctx, at(15));
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject)).toEqual([
      'chronos-monitor chronos-production-database: FAIL backup.full-age',
      'chronos-monitor chronos-production-database: FAIL backup.full-age',
    ]);
  });

  it('fails loudly (Errors alarm) instead of re-alerting every run when the alert memory cannot be read', async () => {
    const w = world();
    w.ctx.state = { get: async () => { throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }); }, put: async () => undefined };
    w.outcomes['backup.full-age'] = FULL_AGE_FAIL;
    await expect(monitorRun(w.ctx, at(0))).rejects.toThrow(/alerts not sent \(AccessDenied: Access Denied\)/);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData![0]).toMatchObject({ MetricName: 'ChecksFailing', Value: 1 });
  });

  it('reports every check unknown (never a false OK) when the data sources cannot be built', async () => {
    const w = world();
    w.ctx.buildDeps = async () => {
      throw new Error('SSM GetParameter /chronos/monitor/db-password: AccessDeniedException');
    };
    const summary = await monitorRun(w.ctx, at(0));
    expect(summary.report.checks.map((c) => c.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData![0]).toMatchObject({ MetricName: 'ChecksFailing', Value: 3 });
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Subject).toBe('chronos-monitor chronos-production-database: UNKNOWN backup.full-age (+2 more)');
  });

  it('reports disabled checks as skipped and never alerts on them', async () => {
    const w = world();
    w.outcomes['bucket.versioning'] = { status: 'fail', summary: 'versioning Suspended; expected Enabled' };
    w.ctx.config = { ...config, checks: { ...config.checks, disabled: ['bucket.versioning'] } };
    const summary = await monitorRun(w.ctx, at(0));
    expect(summary.report.checks.find((c) => c.id === 'bucket.versioning')?.status).toBe('skipped');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('logs one redacted JSON line per run', async () => {
    const w = world();
    registerSecret('hunter2-secret');
    w.outcomes['backup.full-age'] = { status: 'fail', summary: 'cipher pass hunter2-secret rejected by backup.info' };
    await monitorRun(w.ctx, at(0));
    expect(w.logs).toHaveLength(1);
    const line = JSON.parse(w.logs[0]);
    expect(line).toMatchObject({ message: 'chronos-monitor run', group: 'backups', status: 'fail', checksFailing: 1, failing: ['backup.full-age'] });
    const everything = [...w.logs, ...sns.commandCalls(PublishCommand).map((c) => JSON.stringify(c.args[0].input)), ...cw.commandCalls(PutMetricDataCommand).map((c) => JSON.stringify(c.args[0].input))].join('\n');
    expect(everything).not.toContain('hunter2-secret');
  });
});
