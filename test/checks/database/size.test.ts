import { createDatabaseSource } from '../../../lambdas/adapters/postgres';
import { dbSize } from '../../../lambdas/checks/database/size';
import { observed } from '../../../lambdas/core/observed';
import type { DatabaseSource } from '../../../lambdas/core/ports';
import { PgCluster } from '../../support/pg-cluster';
import { configWith, contextFor } from './context';

describe('db.size', () => {
  it('reports pg_database_size of the monitored database in bytes and pretty', async () => {
    const cluster = await PgCluster.create({ superuserPassword: 'size-pw' });
    const config = configWith({ port: cluster.port, user: 'postgres' });
    const src = createDatabaseSource(config.database, async () => observed('size-pw'));
    try {
      const r = await dbSize.run(contextFor(config, src));
      const bytes = Number(cluster.sql('select pg_database_size(current_database())'));
      expect(r.status).toBe('ok');
      expect(r.metrics).toEqual([{ name: 'DbSizeBytes', value: bytes, unit: 'Bytes' }]);
      expect(r.summary).toMatch(new RegExp(`^database size \\d+\\.\\d MiB \\(${bytes} bytes; informational, no threshold\\)$`));
    } finally {
      await src.close();
      cluster.destroy();
    }
  });

  it('is unknown when the size cannot be read', async () => {
    const src = { sizeBytes: async () => ({ ok: false, kind: 'unreachable', reason: '127.0.0.1:1/x: connection refused' }) } as unknown as DatabaseSource;
    expect(await dbSize.run(contextFor(configWith({}), src))).toMatchObject({ status: 'unknown', summary: 'cannot read the database size: 127.0.0.1:1/x: connection refused' });
  });
});
