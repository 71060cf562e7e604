import type { CheckDefinition } from '../core/check';
import { backupsChecks } from './backups';
import { bucketChecks } from './bucket';
import { databaseChecks } from './database';
import { instanceChecks } from './instance';

/** Every check, in report order (instance, database, backups, bucket). Ids are public. */
export const ALL_CHECKS: CheckDefinition[] = [...instanceChecks, ...databaseChecks, ...backupsChecks, ...bucketChecks];

/** Problems with check ids named in the configuration (`checks.disabled`): a misspelt id would silently disable nothing. */
export function checkIdProblems(disabled: readonly string[]): string[] {
  const unknown = disabled.filter((id) => !ALL_CHECKS.some((c) => c.id === id));
  if (unknown.length === 0) return [];
  return [`\`checks.disabled\` names no check: ${unknown.map((id) => `"${id}"`).join(', ')}; check ids are: ${ALL_CHECKS.map((c) => c.id).join(', ')}`];
}
