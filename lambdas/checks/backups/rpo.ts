import type { CheckDefinition } from '../../core/check';
import { formatDuration } from '../../core/format';
import { gradeAbove } from '../../core/status';
import type { CheckOutcome, Status } from '../../core/types';
import { describeHole } from '../../pgbackrest/continuity';
import { recoveryAnalysis, type RecoveryAnalysis } from '../../pgbackrest/recovery';
import { rpoFacts, whatIfText, type RpoFacts } from '../../pgbackrest/rpo-facts';

/** `backup.rpo`: age of the data not yet safe in the repository, against `backups.rpoMinutes`. */
export const rpoCheck: CheckDefinition = {
  id: 'backup.rpo',
  belt: 'backups',
  description: 'Age of the data not yet safe in the repository (unarchived WAL, backlog, holes), against the RPO',
  async run(ctx) {
    const [r, rpo] = await Promise.all([recoveryAnalysis(ctx), rpoFacts(ctx)]);
    const limits = ctx.config.backups.rpoMinutes;
    const repoProblems: string[] = [];
    if (r.ok) {
      if (r.value.criticalHoles.length) repoProblems.push(`the repository has a WAL hole ${describeHole(r.value.criticalHoles[0])} after the newest full backup`);
      if (r.value.lastArchived && !r.value.lastArchived.inRepository) repoProblems.push(`PostgreSQL reports ${r.value.lastArchived.name} archived but the repository lacks it`);
      if (r.value.lineageProblem) repoProblems.push(r.value.lineageProblem);
    } else if (r.refused) repoProblems.push(r.reason);
    const details: Record<string, unknown> = {
      basis: rpo.basis,
      idle: rpo.idle,
      previousPosition: rpo.previous,
      repository: r.ok ? { requests: r.value.requests, problems: repoProblems } : `not readable: ${r.reason}`,
    };
    if (rpo.archiver.ok) {
      const a = rpo.archiver.value;
      Object.assign(details, { currentLsn: a.currentLsn, unarchivedBytes: a.unarchivedBytes, readyCount: a.readyCount, oldestReadySeconds: a.oldestReadySeconds, failingNow: a.failingNow, lastArchivedWal: a.lastArchivedWal, lastArchivedTime: a.lastArchivedTime, archiveTimeoutSeconds: a.archiveTimeoutSeconds });
    }
    const rpoText = `RPO ${limits.fail} min`;
    if (rpo.exposureSeconds === undefined) {
      if (repoProblems.length) return { status: 'fail', summary: `${repoProblems[0]}, so archiving that looks healthy is not protecting data (${rpoText}); exposure unknown: ${rpo.basis}`, details };
      if (rpo.whatIf) return whatIfOutcome(ctx.now.getTime(), r.ok ? r.value : undefined, rpo, rpoText, limits.warn, details);
      const failNow = rpo.archiver.ok && rpo.archiver.value.archiveMode === 'off';
      return { status: failNow ? 'fail' : 'unknown', summary: `RPO exposure cannot be measured: ${rpo.basis} (${rpoText})`, details };
    }
    const exposure = rpo.exposureSeconds;
    const metrics = [{ name: 'RpoExposureSeconds', value: Math.round(exposure), unit: 'Seconds' as const }];
    let status: Status = gradeAbove(exposure / 60, limits);
    if (rpo.archiver.ok && rpo.archiver.value.failingNow && status === 'ok') status = 'warn';
    if (repoProblems.length) status = 'fail';
    // PostgreSQL's word alone cannot prove the data reached the repository (archive-push-queue-max drops WAL
    // and reports success): an unreadable repository caps the verdict at unknown.
    const blind = !r.ok && status === 'ok';
    if (blind) status = 'unknown';
    const measured = `unarchived data ${formatDuration(exposure)} old (warn ${limits.warn} min, ${rpoText}): ${rpo.basis}`;
    const summary = repoProblems.length ? `${repoProblems.join('; ')}; PostgreSQL's own view: ${measured}` : rpo.archiver.ok && rpo.archiver.value.failingNow ? `archiving is failing; ${measured}` : measured;
    return { status, summary: blind ? `${summary}; judged on the database only: the repository is not readable (${r.ok ? '' : r.reason})` : summary, metrics, details };
  },
};

/**
 * A what-if run (`--now` far from the database clock): only the repository speaks. Fresh WAL at `now` proves the
 * RPO; older WAL may be idleness or a stall the database of `now` would have told apart, so that is unknown.
 */
function whatIfOutcome(nowMs: number, a: RecoveryAnalysis | undefined, rpo: RpoFacts, rpoText: string, warnMinutes: number, details: Record<string, unknown>): CheckOutcome {
  const head = whatIfText(rpo.whatIf!);
  if (!a?.restorableTo || !a.oldestRestorable) return { status: 'unknown', summary: `${head}: RPO exposure cannot be measured: no restorable backup and WAL in the repository (${rpoText})`, details };
  const oldestMs = a.oldestRestorable.stopTime * 1000;
  if (nowMs < oldestMs) {
    return { status: 'unknown', summary: `${head}: RPO exposure cannot be measured: the oldest restorable backup ${a.oldestRestorable.label} finished ${new Date(oldestMs).toISOString()}, in the future relative to --now (${rpoText})`, details };
  }
  const exposure = Math.max(0, (nowMs - Math.min(a.restorableTo.modified, nowMs)) / 1000);
  const measured = `newest WAL reaching a restore (${a.restorableTo.segment}, archived ${new Date(a.restorableTo.modified).toISOString()}) is ${formatDuration(exposure)} older than --now (warn ${warnMinutes} min, ${rpoText})`;
  return {
    status: exposure <= warnMinutes * 60 ? 'ok' : 'unknown',
    summary: exposure <= warnMinutes * 60 ? `${head}: ${measured}` : `${head}: ${measured}; the database cannot say whether it was idle or stuck then`,
    metrics: [{ name: 'RpoExposureSeconds', value: Math.round(exposure), unit: 'Seconds' }],
    details,
  };
}
