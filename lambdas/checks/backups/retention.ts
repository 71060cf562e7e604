import type { CheckDefinition } from '../../core/check';
import { formatDuration } from '../../core/format';
import { repoFacts } from '../../pgbackrest/facts';

/** `backup.retention`: full and diff backup counts against pgBackRest's own retention arithmetic. */
export const retentionCheck: CheckDefinition = {
  id: 'backup.retention',
  belt: 'backups',
  description: 'Full and differential backup counts match repo retention (fulls count as diffs, one extra full before expire runs)',
  async run(ctx) {
    const bi = await repoFacts(ctx).backupInfo();
    if (!bi.ok) return { status: 'unknown', summary: `cannot count backups: backup.info: ${bi.reason}` };
    const { full: wantFull, diff: wantDiff } = ctx.config.backups.retention;
    const backups = bi.value.backups;
    const fulls = backups.filter((b) => b.type === 'full').sort((a, b) => a.timestampStop - b.timestampStop);
    const diffs = backups.filter((b) => b.type === 'diff');
    // pgBackRest's expire counts a full as a differential when retention-diff is set (expire.c expireDiffBackup).
    const diffCounted = fulls.length + diffs.length;
    const nowS = ctx.now.getTime() / 1000;
    // A loop, not Math.min(...spread): a 200k-entry backup.info overflows the call stack.
    let oldest: number | undefined;
    for (const b of backups) if (oldest === undefined || b.timestampStart < oldest) oldest = b.timestampStart;
    const horizonS = wantFull * ctx.config.backups.fullAgeHours.warn * 3600;
    const young = oldest !== undefined && nowS - oldest < horizonS;
    // Backups that start after `now` (a what-if into the past, or clock skew) have no age: say so, never a negative one.
    const repoAge = (): string => {
      const age = nowS - (oldest as number);
      return age < 0 ? `${formatDuration(0)} old (its oldest backup starts ${formatDuration(-age)} in the future relative to now: --now or clock skew)` : `${formatDuration(age)} old`;
    };
    const graceS = ctx.config.backups.inProgressGraceHours * 3600;
    const newestFullAge = fulls.length ? nowS - fulls[fulls.length - 1].timestampStop : undefined;
    const metrics = [{ name: 'FullBackupCount', value: fulls.length, unit: 'Count' as const }];
    const details = {
      fullCount: fulls.length,
      diffCount: diffs.length,
      incrCount: backups.length - fulls.length - diffs.length,
      diffCountedAsPgBackRestDoes: diffCounted,
      retention: { full: wantFull, ...(wantDiff ? { diff: wantDiff } : {}) },
      repositoryAgeSeconds: oldest !== undefined ? Math.max(0, Math.round(nowS - oldest)) : null,
      retentionHorizonSeconds: horizonS,
    };
    const counts = `${fulls.length} full, ${diffs.length} diff`;
    if (fulls.length === 0) return { status: 'fail', summary: `0 full backups in the repository (retention ${wantFull})`, metrics, details };
    if (fulls.length < wantFull) {
      if (young) return { status: 'ok', summary: `${counts} (retention ${wantFull}): repository is ${repoAge()}, still filling its ${formatDuration(horizonS)} horizon`, metrics, details };
      return { status: 'warn', summary: `${counts}: fewer fulls than retention ${wantFull} in a repository ${repoAge()} (backups failing or expired early?)`, metrics, details };
    }
    if (fulls.length === wantFull + 1 && (newestFullAge ?? Infinity) <= graceS) {
      return { status: 'ok', summary: `${counts}: one full above retention ${wantFull} while expire catches up (newest full ${formatDuration(Math.max(0, newestFullAge as number))} old)`, metrics, details };
    }
    if (fulls.length > wantFull) return { status: 'warn', summary: `${counts}: more fulls than retention ${wantFull} allows (+1 briefly): is expire running?`, metrics, details };
    if (wantDiff && diffCounted < wantDiff && !young) {
      return { status: 'warn', summary: `${counts}: ${diffCounted} differential(s) counting fulls as pgBackRest does, retention-diff ${wantDiff}`, metrics, details };
    }
    return { status: 'ok', summary: `${counts} (retention full ${wantFull}${wantDiff ? `, diff ${wantDiff} with fulls counted: ${diffCounted}` : ''})`, metrics, details };
  },
};
