/**
 * WAL segment names as PostgreSQL and pgBackRest write them (`%08X%08X%08X` of timeline, log, seg).
 *
 * A segment is identified here by (timeline, segno) where segno = log * N + seg and
 * N = 2^32 / wal_segment_size. segno stays below 2^44 for every legal segment size (1 MiB .. 1 GiB),
 * so plain numbers are exact; LSNs are split into their two 32-bit halves and never combined into
 * one 64-bit number.
 */

/** The kinds of file found in a pgBackRest WAL archive. */
export type WalFileKind = 'segment' | 'partial' | 'backup' | 'history';

/** A file name from the repository's archive, parsed. */
export interface RepoWalName {
  /** What the file is. */
  kind: WalFileKind;
  /** The file name as listed. */
  file: string;
  /** Timeline id. */
  tli: number;
  /** The 24-hex segment name (absent for `.history`). */
  segment?: string;
  /** High 32 bits of the segment's start LSN. */
  log?: number;
  /** Segment number within the log. */
  seg?: number;
  /** SHA-1 of the uncompressed file (segments and `.partial`). */
  sha1?: string;
  /** Compression extension without the dot, when compressed. */
  compression?: string;
}

/** A name as PostgreSQL reports it in pg_stat_archiver (`last_archived_wal`). */
export interface PgWalName {
  /** What the file is. */
  kind: WalFileKind;
  /** Timeline id. */
  tli: number;
  /** The 24-hex segment (absent for `.history`). */
  segment?: string;
}

const COMPRESS = '(?:\\.(gz|bz2|lz4|zst|xz))?';
const SEGMENT_RE = new RegExp(`^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})-([0-9a-f]{40})${COMPRESS}$`);
const PARTIAL_RE = new RegExp(`^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})\\.partial-([0-9a-f]{40})${COMPRESS}$`);
const BACKUP_RE = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})\.([0-9A-F]{8})\.backup$/;
const HISTORY_RE = /^([0-9A-F]{8})\.history$/;
/** A 16-hex WAL folder (timeline + log) under `<archiveId>/`. */
export const WAL_DIR_RE = /^[0-9A-F]{16}$/;
/** A bare 24-hex segment name. */
export const SEGMENT_NAME_RE = /^[0-9A-F]{24}$/;

const hex = (s: string): number => parseInt(s, 16);
const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, '0');

/** Parses one file name from `archive/<stanza>/<archiveId>/...`; undefined for anything pgBackRest does not write. */
export function parseRepoWalName(file: string): RepoWalName | undefined {
  let m = SEGMENT_RE.exec(file);
  if (m) return { kind: 'segment', file, tli: hex(m[1]), segment: m[1] + m[2] + m[3], log: hex(m[2]), seg: hex(m[3]), sha1: m[4], compression: m[5] };
  m = PARTIAL_RE.exec(file);
  if (m) return { kind: 'partial', file, tli: hex(m[1]), segment: m[1] + m[2] + m[3], log: hex(m[2]), seg: hex(m[3]), sha1: m[4], compression: m[5] };
  m = BACKUP_RE.exec(file);
  if (m) return { kind: 'backup', file, tli: hex(m[1]), segment: m[1] + m[2] + m[3], log: hex(m[2]), seg: hex(m[3]) };
  m = HISTORY_RE.exec(file);
  if (m) return { kind: 'history', file, tli: hex(m[1]) };
  return undefined;
}

/** Parses a name PostgreSQL reports (`<24hex>`, `<24hex>.partial`, `<24hex>.<8hex>.backup`, `<8hex>.history`). */
export function parsePgWalName(name: string): PgWalName | undefined {
  let m = /^([0-9A-F]{8})[0-9A-F]{16}(\.partial)?$/.exec(name);
  if (m) return { kind: m[2] ? 'partial' : 'segment', tli: hex(m[1]), segment: name.slice(0, 24) };
  m = /^([0-9A-F]{8})[0-9A-F]{16}\.[0-9A-F]{8}\.backup$/.exec(name);
  if (m) return { kind: 'backup', tli: hex(m[1]), segment: name.slice(0, 24) };
  m = HISTORY_RE.exec(name);
  if (m) return { kind: 'history', tli: hex(m[1]) };
  return undefined;
}

/** True for a legal wal_segment_size: a power of two from 1 MiB to 1 GiB. */
export function isValidSegmentSize(bytes: number): boolean {
  return Number.isInteger(bytes) && bytes >= 1 << 20 && bytes <= 1 << 30 && (bytes & (bytes - 1)) === 0;
}

