import type { CheckDefinition } from '../../core/check';
import { formatBytes, formatDuration } from '../../core/format';
import { gradeAbove, worstStatus } from '../../core/status';
import type { CheckOutcome, Metric, Status } from '../../core/types';
import { unavailable } from './unavailable';

const ago = (iso: string | null, serverNow: string): string =>
  iso ? `${iso} (${formatDuration((Date.parse(serverNow) - Date.parse(iso)) / 1000)} ago)` : 'never';

/**
 * `db.archiver`: is WAL reaching the repository? Judged on the backlog (`.ready` files and their age, server
 * clock) and on failures, never on the age of the last success alone: an idle database archives nothing and is fine.
 * The archive_command and its failure DETAIL are never echoed; they can hold credentials.
 */
export const dbArchiver: CheckDefinition = {
  id: 'db.archiver',
  belt: 'database',
  description: 'WAL archiving works: archive_mode on, not failing, and the oldest unarchived WAL younger than backups.rpoMinutes.',
  async run({ config, deps }): Promise<CheckOutcome> {
    const r = await deps.database.archiver();
    if (!r.ok) return unavailable('the archiver status', r);
    const f = r.value;
    const rpo = config.backups.rpoMinutes;
    const limits = { warn: rpo.warn * 60, fail: rpo.fail * 60 };
    const rpoText = `RPO warn ${rpo.warn} min / fail ${rpo.fail} min`;
    const details: Record<string, unknown> = { ...f, rpoMinutes: rpo };
    const metrics: Metric[] = [{ name: 'ArchiveFailing', value: f.failingNow || f.archiveMode === 'off' ? 1 : 0, unit: 'Count' }];

    if (f.archiveMode === 'off') {
      return { status: 'fail', summary: `archive_mode is off: no WAL reaches the repository, so point-in-time recovery is impossible (${rpoText})`, metrics, details };
    }
    // `always`: shown whenever anything is wrong, even when this part alone grades ok (the backlog next to a failure).
    const found: { status: Status; text: string; always?: boolean }[] = [];
    if (f.readyCount !== null) metrics.push({ name: 'ArchiveReadySegments', value: f.readyCount, unit: 'Count' });
    const age = f.readyCount === null ? null : f.readyCount > 0 ? (f.oldestReadySeconds ?? 0) : 0;
    if (age !== null) metrics.push({ name: 'UnarchivedDataAgeSeconds', value: age, unit: 'Seconds' });

    if (f.failingNow) {
      found.push({
        status: 'fail',
        text: `archiving is failing: WAL ${f.lastFailedWal ?? '?'} last failed at ${ago(f.lastFailedTime, f.serverNow)}, ${f.failedCount} failures since ${f.statsReset ?? 'stats reset'}; last success ${f.lastArchivedWal ? `${f.lastArchivedWal} at ` : ''}${ago(f.lastArchivedTime, f.serverNow)}`,
      });
    }
    if (f.readyCount === null) {
      // Only a refused permission (SQLSTATE 42501) is fixed by a grant; a dropped connection or a timeout is not.
      const hint = f.readyUnreadableKind === 'denied' ? '; grant pg_monitor to the monitor role' : '';
      found.push({ status: 'unknown', text: `the archive backlog cannot be read (${f.readyUnreadableReason ?? 'pg_ls_archive_statusdir() failed'})${hint}` });
    } else if (f.readyCount > 0) {
      const s = gradeAbove(age ?? 0, limits);
      found.push({ status: s, always: true, text: `${f.readyCount} WAL files waiting to be archived, oldest for ${formatDuration(age ?? 0)} (${rpoText})` });
    }
    if (f.inRecovery) {
      found.push({ status: 'warn', text: 'server is in recovery: a standby does not archive with archive_mode=on, watch the primary' });
    }
    if (!f.failingNow && f.readyCount === 0 && f.lastArchivedTime === null && !f.inRecovery) {
      found.push({ status: 'warn', text: `no WAL has ever been archived since ${f.statsReset ?? 'the statistics were reset'}, so archiving is not proven to work` });
    }
    if (!f.inRecovery && (f.archiveTimeoutSeconds === 0 || f.archiveTimeoutSeconds > limits.fail)) {
      const t = f.archiveTimeoutSeconds === 0 ? 'archive_timeout is 0 (off)' : `archive_timeout is ${formatDuration(f.archiveTimeoutSeconds)}`;
      found.push({ status: 'warn', text: `${t}: on a quiet database the current WAL segment can hold unarchived changes longer than the ${rpo.fail} min RPO` });
    }
    const status = worstStatus(found.map((x) => x.status));
    const bytes = f.unarchivedBytes === null ? 'unarchived WAL bytes unknown' : `${formatBytes(f.unarchivedBytes)} of WAL not yet archived`;
    const tail = `last archived ${f.lastArchivedWal ? `${f.lastArchivedWal} at ` : ''}${ago(f.lastArchivedTime, f.serverNow)}; ${bytes}`;
    const problems = status === 'ok' ? [] : found.filter((x) => x.status !== 'ok' || x.always).map((x) => x.text);
    // A failing archiver already names its last success; then only the byte figure is added.
    const failing = problems.some((t) => t.startsWith('archiving is failing'));
    const summary = problems.length
      ? `${problems.join('; ')} (${failing ? bytes : tail})`
      : `archiving ok: ${f.readyCount ? `${f.readyCount} WAL files waiting, oldest for ${formatDuration(age ?? 0)}` : 'nothing waiting'} (${rpoText}); ${tail}`;
    return { status, summary, metrics, details };
  },
};
