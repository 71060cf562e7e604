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
  chronos-monitor check [--config FILE] [--only ID_OR_PREFIX,...] [--json] [--now ISO_TIME] [--profile NAME] [--state-file FILE]
  chronos-monitor logs [FILE|-] [--json]
  chronos-monitor --help | --version

check   runs every check (instance, database, backups & WAL, bucket) and prints the report.
          --config FILE      configuration file (default: monitor.config.json)
          --only LIST        only these check ids or prefixes, comma separated (e.g. backup.,db.connect)
          --json             print one JSON report instead of text
          --now ISO_TIME     evaluate every age as of this instant (e.g. 2026-12-03T06:00:00Z); state is not saved
          --profile NAME     AWS profile (SSO profiles work: run \`aws sso login --profile NAME\` first)
          --state-file FILE  where the CLI remembers facts between runs (default: ~/.cache/chronos-monitor/state-<hash>.json)
          --no-color         plain text even on a terminal
logs    classifies PostgreSQL log lines (as \`docker logs chronos-db 2>&1\` prints them) from FILE or standard input.

Exit codes: 0 ok, 1 warn, 2 fail, 3 unknown or configuration/usage error.`;

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
  let now: Date | undefined;
  if (v.now !== undefined) {
    now = new Date(v.now);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(v.now) || Number.isNaN(now.getTime())) {
      throw new UsageError(`--now must be an ISO 8601 instant such as 2026-12-03T06:00:00Z, got: "${v.now}"`);
    }
  }
  const only = (v.only ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
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
