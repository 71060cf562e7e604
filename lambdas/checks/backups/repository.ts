import type { CheckContext, CheckDefinition } from '../../core/check';
import type { Observed } from '../../core/observed';
import { worstStatus } from '../../core/status';
import type { CheckOutcome, Status } from '../../core/types';
import { repoFacts, SUPPORTED_REPO_FORMAT, type InfoSource } from '../../pgbackrest/facts';
import { infoFailureStatus } from './full-age';

/** `backup.repository`: backup.info and archive.info readable, verified, of format 5 and about the same database. */
export const repositoryCheck: CheckDefinition = {
  id: 'backup.repository',
  belt: 'backups',
  description: 'backup.info and archive.info are readable (decrypted, checksums verified, format 5) and name the same database',
  async run(ctx): Promise<CheckOutcome> {
    const facts = repoFacts(ctx);
    const [backup, archive] = await Promise.all([facts.backupInfo(), facts.archiveInfo()]);
    const readable = backup.ok && archive.ok ? 1 : 0;
    const metrics = [{ name: 'RepositoryReadable', value: readable, unit: 'None' as const }];
    const where = ctx.deps.repository.describe();
    if (!backup.ok || !archive.ok) {
      const problems = [unreadable('backup.info', backup), unreadable('archive.info', archive)].filter((p): p is { status: Status; text: string; kind: string } => !!p);
      const status = worstStatus(problems.map((p) => p.status));
      const both = problems.length === 2 && problems[0].text.replace('backup.info', '') === problems[1].text.replace('archive.info', '');
      return {
        status,
        summary: `repository ${where} not usable: ${both ? `backup.info and archive.info: ${problems[0].text.replace(/^backup\.info:? */, '')}` : problems.map((p) => p.text).join('; ')}; expected both info files readable`,
        metrics,
        details: { backupInfo: problems.find((p) => p.text.startsWith('backup.info'))?.kind ?? 'ok', archiveInfo: problems.find((p) => p.text.startsWith('archive.info'))?.kind ?? 'ok' },
      };
    }
    const b = backup.value;
    const a = archive.value;
    const details: Record<string, unknown> = {
      repository: where,
      backupInfo: sourceDetails(b),
      archiveInfo: sourceDetails(a),
      systemId: b.systemId,
      dbVersion: b.dbVersion,
      archiveId: a.archiveId,
      backups: b.backups.length,
      encrypted: b.encrypted,
      format: b.format,
      backrestVersion: b.version,
    };
    if (b.passUnused || a.passUnused) details.note = 'backups.cipherPass is configured but the repository is not encrypted';
    if (b.systemId !== a.systemId || b.dbVersion !== a.dbVersion) {
      return {
        status: 'fail',
        summary: `backup.info (db-system-id ${b.systemId}, PG ${b.dbVersion}) and archive.info (db-system-id ${a.systemId}, PG ${a.dbVersion}) describe different databases; expected the same`,
        metrics,
        details,
      };
    }
    // The repository must hold this cluster's backups: a wrong bucket, path or stanza can point at another
    // cluster's (staging, an old server) perfectly healthy repository, and every other check would pass.
    const live = await liveDatabase(ctx);
    details.database = live.note;
    if (live.systemId && live.systemId !== b.systemId) {
      return {
        status: 'fail',
        summary: `the repository belongs to database system ${b.systemId} but the monitored database is system ${live.systemId}: wrong bucket, path or stanza (backups.repository, backups.stanza)?`,
        metrics,
        details,
      };
    }
    if (live.major && live.major !== b.dbVersion) {
      return {
        status: 'fail',
        summary: `the repository holds PostgreSQL ${b.dbVersion} backups but the monitored database runs PostgreSQL ${live.major}: run pgbackrest stanza-upgrade and take a full backup`,
        metrics,
        details,
      };
    }
    const fallbacks = [b, a].filter((x) => x.mainProblem);
    if (fallbacks.length) {
      return {
        status: 'warn',
        summary: `${fallbacks.map((x) => `${x.source.replace(/\.copy$/, '')} unusable (${x.mainProblem}), read ${x.source}`).join('; ')}; expected the main file intact`,
        metrics,
        details,
      };
    }
    return {
      status: 'ok',
      summary: `backup.info and archive.info readable${b.encrypted ? ' (decrypted)' : ''}, checksums verified, format ${SUPPORTED_REPO_FORMAT}, db-system-id ${b.systemId} PG ${b.dbVersion}, ${b.backups.length} backup(s); expected readable, same database`,
      metrics,
      details,
    };
  },
};

/** The monitored database's system id and major version, when it can be read (otherwise a note says why not). */
async function liveDatabase(ctx: CheckContext): Promise<{ systemId?: string; major?: string; note: string }> {
  const [conn, id] = await Promise.all([ctx.deps.database.connect(), ctx.deps.database.systemIdentifier?.()]);
  // pgBackRest's db-version is "16" from PostgreSQL 10 on, "9.6" before.
  const n = conn.ok ? conn.value.serverVersionNum : undefined;
  const major = n === undefined ? undefined : n >= 100000 ? String(Math.floor(n / 10000)) : `${Math.floor(n / 10000)}.${Math.floor(n / 100) % 100}`;
  if (!id || !id.ok) return { major, note: `system id not compared: ${!id ? 'not available' : id.reason}` };
  return { systemId: id.value, major, note: `system ${id.value}${major ? `, PostgreSQL ${major}` : ''}` };
}

function unreadable(name: string, o: Observed<unknown>): { status: Status; text: string; kind: string } | undefined {
  if (o.ok) return undefined;
  return { status: infoFailureStatus(o.kind), text: `${name}: ${o.reason}`, kind: o.kind };
}

function sourceDetails(x: InfoSource): Record<string, unknown> {
  return { source: x.source, encrypted: x.encrypted, ...(x.mainProblem ? { mainProblem: x.mainProblem } : {}) };
}
