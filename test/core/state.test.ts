import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStateStore, MemoryStateStore } from '../../lambdas/core/state';

describe('FileStateStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chronos-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every key when many checks save at the same time, and leaves no temp file behind', async () => {
    const file = join(dir, 'sub', 'st.json');
    const store = new FileStateStore(file);
    const keys = Array.from({ length: 50 }, (_, i) => `rpo.lastLsn.check${i}`);
    await Promise.all(keys.map((k, i) => store.put(k, { lsn: `0/${i}` })));
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(onDisk).sort()).toEqual([...keys].sort());
    expect(await new FileStateStore(file).get('rpo.lastLsn.check7')).toEqual({ lsn: '0/7' });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['st.json']);
  });

  it('keeps every key when two stores (two runs) write the same file at once', async () => {
    const file = join(dir, 'st.json');
    const a = new FileStateStore(file);
    const b = new FileStateStore(file);
    // Different stores may overwrite each other's keys (last writer wins), but must never crash.
    await expect(Promise.all([...Array(20)].flatMap((_, i) => [a.put(`a${i}`, i), b.put(`b${i}`, i)]))).resolves.toBeDefined();
    expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow();
    expect(readdirSync(dir)).toEqual(['st.json']);
  });

  it('sees its own writes in order, interleaved with reads', async () => {
    const store = new FileStateStore(join(dir, 'st.json'));
    const [, first, , second] = await Promise.all([store.put('k', 1), store.get('k'), store.put('k', 2), store.get('k')]);
    expect([first, second]).toEqual([1, 2]);
  });

  it('answers a copy, so a caller changing its value does not change the state', async () => {
    const store = new FileStateStore(join(dir, 'st.json'));
    await store.put('k', { n: 1 });
    const v = await store.get<{ n: number }>('k');
    v!.n = 99;
    expect(await store.get('k')).toEqual({ n: 1 });
  });

  it.each([
    ['corrupt JSON', '{"rpo.lastLsn": '],
    ['a JSON array', '[1,2]'],
    ['JSON null', 'null'],
  ])('starts over with a warning (not a crash) when the file holds %s', async (_, text) => {
    const file = join(dir, 'st.json');
    writeFileSync(file, text);
    const seen: string[] = [];
    const store = new FileStateStore(file, { onWarning: (m) => seen.push(m) });
    expect(await store.get('rpo.lastLsn')).toBeUndefined();
    await store.put('x', 1);
    expect(await store.get('x')).toBe(1);
    expect(seen).toEqual([`state file ${file} is not a JSON object (corrupt?); starting with empty state, it will be overwritten`]);
    expect(store.warnings).toEqual(seen);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 1 });
  });

  it('reports a write failure to the caller and keeps serving later operations', async () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const store = new FileStateStore(join(blocker, 'st.json'));
    await expect(store.put('k', 1)).rejects.toMatchObject({ code: expect.stringMatching(/EEXIST|ENOTDIR/) });
    expect(await store.get('k')).toBe(1);
  });

  it('says nothing for a state file that does not exist yet', async () => {
    const store = new FileStateStore(join(dir, 'none.json'));
    expect(await store.get('k')).toBeUndefined();
    expect(store.warnings).toEqual([]);
  });
});

describe('MemoryStateStore', () => {
  it('round-trips JSON values', async () => {
    const store = new MemoryStateStore();
    await store.put('k', { a: [1] });
    expect(await store.get('k')).toEqual({ a: [1] });
    expect(await store.get('nope')).toBeUndefined();
  });
});
