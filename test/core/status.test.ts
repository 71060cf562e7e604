import { exitCodeFor, gradeAbove, worstStatus } from '../../lambdas/core/status';
import { formatBytes, formatDuration } from '../../lambdas/core/format';

describe('status helpers', () => {
  it('maps statuses to monitoring-plugin exit codes', () => {
    expect(['ok', 'warn', 'fail', 'unknown', 'skipped'].map((s) => exitCodeFor(s as never))).toEqual([0, 1, 2, 3, 0]);
  });
  it('grades strictly above each threshold', () => {
    expect(gradeAbove(10, { warn: 10, fail: 15 })).toBe('ok');
    expect(gradeAbove(10.1, { warn: 10, fail: 15 })).toBe('warn');
    expect(gradeAbove(15.1, { warn: 10, fail: 15 })).toBe('fail');
  });
  it('treats an all-skipped report as ok', () => {
    expect(worstStatus(['skipped', 'skipped'])).toBe('ok');
    expect(worstStatus([])).toBe('ok');
  });
  it('formats durations and sizes for summaries', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(17 * 60)).toBe('17m');
    expect(formatDuration(5 * 3600 + 3 * 60)).toBe('5h 03m');
    expect(formatDuration(52 * 3600)).toBe('2d 04h');
    expect(formatBytes(24 * 1024 * 1024)).toBe('24.0 MiB');
    expect(formatBytes(512)).toBe('512 B');
  });
});
