import type { CheckDefinition } from '../../core/check';
import { formatDuration } from '../../core/format';
import { gradeAbove } from '../../core/status';
import type { Status } from '../../core/types';
import { describeHole } from '../../pgbackrest/continuity';
import { recoveryAnalysis } from '../../pgbackrest/recovery';
import { rpoFacts, WHAT_IF_TOLERANCE_MS, whatIfText } from '../../pgbackrest/rpo-facts';
import { analysisDetails } from './wal-continuity';

const iso = (ms: number): string => new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');

/** `backup.recoverability`: to which instant the repository can restore right now, and the window it covers. */
export const recoverabilityCheck: CheckDefinition = {
  id: 'backup.recoverability',
  belt: 'backups',
  description: 'Can the database be restored to RPO minutes ago, right now? The restorable window and the current exposure',
  async run(ctx) {
    const [r, rpo] = await Promise.all([recoveryAnalysis(ctx), rpoFacts(ctx)]);
    if (!r.ok) return { status: r.refused ? 'fail' : 'unknown', summary: `cannot tell whether the database is restorable: ${r.reason}` };
    const a = r.value;
    const limits = ctx.config.backups.rpoMinutes;
    const nowMs = ctx.now.getTime();
    const details: Record<string, unknown> = { ...analysisDetails(a), rpoBasis: rpo.basis };
    if (a.lineageProblem) return { status: 'fail', summary: `not restorable to the current timeline: ${a.lineageProblem}`, details };
    if (!a.restorableTo || !a.oldestRestorable) {
      const why = a.backups.length === 0 ? 'backup.info lists no backup' : 'no retained backup has its own WAL complete and on the current lineage';
      return { status: 'fail', summary: `not restorable: ${why} (need at least 1 restorable backup)`, metrics: [{ name: 'RecoveryWindowSeconds', value: 0, unit: 'Seconds' }], details };
    }
    const oldestMs = a.oldestRestorable.stopTime * 1000;
    const whatIf = rpo.whatIf;
    const prefix = whatIf ? `${whatIfText(whatIf)}: ` : '';
    if (nowMs < oldestMs - WHAT_IF_TOLERANCE_MS) {
      // The repository of today cannot speak for an instant before its oldest backup (a what-if into the past, or skewed clocks).
      return {
        status: 'unknown',
        summary: `${prefix}${iso(nowMs)} is before the oldest restorable backup ${a.oldestRestorable.label} (finished ${iso(oldestMs)}, in the future relative to ${whatIf ? '--now' : 'now'}): cannot tell what was restorable then`,
        details,
      };
    }
    // Never a restore point past the newest archived WAL reaching it, past now, or before the oldest backup.
    const toMs = Math.max(oldestMs, Math.min(a.restorableTo.modified, nowMs));
    const windowSeconds = Math.max(0, toMs / 1000 - a.oldestRestorable.stopTime);
    const cutByHole = !!a.newest && a.restorableTo.segno < a.newest.segno;
    const missingLast = a.lastArchived && !a.lastArchived.inRepository;
    let exposure: number;
    let status: Status;
    let basis: string;
    let pointMs: number;
    if (cutByHole || missingLast) {
      exposure = Math.max(0, (nowMs - toMs) / 1000);
      pointMs = toMs;
      status = 'fail';
      basis = cutByHole ? `WAL hole ${describeHole(a.holes.find((h) => h.firstSegno > a.restorableTo!.segno)!)} cuts the chain` : `${a.lastArchived!.name} reported archived is missing from the repository`;
    } else if (rpo.exposureSeconds !== undefined) {
      exposure = rpo.exposureSeconds;
      pointMs = Math.max(oldestMs, nowMs - exposure * 1000);
      status = gradeAbove(exposure / 60, limits);
      basis = rpo.basis;
    } else {
      // Without the database only the repository speaks: fresh WAL proves the RPO, stale WAL may just be idleness.
      exposure = Math.max(0, (nowMs - toMs) / 1000);
      pointMs = toMs;
      status = exposure <= limits.warn * 60 ? 'ok' : 'unknown';
      basis = whatIf ? 'the newest archived WAL reaching it; the database cannot say what it held then' : `judged on the repository only: ${rpo.basis}`;
    }
    const fulls = a.backups.filter((b) => b.type === 'full' && b.reachSegno !== undefined).length;
    const ago = whatIf ? 'before --now' : 'ago';
    const toText = exposure === 0 && !whatIf ? `now (${basis})` : `${iso(pointMs)} (${formatDuration(exposure)} ${ago}`;
    const summary = `${prefix}restorable to ${toText}${exposure === 0 && !whatIf ? '' : `, RPO ${limits.fail} min; ${basis})`} from ${fulls} full backup(s) back to ${iso(oldestMs)} (window ${formatDuration(windowSeconds)})`;
    return {
      status,
      summary: status === 'fail' && exposure === 0 ? `NOT fully restorable: ${summary}` : summary,
      metrics: [
        { name: 'RecoveryWindowSeconds', value: Math.round(windowSeconds), unit: 'Seconds' },
        { name: 'RecoveryExposureMinutes', value: Math.round((exposure / 60) * 10) / 10, unit: 'None' },
      ],
      details: {
        ...details,
        restorableTo: { segment: a.restorableTo.segment, archivedAt: iso(a.restorableTo.modified), fromBackup: a.restorableTo.fromLabel },
        oldestRestorableBackup: a.oldestRestorable.label,
        unrestorableBackups: a.backups.filter((b) => b.reachSegno === undefined).map((b) => b.label),
      },
    };
  },
};
