import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Small JSON state kept between runs: the last WAL position seen, what WAL was already verified,
 * the alert state. The Lambdas keep it in S3, the CLI in a local file; tests use memory.
 */
export interface StateStore {
  /** Returns the value stored under key, or undefined when none is stored. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores value under key. */
  put<T>(key: string, value: T): Promise<void>;
}

/** In-memory state (tests, `--no-state`). */
export class MemoryStateStore implements StateStore {
  private readonly data = new Map<string, string>();
  async get<T>(key: string): Promise<T | undefined> {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async put<T>(key: string, value: T): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
}

/** State in one JSON file, written atomically (the CLI's `.chronos-state/state.json`). */
export class FileStateStore implements StateStore {
  constructor(private readonly file: string) {}
  private async all(): Promise<Record<string, unknown>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      // A corrupt state file only costs memory between runs; start over rather than fail every check.
      return {};
    }
  }
  async get<T>(key: string): Promise<T | undefined> {
    return (await this.all())[key] as T | undefined;
  }
  async put<T>(key: string, value: T): Promise<void> {
    const all = await this.all();
    all[key] = value;
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(all, null, 2));
    await rename(tmp, this.file);
  }
}
