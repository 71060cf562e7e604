/**
 * Judges S3 lifecycle rules against what pgBackRest needs to restore. Pure.
 *
 * Why any archive-class transition or any expiration of long-lived files is a failure: pgBackRest writes some
 * files once and needs them for as long as their timeline or backup set lives (timeline history files after a
 * promotion, the oldest retained full and the WAL after it). A file in GLACIER or DEEP_ARCHIVE answers GET with
 * InvalidObjectState until someone restores it by hand, so the restore fails. pgBackRest re-saves
 * archive.info/backup.info at every backup precisely so that lifecycle rules do not expire them; nothing does
 * the same for history files.
 */
import type { LifecycleRuleFacts } from '../../core/ports';
import { classesUnderPrefix, FILE_CLASS_TEXT, type RepoFileClass } from './repository-prefixes';

/** Storage classes whose objects must be restored before they can be read. */
const NEEDS_RESTORE = new Set(['GLACIER', 'DEEP_ARCHIVE']);
/** Storage classes readable with a plain GET. */
const READABLE = new Set(['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'REDUCED_REDUNDANCY', 'EXPRESS_ONEZONE']);
/** Minimum billed storage days per class (S3 pricing); deleting earlier is charged as if kept. */
const MIN_STORAGE_DAYS: Record<string, number> = { STANDARD_IA: 30, ONEZONE_IA: 30, GLACIER_IR: 90, GLACIER: 90, DEEP_ARCHIVE: 180 };
/** Files a restore needs. */
const NEEDED: RepoFileClass[] = ['history', 'archiveInfo', 'wal', 'backupInfo', 'backups'];
/** Files that are always far smaller than 64 KiB, so a size filter above that spares them. */
const SMALL: RepoFileClass[] = ['history', 'archiveInfo', 'backupInfo'];

/** What the judgement needs to know about the repository. */
export interface LifecycleContext {
  /** pgBackRest repo1-path, e.g. `/var/lib/pgbackrest`. */
  repoPath: string;
  /** pgBackRest stanza name. */
  stanza: string;
  /** Hours pgBackRest keeps backups and WAL: retention.full × fullAgeHours.fail. */
  horizonHours: number;
  /** Bucket versioning, when known. */
  versioning?: 'Enabled' | 'Suspended' | 'Disabled';
}

/** One problem found in a rule. */
export interface LifecycleRisk {
  /** Rule id, or `(none)` for a missing rule. */
  rule: string;
  /** `fail` when a restore breaks, `warn` when it may (tag filters) or when only cost is at stake. */
  severity: 'fail' | 'warn';
  /** Short statement of what the rule does wrong, with its day count. */
  problem: string;
  /** The repository files it reaches and why they matter. */
  filesAtRisk: string[];
  /** What to change. */
  fix: string;
}

/** The verdict on a set of lifecycle rules. */
export interface LifecycleAssessment {
  /** Problems, failures first as found. */
  risks: LifecycleRisk[];
  /** Facts worth knowing that are not risks to a restore (costs, rules that do not reach the repository). */
  notes: string[];
}

const describeClasses = (classes: RepoFileClass[]) => classes.map((c) => FILE_CLASS_TEXT[c]);

/** Assesses every rule; an empty or absent rule list has no risks. */
export function assessLifecycle(rules: LifecycleRuleFacts[] | null, ctx: LifecycleContext): LifecycleAssessment {
  const risks: LifecycleRisk[] = [];
  const notes: string[] = [];
  const horizonDays = ctx.horizonHours / 24;
  let coversRepoNoncurrentExpiry = false;
  let anyRuleReachesRepo = false;

  for (const rule of rules ?? []) {
    const where = rule.prefix ? `prefix "${rule.prefix}"` : 'the whole bucket';
    let classes = classesUnderPrefix(rule.prefix, ctx.repoPath, ctx.stanza);
    if (!rule.enabled) {
      notes.push(`rule "${rule.id}" (${where}) is disabled; not evaluated`);
      continue;
    }
    if (classes.length === 0) {
      notes.push(`rule "${rule.id}" (${where}) does not reach the repository of stanza ${ctx.stanza}`);
      continue;
    }
    if (rule.objectSizeGreaterThan !== undefined && rule.objectSizeGreaterThan >= 65536) {
      const spared = classes.filter((c) => SMALL.includes(c));
      if (spared.length) notes.push(`rule "${rule.id}" only acts on objects over ${rule.objectSizeGreaterThan} bytes, which spares the small info and history files`);
      classes = classes.filter((c) => !SMALL.includes(c));
    }
    anyRuleReachesRepo = true;
    if (rule.noncurrentExpirationDays !== undefined) coversRepoNoncurrentExpiry = true;
    const needed = classes.filter((c) => NEEDED.includes(c));
    const severity: LifecycleRisk['severity'] = rule.tags ? 'warn' : 'fail';
    const tagNote = rule.tags
      ? ` (only objects tagged ${Object.entries(rule.tags).map(([k, v]) => `${k}=${v}`).join(',')}; pgBackRest tags objects only when repo1-storage-tag sets them)`
      : '';

    for (const t of rule.transitions) {
      const cls = t.storageClass;
      if (NEEDS_RESTORE.has(cls) && needed.length) {
        risks.push({
          rule: rule.id,
          severity,
          problem: `rule "${rule.id}" moves repository files to ${cls} after ${t.days} days, where they cannot be read without an S3 restore${tagNote}`,
          filesAtRisk: needed.map((c) => atRiskWhen(c, t.days)),
          fix: `drop the ${cls} transition from rule "${rule.id}" (GLACIER_IR stays instantly readable) or scope the rule to backup/${ctx.stanza}/backup.history/, and let pgBackRest retention (repo1-retention-full) delete old backups`,
        });
      } else if (!NEEDS_RESTORE.has(cls) && !READABLE.has(cls)) {
        risks.push({
          rule: rule.id,
          severity: 'warn',
          problem: `rule "${rule.id}" moves repository files to unknown storage class ${cls} after ${t.days} days${tagNote}`,
          filesAtRisk: describeClasses(needed),
          fix: `check that ${cls} is readable with a plain GET, or use GLACIER_IR`,
        });
      } else if (cls === 'INTELLIGENT_TIERING') {
        notes.push(`rule "${rule.id}" moves files to INTELLIGENT_TIERING: readable unless its opt-in Archive Access tiers are enabled (GetBucketIntelligentTieringConfiguration; not checked)`);
      }
    }

    const expiresAt = rule.expirationDays !== undefined ? `after ${rule.expirationDays} days` : rule.expirationDate ? `on ${rule.expirationDate.slice(0, 10)}` : undefined;
    if (expiresAt) {
      // A date expiration removes everything once the date passes; an age expiration removes what outlives it.
      const short = rule.expirationDays === undefined || rule.expirationDays <= horizonDays;
      const expired = needed.filter((c) => c === 'history' || short);
      if (expired.length) {
        const what = short ? 'repository files pgBackRest still needs' : 'timeline history files';
        risks.push({
          rule: rule.id,
          severity,
          problem: `rule "${rule.id}" expires ${what} ${expiresAt}${short && rule.expirationDays !== undefined ? ` (pgBackRest keeps backups and WAL up to ${formatDays(horizonDays)} days)` : ''}${tagNote}`,
          filesAtRisk: describeClasses(expired),
          fix: `exclude archive/${ctx.stanza}/ from rule "${rule.id}" (scope it to backup/${ctx.stanza}/backup.history/) or drop its Expiration and rely on pgBackRest retention (repo1-retention-full) to delete old backups and WAL`,
        });
      }
    }

    for (const t of rule.noncurrentTransitions) {
      const min = MIN_STORAGE_DAYS[t.storageClass];
      if (min === undefined) continue;
      const kept = rule.noncurrentExpirationDays !== undefined ? rule.noncurrentExpirationDays - t.days : undefined;
      notes.push(
        `rule "${rule.id}" moves noncurrent versions to ${t.storageClass} after ${t.days} days: each is billed at least ${min} days there` +
          (kept !== undefined && kept < min ? ` but is expired after ${kept}, so the remaining days are charged as early deletion` : '') +
          (t.storageClass === 'DEEP_ARCHIVE' || t.storageClass === 'GLACIER' ? ' (plus about 40 KiB of index overhead per object)' : ''),
      );
    }
  }

  if (ctx.versioning && ctx.versioning !== 'Disabled' && anyRuleReachesRepo && !coversRepoNoncurrentExpiry) {
    risks.push({
      rule: '(none)',
      severity: 'warn',
      problem: `versioning is ${ctx.versioning} but no rule reaching the repository has NoncurrentVersionExpiration, so every version pgBackRest deletes or rewrites is kept and billed forever`,
      filesAtRisk: [],
      fix: 'add NoncurrentVersionExpiration (for example 30 days) to the repository rule',
    });
  }
  return { risks, notes };
}

function atRiskWhen(c: RepoFileClass, days: number): string {
  switch (c) {
    case 'history':
      return `${FILE_CLASS_TEXT.history}; only S3's default 128 KiB minimum transition size keeps these small files in place`;
    case 'wal':
    case 'backups':
      return `${FILE_CLASS_TEXT[c]}, once older than ${days} days (longer retention, or backups that stopped)`;
    default:
      return `${FILE_CLASS_TEXT[c]}, if no backup completes for ${days} days`;
  }
}

function formatDays(days: number): string {
  return Number.isInteger(days) ? String(days) : days.toFixed(1);
}
