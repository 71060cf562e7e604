import type { MonitorConfig } from '../../config/schema';
import type { CheckDefinition } from '../../core/check';
import type { Observed } from '../../core/observed';
import type { LifecycleRuleFacts } from '../../core/ports';
import { worstStatus } from '../../core/status';
import type { CheckOutcome, Status } from '../../core/types';
import { classesUnderPrefix } from './repository-prefixes';
import { bucketName, bucketSkipReason } from './skip';

/** One bucket setting compared with the configuration. */
export interface SettingReport {
  /** Human name of the setting, e.g. `versioning`. */
  setting: string;
  /** What the configuration asks for. */
  expected: string;
  /** What S3 reported, or why it could not be read. */
  actual: string;
  /** `drift` when read and not as configured; `unknown` when it could not be read. */
  state: 'ok' | 'drift' | 'unknown';
  /** Status this setting contributes: drift in a protection fails, drift in a cost setting warns. */
  status: Status;
}

type Lifecycle = NonNullable<MonitorConfig['bucket']['lifecycle']>;
const steps = (ts: { days: number; storageClass: string }[] | undefined) =>
  (ts ?? [])
    .map((t) => `${t.days}d→${t.storageClass}`)
    .sort()
    .join(', ') || 'none';

/** Renders a lifecycle expectation or rule in one comparable line. */
export function lifecycleShape(l: Pick<Lifecycle, 'transitions' | 'expirationDays' | 'noncurrentTransitions' | 'noncurrentExpirationDays'>, withNoncurrent = true): string {
  const base = `transitions ${steps(l.transitions)}; expiration ${l.expirationDays ?? 'none'}`;
  return withNoncurrent ? `${base}; noncurrent transitions ${steps(l.noncurrentTransitions)}; noncurrent expiration ${l.noncurrentExpirationDays ?? 'none'}` : base;
}

/** True when an enabled rule reaching the repository has exactly the configured shape (noncurrent parts only when configured). */
export function ruleMatches(rule: LifecycleRuleFacts, want: Lifecycle, config: MonitorConfig): boolean {
  const repo = config.backups.repository;
  if (!rule.enabled || repo.type !== 's3') return false;
  if (classesUnderPrefix(rule.prefix, repo.path, config.backups.stanza).length === 0) return false;
  if (steps(rule.transitions) !== steps(want.transitions) || rule.expirationDays !== want.expirationDays) return false;
  if (want.noncurrentTransitions && steps(rule.noncurrentTransitions) !== steps(want.noncurrentTransitions)) return false;
  if (want.noncurrentExpirationDays !== undefined && rule.noncurrentExpirationDays !== want.noncurrentExpirationDays) return false;
  return true;
}

function compare<T>(setting: string, expected: string, r: Observed<T>, show: (v: T) => string, ok: (v: T) => boolean, driftStatus: Status): SettingReport {
  if (!r.ok) return { setting, expected, actual: r.reason, state: 'unknown', status: 'unknown' };
  const good = ok(r.value);
  return { setting, expected, actual: show(r.value), state: good ? 'ok' : 'drift', status: good ? 'ok' : driftStatus };
}

/**
 * `bucket.config`: versioning, default encryption, public access block and (when configured) the lifecycle rule
 * are as `bucket` in the configuration says. Versioning, encryption and public access protect the backups, so
 * their drift fails; the bucket key and the lifecycle shape only change cost (bucket.lifecycle judges safety),
 * so their drift warns.
 */
export const bucketConfig: CheckDefinition = {
  id: 'bucket.config',
  belt: 'bucket',
  description: 'Versioning, default encryption, public access block and lifecycle of the bucket are as configured.',
  skipReason: bucketSkipReason,
  async run({ config, deps }): Promise<CheckOutcome> {
    const bucket = bucketName(config);
    if (!deps.bucket) return { status: 'unknown', summary: `bucket ${bucket}: no bucket source was wired for this run` };
    const want = config.bucket;
    const [versioning, encryption, pab, lifecycle] = await Promise.all([
      deps.bucket.versioning(),
      deps.bucket.encryption(),
      want.publicAccessBlock ? deps.bucket.publicAccessBlock() : undefined,
      want.lifecycle ? deps.bucket.lifecycle() : undefined,
    ]);
    const settings: SettingReport[] = [
      compare('versioning', want.versioning, versioning, (v) => v, (v) => v === want.versioning, 'fail'),
      compare('encryption', want.encryption, encryption, (v) => v?.algorithm ?? 'none', (v) => v?.algorithm === want.encryption, 'fail'),
    ];
    if (want.bucketKey !== undefined) {
      const on = want.bucketKey ? 'enabled' : 'disabled';
      settings.push(compare('bucket key', on, encryption, (v) => (v?.bucketKey ? 'enabled' : 'disabled'), (v) => (v?.bucketKey ?? false) === want.bucketKey, 'warn'));
    }
    if (pab) {
      settings.push(
        compare(
          'public access block',
          'all four flags true',
          pab,
          (v) => (v ? Object.entries(v).filter(([, on]) => !on).map(([k]) => `${k} false`).join(', ') || 'all four flags true' : 'none configured'),
          (v) => v !== null && Object.values(v).every(Boolean),
          'fail',
        ),
      );
    }
    if (want.lifecycle && lifecycle) {
      const shape = lifecycleShape(want.lifecycle, want.lifecycle.noncurrentTransitions !== undefined || want.lifecycle.noncurrentExpirationDays !== undefined);
      settings.push(
        compare(
          'lifecycle',
          `an enabled rule reaching the repository with ${shape}`,
          lifecycle,
          (rules) => {
            const match = (rules ?? []).find((x) => ruleMatches(x, want.lifecycle as Lifecycle, config));
            if (match) return `rule "${match.id}"`;
            return rules && rules.length ? rules.map((x) => `"${x.id}"${x.enabled ? '' : ' (disabled)'} prefix "${x.prefix}": ${lifecycleShape(x)}`).join(' | ') : 'no lifecycle rules';
          },
          (rules) => (rules ?? []).some((x) => ruleMatches(x, want.lifecycle as Lifecycle, config)),
          'warn',
        ),
      );
    }
    const drift = settings.filter((s) => s.state === 'drift');
    const unknown = settings.filter((s) => s.state === 'unknown');
    const status = worstStatus(settings.map((s) => s.status));
    const metrics = drift.length > 0 || unknown.length === 0 ? [{ name: 'BucketConfigDrift', value: drift.length, unit: 'Count' as const }] : [];
    const details = { bucket, settings, publicAccessBlockChecked: want.publicAccessBlock };
    const parts: string[] = [];
    if (drift.length) parts.push(`${drift.length} setting(s) not as configured: ${drift.map((s) => `${s.setting} is ${s.actual} (expected ${s.expected})`).join('; ')}`);
    if (unknown.length) parts.push(`unreadable: ${unknown.map((s) => `${s.setting} (${s.actual})`).join('; ')}`);
    if (!parts.length) parts.push(`${settings.map((s) => `${s.setting} ${s.actual}`).join(', ')} (all ${settings.length} as configured)`);
    return { status, summary: `bucket ${bucket}: ${parts.join('; ')}`, metrics, details };
  },
};
