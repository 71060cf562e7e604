import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

/** Options of a {@link FileStateStore}. */
export interface FileStateStoreOptions {
  /** Told once when the state file exists but cannot be used (corrupt JSON, not an object, unreadable). */
  onWarning?(message: string): void;
}

/**
 * State in one JSON file (the CLI's `~/.cache/chronos-monitor/state-<hash>.json`). The checks of one run save
 * concurrently, so every operation goes through one queue over an in-memory copy loaded once: no put can lose
 * another's key. Each write goes to its own temp file and is renamed over the state file atomically.
 */
export class FileStateStore implements StateStore {
  private data?: Record<string, unknown>;
  private queue: Promise<unknown> = Promise.resolve();
  private writes = 0;
  /** Problems met with the state file (the same text `onWarning` received). */
  readonly warnings: string[] = [];

  constructor(
    private readonly file: string,
    private readonly options: FileStateStoreOptions = {},
  ) {}

  private warn(message: string): void {
    this.warnings.push(message);
    this.options.onWarning?.(message);
  }

  private async load(): Promise<Record<string, unknown>> {
    if (this.data) return this.data;
    let text: string | undefined;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.warn(`state file ${this.file} cannot be read (${code ?? (err as Error).message}); starting with empty state`);
    }
    let parsed: unknown = {};
    if (text !== undefined) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        // A corrupt state file only costs memory between runs; start over rather than fail every check.
        this.warn(`state file ${this.file} is not a JSON object (corrupt?); starting with empty state, it will be overwritten`);
        parsed = {};
      }
    }
    this.data = parsed as Record<string, unknown>;
    return this.data;
  }

  /** Runs op after every operation queued before it, whatever their outcome. */
  private serial<R>(op: () => Promise<R>): Promise<R> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.serial(async () => {
      const v = (await this.load())[key];
      // A copy, as from a real read: a caller mutating its value must not change what is stored.
      return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as T);
    });
  }

  async put<T>(key: string, value: T): Promise<void> {
    return this.serial(async () => {
      const data = await this.load();
      data[key] = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
      await mkdir(dirname(this.file), { recursive: true });
      // Unique per write and per process: two CLI runs (or two stores) never share a temp file.
      const tmp = `${this.file}.${process.pid}.${++this.writes}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(tmp, JSON.stringify(data, null, 2));
        await rename(tmp, this.file);
      } catch (err) {
        await rm(tmp, { force: true }).catch(() => undefined);
        throw err;
      }
    });
  }
}
