/** Names a runbook line needs; all come from the configuration (never constants). */
export interface RunbookContext {
  instanceName: string;
  region: string;
  stanza: string;
  /** S3 bucket of the repository, when it is on S3. */
  bucket?: string;
}

// One line each, copy-pasteable (no backslash continuations: the operator learned that the hard way).
// `<container>` is the operator's PostgreSQL container (chronos-db in the example); it is not in the configuration.
const RUNBOOK: Record<string, (c: RunbookContext) => string> = {
  'instance.state': (c) => `aws lightsail get-instance-state --instance-name ${c.instanceName} --region ${c.region}  (stopped? aws lightsail start-instance --instance-name ${c.instanceName} --region ${c.region})`,
  'instance.static-ip': (c) => `aws lightsail get-static-ips --region ${c.region}  (then attach-static-ip to ${c.instanceName} or fix database.host)`,
  'db.connect': () => 'on the host: docker ps --filter name=<container> && docker logs --tail 50 <container>  (login refused? check the monitor role and its SSM password)',
  'db.extensions': () => 'psql -c "select extname, extversion from pg_extension"  then CREATE EXTENSION IF NOT EXISTS <name>; or ALTER EXTENSION <name> UPDATE;',
  'db.archiver': (c) => `docker exec <container> pgbackrest --stanza=${c.stanza} check  and read why archiving fails: docker logs --since 1h <container> 2>&1 | npx chronos-monitor logs -`,
  'backup.repository': (c) => `docker exec <container> pgbackrest --stanza=${c.stanza} info  (unknown? compare the cipher-pass parameter with repo1-cipher-pass)`,
  'backup.full-age': (c) => `docker exec <container> pgbackrest --stanza=${c.stanza} --type=full backup  then check the backup schedule (cron) on the host`,
  'backup.diff-age': (c) => `docker exec <container> pgbackrest --stanza=${c.stanza} --type=diff backup  then check the backup schedule (cron) on the host`,
  'backup.wal-age': (c) => `docker exec <container> pgbackrest --stanza=${c.stanza} check  (forces a WAL switch and waits until it reaches the repository)`,
  'backup.wal-continuity': (c) => `docker exec <container> pgbackrest --stanza=${c.stanza} --type=full backup  (a new full restarts the chain), then pgbackrest --stanza=${c.stanza} verify`,
  'backup.quality': (c) => `docker exec <container> pgbackrest --stanza=${c.stanza} verify  (a stalled backup: is a pgbackrest process still running? ps aux | grep pgbackrest)`,
  'backup.retention': (c) => `docker exec <container> pgbackrest --stanza=${c.stanza} expire  and compare repo1-retention-full with backups.retention`,
  'backup.rpo': (c) => `docker exec <container> pgbackrest --stanza=${c.stanza} check  then fix archiving (see db.archiver) before anything else`,
  'backup.recoverability': (c) => `fix archiving first (backup.rpo, db.archiver), then docker exec <container> pgbackrest --stanza=${c.stanza} --type=full backup`,
  'bucket.config': (c) => `aws s3api get-bucket-versioning --bucket ${c.bucket ?? '<bucket>'}  (also get-bucket-encryption, get-public-access-block)`,
  'bucket.lifecycle': (c) => `aws s3api get-bucket-lifecycle-configuration --bucket ${c.bucket ?? '<bucket>'}  then drop GLACIER/DEEP_ARCHIVE transitions and expirations on the repository prefix; pgBackRest's retention expires files itself`,
};

/** The one-line next step for a check that is not ok, or undefined when there is none (e.g. db.size). */
export function runbookFor(checkId: string, context: RunbookContext): string | undefined {
  return RUNBOOK[checkId]?.(context);
}
