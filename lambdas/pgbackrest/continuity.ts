import { hasSegment, type DirContents } from './archive-scan';
import type { TimelineSpan } from './history';
import { segmentName, segmentsPerLog } from './wal';

/** A run of missing segments on one timeline, both ends inclusive. */
export interface Hole {
  /** Timeline the missing segments belong to. */
  tli: number;
  /** First missing segment number. */
  firstSegno: number;
  /** Last missing segment number. */
  lastSegno: number;
  /** First missing segment name. */
  first: string;
  /** Last missing segment name. */
  last: string;
  /** Number of missing segments. */
  count: number;
}

/** Segment presence along a lineage: the folders loaded this run, keyed by 16-hex name. */
export type DirIndex = Map<string, DirContents>;

/**
 * Every hole between two segment numbers (inclusive) along the lineage. Works folder by folder: a folder
 * absent from the archive or verified in an earlier run costs O(1), a listed one at most one pass over its
 * segments, so a long retention window or a jump in WAL position does not loop segment by segment.
 */
export function findHoles(spans: TimelineSpan[], dirs: DirIndex, fromSegno: number, toSegno: number, segmentSize: number): Hole[] {
  const n = segmentsPerLog(segmentSize);
  const holes: Hole[] = [];
  const addMissing = (tli: number, a: number, b: number) => {
    const last = holes[holes.length - 1];
    if (last && last.tli === tli && last.lastSegno === a - 1) {
      last.lastSegno = b;
      last.last = segmentName(tli, b, segmentSize);
      last.count += b - a + 1;
    } else holes.push({ tli, firstSegno: a, lastSegno: b, first: segmentName(tli, a, segmentSize), last: segmentName(tli, b, segmentSize), count: b - a + 1 });
  };
  for (const span of spans) {
    const a0 = Math.max(fromSegno, span.fromSegno);
    const b0 = Math.min(toSegno, span.toSegno - 1);
    for (let log = Math.floor(a0 / n); a0 <= b0 && log <= Math.floor(b0 / n); log++) {
      const a = Math.max(a0, log * n);
      const b = Math.min(b0, log * n + n - 1);
      const d = dirs.get(segmentName(span.tli, log * n, segmentSize).slice(0, 16));
      if (!d) addMissing(span.tli, a, b);
      else if (d.source === 'cached') {
        const lo = log * n + (d.cached as { lo: number }).lo;
        const hi = log * n + (d.cached as { hi: number }).hi;
        if (a < lo) addMissing(span.tli, a, Math.min(b, lo - 1));
        if (b > hi) addMissing(span.tli, Math.max(a, hi + 1), b);
      } else {
        for (let s = a; s <= b; s++) if (!hasSegment(d, s % n)) addMissing(span.tli, s, s);
      }
    }
  }
  return holes;
}

/** Renders a hole for messages: `000000010000000000000005..000000010000000000000007 (3 segments)`. */
export function describeHole(h: Hole): string {
  return h.count === 1 ? `${h.first} (1 segment)` : `${h.first}..${h.last} (${h.count} segments)`;
}
