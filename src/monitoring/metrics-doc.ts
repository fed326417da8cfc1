// docs/metrics.md, written from the catalogue.
import { METRICS } from '../metrics/catalog.js';
import {
  REVOCATION_FAILURES,
  REVOCATION_REASONS,
  REVOCATION_STATUSES,
} from '../domain/tls-words.js';
import { PROBE_REASON_DOCS } from '../probe/failure-reasons.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

function probeReasons(): string {
  const rows = Object.entries(PROBE_REASON_DOCS).map(
    ([reason, doc]) =>
      `| \`${reason}\` | ${doc.refusedBy.join(', ')} | ${cell(doc.cause)} | ${cell(doc.action)} |`,
  );
  return `## Probe failure reasons\n\nThe \`reason\` of \`${METRICS.probeFailureInfo.name}\` and \`${METRICS.probeFailures.name}\`: the first problem a probe found. \`refused_by\` says who ended the probe: \`probe\` (its TLS stack or its checks refused what the server sent: the chain as OpenSSL verifies it, the name, OCSP, client auth), \`server\` (an alert, a reset or a close from the server: often its verdict on the probe's client certificate), \`network\` (no TLS conversation). \`tls-sli-exporter probe\` prints the same reason with the certificate it is about.\n\n| reason | refused_by | cause | what to do |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

const list = (values: readonly string[]): string => values.map((v) => `\`${v}\``).join(', ');

function revocation(): string {
  return `## Revocation\n\n\`${METRICS.certRevocationStatus.name}\` has one series per certificate, method (\`ocsp\`: the server's staple or the certificate's responder; \`crl\`) and status (${list(REVOCATION_STATUSES)}), 1 on the current one: \`good\` and \`revoked\` are answers signed by the issuer (or a responder it certified); \`unknown\` is a responder that does not know the certificate, or a certificate that names nowhere to ask; \`unavailable\` is no usable answer, never \`revoked\`. \`reason\` of \`${METRICS.certRevocationTimestamp.name}\` is RFC 5280's CRLReason: ${list(REVOCATION_REASONS)}. \`reason\` of \`${METRICS.revocationFetchFailures.name}\`: ${list(REVOCATION_FAILURES)} (docs/runbook.md#tlsrevocationunavailable says what each means). What is checked and fetched: docs/configuration.md#revocation and docs/security.md.\n`;
}

export function metricsDoc(header: string): string {
  const rows = Object.values(METRICS).map(
    (m) =>
      `| \`${m.name}\` | ${m.type} | ${m.labelNames.length ? m.labelNames.map((l) => `\`${l}\``).join(', ') : '—'} | ${m.help.replace(/\|/g, '\\|')} |`,
  );
  return `<!-- ${header} -->\n# Metrics\n\nThe catalogue (\`src/metrics/catalog.ts\`) as a table. Label values of \`direction\`, \`reason\`, \`refused_by\`, \`source\`, \`position\`, \`outcome\`, \`kind\`, \`method\`, \`status\` are closed lists (\`src/domain/tls-words.ts\`, \`src/domain/exporter-words.ts\`).\n\n| metric | type | labels | help |\n|---|---|---|---|\n${rows.join('\n')}\n\n${probeReasons()}\n${revocation()}`;
}
