import type { CheckContext } from '../core/check';
import { failed, observed, once, perRun, type FailureKind, type Observed } from '../core/observed';
import { registerSecret } from '../core/redact';
import { decryptRepoFile, isEncrypted, UnsupportedCipherFormatError, WrongCipherPassError } from './cipher';
import { InfoParseError, parseArchiveInfo, parseBackupInfo, verifyInfoChecksum, type ArchiveInfo, type BackupInfo } from './info';

/** The repository format this monitor reads (pgBackRest REPOSITORY_FORMAT). */
export const SUPPORTED_REPO_FORMAT = 5;

/** Where an info file was read from and how. */
export interface InfoSource {
  /** Key (relative to the repository root) the facts came from: the main file or its `.copy`. */
  source: string;
  /** True when the file was encrypted. */
  encrypted: boolean;
  /** Why the main file was not used, when the facts come from the `.copy`. */
  mainProblem?: string;
  /** True when a cipher pass is configured but the repository is plaintext (harmless; worth a note). */
  passUnused?: boolean;
}

/**
 * Shared, memoized reads of a stanza's repository for every backup check of one run. Info-file failure kinds:
 * `config` encrypted but no pass configured, `auth` wrong pass, `not-found` neither copy exists, `invalid` both copies
 * damaged (checksum, syntax), `error` a format this monitor does not read, or the store's own failure.
 */
export interface RepoFacts {
  /** backup.info of the stanza (falls back to backup.info.copy), decrypted and checksum-verified. */
  backupInfo(): Promise<Observed<BackupInfo & InfoSource>>;
  /** archive.info of the stanza (falls back to archive.info.copy), decrypted and checksum-verified. */
  archiveInfo(): Promise<Observed<ArchiveInfo & InfoSource>>;
  /** Reads a file of the WAL archive (key relative to the repository root), decrypting it with archive.info's sub-pass. */
  readArchiveFile(key: string): Promise<Observed<Buffer>>;
  /** Folders of the stanza, relative to the repository root, each ending in `/`. */
  repoPrefixes(): { archive: string; backup: string };
}

/** Returns the repository facts for this run, shared by every check using the same `ctx.deps`. */
export const repoFacts = perRun<CheckContext, RepoFacts>(createRepoFacts);

type Attempt<T> = Observed<T> & { final?: boolean };

