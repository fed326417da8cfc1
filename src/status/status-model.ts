// The data of the status page, built from what /metrics publishes: certificates by days remaining
// with the board's colours, handshake success per log and server name over 5 minutes and 1 hour,
// probe checks, and the exporter's health. Pure.
import type { CertEntry } from '../probe/probe-metrics.js';
import { DEFAULT_OPTIONS, runbookUrl } from '../monitoring/options.js';
import type { ProbeResult } from '../probe/probe-result.js';
import type { WindowStats } from './handshake-history.js';
import type { Colour, StatusModel } from './status-api.js';

/** The alert a failed probe raises (its own alert when there is one, else TLSProbeFailing). */
function alertOf(r: ProbeResult): string {
  if (r.clientAuthEnforced === false) return 'TLSClientAuthNotEnforced';
  if (r.hostnameMatch === false) return 'TLSHostnameMismatch';
  if (r.ocsp?.status === 1) return 'TLSOCSPRevoked';
  if (r.chainVerified === false) return 'TLSCertificateChainInvalid';
  return 'TLSProbeFailing';
}

const runbook = (alert: string): string => runbookUrl(DEFAULT_OPTIONS, alert);

export function colourOf(days: number, criticalDays = 7, warningDays = 30): Colour {
  if (days < criticalDays) return 'red';
  if (days < warningDays) return 'yellow';
  return 'green';
}

export interface StatusInputs {
  readonly now: number;
  readonly certs: Iterable<CertEntry>;
  readonly probes: Iterable<ProbeResult>;
  readonly last5m: readonly WindowStats[];
  readonly last1h: readonly WindowStats[];
  readonly logs: ReadonlyArray<{ log: string; linesPerSecond: number; lastLine: number }>;
  readonly reloadOk: boolean;
  readonly reloadError?: string;
}

export function statusModel(input: StatusInputs): StatusModel {
  const seen = new Set<string>();
  const certificates = [...input.certs]
    .filter((e) => {
      const key = `${e.source}\u0000${e.name}\u0000${e.cert.facts.sha256}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((e) => {
      const days = (e.cert.facts.notAfter - input.now) / 86400;
      return {
        source: e.source,
        name: e.name,
        position: e.cert.position,
        subject: e.cert.facts.subjectCN,
        notAfter: new Date(e.cert.facts.notAfter * 1000).toISOString(),
        days: Math.round(days * 10) / 10,
        // sent beyond the verified path: no client uses it, so its days are not a verdict
        colour: e.cert.position === 'extra' ? ('grey' as const) : colourOf(days),
        runbook:
          e.cert.position === 'extra'
            ? days <= 0
              ? runbook('TLSUnusedCertificateExpired')
              : null
            : days <= 0
              ? runbook('TLSCertificateExpired')
              : colourOf(days) === 'red'
                ? runbook('TLSCertificateExpiryCritical')
                : null,
      };
    })
    .sort((a, b) => a.days - b.days);
  const hour = new Map(input.last1h.map((s) => [`${s.log}\u0000${s.serverName}`, s]));
  const sli = input.last5m.map((s) => ({
    log: s.log,
    serverName: s.serverName,
    ratio5m: s.successRatio ?? null,
    ratio1h: hour.get(`${s.log}\u0000${s.serverName}`)?.successRatio ?? null,
    handshakes5m: s.handshakes,
    topReasons: s.topReasons.map(([r, n]) => `${r} ${n}`).join(', '),
  }));
  const probes = [...input.probes].map((r) => ({
    target: r.target,
    ok: r.success,
    handshake: r.handshakeOk,
    chain: r.chainVerified ?? null,
    hostname: r.hostnameMatch ?? null,
    clientAuth: r.clientAuthEnforced ?? null,
    ocsp:
      r.ocsp === undefined
        ? 'off'
        : !r.ocsp.stapled
          ? 'not stapled'
          : (['good', 'REVOKED', 'unknown'][r.ocsp.status ?? 2] ?? 'unknown'),
    problem: r.success
      ? ''
      : `${r.reason ?? ''} (refused by ${r.refusedBy ?? 'probe'}): ${r.detail ?? ''}`,
    runbook: r.success ? null : runbook(alertOf(r)),
  }));
  const exporter = input.logs.map((l) => ({
    log: l.log,
    linesPerSecond: Math.round(l.linesPerSecond * 10) / 10,
    lastLineAgeSeconds: l.lastLine > 0 ? Math.round(input.now - l.lastLine) : null,
  }));
  return {
    generatedAt: input.now,
    certificates,
    sli,
    probes,
    exporter,
    reloadOk: input.reloadOk,
    reloadError: input.reloadOk ? null : (input.reloadError ?? null),
  };
}
