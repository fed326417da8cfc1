// The revocation fetches, measured: a request-duration histogram and a failure counter, per
// method and URL. URLs come from certificates, so their number is capped: past MAX_URLS, new ones
// are published as url="other". Every reason of a URL is created at 0 when the URL is first seen.
import type { RevocationRecorder } from '../probe/revocation/revocation-checker.js';
import { METRICS } from './catalog.js';
import { Family } from './family.js';
import {
  REVOCATION_FAILURES,
  type RevocationFailure,
  type RevocationMethod,
} from './label-values.js';
import { registerComputed, registerFamily, type MetricsRegistry } from './registry.js';

export const MAX_URLS = 1_000;

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

export class RevocationMetrics implements RevocationRecorder {
  readonly #failures = new Family(METRICS.revocationFetchFailures);
  readonly #durations = new Map<string, { labels: readonly string[]; h: Histogram }>();
  readonly #urls = new Set<string>();
  readonly #buckets: readonly number[] = METRICS.revocationRequestDuration.buckets;

  register(registry: MetricsRegistry): void {
    registerComputed(registry, METRICS.revocationRequestDuration, () => this.#histogramSamples());
    registerFamily(registry, this.#failures);
  }

  requested(method: RevocationMethod, url: string, seconds: number): void {
    const labels = [method, this.#url(method, url)];
    const key = labels.join('\u0000');
    let entry = this.#durations.get(key);
    if (!entry) {
      entry = { labels, h: { counts: this.#buckets.map(() => 0), sum: 0, count: 0 } };
      this.#durations.set(key, entry);
    }
    const h = entry.h;
    for (const [i, bound] of this.#buckets.entries())
      if (seconds <= bound) h.counts[i] = (h.counts[i] ?? 0) + 1;
    h.sum += seconds;
    h.count += 1;
  }

  failed(method: RevocationMethod, url: string, failure: RevocationFailure): void {
    this.#failures.sample([method, this.#url(method, url), failure]).value += 1;
  }

  /** the URL label: the URL while fewer than MAX_URLS are known, else "other" */
  #url(method: RevocationMethod, url: string): string {
    const key = `${method} ${url}`;
    if (!this.#urls.has(key)) {
      if (this.#urls.size >= MAX_URLS) return 'other';
      this.#urls.add(key);
      for (const reason of REVOCATION_FAILURES) this.#failures.sample([method, url, reason]);
    }
    return url;
  }

  *#histogramSamples(): Iterable<{
    labels: readonly string[];
    value: number;
    name: string;
    labelNames?: readonly string[];
  }> {
    const { name, labelNames } = METRICS.revocationRequestDuration;
    const withLe = [...labelNames, 'le'];
    for (const { labels, h } of this.#durations.values()) {
      for (const [i, bound] of this.#buckets.entries())
        yield {
          name: `${name}_bucket`,
          labelNames: withLe,
          labels: [...labels, String(bound)],
          value: h.counts[i] ?? 0,
        };
      yield {
        name: `${name}_bucket`,
        labelNames: withLe,
        labels: [...labels, '+Inf'],
        value: h.count,
      };
      yield { name: `${name}_sum`, labels, value: h.sum };
      yield { name: `${name}_count`, labels, value: h.count };
    }
  }
}
