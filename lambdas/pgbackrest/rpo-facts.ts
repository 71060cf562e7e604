/**
 * How old the data not yet safe in the repository is, judged from the database's archiver facts and the
 * WAL position remembered from the previous run. Memoized per run: the remembered position is read
 * before it is overwritten, once, whichever check asks first.
 */
import type { CheckContext } from '../core/check';
import { perRun, type Observed } from '../core/observed';
import type { ArchiverFacts } from '../core/ports';
import { formatDuration } from '../core/format';

/** What the previous run saw, kept in the state store. */
export interface RememberedPosition {
  /** pg_current_wal_lsn() then. */
  lsn: string;
  /** Timeline then. */
  timeline: number;
  /** Server clock of that run (ISO). */
  at: string;
  /** Unarchived bytes then. */
  unarchivedBytes: number | null;
}

/** The RPO exposure of this run. */
export interface RpoFacts {
  /** The archiver facts of this run. */
  archiver: Observed<ArchiverFacts>;
  /** What the previous run saw. */
  previous?: RememberedPosition;
  /** True when nothing was written since the previous run and the backlog is known to be empty; undefined when the DB is unreadable. */
  idle?: boolean;
  /** Age in seconds of the oldest data not yet archived (0 when none); undefined when it cannot be known. */
  exposureSeconds?: number;
  /** How the exposure was derived, for the summary. */
  basis: string;
  /** Set on a what-if run (`--now` far from the database clock): the database's facts describe another instant. */
  whatIf?: WhatIf;
}

/** A what-if run: the evaluation instant and the database clock it differs from. */
export interface WhatIf {
  /** The evaluation instant (ISO). */
  now: string;
  /** The database clock this run (ISO). */
  serverNow: string;
}

/** How far `ctx.now` may sit from the database clock before the run is a what-if (clock skew, slow queries). */
export const WHAT_IF_TOLERANCE_MS = 5 * 60 * 1000;

/** The what-if of this run, when `now` is more than {@link WHAT_IF_TOLERANCE_MS} from the database clock; undefined otherwise or when the database is unreadable. */
export function whatIfOf(now: Date, archiver: Observed<ArchiverFacts>): WhatIf | undefined {
  if (!archiver.ok) return undefined;
  const server = Date.parse(archiver.value.serverNow);
  if (!Number.isFinite(server) || Math.abs(now.getTime() - server) <= WHAT_IF_TOLERANCE_MS) return undefined;
  return { now: now.toISOString(), serverNow: archiver.value.serverNow };
}

/** The summary prefix of a what-if run. */
export const whatIfText = (w: WhatIf): string => `what-if at ${w.now.replace(/\.\d{3}Z$/, 'Z')}: judged on the repository only`;


/** The state key of the remembered WAL position of a stanza. */
export const rpoStateKey = (stanza: string): string => `rpo.lastLsn.${stanza}`;

/** The run's shared RPO facts (reads and then updates the remembered position). */
export const rpoFacts = perRun<CheckContext, Promise<RpoFacts>>(load);

async function load(ctx: CheckContext): Promise<RpoFacts> {
  const archiver = await ctx.deps.database.archiver();
  const key = rpoStateKey(ctx.config.backups.stanza);
  const previous = await ctx.deps.state.get<RememberedPosition>(key);
  if (!archiver.ok) return { archiver, previous, basis: `the database is not readable (${archiver.reason})` };
  const a = archiver.value;
  // The database speaks for its own present, not for --now: a what-if run leaves exposure to the repository.
  const whatIf = whatIfOf(ctx.now, archiver);
  if (whatIf) return { archiver, previous, whatIf, basis: `${whatIfText(whatIf)}: the database describes ${a.serverNow}, not ${whatIf.now}` };
  if (a.currentLsn) await ctx.deps.state.put<RememberedPosition>(key, { lsn: a.currentLsn, timeline: a.timeline, at: a.serverNow, unarchivedBytes: a.unarchivedBytes });
  return { archiver, previous, ...judgeExposure(a, previous) };
}

