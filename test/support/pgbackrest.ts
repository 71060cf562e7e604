import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownedTempDir, PgCluster, requireTool, runAsOwner, isRoot } from './pg-cluster';
import { execFileSync } from 'node:child_process';
import { parseConfig } from '../../lambdas/config/load';
import type { MonitorConfigInput } from '../../lambdas/config/schema';
import type { CheckContext } from '../../lambdas/core/check';
import type { Deps } from '../../lambdas/core/deps';
import { failed, observed } from '../../lambdas/core/observed';
import type { RepositoryStore } from '../../lambdas/core/ports';
import { registerSecret } from '../../lambdas/core/redact';
import { MemoryStateStore } from '../../lambdas/core/state';
import { computeInfoChecksum, parseInfoText } from '../../lambdas/pgbackrest/info';

/** Debian's pgBackRest binary; override with PGBACKREST_BIN. */
export const PGBACKREST_BIN = process.env.PGBACKREST_BIN ?? '/usr/bin/pgbackrest';

/** One repository of the harness. */
export interface RepoSpec {
  /** Encrypt with aes-256-cbc. @default false */
  encrypted?: boolean;
  /** Cipher pass for an encrypted repo. @default a fixed test pass per repo index */
  cipherPass?: string;
  /** `repoN-retention-full`. @default 4 */
  retentionFull?: number;
  /** `repoN-retention-diff`, unset when omitted. */
  retentionDiff?: number;
  /** Extra `repoN-*` lines (written as given, e.g. `repo1-bundle=y`). */
  conf?: string[];
}

/** Options of {@link PgBackRestFixture.create}. */
export interface PgBackRestOptions {
  /** Stanza name. @default 'chronos' */
  stanza?: string;
  /** The repositories (repo1, repo2, ...). @default [{}] (one plaintext repo) */
  repos?: RepoSpec[];
  /** Extra initdb arguments, e.g. `--wal-segsize=64`. */
  initdbArgs?: string[];
  /** Extra postgresql.conf lines. */
  pgConf?: string[];
  /** Extra `[global]` lines of pgbackrest.conf. */
  globalConf?: string[];
  /** Run stanza-create right away. @default true */
  stanzaCreate?: boolean;
}

/** A realised repository: where it lives and how it is opened. */
export interface RepoHandle {
  /** 1-based repository index (repo1, repo2). */
  index: number;
  /** Absolute path of the posix repository (repoN-path). */
  path: string;
  encrypted: boolean;
  /** The repository cipher pass, when encrypted. */
  cipherPass?: string;
}

/** Pass used for encrypted repos unless a test gives its own; long enough to be obviously findable in output. */
export const TEST_CIPHER_PASS = 'chronos-test-cipher-pass-7f3a9c';

/**
 * A throwaway PostgreSQL 15 cluster archiving through real pgBackRest (Debian package) into one or more posix
 * repositories, plaintext or encrypted. pgBackRest always runs with TZ=UTC as the cluster owner, with its log,
 * lock and spool paths in the fixture's temp dir. Call {@link destroy} in afterAll.
 */
export class PgBackRestFixture {
  /** Path of the generated pgbackrest.conf. */
  readonly configPath: string;
  private constructor(
    readonly cluster: PgCluster,
    readonly baseDir: string,
    readonly stanza: string,
    readonly repos: RepoHandle[],
  ) {
    this.configPath = join(baseDir, 'pgbackrest.conf');
  }

