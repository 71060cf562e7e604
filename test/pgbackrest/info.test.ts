import { BACKUP_INFO_245 } from '../support/pgbackrest-samples';
import { computeInfoChecksum, InfoParseError, parseArchiveInfo, parseBackupInfo, parseInfoText, verifyInfoChecksum } from '../../lambdas/pgbackrest/info';

const BACKUP_INFO = BACKUP_INFO_245;

const ARCHIVE_INFO = `[backrest]
backrest-format=5
backrest-version="2.45"

[db]
db-id=1
db-system-id=7715055160074999140
db-version="15"

[db:history]
1={"db-id":7715055160074999140,"db-version":"15"}

[backrest]
backrest-checksum="7ebe2804c9f33440a2f6a9fd94a2d6da4ae38415"
`;

describe('verifyInfoChecksum', () => {
  it('matches the reference vector b34b238ce89d8e1365c9e392ce59e7b03342ceb9', () => {
    const text = [
      '[backrest]',
      'backrest-format=5',
      'backrest-version="2.04dev"',
      '',
      '[db]',
      'db-id=1',
      'db-system-id=6569239123849665679',
      'db-version="9.4"',
      '',
      '[db:history]',
      '1={"db-id":6569239123849665679,"db-version":"9.4"}',
      '',
      '[backrest]',
      'backrest-checksum="b34b238ce89d8e1365c9e392ce59e7b03342ceb9"',
      '',
    ].join('\n');
    expect(verifyInfoChecksum(text)).toEqual({ valid: true, stored: 'b34b238ce89d8e1365c9e392ce59e7b03342ceb9', computed: 'b34b238ce89d8e1365c9e392ce59e7b03342ceb9' });
  });

  it('verifies backup.info and archive.info as pgBackRest 2.45 wrote them', () => {
    expect(verifyInfoChecksum(BACKUP_INFO).valid).toBe(true);
    expect(verifyInfoChecksum(ARCHIVE_INFO).valid).toBe(true);
  });

  it('detects a one-character edit', () => {
    const v = verifyInfoChecksum(BACKUP_INFO.replace('"backup-timestamp-stop":1796301274', '"backup-timestamp-stop":1796301275'));
    expect(v.valid).toBe(false);
    expect(v.stored).toBe('1ccdd458c382860c2bf7c766a65fbb22c2d43697');
  });

  it('reports a file without backrest-checksum as invalid', () => {
    const v = verifyInfoChecksum(ARCHIVE_INFO.replace(/\n\[backrest\]\nbackrest-checksum=.*\n/, '\n'));
    expect(v.valid).toBe(false);
    expect(v.stored).toBeUndefined();
  });
});

describe('parseInfoText', () => {
  it('keeps both [backrest] sections instead of letting the second overwrite the first', () => {
    const doc = parseInfoText(ARCHIVE_INFO);
    expect(doc.sections.map((s) => s.name)).toEqual(['backrest', 'db', 'db:history', 'backrest']);
    expect(doc.sections[0].entries.map((e) => e.key)).toEqual(['backrest-format', 'backrest-version']);
    expect(doc.sections[3].entries.map((e) => e.key)).toEqual(['backrest-checksum']);
  });

  it('splits at the "=" after which the value is valid JSON, so keys may contain "="', () => {
    const doc = parseInfoText('[s]\na=b="x=y"\nplain={"k":"v=w"}\n');
    expect(doc.sections[0].entries.map((e) => [e.key, e.value])).toEqual([
      ['a=b', 'x=y'],
      ['plain', { k: 'v=w' }],
    ]);
  });

  it('checksums a key containing "=" the way pgBackRest does', () => {
    const doc = parseInfoText('[s]\na=b="x"\n');
    expect(computeInfoChecksum(doc)).toBe(require('node:crypto').createHash('sha1').update('{"s":{"a=b":"x"}}').digest('hex'));
  });

  it('names the file and line of a value that is not JSON', () => {
    expect(() => parseInfoText('[db]\ndb-id=1\ndb-version=15.x\n', 'backup/chronos/backup.info')).toThrow(
      new InfoParseError('backup/chronos/backup.info line 3: expected key=<JSON value> in [db], got "db-version=15.x"'),
    );
  });

  it('rejects text that is not an info file (e.g. decrypted with the wrong pass) with the file named', () => {
    expect(() => parseInfoText('', 'archive.info')).toThrow(/archive.info: empty or not an info file/);
    expect(() => parseInfoText('garbage\n', 'archive.info')).toThrow(/archive.info line 1: key before any \[section\]/);
    expect(() => parseInfoText('[unterminated\n', 'archive.info')).toThrow(/archive.info line 1: malformed section header/);
  });

  it('accepts CRLF line ends', () => {
    expect(verifyInfoChecksum(ARCHIVE_INFO.replace(/\n/g, '\r\n')).valid).toBe(true);
  });
});

