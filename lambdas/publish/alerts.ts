import { z } from 'zod';
import type { Report, Status } from '../core/types';

/** Alert-relevant memory of one check between runs. */
export interface CheckAlertState {
  /** True while an incident is open (an onset was sent and no recovery yet). */
  open: boolean;
  /** Status at the last run. */
  status: Status;
  /** ISO instant the open incident started. */
  since?: string;
  /** ISO instant of the last onset or reminder sent for the open incident. */
  lastSentAt?: string;
  /** ISO instant of the last recovery message. */
  recoveredAt?: string;
  /** True when the incident re-opened soon after a recovery; its recovery then waits for two good runs. */
  flapping?: boolean;
  /** Times the flapping incident went bad again after a good run without a message. */
  reentries?: number;
  /** Consecutive good runs of a flapping incident. */
  goodRuns?: number;
  /** ISO instant of the last run that reported the check (not `skipped`); an open incident unseen for long expires. */
  seenAt?: string;
}

/** Alert memory of one function, keyed by check id. */
export interface AlertState {
  checks: Record<string, CheckAlertState>;
}

/** Kind of message: first notice, repeat while still bad, or all clear. */
export type AlertKind = 'onset' | 'reminder' | 'recovery';

/** One message-worthy change of one check. */
export interface Alert {
  kind: AlertKind;
  checkId: string;
  status: Status;
  /** The check's one-line summary (measured value and threshold). */
  summary: string;
  /** ISO instant the incident started. */
  since: string;
  /** True when the check went bad again shortly after recovering. */
  flapping: boolean;
  /** For flapping reminders: silent re-entries since the last message. */
  reentries: number;
}

/** Statuses that open an incident: a failure, or a monitor that cannot see. */
export function isBad(status: Status): boolean {
  return status === 'fail' || status === 'unknown';
}

/** Result of {@link decideAlerts}: the messages to send now and the state to keep if they were sent. */
export interface AlertDecision {
  alerts: Alert[];
  next: AlertState;
  /** Entries of the previous state that were dropped as malformed (for the run's log line). */
  warnings: string[];
}

const hours = (ms: number) => ms / 3_600_000;

/**
 * An open incident not reported for this long (check disabled, moved to another selection, function not run)
 * is forgotten: when the check is bad again it is a fresh onset, not a reminder of something days old.
 */
export function incidentExpiryHours(repeatHours: number): number {
  return Math.max(2 * repeatHours, 24);
}

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO instant');
const count = z.number().int().nonnegative();
const checkStateSchema = z
  .object({
    open: z.boolean(),
    status: z.enum(['ok', 'warn', 'fail', 'unknown', 'skipped']),
    since: instant.optional(),
    lastSentAt: instant.optional(),
    recoveredAt: instant.optional(),
    flapping: z.boolean().optional(),
    reentries: count.optional(),
    goodRuns: count.optional(),
    seenAt: instant.optional(),
  })
  .refine((c) => !c.open || c.since !== undefined || c.lastSentAt !== undefined, 'an open incident needs since or lastSentAt');

/**
 * The usable part of a stored alert state: entries of the wrong shape are dropped (a dropped incident makes the
 * next bad run a fresh onset: loud, never silent), and instants later than `now` (the clock went back) become `now`.
 */
export function sanitizeAlertState(stored: unknown, now: Date): { state: AlertState; warnings: string[] } {
  const warnings: string[] = [];
  const checks: Record<string, CheckAlertState> = {};
  const raw = (stored as { checks?: unknown } | null | undefined)?.checks;
  if (stored !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    warnings.push('alert state has no "checks" object; starting over');
    return { state: { checks }, warnings };
  }
  const nowIso = now.toISOString();
  const clamp = (iso: string | undefined) => (iso !== undefined && Date.parse(iso) > now.getTime() ? nowIso : iso);
  for (const [id, entry] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const parsed = checkStateSchema.safeParse(entry);
    if (!parsed.success) {
      warnings.push(`alert state of ${id} dropped: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ')}`);
      continue;
    }
    const c: CheckAlertState = { ...parsed.data };
    for (const k of ['since', 'lastSentAt', 'recoveredAt', 'seenAt'] as const) {
      const v = clamp(c[k]);
      if (v === undefined) delete c[k];
      else c[k] = v;
    }
    checks[id] = c;
  }
  return { state: { checks }, warnings };
}