  /** Creates the cluster (archive_command = pgBackRest archive-push), writes the config and creates the stanza. */
  static async create(options: PgBackRestOptions = {}): Promise<PgBackRestFixture> {
    requireTool(PGBACKREST_BIN, 'pgBackRest is needed (apt-get install pgbackrest)');
    const stanza = options.stanza ?? 'chronos';
    const base = ownedTempDir('chronos-pgbr-');
    const specs = options.repos ?? [{}];
    const repos: RepoHandle[] = specs.map((s, i) => {
      const path = join(base, `repo${i + 1}`);
      return { index: i + 1, path, encrypted: !!s.encrypted, ...(s.encrypted ? { cipherPass: s.cipherPass ?? `${TEST_CIPHER_PASS}-${i + 1}` } : {}) };
    });
    const configPath = join(base, 'pgbackrest.conf');
    const cluster = await PgCluster.create({
      initdbArgs: options.initdbArgs,
      conf: [
        'wal_level = replica',
        'archive_mode = on',
        `archive_command = '${PGBACKREST_BIN} --config=${configPath} --stanza=${stanza} archive-push %p'`,
        ...(options.pgConf ?? []),
      ],
      env: { TZ: 'UTC' },
    });
    const f = new PgBackRestFixture(cluster, base, stanza, repos);
    try {
      for (const d of ['log', 'lock', 'spool', ...repos.map((r) => `repo${r.index}`)]) mkdirOwned(join(base, d));
      const lines = [
        '[global]',
        `log-path=${join(base, 'log')}`,
        `lock-path=${join(base, 'lock')}`,
        `spool-path=${join(base, 'spool')}`,
        'log-level-console=warn',
        'log-level-file=info',
        'start-fast=y',
        'compress-type=gz',
        ...repos.flatMap((r, i) => {
          const s = specs[i];
          const n = `repo${r.index}`;
          return [
            `${n}-path=${r.path}`,
            `${n}-retention-full=${s.retentionFull ?? 4}`,
            ...(s.retentionDiff ? [`${n}-retention-diff=${s.retentionDiff}`] : []),
            ...(r.encrypted ? [`${n}-cipher-type=aes-256-cbc`, `${n}-cipher-pass=${r.cipherPass}`] : []),
            ...(s.conf ?? []),
          ];
        }),
        ...(options.globalConf ?? []),
        '',
        `[${stanza}]`,
        `pg1-path=${cluster.dataDir}`,
        `pg1-port=${cluster.port}`,
        `pg1-socket-path=${cluster.socketDir}`,
        '',
      ];
      writeFileSync(configPath, lines.join('\n'), { mode: 0o640 });
      if (isRoot) execFileSync('chown', ['postgres:postgres', configPath]);
      if (options.stanzaCreate ?? true) f.pgbackrest(['stanza-create']);
      return f;
    } catch (err) {
      f.destroy();
      throw err;
    }
  }

  /** The first repository (repo1). */
  get repo(): RepoHandle {
    return this.repos[0];
  }

  /** Runs `pgbackrest --config=... --stanza=... <args>` as the cluster owner with TZ=UTC; returns stdout. */
  pgbackrest(args: string[], env: Record<string, string> = {}): string {
    return runAsOwner(PGBACKREST_BIN, [`--config=${this.configPath}`, `--stanza=${this.stanza}`, ...args], { TZ: 'UTC', ...env }).stdout;
  }

  /** Takes a backup (`full`, `diff` or `incr`) into one repository (default repo1). */
  backup(type: 'full' | 'diff' | 'incr', opts: { repo?: number; env?: Record<string, string> } = {}): void {
    this.pgbackrest([`--type=${type}`, ...(opts.repo ? [`--repo=${opts.repo}`] : []), 'backup'], opts.env);
  }

  /** Writes a little data so a WAL switch has something to close. */
  write(rows = 1000): void {
    this.cluster.sql(`create table if not exists chronos_fixture(id serial primary key, payload text); insert into chronos_fixture(payload) select md5(g::text) from generate_series(1, ${rows}) g`);
  }

