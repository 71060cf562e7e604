import { inProgressGraceSeconds, labelType, type UnlistedBackup } from '../../lambdas/pgbackrest/in-progress';

describe('in-progress backups', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const running = (type: UnlistedBackup['type'], minutesAgo: number, state: UnlistedBackup['state'] = 'in-progress'): UnlistedBackup => ({
    label: type === 'full' ? '20261203-110002F' : '20261203-110002F_20261203-113000D',
    type,
    state,
    heartbeat: now - minutesAgo * 60_000,
  });

  it('lends full-age the grace period only while a full backup is visibly running', () => {
    expect(inProgressGraceSeconds([running('full', 30)], 'full', 2, now)).toBe(7200);
    expect(inProgressGraceSeconds([running('diff', 30)], 'full', 2, now)).toBe(0);
    expect(inProgressGraceSeconds([running('diff', 30)], 'any', 2, now)).toBe(7200);
  });

  it('lends nothing for a stalled heartbeat, a finishing backup or an empty folder', () => {
    expect(inProgressGraceSeconds([running('full', 121)], 'full', 2, now)).toBe(0);
    expect(inProgressGraceSeconds([running('full', 1, 'finishing')], 'full', 2, now)).toBe(0);
    expect(inProgressGraceSeconds([{ label: '20261203-110002F', type: 'full', state: 'empty' }], 'any', 2, now)).toBe(0);
  });

  it('reads the type from the label', () => {
    expect(labelType('20261203-110002F')).toBe('full');
    expect(labelType('20261203-110002F_20261203-170002D')).toBe('diff');
    expect(labelType('20261203-110002F_20261203-170002I')).toBe('incr');
  });
});
