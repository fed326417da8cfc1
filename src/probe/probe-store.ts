// The cached results of the scheduled probes, the certificate files and the modules' own client
// certificates: what /metrics publishes. Replaced piece by piece as runs finish; a target, file
// or module that is gone is dropped, so its series disappear at the next scrape.
import { METRICS } from '../metrics/catalog.js';
import type { ExposedSample } from '../metrics/exposition.js';
import { HistogramFamily } from '../metrics/histogram.js';
import type { CertEntry, ProbeView } from './probe-metrics.js';
import { PROBE_REASON_DOCS } from '../domain/probe-failure-reasons.js';
import type { PositionedCert, ProbeResult } from './probe-result.js';

/** reason -> refused_by -> count, every pair a reason can take created at 0 */
type Counts = Map<string, Map<string, number>>;

function zeroCounts(): Counts {
  return new Map(
    Object.entries(PROBE_REASON_DOCS).map(([reason, doc]) => [
      reason,
      new Map(doc.refusedBy.map((side) => [side, 0])),
    ]),
  );
}

export class ProbeStore implements ProbeView {
  /** configured target name -> its results (one per address) */
  readonly #results = new Map<string, readonly ProbeResult[]>();
  readonly #failures = new Map<string, Counts>();
  /** every scheduled probe's handshake time, per result target */
  readonly #handshakes = new HistogramFamily(METRICS.probeHandshakeDuration);
  readonly #clientCerts = new Map<string, readonly PositionedCert[]>();
  readonly #files = new Map<string, readonly PositionedCert[]>();
  #fileErrors: ReadonlyMap<string, string> = new Map();
  #serving: () => readonly PositionedCert[] = () => [];

  record(target: string, results: readonly ProbeResult[]): void {
    this.#results.set(target, results);
    for (const r of results) {
      if (r.durations.handshake !== undefined)
        this.#handshakes.observe([r.target], r.durations.handshake);
      let counts = this.#failures.get(r.target);
      if (!counts) {
        counts = zeroCounts();
        this.#failures.set(r.target, counts);
      }
      if (!r.success && r.reason) {
        const sides = counts.get(r.reason) ?? new Map<string, number>();
        const side = r.refusedBy ?? 'probe';
        counts.set(r.reason, sides.set(side, (sides.get(side) ?? 0) + 1));
      }
    }
  }

  /** Keep only these targets (after a reload). */
  retainTargets(names: ReadonlySet<string>): void {
    for (const [name, results] of this.#results) {
      if (names.has(name)) continue;
      this.#results.delete(name);
      for (const r of results) this.#failures.delete(r.target);
    }
    const kept = new Set([...this.probeResults()].map((r) => r.target));
    this.#handshakes.retain(([target]) => target !== undefined && kept.has(target));
  }

  handshakeDurations(): Iterable<ExposedSample> {
    return this.#handshakes.samples();
  }

  setClientCerts(byModule: ReadonlyMap<string, readonly PositionedCert[]>): void {
    this.#clientCerts.clear();
    for (const [module, certs] of byModule) this.#clientCerts.set(module, certs);
  }

  setFiles(byPath: ReadonlyMap<string, readonly PositionedCert[]>): void {
    this.#files.clear();
    for (const [path, certs] of byPath) this.#files.set(path, certs);
  }

  /** The exporter's own serving certificate chain, read at scrape time (it rotates on reload). */
  setServing(chain: () => readonly PositionedCert[]): void {
    this.#serving = chain;
  }

  /** The files that failed in the last scan: path -> reason. */
  setFileErrors(byPath: ReadonlyMap<string, string>): void {
    this.#fileErrors = byPath;
  }

  fileErrors(): Iterable<readonly [string, string]> {
    return this.#fileErrors;
  }

  *probeResults(): Iterable<ProbeResult> {
    for (const results of this.#results.values()) yield* results;
  }

  *certEntries(): Iterable<CertEntry> {
    for (const r of this.probeResults())
      for (const cert of r.certs) yield { source: 'probe', name: r.target, cert };
    for (const [name, certs] of this.#clientCerts)
      for (const cert of certs) yield { source: 'client_cert', name, cert };
    for (const [name, certs] of this.#files)
      for (const cert of certs) yield { source: 'file', name, cert };
    for (const cert of this.#serving()) yield { source: 'serving', name: 'web', cert };
  }

  *failureCounts(): Iterable<readonly [string, string, string, number]> {
    for (const [target, counts] of this.#failures)
      for (const [reason, sides] of counts)
        for (const [refusedBy, n] of sides) yield [target, reason, refusedBy, n];
  }
}
