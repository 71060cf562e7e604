import type { CheckContext, CheckDefinition } from './check';
import { redact, redactDeep } from './redact';
import { worstStatus } from './status';
import type { CheckOutcome, CheckResult, Report } from './types';

/** Options of one run. */
export interface RunOptions {
  /** Per-check deadline in milliseconds. */
  deadlineMs: number;
  /** Ids or id prefixes (`backup.`, `backup`, `backup.wal`) to run; all when empty. */
  only?: string[];
}

/**
 * True when a check id is selected by a list of ids or prefixes. A prefix ends at a word boundary of the id
 * (`.` or `-`): `backup`, `backup.` and `backup.wal` (→ backup.wal-age, backup.wal-continuity) select, `back` does not.
 */
export function selects(only: string[] | undefined, id: string): boolean {
  if (!only || only.length === 0) return true;
  const boundary = (c: string | undefined) => c === '.' || c === '-';
  return only.some((o) => o !== '' && (id === o || (id.startsWith(o) && (boundary(o[o.length - 1]) || boundary(id[o.length])))));
}

class DeadlineError extends Error {
  override name = 'DeadlineError';
}

async function runOne(check: CheckDefinition, ctx: Omit<CheckContext, 'signal'>, deadlineMs: number): Promise<CheckResult> {
  const started = Date.now();
  const finish = (o: CheckOutcome): CheckResult => ({
    id: check.id,
    belt: check.belt,
    status: o.status,
    summary: redact(o.summary),
    metrics: o.metrics ?? [],
    details: redactDeep(o.details ?? {}),
    durationMs: Date.now() - started,
  });
  const skip = ctx.config.checks.disabled.includes(check.id)
    ? 'disabled in the configuration (checks.disabled)'
    : check.skipReason?.(ctx.config);
  if (skip) return finish({ status: 'skipped', summary: skip });
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineError());
    }, deadlineMs);
  });
  try {
    return finish(await Promise.race([check.run({ ...ctx, signal: controller.signal }), deadline]));
  } catch (err) {
    if (err instanceof DeadlineError) {
      return finish({ status: 'unknown', summary: `${check.id} did not finish within its ${deadlineMs} ms deadline; its source did not answer in time` });
    }
    const e = err as Error;
    return finish({
      status: 'unknown',
      summary: `${check.id} crashed: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`,
      details: { error: e?.name, stack: e?.stack?.split('\n').slice(0, 4).join('\n') },
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every selected check concurrently, each under its own deadline, and aggregates the report.
 * A check that crashes or passes its deadline becomes `unknown`; no check can stop another.
 */
export async function runChecks(checks: CheckDefinition[], ctx: Omit<CheckContext, 'signal'>, options: RunOptions): Promise<Report> {
  const startedAt = new Date();
  const selected = checks.filter((c) => selects(options.only, c.id));
  const settled = await Promise.allSettled(selected.map((c) => runOne(c, ctx, options.deadlineMs)));
  const results = settled.map((s, i): CheckResult =>
    s.status === 'fulfilled'
      ? s.value
      : { id: selected[i].id, belt: selected[i].belt, status: 'unknown', summary: `${selected[i].id} crashed`, metrics: [], details: {}, durationMs: 0 },
  );
  return {
    status: worstStatus(results.map((r) => r.status)),
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    checks: results,
  };
}
