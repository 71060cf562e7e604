import type { CheckDefinition } from '../../core/check';

/** The backups belt's checks, in report order. */
export const backupsChecks: CheckDefinition[] = [];
