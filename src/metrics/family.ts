// A metric family kept in a plain Map: the hot path adds to an entry it looked up (or holds), and
// prom-client reads the family only at scrape time. About 40x cheaper per event than
// prom-client's labelled inc() (measured; docs/scaling.md). No prom-client import here.
import type { MetricSpec } from './catalog.js';

export interface Sample {
  readonly labels: readonly string[];
  value: number;
  /** the rendered `name{labels} `, memoised by the registry */
  head: string | undefined;
}

/** Counts only: what scrapes show of it is the registry's, or a Publication's (publication.ts). */
export class Family {
  readonly #samples = new Map<string, Sample>();

  constructor(readonly spec: MetricSpec) {}

  /** The sample for these label values (in spec.labelNames order), created at 0. */
  sample(labels: readonly string[]): Sample {
    const key = labels.join('\u0000');
    let sample = this.#samples.get(key);
    if (sample === undefined) {
      if (labels.length !== this.spec.labelNames.length) {
        throw new Error(`${this.spec.name}: expected ${this.spec.labelNames.length} label values`);
      }
      sample = { labels: [...labels], value: 0, head: undefined };
      this.#samples.set(key, sample);
    }
    return sample;
  }

  /** Drops the samples whose labels `keep` refuses (a log or a target gone after a reload). */
  retain(keep: (labels: readonly string[]) => boolean): void {
    for (const [key, sample] of this.#samples) if (!keep(sample.labels)) this.#samples.delete(key);
  }

  samples(): IterableIterator<Sample> {
    return this.#samples.values();
  }
}
