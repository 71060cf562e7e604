import type { CheckDefinition } from '../../core/check';
import { formatDuration } from '../../core/format';
import { recoveryAnalysis } from '../../pgbackrest/recovery';
import { rpoFacts } from '../../pgbackrest/rpo-facts';
import { analysisDetails } from './wal-continuity';

/** `backup.wal-age`: age of the newest archived WAL on the current lineage, and whether the repository holds PostgreSQL's last_archived_wal. */
export const walAgeCheck: CheckDefinition = {
  id: 'backup.wal-age',
  belt: 'backups',
  description: "Age of the newest WAL segment in the repository, and whether it holds the segment PostgreSQL last reported archived",
  async run(ctx) {
    const [r, rpo] = await Promise.all([recoveryAnalysis(ctx), rpoFacts(ctx)]);
    if (!r.ok) return { status: 'unknown', summary: `cannot read the WAL archive: ${r.reason}` };
    const a = r.value;
    const limits = ctx.config.backups.rpoMinutes;
    const details: Record<string, unknown> = { ...analysisDetails(a), rpoBasis: rpo.basis };
    if (!rpo.archiver.ok) details.database = `not readable (${rpo.archiver.reason}); judged on the repository only`;
    const newest = a.newestByModified;
    if (!newest) {
      return { status: 'fail', summary: `no WAL segment archived on timeline ${a.currentTli}'s lineage in ${a.archivePrefix} (newest: none, RPO ${limits.fail} min)`, details };
    }
    const age = Math.max(0, (ctx.now.getTime() - newest.modified) / 1000);
    const metrics = [{ name: 'WalArchiveAgeSeconds', value: Math.round(age), unit: 'Seconds' as const }];
    Object.assign(details, {
      newestByModified: { segment: newest.segment, archivedAt: new Date(newest.modified).toISOString() },
      newestByName: a.newest ? { segment: a.newest.segment, archivedAt: new Date(a.newest.modified).toISOString() } : undefined,
      lastArchivedWal: a.lastArchived,
    });
    const head = `newest WAL ${newest.segment} archived ${formatDuration(age)} ago`;
    if (a.lastArchived && !a.lastArchived.inRepository) {
      return {
        status: 'fail',
        summary: `PostgreSQL reports ${a.lastArchived.name} archived but ${a.lastArchived.lookedIn} does not hold it (WAL dropped, e.g. archive-push-queue-max, or wrong repository); ${head}`,
        metrics,
        details,
      };
    }
    if (age <= limits.warn * 60) return { status: 'ok', summary: `${head} (warn after ${limits.warn} min)`, metrics, details };
    if (rpo.idle || rpo.exposureSeconds === 0) {
      return { status: 'ok', summary: `${head}, but the database is idle with nothing waiting to be archived (${rpo.basis}); backup.rpo judges exposure`, metrics, details };
    }
    const why = rpo.archiver.ok ? 'the database is not idle' : 'the database is not readable, so idle cannot be told from stuck';
    return { status: 'warn', summary: `${head}, over ${limits.warn} min and ${why}; backup.rpo judges the exposure`, metrics, details };
  },
};
