import { join } from 'node:path';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { recoverabilityCheck } from '../../../lambdas/checks/backups/recoverability';
import { rpoCheck } from '../../../lambdas/checks/backups/rpo';
import { walAgeCheck } from '../../../lambdas/checks/backups/wal-age';
import { walContinuityCheck } from '../../../lambdas/checks/backups/wal-continuity';
import { MemoryStateStore } from '../../../lambdas/core/state';
import { PG_BINDIR, runAsOwner } from '../../support/pg-cluster';
import { PgBackRestFixture } from '../../support/pgbackrest';
import { deleteSegments, recoveryContext, runChecksOn } from '../../support/pgbackrest-scenarios';

// 64 MiB segments (initdb --wal-segsize=64), WAL started at ...3D with pg_resetwal so a few switches roll over 3F → next log.
describe('backup.recoverability with 64 MiB WAL segments rolling over at 3F', () => {
  let f: PgBackRestFixture;
  let segments: string[] = [];
  const state = new MemoryStateStore();
  const ctx = (now?: Date) => recoveryContext(f, { repository: new PosixRepositoryStore(f.repo.path), state, ...(now ? { now } : {}) });

  beforeAll(async () => {
    f = await PgBackRestFixture.create({ initdbArgs: ['--wal-segsize=64'], pgConf: ['archive_timeout = 0'], stanzaCreate: false });
    f.cluster.stop();
    runAsOwner(join(PG_BINDIR, 'pg_resetwal'), ['-l', '00000001000000000000003D', '-D', f.cluster.dataDir]);
    f.cluster.start();
    f.pgbackrest(['stanza-create']);
    f.backup('full');
    segments = f.switchWal(3);
  });
  afterAll(() => f?.destroy());

  it('restores to now from one full backup when WAL is continuous across 00000001000000000000003F → 000000010000000100000000', async () => {
    expect(segments).toContain('00000001000000000000003F');
    expect(segments).toContain('000000010000000100000000');
    const [cont, rec] = await runChecksOn([walContinuityCheck, recoverabilityCheck], ctx());
    expect(cont.status).toBe('ok');
    expect(cont.summary).toMatch(/^WAL continuous from 00000001000000000000003[DE]\.\.00000001000000010000000[01] /);
    expect(rec.status).toBe('ok');
    expect(rec.summary).toMatch(/^restorable to now \(.+\) from 1 full backup\(s\) back to \d{4}-\d\d-\d\dT\d\d:\d\dZ \(window \d+s\)$/);
    expect(rec.metrics).toEqual([
      { name: 'RecoveryWindowSeconds', value: expect.any(Number), unit: 'Seconds' },
      { name: 'RecoveryExposureMinutes', value: 0, unit: 'None' },
    ]);
    expect(rec.details).toMatchObject({ walSegmentSizeBytes: 64 << 20, walSegmentSizeSource: 'database' });
  });

  it('judged from the repository alone (database down, segment size from config) it is unknown once the newest WAL is older than the RPO', async () => {
    const later = new Date(Date.now() + 3 * 3600_000);
    const c = recoveryContext(f, { repository: new PosixRepositoryStore(f.repo.path), now: later, databaseDown: true, extra: { database: { host: '127.0.0.1', database: 'postgres', user: 'postgres', port: 1, walSegmentSizeBytes: 64 << 20 } } });
    const [rec] = await runChecksOn([recoverabilityCheck], c);
    expect(rec.status).toBe('unknown');
    expect(rec.summary).toMatch(/^restorable to .+ \(3h 0\dm ago, RPO 15 min; judged on the repository only/);
  });

  it('judges a what-if run (--now 9999-12-31) on the repository only and never reports a restore point past the newest archived WAL', async () => {
    const [rec, rpo, age] = await runChecksOn([recoverabilityCheck, rpoCheck, walAgeCheck], ctx(new Date('9999-12-31T23:59:59Z')));
    expect(rec.status).toBe('unknown');
    expect(rec.summary).toMatch(/^what-if at 9999-12-31T23:59:59Z: judged on the repository only: restorable to 20\d\d-\d\d-\d\dT\d\d:\d\dZ \(\d+d \d\dh before --now, RPO 15 min; /);
    const archivedAt = (rec.details as { restorableTo: { archivedAt: string } }).restorableTo.archivedAt;
    expect(rec.summary).toContain(`restorable to ${archivedAt} (`);
    expect(rpo.status).toBe('unknown');
    expect(rpo.summary).toMatch(/^what-if at 9999-12-31T23:59:59Z: judged on the repository only: newest WAL reaching a restore \(\S+, archived 20\d\d-\S+\) is \d+d \d\dh older than --now \(warn 10 min, RPO 15 min\); the database cannot say whether it was idle or stuck then$/);
    expect(age.status).toBe('warn');
    expect(age.summary).toMatch(/^what-if at 9999-12-31T23:59:59Z: judged on the repository only: newest WAL \S+ archived \d+d \d\dh ago, over 10 min and the database cannot say whether it was idle then/);
  });

  it('says unknown for a what-if before the oldest backup (--now 1970-01-01), with no restore point and no negative age', async () => {
    const [rec, rpo, age] = await runChecksOn([recoverabilityCheck, rpoCheck, walAgeCheck], ctx(new Date('1970-01-01T00:00:00Z')));
    expect(rec.status).toBe('unknown');
    expect(rec.summary).toMatch(/^what-if at 1970-01-01T00:00:00Z: judged on the repository only: 1970-01-01T00:00Z is before the oldest restorable backup \S+ \(finished 20\d\d-\S+, in the future relative to --now\): cannot tell what was restorable then$/);
    expect(rpo.status).toBe('unknown');
    expect(rpo.summary).toMatch(/^what-if at 1970-01-01T00:00:00Z: judged on the repository only: RPO exposure cannot be measured: the oldest restorable backup \S+ finished 20\S+, in the future relative to --now/);
    expect(age.status).toBe('unknown');
    expect(age.summary).toMatch(/^what-if at 1970-01-01T00:00:00Z: judged on the repository only: newest WAL \S+ archived 20\S+, \d+d \d\dh in the future relative to --now: the repository of today cannot tell what was archived then$/);
    expect(age.metrics).toEqual([{ name: 'WalArchiveAgeSeconds', value: 0, unit: 'Seconds' }]);
    for (const o of [rec, rpo, age]) expect(o.summary).not.toMatch(/(^|[ (])-\d/);
  });

  it('is back to judging the live database on the next real run after what-if runs', async () => {
    const [rec] = await runChecksOn([recoverabilityCheck], ctx());
    expect(rec.status).toBe('ok');
    expect(rec.summary).toMatch(/^restorable to now \(/);
    expect(rec.details).toMatchObject({ fullVerification: true });
  });

  it('fails and names where recovery stops when the rollover segment 000000010000000100000000 is deleted', async () => {
    deleteSegments(f.repo.path, ['000000010000000100000000']);
    const [rec] = await runChecksOn([recoverabilityCheck], ctx());
    expect(rec.status).toBe('fail');
    expect(rec.summary).toContain('WAL hole 000000010000000100000000 (1 segment) cuts the chain');
    expect(rec.details).toMatchObject({ restorableTo: { segment: '00000001000000000000003F' } });
  });
});
