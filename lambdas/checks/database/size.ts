import type { CheckDefinition } from '../../core/check';
import { formatBytes } from '../../core/format';
import type { CheckOutcome } from '../../core/types';
import { unavailable } from './unavailable';

/** `db.size`: the monitored database's size, for the growth graph; informational, never alarms. */
export const dbSize: CheckDefinition = {
  id: 'db.size',
  belt: 'database',
  description: 'Size of the monitored database (pg_database_size), reported as a metric.',
  async run({ deps }): Promise<CheckOutcome> {
    const r = await deps.database.sizeBytes();
    if (!r.ok) return unavailable('the database size', r);
    return {
      status: 'ok',
      summary: `database size ${formatBytes(r.value)} (${r.value} bytes; informational, no threshold)`,
      metrics: [{ name: 'DbSizeBytes', value: r.value, unit: 'Bytes' }],
      details: { bytes: r.value },
    };
  },
};
