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
}

const hours = (ms: number) => ms / 3_600_000;

/**
 * Decides which check-level messages one run sends. Pure: same inputs, same answer.
 * - onset when a check enters `fail`/`unknown` (one per incident; fail<->unknown stays the same incident);
 * - reminder at most every `repeatHours` while it stays bad;
 * - recovery on the first good run (`ok`, `warn`, `skipped`);
 * - flapping: an incident that re-opens within `repeatHours` of a recovery is sent once, then stays open
 *   through short good spells (no message per flap) and recovers after two consecutive good runs.
 * Checks missing from the report keep their state: another selection or a disabled check says nothing new.
 */
export function decideAlerts(previous: AlertState | undefined, report: Report, now: Date, repeatHours: number): AlertDecision {
  const nowIso = now.toISOString();
  const prevChecks = previous?.checks ?? {};
  const next: AlertState = { checks: { ...prevChecks } };
  const alerts: Alert[] = [];
  for (const check of report.checks) {
    const prev = prevChecks[check.id];
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
        const st: CheckAlertState = { open: true, status: check.status, since: nowIso, lastSentAt: nowIso, recoveredAt: prev?.recoveredAt, flapping: recentlyRecovered, reentries: 0, goodRuns: 0 };
        next.checks[check.id] = st;
        alerts.push(alert('onset', st));
        continue;
      }
      const reentered = (prev.goodRuns ?? 0) > 0;
      const st: CheckAlertState = { ...prev, status: check.status, goodRuns: 0, reentries: (prev.reentries ?? 0) + (reentered ? 1 : 0) };
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
      next.checks[check.id] = { ...prev, status: check.status, goodRuns };
      continue;
    }
    alerts.push(alert('recovery', prev));
    next.checks[check.id] = { open: false, status: check.status, recoveredAt: nowIso };
  }
  return { alerts, next };
}
