// docs/metrics.md, written from the catalogue.
import { METRICS } from '../metrics/catalog.js';

export function metricsDoc(header: string): string {
  const rows = Object.values(METRICS).map(
    (m) =>
      `| \`${m.name}\` | ${m.type} | ${m.labelNames.length ? m.labelNames.map((l) => `\`${l}\``).join(', ') : '—'} | ${m.help.replace(/\|/g, '\\|')} |`,
  );
  return `<!-- ${header} -->\n# Metrics\n\nThe catalogue (\`src/metrics/catalog.ts\`) as a table. Label values of \`direction\`, \`reason\`, \`source\`, \`position\`, \`outcome\`, \`kind\` are closed lists (\`src/metrics/label-values.ts\`).\n\n| metric | type | labels | help |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}
