import type { LogCategory, LogReport } from './types';

const TITLES: Record<LogCategory, string> = {
  trouble: 'Real trouble',
  auth: 'Authentication and client errors',
  lifecycle: 'Server lifecycle',
  noise: 'Scanner noise (harmless, counted)',
  routine: 'Routine',
};
const TAG = { info: 'info', warn: 'WARN', fail: 'FAIL' } as const;

/** Plain-text report for `chronos-monitor logs`: verdict line, one section per category, brute-force details. */
export function renderLogReport(report: LogReport): string {
  const out: string[] = [];
  out.push(`PostgreSQL log: ${report.verdict.toUpperCase()}: ${report.summary}`);
  const span = report.firstTime ? `, ${report.firstTime} .. ${report.lastTime}` : ', no timestamps';
  out.push(`${report.lines} lines, ${report.entries} entries${span}`);
  for (const cat of Object.keys(TITLES) as LogCategory[]) {
    const kinds = report.kinds.filter((k) => k.category === cat);
    if (kinds.length === 0) continue;
    out.push('', TITLES[cat]);
    for (const k of kinds) {
      const when = k.first ? (k.first === k.last ? `  at ${k.first}` : `  ${k.first} .. ${k.last}`) : '';
      const eg = k.example && cat !== 'routine' ? `  e.g. "${k.example}"` : '';
      out.push(`  ${TAG[k.severity].padEnd(4)}  ${String(k.count).padStart(5)} × ${k.label}${when}${eg}`);
    }
  }
  const bf = report.bruteForce;
  if (bf.failures > 0) {
    out.push('', `Authentication failures: ${bf.failures}; most within ${bf.windowMinutes} min: ${bf.timed ? bf.maxInWindow : 'unknown (no timestamps)'}; brute force: ${bf.detected ? 'SUSPECTED' : 'no'}`);
    out.push(`  users: ${bf.users.map((u) => `${u.name} ×${u.count}`).join(', ') || '-'}`);
    out.push(`  sources: ${bf.sources.map((s) => `${s.host} ×${s.count}`).join(', ') || 'unknown (enable log_connections or add %h to log_line_prefix)'}`);
    for (const l of bf.loginsAfterFailures) out.push(`  FAIL  login as ${l.user} succeeded from ${l.host} after failed attempts${l.time ? ` at ${l.time}` : ''}`);
  }
  const u = report.unclassified;
  if (u.entries || u.unparsedLines) {
    const levels = Object.entries(u.byLevel).map(([l, n]) => `${l} ${n}`).join(', ');
    out.push('', `Unclassified: ${u.entries} entries${levels ? ` (${levels})` : ''}; ${u.unparsedLines} lines not in PostgreSQL log format`);
  }
  return out.join('\n');
}
