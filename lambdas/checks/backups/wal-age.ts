import type { CheckDefinition } from '../../core/check';
import { formatDuration } from '../../core/format';
import { recoveryAnalysis } from '../../pgbackrest/recovery';
import { rpoFacts, WHAT_IF_TOLERANCE_MS, whatIfText } from '../../pgbackrest/rpo-facts';
import { analysisDetails } from './wal-continuity';

/** `backup.wal-age`: age of the newest archived WAL on the current lineage, and whether the repository holds PostgreSQL's last_archived_wal. */
export const walAgeCheck: CheckDefinition = {
  id: 'backup.wal-age',
  belt: 'backups',
  description: "Age of the newest WAL segment in the repository, and whether it holds the segment PostgreSQL last reported archived",
  async run(ctx) {
    const [r, rpo] = await Promise.all([recoveryAnalysis(ctx), rpoFacts(ctx)]);
    if (!r.ok) return { status: r.refused ? 'fail' : 'unknown', summary: `cannot read the WAL archive: ${r.reason}` };
    const a = r.value;
    const limits = ctx.config.backups.rpoMinutes;
    const details: Record<string, unknown> = { ...analysisDetails(a), rpoBasis: rpo.basis };
    if (!rpo.archiver.ok) details.database = `not readable (${rpo.archiver.reason}); judged on the repository only`;
    const newest = a.newestByModified;
    if (!newest) {
      return { status: 'fail', summary: `no WAL segment archived on timeline ${a.currentTli}'s lineage in ${a.archivePrefix} (newest: none, RPO ${limits.fail} min)`, details };
    }
    const rawAge = (ctx.now.getTime() - newest.modified) / 1000;
    const age = Math.max(0, rawAge);
    const metrics = [{ name: 'WalArchiveAgeSeconds', value: Math.round(age), unit: 'Seconds' as const }];
    Object.assign(details, {
      newestByModified: { segment: newest.segment, archivedAt: new Date(newest.modified).toISOString() },
      newestByName: a.newest ? { segment: a.newest.segment, archivedAt: new Date(a.newest.modified).toISOString() } : undefined,
      lastArchivedWal: a.lastArchived,
    });
    const nowWord = rpo.whatIf ? '--now' : 'now';
    // A WAL archived after `now` (a what-if into the past, or skewed clocks) has no age; say so instead of "0s ago".
    // Age comes from the last write; the name shown is the highest segment, which an out-of-order upload can make differ.
    const name = a.newest && a.newest.segment !== newest.segment ? `${a.newest.segment} (last written: ${newest.segment})` : newest.segment;
    const head = rawAge < 0 ? `newest WAL ${name} archived ${new Date(newest.modified).toISOString()}, ${formatDuration(-rawAge)} in the future relative to ${nowWord}` : `newest WAL ${name} archived ${formatDuration(age)} ago`;
    const prefix = rpo.whatIf ? `${whatIfText(rpo.whatIf)}: ` : '';
    if (a.lastArchived && !a.lastArchived.inRepository) {
      return {
        status: 'fail',
        summary: `PostgreSQL reports ${a.lastArchived.name} archived but ${a.lastArchived.lookedIn} does not hold it (WAL dropped, e.g. archive-push-queue-max, or wrong repository); ${head}`,
        metrics,
        details,
      };
    }
    if (rawAge < -WHAT_IF_TOLERANCE_MS / 1000) return { status: 'unknown', summary: `${prefix}${head}: the repository of today cannot tell what was archived then`, metrics, details };
    if (age <= limits.warn * 60) return { status: 'ok', summary: `${prefix}${head} (warn after ${limits.warn} min)`, metrics, details };
    if (rpo.idle || rpo.exposureSeconds === 0) {
      return { status: 'ok', summary: `${head}, but the database is idle with nothing waiting to be archived (${rpo.basis}); backup.rpo judges exposure`, metrics, details };
    }
    const why = rpo.whatIf ? 'the database cannot say whether it was idle then' : rpo.archiver.ok ? 'the database is not idle' : 'the database is not readable, so idle cannot be told from stuck';
    return { status: 'warn', summary: `${prefix}${head}, over ${limits.warn} min and ${why}; backup.rpo judges the exposure`, metrics, details };
  },
};