/** When the oldest unarchived data can have been written: the last success, or a later previous run that saw nothing waiting. */
function unarchivedSince(a: ArchiverFacts, previous: RememberedPosition | undefined): string | undefined {
  let since = a.lastArchivedTime ?? undefined;
  // Everything was archived at the previous run: what waits now was written after it.
  if (previous && previous.timeline === a.timeline && previous.unarchivedBytes === 0 && (!since || Date.parse(previous.at) > Date.parse(since))) since = previous.at;
  return since;
}

const secondsBetween = (later: string, earlier: string): number => Math.max(0, (Date.parse(later) - Date.parse(earlier)) / 1000);

/**
 * Pure: the exposure from archiver facts and the previous position. Rules (reference postgres.md §2.8):
 * a `.ready` backlog dates the oldest waiting segment; an unchanged LSN with a backlog known to be empty and
 * less than a segment unarchived is idle (nothing is due); otherwise the unarchived bytes were written after
 * the last successful archive — or after the previous run, only when everything was archived then.
 * An unreadable backlog (no pg_monitor) never counts as empty: idle cannot be told from stuck.
 */
export function judgeExposure(a: ArchiverFacts, previous: RememberedPosition | undefined): Omit<RpoFacts, 'archiver' | 'previous'> {
  if (a.archiveMode === 'off') return { idle: false, basis: 'archive_mode is off: nothing is archived' };
  if (a.currentLsn === null) return { basis: 'the server is in recovery (no current WAL position)' };
  const samePosition = !!previous && previous.lsn === a.currentLsn && previous.timeline === a.timeline;
  const readyKnown = a.readyCount !== null;
  // A whole segment past the last archived one is complete and waits, whatever the .ready listing says.
  const completedWaiting = a.unarchivedBytes !== null && a.unarchivedBytes >= a.walSegmentSizeBytes;
  const readyWaiting = (a.readyCount ?? 0) > 0;
  const idle = samePosition && readyKnown && !readyWaiting && !completedWaiting && !a.failingNow;
  const blind = readyKnown ? '' : `; the .ready backlog is not readable (${a.readyUnreadableReason ?? 'no reason given'}; grant pg_monitor), so idle cannot be told from stuck`;
  if (readyWaiting && a.oldestReadySeconds !== null) {
    // A .ready file's mtime is when its segment was completed; its data began when the last archived segment ended,
    // so the time since the last success (or since a previous run that saw nothing waiting) is a bound too.
    const since = unarchivedSince(a, previous);
    const exposureSeconds = Math.max(a.oldestReadySeconds, since ? secondsBetween(a.serverNow, since) : 0);
    const from = since ? `, unarchived data since ${since}` : '';
    return { idle, exposureSeconds, basis: `${a.readyCount} segment(s) wait to be archived, the oldest for ${formatDuration(a.oldestReadySeconds)}${from}` };
  }
  if (a.unarchivedBytes === 0) return { idle, exposureSeconds: 0, basis: 'every written WAL byte is archived' };
  if (idle) {
    if (a.archiveTimeoutSeconds === 0 && (a.unarchivedBytes ?? 0) > 0) {
      const since = unarchivedSince(a, previous);
      if (!since) return { idle, basis: `${a.unarchivedBytes} bytes wait in the current segment, archive_timeout is 0 and PostgreSQL has never archived a WAL file since its statistics were reset` };
      return { idle, exposureSeconds: secondsBetween(a.serverNow, since), basis: `${a.unarchivedBytes} bytes have waited in the current segment since at least ${since} and archive_timeout is 0` };
    }
    return { idle, exposureSeconds: 0, basis: `idle: WAL position ${a.currentLsn} unchanged since ${previous!.at}, nothing waiting` };
  }
  if (a.unarchivedBytes === null) return { idle, basis: `the unarchived WAL figure is not available${blind}` };
  if (!a.lastArchivedTime) return { idle, basis: `PostgreSQL has never archived a WAL file since its statistics were reset${blind}` };
  const since = unarchivedSince(a, previous) as string;
  const what = completedWaiting
    ? `${Math.floor(a.unarchivedBytes / a.walSegmentSizeBytes)} completed segment(s) (${a.unarchivedBytes} bytes) not yet archived`
    : `${a.unarchivedBytes} bytes not yet archived`;
  return { idle, exposureSeconds: secondsBetween(a.serverNow, since), basis: `${what}, written since ${since}${a.failingNow ? '; archiving is failing' : ''}${blind}` };
}
