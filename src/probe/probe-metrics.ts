// Publishes probe results and certificates at scrape time. Time-derived values (days remaining,
// remaining lifetime ratio) are computed here from the cached notBefore/notAfter and `now`, so a
// cached result never shows a stale countdown.
import { weakKey, weakSignature } from '../certs/inspect/strength.js';
import type { PositionedCert, ProbeResult } from './probe-result.js';
import { METRICS } from '../metrics/catalog.js';
import { REVOCATION_STATUSES, type CertSource } from '../domain/tls-words.js';
import {
  registerComputed,
  type ComputedSample,
  type MetricsRegistry,
} from '../metrics/registry.js';

export interface CertEntry {
  readonly source: CertSource;
  /** the target (probe), file path (file) or module (client_cert) */
  readonly name: string;
  readonly cert: PositionedCert;
}

export interface ProbeView {
  probeResults(): Iterable<ProbeResult>;
  certEntries(): Iterable<CertEntry>;
  /**
   * [target, reason, refused_by, count] for tls_probe_failures_total; absent for /probe, whose
   * fresh registry per request cannot hold a counter (it would read 0 or 1)
   */
  failureCounts?(): Iterable<readonly [string, string, string, number]>;
  /** [file, reason] of the certificate files that failed in the last scan; none on /probe */
  fileErrors?(): Iterable<readonly [string, string]>;
  /** the scheduled probes' handshake-time histogram; none on /probe (one probe is no histogram) */
  handshakeDurations?(): Iterable<ComputedSample>;
}

const DAY = 86_400;

function certLabels(e: CertEntry): string[] {
  const f = e.cert.facts;
  return [e.source, e.name, e.cert.position, f.subjectCN, f.issuerCN, f.serial];
}

function* perCert(
  view: ProbeView,
  value: (e: CertEntry) => number | undefined,
): Iterable<ComputedSample> {
  for (const e of view.certEntries()) {
    const v = value(e);
    if (v !== undefined) yield { labels: certLabels(e), value: v };
  }
}

function* perProbe(
  view: ProbeView,
  value: (r: ProbeResult) => number | undefined,
): Iterable<ComputedSample> {
  for (const r of view.probeResults()) {
    const v = value(r);
    if (v !== undefined) yield { labels: [r.target], value: v };
  }
}

const flag = (b: boolean | undefined): number | undefined =>
  b === undefined ? undefined : b ? 1 : 0;

