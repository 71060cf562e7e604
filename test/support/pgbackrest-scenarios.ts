/**
 * Scenario builders for the recoverability checks, on top of the real pgBackRest fixture: timeline switches
 * by a real restore + promote into the same repository, abandoned timelines, holes punched into the archive,
 * and the layout of an interrupted backup.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabaseSource } from '../../lambdas/adapters/postgres';
import type { CheckContext, CheckDefinition } from '../../lambdas/core/check';
import { observed } from '../../lambdas/core/observed';
import type { DatabaseSource, RepositoryStore } from '../../lambdas/core/ports';
import type { StateStore } from '../../lambdas/core/state';
import type { CheckOutcome } from '../../lambdas/core/types';
import { backupContext, type BackupContextOptions, type PgBackRestFixture } from './pgbackrest';

/** Options of {@link recoveryContext}. */
export interface RecoveryContextOptions extends Omit<BackupContextOptions, 'repository'> {
  repository: RepositoryStore;
  /** State shared across runs (the remembered WAL position, verified folders). */
  state?: StateStore;
  /** Point the database source at a closed port (database unreachable). */
  databaseDown?: boolean;
  /**
   * Make the real cluster's clock read this much later (serverNow, .ready ages): a later run of a live cluster that has
   * stayed as it is, consistent with a later `now`. Without it a later `now` is a what-if the database cannot speak for.
   */
  databaseClockShiftMs?: number;
}

/** A backup-check context whose database source is the fixture's real cluster (trust auth, superuser). */
export function recoveryContext(f: PgBackRestFixture, o: RecoveryContextOptions): CheckContext {
  const ctx = backupContext({
    ...o,
    extra: {
      ...(o.extra ?? {}),
      database: { host: '127.0.0.1', port: o.databaseDown ? 1 : f.cluster.port, database: 'postgres', user: 'postgres', tls: { mode: 'disable' }, connectTimeoutMs: 2000, ...(o.extra?.database ?? {}) },
    },
  });
  ctx.deps.database = createDatabaseSource(ctx.config.database, async () => observed(undefined));
  if (o.databaseClockShiftMs) ctx.deps.database = shiftedClock(ctx.deps.database, o.databaseClockShiftMs);
  if (o.state) ctx.deps.state = o.state;
  return ctx;
}

/** A database source whose archiver facts read `shiftMs` later on the server clock. */
export function shiftedClock(db: DatabaseSource, shiftMs: number): DatabaseSource {
  const archiver = async (): ReturnType<DatabaseSource['archiver']> => {
    const a = await db.archiver();
    if (!a.ok) return a;
    const v = a.value;
    return observed({ ...v, serverNow: new Date(Date.parse(v.serverNow) + shiftMs).toISOString(), oldestReadySeconds: v.oldestReadySeconds === null ? null : v.oldestReadySeconds + shiftMs / 1000 });
  };
  return new Proxy(db, { get: (t, p) => (p === 'archiver' ? archiver : (Reflect.get(t, p) as unknown)) });
}

/** Runs one check and closes the context's database connection. */
export async function runCheck(check: CheckDefinition, ctx: CheckContext): Promise<CheckOutcome> {
  try {
    return await check.run(ctx);
  } finally {
    await ctx.deps.database.close();
  }
}

/** Runs several checks on one context (one shared analysis), then closes the database connection. */
export async function runChecksOn(checks: CheckDefinition[], ctx: CheckContext): Promise<CheckOutcome[]> {
  try {
    return await Promise.all(checks.map((c) => c.run(ctx)));
  } finally {
    await ctx.deps.database.close();
  }
}

/** Waits until the cluster has left recovery (after a promote). */
export function waitPromoted(f: PgBackRestFixture): void {
  const deadline = Date.now() + 60_000;
  while (f.cluster.sql('select pg_is_in_recovery()') !== 'f') {
    if (Date.now() > deadline) throw new Error(`cluster did not promote within 60 s; see ${f.cluster.logFile}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

/**
 * A real timeline switch: stop, `pgbackrest restore --type=immediate --target-action=promote` from the newest
 * backup into the same data directory, start; PostgreSQL promotes to the next free timeline and archives its
 * `.history` into the same repository. Returns the new timeline id.
 */
export function restoreAndPromote(f: PgBackRestFixture): number {
  f.cluster.stop();
  f.pgbackrest(['--delta', '--type=immediate', '--target-action=promote', 'restore']);
  f.cluster.start();
  waitPromoted(f);
  return Number(f.cluster.sql('select timeline_id from pg_control_checkpoint()'));
}

/**
 * A test restore that is promoted, archives into the same repository, and is abandoned: the original data
 * directory comes back and carries on on its old timeline. Returns the abandoned timeline id.
 */
export function abandonedTimeline(f: PgBackRestFixture): number {
  const aside = `${f.cluster.dataDir}.aside`;
  f.cluster.stop();
  execFileSync('cp', ['-a', f.cluster.dataDir, aside]);
  f.pgbackrest(['--delta', '--type=immediate', '--target-action=promote', 'restore']);
  f.cluster.start();
  waitPromoted(f);
  const tli = Number(f.cluster.sql('select timeline_id from pg_control_checkpoint()'));
  f.switchWal(2);
  f.cluster.stop();
  rmSync(f.cluster.dataDir, { recursive: true, force: true });
  execFileSync('mv', [aside, f.cluster.dataDir]);
  f.cluster.start();
  return tli;
}

/** The archive folder of the stanza's current archive id in a posix repository. */
export function archiveDir(repoPath: string, stanza = 'chronos'): string {
  const base = join(repoPath, 'archive', stanza);
  const id = readdirSync(base).filter((n) => /^\d+-\d+$/.test(n)).sort().pop();
  if (!id) throw new Error(`no archive id folder under ${base}`);
  return join(base, id);
}

/** Deletes the given segments (every pushed copy) from a posix repository; returns the files removed. */
export function deleteSegments(repoPath: string, segments: string[], stanza = 'chronos'): string[] {
  const removed: string[] = [];
  for (const s of segments) {
    const dir = join(archiveDir(repoPath, stanza), s.slice(0, 16));
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      if (name.startsWith(`${s}-`)) {
        rmSync(join(dir, name));
        removed.push(name);
      }
    }
  }
  return removed;
}

/**
 * The layout a real backup leaves while running or after `kill -9`: a label folder holding only
 * `backup.manifest.copy` (copied from a real backup), absent from backup.info. Returns the label.
 */
export function interruptedBackupLayout(repoPath: string, fromLabel: string, label: string, stanza = 'chronos'): string {
  const base = join(repoPath, 'backup', stanza);
  execFileSync('mkdir', ['-p', join(base, label, 'pg_data')]);
  copyFileSync(join(base, fromLabel, 'backup.manifest.copy'), join(base, label, 'backup.manifest.copy'));
  return label;
}
