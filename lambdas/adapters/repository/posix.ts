import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { failed, observed, type Observed } from '../../core/observed';
import type { RepoListing, RepoObject, RepositoryStore } from '../../core/ports';

/** Maps a filesystem error to an Observed failure naming the path. */
function fsFailure<T>(err: unknown, path: string): Observed<T> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return failed('not-found', `${path} does not exist`);
  if (code === 'EACCES' || code === 'EPERM') return failed('denied', `${path} is not readable by this process (${code})`);
  if (code === 'EISDIR') return failed('invalid', `${path} is a directory, expected a file`);
  return failed('error', `${path}: ${(err as Error).message}`);
}

/** A pgBackRest repository in a local directory (`repo1-type=posix`). Keys are relative to the repository path. */
export class PosixRepositoryStore implements RepositoryStore {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The repository directory. */
  describe(): string {
    return this.root;
  }

  /** Resolves a key inside the root; undefined when it would escape it (`..`, absolute keys). */
  private pathOf(key: string): string | undefined {
    const p = resolve(this.root, key);
    return p === this.root || p.startsWith(this.root + sep) ? p : undefined;
  }

  /** Reads one file. */
  async read(key: string): Promise<Observed<Buffer>> {
    const p = this.pathOf(key);
    if (!p) return failed('invalid', `key ${JSON.stringify(key)} points outside the repository ${this.root}`);
    try {
      return observed(await readFile(p));
    } catch (err) {
      return fsFailure(err, p);
    }
  }

  /** Lists one directory level; a missing directory lists as empty, as an S3 prefix would. Symlinks (`latest`) are skipped: S3 repositories have none. */
  async list(prefix: string): Promise<Observed<RepoListing>> {
    const p = this.pathOf(prefix);
    if (!p) return failed('invalid', `prefix ${JSON.stringify(prefix)} points outside the repository ${this.root}`);
    const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    let entries;
    try {
      entries = await readdir(p, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return observed({ objects: [], prefixes: [], requests: 1 });
      return fsFailure(err, p);
    }
    const objects: RepoObject[] = [];
    const prefixes: string[] = [];
    for (const e of entries) {
      if (e.isDirectory()) prefixes.push(`${base}${e.name}/`);
      else if (e.isFile()) {
        try {
          const s = await stat(join(p, e.name));
          objects.push({ key: `${base}${e.name}`, size: s.size, lastModified: s.mtime });
        } catch (err) {
          // A file removed between readdir and stat (expire running) is simply no longer there.
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return fsFailure(err, join(p, e.name));
        }
      }
    }
    objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    prefixes.sort();
    return observed({ objects, prefixes, requests: 1 });
  }

  /** Size and modification time of one file. */
  async head(key: string): Promise<Observed<RepoObject>> {
    const p = this.pathOf(key);
    if (!p) return failed('invalid', `key ${JSON.stringify(key)} points outside the repository ${this.root}`);
    try {
      const s = await stat(p);
      if (!s.isFile()) return failed('invalid', `${p} is not a file`);
      return observed({ key, size: s.size, lastModified: s.mtime });
    } catch (err) {
      return fsFailure(err, p);
    }
  }
}
