// A histogram family kept in a Map: per label set, cumulative bucket counts, a sum and a count,
// published as `_bucket{…,le}`, `_sum` and `_count` series. The buckets are the spec's.
import type { MetricSpec } from './catalog.js';
import type { ExposedSample } from './exposition.js';
import { registerComputed, type MetricsRegistry } from './registry.js';

interface Series {
  readonly labels: readonly string[];
  /** observations at or below each bound (not yet cumulative across bounds: each counts its own) */
  readonly counts: number[];
  sum: number;
  count: number;
}

export class HistogramFamily {
  readonly #series = new Map<string, Series>();
  readonly #bounds: readonly number[];

  constructor(readonly spec: MetricSpec) {
    if (spec.type !== 'histogram' || !spec.buckets)
      throw new Error(`${spec.name} is not a histogram with buckets`);
    this.#bounds = spec.buckets;
  }

  observe(labels: readonly string[], value: number): void {
    const key = labels.join('\u0000');
    let series = this.#series.get(key);
    if (!series) {
      series = { labels: [...labels], counts: this.#bounds.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    for (const [i, bound] of this.#bounds.entries())
      if (value <= bound) series.counts[i] = (series.counts[i] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** Drops the series whose labels `keep` refuses (a target gone after a reload). */
  retain(keep: (labels: readonly string[]) => boolean): void {
    for (const [key, series] of this.#series) if (!keep(series.labels)) this.#series.delete(key);
  }

  *samples(): Iterable<ExposedSample> {
    const { name, labelNames } = this.spec;
    const withLe = [...labelNames, 'le'];
    for (const { labels, counts, sum, count } of this.#series.values()) {
      for (const [i, bound] of this.#bounds.entries())
        yield {
          name: `${name}_bucket`,
          labelNames: withLe,
          labels: [...labels, String(bound)],
          value: counts[i] ?? 0,
        };
      yield {
        name: `${name}_bucket`,
        labelNames: withLe,
        labels: [...labels, '+Inf'],
        value: count,
      };
      yield { name: `${name}_sum`, labels, value: sum };
      yield { name: `${name}_count`, labels, value: count };
    }
  }

  register(registry: MetricsRegistry): void {
    registerComputed(registry, this.spec, () => this.samples());
  }
}
