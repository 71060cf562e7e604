import type { CheckDefinition } from '../../core/check';

/** The instance belt's checks, in report order. */
export const instanceChecks: CheckDefinition[] = [];
