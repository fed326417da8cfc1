// docs/metrics.md, written from the catalogue.
import { METRICS } from '../metrics/catalog.js';
import {
  CERT_POSITIONS,
  REVOCATION_FAILURES,
  REVOCATION_REASONS,
  REVOCATION_STATUSES,
  type ProbeFailureReason,
} from '../domain/tls-words.js';
import { PROBE_REASON_DOCS } from '../domain/probe-failure-reasons.js';
import { ZH_CN_PROBE_REASONS } from './texts/probe-reasons-zh-CN.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The reasons table's rows: each reason, who can end a probe with it, its cause and action. */
function reasonRows(
  texts: (reason: ProbeFailureReason) => { readonly cause: string; readonly action: string },
): string[] {
  return Object.entries(PROBE_REASON_DOCS).map(([reason, doc]) => {
    const t = texts(reason as ProbeFailureReason);
    return `| \`${reason}\` | ${doc.refusedBy.join(', ')} | ${cell(t.cause)} | ${cell(t.action)} |`;
  });
}

function probeReasons(): string {
  const rows = reasonRows((reason) => PROBE_REASON_DOCS[reason]);
  return `## Probe failure reasons\n\nThe \`reason\` of \`${METRICS.probeFailureInfo.name}\` and \`${METRICS.probeFailures.name}\`: the first problem a probe found. \`refused_by\` says who ended the probe: \`probe\` (its TLS stack or its checks refused what the server sent: the chain as OpenSSL verifies it, the name, OCSP, client auth), \`server\` (an alert, a reset or a close from the server: often its verdict on the probe's client certificate), \`network\` (no TLS conversation). \`tls-sli-exporter probe\` prints the same reason with the certificate it is about.\n\n| reason | refused_by | cause | what to do |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

const list = (values: readonly string[]): string => values.map((v) => `\`${v}\``).join(', ');

function revocation(): string {
  return `## Revocation\n\n\`${METRICS.certRevocationStatus.name}\` has one series per certificate, method (\`ocsp\`: the server's staple or the certificate's responder; \`crl\`) and status (${list(REVOCATION_STATUSES)}), 1 on the current one: \`good\` and \`revoked\` are answers signed by the issuer (or a responder it certified); \`unknown\` is a responder that does not know the certificate, or a certificate that names nowhere to ask; \`unavailable\` is no usable answer, never \`revoked\`. \`reason\` of \`${METRICS.certRevocationTimestamp.name}\` is RFC 5280's CRLReason: ${list(REVOCATION_REASONS)}. \`reason\` of \`${METRICS.revocationFetchFailures.name}\`: ${list(REVOCATION_FAILURES)} (docs/runbook.md#tlsrevocationunavailable says what each means). What is checked and fetched: docs/configuration.md#revocation and docs/security.md.\n`;
}

function positions(): string {
  return `## Certificate positions: the verified path\n\nThe \`position\` of the \`tls_cert_*\` series (${list(CERT_POSITIONS)}). For a probe whose chain verifies, the certificates are the path OpenSSL verified, in its order: \`leaf\`, the \`intermediate\`s, and the trust anchor (\`root\` when self-issued, \`intermediate\` for an anchor that is not), whether the server sent the anchor or not. What the server sent beyond that path is \`extra\`: an expired cross-signature of its root (the shape of the 2021 DST Root CA X3 expiry), a stale intermediate left in the bundle. No client needs an \`extra\` certificate: the expiry alerts (\`TLSCertificateExpiringSoon\`, \`TLSCertificateExpiryCritical\`, \`TLSCertificateExpired\`, \`TLSCertificateLifetimeLow\`, \`TLSCertificateNotYetValid\`) select \`position!="extra"\`, and an expired one raises only \`TLSUnusedCertificateExpired\` (severity \`info\`). blackbox_exporter's \`probe_ssl_earliest_cert_expiry\` takes every certificate sent, extras included; its \`probe_ssl_last_chain_expiry_timestamp_seconds\` follows the verified chain, as the series here do. For a chain that does not verify there is no path to follow: the certificates keep the order the server sent them (\`leaf\` first), and \`${METRICS.certChainVerified.name}\` is 0. Certificate files have no path: a file's certificate is \`leaf\`, \`intermediate\` or \`root\` by what it is.\n`;
}

export function metricsDoc(header: string): string {
  const rows = Object.values(METRICS).map(
    (m) =>
      `| \`${m.name}\` | ${m.type} | ${m.labelNames.length ? m.labelNames.map((l) => `\`${l}\``).join(', ') : '—'} | ${m.help.replace(/\|/g, '\\|')} |`,
  );
  return `<!-- ${header} -->\n# Metrics\n\nThe catalogue (\`src/metrics/catalog.ts\`) as a table. Label values of \`direction\`, \`reason\`, \`refused_by\`, \`source\`, \`position\`, \`outcome\`, \`kind\`, \`method\`, \`status\` are closed lists (\`src/domain/tls-words.ts\`, \`src/domain/exporter-words.ts\`).\n\n\`name\` is one label for one thing across families: what a series is about, as the config names it (a probe target's \`name\`, with \`@address\` under \`resolve: all\`; a certificate file's path; a module for its client certificate; \`web\` for the exporter's own). A probe target's \`tls_probe_*\`, \`tls_ocsp_*\`, \`tls_client_auth_enforced\` and \`tls_cert_*\` series share it, so they join \`on (name)\`. Changed in 0.1.0: the probe and OCSP families called it \`target\`; rename \`target\` to \`name\` in your own queries (the shipped rules, board and routing already use \`name\`).\n\n| metric | type | labels | help |\n|---|---|---|---|\n${rows.join('\n')}\n\n${positions()}\n${probeReasons()}\n${revocation()}`;
}

/**
 * docs/probe-failure-reasons.zh-CN.md: the probe failure reasons of docs/metrics.md in Chinese,
 * the page the Chinese runbook and alert texts point to.
 */
export function probeReasonsDocZhCn(header: string): string {
  const rows = reasonRows((reason) => ZH_CN_PROBE_REASONS[reason]);
  return `<!-- ${header} -->\n# 探测失败原因\n\n\`${METRICS.probeFailureInfo.name}\` 和 \`${METRICS.probeFailures.name}\` 的 \`reason\`：探测发现的第一个问题。\`refused_by\` 说明是谁结束了探测：\`probe\`（探测端的 TLS 实现或其检查拒绝了服务端发来的内容：按 OpenSSL 校验的证书链、名称、OCSP、客户端认证）、\`server\`（服务端的告警、重置或关闭连接：常常是它对探测客户端证书的判定）、\`network\`（没有进行 TLS 通信）。\`tls-sli-exporter probe\` 会打印同样的原因以及它所涉及的证书。英文版：[metrics.md](metrics.md#probe-failure-reasons)；术语见 [glossary.md](glossary.md)。\n\n| reason | refused_by | 成因 | 处理方法 |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}
