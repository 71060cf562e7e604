import type { CheckDefinition } from '../../core/check';
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

function unreadable(name: string, o: Observed<unknown>): { status: Status; text: string; kind: string } | undefined {
  if (o.ok) return undefined;
  return { status: infoFailureStatus(o.kind), text: `${name}: ${o.reason}`, kind: o.kind };
}

function sourceDetails(x: InfoSource): Record<string, unknown> {
  return { source: x.source, encrypted: x.encrypted, ...(x.mainProblem ? { mainProblem: x.mainProblem } : {}) };
}
