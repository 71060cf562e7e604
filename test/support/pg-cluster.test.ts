import { PgCluster } from './pg-cluster';

describe('PgCluster', () => {
  it('starts a throwaway PostgreSQL 15 cluster on a loopback port and answers SQL', async () => {
    const c = await PgCluster.create();
    try {
      expect(c.sql('show server_version_num')).toMatch(/^15\d{4}$/);
      expect(c.sql("select current_setting('listen_addresses')")).toBe('127.0.0.1');
    } finally {
      c.destroy();
    }
  });
});
