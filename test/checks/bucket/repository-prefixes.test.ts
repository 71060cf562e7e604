import { classesUnderPrefix, repositoryKeyPrefix } from '../../../lambdas/checks/bucket/repository-prefixes';

const under = (prefix: string) => classesUnderPrefix(prefix, '/var/lib/pgbackrest', 'chronos').sort();

describe('repositoryKeyPrefix', () => {
  it('strips the leading slash of repo1-path as pgBackRest does on S3', () => {
    expect(repositoryKeyPrefix('/var/lib/pgbackrest')).toBe('var/lib/pgbackrest/');
    expect(repositoryKeyPrefix('/var/lib/pgbackrest/')).toBe('var/lib/pgbackrest/');
    expect(repositoryKeyPrefix('/')).toBe('');
  });
});

describe('classesUnderPrefix', () => {
  it('reaches every file from the bucket root or the repository path', () => {
    const all = ['archiveInfo', 'backupHistory', 'backupInfo', 'backups', 'history', 'wal'];
    expect(under('')).toEqual(all);
    expect(under('var/lib/pgbackrest/')).toEqual(all);
    expect(under('var/')).toEqual(all);
  });

  it('reaches history files and WAL from the archive id level', () => {
    expect(under('var/lib/pgbackrest/archive/chronos/16-1/')).toEqual(['history', 'wal']);
    expect(under('var/lib/pgbackrest/archive/chronos/16-1/00000002.history')).toEqual(['history']);
    expect(under('var/lib/pgbackrest/archive/chronos/16-1/0000000100000000/')).toEqual(['wal']);
    expect(under('var/lib/pgbackrest/archive/chronos/archive.info')).toEqual(['archiveInfo']);
  });

  it('tells backup sets from backup.info and backup.history', () => {
    expect(under('var/lib/pgbackrest/backup/chronos/backup.history/')).toEqual(['backupHistory']);
    expect(under('var/lib/pgbackrest/backup/chronos/backup.info')).toEqual(['backupInfo']);
    expect(under('var/lib/pgbackrest/backup/chronos/2025')).toEqual(['backups']);
  });

  it('reaches nothing for other prefixes or other stanzas', () => {
    expect(under('logs/')).toEqual([]);
    expect(under('var/lib/pgbackrest/archive/other/')).toEqual([]);
  });
});
