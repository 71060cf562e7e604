import { STATUS_RANK, type Status } from './types';

/** The worst of the given statuses; `ok` for an empty list. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'ok';
  let seen = false;
  for (const s of statuses) {
    if (!seen || STATUS_RANK[s] > STATUS_RANK[worst]) worst = s;
    seen = true;
  }
  return seen && worst === 'skipped' ? 'ok' : worst;
}

/** Grades a measured value against a warn/fail pair where larger is worse. */
export function gradeAbove(value: number, limits: { warn: number; fail: number }): Status {
  if (value > limits.fail) return 'fail';
  if (value > limits.warn) return 'warn';
  return 'ok';
}

/** Exit code of the CLI for a report status, as monitoring plugins use them (0 ok, 1 warn, 2 fail, 3 unknown). */
export function exitCodeFor(status: Status): number {
  switch (status) {
    case 'ok':
    case 'skipped':
      return 0;
    case 'warn':
      return 1;
    case 'fail':
      return 2;
    default:
      return 3;
  }
}