/**
 * Decides which check-level messages one run sends. Pure: same inputs, same answer.
 * - onset when a check enters `fail`/`unknown` (one per incident; fail<->unknown stays the same incident);
 * - reminder at most every `repeatHours` while it stays bad;
 * - recovery on the first good run (`ok`, `warn`);
 * - flapping: an incident that re-opens within `repeatHours` of a recovery is sent once, then stays open
 *   through short good spells (no message per flap) and recovers after two consecutive good runs.
 * `skipped` (a disabled check) is no news, like a check missing from the report: its state is kept untouched,
 * so disabling a failing check sends no false recovery. An open incident not reported for
 * {@link incidentExpiryHours} is forgotten (a later bad run is a fresh onset, a later good run says nothing).
 * The previous state is validated ({@link sanitizeAlertState}); malformed entries are dropped and named in `warnings`.
 */
export function decideAlerts(previous: unknown, report: Report, now: Date, repeatHours: number): AlertDecision {
  const nowIso = now.toISOString();
  const { state: prevState, warnings } = sanitizeAlertState(previous, now);
  const prevChecks = prevState.checks;
  const next: AlertState = { checks: { ...prevChecks } };
  const alerts: Alert[] = [];
  for (const check of report.checks) {
    if (check.status === 'skipped') continue;
    let prev: CheckAlertState | undefined = prevChecks[check.id];
    const lastSeen = prev?.seenAt ?? prev?.lastSentAt ?? prev?.since;
    if (prev?.open && lastSeen !== undefined && hours(now.getTime() - Date.parse(lastSeen)) > incidentExpiryHours(repeatHours)) {
      prev = { open: false, status: prev.status, recoveredAt: prev.recoveredAt };
    }
    const alert = (kind: AlertKind, st: CheckAlertState): Alert => ({
      kind,
      checkId: check.id,
      status: check.status,
      summary: check.summary,
      since: st.since ?? nowIso,
      flapping: st.flapping === true,
      reentries: st.reentries ?? 0,
    });
    if (isBad(check.status)) {
      if (!prev?.open) {
        const recentlyRecovered = prev?.recoveredAt !== undefined && hours(now.getTime() - Date.parse(prev.recoveredAt)) < repeatHours;
        const st: CheckAlertState = { open: true, status: check.status, since: nowIso, lastSentAt: nowIso, recoveredAt: prev?.recoveredAt, flapping: recentlyRecovered, reentries: 0, goodRuns: 0, seenAt: nowIso };
        next.checks[check.id] = st;
        alerts.push(alert('onset', st));
        continue;
      }
      const reentered = (prev.goodRuns ?? 0) > 0;
      const st: CheckAlertState = { ...prev, status: check.status, goodRuns: 0, reentries: (prev.reentries ?? 0) + (reentered ? 1 : 0), seenAt: nowIso };
      if (hours(now.getTime() - Date.parse(prev.lastSentAt ?? prev.since ?? nowIso)) >= repeatHours) {
        alerts.push(alert('reminder', st));
        st.lastSentAt = nowIso;
        st.reentries = 0;
      }
      next.checks[check.id] = st;
      continue;
    }
    if (!prev?.open) {
      next.checks[check.id] = { open: false, status: check.status, recoveredAt: prev?.recoveredAt };
      continue;
    }
    const goodRuns = (prev.goodRuns ?? 0) + 1;
    if (prev.flapping && goodRuns < 2) {
      next.checks[check.id] = { ...prev, status: check.status, goodRuns, seenAt: nowIso };
      continue;
    }
    alerts.push(alert('recovery', prev));
    next.checks[check.id] = { open: false, status: check.status, recoveredAt: nowIso };
  }
  return { alerts, next, warnings };
}