describe('parseBackupInfo', () => {
  const info = parseBackupInfo(BACKUP_INFO);

  it('keeps db-system-id beyond 2^53 exact, as a string', () => {
    expect(info.systemId).toBe('7715055160074999140');
    expect(info.history).toEqual([{ id: 1, systemId: '7715055160074999140', version: '15' }]);
    expect(Number(info.systemId)).not.toBe(7715055160074999140n.toString());
  });

  it('reads each backup with epoch timestamps, WAL range, lineage and options', () => {
    expect(info).toMatchObject({ format: 5, version: '2.45', dbVersion: '15', dbId: 1 });
    expect(info.cipherPass).toBeUndefined();
    expect(info.backups).toHaveLength(2);
    expect(info.backups[0]).toEqual({
      label: '20261203-123431F',
      type: 'full',
      timestampStart: 1796301271,
      timestampStop: 1796301274,
      archiveStart: '000000010000000000000002',
      archiveStop: '000000010000000000000003',
      lsnStart: '0/2000028',
      lsnStop: '0/3000050',
      error: false,
      repoSize: 3043471,
      size: 22992623,
      repoSizeDelta: 3043471,
      sizeDelta: 22992623,
      dbId: 1,
      backrestVersion: '2.45',
      options: { 'archive-check': true, 'archive-copy': false, 'backup-standby': false, 'checksum-page': false, compress: true, hardlink: false, online: true },
    });
    expect(info.backups[1]).toMatchObject({ type: 'diff', prior: '20261203-123431F', reference: ['20261203-123431F'], timestampStop: 1796301276 });
  });

  it('leaves backup-error undefined (unknown) when pgBackRest before 2.36 did not write it', () => {
    const old = parseBackupInfo(BACKUP_INFO.replace('"backup-error":false,', ''));
    expect(old.backups[0].error).toBeUndefined();
  });

  it('reads null archive-start/stop of offline backups as null', () => {
    const off = parseBackupInfo(BACKUP_INFO.replace('"backup-archive-start":"000000010000000000000002","backup-archive-stop":"000000010000000000000003"', '"backup-archive-start":null,"backup-archive-stop":null'));
    expect(off.backups[0]).toMatchObject({ archiveStart: null, archiveStop: null });
  });

  it('reads a repository without backups as an empty list', () => {
    const empty = parseBackupInfo(BACKUP_INFO.replace(/\[backup:current\]\n(.+\n)+\n/, ''));
    expect(empty.backups).toEqual([]);
  });

  it('names the label and key when a required field is missing or mistyped', () => {
    expect(() => parseBackupInfo(BACKUP_INFO.replace('"backup-timestamp-stop":1796301274,', ''), 'backup/chronos/backup.info')).toThrow(
      'backup/chronos/backup.info line 6 [backup:current] 20261203-123431F: "backup-timestamp-stop" is missing',
    );
    expect(() => parseBackupInfo(BACKUP_INFO.replace('"backup-type":"full"', '"backup-type":"snapshot"'))).toThrow(/20261203-123431F.backup-type must be full, diff or incr, got "snapshot"/);
    expect(() => parseBackupInfo(BACKUP_INFO.replace('db-system-id=7715055160074999140', 'db-system-id="abc"'))).toThrow(/\[db\] db-system-id must be an unsigned integer/);
    expect(() => parseBackupInfo(BACKUP_INFO.replace(/\[db\]\n/, '[dbx]\n'))).toThrow('backup.info: [db] db-system-id is missing');
  });

  const implausible = 'not a plausible epoch time (expected whole seconds between 2000-01-01 and 2200-01-01)';
  it.each([
    ['backup-timestamp-stop', '99999999999999', 'backup-timestamp-stop', `is 99999999999999: ${implausible}`],
    ['backup-timestamp-stop', '-5', 'backup-timestamp-stop', `is -5: ${implausible}`],
    ['backup-timestamp-start', '0', 'backup-timestamp-start', `is 0: ${implausible}`],
    ['backup-timestamp-stop', '1796301270', 'backup-timestamp-stop', 'is 1796301270, before backup-timestamp-start 1796301271'],
  ])('rejects %s = %s, naming the file, the line and the key', (key, value, named, why) => {
    const bad = BACKUP_INFO.replace(new RegExp(`"${key}":\\d+`), `"${key}":${value}`);
    expect(bad).not.toBe(BACKUP_INFO);
    expect(() => parseBackupInfo(bad, 'backup/chronos/backup.info')).toThrow(new InfoParseError(`backup/chronos/backup.info line 6 [backup:current] 20261203-123431F.${named} ${why}`));
  });

  it('reads the [cipher] sub-pass of an encrypted repository', () => {
    const enc = parseBackupInfo(BACKUP_INFO.replace('[db]\n', '[cipher]\ncipher-pass="c3ViLXBhc3M="\n\n[db]\n'));
    expect(enc.cipherPass).toBe('c3ViLXBhc3M=');
  });
});

describe('parseArchiveInfo', () => {
  it('reads the archive id and the history system id stored under "db-id" (pgBackRest typo)', () => {
    const a = parseArchiveInfo(ARCHIVE_INFO);
    expect(a).toEqual({ format: 5, version: '2.45', systemId: '7715055160074999140', dbVersion: '15', dbId: 1, archiveId: '15-1', history: [{ id: 1, systemId: '7715055160074999140', version: '15' }] });
  });
});
