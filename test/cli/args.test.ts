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
    expect(() => parseCommand(['check', '--now', 'yesterday'])).toThrow(new UsageError('--now must be an ISO 8601 instant such as 2026-12-03T06:00:00Z, got: "yesterday"'));
  });
  it('rejects unknown flags and commands', () => {
    expect(() => parseCommand(['check', '--bogus'])).toThrow(UsageError);
    expect(() => parseCommand(['chek'])).toThrow('unknown command "chek"; expected "check" or "logs"');
  });
  it('reads logs from standard input by default', () => {
    expect(parseCommand(['logs'])).toEqual({ command: 'logs', file: '-', json: false });
  });
});
