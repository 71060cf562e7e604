import {
  compareSegmentNames,
  expandSegmentRange,
  lsnToSegno,
  nextSegment,
  parseLsn,
  parsePgWalName,
  parseRepoWalName,
  previousSegment,
  segmentName,
  segmentPos,
  segmentsPerLog,
} from '../../lambdas/pgbackrest/wal';

const MiB = 1 << 20;
const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('WAL segment arithmetic', () => {
  it.each([
    [1 * MiB, 4096, '00000001000000AB00000FFF', '00000001000000AC00000000'],
    [16 * MiB, 256, '00000001000000AB000000FF', '00000001000000AC00000000'],
    [64 * MiB, 64, '00000001000000AB0000003F', '00000001000000AC00000000'],
    [1024 * MiB, 4, '00000001000000AB00000003', '00000001000000AC00000000'],
  ])('rolls over to the next log after the last segment for %i-byte segments (%i per log)', (size, n, last, next) => {
    expect(segmentsPerLog(size)).toBe(n);
    expect(nextSegment(last, size)).toBe(next);
    expect(previousSegment(next, size)).toBe(last);
  });

  it('rejects a segment number past the last one for the size (00000040 does not exist with 64 MiB)', () => {
    expect(segmentPos('000000010000000000000040', 64 * MiB)).toBeUndefined();
    expect(segmentPos('000000010000000000000040', 16 * MiB)).toEqual({ tli: 1, segno: 0x40 });
    expect(() => nextSegment('0000000100000000000000FF', 64 * MiB)).toThrow(/not a WAL segment name/);
  });

  it('reads hex timelines above 9 (0000000A is timeline 10)', () => {
    expect(segmentPos('0000000A00000002000000FE', 16 * MiB)).toEqual({ tli: 10, segno: 2 * 256 + 0xfe });
    expect(segmentName(10, 2 * 256 + 0xfe, 16 * MiB)).toBe('0000000A00000002000000FE');
  });

  it('has no segment before the very first one', () => {
    expect(previousSegment('000000010000000000000000', 16 * MiB)).toBeUndefined();
  });

  it.each([
    ['0/3000000', 16 * MiB, 3],
    ['A2/C1000028', 16 * MiB, 0xa2 * 256 + 0xc1],
    ['1/FFFFFFFF', 1 * MiB, 4096 + 4095],
    ['5/8C000000', 64 * MiB, 5 * 64 + 0x23],
  ])('maps LSN %s to its segment for %i-byte segments', (lsn, size, segno) => {
    expect(lsnToSegno(parseLsn(lsn)!, size)).toBe(segno);
  });

  it('refuses malformed LSNs and illegal segment sizes', () => {
    expect(parseLsn('0/')).toBeUndefined();
    expect(parseLsn('G/1')).toBeUndefined();
    expect(() => segmentsPerLog(3 * MiB)).toThrow(/power of two/);
    expect(() => segmentsPerLog(2048 * MiB)).toThrow(/power of two/);
  });

  it('expands a range across a log boundary and orders names by position', () => {
    expect(expandSegmentRange('00000001000000000000003E', '000000010000000100000001', 64 * MiB)).toEqual([
      '00000001000000000000003E',
      '00000001000000000000003F',
      '000000010000000100000000',
      '000000010000000100000001',
    ]);
    expect(compareSegmentNames('000000020000000000000005', '000000010000000000000006')).toBeLessThan(0);
    expect(compareSegmentNames('000000020000000000000005', '000000010000000000000005')).toBeGreaterThan(0);
  });
});

describe('repository WAL file names', () => {
  it.each(['', '.gz', '.bz2', '.lz4', '.zst', '.xz'])('parses a segment with compression "%s"', (ext) => {
    expect(parseRepoWalName(`0000000A00000001000000FF-${SHA}${ext}`)).toMatchObject({
      kind: 'segment',
      tli: 10,
      segment: '0000000A00000001000000FF',
      log: 1,
      seg: 0xff,
      sha1: SHA,
      compression: ext ? ext.slice(1) : undefined,
    });
  });

  it('tells .partial, .backup and .history files from segments', () => {
    expect(parseRepoWalName(`000000010000000000000005.partial-${SHA}.gz`)).toMatchObject({ kind: 'partial', segment: '000000010000000000000005' });
    expect(parseRepoWalName('000000010000000000000003.00000028.backup')).toMatchObject({ kind: 'backup', segment: '000000010000000000000003' });
    expect(parseRepoWalName('0000000B.history')).toEqual({ kind: 'history', file: '0000000B.history', tli: 11 });
  });

  it.each([
    '000000010000000000000005',
    `000000010000000000000005-${SHA}.gz.tmp`,
    `00000001000000000000000g-${SHA}`,
    `000000010000000000000005-${SHA.toUpperCase()}`,
    '000000010000000000000005.partial',
    'archive.info',
    '1.history',
  ])('ignores a name pgBackRest does not write: %s', (name) => {
    expect(parseRepoWalName(name)).toBeUndefined();
  });

  it('parses the names pg_stat_archiver reports', () => {
    expect(parsePgWalName('000000020000000000000007')).toEqual({ kind: 'segment', tli: 2, segment: '000000020000000000000007' });
    expect(parsePgWalName('000000010000000000000007.partial')).toEqual({ kind: 'partial', tli: 1, segment: '000000010000000000000007' });
    expect(parsePgWalName('000000010000000000000003.00000028.backup')).toEqual({ kind: 'backup', tli: 1, segment: '000000010000000000000003' });
    expect(parsePgWalName('00000002.history')).toEqual({ kind: 'history', tli: 2 });
    expect(parsePgWalName('garbage')).toBeUndefined();
  });
});
