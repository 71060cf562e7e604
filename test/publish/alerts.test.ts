import { type AlertState, decideAlerts } from '../../lambdas/publish/alerts';
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
});
