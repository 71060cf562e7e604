import { hasSegment, type DirContents } from './archive-scan';
import { spanFor, type TimelineSpan } from './history';
import { segmentName, segmentsPerLog } from './wal';

/** A run of missing segments on one timeline, both ends inclusive. */
export interface Hole {
  tli: number;
  firstSegno: number;
  lastSegno: number;
  first: string;
  last: string;
  count: number;
}

/** Segment presence along a lineage: the folders loaded this run, keyed by 16-hex name. */
export type DirIndex = Map<string, DirContents>;

/** True when the lineage's copy of segno is in the archive (the child's copy at a switch; `.partial` never counts). */
export function present(spans: TimelineSpan[], dirs: DirIndex, segno: number, segmentSize: number): boolean {
  const span = spanFor(spans, segno);
  if (!span) return false;
  const n = segmentsPerLog(segmentSize);
  const name = segmentName(span.tli, segno, segmentSize);
  const d = dirs.get(name.slice(0, 16));
  return d !== undefined && hasSegment(d, segno % n);
}

/** Every hole between two segment numbers (inclusive) along the lineage. */
export function findHoles(spans: TimelineSpan[], dirs: DirIndex, fromSegno: number, toSegno: number, segmentSize: number): Hole[] {
  const holes: Hole[] = [];
  let open: Hole | undefined;
  for (let s = fromSegno; s <= toSegno; s++) {
    const tli = (spanFor(spans, s) as TimelineSpan).tli;
    if (present(spans, dirs, s, segmentSize)) {
      open = undefined;
      continue;
    }
    if (open && open.tli === tli && open.lastSegno === s - 1) {
      open.lastSegno = s;
      open.last = segmentName(tli, s, segmentSize);
      open.count++;
    } else {
      open = { tli, firstSegno: s, lastSegno: s, first: segmentName(tli, s, segmentSize), last: segmentName(tli, s, segmentSize), count: 1 };
      holes.push(open);
    }
  }
  return holes;
}

/** Renders a hole for messages: `000000010000000000000005..000000010000000000000007 (3 segments)`. */
export function describeHole(h: Hole): string {
  return h.count === 1 ? `${h.first} (1 segment)` : `${h.first}..${h.last} (${h.count} segments)`;
}
