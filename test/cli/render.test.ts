import { renderReport } from '../../lambdas/cli/render';
import type { Report } from '../../lambdas/core/types';

const report: Report = {
  status: 'fail',
  startedAt: '2026-12-03T12:00:00.000Z',
  durationMs: 1234,
  checks: [
    { id: 'instance.state', belt: 'instance', status: 'ok', summary: 'running', metrics: [], details: {}, durationMs: 1 },
    { id: 'backup.full-age', belt: 'backups', status: 'fail', summary: 'newest full backup finished 31h 00m ago (fail > 30h)', metrics: [], details: {}, durationMs: 1 },
    { id: 'bucket.config', belt: 'bucket', status: 'skipped', summary: 'posix repository', metrics: [], details: {}, durationMs: 1 },
  ],
};

describe('renderReport', () => {
  it('groups checks by belt with a mark per status and an overall line', () => {
    const text = renderReport(report);
    expect(text).toMatch(/^INSTANCE\n {2}✔ OK {6}instance\.state {8}running/m);
    expect(text).toContain('BACKUPS & WAL\n  ✖ FAIL    backup.full-age');
    expect(text).toContain('BUCKET\n  – SKIPPED bucket.config');
    expect(text).not.toContain('DATABASE');
    expect(text.split('\n').at(-1)).toBe('Overall: FAIL — 1 fail, 1 ok, 1 skipped (1.2 s)');
  });
  it('prints the next step under checks that are not ok when a hint is given', () => {
    const text = renderReport(report, { hint: (id) => `fix ${id}` });
    expect(text).toMatch(/backup\.full-age .*\n {2}\s+→ fix backup\.full-age/);
    expect(text).not.toContain('fix instance.state');
  });

  it('adds ANSI colours only when asked', () => {
    expect(renderReport(report)).not.toContain('\u001b[');
    expect(renderReport(report, { color: true })).toContain('\u001b[31m');
  });
});
