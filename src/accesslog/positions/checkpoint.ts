// Publish after persist: a checkpoint takes, in one turn of the event loop, where every followed
// file stands and the counts that go with it; writes the positions; and only then lets scrapes
// see those counts. It runs before every scrape, so what a scraper saw from a run is exactly what
// the positions file says was counted: after a crash the next run counts from there, nothing
// that was scraped is counted again and nothing that was not scraped is lost.
import type { Family } from '../../metrics/family.js';
import type { FilePosition, PositionsFile } from './positions-file.js';

export class Checkpointer {
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: PositionsFile,
    private readonly positions: () => FilePosition[],
    private readonly families: readonly Family[],
  ) {
    for (const family of families) family.defer();
  }

  /** Persist, then publish. Calls run one after another, each with its own snapshot. */
  checkpoint(): Promise<void> {
    const run = this.#chain.then(() => this.#run());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #run(): Promise<void> {
    // synchronous: the positions and the counts describe the same lines
    const positions = this.positions();
    for (const family of this.families) family.stage();
    // a failed write is reported by the file; the counts are shown anyway, so a full disk
    // costs exactness after a crash, never the metrics
    await this.file.save(positions);
    for (const family of this.families) family.publish();
  }
}
