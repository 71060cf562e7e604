import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgBackRestFixture } from './pgbackrest';

describe('PgBackRestFixture', () => {
  let f: PgBackRestFixture;
  beforeAll(async () => {
    f = await PgBackRestFixture.create({ repos: [{}, { encrypted: true }] });
    f.backup('full', { repo: 1 });
    f.backup('full', { repo: 2 });
    f.switchWal(1);
  });
  afterAll(() => f?.destroy());

  it('archives WAL into both repositories and writes backup.info in each', () => {
    for (const r of f.repos) {
      expect(existsSync(join(r.path, 'backup', 'chronos', 'backup.info'))).toBe(true);
      expect(existsSync(join(r.path, 'archive', 'chronos', 'archive.info'))).toBe(true);
    }
    expect(readFileSync(join(f.repos[0].path, 'backup/chronos/backup.info'), 'utf8')).toMatch(/^\[backrest\]/);
    expect(readFileSync(join(f.repos[1].path, 'backup/chronos/backup.info')).subarray(0, 8).toString('latin1')).toBe('Salted__');
  });

  it('records one full backup in each repository', () => {
    const info = JSON.parse(f.pgbackrest(['info', '--output=json']));
    const types = info[0].backup.map((b: { type: string; database: { 'repo-key': number } }) => `${b.database['repo-key']}:${b.type}`).sort();
    expect(types).toEqual(['1:full', '2:full']);
  });
});
