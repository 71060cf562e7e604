import type { FunctionGroup } from '../lambdas/handlers/groups';

/** Every physical name of the stack derives from this prefix (alarm names, functions, topic, dashboard). */
export const NAME_PREFIX = 'chronos-monitor';

/** Default stack name (`npx cdk deploy ChronosMonitor`). */
export const STACK_NAME = 'ChronosMonitor';

/** Physical name `<prefix>-<suffix>`. */
export const physicalName = (suffix: string): string => `${NAME_PREFIX}-${suffix}`;

/** Name of the check function of a group, e.g. `chronos-monitor-backups`. */
export const functionName = (group: FunctionGroup): string => physicalName(group);

/** Name of an alarm, e.g. `chronos-monitor-backups-errors`. */
export const alarmName = (suffix: string): string => physicalName(suffix);

/** PascalCase of a group for construct ids (`backups` -> `Backups`). */
export const pascal = (s: string): string => s.replace(/(^|[-_.])(\w)/g, (_, __, c: string) => c.toUpperCase());

/** Name of the dashboard. */
export const DASHBOARD_NAME = NAME_PREFIX;

/** Name of the alert topic. */
export const TOPIC_NAME = physicalName('alerts');
