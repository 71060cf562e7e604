import { lsnToSegno, parseLsn, type Lsn } from './wal';

/** One switch recorded in a timeline history file: the parent timeline ended at `switchLsn`. */
export interface HistoryEntry {
  /** The timeline that was left. */
  parentTli: number;
  /** Where it was left. */
  switchLsn: Lsn;
  /** The `X/Y` text as written. */
  switchLsnText: string;
  /** PostgreSQL's free-text reason. */
  reason: string;
}

/** A parsed `<TLI>.history`, or why it could not be parsed (line number named). */
export type HistoryParse = { ok: true; entries: HistoryEntry[] } | { ok: false; reason: string };

/**
 * Parses a timeline history file (PostgreSQL `timeline.c` format: `parent\tX/Y\treason`, `#` comments,
 * blank lines). Parent timelines must increase, as PostgreSQL requires.
 */
export function parseHistory(text: string, file = 'history file'): HistoryParse {
  const entries: HistoryEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\d+)\s+([0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8})(?:\s+(.*))?$/.exec(line);
    if (!m) return { ok: false, reason: `${file} line ${i + 1} is not "<parent tli>\\t<X/Y>\\t<reason>": ${JSON.stringify(line.slice(0, 80))}` };
    const parentTli = Number(m[1]);
    if (!Number.isSafeInteger(parentTli) || parentTli < 1) return { ok: false, reason: `${file} line ${i + 1}: timeline id ${m[1]} is invalid` };
    const prev = entries[entries.length - 1];
    if (prev && parentTli <= prev.parentTli) return { ok: false, reason: `${file} line ${i + 1}: timeline ids must increase (${prev.parentTli} then ${parentTli})` };
    entries.push({ parentTli, switchLsn: parseLsn(m[2]) as Lsn, switchLsnText: m[2].toUpperCase(), reason: (m[3] ?? '').trim() });
  }
  return { ok: true, entries };
}

/** A stretch of the WAL history served by one timeline: segments [fromSegno, toSegno) on `tli`. */
export interface TimelineSpan {
  /** Timeline id. */
  tli: number;
  /** First segment this timeline contributes (0 for the first timeline). */
  fromSegno: number;
  /** Segment holding the switch to the next timeline; Infinity for the current timeline. The parent's copy is optional. */
  toSegno: number;
  /** LSN where this timeline was left, for messages. */
  switchLsn?: string;
}

/**
 * The lineage of `currentTli`: which timeline serves which segments, oldest first. The switch segment
 * belongs to the child (same number on the new timeline); the parent's copy of it is optional.
 */
export function lineageSpans(currentTli: number, entries: HistoryEntry[], segmentSize: number): TimelineSpan[] {
  const spans: TimelineSpan[] = [];
  let from = 0;
  for (const e of entries) {
    const to = lsnToSegno(e.switchLsn, segmentSize);
    spans.push({ tli: e.parentTli, fromSegno: from, toSegno: to, switchLsn: e.switchLsnText });
    from = to;
  }
  spans.push({ tli: currentTli, fromSegno: from, toSegno: Infinity });
  return spans;
}

/** The span serving segno on the lineage, or undefined (segno beyond a switch belongs to a later span). */
export function spanFor(spans: TimelineSpan[], segno: number): TimelineSpan | undefined {
  return spans.find((s) => segno >= s.fromSegno && segno < s.toSegno);
}
