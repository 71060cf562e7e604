import type { Observed } from '../../core/observed';
import type { CheckOutcome } from '../../core/types';

/** The outcome of a database check whose facts could not be read: the monitor cannot see, so `unknown`. */
export function unavailable(what: string, failure: Extract<Observed<unknown>, { ok: false }>): CheckOutcome {
  return {
    status: 'unknown',
    summary: `cannot read ${what}: ${failure.reason}`,
    details: { failure: failure.kind, reason: failure.reason },
  };
}
