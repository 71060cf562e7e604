import type { DirContents } from '../../lambdas/pgbackrest/archive-scan';
import { cachedDir } from '../../lambdas/pgbackrest/archive-scan';
import { describeHole, findHoles, type DirIndex } from '../../lambdas/pgbackrest/continuity';
import { lineageSpans, parseHistory } from '../../lambdas/pgbackrest/history';

const MiB = 1 << 20;

/** A listed folder holding the given segment numbers (within the log). */
function listed(dir: string, segs: number[], partials: number[] = []): DirContents {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
  return {
    dir,
    tli: parseInt(dir.slice(0, 8), 16),
    log: parseInt(dir.slice(8, 16), 16),
    source: 'listed',
    segments: new Map(segs.map((s) => [s, { file: `${dir}${hex(s)}-${'0'.repeat(40)}.gz`, modified: 0 }])),
    partials: partials.map((s) => ({ file: `${dir}${hex(s)}.partial-${'0'.repeat(40)}.gz`, modified: 0 })),
    backupFiles: [],
    unexpected: [],
  };
}
const index = (...ds: DirContents[]): DirIndex => new Map(ds.map((d) => [d.dir, d]));

describe('WAL continuity along a lineage', () => {
  const h = parseHistory('1\t0/50000A0\tno recovery target specified\n');
  if (!h.ok) throw new Error(h.reason);
  const spans = lineageSpans(2, h.entries, 16 * MiB);

  it("needs the child's copy of the switch segment; the parent's copy is optional and a .partial never counts", () => {
    const dirs = index(listed('0000000100000000', [2, 3, 4], [5]), listed('0000000200000000', [5, 6, 7]));
    expect(findHoles(spans, dirs, 2, 7, 16 * MiB)).toEqual([]);
    const noChild = index(listed('0000000100000000', [2, 3, 4, 5]), listed('0000000200000000', [6, 7]));
    expect(findHoles(spans, noChild, 2, 7, 16 * MiB).map(describeHole)).toEqual(['000000020000000000000005 (1 segment)']);
  });

  it('reports a WAL gap between 0000000100000000000000FE and 000000010000000100000001 across a log rollover as one range', () => {
    const one = lineageSpans(1, [], 16 * MiB);
    const all = Array.from({ length: 256 }, (_, i) => i);
    const dirs = index(listed('0000000100000000', all.filter((s) => s < 0xfe)), listed('0000000100000001', [2, 3]));
    expect(findHoles(one, dirs, 0xf0, 256 + 3, 16 * MiB).map(describeHole)).toEqual(['0000000100000000000000FE..000000010000000100000001 (4 segments)']);
  });

  it('counts a whole missing folder without walking it, and trusts a verified cached folder', () => {
    const one = lineageSpans(1, [], 1 * MiB);
    const dirs = index(cachedDir('0000000100000000', { lo: 10, hi: 4095, newestModified: 0, lastFile: 'x', verifiedAt: 0 }), listed('0000000100000002', [0, 1]));
    expect(findHoles(one, dirs, 10, 2 * 4096 + 1, 1 * MiB)).toEqual([
      { tli: 1, firstSegno: 4096, lastSegno: 8191, first: '000000010000000100000000', last: '000000010000000100000FFF', count: 4096 },
    ]);
  });
});
