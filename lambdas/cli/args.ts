import { parseArgs } from 'node:util';

/** A parsed command line. */
export type Command =
  | { command: 'check'; config: string; only: string[]; json: boolean; now?: Date; profile?: string; stateFile?: string; color?: boolean }
  | { command: 'logs'; file: string; json: boolean }
  | { command: 'help' }
  | { command: 'version' };

/** A usage problem; the CLI prints it with the usage text and exits 3. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The usage text printed by `--help`. Flags are a public interface (see README "CLI"). */
export const USAGE = `Usage:
  chronos-monitor check [--config FILE] [--only ID_OR_PREFIX,...] [--json] [--now ISO_TIME] [--profile NAME] [--state-file FILE] [--no-color]
  chronos-monitor logs [FILE|-] [--json]
  chronos-monitor --help | --version

check   runs every check (instance, database, backups & WAL, bucket) and prints the report.
          --config FILE      configuration file (default: monitor.config.json)
          --only LIST        only these check ids or prefixes, comma separated (e.g. backup.,db.connect or backup.wal)
          --json             print one JSON report instead of text
          --now ISO_TIME     evaluate every age as of this instant, with its zone (e.g. 2026-12-03T06:00:00Z); state is not saved
          --profile NAME     AWS profile (SSO profiles work: run \`aws sso login --profile NAME\` first)
          --state-file FILE  where the CLI remembers facts between runs (default: ~/.cache/chronos-monitor/state-<hash>.json)
          --no-color         plain text even on a terminal
logs    classifies PostgreSQL log lines (as \`docker logs chronos-db 2>&1\` prints them) from FILE or standard input;
          input without PostgreSQL log lines is unknown (exit 3).

Exit codes: 0 ok, 1 warn, 2 fail, 3 unknown or configuration/usage error.`;

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Reads `--now`: an ISO 8601 instant with an explicit zone. Without a zone JavaScript would read local time (a
 * different instant on each laptop), and an impossible date (2026-02-30) would roll over into the next month.
 */
export function parseInstant(text: string): Date {
  const m = INSTANT.exec(text);
  const example = 'such as 2026-12-03T06:00:00Z or 2026-12-03T01:00:00-05:00';
  if (!m) throw new UsageError(`--now must be an ISO 8601 instant ${example}, got: "${text}"`);
  const [, y, mo, d, h, mi, sec = '00', zone] = m;
  if (zone === undefined) throw new UsageError(`--now needs an explicit time zone (Z or ±hh:mm), ${example}; got: "${text}" (it would be read as this machine's local time)`);
  const date = new Date(text);
  const offsetMin = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  // Back to the wall clock in the given zone: a date that rolled over (Feb 30, 25:00) does not come back the same.
  const wall = Number.isNaN(date.getTime()) ? '' : new Date(date.getTime() + offsetMin * 60_000).toISOString().slice(0, 19);
  if (wall !== `${y}-${mo}-${d}T${h}:${mi}:${sec}` || Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59) {
    throw new UsageError(`--now names a date or time that does not exist: "${text}"`);
  }
  return date;
}

/** Parses argv (without node and script). Throws UsageError naming the bad flag or value. */
export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        only: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        now: { type: 'string' },
        profile: { type: 'string' },
        'state-file': { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { command: 'help' };
  if (v.version) return { command: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined) return { command: 'help' };
  if (command === 'logs') {
    if (rest.length > 1) throw new UsageError(`logs takes one FILE or -, got: ${rest.join(' ')}`);
    return { command: 'logs', file: rest[0] ?? '-', json: v.json ?? false };
  }
  if (command !== 'check') throw new UsageError(`unknown command "${command}"; expected "check" or "logs"`);
  if (rest.length > 0) throw new UsageError(`check takes no positional arguments, got: ${rest.join(' ')}`);
  const now = v.now === undefined ? undefined : parseInstant(v.now);
  const lists = (v.only ?? []).map((s) => s.split(',').map((id) => id.trim()).filter(Boolean));
  // An empty selection would silently run every check: the opposite of what `--only` asked for.
  if (lists.some((ids) => ids.length === 0)) throw new UsageError('--only needs at least one check id or prefix (e.g. --only backup.,db.connect)');
  const only = lists.flat();
  return {
    command: 'check',
    config: v.config ?? 'monitor.config.json',
    only,
    json: v.json ?? false,
    now,
    profile: v.profile,
    stateFile: v['state-file'],
    color: v['no-color'] ? false : undefined,
  };
}
