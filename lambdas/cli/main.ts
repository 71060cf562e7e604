import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_CHECKS, checkIdProblems } from '../checks';
import { ConfigError, loadConfigFile } from '../config/load';
import { buildDeps } from '../core/build-deps';
import { redact } from '../core/redact';
import { runbookFor } from '../core/runbook';
import { runChecks, selects } from '../core/runner';
import { FileStateStore, MemoryStateStore, type StateStore } from '../core/state';
import { exitCodeFor } from '../core/status';
import { classifyLog, renderLogReport } from '../logs/classify';
import { parseCommand, USAGE, UsageError } from './args';
import { renderReport } from './render';

/** What the CLI needs from its process; tests pass fakes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

const EXIT_UNKNOWN = 3;

function defaultStateFile(configPath: string, env: NodeJS.ProcessEnv): string {
  const hash = createHash('sha1').update(resolve(configPath)).digest('hex').slice(0, 10);
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'chronos-monitor', `state-${hash}.json`);
}

/** Runs the CLI and returns its exit code (0 ok, 1 warn, 2 fail, 3 unknown or configuration/usage error). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let cmd;
  try {
    cmd = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`chronos-monitor: ${err.message}\n\n${USAGE}\n`);
    return EXIT_UNKNOWN;
  }
  if (cmd.command === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (cmd.command === 'version') {
    io.stdout(`${(require('../../package.json') as { version: string }).version}\n`);
    return 0;
  }
  if (cmd.command === 'logs') {
    let text: string;
    try {
      text = cmd.file === '-' ? await io.readStdin() : await readFile(cmd.file, 'utf8');
    } catch (err) {
      io.stderr(`chronos-monitor: cannot read log file ${cmd.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return EXIT_UNKNOWN;
    }
    const report = classifyLog(text);
    io.stdout(cmd.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderLogReport(report)}\n`);
    return exitCodeFor(report.verdict);
  }

  const unknownIds = cmd.only.filter((o) => !ALL_CHECKS.some((c) => selects([o], c.id)));
  if (unknownIds.length > 0) {
    io.stderr(`chronos-monitor: --only names no check: ${unknownIds.join(', ')}; check ids are: ${ALL_CHECKS.map((c) => c.id).join(', ')}\n`);
    return EXIT_UNKNOWN;
  }
  let config;
  try {
    config = loadConfigFile(cmd.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`chronos-monitor: ${err.message}\n`);
    return EXIT_UNKNOWN;
  }
  const idProblems = checkIdProblems(config.checks.disabled);
  if (idProblems.length > 0) {
    io.stderr(`chronos-monitor: configuration file ${cmd.config} is invalid:\n${idProblems.map((p) => `  - ${p}`).join('\n')}\n`);
    return EXIT_UNKNOWN;
  }
  // A what-if run (--now) must not teach the state store anything about the real present.
  const state: StateStore = cmd.now ? new MemoryStateStore() : new FileStateStore(cmd.stateFile ?? defaultStateFile(cmd.config, io.env), { onWarning: (m) => io.stderr(`chronos-monitor: ${m}\n`) });
  const now = cmd.now ?? new Date();
  const deps = buildDeps(config, { profile: cmd.profile, state, env: io.env });
  let report;
  try {
    report = await runChecks(ALL_CHECKS, { config, deps, now }, { deadlineMs: config.checks.deadlineMs, only: cmd.only });
  } finally {
    await deps.close();
  }
  if (cmd.json) {
    // The runner already redacted every summary and detail; ids, statuses and keys are the code's own words.
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const color = cmd.color ?? (io.isTTY && !io.env.NO_COLOR);
    const header = `chronos-monitor check — ${now.toISOString()}${cmd.now ? ' (--now)' : ''} — ${cmd.config}`;
    const repo = config.backups.repository;
    const names = { instanceName: config.instance.name, region: config.region, stanza: config.backups.stanza, bucket: repo.type === 's3' ? repo.bucket : undefined };
    const hint = (id: string) => {
      const line = runbookFor(id, names);
      return line && redact(line);
    };
    io.stdout(`${renderReport(report, { color, header: redact(header), hint })}\n`);
  }
  return exitCodeFor(report.status);
}
