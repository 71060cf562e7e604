import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { qualityCheck } from '../../../lambdas/checks/backups/quality';
import { inProgressGraceSeconds, labelScan } from '../../../lambdas/pgbackrest/in-progress';
import { isRoot } from '../../support/pg-cluster';
import { backupContext, PGBACKREST_BIN, PgBackRestFixture } from '../../support/pgbackrest';
import { interruptedBackupLayout } from '../../support/pgbackrest-scenarios';

describe('backup.quality on a repository written by pgBackRest', () => {
  let f: PgBackRestFixture;
  let labels: string[] = [];
  const ctx = (now?: Date) => backupContext({ repository: new PosixRepositoryStore(f.repo.path), ...(now ? { now } : {}) });

  beforeAll(async () => {
    f = await PgBackRestFixture.create();
    f.backup('full');
    f.switchWal(1);
    f.backup('diff');
    labels = (JSON.parse(f.pgbackrest(['info', '--output=json']))[0].backup as { label: string }[]).map((b) => b.label);
  });
  afterAll(() => f?.destroy());

  it('is ok when every backup has its manifest, no error flag, and the diff references an existing full', async () => {
    const out = await qualityCheck.run(ctx());
    expect(out.status).toBe('ok');
    expect(out.summary).toBe('2 backup(s) have no error flag, a manifest and existing priors');
    expect(out.details).toMatchObject({ fails: [], warns: [], requests: 3 });
  });

  it('recognises a running backup (simulated: the backup.manifest.copy-only layout a real backup leaves before it completes) and lends full-age its grace', async () => {
    const label = interruptedBackupLayout(f.repo.path, labels[0], '20991231-235959F');
    const out = await qualityCheck.run(ctx());
    expect(out.status).toBe('ok');
    expect(out.summary).toMatch(/; full backup 20991231-235959F is running \(last heartbeat \d+s ago, grace 2h 00m\)$/);
    const scan = await labelScan(ctx());
    if (!scan.ok) throw new Error(scan.reason);
    expect(scan.value.unlisted).toEqual([{ label, type: 'full', state: 'in-progress', heartbeat: expect.any(Number) }]);
    expect(inProgressGraceSeconds(scan.value.unlisted, 'full', 2, Date.now())).toBe(7200);
    expect(inProgressGraceSeconds(scan.value.unlisted, 'full', 2, Date.now() + 3 * 3600_000)).toBe(0);
  });

  it('warns "stalled/aborted" when the in-progress heartbeat is older than the grace period', async () => {
    const copy = join(f.repo.path, 'backup', 'chronos', '20991231-235959F', 'backup.manifest.copy');
    const old = new Date(Date.now() - 3 * 3600_000);
    utimesSync(copy, old, old);
    const out = await qualityCheck.run(ctx());
    expect(out.status).toBe('warn');
    expect(out.summary).toMatch(/^full backup 20991231-235959F looks stalled\/aborted: not in backup.info, last heartbeat 3h 0\dm ago \(grace 2h 00m\); not trusted/);
    rmSync(join(f.repo.path, 'backup', 'chronos', '20991231-235959F'), { recursive: true });
  });

  it('recognises a real full backup killed with SIGKILL mid-way (label folder with backup.manifest.copy only), and calls it stalled after the grace', async () => {
    f.cluster.sql("create table big as select g, repeat(md5(g::text), 8) as payload from generate_series(1, 400000) g");
    const args = [`--config=${f.configPath}`, `--stanza=${f.stanza}`, '--type=full', 'backup'];
    const child = isRoot ? spawn('runuser', ['-u', 'postgres', '--', 'env', 'TZ=UTC', PGBACKREST_BIN, ...args], { detached: true, stdio: 'ignore' }) : spawn(PGBACKREST_BIN, args, { detached: true, stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
    const base = join(f.repo.path, 'backup', 'chronos');
    const known = new Set(labels);
    let label: string | undefined;
    const deadline = Date.now() + 60_000;
    while (!label && Date.now() < deadline) {
      label = readdirSync(base).find((n) => /F$/.test(n) && !known.has(n) && existsSync(join(base, n, 'backup.manifest.copy')));
      if (!label) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
    process.kill(-(child.pid as number), 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    if (!label) throw new Error('the backup never wrote backup.manifest.copy');
    expect(existsSync(join(base, label, 'backup.manifest'))).toBe(false);
    const now = await qualityCheck.run(ctx());
    expect(now.status).toBe('ok');
    expect(now.summary).toContain(`full backup ${label} is running`);
    const later = await qualityCheck.run(ctx(new Date(Date.now() + 3 * 3600_000)));
    expect(later.status).toBe('warn');
    expect(later.summary).toContain(`full backup ${label} looks stalled/aborted`);
    rmSync(join(base, label), { recursive: true });
  });

  it('fails when a backup listed in backup.info has lost its backup.manifest', async () => {
    rmSync(join(f.repo.path, 'backup', 'chronos', labels[1], 'backup.manifest'));
    const out = await qualityCheck.run(ctx());
    expect(out.status).toBe('fail');
    expect(out.summary).toMatch(new RegExp(`^backup ${labels[1]} is in backup.info but backup/chronos/${labels[1]}/backup.manifest is missing`));
  });
});
