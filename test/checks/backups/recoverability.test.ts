import { join } from 'node:path';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { recoverabilityCheck } from '../../../lambdas/checks/backups/recoverability';
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

  it('fails and names where recovery stops when the rollover segment 000000010000000100000000 is deleted', async () => {
    deleteSegments(f.repo.path, ['000000010000000100000000']);
    const [rec] = await runChecksOn([recoverabilityCheck], ctx());
    expect(rec.status).toBe('fail');
    expect(rec.summary).toContain('WAL hole 000000010000000100000000 (1 segment) cuts the chain');
    expect(rec.details).toMatchObject({ restorableTo: { segment: '00000001000000000000003F' } });
  });
});