  /** Writes data, switches WAL `count` times and waits until every closed segment is archived; returns their names. */
  switchWal(count = 1): string[] {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      this.write(100);
      names.push(this.cluster.sql('select pg_walfile_name(pg_switch_wal())'));
    }
    this.waitArchived(names[names.length - 1]);
    return names;
  }

  /** Waits (up to 30 s) until pg_stat_archiver reports `wal` (or a later segment) archived; throws with the archiver state otherwise. */
  waitArchived(wal: string): void {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [last, failedCount] = this.cluster.sql("select coalesce(last_archived_wal, ''), failed_count from pg_stat_archiver").split('|');
      if (last >= wal) return;
      if (Date.now() > deadline) throw new Error(`WAL ${wal} not archived within 30 s (last archived ${last || 'none'}, failed ${failedCount}); see ${this.cluster.logFile}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }

  /** Stops the cluster and removes the cluster, the repositories and the logs. */
  destroy(): void {
    this.cluster.destroy();
    rmSync(this.baseDir, { recursive: true, force: true });
  }
}

function mkdirOwned(path: string): void {
  runAsOwner('/bin/mkdir', ['-p', path]);
}

/** Options of {@link backupContext}. */
export interface BackupContextOptions {
  /** The repository store the checks read. */
  repository: RepositoryStore;
  /** The stanza. @default 'chronos' */
  stanza?: string;
  /** Cipher pass the monitor is configured with (undefined: none configured). */
  cipherPass?: string;
  /** Evaluation instant. @default new Date() */
  now?: Date;
  /** Extra `backups` config (thresholds, retention ...). */
  backups?: Partial<MonitorConfigInput['backups']>;
  /** Extra top-level config. */
  extra?: Partial<MonitorConfigInput>;
  /** The database source. @default - none: connect() and systemIdentifier() answer "unreachable", the rest rejects */
  database?: Partial<Deps['database']>;
}

/**
 * A check context for backup checks: a real repository store and a cipher pass, every other source a stub that
 * rejects (so a backup check touching them shows up as a crash). Each call builds fresh deps (fresh facts cache).
 */
export function backupContext(o: BackupContextOptions): CheckContext {
  const config = parseConfig({
    instance: { name: 'chronos-production-database' },
    database: { host: '127.0.0.1', database: 'postgres', user: 'chronos_monitor', tls: { mode: 'disable' } },
    backups: { repository: { type: 'posix', path: '/nonexistent' }, stanza: o.stanza ?? 'chronos', cipherPass: { env: 'CHRONOS_TEST_CIPHER_PASS' }, ...(o.backups ?? {}) },
    ...(o.extra ?? {}),
  });
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not used by backup checks')) });
  // backup.repository compares the repository with the live database when it can read one; here there is none.
  const noDatabase = failed('unreachable', 'no database in this test');
  const database = new Proxy({}, { get: (_, name) => (name === 'connect' || name === 'systemIdentifier' ? async () => noDatabase : () => Promise.reject(new Error('not used by backup checks'))) });
  const deps: Deps = {
    instance: unused as Deps['instance'],
    database: (o.database ?? database) as Deps['database'],
    repository: o.repository,
    state: new MemoryStateStore(),
    cipherPass: async () => {
      registerSecret(o.cipherPass);
      return observed(o.cipherPass);
    },
  };
  return { config, deps, now: o.now ?? new Date(), signal: new AbortController().signal };
}

/** Rewrites `backrest-checksum` of an edited info file so it verifies again (tests that edit real pgBackRest output). */
export function withValidChecksum(text: string): string {
  const sum = computeInfoChecksum(parseInfoText(text));
  return text.replace(/^backrest-checksum=.*$/m, `backrest-checksum="${sum}"`);
}

/** Private copies of repositories that tests may damage; `copy` makes one, `removeAll` (in afterAll) deletes them. */
export class RepoCopies {
  private readonly dirs: string[] = [];
  /** Copies a repository directory (symlinks kept as they are) into a new temp dir. */
  copy(path: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'chronos-repo-copy-'));
    cpSync(path, dir, { recursive: true, verbatimSymlinks: true });
    this.dirs.push(dir);
    return dir;
  }
  /** Deletes every copy. */
  removeAll(): void {
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}
