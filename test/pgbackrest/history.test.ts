import { lineageSpans, parseHistory, spanFor } from '../../lambdas/pgbackrest/history';

const MiB = 1 << 20;

describe('timeline history files', () => {
  it('parses the whole lineage with comments and blank lines and puts the switch segment on the child', () => {
    const text = '# comment\n1\t0/30000A0\tno recovery target specified\n\n2\t0/5000000\tbefore 2026-12-03 10:00:00+00\n';
    const h = parseHistory(text, '00000003.history');
    if (!h.ok) throw new Error(h.reason);
    expect(h.entries.map((e) => [e.parentTli, e.switchLsnText])).toEqual([
      [1, '0/30000A0'],
      [2, '0/5000000'],
    ]);
    const spans = lineageSpans(3, h.entries, 16 * MiB);
    expect(spans).toEqual([
      { tli: 1, fromSegno: 0, toSegno: 3, switchLsn: '0/30000A0' },
      { tli: 2, fromSegno: 3, toSegno: 5, switchLsn: '0/5000000' },
      { tli: 3, fromSegno: 5, toSegno: Infinity },
    ]);
    expect(spanFor(spans, 2)?.tli).toBe(1);
    expect(spanFor(spans, 3)?.tli).toBe(2);
    expect(spanFor(spans, 99)?.tli).toBe(3);
  });

  it('maps switch points with 64 MiB segments', () => {
    const h = parseHistory('1\t2/FC000100\treason');
    if (!h.ok) throw new Error(h.reason);
    expect(lineageSpans(2, h.entries, 64 * MiB)[1].fromSegno).toBe(2 * 64 + 0x3f);
  });

  it('names the line of a malformed entry', () => {
    expect(parseHistory('1\t0/3000000\tok\nnonsense here\n', '00000002.history')).toEqual({ ok: false, reason: expect.stringContaining('00000002.history line 2') });
    expect(parseHistory('2\t0/3000000\n1\t0/4000000\n')).toEqual({ ok: false, reason: expect.stringContaining('must increase') });
  });

  it('treats an empty history as timeline 1 alone', () => {
    const h = parseHistory('');
    expect(h).toEqual({ ok: true, entries: [] });
    expect(lineageSpans(1, [], 16 * MiB)).toEqual([{ tli: 1, fromSegno: 0, toSegno: Infinity }]);
  });
});
