// Drives one log's pipeline in memory and renders what it counted, as Prometheus would see it.
import type { ClusterMatcher } from '../../src/accesslog/classify/classifier.js';
import type { FormatWatch } from '../../src/accesslog/format-watch.js';
import { createEnvelope } from '../../src/accesslog/parse/envelope.js';
import { type EnvelopeName } from '../../src/domain/log-formats.js';
import type { LineParser } from '../../src/accesslog/parse/line-parser.js';
import { LogPipeline } from '../../src/accesslog/pipeline.js';
import { LabelLimiter } from '../../src/limit/label-limiter.js';
import type { Direction } from '../../src/domain/tls-words.js';
import { LogFamilies, logSamples } from '../../src/metrics/log-families.js';
import { createRegistry } from '../../src/metrics/registry.js';
import type { Logger } from '../../src/log/logger.js';
import { memoryLogger } from './logs.js';

export interface Harness {
  readonly pipeline: LogPipeline;
  readonly families: LogFamilies;
  /** the exposition text of the pipeline's families */
  render(): Promise<string>;
  /** exposition lines of these metric names, without comments, sorted */
  samples(...names: string[]): Promise<string[]>;
}

export function harness(
  parser: LineParser,
  options: {
    log?: string;
    envelope?: EnvelopeName;
    allow?: string[];
    clustersAllow?: string[];
    directions?: ReadonlySet<Direction>;
    maxValues?: number;
    tlsCluster?: ClusterMatcher;
    watch?: FormatWatch;
    logger?: Logger;
    /** failing_fingerprints.max_values; absent: fingerprints off, as by default */
    fingerprints?: number;
  } = {},
): Harness {
  const families = new LogFamilies();
  const registry = createRegistry({ processMetrics: false });
  families.register(registry);
  const log = options.log ?? 'test';
  const pipeline = new LogPipeline({
    log,
    parser,
    envelope: createEnvelope(options.envelope ?? 'none', 65536),
    serverNames: new LabelLimiter(options.allow ?? [], options.maxValues ?? 100),
    ...(options.directions === undefined ? {} : { directions: options.directions }),
    ...(options.clustersAllow === undefined
      ? {}
      : { clusterNames: new LabelLimiter(options.clustersAllow, options.maxValues ?? 100) }),
    families,
    samples: logSamples(families, log),
    logger: options.logger ?? memoryLogger().logger,
    now: () => 1_000_000,
    maxLineBytes: 65536,
    ...(options.tlsCluster === undefined ? {} : { tlsCluster: options.tlsCluster }),
    ...(options.watch === undefined ? {} : { watch: options.watch }),
    ...(options.fingerprints === undefined
      ? {}
      : { fingerprints: new LabelLimiter([], options.fingerprints) }),
  });
  const render = (): Promise<string> => registry.text();
  return {
    pipeline,
    families,
    render,
    async samples(...names) {
      const text = await render();
      return text
        .split('\n')
        .filter(
          (l) =>
            !l.startsWith('#') && names.some((n) => l.startsWith(`${n}{`) || l.startsWith(`${n} `)),
        )
        .sort();
    },
  };
}

/** Sum of a family's samples whose labels include `match`. */
export function total(
  text: string,
  name: string,
  match: Readonly<Record<string, string>> = {},
): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(match).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
