import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PostgreSQL 15 server binaries (Debian layout); override with PG_BINDIR. */
export const PG_BINDIR = process.env.PG_BINDIR ?? '/usr/lib/postgresql/15/bin';

/** Fails (rather than skips) when a tool the test needs is missing; CI must install it. */
export function requireTool(path: string, hint: string): void {
  if (!existsSync(path)) throw new Error(`${path} not found: ${hint} (CI installs it in .ci/run)`);
}

/** True when running as root: servers and pgBackRest then run as the `postgres` OS user. */
export const isRoot = process.getuid?.() === 0;

/** Runs a command as the cluster's OS user (postgres when we are root). Throws with stderr on failure. */
export function runAsOwner(cmd: string, args: string[], env: Record<string, string> = {}, opts: { allowFail?: boolean } = {}): { status: number; stdout: string; stderr: string } {
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', 'env', ...envArgs, cmd, ...args]] : ['env', [...envArgs, cmd, ...args]];
  const r = spawnSync(file, argv, { encoding: 'utf8', timeout: 120_000 });
  const out = { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (out.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} failed (${out.status}): ${out.stderr || out.stdout}`);
  return out;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Makes a temp directory the cluster owner can write. */
export function ownedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** Options for a throwaway cluster. */
export interface ClusterOptions {
  /** Extra postgresql.conf lines. */
  conf?: string[];
  /** Extra initdb arguments, e.g. `--wal-segsize=64`. */
  initdbArgs?: string[];
  /** Environment for the postmaster (inherited by archive_command), e.g. PGBACKREST_CONFIG. */
  env?: Record<string, string>;
  /** Password for the `postgres` superuser; scram-sha-256 on TCP when set, trust otherwise. */
  superuserPassword?: string;
}

/** A throwaway PostgreSQL cluster on a free loopback port, never touching a system cluster. */
export class PgCluster {
  readonly dataDir: string;
  readonly socketDir: string;
  readonly logFile: string;
  private running = false;
  private constructor(readonly baseDir: string, readonly port: number, private readonly options: ClusterOptions) {
    this.dataDir = join(baseDir, 'data');
    this.socketDir = join(baseDir, 'sock');
    this.logFile = join(baseDir, 'postgres.log');
  }

  /** initdb + start. */
  static async create(options: ClusterOptions = {}): Promise<PgCluster> {
    requireTool(join(PG_BINDIR, 'initdb'), 'PostgreSQL 15 server binaries are needed (apt-get install postgresql-15)');
    const base = ownedTempDir('chronos-pg-');
    const c = new PgCluster(base, await freePort(), options);
    mkdirSync(c.socketDir);
    if (isRoot) execFileSync('chown', ['postgres:postgres', c.socketDir]);
    const pwArgs: string[] = [];
    if (options.superuserPassword) {
      const pwFile = join(base, 'pw');
      writeFileSync(pwFile, options.superuserPassword);
      if (isRoot) execFileSync('chown', ['postgres:postgres', pwFile]);
      pwArgs.push(`--pwfile=${pwFile}`, '--auth-host=scram-sha-256', '--auth-local=trust');
    } else {
      pwArgs.push('--auth=trust');
    }
    runAsOwner(join(PG_BINDIR, 'initdb'), ['-D', c.dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', ...pwArgs, ...(options.initdbArgs ?? [])]);
    appendFileSync(
      join(c.dataDir, 'postgresql.conf'),
      [`port = ${c.port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${c.socketDir}'`, 'fsync = off', ...(options.conf ?? [])].join('\n') + '\n',
    );
    c.start();
    return c;
  }

  /** Starts the server (waits until it accepts connections). */
  start(): void {
    runAsOwner(join(PG_BINDIR, 'pg_ctl'), ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', 'start'], this.options.env ?? {});
    this.running = true;
  }

  /** Stops the server (fast). */
  stop(): void {
    if (!this.running) return;
    runAsOwner(join(PG_BINDIR, 'pg_ctl'), ['-D', this.dataDir, '-m', 'fast', '-w', 'stop'], {}, { allowFail: true });
    this.running = false;
  }

  /** Runs SQL through psql over the socket as the superuser and returns trimmed unaligned output. */
  sql(query: string, database = 'postgres'): string {
    return runAsOwner('/usr/bin/psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', this.socketDir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-c', query]).stdout.trim();
  }

  /** Appends to postgresql.conf and reloads. */
  reconfigure(lines: string[]): void {
    appendFileSync(join(this.dataDir, 'postgresql.conf'), lines.join('\n') + '\n');
    this.sql('select pg_reload_conf()');
  }

  /** The server log so far. */
  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /** Stops the server and removes every file. */
  destroy(): void {
    this.stop();
    rmSync(this.baseDir, { recursive: true, force: true });
  }
}
