// The exporter's metrics registry and the seam the HTTP layer renders through. Our own families
// are written straight to the text format (exposition.ts) and streamed in chunks, yielding to the
// event loop between them, so a scrape of 100 k series neither copies every sample into another
// library's objects nor blocks the loop. prom-client (never its global registry) supplies only the
// standard process and Node.js metrics (process-metrics.ts), loaded once the server listens (a start
// does not wait for it; a scrape does). This folder is the only place that imports prom-client.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { METRICS, type MetricSpec } from './catalog.js';
import {
  EXPOSITION_CONTENT_TYPE,
  familyHeader,
  formatValue,
  seriesHead,
  type ExposedSample,
} from './exposition.js';
import { Family, type Sample } from './family.js';

export interface MetricsRenderer {
  readonly contentType: string;
  /** the exposition text in chunks; the first chunk is ready before anything is sent */
  render(): AsyncIterable<string>;
}

export type ComputedSample = ExposedSample;

type Collector =
  | {
      readonly spec: MetricSpec;
      /** computed at scrape time: written whole, duplicates dropped */
      readonly stable: false;
      read(): Iterable<ExposedSample>;
    }
  | {
      readonly spec: MetricSpec;
      /** a Family's long-lived samples, unique by construction: heads memoised, no duplicate check */
      readonly stable: true;
      read(): Iterable<Sample>;
      /** the value a scrape shows of a sample */
      shown(sample: Sample): number;
    };

/** samples written between two turns of the event loop */
const SAMPLES_PER_CHUNK = 4_096;
/** computed families are joined into chunks of about this many characters before a write */
const CHUNK_CHARS = 256 * 1024;

export class MetricsRegistry implements MetricsRenderer {
  readonly contentType = EXPOSITION_CONTENT_TYPE;
  readonly #collectors: Collector[] = [];
  readonly #last: Collector[] = [];
  readonly #names = new Set<string>();
  #beforeRender: (() => Promise<void>) | undefined;
  #process: Promise<Registry> | undefined;

  /** `processMetrics`: loads the registry of process and Node.js metrics, once */
  constructor(private readonly processMetrics?: () => Promise<Registry>) {}

  /**
   * Loads the process and Node.js metrics now instead of at the first scrape (the exporter calls
   * it once it listens, so the event-loop and GC collectors run from then on, not from the first
   * scrape).
   */
  startProcessMetrics(): Promise<Registry> | undefined {
    this.#process ??= this.processMetrics?.();
    return this.#process;
  }

  /** `last`: written after every other family (what the others' rendering counts, current). */
  add(collector: Collector, last = false): void {
    if (this.#names.has(collector.spec.name)) {
      throw new Error(`metric ${collector.spec.name} is registered twice`);
    }
    this.#names.add(collector.spec.name);
    if (last) this.#last.push(collector);
    else this.#collectors.push(collector);
  }

  /** Every family in the order a scrape writes them. */
  *#ordered(): Generator<Collector> {
    yield* this.#collectors;
    yield* this.#last;
  }

  /** Told of every collector that throws (its family is then served empty). */
  onCollectorError: ((collector: string, err: unknown) => void) | undefined;

  /** Runs before every scrape is written (the positions checkpoint that releases counts). */
  beforeRender(fn: () => Promise<void>): void {
    this.#beforeRender = fn;
  }

  async *render(): AsyncGenerator<string> {
    await this.#beforeRender?.();
    const process = this.startProcessMetrics();
    let chunk = process === undefined ? '' : await (await process).metrics();
    for (const collector of this.#ordered()) {
      if (!collector.stable) {
        const writer = new ComputedWriter(collector, this.onCollectorError);
        while (!writer.write(SAMPLES_PER_CHUNK)) await nextTurn();
        chunk += writer.text;
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
        continue;
      }
      chunk += familyHeader(collector.spec);
      let written = 0;
      for (const sample of collector.read()) {
        chunk += stableLine(collector, sample);
        if (++written % SAMPLES_PER_CHUNK === 0) {
          yield chunk;
          chunk = '';
          await nextTurn();
        }
      }
    }
    yield chunk;
  }

  /** The whole exposition as one string (tests). */
  async text(): Promise<string> {
    let text = '';
    for await (const chunk of this.render()) text += chunk;
    return text;
  }

  /**
   * The whole exposition in one turn of the event loop, for a registry made for one small page
   * (a /probe answer: tens of samples); one with process metrics or a render hook is written by
   * render().
   */
  textNow(): string {
    if (this.processMetrics !== undefined || this.#beforeRender !== undefined)
      throw new Error('textNow() writes a registry without process metrics or a render hook');
    let text = '';
    for (const collector of this.#ordered()) {
      if (!collector.stable) {
        const writer = new ComputedWriter(collector, this.onCollectorError);
        writer.write(Infinity);
        text += writer.text;
        continue;
      }
      text += familyHeader(collector.spec);
      for (const sample of collector.read()) text += stableLine(collector, sample);
    }
    return text;
  }
}

