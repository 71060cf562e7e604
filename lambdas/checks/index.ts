import type { CheckDefinition } from '../core/check';
import { backupsChecks } from './backups';
import { bucketChecks } from './bucket';
import { databaseChecks } from './database';
import { instanceChecks } from './instance';

/** Every check, in report order (instance, database, backups, bucket). Ids are public. */
export const ALL_CHECKS: CheckDefinition[] = [...instanceChecks, ...databaseChecks, ...backupsChecks, ...bucketChecks];
