import type { CheckDefinition } from '../../core/check';
import type { CheckOutcome } from '../../core/types';
import { assessLifecycle } from './lifecycle-risks';
import { bucketName, bucketSkipReason } from './skip';

/**
 * `bucket.lifecycle`: the bucket's lifecycle rules cannot make a restore fail. pgBackRest keeps backups and WAL
 * for at most retention.full × fullAgeHours.fail hours (retention.full fulls, each at most fullAgeHours.fail
 * apart while the backup checks pass); expiring earlier, expiring history files at all, or moving repository
 * files to a class that needs an S3 restore first, fails.
 */
export const bucketLifecycle: CheckDefinition = {
  id: 'bucket.lifecycle',
  belt: 'bucket',
  description: "The bucket's lifecycle rules keep every file a restore needs readable (s3:GetLifecycleConfiguration).",
  skipReason: bucketSkipReason,
  async run({ config, deps }): Promise<CheckOutcome> {
    const bucket = bucketName(config);
    if (!deps.bucket) return { status: 'unknown', summary: `bucket ${bucket}: no bucket source was wired for this run` };
    const r = await deps.bucket.lifecycle();
    if (!r.ok) {
      return { status: 'unknown', summary: `bucket ${bucket}: cannot read lifecycle rules: ${r.reason}`, details: { kind: r.kind, reason: r.reason } };
    }
    const repo = config.backups.repository;
    const repoPath = repo.type === 's3' ? repo.path : '/';
    const horizonHours = config.backups.retention.full * config.backups.fullAgeHours.fail;
    const versioning = await deps.bucket.versioning();
    const { risks, notes } = assessLifecycle(r.value, {
      repoPath,
      stanza: config.backups.stanza,
      horizonHours,
      versioning: versioning.ok ? versioning.value : undefined,
    });
    const horizon = `retention horizon ${horizonHours} h = backups.retention.full ${config.backups.retention.full} × backups.fullAgeHours.fail ${config.backups.fullAgeHours.fail} h`;
    const details = { rules: r.value ?? [], risks, notes, horizonHours, horizonFormula: 'backups.retention.full × backups.fullAgeHours.fail' };
    const metrics = [{ name: 'LifecycleRisks', value: risks.length, unit: 'Count' as const }];
    if (!r.value || r.value.length === 0) {
      return {
        status: 'ok',
        summary: `bucket ${bucket} has no lifecycle rules (0 risks, expected 0): pgBackRest retention alone deletes old backups${versioning.ok && versioning.value === 'Enabled' ? '; note: deleted versions stay billed until a NoncurrentVersionExpiration rule removes them' : ''}`,
        metrics,
        details,
      };
    }
    if (risks.length === 0) {
      return { status: 'ok', summary: `bucket ${bucket}: ${r.value.length} lifecycle rule(s), 0 risks to a restore (expected 0; ${horizon})`, metrics, details };
    }
    const status = risks.some((x) => x.severity === 'fail') ? 'fail' : 'warn';
    const ordered = [...risks].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'fail' ? -1 : 1));
    return {
      status,
      summary: `bucket ${bucket}: ${risks.length} lifecycle risk(s) (expected 0): ${ordered.map((x) => x.problem).join('; ')}. Fix: ${ordered[0].fix}`,
      metrics,
      details,
    };
  },
};
