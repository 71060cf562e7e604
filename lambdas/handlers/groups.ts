import type { Belt } from '../core/types';

/**
 * How the checks are split across Lambda functions, so one slow or failing dependency cannot silence the
 * others: Lightsail answers fast and tells "is the box up" even when the database hangs; the database belt
 * waits on TCP; the backup and bucket belts read the same S3 repository. Keys are public (function and
 * alarm names, state prefixes); each check id belongs to exactly one group, so no check alerts twice.
 */
export const FUNCTION_GROUPS = {
  instance: ['instance'],
  database: ['database'],
  backups: ['backups', 'bucket'],
} as const satisfies Record<string, readonly Belt[]>;

/** Name of one function group. */
export type FunctionGroup = keyof typeof FUNCTION_GROUPS;

/** Every group name, in dashboard order. */
export const GROUP_NAMES = Object.keys(FUNCTION_GROUPS) as FunctionGroup[];

/** True when a string names a function group. */
export function isFunctionGroup(name: string): name is FunctionGroup {
  return (GROUP_NAMES as string[]).includes(name);
}
