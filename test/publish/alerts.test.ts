import { type AlertState, decideAlerts, incidentExpiryHours } from '../../lambdas/publish/alerts';
import type { Status } from '../../lambdas/core/types';
import { reportOf } from './report-fixture';

const T0 = Date.parse('2026-12-03T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Runs a sequence of statuses of one check every 15 minutes and returns the alert kinds per run. */
function simulate(statuses: Status[], repeatHours = 6, id = 'backup.full-age'): string[] {
  let state: AlertState | undefined;
  return statuses.map((s, i) => {
    const { alerts, next } = decideAlerts(state, reportOf({ [id]: s }), at(i * 15), repeatHours);
    state = next;
    return alerts.map((a) => a.kind).join(',') || '-';
  });
}

describe('decideAlerts', () => {
  it('says nothing while every check is ok', () => {
    expect(simulate(['ok', 'ok', 'warn', 'ok', 'skipped'])).toEqual(['-', '-', '-', '-', '-']);
  });

  it('sends one onset, then nothing until the reminder, then one recovery', () => {
    // 6 h reminder at 15-minute runs: run 0 onset, run 24 (= 6 h later) reminder, run 30 recovery.
    const statuses: Status[] = [...Array(30).fill('fail'), 'ok', 'ok'];
    const kinds = simulate(statuses);
    expect(kinds[0]).toBe('onset');
    expect(kinds.slice(1, 24).every((k) => k === '-')).toBe(true);
    expect(kinds[24]).toBe('reminder');
    expect(kinds.slice(25, 30).every((k) => k === '-')).toBe(true);
    expect(kinds[30]).toBe('recovery');
    expect(kinds[31]).toBe('-');
  });

  it('treats unknown as bad and fail<->unknown as the same incident', () => {
    expect(simulate(['ok', 'unknown', 'fail', 'unknown', 'ok'])).toEqual(['-', 'onset', '-', '-', 'recovery']);
  });

  it('does not alert on warn', () => {
    expect(simulate(['warn', 'warn', 'fail', 'warn'])).toEqual(['-', '-', 'onset', 'recovery']);
  });

  it('folds flapping into one incident that recovers after two good runs', () => {
    // bad/ok every run: onset, recovery, then a second onset marked flapping, then silence until two good runs.
    const kinds = simulate(['fail', 'ok', 'fail', 'ok', 'fail', 'ok', 'fail', 'ok', 'ok', 'ok']);
    expect(kinds).toEqual(['onset', 'recovery', 'onset', '-', '-', '-', '-', '-', 'recovery', '-']);
  });

  it('marks the re-opened incident as flapping and counts silent re-entries in the reminder', () => {
    let state: AlertState | undefined;
    const statuses: Status[] = ['fail', 'ok', 'fail', 'ok', 'fail', 'ok', 'fail', ...Array(24).fill('fail')];
    const seen: { kind: string; flapping: boolean; reentries: number }[] = [];
    statuses.forEach((s, i) => {
      const d = decideAlerts(state, reportOf({ 'db.login': s }), at(i * 15), 6);
      state = d.next;
      seen.push(...d.alerts.map((a) => ({ kind: a.kind, flapping: a.flapping, reentries: a.reentries })));
    });
    expect(seen[0]).toEqual({ kind: 'onset', flapping: false, reentries: 0 });
    expect(seen[2]).toEqual({ kind: 'onset', flapping: true, reentries: 0 });
    expect(seen[3]).toEqual({ kind: 'reminder', flapping: true, reentries: 2 });
  });

  it('opens a fresh (non-flapping) incident when the last recovery is older than repeatHours', () => {
    let state: AlertState | undefined;
    state = decideAlerts(state, reportOf({ x: 'fail' }), at(0), 6).next;
    state = decideAlerts(state, reportOf({ x: 'ok' }), at(15), 6).next;
    const d = decideAlerts(state, reportOf({ x: 'fail' }), at(15 + 7 * 60), 6);
    expect(d.alerts).toMatchObject([{ kind: 'onset', flapping: false }]);
  });

  it('alerts each check on its own and keeps the state of checks missing from the report', () => {
    let state: AlertState | undefined;
    let d = decideAlerts(state, reportOf({ a: 'fail', b: 'ok' }), at(0), 6);
    expect(d.alerts.map((a) => `${a.kind}:${a.checkId}`)).toEqual(['onset:a']);
    state = d.next;
    d = decideAlerts(state, reportOf({ b: 'fail' }), at(15), 6);
    expect(d.alerts.map((a) => `${a.kind}:${a.checkId}`)).toEqual(['onset:b']);
    expect(d.next.checks.a.open).toBe(true);
  });

  it('reports the measured value and the incident start in the alert', () => {
    const d = decideAlerts(undefined, reportOf({ 'backup.full-age': ['fail', 'newest full backup is 31h 02m old; fail above 30h'] }), at(0), 6);
    expect(d.alerts[0]).toMatchObject({ summary: 'newest full backup is 31h 02m old; fail above 30h', since: at(0).toISOString(), status: 'fail' });
  });

  it('is pure: the same inputs give the same decision and the previous state is not modified', () => {
    const prev: AlertState = { checks: { a: { open: true, status: 'fail', since: at(0).toISOString(), lastSentAt: at(0).toISOString() } } };
    const copy = JSON.parse(JSON.stringify(prev));
    const r = reportOf({ a: 'ok' });
    expect(decideAlerts(prev, r, at(15), 6)).toEqual(decideAlerts(prev, r, at(15), 6));
    expect(prev).toEqual(copy);
  });

  it('sends no recovery when a failing check is disabled (skipped), and keeps its incident open', () => {
    let state: AlertState | undefined;
    state = decideAlerts(state, reportOf({ a: 'fail' }), at(0), 6).next;
    const d = decideAlerts(state, reportOf({ a: 'skipped' }), at(15), 6);
    expect(d.alerts).toEqual([]);
    expect(d.next.checks.a).toEqual(state.checks.a);
    // Re-enabled soon while still failing: the same incident, no new onset.
    expect(decideAlerts(d.next, reportOf({ a: 'fail' }), at(30), 6).alerts).toEqual([]);
  });

  it('says nothing for a check that is skipped from the start', () => {
    expect(simulate(['skipped', 'skipped', 'ok'])).toEqual(['-', '-', '-']);
  });

  it.each([
    ['lastSentAt is not a date', { open: true, status: 'fail', since: 'garbage', lastSentAt: 'garbage' }],
    ['open is a string', { open: 'true', status: 'fail', since: '2026-12-02T00:00:00.000Z', lastSentAt: '2026-12-02T00:00:00.000Z' }],
    ['status is unknown to the monitor', { open: true, status: 'broken', since: '2026-12-02T00:00:00.000Z' }],
    ['an open incident has no start', { open: true, status: 'fail' }],
  ])('drops a malformed entry (%s): the next bad run is a fresh onset, named in warnings', (_, entry) => {
    const d = decideAlerts({ checks: { a: entry } }, reportOf({ a: 'fail' }), at(0), 6);
    expect(d.alerts).toMatchObject([{ kind: 'onset', checkId: 'a', since: at(0).toISOString() }]);
    expect(d.warnings).toEqual([expect.stringMatching(/^alert state of a dropped: /)]);
  });

  it('does not treat open: "false" (a string) as a closed incident that silences onsets', () => {
    const d = decideAlerts({ checks: { a: { open: 'false', status: 'ok' } } }, reportOf({ a: 'fail' }), at(0), 6);
    expect(d.alerts.map((a) => a.kind)).toEqual(['onset']);
  });

  it.each([['a string', 'garbage'], ['checks not an object', { checks: [1] }], ['null', null]])('starts over when the whole state is %s', (_, stored) => {
    const d = decideAlerts(stored, reportOf({ a: 'fail' }), at(0), 6);
    expect(d.alerts.map((a) => a.kind)).toEqual(['onset']);
    expect(d.warnings).toEqual(['alert state has no "checks" object; starting over']);
  });

  it('keeps valid entries next to a dropped one', () => {
    const prev = { checks: { a: { open: true, status: 'fail', since: at(0).toISOString(), lastSentAt: at(0).toISOString() }, b: { open: 1 } } };
    const d = decideAlerts(prev, reportOf({ a: 'fail', b: 'fail' }), at(15), 6);
    expect(d.alerts.map((a) => `${a.kind}:${a.checkId}`)).toEqual(['onset:b']);
  });

  it('treats stored times in the future (the clock went back) as now: reminder after repeatHours, no negative durations', () => {
    // The last run believed it was a day later than the clock now says.
    const future = at(24 * 60).toISOString();
    const prev: AlertState = { checks: { a: { open: true, status: 'fail', since: future, lastSentAt: future, seenAt: future } } };
    let state: AlertState = prev;
    const kinds: string[] = [];
    for (let i = 0; i <= 24; i++) {
      const d = decideAlerts(state, reportOf({ a: 'fail' }), at(i * 15), 6);
      state = d.next;
      kinds.push(d.alerts.map((a) => a.kind).join(',') || '-');
    }
    expect(kinds[24]).toBe('reminder');
    expect(kinds.slice(0, 24).every((k) => k === '-')).toBe(true);
    const rec = decideAlerts(prev, reportOf({ a: 'ok' }), at(0), 6);
    expect(rec.alerts).toMatchObject([{ kind: 'recovery', since: at(0).toISOString() }]);
  });

  it('expires an incident not reported for long: a check re-added 8 days later is a fresh onset, not a reminder', () => {
    let state: AlertState | undefined;
    state = decideAlerts(state, reportOf({ a: 'fail', b: 'ok' }), at(0), 6).next;
    state = decideAlerts(state, reportOf({ b: 'ok' }), at(15), 6).next;
    const d = decideAlerts(state, reportOf({ a: 'fail', b: 'ok' }), at(8 * 24 * 60), 6);
    expect(d.alerts).toMatchObject([{ kind: 'onset', checkId: 'a', since: at(8 * 24 * 60).toISOString(), flapping: false }]);
  });

  it('expires a disabled incident silently when it comes back ok much later, and keeps a short absence as the same incident', () => {
    let state: AlertState | undefined;
    state = decideAlerts(state, reportOf({ a: 'fail' }), at(0), 6).next;
    state = decideAlerts(state, reportOf({ a: 'skipped' }), at(15), 6).next;
    expect(decideAlerts(state, reportOf({ a: 'ok' }), at(3 * 24 * 60), 6).alerts).toEqual([]);
    expect(decideAlerts(state, reportOf({ a: 'ok' }), at(60), 6).alerts.map((a) => a.kind)).toEqual(['recovery']);
    expect(decideAlerts(state, reportOf({ a: 'fail' }), at(7 * 60), 6).alerts.map((a) => a.kind)).toEqual(['reminder']);
  });

  it('expires after twice repeatHours, and never sooner than a day', () => {
    expect(incidentExpiryHours(6)).toBe(24);
    expect(incidentExpiryHours(24)).toBe(48);
  });

  it('keeps a long incident that is reported every run open (reminders, no new onset) for days', () => {
    const kinds = simulate(Array(4 * 24 * 4).fill('fail'));
    expect(kinds.filter((k) => k === 'onset')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'reminder')).toHaveLength(15);
  });
});
