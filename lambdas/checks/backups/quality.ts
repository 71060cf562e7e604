import type { CheckDefinition } from '../../core/check';
import { formatDuration } from '../../core/format';
import type { Status } from '../../core/types';
import { repoFacts } from '../../pgbackrest/facts';
import { labelScan } from '../../pgbackrest/in-progress';

/** `backup.quality`: backups carry no error flag, have their manifest, reference existing priors; in-progress backups are recognised. */
export const qualityCheck: CheckDefinition = {
  id: 'backup.quality',
  belt: 'backups',
  description: 'Backups have no error flag, every backup has its manifest, diffs reference existing fulls; running or stalled backups are recognised',
  async run(ctx) {
    const facts = repoFacts(ctx);
    const bi = await facts.backupInfo();
    if (!bi.ok) return { status: 'unknown', summary: `cannot judge backup quality: backup.info: ${bi.reason}` };
    const backups = bi.value.backups;
    const prefix = facts.repoPrefixes().backup;
    const nowMs = ctx.now.getTime();
    const graceS = ctx.config.backups.inProgressGraceHours * 3600;
    const fails: string[] = [];
    const warns: string[] = [];
    const notes: string[] = [];
    const unknowns: string[] = [];
    let requests = 0;

    const byStop = [...backups].sort((a, b) => a.timestampStop - b.timestampStop);
    const newestFull = [...byStop].reverse().find((b) => b.type === 'full');
    // The current set: the newest full and everything after it; older sets only warn.
    const current = new Set(byStop.filter((b) => newestFull && b.timestampStop >= newestFull.timestampStop).map((b) => b.label));
    const labels = new Set(backups.map((b) => b.label));
    for (const b of backups) {
      if (b.error === true) (current.has(b.label) ? fails : warns).push(`backup ${b.label} has backup-error=true (page checksum errors found)`);
      else if (b.error === undefined) notes.push(`backup ${b.label} has no backup-error flag (pgBackRest < 2.36): unknown`);
      for (const dep of [b.prior, ...(b.reference ?? [])]) {
        if (dep && !labels.has(dep)) fails.push(`${b.type} backup ${b.label} depends on ${dep}, which backup.info does not list`);
      }
      if (current.has(b.label) && (!b.archiveStart || !b.archiveStop)) warns.push(`backup ${b.label} has no WAL range (offline backup): no point-in-time recovery from it`);
      if (b.options.online === false || b.options['archive-check'] === false) notes.push(`backup ${b.label} taken with online=${b.options.online} archive-check=${b.options['archive-check']}`);
      const key = `${prefix}${b.label}/backup.manifest`;
      const h = await ctx.deps.repository.head(key, ctx.signal);
      requests++;
      if (!h.ok) (h.kind === 'not-found' ? fails : unknowns).push(h.kind === 'not-found' ? `backup ${b.label} is in backup.info but ${key} is missing` : `${key}: ${h.reason}`);
    }

    const scan = await labelScan(ctx);
    const inProgress: Record<string, unknown>[] = [];
    if (!scan.ok) unknowns.push(scan.reason);
    else {
      requests += scan.value.requests;
      for (const u of scan.value.unlisted) {
        const ageS = u.heartbeat !== undefined ? Math.max(0, (nowMs - u.heartbeat) / 1000) : undefined;
        inProgress.push({ label: u.label, type: u.type, state: u.state, heartbeatAgeSeconds: ageS === undefined ? null : Math.round(ageS) });
        const age = ageS === undefined ? 'no heartbeat' : `last heartbeat ${formatDuration(ageS)} ago`;
        if (u.state === 'empty') warns.push(`label folder ${u.label}/ has neither backup.manifest nor .copy and is not in backup.info (not trusted)`);
        else if (ageS !== undefined && ageS <= graceS) notes.push(`${u.type} backup ${u.label} is ${u.state === 'in-progress' ? 'running' : 'finishing'} (${age}, grace ${formatDuration(graceS)})`);
        else warns.push(`${u.type} backup ${u.label} looks stalled/aborted: not in backup.info, ${age} (grace ${formatDuration(graceS)}); not trusted`);
      }
      for (const x of scan.value.unexpected) notes.push(`unexpected folder ${prefix}${x} (not a backup label; ignored)`);
    }

    const status: Status = fails.length ? 'fail' : unknowns.length ? 'unknown' : warns.length ? 'warn' : 'ok';
    const first = fails[0] ?? unknowns[0] ?? warns[0];
    const tally = `${backups.length} backup(s) checked, ${fails.length} failing, ${warns.length} warning(s); 0 allowed`;
    const running = inProgress.filter((p) => p.state === 'in-progress').length;
    const summary = first
      ? `${first} (${tally})`
      : `${backups.length} backup(s) have no error flag, a manifest and existing priors${running ? `; ${notes.find((n) => n.includes('running')) ?? ''}` : ''}`;
    return { status, summary, details: { fails, warns, unknowns, notes, inProgress, requests } };
  },
};
