import type { CheckContext, CheckDefinition } from '../../core/check';
import { formatDuration } from '../../core/format';
import type { FailureKind } from '../../core/observed';
import { gradeAbove } from '../../core/status';
import type { CheckOutcome, Status } from '../../core/types';
import { repoFacts } from '../../pgbackrest/facts';
import { inProgressGraceSeconds, labelScan } from '../../pgbackrest/in-progress';
import type { BackupEntry } from '../../pgbackrest/info';

/** The newest backup of the given types and its age, by `backup-timestamp-stop` (never the label). */
export interface BackupAge {
  backup: BackupEntry;
  /** Seconds from the backup's stop to `now`; negative when the backup claims to end in the future (clock skew). */
  ageSeconds: number;
}

/** Picks the backup of one of `types` that finished last and measures its age at `now`; undefined when there is none. */
export function newestBackupAge(backups: readonly BackupEntry[], types: readonly BackupEntry['type'][], now: Date): BackupAge | undefined {
  let newest: BackupEntry | undefined;
  for (const b of backups) if (types.includes(b.type) && (!newest || b.timestampStop > newest.timestampStop)) newest = b;
  return newest && { backup: newest, ageSeconds: Math.round(now.getTime() / 1000 - newest.timestampStop) };
}

/** Seconds a backup may appear to end in the future before the clocks are called out. */
export const CLOCK_SKEW_TOLERANCE_SECONDS = 300;

/** Status of a backup age against warn/fail limits in hours; a stop time well in the future is a warn (clock skew). */
export function gradeBackupAge(ageSeconds: number, limitsHours: { warn: number; fail: number }): Status {
  if (ageSeconds < -CLOCK_SKEW_TOLERANCE_SECONDS) return 'warn';
  return gradeAbove(ageSeconds, { warn: limitsHours.warn * 3600, fail: limitsHours.fail * 3600 });
}

/** Status a backup check reports when backup.info cannot be read: damage is a failure, blindness is unknown. */
export function infoFailureStatus(kind: FailureKind): Status {
  return kind === 'invalid' || kind === 'not-found' ? 'fail' : 'unknown';
}

/** Options of {@link backupAgeOutcome}. */
export interface BackupAgeSpec {
  /** Backup types that count. */
  types: BackupEntry['type'][];
  /** Words for the summary, e.g. `full backup`, `full or diff backup`. */
  noun: string;
  /** Public metric name. */
  metric: string;
  limitsHours: { warn: number; fail: number };
  /** Config field of the limits, named in summaries. */
  configField: string;
  /** Which running backups extend the limits by `backups.inProgressGraceHours` (see in-progress.ts). */
  graceFor: 'full' | 'any';
}

/** Shared body of the age checks: reads backup.info through the run's facts and grades the newest matching backup. */
export async function backupAgeOutcome(ctx: CheckContext, spec: BackupAgeSpec): Promise<CheckOutcome> {
  const limits = `warn > ${spec.limitsHours.warn}h, fail > ${spec.limitsHours.fail}h (${spec.configField})`;
  const info = await repoFacts(ctx).backupInfo();
  if (!info.ok) {
    return { status: infoFailureStatus(info.kind), summary: `cannot tell the age of the newest ${spec.noun}: ${info.reason}`, details: { failure: info.kind } };
  }
  const found = newestBackupAge(info.value.backups, spec.types, ctx.now);
  if (!found) {
    return {
      status: 'fail',
      summary: `no ${spec.noun} in ${info.value.source} (${info.value.backups.length} backup(s) of other types); expected one within ${spec.limitsHours.fail}h`,
      details: { source: info.value.source, backups: info.value.backups.length },
    };
  }
  const { backup, ageSeconds } = found;
  // A backup visibly running (fresh manifest heartbeat) is on its way: give it the grace period before paging.
  const scan = await labelScan(ctx);
  const graceSeconds = scan.ok ? inProgressGraceSeconds(scan.value.unlisted, spec.graceFor, ctx.config.backups.inProgressGraceHours, ctx.now.getTime()) : 0;
  const graceHours = graceSeconds / 3600;
  const status = gradeBackupAge(ageSeconds, { warn: spec.limitsHours.warn + graceHours, fail: spec.limitsHours.fail + graceHours });
  const running = graceSeconds > 0 ? `; a backup is running, limits extended by ${graceHours}h (backups.inProgressGraceHours)` : '';
  const stop = new Date(backup.timestampStop * 1000).toISOString();
  const when = ageSeconds < -CLOCK_SKEW_TOLERANCE_SECONDS ? `finishes ${formatDuration(-ageSeconds)} in the future (${stop}; clock skew?)` : `finished ${formatDuration(ageSeconds)} ago (${stop})`;
  return {
    status,
    summary: `newest ${spec.noun} ${backup.label} ${when}; ${limits}${running}`,
    metrics: [{ name: spec.metric, value: ageSeconds, unit: 'Seconds' }],
    details: { label: backup.label, type: backup.type, timestampStop: backup.timestampStop, stoppedAt: stop, ageSeconds, source: info.value.source, graceSeconds, ...(scan.ok ? {} : { labelScan: scan.reason }) },
  };
}

/** `backup.full-age`: the newest full backup finished within `backups.fullAgeHours`. */
export const fullAgeCheck: CheckDefinition = {
  id: 'backup.full-age',
  belt: 'backups',
  description: 'Newest full backup (by backup-timestamp-stop in backup.info) is younger than backups.fullAgeHours',
  run: (ctx) =>
    backupAgeOutcome(ctx, { types: ['full'], noun: 'full backup', metric: 'FullBackupAgeSeconds', limitsHours: ctx.config.backups.fullAgeHours, configField: 'backups.fullAgeHours', graceFor: 'full' }),
};
