import { assessLifecycle, type LifecycleContext } from '../../../lambdas/checks/bucket/lifecycle-risks';
import type { LifecycleRuleFacts } from '../../../lambdas/core/ports';

const ctx: LifecycleContext = { repoPath: '/var/lib/pgbackrest', stanza: 'chronos', horizonHours: 120, versioning: 'Enabled' };
const rule = (over: Partial<LifecycleRuleFacts>): LifecycleRuleFacts => ({ id: 'r', enabled: true, prefix: '', transitions: [], noncurrentTransitions: [], ...over });

describe('assessLifecycle', () => {
  it('has no risks without rules', () => {
    expect(assessLifecycle(null, ctx)).toEqual({ risks: [], notes: [] });
  });

  it('accepts instantly readable tiers and a noncurrent expiration', () => {
    const a = assessLifecycle(
      [rule({ transitions: [{ days: 30, storageClass: 'STANDARD_IA' }, { days: 60, storageClass: 'GLACIER_IR' }], noncurrentExpirationDays: 30, abortIncompleteMultipartDays: 7 })],
      ctx,
    );
    expect(a.risks).toEqual([]);
  });

  it.each(['GLACIER', 'DEEP_ARCHIVE'])('fails a transition to %s of repository files', (cls) => {
    const a = assessLifecycle([rule({ id: 'cold', transitions: [{ days: 90, storageClass: cls }], noncurrentExpirationDays: 30 })], ctx);
    expect(a.risks).toHaveLength(1);
    expect(a.risks[0]).toMatchObject({ rule: 'cold', severity: 'fail' });
    expect(a.risks[0].problem).toBe(`rule "cold" moves repository files to ${cls} after 90 days, where they cannot be read without an S3 restore`);
    expect(a.risks[0].filesAtRisk.join('\n')).toContain('0000000N.history');
  });

  it('ignores a Deep Archive transition limited to backup.history (not needed for a restore)', () => {
    const a = assessLifecycle(
      [rule({ prefix: 'var/lib/pgbackrest/backup/chronos/backup.history/', transitions: [{ days: 30, storageClass: 'DEEP_ARCHIVE' }], expirationDays: 365, noncurrentExpirationDays: 30 })],
      ctx,
    );
    expect(a.risks).toEqual([]);
  });

  it('fails an expiration at or before the retention horizon', () => {
    const a = assessLifecycle([rule({ id: 'short', expirationDays: 5, noncurrentExpirationDays: 1 })], ctx);
    expect(a.risks.map((r) => r.problem)).toEqual(['rule "short" expires repository files pgBackRest still needs after 5 days (pgBackRest keeps backups and WAL up to 5 days)']);
  });

  it('fails a long expiration because of the timeline history files only', () => {
    const a = assessLifecycle([rule({ id: 'long', expirationDays: 400, noncurrentExpirationDays: 30 })], ctx);
    expect(a.risks.map((r) => r.problem)).toEqual(['rule "long" expires timeline history files after 400 days']);
    expect(a.risks[0].filesAtRisk).toHaveLength(1);
  });

  it('accepts an expiration that excludes the archive directory', () => {
    const a = assessLifecycle([rule({ prefix: 'var/lib/pgbackrest/backup/chronos/backup.history/', expirationDays: 30, noncurrentExpirationDays: 30 })], ctx);
    expect(a.risks).toEqual([]);
  });

  it('spares the small history and info files when the rule acts only on objects over 64 KiB', () => {
    const a = assessLifecycle([rule({ id: 'big', expirationDays: 400, objectSizeGreaterThan: 131072, noncurrentExpirationDays: 30 })], ctx);
    expect(a.risks).toEqual([]);
    expect(a.notes).toEqual(['rule "big" only acts on objects over 131072 bytes, which spares the small info and history files']);
  });

  it('downgrades a risky rule with a tag filter to a warning', () => {
    const a = assessLifecycle([rule({ id: 't', tags: { tier: 'cold' }, transitions: [{ days: 1, storageClass: 'GLACIER' }], noncurrentExpirationDays: 1 })], ctx);
    expect(a.risks[0].severity).toBe('warn');
    expect(a.risks[0].problem).toContain('only objects tagged tier=cold; pgBackRest tags objects only when repo1-storage-tag sets them');
  });

  it('warns that noncurrent versions are kept forever on a versioned bucket without NoncurrentVersionExpiration', () => {
    const a = assessLifecycle([rule({ transitions: [{ days: 30, storageClass: 'GLACIER_IR' }] })], ctx);
    expect(a.risks).toEqual([
      {
        rule: '(none)',
        severity: 'warn',
        problem: 'versioning is Enabled but no rule reaching the repository has NoncurrentVersionExpiration, so every version pgBackRest deletes or rewrites is kept and billed forever',
        filesAtRisk: [],
        fix: 'add NoncurrentVersionExpiration (for example 30 days) to the repository rule',
      },
    ]);
    expect(assessLifecycle([rule({ transitions: [{ days: 30, storageClass: 'GLACIER_IR' }] })], { ...ctx, versioning: 'Disabled' }).risks).toEqual([]);
  });

  it('notes the minimum storage charge of noncurrent versions in Deep Archive', () => {
    const a = assessLifecycle([rule({ noncurrentTransitions: [{ days: 30, storageClass: 'DEEP_ARCHIVE' }], noncurrentExpirationDays: 90 })], ctx);
    expect(a.risks).toEqual([]);
    expect(a.notes).toEqual([
      'rule "r" moves noncurrent versions to DEEP_ARCHIVE after 30 days: each is billed at least 180 days there but is expired after 60, so the remaining days are charged as early deletion (plus about 40 KiB of index overhead per object)',
    ]);
  });

  it('notes disabled rules and rules outside the repository without judging them', () => {
    const a = assessLifecycle(
      [rule({ id: 'off', enabled: false, expirationDays: 1 }), rule({ id: 'logs', prefix: 'logs/', expirationDays: 1 })],
      ctx,
    );
    expect(a.risks).toEqual([]);
    expect(a.notes).toEqual(['rule "off" (the whole bucket) is disabled; not evaluated', 'rule "logs" (prefix "logs/") does not reach the repository of stanza chronos']);
  });

  it('warns about a storage class it does not know', () => {
    const a = assessLifecycle([rule({ transitions: [{ days: 10, storageClass: 'SNOW' }], noncurrentExpirationDays: 1 })], ctx);
    expect(a.risks.map((r) => [r.severity, r.problem])).toEqual([['warn', 'rule "r" moves repository files to unknown storage class SNOW after 10 days']]);
  });
});
