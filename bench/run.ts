/**
 * `npm run bench`: speed and memory of the parts that scale with the operator's data, measured (never asserted
 * in tests). Prints a Markdown table; the README's "Benchmarks" section quotes it.
 *
 * 1. the backups belt over a synthetic posix repository: the demo's real backup.info/archive.info plus a WAL
 *    archive of N empty segment files (names are all the checks read), first run (lists every folder) and a
 *    steady-state run (verified folders come from the state store);
 * 2. pure parsers: backup.info parse + checksum, findHoles over a long retention window, the log classifier.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../lambdas/adapters/repository/posix';
import { backupsChecks } from '../lambdas/checks/backups';
import { parseConfig } from '../lambdas/config/load';
import type { Deps } from '../lambdas/core/deps';
import { observed } from '../lambdas/core/observed';
import type { ArchiverFacts, DatabaseSource, RepoListing, RepositoryStore } from '../lambdas/core/ports';
import { runChecks } from '../lambdas/core/runner';
import { MemoryStateStore } from '../lambdas/core/state';
import { classifyLog } from '../lambdas/logs/classify';
import { findHoles, type DirIndex } from '../lambdas/pgbackrest/continuity';
import { lineageSpans } from '../lambdas/pgbackrest/history';
import { computeInfoChecksum, parseBackupInfo, parseInfoText } from '../lambdas/pgbackrest/info';
import { segmentName, segmentsPerLog } from '../lambdas/pgbackrest/wal';

const SEG = 16 * 1024 * 1024;
const FIXTURE = join(__dirname, '..', 'demo', 'fixtures', 'repo');
const rows: string[][] = [];

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

/** Median wall time of `runs` calls, in milliseconds. */
async function time(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  return t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
}

/** Counts the store's requests (a listing page or a GET/HEAD each). */
class CountingStore implements RepositoryStore {
  requests = 0;
  constructor(private readonly inner: RepositoryStore) {}
  describe() {
    return this.inner.describe();
  }
  async read(key: string, signal?: AbortSignal) {
    this.requests++;
    return this.inner.read(key, signal);
  }
  async head(key: string, signal?: AbortSignal) {
    this.requests++;
    return this.inner.head(key, signal);
  }
  async list(prefix: string, signal?: AbortSignal) {
    const r = await this.inner.list(prefix, signal);
    this.requests += r.ok ? (r.value as RepoListing).requests : 1;
    return r;
  }
}

