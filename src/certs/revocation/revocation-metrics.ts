// The revocation fetches, measured: a request-duration histogram and a failure counter, per
// method and URL. URLs come from certificates, so their number is capped: past MAX_URLS, new ones
// are published as url="other". Every reason of a URL is created at 0 when the URL is first seen.
import type { RevocationRecorder } from './revocation-checker.js';
import { METRICS } from '../../metrics/catalog.js';
import { Family } from '../../metrics/family.js';
import {
  REVOCATION_FAILURES,
  type RevocationFailure,
  type RevocationMethod,
} from '../../domain/tls-words.js';
import { HistogramFamily } from '../../metrics/histogram.js';
import { registerFamily, type MetricsRegistry } from '../../metrics/registry.js';

export const MAX_URLS = 1_000;

export class RevocationMetrics implements RevocationRecorder {
  readonly #failures = new Family(METRICS.revocationFetchFailures);
  readonly #durations = new HistogramFamily(METRICS.revocationRequestDuration);
  readonly #urls = new Set<string>();

  register(registry: MetricsRegistry): void {
    this.#durations.register(registry);
    registerFamily(registry, this.#failures);
  }

  requested(method: RevocationMethod, url: string, seconds: number): void {
    this.#durations.observe([method, this.#url(method, url)], seconds);
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
}
