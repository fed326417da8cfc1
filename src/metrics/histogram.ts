// A histogram family kept in a Map: per label set, a count per bucket, a sum and a count,
// published as cumulative `_bucket{…,le}`, `_sum` and `_count` series. The buckets are the spec's.
// A hot path holds a series (`series()`) and observes into it without a label lookup. Like a
// Family it only counts: with a positions file, a Publication (publication.ts) decides what
// scrapes show, so the access-log histogram shows exactly the observations of the lines the
// positions file says were read.
import type { MetricSpec } from './catalog.js';
import type { ExposedSample } from './exposition.js';
import { registerComputed, type MetricsRegistry } from './registry.js';

/** What one label set has seen: per bucket (not cumulative; the last is +Inf), sum and count. */
export interface Tally {
  readonly buckets: number[];
  sum: number;
  count: number;
}

export function emptyTally(size: number): Tally {
  return { buckets: new Array<number>(size).fill(0), sum: 0, count: 0 };
}

export class HistogramSeries {
  readonly live: Tally;

  constructor(
    readonly labels: readonly string[],
    private readonly bounds: readonly number[],
  ) {
    this.live = emptyTally(bounds.length + 1);
  }

  observe(value: number): void {
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    const { live } = this;
    live.buckets[i] = (live.buckets[i] ?? 0) + 1;
    live.sum += value;
    live.count += 1;
  }
}

export class HistogramFamily {
  readonly #series = new Map<string, HistogramSeries>();
  readonly #bounds: readonly number[];

  constructor(readonly spec: MetricSpec) {
    if (spec.type !== 'histogram' || !spec.buckets)
      throw new Error(`${spec.name} is not a histogram with buckets`);
    this.#bounds = spec.buckets;
  }

  /** The series of these label values (in spec.labelNames order), created empty. */
  series(labels: readonly string[]): HistogramSeries {
    const key = labels.join('\u0000');
    let series = this.#series.get(key);
    if (!series) {
      if (labels.length !== this.spec.labelNames.length) {
        throw new Error(`${this.spec.name}: expected ${this.spec.labelNames.length} label values`);
      }
      series = new HistogramSeries(labels, this.#bounds);
      this.#series.set(key, series);
    }
    return series;
  }

  observe(labels: readonly string[], value: number): void {
    this.series(labels).observe(value);
  }

  /** Drops the series whose labels `keep` refuses (a target gone after a reload). */
  retain(keep: (labels: readonly string[]) => boolean): void {
    for (const [key, series] of this.#series) if (!keep(series.labels)) this.#series.delete(key);
  }

  allSeries(): IterableIterator<HistogramSeries> {
    return this.#series.values();
  }

  /** The exposed series; `shown` picks each series' tally (a Publication's, else the live one). */
  *samples(shown: (series: HistogramSeries) => Tally = (s) => s.live): Iterable<ExposedSample> {
    const { name, labelNames } = this.spec;
    const withLe = [...labelNames, 'le'];
    for (const series of this.#series.values()) {
      const { labels } = series;
      const { buckets, sum, count } = shown(series);
      let cumulative = 0;
      for (const [i, bound] of this.#bounds.entries()) {
        cumulative += buckets[i] ?? 0;
        yield {
          name: `${name}_bucket`,
          labelNames: withLe,
          labels: [...labels, String(bound)],
          value: cumulative,
        };
      }
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

  register(registry: MetricsRegistry, shown?: (series: HistogramSeries) => Tally): void {
    registerComputed(registry, this.spec, () => this.samples(shown));
  }
}
