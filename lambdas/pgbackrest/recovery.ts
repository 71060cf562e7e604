/**
 * The shared recoverability analysis of one run: timeline lineage, WAL present along it, holes, and what
 * each retained backup can restore to. Memoized per `ctx.deps` so the wal-age, wal-continuity, rpo and
 * recoverability checks read the repository once.
 */
import type { CheckContext } from '../core/check';
import { failed, observed, perRun, type Observed } from '../core/observed';
import type { ArchiverFacts } from '../core/ports';
import { cachedDir, cacheEntryFor, listArchiveRoot, listWalDir, newestInDir, type DirCacheEntry, type DirContents } from './archive-scan';
import { findHoles, type DirIndex, type Hole } from './continuity';
import { repoFacts } from './facts';
import { lineageSpans, parseHistory, spanFor, type TimelineSpan } from './history';
import type { BackupEntry } from './info';
import { parsePgWalName, segmentName, segmentPos, segmentsPerLog } from './wal';

/** How often every folder is listed again even when the state says it was verified (catches later deletions). */
export const FULL_REVERIFY_MS = 24 * 3600 * 1000;

/** A retained backup seen against the lineage. */
export interface BackupWal {
  /** Backup label. */
  label: string;
  /** full, diff or incr. */
  type: BackupEntry['type'];
  /** backup-timestamp-stop, epoch seconds. */
  stopTime: number;
  /** First WAL segment the backup needs. */
  archiveStart: string | null;
  /** Last WAL segment the backup needs. */
  archiveStop: string | null;
  /** False when the backup's WAL is on a timeline outside the current lineage (or it has no WAL range). */
  onLineage: boolean;
  /** Holes inside the backup's own archiveStart..archiveStop range: the backup cannot be restored. */
  missing: Hole[];
  /** Last segment reachable from this backup without a hole (undefined when the backup itself is incomplete). */
  reachSegno?: number;
}

/** A segment and when it reached the repository (epoch ms). */
export interface ArchivedSegment {
  /** 24-hex segment name. */
  segment: string;
  /** Absolute segment number. */
  segno: number;
  /** LastModified in the repository, epoch ms. */
  modified: number;
}

/** Whether the repository holds what PostgreSQL reports as its last archived WAL. */
export interface LastArchivedCheck {
  /** The name pg_stat_archiver reports. */
  name: string;
  /** True when the repository holds it. */
  inRepository: boolean;
  /** Where it was looked for. */
  lookedIn: string;
}

/** Everything the recoverability checks need, computed once per run. */
export interface RecoveryAnalysis {
  /** Archive id folder such as `16-1`. */
  archiveId: string;
  /** Key prefix of that folder. */
  archivePrefix: string;
  /** wal_segment_size in bytes. */
  segmentSize: number;
  /** Where the segment size came from. */
  segmentSizeSource: 'config' | 'database';
  /** The timeline whose lineage is verified. */
  currentTli: number;
  /** The database's timeline, or (database unreadable) the timeline of the most recently archived WAL. */
  currentTliSource: 'database' | 'repository';
  /** The lineage, oldest timeline first. */
  spans: TimelineSpan[];
  /** Set when the lineage could not be read (history file missing or unparsable): restores past the switch are impossible. */
  lineageProblem?: string;
  /** Timelines or branches present in the archive but not in the lineage, one message each. */
  strays: string[];
  /** Every backup of backup.info against the lineage. */
  backups: BackupWal[];
  /** The newest full backup by stop time. */
  newestFull?: BackupWal;
  /** First segment that must be present: the oldest retained backup's archive start on the lineage. */
  rangeStart?: ArchivedSegment;
  /** Newest segment on the lineage by number. */
  newest?: ArchivedSegment;
  /** Most recently written segment on the lineage (LastModified). */
  newestByModified?: ArchivedSegment;
  /** Every hole from rangeStart to newest. */
  holes: Hole[];
  /** Holes after the newest full backup's archive start (these make PITR impossible). */
  criticalHoles: Hole[];
  /** Newest segment reachable without a hole from a complete backup, and that backup; the window's far end. */
  restorableTo?: ArchivedSegment & { fromLabel: string };
  /** The oldest complete backup reaching restorableTo: the window's near end. */
  oldestRestorable?: BackupWal;
  /** Whether the repository holds PostgreSQL's last_archived_wal (absent when the database is unreadable). */
  lastArchived?: LastArchivedCheck;
  /** The database's archiver facts as read this run. */
  archiver: Observed<ArchiverFacts>;
  /** Repository requests this analysis made (listings and the history read; info files are counted by repoFacts). */
  requests: number;
  /** Folders listed this run. */
  listedDirs: string[];
  /** Folders taken from the verified cache. */
  cachedDirs: string[];
  /** True when this run ignored the cache and listed every folder (once per {@link FULL_REVERIFY_MS}). */
  fullVerification: boolean;
}