function createRepoFacts(ctx: CheckContext): RepoFacts {
  const stanza = ctx.config.backups.stanza;
  const prefixes = { archive: `archive/${stanza}/`, backup: `backup/${stanza}/` };
  const store = ctx.deps.repository;
  const where = (key: string) => `${key} in ${store.describe()}`;

  const pass = once(async (): Promise<Observed<string | undefined>> => {
    const p = await ctx.deps.cipherPass();
    if (p.ok) registerSecret(p.value);
    return p;
  });

  /** Reads, decrypts, checksums and parses one copy; `final` marks failures the other copy cannot cure. */
  async function attempt<T>(key: string, name: string, parse: (text: string, file: string) => T): Promise<Attempt<{ value: T; encrypted: boolean; passUnused: boolean }>> {
    const raw = await store.read(key, ctx.signal);
    if (!raw.ok) return raw;
    let bytes = raw.value;
    const encrypted = isEncrypted(bytes);
    let passUnused = false;
    if (encrypted) {
      const p = await pass();
      if (!p.ok) return { ...failed(p.kind, `cannot read the repository cipher pass: ${p.reason}`), final: true };
      if (p.value === undefined) return { ...failed('config', 'repository is encrypted but backups.cipherPass is not configured'), final: true };
      try {
        bytes = decryptRepoFile(bytes, p.value);
      } catch (err) {
        if (err instanceof UnsupportedCipherFormatError) return { ...failed('error', `${where(key)}: ${err.message}`), final: true };
        if (err instanceof WrongCipherPassError) return failed('auth', `cipher pass does not decrypt ${name} (wrong pass?)`);
        throw err;
      }
    } else {
      const p = await pass();
      passUnused = p.ok && p.value !== undefined;
    }
    const text = bytes.toString('utf8');
    if (!text.startsWith('[')) {
      // A wrong pass passes the padding check about once in 256 tries and then yields noise.
      return encrypted ? failed('auth', `cipher pass does not decrypt ${name} (wrong pass?)`) : failed('invalid', `${where(key)} is neither an info file nor encrypted (starts with ${JSON.stringify(bytes.subarray(0, 8).toString('latin1'))})`);
    }
    try {
      const sum = verifyInfoChecksum(text, key);
      if (!sum.valid) return failed('invalid', `${where(key)} fails its checksum (stored ${sum.stored ?? 'none'}, computed ${sum.computed}); the file is damaged or was edited`);
      return observed({ value: parse(text, key), encrypted, passUnused });
    } catch (err) {
      if (err instanceof InfoParseError) return failed('invalid', err.message);
      throw err;
    }
  }

  async function load<T extends { format: number; cipherPass?: string }>(kind: 'backup' | 'archive', parse: (text: string, file: string) => T): Promise<Observed<T & InfoSource>> {
    const name = `${kind}.info`;
    const main = `${prefixes[kind]}${name}`;
    const copy = `${main}.copy`;
    const first = await attempt(main, name, parse);
    let got = first;
    let mainProblem: string | undefined;
    if (!first.ok) {
      if (first.final) return failed(first.kind, first.reason);
      mainProblem = first.reason;
      const second = await attempt(copy, name, parse);
      if (!second.ok) return failed(worse(first.kind, second.kind), bothFailed(main, first, second));
      got = second;
    }
    if (!got.ok) throw new Error('unreachable');
    const info = got.value.value;
    registerSecret(info.cipherPass);
    // 'error', not 'invalid': a newer format is not damage, the monitor just cannot vouch for it.
    if (info.format !== SUPPORTED_REPO_FORMAT) return failed('error', `${where(mainProblem ? copy : main)} has backrest-format ${info.format}; this monitor reads format ${SUPPORTED_REPO_FORMAT}`);
    return observed({
      ...info,
      source: mainProblem ? copy : main,
      encrypted: got.value.encrypted,
      ...(mainProblem ? { mainProblem } : {}),
      ...(got.value.passUnused ? { passUnused: true } : {}),
    });
  }

  function bothFailed(main: string, a: Observed<unknown>, b: Observed<unknown>): string {
    if (a.ok || b.ok) return '';
    if (a.kind === 'not-found' && b.kind === 'not-found') return `${main} and its .copy not found in ${store.describe()} (stanza not created, or wrong stanza/repository path?)`;
    if (a.kind === 'auth' && b.kind === 'auth') return a.reason;
    return `${a.reason}; the .copy: ${b.reason}`;
  }

  const backupInfo = once(() => load('backup', parseBackupInfo));
  const archiveInfo = once(() => load('archive', parseArchiveInfo));

  async function readArchiveFile(key: string): Promise<Observed<Buffer>> {
    const raw = await store.read(key, ctx.signal);
    if (!raw.ok || !isEncrypted(raw.value)) return raw;
    const info = await archiveInfo();
    if (!info.ok) return failed(info.kind, `cannot decrypt ${key}: archive.info is unreadable: ${info.reason}`);
    if (info.value.cipherPass === undefined) return failed('invalid', `${where(key)} is encrypted but archive.info has no cipher-pass`);
    try {
      return observed(decryptRepoFile(raw.value, info.value.cipherPass));
    } catch (err) {
      if (err instanceof UnsupportedCipherFormatError) return failed('invalid', `${where(key)}: ${err.message}`);
      if (err instanceof WrongCipherPassError) return failed('invalid', `${where(key)} does not decrypt with archive.info's cipher-pass (damaged file?)`);
      throw err;
    }
  }

  return { backupInfo, archiveInfo, readArchiveFile, repoPrefixes: () => ({ ...prefixes }) };
}

const KIND_ORDER: FailureKind[] = ['not-found', 'error', 'timeout', 'unreachable', 'denied', 'invalid', 'config', 'auth'];

/** The more telling of two failure kinds (a damaged file says more than a missing copy). */
function worse(a: FailureKind, b: FailureKind): FailureKind {
  return KIND_ORDER.indexOf(a) >= KIND_ORDER.indexOf(b) ? a : b;
}
