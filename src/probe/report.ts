// The human-readable report of the `probe` command, for incidents. Pure: a result and the time in,
// text out. Days left are marked as the board colours them: red below 7, yellow below 30.
import type { CertPosition, RefusedBy } from '../domain/tls-words.js';
import type { CertFacts } from '../certs/inspect/cert-facts.js';
import { weakKey, weakSignature } from '../certs/inspect/strength.js';
import type { ProbeResult } from './probe-result.js';
import type { RevocationFinding } from '../certs/revocation/revocation-finding.js';

const DAY = 86_400;

const REFUSED_BY_TEXT: Readonly<Record<RefusedBy, string>> = {
  probe: 'refused by the probe (what the server sent fails a check)',
  server: 'refused by the server',
  network: 'no TLS conversation (network)',
};

export function expiryMark(days: number): string {
  if (days < 7) return 'RED';
  if (days < 30) return 'YELLOW';
  return 'GREEN';
}

/** The weak flags the metrics publish (level 2), as words on the certificate's line. */
function weakness(position: CertPosition, facts: CertFacts): string {
  const marks = [
    ...(weakKey(facts) ? [`WEAK KEY ${facts.keyAlgorithm} ${facts.keyBits}`] : []),
    ...(weakSignature(position, facts) ? [`WEAK SIGNATURE ${facts.signatureAlgorithm}`] : []),
  ];
  return marks.length ? `  ${marks.join('  ')}` : '';
}

function check(value: boolean | undefined, yes: string, no: string): string {
  return value === undefined ? 'not checked' : value ? yes : no;
}

/**
 * Certificates of a result in the red (below 7 days, expired included): the report's verdict.
 * What the server sent beyond the verified path (`extra`) is not: no client uses it.
 */
export function redCertificates(result: ProbeResult, nowSeconds: number): string[] {
  return result.certs.flatMap(({ position, facts }) => {
    const days = (facts.notAfter - nowSeconds) / DAY;
    if (position === 'extra' || expiryMark(days) !== 'RED') return [];
    const when = days < 0 ? 'expired' : `expires in ${days.toFixed(1)} days`;
    return [`${position} CN=${facts.subjectCN} ${when}`];
  });
}

/** One method's verdict on a certificate: `OCSP  REVOKED  revoked at … per …`. */
export function revocationLine(finding: RevocationFinding): string {
  const status = finding.status === 'good' ? 'good' : finding.status.toUpperCase();
  const next =
    finding.nextUpdate === undefined
      ? ''
      : `  next update ${new Date(finding.nextUpdate * 1000).toISOString()}`;
  return `${finding.method.toUpperCase().padEnd(6)}${status.padEnd(13)}${finding.detail}${next}`;
}

export function probeReport(result: ProbeResult, nowSeconds: number): string {
  const lines: string[] = [];
  const row = (label: string, text: string): void => {
    lines.push(`${label.padEnd(12)}${text}`);
  };
  row('Target', result.target);
  const handshakeMs =
    result.durations.handshake === undefined
      ? ''
      : `  ${(result.durations.handshake * 1000).toFixed(1)} ms`;
  row(
    'Handshake',
    result.handshakeOk
      ? `OK  ${result.protocol ?? ''} ${result.cipher ?? ''}${result.group === undefined ? '' : ` ${result.group}`}${handshakeMs}`
      : `FAILED`,
  );
  row('Chain', check(result.chainVerified, 'verified', 'NOT verified'));
  for (const { position, facts, revocation } of result.certs) {
    const days = (facts.notAfter - nowSeconds) / DAY;
    // a certificate sent beyond the verified path: its dates are shown, not judged
    const mark =
      position === 'extra'
        ? `sent, not on the verified path: no client uses it${days <= 0 ? '; EXPIRED: remove it from the bundle' : ''}`
        : `${expiryMark(days)}${weakness(position, facts)}`;
    lines.push(
      `  ${position.padEnd(13)}CN=${facts.subjectCN}  issuer CN=${facts.issuerCN}  expires ${new Date(facts.notAfter * 1000).toISOString()}  ${days.toFixed(1)} days  ${mark}`,
    );
    for (const finding of revocation ?? []) lines.push(`    ${revocationLine(finding)}`);
  }
  row('Hostname', check(result.hostnameMatch, 'matches', 'DOES NOT match'));
  row(
    'Client auth',
    check(
      result.clientAuthEnforced,
      'enforced (a client without a certificate is refused)',
      'NOT enforced (a client without a certificate is accepted)',
    ),
  );
  if (result.ocsp) {
    const status =
      result.ocsp.status === undefined ? '' : ['good', 'REVOKED', 'unknown'][result.ocsp.status];
    const next =
      result.ocsp.nextUpdate === undefined
        ? ''
        : `, next update ${new Date(result.ocsp.nextUpdate * 1000).toISOString()}`;
    row(
      'OCSP',
      result.ocsp.stapled
        ? `stapled ${status ?? ''}${next}${result.ocsp.problem ? ` (${result.ocsp.problem})` : ''}`
        : 'nothing stapled',
    );
  }
  const red = redCertificates(result, nowSeconds);
  if (red.length > 0) row('Expiry', `RED: ${red.join('; ')}`);
  row(
    'Result',
    result.success
      ? 'SUCCESS'
      : `FAILED: ${result.reason ?? 'unknown'}, ${REFUSED_BY_TEXT[result.refusedBy ?? 'probe']}: ${result.detail ?? ''}`,
  );
  return `${lines.join('\n')}\n`;
}
