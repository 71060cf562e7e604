import type { CheckDefinition } from '../../core/check';
import { worstStatus } from '../../core/status';
import type { CheckOutcome, Status } from '../../core/types';
import { unavailable } from './unavailable';
import { compareVersions } from './version';

/** One expected extension's verdict. */
interface ExtensionVerdict {
  name: string;
  expected: string;
  installed: string | null;
  status: Status;
  problem?: string;
}

/** `db.extensions`: every expected extension installed at least at its expected version. */
export const dbExtensions: CheckDefinition = {
  id: 'db.extensions',
  belt: 'database',
  description: 'Every extension in database.expectedExtensions is installed, at the expected version or newer.',
  skipReason: (config) => (Object.keys(config.database.expectedExtensions).length === 0 ? 'no extensions are expected (database.expectedExtensions is empty)' : undefined),
  async run({ config, deps }): Promise<CheckOutcome> {
    const r = await deps.database.extensions();
    if (!r.ok) return unavailable('the installed extensions', r);
    const installed = new Map(r.value.map((e) => [e.name, e.version]));
    const verdicts: ExtensionVerdict[] = Object.entries(config.database.expectedExtensions).map(([name, expected]) => {
      const version = installed.get(name);
      if (version === undefined) return { name, expected, installed: null, status: 'fail', problem: `${name} missing (expected >= ${expected})` };
      const cmp = compareVersions(version, expected);
      if (cmp === undefined) return { name, expected, installed: version, status: 'warn', problem: `${name} ${version} cannot be compared with the expected ${expected}` };
      if (cmp < 0) return { name, expected, installed: version, status: 'warn', problem: `${name} ${version} older than expected ${expected}` };
      return { name, expected, installed: version, status: 'ok' };
    });
    const missing = verdicts.filter((v) => v.installed === null).length;
    const problems = verdicts.filter((v) => v.problem).map((v) => v.problem as string);
    const status = worstStatus(verdicts.map((v) => v.status));
    const summary = problems.length
      ? `${problems.length} of ${verdicts.length} expected extensions have problems: ${problems.join('; ')}`
      : `all ${verdicts.length} expected extensions present at the expected version or newer: ${verdicts.map((v) => `${v.name} ${v.installed}`).join(', ')}`;
    return {
      status,
      summary,
      metrics: [{ name: 'ExtensionsMissing', value: missing, unit: 'Count' }],
      details: { extensions: verdicts, installed: Object.fromEntries(installed) },
    };
  },
};
