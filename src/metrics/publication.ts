// What scrapes show of the families counted from access logs. Counting is the families' (a
// sample's value, a series' tally); staging and publishing are this object's alone. Until defer()
// scrapes show the live values; after it, the positions checkpoint (checkpoint.ts) drives it:
// stage() takes every live value in the same turn as the positions, publish() shows them once the
// positions are saved. A sample or series created since the last stage shows 0 (a counter appears
// at 0 before it rises, so rate() sees its first increase).
import type { Family, Sample } from './family.js';
import { emptyTally, type HistogramFamily, type HistogramSeries, type Tally } from './histogram.js';

interface Snapshot {
  readonly values: Map<Sample, number>;
  readonly tallies: Map<HistogramSeries, Tally>;
}

const emptySnapshot = (): Snapshot => ({ values: new Map(), tallies: new Map() });

export class Publication {
  #deferred = false;
  #published: Snapshot = emptySnapshot();
  /** the snapshot not shown: stage() fills it, publish() swaps it with the shown one */
  #spare: Snapshot = emptySnapshot();
  #staged = false;

  constructor(
    private readonly families: readonly Family[],
    private readonly histograms: readonly HistogramFamily[],
  ) {}

  /** From now on scrapes show what publish() last released, starting with the values of now. */
  defer(): void {
    this.#take(this.#published);
    this.#deferred = true;
  }

  /** Take every live value as the next to publish (the same turn as the positions taken). */
  stage(): void {
    this.#take(this.#spare);
    this.#staged = true;
  }

  /** Show what stage() took. */
  publish(): void {
    if (!this.#staged) return;
    [this.#published, this.#spare] = [this.#spare, this.#published];
    this.#staged = false;
  }

  /** What a scrape shows of a counter or gauge sample. */
  value(sample: Sample): number {
    return this.#deferred ? (this.#published.values.get(sample) ?? 0) : sample.value;
  }

  /** What a scrape shows of a histogram series. */
  tally(series: HistogramSeries): Tally {
    if (!this.#deferred) return series.live;
    return this.#published.tallies.get(series) ?? emptyTally(series.live.buckets.length);
  }

  #take(into: Snapshot): void {
    into.values.clear();
    for (const family of this.families)
      for (const sample of family.samples()) into.values.set(sample, sample.value);
    into.tallies.clear();
    for (const histogram of this.histograms)
      for (const series of histogram.allSeries()) into.tallies.set(series, copyOf(series.live));
  }
}

function copyOf(tally: Tally): Tally {
  return { buckets: [...tally.buckets], sum: tally.sum, count: tally.count };
}
