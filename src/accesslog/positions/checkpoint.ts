// Publish after persist: a checkpoint takes, in one turn of the event loop, where every followed
// file stands and the counts that go with it; writes the positions; and only then lets scrapes
// see those counts. It runs before every scrape, so what a scraper saw from a run is exactly what
// the positions file says was counted: after a crash the next run counts from there, nothing
// that was scraped is counted again and nothing that was not scraped is lost.
import type { Publication } from '../../metrics/publication.js';
import type { FilePosition, PositionsFile } from './positions-file.js';

/** Saves are at most this frequent; a scrape sooner sees the counts of the last save. */
export const MIN_CHECKPOINT_INTERVAL_MS = 1_000;

export class Checkpointer {
  #chain: Promise<void> = Promise.resolve();
  #lastSave = -Infinity;

  constructor(
    private readonly file: PositionsFile,
    private readonly positions: () => FilePosition[],
    private readonly publication: Publication,
    private readonly minIntervalMs = MIN_CHECKPOINT_INTERVAL_MS,
    private readonly nowMs: () => number = Date.now,
  ) {
    publication.defer();
  }

  /** Persist, then publish. Calls run one after another, each with its own snapshot. */
  checkpoint(): Promise<void> {
    const run = this.#chain.then(() => this.#run());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #run(): Promise<void> {
    // a scrape within the interval shows the last saved counts: still exactly what the file says
    if (this.nowMs() - this.#lastSave < this.minIntervalMs) return;
    this.#lastSave = this.nowMs();
    // synchronous: the positions and the counts describe the same lines
    const positions = this.positions();
    this.publication.stage();
    // a failed write is reported by the file; the counts are shown anyway, so a full disk
    // costs exactness after a crash, never the metrics
    await this.file.save(positions);
    this.publication.publish();
  }
}
