/**
 * Runs the demo PostgreSQL stand-in through the real pg adapter and prints what it saw as JSON. It runs in its own
 * Node process because PGlite loads Node built-ins with dynamic import(), which jest's module sandbox refuses.
 */
import pg from 'pg';
import { createDatabaseSource } from '../../../lambdas/adapters/postgres';
import { ConfigSchema } from '../../../lambdas/config/schema';
import { observed } from '../../../lambdas/core/observed';
import { startPostgres, type SimulatedArchiver } from '../../../demo/sandbox/postgres';

const healthy = (now: Date): SimulatedArchiver => ({
  archivedCount: 14,
  lastArchivedWal: '00000001000000000000000B',
  lastArchivedTime: now,
  failedCount: 0,
  lastFailedWal: null,
  lastFailedTime: null,
  currentLsn: '0/C000000',
  ready: [],
  archiveTimeoutSeconds: 60,
});

async function main(): Promise<void> {
  const now = new Date();
  const db = await startPostgres({ extensions: ['vector', 'age'], archiver: healthy(now) });
  const source = () =>
    createDatabaseSource(
      ConfigSchema.parse({
        instance: { name: 'x' },
        database: { host: db.host, port: db.port, database: 'postgres', user: 'postgres', tls: { mode: 'disable' } },
        backups: { repository: { type: 'posix', path: '/nonexistent' }, stanza: 's' },
      }).database,
      async () => observed(undefined),
    );
  const out: Record<string, unknown> = { now: now.toISOString() };
  try {
    let s = source();
    out.connect = await s.connect();
    out.extensions = await s.extensions();
    out.size = await s.sizeBytes();
    out.healthy = await s.archiver();
    await s.close();

    await db.setClockOffset(2 * 86_400);
    await db.setArchiver({
      ...healthy(now),
      failedCount: 7,
      lastFailedWal: '00000001000000000000000C',
      lastFailedTime: new Date(now.getTime() + 2 * 86_400_000 - 60_000),
      currentLsn: '0/F0002A8',
      ready: [
        { wal: '00000001000000000000000C', ageSeconds: 3600 },
        { wal: '00000001000000000000000D', ageSeconds: 60 },
      ],
    });
    await db.exec('drop extension age');
    s = source();
    out.failing = await s.archiver();
    out.extensionsAfterDrop = await s.extensions();
    await s.close();

    const c = new pg.Client({ host: db.host, port: db.port, user: 'postgres', database: 'postgres' });
    await c.connect();
    out.realCatalog = (
      await c.query(`select (select archived_count from pg_catalog.pg_stat_archiver)::int as real_count, pg_catalog.current_setting('archive_mode') as real_mode, current_setting('archive_mode') as shown_mode`)
    ).rows[0];
    await c.end();
    out.port = db.port;
  } finally {
    await db.close();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
