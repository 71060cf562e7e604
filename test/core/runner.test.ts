import { parseConfig } from '../../lambdas/config/load';
import type { CheckDefinition } from '../../lambdas/core/check';
import type { Deps } from '../../lambdas/core/deps';
import { clearSecrets, registerSecret } from '../../lambdas/core/redact';
import { runChecks, selects } from '../../lambdas/core/runner';

const config = parseConfig({
  instance: { name: 'i' },
  database: { host: 'h', database: 'd', user: 'u' },
  backups: { repository: { type: 'posix', path: '/r' }, stanza: 's' },
  checks: { disabled: ['backup.disabled'] },
});
const deps = {} as Deps;
const ctx = { config, deps, now: new Date('2026-12-03T12:00:00Z') };

const check = (id: string, run: CheckDefinition['run'], extra: Partial<CheckDefinition> = {}): CheckDefinition => ({
  id,
  belt: 'backups',
  description: id,
  run,
  ...extra,
});

describe('runChecks', () => {
  afterEach(clearSecrets);

  it('turns a check that passes its deadline into unknown naming the check, without holding up the others', async () => {
    let aborted = false;
    const hung = check('db.hung', (c) => new Promise(() => c.signal.addEventListener('abort', () => (aborted = true))));
    const fine = check('backup.fine', async () => ({ status: 'ok', summary: 'fine' }));
    const report = await runChecks([hung, fine], ctx, { deadlineMs: 50 });
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['db.hung', 'unknown'],
      ['backup.fine', 'ok'],
    ]);
    expect(report.checks[0].summary).toBe('db.hung did not finish within its 50 ms deadline; its source did not answer in time');
    expect(aborted).toBe(true);
    expect(report.status).toBe('unknown');
  });

  it('turns a crashing check into unknown naming the check and the error', async () => {
    const report = await runChecks([check('backup.buggy', async () => { throw new TypeError('x is undefined'); })], ctx, { deadlineMs: 1000 });
    expect(report.checks[0]).toMatchObject({ id: 'backup.buggy', status: 'unknown', summary: 'backup.buggy crashed: TypeError: x is undefined' });
  });

  it('reports the worst status of all checks, fail above unknown above warn', async () => {
    const mk = (id: string, status: 'ok' | 'warn' | 'fail' | 'unknown') => check(id, async () => ({ status, summary: status }));
    expect((await runChecks([mk('a.1', 'ok'), mk('a.2', 'warn')], ctx, { deadlineMs: 100 })).status).toBe('warn');
    expect((await runChecks([mk('a.1', 'unknown'), mk('a.2', 'warn')], ctx, { deadlineMs: 100 })).status).toBe('unknown');
    expect((await runChecks([mk('a.1', 'unknown'), mk('a.2', 'fail')], ctx, { deadlineMs: 100 })).status).toBe('fail');
  });

  it('marks checks that do not apply, or are disabled in the configuration, as skipped with the reason', async () => {
    const report = await runChecks(
      [
        check('bucket.x', async () => ({ status: 'fail', summary: 'should not run' }), { skipReason: () => 'posix repository: no bucket to check' }),
        check('backup.disabled', async () => ({ status: 'fail', summary: 'should not run' })),
      ],
      ctx,
      { deadlineMs: 100 },
    );
    expect(report.checks.map((c) => [c.status, c.summary])).toEqual([
      ['skipped', 'posix repository: no bucket to check'],
      ['skipped', 'disabled in the configuration (checks.disabled)'],
    ]);
    expect(report.status).toBe('ok');
  });

  it('removes registered secrets from summaries and details', async () => {
    registerSecret('s3cr3t-pass');
    const leaky = check('db.leaky', async () => ({ status: 'fail', summary: 'password authentication failed for user "s3cr3t-pass"', details: { e: 'x s3cr3t-pass y' } }));
    const report = await runChecks([leaky], ctx, { deadlineMs: 100 });
    expect(JSON.stringify(report)).not.toContain('s3cr3t-pass');
    expect(report.checks[0].summary).toBe('password authentication failed for user "***"');
  });
});

describe('selects', () => {
  it('matches exact ids and dotted prefixes, not partial words', () => {
    expect(selects(['backup'], 'backup.full-age')).toBe(true);
    expect(selects(['backup.'], 'backup.full-age')).toBe(true);
    expect(selects(['db.connect'], 'db.connect')).toBe(true);
    expect(selects(['back'], 'backup.full-age')).toBe(false);
    expect(selects([], 'anything')).toBe(true);
  });

  it('matches a prefix that ends at a dash inside the id (backup.wal selects the backup.wal-* checks)', () => {
    expect(selects(['backup.wal'], 'backup.wal-age')).toBe(true);
    expect(selects(['backup.wal'], 'backup.wal-continuity')).toBe(true);
    expect(selects(['backup.wal-'], 'backup.wal-age')).toBe(true);
    expect(selects(['backup.wal'], 'backup.rpo')).toBe(false);
    expect(selects(['backup.wal-a'], 'backup.wal-age')).toBe(false);
    expect(selects([''], 'backup.full-age')).toBe(false);
  });
});
