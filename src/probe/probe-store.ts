// What /metrics publishes of probing: the scheduled probes' results (recorded by their rounds),
// and the certificates held elsewhere, each kind read from the one part that owns it (the
// modules' client certificates, the certificate files, the exporter's serving certificate),
// which hands the store a reader once, when it is built. Nothing else writes here: a target,
// file or module that is gone is dropped by its owner, so its series disappear at the next scrape.
import { METRICS } from '../metrics/catalog.js';
import type { ExposedSample } from '../metrics/exposition.js';
import { HistogramFamily } from '../metrics/histogram.js';
import type { CertEntry, ProbeView } from './probe-metrics.js';
import { PROBE_REASON_DOCS } from '../domain/probe-failure-reasons.js';
import type { CertSource } from '../domain/tls-words.js';
import type { PositionedCert, ProbeResult } from './probe-result.js';

/** the certificates of a source that holds rather than probes them, by name */
export type HeldSource = Exclude<CertSource, 'probe'>;
export type HeldReader = () => Iterable<readonly [name: string, certs: readonly PositionedCert[]]>;

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
  readonly #held = new Map<HeldSource, HeldReader>();
  #fileErrors: () => Iterable<readonly [string, string]> = () => [];

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

  /** The one owner of a kind of held certificate hands its reader here, once, when built. */
  hold(source: HeldSource, read: HeldReader): void {
    if (this.#held.has(source)) throw new Error(`${source} certificates already have an owner`);
    this.#held.set(source, read);
  }

  /** The certificate files' owner hands the reader of the last scan's failures (path, reason). */
  holdFileErrors(read: () => Iterable<readonly [string, string]>): void {
    this.#fileErrors = read;
  }

  fileErrors(): Iterable<readonly [string, string]> {
    return this.#fileErrors();
  }

  *probeResults(): Iterable<ProbeResult> {
    for (const results of this.#results.values()) yield* results;
  }

  *certEntries(): Iterable<CertEntry> {
    for (const r of this.probeResults())
      for (const cert of r.certs) yield { source: 'probe', name: r.target, cert };
    for (const [source, read] of this.#held)
      for (const [name, certs] of read()) for (const cert of certs) yield { source, name, cert };
  }

  *failureCounts(): Iterable<readonly [string, string, string, number]> {
    for (const [target, counts] of this.#failures)
      for (const [reason, sides] of counts)
        for (const [refusedBy, n] of sides) yield [target, reason, refusedBy, n];
  }
}
