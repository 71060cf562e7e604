import type { CheckDefinition } from '../../core/check';

/** The database belt's checks, in report order. */
export const databaseChecks: CheckDefinition[] = [];
