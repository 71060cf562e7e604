import type { MonitorConfig } from '../config/schema';
import type { Deps } from './deps';
import type { Belt, CheckOutcome } from './types';

/** What every check receives: the validated config, the run's data sources, the evaluation instant. */
export interface CheckContext {
  config: MonitorConfig;
  deps: Deps;
  /** The instant every age is computed against (`--now` in the CLI). */
  now: Date;
  /** Aborted when the check's deadline passes; long I/O should stop early. */
  signal: AbortSignal;
}

/** A check: a stable public id, its belt, and a pure async function of the context. */
export interface CheckDefinition {
  /** Stable public id such as `backup.full-age`; operators alarm on it. */
  id: string;
  belt: Belt;
  /** One line for `--help` and the README. */
  description: string;
  /** Returns a reason when the check does not apply to this config (it is then `skipped`). */
  skipReason?(config: MonitorConfig): string | undefined;
  /** Expected failures are outcomes, never exceptions; only bugs throw. */
  run(ctx: CheckContext): Promise<CheckOutcome>;
}
