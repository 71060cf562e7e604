/**
 * Which kinds of pgBackRest repository files an S3 key prefix reaches. Pure: the layout is pgBackRest's
 * (`<repo path without leading />/archive/<stanza>/...` and `.../backup/<stanza>/...`).
 */

/** A kind of repository file, by how long pgBackRest keeps it and whether a restore needs it. */
export type RepoFileClass = 'history' | 'archiveInfo' | 'wal' | 'backupInfo' | 'backups' | 'backupHistory';

/** What each class is, for messages: example keys and why it lives as long as it does. */
export const FILE_CLASS_TEXT: Record<RepoFileClass, string> = {
  history: 'timeline history files archive/<stanza>/<id>/0000000N.history (kept as long as their timeline lives; every restore on timeline N needs them)',
  archiveInfo: 'archive/<stanza>/archive.info(.copy) (re-saved at every backup)',
  wal: 'WAL segments from the oldest retained full onward',
  backupInfo: 'backup/<stanza>/backup.info(.copy) (re-saved at every backup)',
  backups: 'backup sets backup/<stanza>/<label>/ up to the oldest retained full',
  backupHistory: 'backup/<stanza>/backup.history/ manifest copies (not needed for a restore)',
};

/** The key prefix of a repository path: `/var/lib/pgbackrest` → `var/lib/pgbackrest/`, `/` → ``. */
export function repositoryKeyPrefix(repoPath: string): string {
  const p = repoPath.replace(/^\/+/, '').replace(/\/+$/, '');
  return p ? `${p}/` : '';
}

/** The file classes a lifecycle rule prefix reaches in the repository of `stanza` under `repoPath`. */
export function classesUnderPrefix(rulePrefix: string, repoPath: string, stanza: string): RepoFileClass[] {
  const base = repositoryKeyPrefix(repoPath);
  const archive = `${base}archive/${stanza}/`;
  const backup = `${base}backup/${stanza}/`;
  const out: RepoFileClass[] = [];
  // Prefix above the stanza directory: reaches everything in it.
  if (archive.startsWith(rulePrefix)) out.push('history', 'archiveInfo', 'wal');
  else if (rulePrefix.startsWith(archive)) out.push(...archiveClasses(rulePrefix.slice(archive.length)));
  if (backup.startsWith(rulePrefix)) out.push('backupInfo', 'backups', 'backupHistory');
  else if (rulePrefix.startsWith(backup)) {
    const rest = rulePrefix.slice(backup.length);
    if ('backup.info'.startsWith(rest) || rest.startsWith('backup.info')) out.push('backupInfo');
    if ('backup.history'.startsWith(rest) || rest.startsWith('backup.history')) out.push('backupHistory');
    // Backup labels start with the date: 20251129-110002F.
    if (/^\d/.test(rest)) out.push('backups');
  }
  return [...new Set(out)];
}

/** Classes reachable by a prefix that goes below `archive/<stanza>/` (`rest` is the part below it). */
function archiveClasses(rest: string): RepoFileClass[] {
  if (rest.startsWith('archive.info') || 'archive.info'.startsWith(rest)) return ['archiveInfo'];
  // `<archive id>/` holds both `<8 hex>.history` files and the 16-hex WAL directories.
  if (/^\d+(-\d*)?$/.test(rest) || /^\d+-\d+\/[0-9A-F]{0,8}$/.test(rest)) return ['history', 'wal'];
  if (/^\d+-\d+\/[0-9A-F]{8}\./.test(rest)) return ['history'];
  if (/^\d+-\d+\/[0-9A-F]{9,}/.test(rest)) return ['wal'];
  return [];
}
