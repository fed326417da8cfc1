// A metric family kept in a plain Map: the hot path adds to an entry it looked up (or holds), and
// prom-client reads the family only at scrape time. About 40x cheaper per event than
// prom-client's labelled inc() (measured; docs/scaling.md). No prom-client import here.
import type { MetricSpec } from './catalog.js';

export interface Sample {
  readonly labels: readonly string[];
  value: number;
  /** the rendered `name{labels} `, memoised by the registry */
  head: string | undefined;
  /** what scrapes show when the family defers publication (else `value`) */
  published: number | undefined;
  /** the value taken at the last checkpoint, shown once that checkpoint is persisted */
  staged: number | undefined;
}

/**
 * A family whose scrapes can show the values of the last positions checkpoint instead of the live
 * ones (checkpoint.ts): defer() once, then stage() and publish() at every checkpoint.
 */
export interface Checkpointed {
  /** From now on scrapes show what publish() last released, not the live values. */
  defer(): void;
  /** Take every live value as the next to publish (the same turn as the positions taken). */
  stage(): void;
  /** Show what stage() took. */
  publish(): void;
}

export class Family implements Checkpointed {
  readonly #samples = new Map<string, Sample>();
  #deferred = false;

  constructor(readonly spec: MetricSpec) {}

  /** The sample for these label values (in spec.labelNames order), created at 0. */
  sample(labels: readonly string[]): Sample {
    const key = labels.join('\u0000');
    let sample = this.#samples.get(key);
    if (sample === undefined) {
      if (labels.length !== this.spec.labelNames.length) {
        throw new Error(`${this.spec.name}: expected ${this.spec.labelNames.length} label values`);
      }
      sample = {
        labels: [...labels],
        value: 0,
        head: undefined,
        published: this.#deferred ? 0 : undefined,
        staged: undefined,
      };
      this.#samples.set(key, sample);
    }
    return sample;
  }

  samples(): IterableIterator<Sample> {
    return this.#samples.values();
  }

  /** From now on scrapes show what publish() last released, not the live value. */
  defer(): void {
    this.#deferred = true;
    for (const s of this.#samples.values()) s.published ??= s.value;
  }

  /** Take every live value as the next to publish (the same turn as the positions taken). */
  stage(): void {
    for (const s of this.#samples.values()) s.staged = s.value;
  }

  /** Show what stage() took. Samples created since show 0 until the next checkpoint. */
  publish(): void {
    for (const s of this.#samples.values()) if (s.staged !== undefined) s.published = s.staged;
  }
}
