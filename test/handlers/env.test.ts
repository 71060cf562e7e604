import { readHandlerEnv } from '../../lambdas/handlers/env';

const good = {
  instance: { name: 'chronos-production-database' },
  database: { host: '203.0.113.10', database: 'chronos', user: 'chronos_monitor' },
  backups: { repository: { type: 's3', bucket: 'chronos-backups-example' }, stanza: 'chronos' },
};
const base = {
  CHRONOS_CONFIG: JSON.stringify(good),
  CHRONOS_GROUP: 'database',
  CHRONOS_TOPIC_ARN: 'arn:aws:sns:ca-central-1:111122223333:chronos-monitor-alerts',
  CHRONOS_STATE_BUCKET: 'state-bucket',
};

describe('readHandlerEnv', () => {
  it('validates the configuration at cold start and applies its defaults', () => {
    const env = readHandlerEnv(base);
    expect(env.group).toBe('database');
    expect(env.config.schedule.rateMinutes).toBe(15);
    expect(env.config.metrics.namespace).toBe('Chronos/Monitor');
  });

  it('fails with the schema message naming the field when the configuration is wrong', () => {
    const bad = { ...good, backups: { ...good.backups, rpoMinutes: { warn: '10m', fail: 15 } } };
    expect(() => readHandlerEnv({ ...base, CHRONOS_CONFIG: JSON.stringify(bad) })).toThrow(/environment variable CHRONOS_CONFIG is invalid:[\s\S]*`backups\.rpoMinutes\.warn` must be/);
  });

  it('names the variable when it is missing, not JSON, or holds an unknown group', () => {
    expect(() => readHandlerEnv({ ...base, CHRONOS_CONFIG: undefined })).toThrow('environment variable CHRONOS_CONFIG is not set');
    expect(() => readHandlerEnv({ ...base, CHRONOS_CONFIG: '{oops' })).toThrow(/CHRONOS_CONFIG is not valid JSON/);
    expect(() => readHandlerEnv({ ...base, CHRONOS_GROUP: 'everything' })).toThrow('CHRONOS_GROUP must be one of instance, database, backups, got: "everything"');
    expect(() => readHandlerEnv({ ...base, CHRONOS_STATE_BUCKET: '' })).toThrow('CHRONOS_STATE_BUCKET is not set');
  });
});
