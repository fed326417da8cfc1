// The drill's report: one table a person reads at a glance, or JSON for CI. Pure.
import type { DrillReport } from './run-drill.js';

const MARK: Readonly<Record<string, string>> = {
  seen: 'SEEN',
  partly_seen: 'PARTLY SEEN',
  unseen: 'UNSEEN',
  accepted: 'ACCEPTED (finding)',
  skipped: 'skipped',
};

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();
}

export function drillTable(report: DrillReport): string {
  const header = ['fault', 'server name', 'sent', 'server answered', 'counted', 'verdict'];
  const rows = report.faults.map((f) => [
    f.fault,
    f.serverName ?? '(any)',
    String(f.sent),
    f.answered,
    `${f.counted}/${f.expected}`,
    // wrong_sni answered with a default certificate: a note, not a failed verdict (README, Drills)
    `${MARK[f.verdict] ?? f.verdict}${f.fault === 'wrong_sni' && (f.answers['accepted'] ?? 0) > 0 ? ', accepted: noted' : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const notes = report.faults
    .filter((f) => f.note !== undefined)
    .map((f) => `  ${f.fault}: ${f.note ?? ''}`);
  return [
    `drill of ${report.target}, counters read from ${report.observer}`,
    pad(header, widths),
    ...rows.map((r) => pad(r, widths)),
    ...(notes.length > 0 ? ['notes:', ...notes] : []),
    ...(report.alert
      ? [`alert ${report.alert.name} for ${report.alert.serverName}: ${report.alert.state}`]
      : []),
    ...(report.exporterLog === undefined ? [] : [`exporter's log: ${report.exporterLog}`]),
    report.ok
      ? 'every fault was seen by the monitoring'
      : 'NOT every fault was seen: the monitoring would miss this failure (see docs/runbook.md, "Proving the alerts work")',
  ].join('\n');
}
