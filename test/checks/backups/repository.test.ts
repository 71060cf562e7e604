import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { PosixRepositoryStore } from '../../../lambdas/adapters/repository/posix';
import { S3RepositoryStore } from '../../../lambdas/adapters/repository/s3';
import { diffAgeCheck } from '../../../lambdas/checks/backups/diff-age';
import { recoverabilityCheck } from '../../../lambdas/checks/backups/recoverability';
import { repositoryCheck } from '../../../lambdas/checks/backups/repository';
import { rpoCheck } from '../../../lambdas/checks/backups/rpo';
import { walAgeCheck } from '../../../lambdas/checks/backups/wal-age';
import { walContinuityCheck } from '../../../lambdas/checks/backups/wal-continuity';
import { MemoryStateStore } from '../../../lambdas/core/state';
import type { Deps } from '../../../lambdas/core/deps';
import { observed } from '../../../lambdas/core/observed';
import { repoFacts } from '../../../lambdas/pgbackrest/facts';
import { runChecks } from '../../../lambdas/core/runner';
import type { RepositoryStore } from '../../../lambdas/core/ports';
import { backupContext, RepoCopies, PgBackRestFixture, withValidChecksum } from '../../support/pgbackrest';
import { recoveryContext, runChecksOn } from '../../support/pgbackrest-scenarios';
import { S3Server } from '../../support/s3-server';