/** Segments per log (per 16-hex folder): 2^32 / wal_segment_size (256 for 16 MiB). */
export function segmentsPerLog(segmentSize: number): number {
  if (!isValidSegmentSize(segmentSize)) throw new RangeError(`wal_segment_size must be a power of two from 1 MiB to 1 GiB, got ${segmentSize}`);
  return 0x100000000 / segmentSize;
}

/** A segment position: timeline and absolute segment number. */
export interface SegPos {
  /** Timeline id. */
  tli: number;
  /** log * segmentsPerLog + seg. */
  segno: number;
}

/** Parses a 24-hex segment name into (tli, segno); undefined when malformed or when seg exceeds the last one for this size. */
export function segmentPos(name: string, segmentSize: number): SegPos | undefined {
  if (!SEGMENT_NAME_RE.test(name)) return undefined;
  const n = segmentsPerLog(segmentSize);
  const seg = hex(name.slice(16, 24));
  if (seg >= n) return undefined;
  return { tli: hex(name.slice(0, 8)), segno: hex(name.slice(8, 16)) * n + seg };
}

/** Formats (tli, segno) as the 24-hex segment name. */
export function segmentName(tli: number, segno: number, segmentSize: number): string {
  const n = segmentsPerLog(segmentSize);
  return hex8(tli) + hex8(Math.floor(segno / n)) + hex8(segno % n);
}

/** The 16-hex folder (timeline + log) holding a segment. */
export function walDirOf(segment: string): string {
  return segment.slice(0, 16);
}

/** The segment after `name` on the same timeline, rolling over to the next log after the last segment. */
export function nextSegment(name: string, segmentSize: number): string {
  const p = segmentPos(name, segmentSize);
  if (!p) throw new RangeError(`not a WAL segment name for ${segmentSize}-byte segments: ${name}`);
  return segmentName(p.tli, p.segno + 1, segmentSize);
}

/** The segment before `name` on the same timeline; undefined before the first one. */
export function previousSegment(name: string, segmentSize: number): string | undefined {
  const p = segmentPos(name, segmentSize);
  if (!p) throw new RangeError(`not a WAL segment name for ${segmentSize}-byte segments: ${name}`);
  return p.segno === 0 ? undefined : segmentName(p.tli, p.segno - 1, segmentSize);
}

/** An LSN split into its 32-bit halves (`X/Y`). */
export interface Lsn {
  /** X of `X/Y`. */
  hi: number;
  /** Y of `X/Y`. */
  lo: number;
}

/** Parses `X/Y`; undefined when malformed. */
export function parseLsn(text: string): Lsn | undefined {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  return m ? { hi: hex(m[1]), lo: hex(m[2]) } : undefined;
}

/** Formats an LSN as PostgreSQL does (`16/B374D848`). */
export function formatLsn(lsn: Lsn): string {
  return `${lsn.hi.toString(16).toUpperCase()}/${lsn.lo.toString(16).toUpperCase()}`;
}

/** The absolute segment number holding an LSN (XLByteToSeg). */
export function lsnToSegno(lsn: Lsn, segmentSize: number): number {
  return lsn.hi * segmentsPerLog(segmentSize) + Math.floor(lsn.lo / segmentSize);
}

/** Compares two LSNs: negative, zero or positive. */
export function compareLsn(a: Lsn, b: Lsn): number {
  return a.hi - b.hi || a.lo - b.lo;
}

/** Orders segment names by position (segno), then timeline; names are fixed-width uppercase hex. */
export function compareSegmentNames(a: string, b: string): number {
  const ka = a.slice(8, 24) + a.slice(0, 8);
  const kb = b.slice(8, 24) + b.slice(0, 8);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Every segment name from `first` to `last` inclusive on first's timeline; throws past `limit` names (a bug guard). */
export function expandSegmentRange(first: string, last: string, segmentSize: number, limit = 1_000_000): string[] {
  const a = segmentPos(first, segmentSize);
  const b = segmentPos(last, segmentSize);
  if (!a || !b) throw new RangeError(`not a WAL segment range for ${segmentSize}-byte segments: ${first}..${last}`);
  if (b.segno - a.segno + 1 > limit) throw new RangeError(`segment range ${first}..${last} exceeds ${limit} segments`);
  const out: string[] = [];
  for (let s = a.segno; s <= b.segno; s++) out.push(segmentName(a.tli, s, segmentSize));
  return out;
}
