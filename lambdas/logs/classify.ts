import { scanLog } from './parse';
import { matchRule } from './rules';
import type { BruteForce, LogCategory, LogEntry, LogKind, LogReport, LogSeverity } from './types';

export { renderLogReport } from './render';
export type { LogReport } from './types';

/** Brute force: this many authentication failures ... */
export const BRUTE_FORCE_THRESHOLD = 5;
/** ... within this many minutes. */
export const BRUTE_FORCE_WINDOW_MINUTES = 10;

const NOTHING = 'nothing concerning found';
/** Hint in the summary of input without PostgreSQL log lines (verdict `unknown`). */
export const NO_POSTGRES_HINT = 'did you forget 2>&1? (docker logs prints the server log on stderr)';

const RANK: Record<LogSeverity, number> = { info: 0, warn: 1, fail: 2 };
const VERDICT: Record<LogSeverity, LogReport['verdict']> = { info: 'ok', warn: 'warn', fail: 'fail' };

const shown = (e: LogEntry): string | null => (e.time === undefined ? null : e.utc && e.epochMs !== undefined ? new Date(e.epochMs).toISOString() : e.time);

/**
 * Role names are shown only when they look like ordinary lowercase identifiers; anything else may be a password
 * pasted as the user name (the server echoes it in `password authentication failed for user "..."`).
 */
export function displayUser(name: string): string {
  return /^[a-z_][a-z0-9_$.-]{0,31}$/.test(name) ? name : `(hidden: ${name.length} chars, not a plain role name; a pasted password?)`;
}

/** Largest number of timestamps inside any window of `windowMs` (timestamps sorted ascending). */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const tally = (m: Map<string, number>) => [...m].map(([k, count]) => ({ k, count })).sort((a, b) => b.count - a.count || a.k.localeCompare(b.k));

/**
 * Classifies PostgreSQL log text (as `docker logs` prints it) into scanner noise, authentication failures,
 * lifecycle events and real trouble, with counts, first/last times, a brute-force verdict and an overall verdict.
 * Pure: no I/O. Continuation lines (DETAIL, STATEMENT, ...) are folded and never reported.
 */