interface DirCacheState {
  fullVerifiedAt: number;
  dirs: Record<string, DirCacheEntry>;
}

/**
 * The analysis, or why it is missing; `refused` marks a repository that is readable but cannot restore anything
 * (backup.info and archive.info name different clusters): the checks fail on it rather than say unknown.
 */
export type AnalysisResult = Observed<RecoveryAnalysis> & { refused?: true };

/** The run's shared recoverability analysis. */
export const recoveryAnalysis = perRun<CheckContext, Promise<AnalysisResult>>(analyse);

async function analyse(ctx: CheckContext): Promise<AnalysisResult> {
  const facts = repoFacts(ctx);
  const [bi, ai, archiver] = await Promise.all([facts.backupInfo(), facts.archiveInfo(), ctx.deps.database.archiver()]);
  if (!bi.ok) return failed(bi.kind, `backup.info: ${bi.reason}`);
  if (!ai.ok) return failed(ai.kind, `archive.info: ${ai.reason}`);
  // WAL of another cluster cannot replay onto these backups, whatever the folders hold.
  if (bi.value.systemId !== ai.value.systemId) {
    return { ...failed('invalid', `${bi.value.source} names database system ${bi.value.systemId} but ${ai.value.source} names ${ai.value.systemId}: the WAL archive belongs to another cluster, so no backup can be restored with it`), refused: true };
  }

  const configured = ctx.config.database.walSegmentSizeBytes;
  const segmentSize = configured ?? (archiver.ok ? archiver.value.walSegmentSizeBytes : undefined);
  if (!segmentSize) {
    return failed('config', `wal_segment_size is unknown: the database is not readable (${archiver.ok ? '' : archiver.reason}) and database.walSegmentSizeBytes is not set`);
  }
  const n = segmentsPerLog(segmentSize);
  const store = ctx.deps.repository;
  const archivePrefix = `${facts.repoPrefixes().archive}${ai.value.archiveId}/`;
  let requests = 0;

  const root = await listArchiveRoot(store, archivePrefix, ctx.signal);
  if (!root.ok) return failed(root.kind, `listing ${archivePrefix}: ${root.reason}`);
  requests += root.value.requests;
  const dirNames = new Set(root.value.dirs);

  const loaded: DirIndex = new Map();
  const listed: string[] = [];
  const load = async (dir: string): Promise<Observed<DirContents>> => {
    const have = loaded.get(dir);
    if (have) return observed(have);
    const l = await listWalDir(store, archivePrefix, dir, n, ctx.signal);
    if (!l.ok) return l;
    requests += l.value.requests;
    listed.push(dir);
    loaded.set(dir, l.value.contents);
    return observed(l.value.contents);
  };

  // Current timeline: the database's, else the timeline whose newest folder was written last.
  let currentTli: number;
  let currentTliSource: RecoveryAnalysis['currentTliSource'] = 'database';
  if (archiver.ok && archiver.value.timeline > 0) currentTli = archiver.value.timeline;
  else {
    currentTliSource = 'repository';
    const newestDirPerTli = new Map<number, string>();
    for (const d of root.value.dirs) newestDirPerTli.set(parseInt(d.slice(0, 8), 16), d);
    let best: { tli: number; modified: number } | undefined;
    for (const [tli, d] of newestDirPerTli) {
      const c = await load(d);
      if (!c.ok) return failed(c.kind, c.reason);
      const nw = newestInDir(c.value);
      if (nw && (!best || nw.modified > best.modified || (nw.modified === best.modified && tli > best.tli))) best = { tli, modified: nw.modified };
    }
    currentTli = best?.tli ?? 1;
    if (!best) for (const tli of root.value.historyKeys.keys()) if (tli > currentTli) currentTli = tli;
  }

  // Lineage from the current timeline's history file (it lists every ancestor).
  let spans: TimelineSpan[] = lineageSpans(currentTli, [], segmentSize);
  let lineageProblem: string | undefined;
  if (currentTli > 1) {
    const key = root.value.historyKeys.get(currentTli);
    const hname = `${currentTli.toString(16).toUpperCase().padStart(8, '0')}.history`;
    if (!key) lineageProblem = `${archivePrefix}${hname} is missing: a restore cannot follow timeline ${currentTli}`;
    else {
      const raw = await facts.readArchiveFile(key);
      requests++;
      if (!raw.ok) lineageProblem = `${hname} cannot be read: ${raw.reason}`;
      else {
        const h = parseHistory(raw.value.toString('utf8'), hname);
        if (!h.ok) lineageProblem = h.reason;
        else spans = lineageSpans(currentTli, h.entries, segmentSize);
      }
    }
  }
  const lineageTlis = new Set(spans.map((s) => s.tli));
  const onLineage = (name: string): { tli: number; segno: number } | undefined => {
    const p = segmentPos(name, segmentSize);
    if (!p) return undefined;
    const span = spanFor(spans, p.segno);
    // A parent's copy of its switch segment (a backup that ended just before a promote) is on the lineage too.
    const parentSwitch = spans.some((s) => s.tli === p.tli && s.toSegno === p.segno);
    return (span && span.tli === p.tli) || parentSwitch ? p : undefined;
  };

  // Backups on the lineage decide where continuity must start.
  const backups: BackupWal[] = bi.value.backups.map((b) => ({
    label: b.label,
    type: b.type,
    stopTime: b.timestampStop,
    archiveStart: b.archiveStart,
    archiveStop: b.archiveStop,
    onLineage: !!(b.archiveStart && b.archiveStop && onLineage(b.archiveStart) && onLineage(b.archiveStop)),
    missing: [],
  }));
  const starts = backups.filter((b) => b.onLineage).map((b) => (segmentPos(b.archiveStart as string, segmentSize) as { segno: number }).segno);
  // Loops, not Math.min(...spread): a 200k-entry backup.info overflows the call stack.
  let rangeStartSegno: number | undefined;
  for (const st of starts) if (rangeStartSegno === undefined || st < rangeStartSegno) rangeStartSegno = st;

  // Folders to read: lineage folders from the range start on; always the newest folder of the current timeline.
  const stateKey = `wal.dirs.${ctx.config.backups.stanza}.${ai.value.archiveId}`;
  const nowMs = ctx.now.getTime();
  const prev = (await ctx.deps.state.get<DirCacheState>(stateKey)) ?? { fullVerifiedAt: 0, dirs: {} };
  // A verification stamped after now (a what-if run that saved state, skewed clocks) proves nothing.
  const fullVerification = nowMs - prev.fullVerifiedAt > FULL_REVERIFY_MS || prev.fullVerifiedAt > nowMs;
  const nextCache: DirCacheState = { fullVerifiedAt: fullVerification ? nowMs : prev.fullVerifiedAt, dirs: {} };
  const cachedDirs: string[] = [];
  const wanted: { dir: string; lo: number }[] = [];
  for (const dir of root.value.dirs) {
    const tli = parseInt(dir.slice(0, 8), 16);
    const first = parseInt(dir.slice(8, 16), 16) * n;
    const last = first + n - 1;
    for (const span of spans) {
      if (span.tli !== tli) continue;
      const from = Math.max(span.fromSegno, rangeStartSegno ?? Infinity);
      if (last >= from && first < span.toSegno) wanted.push({ dir, lo: Math.max(0, from - first) });
    }
  }
  const currentDirs = root.value.dirs.filter((d) => parseInt(d.slice(0, 8), 16) === currentTli);
  if (currentDirs.length && !wanted.some((w) => w.dir === currentDirs[currentDirs.length - 1])) wanted.push({ dir: currentDirs[currentDirs.length - 1], lo: 0 });
  const lastArchivedName = archiver.ok ? archiver.value.lastArchivedWal : null;
  const lastParsed = lastArchivedName ? parsePgWalName(lastArchivedName) : undefined;
  // The cache holds segments only; a `.partial`/`.backup` last_archived_wal needs its folder listed.
  const lastDir = lastParsed?.segment?.slice(0, 16);
  if (lastDir && dirNames.has(lastDir) && !wanted.some((w) => w.dir === lastDir)) wanted.push({ dir: lastDir, lo: n - 1 });
  for (const w of wanted) {
    const hit = prev.dirs[w.dir];
    const mustList = w.dir === lastDir && lastParsed?.kind !== 'segment';
    if (!fullVerification && !mustList && hit && hit.lo <= w.lo) {
      loaded.set(w.dir, cachedDir(w.dir, hit));
      cachedDirs.push(w.dir);
      nextCache.dirs[w.dir] = hit;
      continue;
    }
    const c = await load(w.dir);
    if (!c.ok) return failed(c.kind, c.reason);
    const entry = cacheEntryFor(c.value, w.lo, n, nowMs);
    if (entry) nextCache.dirs[w.dir] = entry;
  }
  await ctx.deps.state.put(stateKey, nextCache);

  // Newest segment along the lineage.
  let newest: ArchivedSegment | undefined;
  let newestByModified: ArchivedSegment | undefined;
  for (const d of loaded.values()) {
    const segs: [number, number, string][] = d.source === 'cached' ? [[d.cached!.hi, d.cached!.newestModified, d.cached!.lastFile]] : [...d.segments].map(([s, f]) => [s, f.modified, f.file]);
    for (const [seg, modified, file] of segs) {
      const segno = d.log * n + seg;
      const span = spanFor(spans, segno);
      if (!span || span.tli !== d.tli) continue;
      const cand = { segment: file.slice(0, 24), segno, modified };
      if (!newest || segno > newest.segno) newest = cand;
      // Ties (one burst of archive-push within a second) go to the higher segment number.
      if (!newestByModified || modified > newestByModified.modified || (modified === newestByModified.modified && segno > newestByModified.segno)) newestByModified = cand;
    }
  }
  const modifiedOf = (segno: number): number | undefined => {
    const span = spanFor(spans, segno);
    if (!span) return undefined;
    const d = loaded.get(segmentName(span.tli, segno, segmentSize).slice(0, 16));
    if (!d) return undefined;
    if (d.source === 'cached') return d.cached!.newestModified;
    return d.segments.get(segno % n)?.modified;
  };

  const holes = rangeStartSegno !== undefined && newest && newest.segno >= rangeStartSegno ? findHoles(spans, loaded, rangeStartSegno, newest.segno, segmentSize) : [];
  const fulls = backups.filter((b) => b.type === 'full').sort((a, b) => a.stopTime - b.stopTime);
  const newestFull = fulls[fulls.length - 1];
  const fullStart = newestFull?.onLineage ? segmentPos(newestFull.archiveStart as string, segmentSize)?.segno : undefined;
  const criticalHoles = fullStart === undefined ? holes : holes.filter((h) => h.lastSegno >= fullStart);

  // Each backup's own range, and how far its WAL reaches.
  for (const b of backups) {
    if (!b.onLineage) continue;
    const s = (segmentPos(b.archiveStart as string, segmentSize) as { segno: number }).segno;
    const e = (segmentPos(b.archiveStop as string, segmentSize) as { segno: number }).segno;
    b.missing = holes.filter((h) => h.lastSegno >= s && h.firstSegno <= e);
    if (b.missing.length === 0 && newest && newest.segno >= e) {
      const next = holes.find((h) => h.firstSegno > e);
      b.reachSegno = next ? next.firstSegno - 1 : newest.segno;
    }
  }
  let restorableTo: RecoveryAnalysis['restorableTo'];
  let oldestRestorable: BackupWal | undefined;
  const reaching = backups.filter((b) => b.reachSegno !== undefined);
  if (reaching.length) {
    let bestEnd = -Infinity;
    for (const b of reaching) if ((b.reachSegno as number) > bestEnd) bestEnd = b.reachSegno as number;
    const best = reaching.filter((b) => b.reachSegno === bestEnd).sort((a, b) => a.stopTime - b.stopTime);
    oldestRestorable = best[0];
    const span = spanFor(spans, bestEnd) as TimelineSpan;
    restorableTo = { segment: segmentName(span.tli, bestEnd, segmentSize), segno: bestEnd, modified: modifiedOf(bestEnd) ?? 0, fromLabel: best[best.length - 1].label };
  }

  // Timelines and branches outside the lineage.
  const strays: string[] = [];
  const seenTlis = new Set<number>([...root.value.historyKeys.keys(), ...root.value.dirs.map((d) => parseInt(d.slice(0, 8), 16))]);
  for (const tli of [...seenTlis].sort((a, b) => a - b)) {
    if (lineageTlis.has(tli)) continue;
    const dirCount = root.value.dirs.filter((d) => parseInt(d.slice(0, 8), 16) === tli).length;
    const hkey = root.value.historyKeys.get(tli);
    let historyNote = '';
    if (hkey) {
      // A stray's history file is what a restore to that timeline would follow: say when it is unusable.
      const raw = await facts.readArchiveFile(hkey);
      requests++;
      if (!raw.ok) historyNote = `; ${hkey} cannot be read: ${raw.reason}`;
      else {
        const h = parseHistory(raw.value.toString('utf8'), hkey);
        if (!h.ok) historyNote = `; its history file cannot be parsed: ${h.reason}`;
      }
    }
    strays.push(`timeline ${tli} (${hkey ? 'history file' : 'no history file'}, ${dirCount} WAL folder(s)) is not in the lineage of timeline ${currentTli}${historyNote}`);
  }
  for (const span of spans) {
    if (span.toSegno === Infinity) continue;
    let beyond = 0;
    for (const d of loaded.values()) {
      if (d.tli !== span.tli || d.source !== 'listed') continue;
      for (const seg of d.segments.keys()) if (d.log * n + seg > span.toSegno) beyond++;
    }
    const laterDirs = root.value.dirs.filter((d) => parseInt(d.slice(0, 8), 16) === span.tli && parseInt(d.slice(8, 16), 16) * n > span.toSegno && !loaded.has(d)).length;
    if (beyond || laterDirs) strays.push(`timeline ${span.tli} continued after its switch at ${span.switchLsn} (${beyond} segment(s)${laterDirs ? ` and ${laterDirs} more folder(s)` : ''}): a branch not in the lineage`);
  }

  // Does the repository hold what PostgreSQL last reported archived?
  let lastArchived: LastArchivedCheck | undefined;
  if (lastArchivedName && lastParsed) {
    if (lastParsed.kind === 'history') {
      lastArchived = { name: lastArchivedName, inRepository: root.value.historyKeys.has(lastParsed.tli), lookedIn: archivePrefix };
    } else {
      const dir = (lastParsed.segment as string).slice(0, 16);
      const d = loaded.get(dir);
      const seg = parseInt((lastParsed.segment as string).slice(16, 24), 16);
      let inRepository = false;
      if (d) {
        if (lastParsed.kind === 'segment') inRepository = d.source === 'cached' ? seg >= d.cached!.lo && seg <= d.cached!.hi : d.segments.has(seg);
        else if (lastParsed.kind === 'partial') inRepository = d.partials.some((f) => f.file.startsWith(`${lastParsed.segment}.partial-`));
        else inRepository = d.backupFiles.some((f) => f.file === lastArchivedName);
      }
      lastArchived = { name: lastArchivedName, inRepository, lookedIn: `${archivePrefix}${dir}/` };
    }
  }

  return observed({
    archiveId: ai.value.archiveId,
    archivePrefix,
    segmentSize,
    segmentSizeSource: configured ? 'config' : 'database',
    currentTli,
    currentTliSource,
    spans,
    lineageProblem,
    strays,
    backups,
    newestFull,
    rangeStart: rangeStartSegno !== undefined ? { segment: segmentName((spanFor(spans, rangeStartSegno) as TimelineSpan).tli, rangeStartSegno, segmentSize), segno: rangeStartSegno, modified: modifiedOf(rangeStartSegno) ?? 0 } : undefined,
    newest,
    newestByModified,
    holes,
    criticalHoles,
    restorableTo,
    oldestRestorable,
    lastArchived,
    archiver,
    requests,
    listedDirs: listed,
    cachedDirs,
    fullVerification,
  });
}