export function registerProbeMetrics(
  registry: MetricsRegistry,
  view: ProbeView,
  nowSeconds: () => number,
): void {
  registerComputed(registry, METRICS.certNotAfter, () =>
    perCert(view, (e) => e.cert.facts.notAfter),
  );
  registerComputed(registry, METRICS.certNotBefore, () =>
    perCert(view, (e) => e.cert.facts.notBefore),
  );
  registerComputed(registry, METRICS.certDaysRemaining, () => {
    const now = nowSeconds();
    return perCert(view, (e) => (e.cert.facts.notAfter - now) / DAY);
  });
  registerComputed(registry, METRICS.certLifetimeRemainingRatio, () => {
    const now = nowSeconds();
    return perCert(view, (e) => {
      const { notBefore, notAfter } = e.cert.facts;
      const total = notAfter - notBefore;
      return total <= 0 ? 0 : Math.min(1, Math.max(0, (notAfter - now) / total));
    });
  });
  registerComputed(registry, METRICS.certInfo, function* () {
    for (const e of view.certEntries()) {
      const f = e.cert.facts;
      yield {
        labels: [
          ...certLabels(e),
          f.sha256,
          f.keyAlgorithm,
          String(f.keyBits),
          f.signatureAlgorithm,
          [...f.dnsNames, ...f.ipAddresses].join(','),
        ],
        value: 1,
      };
    }
  });
  registerComputed(registry, METRICS.certWeakKey, () =>
    perCert(view, (e) => (weakKey(e.cert.facts) ? 1 : 0)),
  );
  registerComputed(registry, METRICS.certWeakSignature, () =>
    perCert(view, (e) => (weakSignature(e.cert.position, e.cert.facts) ? 1 : 0)),
  );
  registerComputed(registry, METRICS.certRevocationStatus, function* () {
    for (const e of view.certEntries()) {
      for (const f of e.cert.revocation ?? []) {
        const labels = [...certLabels(e), f.method];
        for (const status of REVOCATION_STATUSES)
          yield { labels: [...labels, status], value: status === f.status ? 1 : 0 };
      }
    }
  });
  registerComputed(registry, METRICS.certRevocationTimestamp, function* () {
    for (const e of view.certEntries()) {
      for (const f of e.cert.revocation ?? []) {
        if (f.status === 'revoked' && f.revokedAt !== undefined)
          yield {
            labels: [...certLabels(e), f.method, f.reason ?? 'unspecified'],
            value: f.revokedAt,
          };
      }
    }
  });
  registerComputed(registry, METRICS.certRevocationNextUpdate, function* () {
    for (const e of view.certEntries()) {
      for (const f of e.cert.revocation ?? []) {
        if (f.nextUpdate !== undefined)
          yield { labels: [...certLabels(e), f.method], value: f.nextUpdate };
      }
    }
  });
  registerComputed(registry, METRICS.certChainVerified, function* () {
    for (const r of view.probeResults()) {
      if (r.chainVerified !== undefined)
        yield { labels: ['probe', r.target], value: r.chainVerified ? 1 : 0 };
    }
  });
  registerComputed(registry, METRICS.probeSuccess, () =>
    perProbe(view, (r) => (r.success ? 1 : 0)),
  );
  registerComputed(registry, METRICS.probeHandshakeSuccess, () =>
    perProbe(view, (r) => (r.handshakeOk ? 1 : 0)),
  );
  registerComputed(registry, METRICS.probeLastRun, () => perProbe(view, (r) => r.at));
  registerComputed(registry, METRICS.probeDuration, function* () {
    for (const r of view.probeResults()) {
      for (const [phase, seconds] of Object.entries(r.durations))
        yield { labels: [r.target, phase], value: seconds };
    }
  });
  registerComputed(registry, METRICS.probeTlsVersionInfo, function* () {
    for (const r of view.probeResults()) {
      if (r.protocol !== undefined)
        yield { labels: [r.target, r.protocol, r.cipher ?? ''], value: 1 };
    }
  });
  registerComputed(registry, METRICS.probeKeyExchangeInfo, function* () {
    for (const r of view.probeResults())
      if (r.group !== undefined) yield { labels: [r.target, r.group], value: 1 };
  });
  registerComputed(registry, METRICS.certHostnameMatch, () =>
    perProbe(view, (r) => flag(r.hostnameMatch)),
  );
  registerComputed(registry, METRICS.clientAuthEnforced, () =>
    perProbe(view, (r) => flag(r.clientAuthEnforced)),
  );
  registerComputed(registry, METRICS.ocspStapled, () =>
    perProbe(view, (r) => flag(r.ocsp?.stapled)),
  );
  registerComputed(registry, METRICS.ocspStatus, () => perProbe(view, (r) => r.ocsp?.status));
  registerComputed(registry, METRICS.ocspNextUpdate, () =>
    perProbe(view, (r) => r.ocsp?.nextUpdate),
  );
  registerComputed(registry, METRICS.probeFailureInfo, function* () {
    for (const r of view.probeResults()) {
      if (!r.success && r.reason)
        yield { labels: [r.target, r.reason, r.refusedBy ?? 'probe'], value: 1 };
    }
  });
  const fileErrors = view.fileErrors?.bind(view);
  if (fileErrors) {
    registerComputed(registry, METRICS.certFileError, function* () {
      for (const [name, reason] of fileErrors()) yield { labels: [name, reason], value: 1 };
    });
  }
  const handshakeDurations = view.handshakeDurations?.bind(view);
  if (handshakeDurations)
    registerComputed(registry, METRICS.probeHandshakeDuration, handshakeDurations);
  const failureCounts = view.failureCounts?.bind(view);
  if (failureCounts) {
    registerComputed(registry, METRICS.probeFailures, function* () {
      for (const [target, reason, refusedBy, count] of failureCounts())
        yield { labels: [target, reason, refusedBy], value: count };
    });
  }
}
