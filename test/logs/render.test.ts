import { classifyLog } from '../../lambdas/logs/classify';
import { renderLogReport } from '../../lambdas/logs/render';

describe('renderLogReport', () => {
  it('prints the verdict, one section per category, and the brute-force details', () => {
    const log = [
      '2025-11-30 11:00:02.123 UTC [10] LOG:  incomplete startup packet',
      ...[1, 2, 3, 4, 5].map((m) => `2025-11-30 11:0${m}:00.000 UTC [2${m}] FATAL:  password authentication failed for user "postgres"`),
      '2025-11-30 11:07:00.000 UTC [30] LOG:  archive command failed with exit code 1',
      '2025-11-30 11:07:00.000 UTC [30] DETAIL:  The failed archive command was: false',
    ].join('\n');
    const text = renderLogReport(classifyLog(log));
    expect(text.split('\n')).toEqual([
      'PostgreSQL log: FAIL: archive command failing ×1; brute force suspected: 5 authentication failures within 10 min (threshold 5); 1 scanner probe(s) (harmless)',
      '8 lines, 7 entries, 2025-11-30T11:00:02.123Z .. 2025-11-30T11:07:00.000Z',
      '',
      'Real trouble',
      '  FAIL      1 × archive command failing  at 2025-11-30T11:07:00.000Z  e.g. "archive command failed with exit code 1"',
      '',
      'Authentication and client errors',
      '  info      5 × password authentication failed  2025-11-30T11:01:00.000Z .. 2025-11-30T11:05:00.000Z',
      '',
      'Scanner noise (harmless, counted)',
      '  info      1 × incomplete startup packet  at 2025-11-30T11:00:02.123Z  e.g. "incomplete startup packet"',
      '',
      'Authentication failures: 5; most within 10 min: 5; brute force: SUSPECTED',
      '  users: postgres ×5',
      '  sources: unknown (enable log_connections or add %h to log_line_prefix)',
    ]);
  });
});
