/**
 * Lists the WAL archive of one archive id with as few requests as a run needs: one delimiter listing of
 * `archive/<stanza>/<archiveId>/` (history files + 16-hex folders), then only the folders asked for.
 * Folders verified complete in an earlier run come from the state instead of S3 (see {@link DirCacheEntry}).
 */
import { failed, observed, type Observed } from '../core/observed';
import type { RepositoryStore } from '../core/ports';
import { parseRepoWalName, WAL_DIR_RE } from './wal';

/** What the archive-id folder holds: history files by timeline and the 16-hex WAL folders. */
export interface ArchiveRoot {
  /** Key prefix of the archive id folder, ending in `/`. */
  prefix: string;
  /** Timeline → key of its `.history` file. */
  historyKeys: Map<number, string>;
  /** 16-hex folder names (timeline + log), sorted. */
  dirs: string[];
  /** Names directly under the folder that pgBackRest does not write (reported, never trusted). */
  unexpected: string[];
  /** Requests the listing took. */
  requests: number;
}

/** One segment seen in a listing. */
export interface SeenFile {
  /** File name. */
  file: string;
  /** LastModified, epoch ms. */
  modified: number;
}

/** The contents of one 16-hex folder, from a listing or from the verified cache. */
export interface DirContents {
  /** 16-hex folder name. */
  dir: string;
  /** Timeline of the folder. */
  tli: number;
  /** Log (high 32 bits of the LSN) of the folder. */
  log: number;
  /** Listed this run, or restored from the verified cache. */
  source: 'listed' | 'cached';
  /** Listed: segment number within the log → the file (first one when a segment was pushed twice). */
  segments: Map<number, SeenFile>;
  /** Cached: every segment from lo to hi (within the log) was present when verified. */
  cached?: DirCacheEntry;
  /** `.partial` files (never counted as segments). */
  partials: SeenFile[];
  /** PostgreSQL backup-history files. */
  backupFiles: SeenFile[];
  /** Names in the folder that are not WAL files pgBackRest writes. */
  unexpected: string[];
}

/**
 * What the state remembers about a folder proven contiguous up to its last segment. Such a folder can
 * only change by deletion (expire, lifecycle rule, an operator), which the periodic full re-verification
 * catches; between two full verifications a hole punched into an old folder goes unseen — the price of
 * O(new segments) requests per run.
 */
export interface DirCacheEntry {
  /** First verified segment within the log. */
  lo: number;
  /** Last verified segment within the log (the log's last). */
  hi: number;
  /** Newest LastModified (epoch ms) seen in the folder and the name of its last segment. */
  newestModified: number;
  lastFile: string;
  /** When it was verified, epoch ms. */
  verifiedAt: number;
}

const lastElement = (keyOrPrefix: string): string => keyOrPrefix.replace(/\/+$/, '').split('/').pop() ?? '';

/** Lists `archive/<stanza>/<archiveId>/`. */
export async function listArchiveRoot(store: RepositoryStore, prefix: string, signal?: AbortSignal): Promise<Observed<ArchiveRoot>> {
  const l = await store.list(prefix, signal);
  if (!l.ok) return l;
  const historyKeys = new Map<number, string>();
  const unexpected: string[] = [];
  for (const o of l.value.objects) {
    const name = lastElement(o.key);
    const p = parseRepoWalName(name);
    if (p?.kind === 'history') historyKeys.set(p.tli, o.key);
    else unexpected.push(name);
  }
  const dirs: string[] = [];
  for (const pre of l.value.prefixes) {
    const name = lastElement(pre);
    if (WAL_DIR_RE.test(name)) dirs.push(name);
    else unexpected.push(`${name}/`);
  }
  dirs.sort();
  return observed({ prefix, historyKeys, dirs, unexpected, requests: l.value.requests });
}

/** Lists one 16-hex folder; `invalid` when it holds a segment whose number is past the last one for the segment size. */
export async function listWalDir(
  store: RepositoryStore,
  prefix: string,
  dir: string,
  segmentsPerLog: number,
  signal?: AbortSignal,
): Promise<Observed<{ contents: DirContents; requests: number }>> {
  const l = await store.list(`${prefix}${dir}/`, signal);
  if (!l.ok) return l;
  const contents: DirContents = {
    dir,
    tli: parseInt(dir.slice(0, 8), 16),
    log: parseInt(dir.slice(8, 16), 16),
    source: 'listed',
    segments: new Map(),
    partials: [],
    backupFiles: [],
    unexpected: [],
  };
  for (const o of l.value.objects) {
    const file = lastElement(o.key);
    const p = parseRepoWalName(file);
    const seen = { file, modified: o.lastModified.getTime() };
    if (!p || p.kind === 'history' || p.segment?.slice(0, 16) !== dir) {
      contents.unexpected.push(file);
      continue;
    }
    if (p.kind === 'partial') contents.partials.push(seen);
    else if (p.kind === 'backup') contents.backupFiles.push(seen);
    else {
      if ((p.seg as number) >= segmentsPerLog) {
        return failed('invalid', `${prefix}${dir}/${file} has segment number ${p.seg} but ${segmentsPerLog} segments per log were expected; is wal_segment_size right?`);
      }
      if (!contents.segments.has(p.seg as number)) contents.segments.set(p.seg as number, seen);
    }
  }
  return observed({ contents, requests: l.value.requests });
}

/** A folder restored from the cache, without a request. */
export function cachedDir(dir: string, entry: DirCacheEntry): DirContents {
  return {
    dir,
    tli: parseInt(dir.slice(0, 8), 16),
    log: parseInt(dir.slice(8, 16), 16),
    source: 'cached',
    segments: new Map(),
    cached: entry,
    partials: [],
    backupFiles: [],
    unexpected: [],
  };
}

/** True when segment `seg` of a folder is present (listed, or inside the verified cached run). */
export function hasSegment(d: DirContents, seg: number): boolean {
  return d.source === 'cached' ? seg >= (d.cached as DirCacheEntry).lo && seg <= (d.cached as DirCacheEntry).hi : d.segments.has(seg);
}

/** The newest segment of a folder by number, with its LastModified (epoch ms); undefined when empty. */
export function newestInDir(d: DirContents): { seg: number; file: string; modified: number } | undefined {
  if (d.source === 'cached') {
    const c = d.cached as DirCacheEntry;
    return { seg: c.hi, file: c.lastFile, modified: c.newestModified };
  }
  let best: { seg: number; file: string; modified: number } | undefined;
  for (const [seg, f] of d.segments) if (!best || seg > best.seg) best = { seg, file: f.file, modified: f.modified };
  return best;
}

/** The cache entry for a listed folder whose segments run without a gap from `lo` to the last one of the log, else undefined. */
export function cacheEntryFor(d: DirContents, lo: number, segmentsPerLog: number, now: number): DirCacheEntry | undefined {
  if (d.source !== 'listed') return undefined;
  let newestModified = 0;
  for (let s = lo; s < segmentsPerLog; s++) {
    const f = d.segments.get(s);
    if (!f) return undefined;
    newestModified = Math.max(newestModified, f.modified);
  }
  const last = d.segments.get(segmentsPerLog - 1) as SeenFile;
  return { lo, hi: segmentsPerLog - 1, newestModified, lastFile: last.file, verifiedAt: now };
}
