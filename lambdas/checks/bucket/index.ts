import type { CheckDefinition } from '../../core/check';

/** The bucket belt's checks, in report order. */
export const bucketChecks: CheckDefinition[] = [];
