import { parseCommand, UsageError } from '../../lambdas/cli/args';

describe('parseCommand', () => {
  it('parses every check flag', () => {
    expect(parseCommand(['check', '--config', 'c.json', '--only', 'backup.,db.connect', '--json', '--now', '2026-12-03T06:00:00Z', '--profile', 'chronos'])).toEqual({
      command: 'check',
      config: 'c.json',
      only: ['backup.', 'db.connect'],
      json: true,
      now: new Date('2026-12-03T06:00:00Z'),
      profile: 'chronos',
      stateFile: undefined,
      color: undefined,
    });
  });
  it('defaults the config file to monitor.config.json', () => {
    expect(parseCommand(['check'])).toMatchObject({ command: 'check', config: 'monitor.config.json', only: [], json: false });
  });
  it('rejects a --now that is not an ISO instant, naming the value', () => {
    expect(() => parseCommand(['check', '--now', 'yesterday'])).toThrow(
      new UsageError('--now must be an ISO 8601 instant such as 2026-12-03T06:00:00Z or 2026-12-03T01:00:00-05:00, got: "yesterday"'),
    );
  });
  it('rejects unknown flags and commands', () => {
    expect(() => parseCommand(['check', '--bogus'])).toThrow(UsageError);
    expect(() => parseCommand(['chek'])).toThrow('unknown command "chek"; expected "check" or "logs"');
  });
  it('reads logs from standard input by default', () => {
    expect(parseCommand(['logs'])).toEqual({ command: 'logs', file: '-', json: false });
  });
  it('accepts --now with Z, a numeric offset or fractional seconds', () => {
    expect(parseCommand(['check', '--now', '2026-12-03T01:00:00-05:00'])).toMatchObject({ now: new Date('2026-12-03T06:00:00Z') });
    expect(parseCommand(['check', '--now', '2026-12-03T06:00:00.123Z'])).toMatchObject({ now: new Date('2026-12-03T06:00:00.123Z') });
    expect(parseCommand(['check', '--now', '2026-12-03T06:00Z'])).toMatchObject({ now: new Date('2026-12-03T06:00:00Z') });
    expect(parseCommand(['check', '--now', '2024-02-29T00:00:00Z'])).toMatchObject({ now: new Date('2024-02-29T00:00:00Z') });
  });
  it.each(['2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-12-03T24:00:00Z', '2026-12-03T06:60:00Z', '2025-02-29T00:00:00+01:00', '2026-12-03T06:00:00+25:00'])(
    'rejects --now %s, a date or time that does not exist, instead of rolling it over',
    (text) => {
      expect(() => parseCommand(['check', '--now', text])).toThrow(new UsageError(`--now names a date or time that does not exist: "${text}"`));
    },
  );
  it('rejects --now without a time zone instead of reading it as local time', () => {
    expect(() => parseCommand(['check', '--now', '2026-12-03T06:00:00'])).toThrow(
      new UsageError('--now needs an explicit time zone (Z or ±hh:mm), such as 2026-12-03T06:00:00Z or 2026-12-03T01:00:00-05:00; got: "2026-12-03T06:00:00" (it would be read as this machine\'s local time)'),
    );
  });
  it.each([[''], [',,,'], [' , ']])('rejects --only "%s" instead of running every check', (value) => {
    expect(() => parseCommand(['check', '--only', value])).toThrow(new UsageError('--only needs at least one check id or prefix (e.g. --only backup.,db.connect)'));
    expect(() => parseCommand(['check', '--only', 'db.', '--only', value])).toThrow(UsageError);
  });
  it('keeps several --only flags and ignores stray commas', () => {
    expect(parseCommand(['check', '--only', 'db.,', '--only', 'backup.wal'])).toMatchObject({ only: ['db.', 'backup.wal'] });
  });
});
