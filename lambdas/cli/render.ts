import type { Belt, Report, Status } from '../core/types';

const BELTS: { belt: Belt; title: string }[] = [
  { belt: 'instance', title: 'INSTANCE' },
  { belt: 'database', title: 'DATABASE' },
  { belt: 'backups', title: 'BACKUPS & WAL' },
  { belt: 'bucket', title: 'BUCKET' },
];

const MARK: Record<Status, string> = { ok: '✔', warn: '▲', fail: '✖', unknown: '?', skipped: '–' };
const COLOR: Record<Status, string> = { ok: '32', warn: '33', fail: '31', unknown: '35', skipped: '90' };

/** Rendering options for the human report. */
export interface RenderOptions {
  /** ANSI colours (the CLI turns them on for a TTY unless NO_COLOR is set). */
  color?: boolean;
  /** Header line context, e.g. the config file and the evaluation instant. */
  header?: string;
  /** The next step for a check that is not ok (printed under it), e.g. from `runbookFor`. */
  hint?: (checkId: string) => string | undefined;
}

/** The human report, grouped by belt, one line per check with a status mark. */
export function renderReport(report: Report, options: RenderOptions = {}): string {
  const paint = (s: Status, text: string) => (options.color ? `\u001b[${COLOR[s]}m${text}\u001b[0m` : text);
  const width = Math.max(20, ...report.checks.map((c) => c.id.length)) + 2;
  const lines: string[] = [];
  if (options.header) lines.push(options.header, '');
  for (const { belt, title } of BELTS) {
    const checks = report.checks.filter((c) => c.belt === belt);
    if (checks.length === 0) continue;
    lines.push(title);
    for (const c of checks) {
      const label = `${c.status.toUpperCase()}`.padEnd(7);
      lines.push(`  ${paint(c.status, `${MARK[c.status]} ${label}`)} ${c.id.padEnd(width)}${c.summary}`);
      const hint = c.status === 'fail' || c.status === 'unknown' || c.status === 'warn' ? options.hint?.(c.id) : undefined;
      if (hint) lines.push(`  ${' '.repeat(10 + width)}→ ${hint}`);
    }
    lines.push('');
  }
  const counts = (['fail', 'unknown', 'warn', 'ok', 'skipped'] as Status[])
    .map((s) => [s, report.checks.filter((c) => c.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  lines.push(`${paint(report.status, `Overall: ${report.status.toUpperCase()}`)} — ${counts || 'no checks selected'} (${(report.durationMs / 1000).toFixed(1)} s)`);
  return lines.join('\n');
}
