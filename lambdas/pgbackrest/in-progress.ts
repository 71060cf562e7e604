/**
 * Backups visible in the repository but not (yet) in backup.info. pgBackRest writes
 * `<label>/backup.manifest.copy` when a backup starts and re-saves it as it goes (a heartbeat), and writes
 * `backup.manifest` and backup.info only at the end; a folder in that state is running or aborted.
 */
import type { CheckContext } from '../core/check';
import { failed, observed, perRun, type Observed } from '../core/observed';
import { repoFacts } from './facts';

/** A label folder of the backup directory that backup.info does not list. */
export interface UnlistedBackup {
  /** The folder's label. */
  label: string;
  /** The type the label encodes. */
  type: 'full' | 'diff' | 'incr';
  /** `in-progress`: .copy without backup.manifest; `finishing`: backup.manifest present, backup.info not yet updated; `empty`: neither. */
  state: 'in-progress' | 'finishing' | 'empty';
  /** LastModified (epoch ms) of backup.manifest.copy (or backup.manifest), the progress heartbeat. */
  heartbeat?: number;
}

/** The label-folder scan of one run. */
export interface LabelScan {
  /** Label folders present in the repository. */
  labels: string[];
  /** Label folders backup.info does not list. */
  unlisted: UnlistedBackup[];
  /** Folder names that are not backup labels (reported, never trusted). */
  unexpected: string[];
  /** Requests the scan took. */
  requests: number;
}

const LABEL_RE = /^[0-9]{8}-[0-9]{6}F(_[0-9]{8}-[0-9]{6}(D|I))?$/;

/** The type a label encodes (its last letter). */
export function labelType(label: string): UnlistedBackup['type'] {
  return label.endsWith('I') ? 'incr' : label.endsWith('D') ? 'diff' : 'full';
}

/**
 * Extra seconds backup.full-age / backup.diff-age may allow while a backup is visibly running: the grace period
 * when a matching backup's heartbeat is younger than the grace, else 0. `kind: 'full'` counts only full
 * backups; `'any'` counts every type (a running full refreshes the full-or-diff age too).
 */
export function inProgressGraceSeconds(unlisted: UnlistedBackup[], kind: 'full' | 'any', graceHours: number, nowMs: number): number {
  const grace = graceHours * 3600;
  const running = unlisted.some(
    (u) => u.state === 'in-progress' && u.heartbeat !== undefined && (nowMs - u.heartbeat) / 1000 <= grace && (kind === 'any' || u.type === 'full'),
  );
  return running ? grace : 0;
}

/** Lists `backup/<stanza>/` and classifies every label folder backup.info does not list (memoized per run). */
export const labelScan = perRun<CheckContext, Promise<Observed<LabelScan>>>(scan);

async function scan(ctx: CheckContext): Promise<Observed<LabelScan>> {
  const facts = repoFacts(ctx);
  const bi = await facts.backupInfo();
  if (!bi.ok) return failed(bi.kind, `backup.info: ${bi.reason}`);
  const prefix = facts.repoPrefixes().backup;
  const store = ctx.deps.repository;
  const root = await store.list(prefix, ctx.signal);
  if (!root.ok) return failed(root.kind, `listing ${prefix}: ${root.reason}`);
  let requests = root.value.requests;
  const known = new Set(bi.value.backups.map((b) => b.label));
  const labels: string[] = [];
  const unexpected: string[] = [];
  const unlisted: UnlistedBackup[] = [];
  for (const pre of root.value.prefixes) {
    const name = pre.replace(/\/+$/, '').split('/').pop() ?? '';
    if (name === 'backup.history') continue;
    if (!LABEL_RE.test(name)) {
      unexpected.push(`${name}/`);
      continue;
    }
    labels.push(name);
    if (known.has(name)) continue;
    const l = await store.list(`${prefix}${name}/`, ctx.signal);
    if (!l.ok) return failed(l.kind, `listing ${prefix}${name}/: ${l.reason}`);
    requests += l.value.requests;
    const file = (f: string) => l.value.objects.find((o) => o.key.endsWith(`/${f}`));
    const manifest = file('backup.manifest');
    const copy = file('backup.manifest.copy');
    const state = manifest ? 'finishing' : copy ? 'in-progress' : 'empty';
    const heartbeat = (manifest ?? copy)?.lastModified.getTime();
    unlisted.push({ label: name, type: labelType(name), state, ...(heartbeat !== undefined ? { heartbeat } : {}) });
  }
  return observed({ labels, unlisted, unexpected, requests });
}