describe('backup.repository on repositories written by pgBackRest 2.45', () => {
  let f: PgBackRestFixture;
  let s3: S3Server;
  let client: S3Client;
  const copies = new RepoCopies();
  const plain = () => f.repos[0];
  const enc = () => f.repos[1];
  /** A private copy of a repository that a test may damage. */
  const copyOf = (path: string): string => copies.copy(path);
  const run = (repository: RepositoryStore, cipherPass?: string, stanza?: string) => repositoryCheck.run(backupContext({ repository, cipherPass, stanza }));
  const run2 = (repository: RepositoryStore, database: Partial<Deps['database']>) => repositoryCheck.run(backupContext({ repository, database }));

  beforeAll(async () => {
    f = await PgBackRestFixture.create({ repos: [{}, { encrypted: true }] });
    f.backup('full', { repo: 1 });
    f.backup('full', { repo: 2 });
    s3 = await S3Server.start(['chronos-backups-test']);
    client = s3.client();
    await s3.uploadDir(enc().path, 'chronos-backups-test', 'var/lib/pgbackrest/');
  });
  afterAll(async () => {
    f?.destroy();
    client?.destroy();
    await s3?.stop();
    copies.removeAll();
  });

  it('is ok for a plaintext repository, stating the system id and the backup count', async () => {
    const o = await run(new PosixRepositoryStore(plain().path));
    expect(o.status).toBe('ok');
    expect(o.summary).toMatch(/^backup.info and archive.info readable, checksums verified, format 5, db-system-id \d{19} PG 15, 1 backup\(s\)/);
    expect(o.metrics).toEqual([{ name: 'RepositoryReadable', value: 1, unit: 'None' }]);
  });

  it('is ok against the cluster that wrote it, comparing the live system id (pg_control_system) and major version', async () => {
    const ctx = recoveryContext(f, { repository: new PosixRepositoryStore(plain().path) });
    const o = await repositoryCheck.run(ctx);
    expect(o.status).toBe('ok');
    expect(o.details).toMatchObject({ database: expect.stringMatching(/^system \d{19}, PostgreSQL 15$/) });
  });

  it("fails when the repository belongs to another cluster (wrong bucket, path or stanza): every other check would pass on someone else's backups", async () => {
    const other = {
      connect: async () => observed({ latencyMs: 1, serverVersionNum: 150018, serverVersion: '15.18', tls: false, inRecovery: false, startedAt: '', database: 'postgres' }),
      systemIdentifier: async () => observed('7000000000000000001'),
    };
    const o = await run2(new PosixRepositoryStore(plain().path), other);
    expect(o.status).toBe('fail');
    expect(o.summary).toMatch(/^the repository belongs to database system \d{19} but the monitored database is system 7000000000000000001: wrong bucket, path or stanza \(backups\.repository, backups\.stanza\)\?$/);
  });

  it('fails when the monitored database runs another major version than the repository (stanza-upgrade needed)', async () => {
    const newer = { connect: async () => observed({ latencyMs: 1, serverVersionNum: 160004, serverVersion: '16.4', tls: false, inRecovery: false, startedAt: '', database: 'postgres' }) };
    const o = await run2(new PosixRepositoryStore(plain().path), newer);
    expect(o.status).toBe('fail');
    expect(o.summary).toBe('the repository holds PostgreSQL 15 backups but the monitored database runs PostgreSQL 16: run pgbackrest stanza-upgrade and take a full backup');
  });

  it('is ok for an encrypted repository read with the right pass, which appears nowhere in the report', async () => {
    const ctx = backupContext({ repository: new PosixRepositoryStore(enc().path), cipherPass: enc().cipherPass });
    const report = await runChecks([repositoryCheck], ctx, { deadlineMs: 20000 });
    expect(report.checks[0].status).toBe('ok');
    expect(report.checks[0].summary).toContain('(decrypted)');
    const b = await repoFacts(ctx).backupInfo();
    const a = await repoFacts(ctx).archiveInfo();
    const text = JSON.stringify(report);
    for (const secret of [enc().cipherPass!, b.ok && b.value.cipherPass, a.ok && a.value.cipherPass]) {
      expect(typeof secret).toBe('string');
      expect(text).not.toContain(secret as string);
    }
  });

  it('is ok for the same encrypted repository uploaded to S3 (s3rver)', async () => {
    const o = await run(new S3RepositoryStore(client, { bucket: 'chronos-backups-test', path: '/var/lib/pgbackrest' }), enc().cipherPass);
    expect(o.status).toBe('ok');
  });

  it('is unknown, not "no backups", when the repository is encrypted and no pass is configured', async () => {
    const o = await run(new PosixRepositoryStore(enc().path));
    expect(o.status).toBe('unknown');
    expect(o.summary).toContain('repository is encrypted but backups.cipherPass is not configured');
    expect(o.metrics).toEqual([{ name: 'RepositoryReadable', value: 0, unit: 'None' }]);
  });

  it('is unknown with the reason when the pass is wrong, and does not echo the wrong pass', async () => {
    const o = await run(new PosixRepositoryStore(enc().path), 'a-wrong-cipher-pass');
    expect(o.status).toBe('unknown');
    expect(o.summary).toContain('cipher pass does not decrypt backup.info (wrong pass?)');
    expect(JSON.stringify(o)).not.toContain('a-wrong-cipher-pass');
  });

  it('warns, naming the file, when backup.info is corrupt but backup.info.copy is good', async () => {
    const dir = copyOf(plain().path);
    writeFileSync(join(dir, 'backup/chronos/backup.info'), 'truncated garbage');
    const o = await run(new PosixRepositoryStore(dir));
    expect(o.status).toBe('warn');
    expect(o.summary).toMatch(/^backup\/chronos\/backup.info unusable \(.*\), read backup\/chronos\/backup.info.copy; expected the main file intact$/);
    expect(o.metrics?.[0].value).toBe(1);
  });

  it('fails when both copies of archive.info are damaged', async () => {
    const dir = copyOf(plain().path);
    for (const n of ['archive.info', 'archive.info.copy']) writeFileSync(join(dir, 'archive/chronos', n), readFileSync(join(dir, 'archive/chronos', n), 'utf8').replace('db-id=1', 'db-id=2'));
    const o = await run(new PosixRepositoryStore(dir));
    expect(o.status).toBe('fail');
    expect(o.summary).toMatch(/archive.info: archive\/chronos\/archive.info in .* fails its checksum/);
  });

  it('fails when backup.info and archive.info name different database system ids', async () => {
    const dir = copyOf(plain().path);
    for (const n of ['archive.info', 'archive.info.copy']) {
      const p = join(dir, 'archive/chronos', n);
      writeFileSync(p, withValidChecksum(readFileSync(p, 'utf8').replace(/\d{19}/g, '7000000000000000001')));
    }
    const o = await run(new PosixRepositoryStore(dir));
    expect(o.status).toBe('fail');
    expect(o.summary).toMatch(/backup.info \(db-system-id \d{19}, PG 15\) and archive.info \(db-system-id 7000000000000000001, PG 15\) describe different databases/);
  });

  it('fails every recoverability check, naming both ids, when archive.info names a system one digit off backup.info\'s', async () => {
    const dir = copyOf(plain().path);
    const backupId = /^db-system-id=(\d+)$/m.exec(readFileSync(join(dir, 'backup/chronos/backup.info'), 'utf8'))![1];
    const otherId = (BigInt(backupId) + 1n).toString();
    for (const n of ['archive.info', 'archive.info.copy']) {
      const p = join(dir, 'archive/chronos', n);
      writeFileSync(p, withValidChecksum(readFileSync(p, 'utf8').replaceAll(backupId, otherId)));
    }
    const outs = await runChecksOn([walContinuityCheck, recoverabilityCheck, rpoCheck, walAgeCheck], recoveryContext(f, { repository: new PosixRepositoryStore(dir), state: new MemoryStateStore() }));
    for (const o of outs) {
      expect(o.status).toBe('fail');
      expect(o.summary).toContain(`backup/chronos/backup.info names database system ${backupId} but archive/chronos/archive.info names ${otherId}: the WAL archive belongs to another cluster, so no backup can be restored with it`);
      expect(o.summary).not.toContain('restorable to now');
    }
  });

  it('warns naming the file, line and key when backup.info has an impossible backup-timestamp-stop, and reads the sane .copy', async () => {
    const dir = copyOf(plain().path);
    const p = join(dir, 'backup/chronos/backup.info');
    writeFileSync(p, withValidChecksum(readFileSync(p, 'utf8').replace(/"backup-timestamp-stop":\d+/, '"backup-timestamp-stop":99999999999999')));
    const ctx = backupContext({ repository: new PosixRepositoryStore(dir) });
    const [repo, diff] = await Promise.all([repositoryCheck.run(ctx), diffAgeCheck.run(ctx)]);
    expect(repo.status).toBe('warn');
    expect(repo.summary).toMatch(/^backup\/chronos\/backup\.info unusable \(backup\/chronos\/backup\.info line \d+ \[backup:current\] \d{8}-\d{6}F\.backup-timestamp-stop is 99999999999999: not a plausible epoch time .*\), read backup\/chronos\/backup\.info\.copy/);
    expect(diff.status).toBe('ok');
    expect(diff.details).toMatchObject({ source: 'backup/chronos/backup.info.copy' });
  });

  it('fails (no crash, no 1969 window) when both copies of backup.info have a negative backup-timestamp-stop', async () => {
    const dir = copyOf(plain().path);
    for (const n of ['backup.info', 'backup.info.copy']) {
      const p = join(dir, 'backup/chronos', n);
      writeFileSync(p, withValidChecksum(readFileSync(p, 'utf8').replace(/"backup-timestamp-stop":\d+/, '"backup-timestamp-stop":-5')));
    }
    const ctx = backupContext({ repository: new PosixRepositoryStore(dir) });
    const [repo, diff] = await Promise.all([repositoryCheck.run(ctx), diffAgeCheck.run(ctx)]);
    expect(repo.status).toBe('fail');
    expect(diff.status).toBe('fail');
    for (const o of [repo, diff]) expect(o.summary).toContain('.backup-timestamp-stop is -5: not a plausible epoch time');
    const [rec] = await runChecksOn([recoverabilityCheck], recoveryContext(f, { repository: new PosixRepositoryStore(dir), state: new MemoryStateStore() }));
    expect(rec.summary).not.toContain('1969');
    expect(rec.status).not.toBe('ok');
  });

  it('fails when the stanza has no info files at all', async () => {
    const o = await run(new PosixRepositoryStore(plain().path), undefined, 'nostanza');
    expect(o.status).toBe('fail');
    expect(o.summary).toContain('backup/nostanza/backup.info and its .copy not found');
  });

  it('is unknown for a repository format it does not read (format 6)', async () => {
    const dir = copyOf(plain().path);
    for (const kind of ['backup', 'archive']) {
      for (const n of [`${kind}.info`, `${kind}.info.copy`]) {
        const p = join(dir, kind, 'chronos', n);
        writeFileSync(p, withValidChecksum(readFileSync(p, 'utf8').replace('backrest-format=5', 'backrest-format=6')));
      }
    }
    const o = await run(new PosixRepositoryStore(dir));
    expect(o.status).toBe('unknown');
    expect(o.summary).toContain('has backrest-format 6; this monitor reads format 5');
  });
});