export function classifyLog(text: string): LogReport {
  const kinds = new Map<string, LogKind>();
  const categories: Record<LogCategory, number> = { trouble: 0, auth: 0, lifecycle: 0, noise: 0, routine: 0 };
  const byLevel: Record<string, number> = {};
  let unclassified = 0;
  const hostByPid = new Map<number, string>();
  const failTimes: number[] = [];
  let failures = 0;
  let untimedFailures = 0;
  const users = new Map<string, number>();
  const hosts = new Map<string, number>();
  const loginsAfterFailures: BruteForce['loginsAfterFailures'] = [];
  let entries = 0;
  let firstTime: string | null = null;
  let lastTime: string | null = null;

  const { lines, unparsedLines } = scanLog(text, (e) => {
    entries++;
    const time = shown(e);
    if (time !== null) {
      firstTime ??= time;
      lastTime = time;
    }
    const conn = /^connection received: host=(\S+)/.exec(e.message);
    if (conn && e.pid !== undefined) hostByPid.set(e.pid, conn[1]);
    const authorized = /^connection authorized: user=(\S+)/.exec(e.message);
    if (authorized && e.pid !== undefined) {
      const host = e.host ?? hostByPid.get(e.pid);
      // One typo by our own client must not page anyone; a success after a burst from that source must.
      if (host && (hosts.get(host) ?? 0) >= BRUTE_FORCE_THRESHOLD) loginsAfterFailures.push({ user: displayUser(authorized[1]), host, time: shown(e) });
    }

    const rule = matchRule(e);
    if (!rule) {
      unclassified++;
      byLevel[e.level] = (byLevel[e.level] ?? 0) + 1;
      return;
    }
    categories[rule.category]++;
    const k = kinds.get(rule.id) ?? { id: rule.id, category: rule.category, severity: rule.severity, label: rule.label, count: 0, first: null, last: null };
    k.count++;
    if (time !== null) {
      k.first ??= time;
      k.last = time;
    }
    if (k.example === undefined && rule.category !== 'auth') k.example = e.message.length > 200 ? `${e.message.slice(0, 197)}...` : e.message;
    kinds.set(rule.id, k);

    if (rule.id === 'auth.password-failed' || rule.id === 'auth.failed') {
      failures++;
      if (e.epochMs !== undefined) failTimes.push(e.epochMs);
      else untimedFailures++;
      const user = /for user "(.*)"/.exec(e.message)?.[1];
      if (user !== undefined) users.set(displayUser(user), (users.get(displayUser(user)) ?? 0) + 1);
      const host = e.host ?? (e.pid !== undefined ? hostByPid.get(e.pid) : undefined);
      if (host) hosts.set(host, (hosts.get(host) ?? 0) + 1);
    }
  });

  failTimes.sort((a, b) => a - b);
  const windowed = maxInWindow(failTimes, BRUTE_FORCE_WINDOW_MINUTES * 60_000);
  const timed = untimedFailures === 0;
  const bruteForce: BruteForce = {
    failures,
    maxInWindow: timed ? windowed : failures,
    windowMinutes: BRUTE_FORCE_WINDOW_MINUTES,
    threshold: BRUTE_FORCE_THRESHOLD,
    detected: (timed ? windowed : failures) >= BRUTE_FORCE_THRESHOLD,
    timed,
    users: tally(users).map(({ k, count }) => ({ name: k, count })),
    sources: tally(hosts).map(({ k, count }) => ({ host: k, count })),
    loginsAfterFailures,
  };

  const sorted = [...kinds.values()].sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.count - a.count || a.id.localeCompare(b.id));
  let worst: LogSeverity = sorted.reduce<LogSeverity>((w, k) => (RANK[k.severity] > RANK[w] ? k.severity : w), 'info');
  if (bruteForce.detected && worst === 'info') worst = 'warn';
  if (loginsAfterFailures.length > 0) worst = 'fail';
  let verdict = VERDICT[worst];
  let summary = summarize(sorted, bruteForce);
  // Empty or foreign input must not read as a clean log: `docker logs` without 2>&1 prints nothing (the server logs to stderr).
  const pgLines = lines - unparsedLines;
  if (entries === 0) {
    verdict = 'unknown';
    summary = `no PostgreSQL log lines found (${lines > 0 ? `${lines} line(s) read, none in a PostgreSQL log format` : 'the input is empty'}) — ${NO_POSTGRES_HINT}`;
  } else if (pgLines * 2 < lines && verdict !== 'fail') {
    verdict = 'unknown';
    summary = `only ${pgLines} of ${lines} lines are in a PostgreSQL log format: is this a PostgreSQL log?${summary === NOTHING ? '' : ` Seen: ${summary}`}`;
  }
  return {
    verdict,
    summary,
    lines,
    entries,
    firstTime,
    lastTime,
    categories,
    kinds: sorted,
    bruteForce,
    unclassified: { entries: unclassified, byLevel, unparsedLines },
  };
}

function summarize(kinds: LogKind[], bf: BruteForce): string {
  const parts: string[] = [];
  const bad = kinds.filter((k) => k.severity !== 'info');
  if (bf.loginsAfterFailures.length) parts.push(`${bf.loginsAfterFailures.length} successful login(s) from a source with failed attempts`);
  parts.push(...bad.map((k) => `${k.label} ×${k.count}`));
  if (bf.detected) {
    parts.push(
      bf.timed
        ? `brute force suspected: ${bf.maxInWindow} authentication failures within ${bf.windowMinutes} min (threshold ${bf.threshold})`
        : `brute force suspected: ${bf.failures} authentication failures (no timestamps to measure the rate; threshold ${bf.threshold})`,
    );
  } else if (bf.failures > 0) {
    parts.push(`${bf.failures} authentication failure(s), at most ${bf.maxInWindow} within ${bf.windowMinutes} min (below ${bf.threshold})`);
  }
  const noise = kinds.filter((k) => k.category === 'noise').reduce((n, k) => n + k.count, 0);
  if (noise) parts.push(`${noise} scanner probe(s) (harmless)`);
  return parts.length ? parts.join('; ') : NOTHING;
}
