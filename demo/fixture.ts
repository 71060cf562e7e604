/**
 * Facts about the captured repository in demo/fixtures (written by scripts/capture-demo-repo.sh): its WAL
 * segments, its backup.info and what PostgreSQL reported when it was captured. Read once at demo start.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the committed fixture lives. */
export const FIXTURE_DIR = join(__dirname, 'fixtures');

/** What scripts/capture-demo-repo.sh recorded next to the repository. */
export interface CaptureMeta {
  capturedAt: string;
  stanza: string;
  compressType: string;
  pgbackrestVersion: string;
  archiver: { archivedCount: number; lastArchivedWal: string; currentLsn: string; walSegmentSizeBytes: string; serverVersion: string; systemIdentifier: string };
}

/** The fixture as the demo uses it. */
export interface Fixture {
  /** Root of the repository tree (keys are relative to it). */
  repoDir: string;
  meta: CaptureMeta;
  /** backup/<stanza>/backup.info as captured. */
  backupInfo: string;
  /** Archived WAL segment names (24 hex), sorted. */
  segments: string[];
}

const SEGMENT_FILE = /^([0-9A-F]{24})-[0-9a-f]{40}(\.\w+)?$/;

/** Loads the fixture; a missing or partial one names the script that rebuilds it. */
export function loadFixture(dir = FIXTURE_DIR): Fixture {
  const repoDir = join(dir, 'repo');
  const metaFile = join(dir, 'capture.json');
  if (!existsSync(metaFile) || !existsSync(repoDir)) throw new Error(`demo fixture missing in ${dir}; run scripts/capture-demo-repo.sh`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CaptureMeta;
  const archiveDir = join(repoDir, 'archive', meta.stanza);
  const segments = readdirSync(archiveDir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => SEGMENT_FILE.exec(d.name)?.[1])
    .filter((s): s is string => Boolean(s))
    .sort();
  if (segments.length === 0) throw new Error(`demo fixture ${archiveDir} holds no WAL segment; run scripts/capture-demo-repo.sh`);
  return { repoDir, meta, backupInfo: readFileSync(join(repoDir, 'backup', meta.stanza, 'backup.info'), 'utf8'), segments };
}

/** The WAL segment `n` after `name` on the same timeline (16 MiB segments: 256 per log file). */
export function segmentAfter(name: string, n: number, segmentSizeBytes = 16 * 1024 * 1024): string {
  const perLog = 0x100000000n / BigInt(segmentSizeBytes);
  const tli = name.slice(0, 8);
  const segno = BigInt(`0x${name.slice(8, 16)}`) * perLog + BigInt(`0x${name.slice(16, 24)}`) + BigInt(n);
  const hex = (v: bigint) => v.toString(16).toUpperCase().padStart(8, '0');
  return `${tli}${hex(segno / perLog)}${hex(segno % perLog)}`;
}

/** The LSN `offset` bytes into a segment, as `X/Y`. */
export function lsnIn(name: string, offset: number, segmentSizeBytes = 16 * 1024 * 1024): string {
  const perLog = 0x100000000n / BigInt(segmentSizeBytes);
  const segno = BigInt(`0x${name.slice(8, 16)}`) * perLog + BigInt(`0x${name.slice(16, 24)}`);
  const pos = segno * BigInt(segmentSizeBytes) + BigInt(offset);
  return `${(pos >> 32n).toString(16).toUpperCase()}/${(pos & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** WAL segment size in bytes from the captured `current_setting('wal_segment_size')` text (`16MB`, `1GB`). */
export function segmentSizeBytes(setting: string): number {
  const m = /^(\d+)\s*(kB|MB|GB)$/.exec(setting.trim());
  if (!m) throw new Error(`capture.json archiver.walSegmentSizeBytes is ${JSON.stringify(setting)}, expected a size such as "16MB"`);
  return Number(m[1]) * { kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[m[2] as 'kB' | 'MB' | 'GB'];
}
