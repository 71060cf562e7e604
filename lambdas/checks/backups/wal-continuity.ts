import type { CheckDefinition } from '../../core/check';
import { describeHole } from '../../pgbackrest/continuity';
import { spanFor } from '../../pgbackrest/history';
import { recoveryAnalysis, type RecoveryAnalysis } from '../../pgbackrest/recovery';
import { segmentName } from '../../pgbackrest/wal';
import type { Status } from '../../core/types';

/** Analysis facts every recoverability check puts in its details. */
export function analysisDetails(a: RecoveryAnalysis): Record<string, unknown> {
  return {
    archiveId: a.archiveId,
    walSegmentSizeBytes: a.segmentSize,
    walSegmentSizeSource: a.segmentSizeSource,
    timeline: a.currentTli,
    timelineSource: a.currentTliSource,
    lineage: a.spans.map((s) => ({ tli: s.tli, from: segmentName(s.tli, s.fromSegno, a.segmentSize), ...(s.switchLsn ? { switchLsn: s.switchLsn } : {}) })),
    requests: a.requests,
    listedFolders: a.listedDirs.length,
    cachedFolders: a.cachedDirs.length,
    fullVerification: a.fullVerification,
  };
}

/** `backup.wal-continuity`: every segment from the oldest retained backup's start to the newest archived one is present. */
export const walContinuityCheck: CheckDefinition = {
  id: 'backup.wal-continuity',
  belt: 'backups',
  description: 'Every WAL segment from the oldest retained backup to the newest archived one is in the repository, across timeline switches',
  async run(ctx) {
    const r = await recoveryAnalysis(ctx);
    if (!r.ok) return { status: r.refused ? 'fail' : 'unknown', summary: `cannot verify WAL continuity: ${r.reason}` };
    const a = r.value;
    const details = analysisDetails(a);
    const missing = a.holes.reduce((s, h) => s + h.count, 0);
    const metrics = [{ name: 'WalMissingSegments', value: missing, unit: 'Count' as const }];
    if (a.lineageProblem) return { status: 'fail', summary: `timeline lineage unreadable: ${a.lineageProblem}`, metrics, details };
    if (!a.rangeStart) {
      return { status: 'warn', summary: `no retained backup on the lineage of timeline ${a.currentTli}: there is no WAL range to verify (0 backups usable, at least 1 needed)`, metrics, details };
    }
    if (!a.newest || a.newest.segno < a.rangeStart.segno) {
      return { status: 'fail', summary: `no WAL archived since ${a.rangeStart.segment}, the oldest retained backup's start: no backup can be restored`, metrics, details };
    }
    const notes: string[] = [];
    let status: Status = 'ok';
    const worse = (s: Status) => {
      if (s === 'fail' || (s === 'warn' && status === 'ok')) status = s;
    };
    const brokenBackups = a.backups.filter((b) => b.missing.length > 0);
    for (const b of brokenBackups) {
      worse(b === a.newestFull ? 'fail' : 'warn');
      notes.push(`backup ${b.label} is unrestorable: its own WAL ${b.archiveStart}..${b.archiveStop} misses ${b.missing.map(describeHole).join(', ')}`);
    }
    const offLineage = a.backups.filter((b) => !b.onLineage);
    const summaryParts: string[] = [];
    if (a.criticalHoles.length) {
      worse('fail');
      const h = a.criticalHoles[0];
      const lastGood = segmentName(spanFor(a.spans, h.firstSegno - 1)?.tli ?? h.tli, h.firstSegno - 1, a.segmentSize);
      const when = a.restorableTo?.modified ? ` (archived ${new Date(a.restorableTo.modified).toISOString()})` : '';
      summaryParts.push(
        `WAL hole ${describeHole(h)} after the newest full backup ${a.newestFull?.label ?? '(none)'} started: point-in-time recovery impossible past ${lastGood}${when}; take a new full backup`,
      );
    } else if (a.holes.length) {
      worse('warn');
      summaryParts.push(`WAL hole ${describeHole(a.holes[0])} before the newest full backup's start: older backups cannot replay past it`);
    }
    if (a.strays.length) {
      worse('warn');
      notes.push(...a.strays);
      if (!summaryParts.length) summaryParts.push(`stray timeline(s): ${a.strays[0]}`);
    }
    if (!summaryParts.length && brokenBackups.length) summaryParts.push(notes[0]);
    const range = `${a.rangeStart.segment}..${a.newest.segment}`;
    const summary = summaryParts.length
      ? `${summaryParts.join('; ')} (${missing} segment(s) missing in ${range}, 0 allowed)`
      : `WAL continuous from ${range} (${a.newest.segno - a.rangeStart.segno + 1} segments, 0 missing, timeline ${a.currentTli}${a.spans.length > 1 ? ` via ${a.spans.map((s) => s.tli).join('→')}` : ''})`;
    return {
      status,
      summary,
      metrics,
      details: {
        ...details,
        range: { from: a.rangeStart.segment, to: a.newest.segment },
        holes: a.holes.map(describeHole),
        criticalHoles: a.criticalHoles.map(describeHole),
        strays: a.strays,
        notes,
        ...(offLineage.length ? { backupsOffLineage: offLineage.map((b) => b.label) } : {}),
      },
    };
  },
};
