import { clearSecrets, registerSecret } from '../../lambdas/core/redact';
import type { Alert } from '../../lambdas/publish/alerts';
import { renderAlerts, SMS_MAX_CHARS } from '../../lambdas/publish/messages';

const now = new Date('2026-12-03T14:00:00Z');
const ctx = { instanceName: 'chronos-production-database', region: 'ca-central-1', source: 'backups', dashboardName: 'chronos-monitor' };
const alert = (over: Partial<Alert> = {}): Alert => ({
  kind: 'onset',
  checkId: 'backup.full-age',
  status: 'fail',
  summary: 'newest full backup 20261202-110002F is 31h 02m old; fail above 30h',
  since: '2026-12-03T13:45:00Z',
  flapping: false,
  reentries: 0,
  ...over,
});

afterEach(() => clearSecrets());

describe('renderAlerts', () => {
  it('states the measured value, the threshold and the command to run in the email', () => {
    const m = renderAlerts([alert()], ctx, now);
    expect(m.email).toContain('31h 02m old; fail above 30h');
    expect(m.email).toContain('npx chronos-monitor check --only backup.full-age');
    expect(m.email).toContain('since 2026-12-03 13:45 UTC');
    expect(m.subject).toBe('chronos-monitor chronos-production-database: FAIL backup.full-age');
  });

  it('adds the likely fix with the configured stanza when the stanza is known', () => {
    const m = renderAlerts([alert()], { ...ctx, stanza: 'chronos' }, now);
    expect(m.email).toContain('  Likely fix: docker exec <container> pgbackrest --stanza=chronos --type=full backup  then check the backup schedule (cron) on the host');
    expect(renderAlerts([alert()], ctx, now).email).not.toContain('Likely fix');
  });

  it('says a check recovered and how long it was bad', () => {
    const m = renderAlerts([alert({ kind: 'recovery', status: 'ok', summary: 'newest full backup is 2h 00m old; fail above 30h' })], ctx, now);
    expect(m.email).toContain('RECOVERED  backup.full-age is ok again after 15m');
    expect(m.sms).toContain('RECOVERED backup.full-age');
  });

  it('never prints a negative duration when the incident start lies after now (the clock went back)', () => {
    const m = renderAlerts([alert({ kind: 'recovery', status: 'ok', since: '2026-12-04T00:00:00Z' })], ctx, now);
    expect(m.email).toContain('RECOVERED  backup.full-age is ok again after 0s (bad since 2026-12-03 14:00 UTC)');
    expect(m.email).not.toMatch(/-\d+h/);
  });

  it('tells the operator that unknown means the monitor cannot see', () => {
    const m = renderAlerts([alert({ status: 'unknown', summary: 'S3 denied ListObjectsV2 on s3://b/var/lib/pgbackrest' })], ctx, now);
    expect(m.subject).toContain('UNKNOWN backup.full-age');
    expect(m.email).toContain('cannot see');
  });

  it('fits one SMS (at most 140 ASCII characters) even with many checks and non-ASCII text', () => {
    const many = Array.from({ length: 12 }, (_, i) => alert({ checkId: `backup.some-very-long-check-id-number-${i}`, summary: 'âge 31 h — trop vieux ✗' }));
    for (const set of [[alert()], many, [alert({ checkId: 'x'.repeat(300) })]]) {
      const m = renderAlerts(set, { ...ctx, instanceName: 'instance-ñame-that-is-quite-long-indeed-yes' }, now);
      expect(m.sms.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
      expect(m.sms).toMatch(/^[\x20-\x7e]*$/);
      expect(m.subject.length).toBeLessThanOrEqual(100);
      expect(m.subject).not.toMatch(/[\r\n]/);
    }
    expect(renderAlerts(many, ctx, now).sms).toMatch(/\+\d+ more/);
  });

  it('never lets a registered secret through, even when a driver put it in a summary', () => {
    registerSecret('s3cr3t-pa55');
    const m = renderAlerts([alert({ checkId: 'db.login', summary: 'password authentication failed for user "s3cr3t-pa55"' })], ctx, now);
    expect(JSON.stringify(m)).not.toContain('s3cr3t-pa55');
    expect(m.email).toContain('user "***"');
  });
});