/** A repository with the demo fixture's backups and a WAL archive of `segments` segments from the oldest backup's start. */
function syntheticRepo(segments: number): { dir: string; newest: string } {
  const dir = mkdtempSync(join(tmpdir(), 'chronos-bench-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const archiveDir = join(dir, 'archive', 'chronos', '15-1');
  const n = segmentsPerLog(SEG);
  const first = 5; // the fixture's oldest backup starts at segment 5
  let newest = '';
  for (let s = first; s < first + segments; s++) {
    const name = segmentName(1, s, SEG);
    const folder = join(archiveDir, name.slice(0, 16));
    if (s === first || s % n === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${name}-${'0'.repeat(40)}.zst`), '');
    newest = name;
  }
  return { dir, newest };
}

function fakeDatabase(newest: string): DatabaseSource {
  const now = new Date().toISOString();
  const facts: ArchiverFacts = {
    archiveMode: 'on', archiveTimeoutSeconds: 300, archivedCount: 1, failedCount: 0, lastArchivedWal: newest, lastArchivedTime: now,
    lastFailedWal: null, lastFailedTime: null, statsReset: null, failingNow: false, readyCount: 0, oldestReadySeconds: null,
    currentLsn: '0/0', timeline: 1, walSegmentSizeBytes: SEG, unarchivedBytes: 0, serverNow: now,
  };
  const unused = async () => observed(undefined as never);
  return { connect: unused, extensions: unused, sizeBytes: unused, archiver: async () => observed(facts), close: async () => undefined };
}

async function benchBackupsBelt(segments: number): Promise<void> {
  const { dir, newest } = syntheticRepo(segments);
  try {
    const config = parseConfig({
      instance: { name: 'bench' },
      database: { host: '127.0.0.1', database: 'bench', user: 'bench' },
      backups: { repository: { type: 'posix', path: dir }, stanza: 'chronos', retention: { full: 1 } },
    });
    const state = new MemoryStateStore();
    for (const label of ['first run', 'steady state']) {
      const store = new CountingStore(new PosixRepositoryStore(dir));
      const deps = { instance: {} as never, database: fakeDatabase(newest), repository: store, state, cipherPass: async () => observed(undefined) } as Deps;
      global.gc?.();
      const before = process.memoryUsage().heapUsed;
      const s = process.hrtime.bigint();
      const report = await runChecks(backupsChecks, { config, deps, now: new Date() }, { deadlineMs: 600_000 });
      const ms = Number(process.hrtime.bigint() - s) / 1e6;
      const heap = process.memoryUsage().heapUsed - before;
      const cont = report.checks.find((c) => c.id === 'backup.wal-continuity');
      rows.push([`backups belt, ${segments.toLocaleString('en')} WAL segments (${Math.ceil(segments / 256)} folders), ${label}`, `${ms.toFixed(0)} ms`, `${store.requests} requests`, `heap +${mib(Math.max(0, heap))}, status ${cont?.status}`]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchParsers(): Promise<void> {
  const text = readFileSync(join(FIXTURE, 'backup', 'chronos', 'backup.info'), 'utf8');
  const ms = await time(2000, () => computeInfoChecksum(parseInfoText(text)) && parseBackupInfo(text));
  rows.push(['parse + verify backup.info (2 backups, 1.9 KiB)', `${(ms * 1000).toFixed(0)} µs`, '', '']);

  const n = 1_000_000;
  const spans = lineageSpans(1, [], SEG);
  const dirs: DirIndex = new Map();
  for (let log = 0; log * 256 < n; log++) {
    const name = segmentName(1, log * 256, SEG).slice(0, 16);
    dirs.set(name, { dir: name, tli: 1, log, source: 'cached', cached: { lo: 0, hi: 255 } as never, segments: new Map(), partials: [], backupFiles: [], unexpected: [] });
  }
  const holesMs = await time(20, () => findHoles(spans, dirs, 0, n - 1, SEG));
  rows.push(['findHoles over 1,000,000 segments (3,907 verified folders)', `${holesMs.toFixed(1)} ms`, '', '']);

  const sample = [
    '2026-12-03 11:00:02.123 UTC [1234] LOG:  checkpoint starting: time',
    '2026-12-03 11:00:03.001 UTC [1240] FATAL:  unsupported frontend protocol 0.0: server supports 3.0 to 3.0',
    '2026-12-03 11:00:04.551 UTC [1241] FATAL:  password authentication failed for user "postgres"',
    '2026-12-03 11:00:04.551 UTC [1241] DETAIL:  Connection matched file "/var/lib/postgresql/data/pg_hba.conf" line 100: "host all all all scram-sha-256"',
    '2026-12-03 11:00:05.000 UTC [1250] LOG:  incomplete startup packet',
  ];
  const lines = Array.from({ length: 100_000 }, (_, i) => sample[i % sample.length]).join('\n');
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const logMs = await time(3, () => classifyLog(lines));
  rows.push(['classify 100,000 log lines (7.4 MB)', `${logMs.toFixed(0)} ms`, `${((100_000 / logMs) * 1000).toFixed(0)} lines/s`, `heap +${mib(Math.max(0, process.memoryUsage().heapUsed - before))}`]);
}

async function main(): Promise<void> {
  const started = Date.now();
  await benchParsers();
  for (const n of [2_000, 20_000]) await benchBackupsBelt(n);
  console.log(`chronos-monitor benchmarks — node ${process.version}, ${require('node:os').cpus().length} cores, ${new Date().toISOString()}\n`);
  console.log('| what | time | work | memory / result |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\npeak RSS ${mib(process.resourceUsage().maxRSS * 1024)}, total ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
