import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';

// PGlite loads Node built-ins with dynamic import(), which jest's module sandbox refuses: the stand-in runs in a
// child process (postgres.probe.ts) that drives it through the real pg adapter and prints what it saw.
describe('demo PostgreSQL stand-in (PGlite over TCP with a simulated archiver)', () => {
  let seen: Record<string, any>;

  beforeAll(() => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'postgres.probe.ts')], { encoding: 'utf8', timeout: 90_000, cwd: join(__dirname, '../../..') });
    if (r.status !== 0) throw new Error(`postgres.probe.ts failed (${r.status}): ${r.stderr}`);
    seen = JSON.parse(r.stdout.trim().split('\n').pop()!);
  }, 100_000);

  it('answers the real pg adapter: PostgreSQL 18 over TCP, its real extensions and size', () => {
    expect(seen.connect).toMatchObject({ ok: true, value: { database: 'postgres', inRecovery: false, tls: false } });
    expect(seen.connect.value.serverVersionNum).toBeGreaterThanOrEqual(180000);
    expect(seen.extensions.value.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(['vector', 'age']));
    expect(seen.size.value).toBeGreaterThan(1_000_000);
  });

  it('presents the simulated archiver through the catalog names the adapter queries', () => {
    expect(seen.healthy).toMatchObject({
      ok: true,
      value: { archiveMode: 'on', archiveTimeoutSeconds: 60, archivedCount: 14, lastArchivedWal: '00000001000000000000000B', failingNow: false, readyCount: 0, currentLsn: '0/C000000', unarchivedBytes: 0, timeline: 1, walSegmentSizeBytes: 16 * 1024 * 1024 },
    });
  });

  it('moves the server clock and reports a failing archiver with a .ready backlog for scenarios', () => {
    expect(seen.failing).toMatchObject({ ok: true, value: { failingNow: true, failedCount: 7, lastFailedWal: '00000001000000000000000C', readyCount: 2, oldestReadySeconds: 3600, unarchivedBytes: 3 * 16 * 1024 * 1024 + 0x2a8 } });
    const shifted = Date.parse(seen.failing.value.serverNow) - Date.parse(seen.now);
    expect(Math.abs(shifted - 2 * 86_400_000)).toBeLessThan(60_000);
  });

  it('runs real DDL: a dropped extension is gone for the monitor', () => {
    expect(seen.extensionsAfterDrop.value.map((e: { name: string }) => e.name)).not.toContain('age');
  });

  it('keeps the real catalog reachable under pg_catalog: PGlite itself archives nothing', () => {
    expect(seen.realCatalog).toEqual({ real_count: 0, real_mode: 'off', shown_mode: 'on' });
  });

  it('stops listening when closed', async () => {
    const refused = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port: seen.port });
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