function stableLine(collector: Collector & { stable: true }, sample: Sample): string {
  sample.head ??= seriesHead(collector.spec.name, collector.spec.labelNames, sample.labels);
  return `${sample.head}${formatValue(collector.shown(sample))}\n`;
}

/**
 * Every collector failure in this process, whatever registry it happened in: the test suite's
 * root hook fails a test that leaves one behind (test/support/collector-failures.ts), so a
 * collector that throws fails loudly in tests instead of emptying its family unseen.
 */
export const collectorFailures = { count: 0, last: '' };

/**
 * A family computed at scrape time, written whole once read whole: reading never fails the scrape
 * (a throwing reader serves its family empty, counted and told to `onError`), and duplicate label
 * sets keep their first sample, as Prometheus rejects duplicates. Written a bounded number of
 * samples at a time, so the event loop gets a turn between them (10,000 certificate files are
 * tens of thousands of samples); a small family is written in one call.
 */
class ComputedWriter {
  text: string;
  readonly #seen = new Set<string>();
  #samples: Iterator<ExposedSample> | undefined;

  constructor(
    private readonly collector: Collector & { stable: false },
    private readonly onError?: (collector: string, err: unknown) => void,
  ) {
    this.text = familyHeader(collector.spec);
  }

  /** Writes up to `max` more samples; true once the family is written whole (or failed). */
  write(max: number): boolean {
    const { name, labelNames } = this.collector.spec;
    try {
      this.#samples ??= this.collector.read()[Symbol.iterator]();
      for (let written = 0; written < max;) {
        const next = this.#samples.next();
        if (next.done === true) return true;
        const sample = next.value;
        // the head is the series' name and escaped labels: one per distinct series
        const head = seriesHead(
          sample.name ?? name,
          sample.labelNames ?? labelNames,
          sample.labels,
        );
        if (this.#seen.has(head)) continue;
        this.#seen.add(head);
        this.text += `${head}${formatValue(sample.value)}\n`;
        written += 1;
      }
      return false;
    } catch (err) {
      collectorFailures.count += 1;
      collectorFailures.last = `${this.collector.spec.name}: ${(err as Error).message}`;
      this.onError?.(this.collector.spec.name, err);
      this.text = familyHeader(this.collector.spec);
      return true;
    }
  }
}

/**
 * tls_sli_exporter_scrape_errors_total{collector}, and the first error of each cause (family and
 * message) told to `log`: a collector that throws is counted and said, not silently empty.
 */
export function registerScrapeErrors(
  registry: MetricsRegistry,
  log: (collector: string, err: unknown) => void,
): void {
  const family = new Family(METRICS.scrapeErrors);
  // last: a scrape shows the failures of its own collectors
  registry.add(
    { spec: family.spec, read: () => family.samples(), stable: true, shown: live },
    true,
  );
  const said = new Set<string>();
  registry.onCollectorError = (collector, err) => {
    family.sample([collector]).value += 1;
    const cause = `${collector}\u0000${(err as Error).message}`;
    // bounded: one entry per family and message, the first 100 causes
    if (said.has(cause) || said.size >= 100) return;
    said.add(cause);
    log(collector, err);
  };
}

export function createRegistry(options: { processMetrics?: boolean } = {}): MetricsRegistry {
  if (!(options.processMetrics ?? true)) return new MetricsRegistry();
  return new MetricsRegistry(async () => (await import('./process-metrics.js')).processMetrics());
}

/** Publishes samples computed at scrape time (`read` runs once per scrape). */
export function registerComputed(
  registry: MetricsRegistry,
  spec: MetricSpec,
  read: () => Iterable<ComputedSample>,
): void {
  registry.add({ spec, read, stable: false });
}

/**
 * A counter with one label whose values are a closed list, each published from 0 (so a rate
 * evaluates before the first event); returns what adds one for a value.
 */
export function registerClosedCounter<V extends string>(
  registry: MetricsRegistry,
  spec: MetricSpec,
  values: readonly V[],
): (value: V) => void {
  const family = new Family(spec);
  for (const value of values) family.sample([value]);
  registerFamily(registry, family);
  return (value) => {
    family.sample([value]).value += 1;
  };
}

const live = (sample: Sample): number => sample.value;

/**
 * Publishes a Map-backed family: its samples are read in place at scrape time, each shown as
 * `shown` says (a Publication's value, else the live one).
 */
export function registerFamily(
  registry: MetricsRegistry,
  family: Family,
  shown: (sample: Sample) => number = live,
): void {
  registry.add({ spec: family.spec, read: () => family.samples(), stable: true, shown });
}
