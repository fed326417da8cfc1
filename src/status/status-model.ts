// The data of the status page, built from what /metrics publishes: certificates by days remaining
// with the board's colours, handshake success per log and server name over 5 minutes and 1 hour,
// probe checks, and the exporter's health. Pure.
import type { CertEntry } from '../probe/probe-metrics.js';
import { DEFAULT_OPTIONS, runbookUrl } from '../monitoring/options.js';
import { BURN_RATES } from '../monitoring/rules.js';
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
  /** the handshake success objective (config slo.objective) */
  readonly objective: number;
  readonly certs: Iterable<CertEntry>;
  readonly probes: Iterable<ProbeResult>;
  readonly last5m: readonly WindowStats[];
  readonly last1h: readonly WindowStats[];
  readonly logs: ReadonlyArray<{ log: string; linesPerSecond: number; lastLine: number }>;
  readonly reloadOk: boolean;
  readonly reloadError?: string;
}

/**
 * A certificate's colour and the alert it raises. One sent beyond the verified path (`extra`) is
 * grey: no client uses it, so its days are not a verdict; expired, it has an alert of its own.
 */
function certVerdict(position: string, days: number): { colour: Colour; alert?: string } {
  if (position === 'extra')
    return days <= 0
      ? { colour: 'grey', alert: 'TLSUnusedCertificateExpired' }
      : { colour: 'grey' };
  const colour = colourOf(days);
  if (days <= 0) return { colour, alert: 'TLSCertificateExpired' };
  return colour === 'red' ? { colour, alert: 'TLSCertificateExpiryCritical' } : { colour };
}

/** The burn-rate page's fastest factor (14.4 over 1 h): a 5-minute burn at it is red. */
const FAST_BURN = Math.max(...BURN_RATES.map(([, , , factor]) => factor));

/**
 * How fast a success ratio spends the error budget (1 = exactly the budget over 30 days), and its
 * colour: green within the budget, yellow spending it faster, red at the rate the burn-rate alert
 * pages on. 99.29 % against 99.9 % burns 7.1: yellow; 0 % burns 1000: red.
 */
export function burnOf(
  ratio: number | null,
  objective: number,
): { burn: number | null; colour: Colour | null } {
  if (ratio === null) return { burn: null, colour: null };
  const burn = (1 - ratio) / (1 - objective);
  return { burn, colour: burn <= 1 ? 'green' : burn < FAST_BURN ? 'yellow' : 'red' };
}

/** A CA certificate under several probe targets: one entry whose name lists them (sorted). */
function grouped(certs: readonly CertEntry[]): CertEntry[] {
  const shared = new Map<string, CertEntry[]>();
  const rest: CertEntry[] = [];
  for (const e of certs) {
    const ca =
      e.source === 'probe' && (e.cert.position === 'intermediate' || e.cert.position === 'root');
    if (!ca) {
      rest.push(e);
      continue;
    }
    const key = `${e.cert.position}\u0000${e.cert.facts.sha256}`;
    shared.set(key, [...(shared.get(key) ?? []), e]);
  }
  for (const entries of shared.values()) {
    const names = [...new Set(entries.map((e) => e.name))].sort();
    const first = entries[0] as CertEntry;
    rest.push(
      names.length === 1
        ? first
        : {
            ...first,
            name: `${names.length} targets: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`,
          },
    );
  }
  return rest;
}

export function statusModel(input: StatusInputs): StatusModel {
  const seen = new Set<string>();
  const certificates = grouped(
    [...input.certs].filter((e) => {
      const key = `${e.source}\u0000${e.name}\u0000${e.cert.facts.sha256}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  )
    .map((e) => {
      const days = (e.cert.facts.notAfter - input.now) / 86400;
      const { colour, alert } = certVerdict(e.cert.position, days);
      return {
        source: e.source,
        name: e.name,
        position: e.cert.position,
        subject: e.cert.facts.subjectCN,
        notAfter: new Date(e.cert.facts.notAfter * 1000).toISOString(),
        days: Math.round(days * 10) / 10,
        colour,
        runbook: alert === undefined ? null : runbook(alert),
      };
    })
    .sort((a, b) => a.days - b.days);
  const hour = new Map(input.last1h.map((s) => [`${s.log}\u0000${s.serverName}`, s]));
  const sli = input.last5m.map((s) => {
    const { burn, colour } = burnOf(s.successRatio ?? null, input.objective);
    return {
      log: s.log,
      serverName: s.serverName,
      ratio5m: s.successRatio ?? null,
      ratio1h: hour.get(`${s.log}\u0000${s.serverName}`)?.successRatio ?? null,
      handshakes5m: s.handshakes,
      burn5m: burn,
      colour,
      topReasons: s.topReasons.map(([r, n]) => `${r} ${n}`).join(', '),
    };
  });
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
    failure: r.success
      ? null
      : { reason: r.reason ?? '', refusedBy: r.refusedBy ?? 'probe', detail: r.detail ?? '' },
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
    objective: input.objective,
    reloadOk: input.reloadOk,
    reloadError: input.reloadOk ? null : (input.reloadError ?? null),
  };
}
