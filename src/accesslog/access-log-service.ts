// Runs one follower + pipeline per `access_logs` entry and keeps them in step with the config:
// on reload, entries that did not change keep running (and keep their position), removed ones
// stop, new ones start. Counters live in shared families, so a reload never resets them.
import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../config/schema.js';
import type { AccessLogConfig } from '../config/sections/access-logs.js';
import { LabelLimiter } from '../limit/label-limiter.js';
import type { Logger } from '../log/logger.js';
import { logSamples, type LogFamilies, type LogSamples } from '../metrics/log-families.js';
import { LogSource } from './follow/log-source.js';
import { oneAtATime } from '../common/async.js';
import { LogRotator, postForStatus } from './follow/log-rotator.js';
import { createEnvelope } from './parse/envelope.js';
import { UNDECIDED_LIMIT } from './parse/auto-format.js';
import { parserFor } from './parse/parser-for.js';
import { FormatWatch } from './format-watch.js';
import { clusterMatcher } from './classify/tls-clusters.js';
import { LogPipeline, type PipelineDeps } from './pipeline.js';
import { MALFORMED } from './parse/line-parser.js';
import type { Direction } from '../domain/tls-words.js';
import type { FilePosition } from './positions/positions-file.js';

interface Running {
  readonly config: AccessLogConfig;
  readonly source: LogSource;
  /** the exporter's own rotation of the file (`rotate:`), when configured */
  readonly rotation?: NodeJS.Timeout;
}

export interface AccessLogServiceOptions {
  readonly families: LogFamilies;
  readonly logger: Logger;
  readonly now?: () => number;
  /** watch directories for changes; tests that drive poll() turn it off */
  readonly watch?: boolean;
  /** positions the previous run saved; given = resume from them (positions_file is on) */
  readonly saved?: readonly FilePosition[];
}

export class AccessLogService {
  readonly #running = new Map<string, Running>();
  #limiter: LabelLimiter | undefined;
  #clusterLimiter: LabelLimiter | undefined;
  #limiterConfig: Config['server_names'] | undefined;
  /**
   * Each log's fingerprint limiter, kept while its failing_fingerprints stays the same: a reload
   * that restarts the log does not hand out a fresh set of slots.
   */
  readonly #fingerprints = new Map<
    string,
    { readonly max: number; readonly limiter: LabelLimiter }
  >();
  /** positions to resume from: the previous run's at the first start, then none */
  #saved: readonly FilePosition[] | undefined;

  constructor(private readonly options: AccessLogServiceOptions) {
    this.#saved = options.saved;
  }

  /** Bring the running followers in line with `config` (also the first start). */
  async apply(config: Config): Promise<void> {
    const limiterChanged = !isDeepStrictEqual(config.server_names, this.#limiterConfig);
    if (limiterChanged) {
      this.#limiter = new LabelLimiter(config.server_names.allow, config.server_names.max_values);
      this.#clusterLimiter = new LabelLimiter(
        config.server_names.clusters_allow,
        config.server_names.max_values,
      );
      this.#limiterConfig = config.server_names;
    }
    const wanted = new Map(config.access_logs.map((l) => [l.name, l]));
    // a log restarted by a reload carries on from where its files stood when it stopped; the
    // stopped source stays in #running (reporting those positions) until its successor starts
    const carried = new Map<string, FilePosition[]>();
    for (const [name, running] of [...this.#running]) {
      const next = wanted.get(name);
      if (!next || limiterChanged || !isDeepStrictEqual(next, running.config)) {
        clearInterval(running.rotation);
        await running.source.stop();
        carried.set(name, running.source.positions());
        if (!next) {
          this.#running.delete(name);
          this.#fingerprints.delete(name);
        }
      }
    }
    for (const log of config.access_logs) {
      if (this.#running.has(log.name) && !carried.has(log.name)) continue;
      const saved = this.#saved === undefined ? undefined : (carried.get(log.name) ?? this.#saved);
      await this.#start(log, saved);
    }
    if (this.#saved !== undefined) this.#saved = [];
  }

  /**
   * A pipeline for records that come from no file (the gRPC access-log receiver), under the same
   * label limiters as the files; apply() must have run once.
   */
  entryPipeline(
    name: string,
    directions: readonly Direction[],
    tlsClusters: readonly string[],
  ): LogPipeline {
    return new LogPipeline({
      ...this.#shared(name, directions, tlsClusters),
      parser: { kind: 'auto', parse: () => MALFORMED('a gRPC entry is not a line') },
      envelope: createEnvelope('none', 1),
      maxLineBytes: 1,
    });
  }

  /** What every pipeline of a log takes from the service: the limiters, families and clock. */
  #shared(
    name: string,
    directions: readonly Direction[],
    tlsClusters: readonly string[],
  ): Omit<PipelineDeps, 'parser' | 'envelope' | 'maxLineBytes'> {
    const { families, logger } = this.options;
    return {
      log: name,
      serverNames: this.#limiter ?? new LabelLimiter([], 100),
      ...(this.#clusterLimiter ? { clusterNames: this.#clusterLimiter } : {}),
      directions: new Set(directions),
      families,
      samples: logSamples(families, name),
      logger,
      now: this.options.now ?? Date.now,
      tlsCluster: clusterMatcher(tlsClusters),
    };
  }

  /** Where every followed file of every log stands, for the positions file. */
  positions(): FilePosition[] {
    return [...this.#running.values()].flatMap((r) => r.source.positions());
  }

  /** Poll every source once now (tests, and shutdown's final read). */
  async pollAll(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.source.poll()));
  }

  async stop(): Promise<void> {
    for (const r of this.#running.values()) clearInterval(r.rotation);
    await Promise.all([...this.#running.values()].map((r) => r.source.stop()));
    this.#running.clear();
  }

  /** Checks the file's size every check_interval and rotates it (log-rotator.ts). */
  #rotation(
    log: AccessLogConfig,
    rotate: NonNullable<AccessLogConfig['rotate']>,
    samples: LogSamples,
  ): NodeJS.Timeout {
    const { logger } = this.options;
    const rotator = new LogRotator(
      {
        path: log.path,
        maxBytes: rotate.max_size,
        reopenUrl: rotate.reopen_url,
        drainMs: log.rotation_drain,
      },
      { now: Date.now, post: postForStatus },
    );
    const failed = (err: string): void => {
      samples.followError('rotate_failed');
      logger.warn({ log: log.name, path: log.path, err }, 'cannot rotate log');
    };
    // a check still running when the next is due is joined, not run twice
    const check = oneAtATime(() =>
      rotator.check().then(
        (outcome) => {
          if (outcome.kind === 'rotated')
            logger.info(
              {
                log: log.name,
                path: log.path,
                bytes: outcome.size,
                reopen_url: rotate.reopen_url,
              },
              'log reached its rotate.max_size: renamed, and Envoy reopened it',
            );
          else if (outcome.kind === 'reopen_failed')
            failed(`Envoy did not reopen its logs, the file was put back: ${outcome.error}`);
        },
        (err: unknown) => failed((err as Error).message),
      ),
    );
    const timer = setInterval(() => {
      void check();
    }, rotate.check_interval);
    timer.unref();
    return timer;
  }

  /** The log's fingerprint limiter when it asks for failing fingerprints. */
  #fingerprintLimiter(log: AccessLogConfig): LabelLimiter | undefined {
    const max = log.failing_fingerprints?.max_values;
    if (max === undefined) {
      this.#fingerprints.delete(log.name);
      return undefined;
    }
    const kept = this.#fingerprints.get(log.name);
    if (kept?.max === max) return kept.limiter;
    const limiter = new LabelLimiter([], max);
    this.#fingerprints.set(log.name, { max, limiter });
    return limiter;
  }

  async #start(log: AccessLogConfig, saved: readonly FilePosition[] | undefined): Promise<void> {
    const { logger } = this.options;
    const { parser, warning } = parserFor(log, (chosen) => {
      if (chosen === undefined) {
        logger.warn(
          { log: log.name, lines: UNDECIDED_LIMIT },
          'format auto: no preset fits the first lines; name the format (docs/envoy.md)',
        );
      } else {
        logger.info(
          { log: log.name, chosen },
          `format auto chose "${chosen}"; name it in the config to skip the detection (JSON presets then take the fast path)`,
        );
      }
    });
    if (warning) logger.warn({ log: log.name, format: log.format }, warning);
    const shared = this.#shared(log.name, log.directions, log.tls_clusters);
    const { samples } = shared;
    const fingerprints = this.#fingerprintLimiter(log);
    const pipeline = new LogPipeline({
      ...shared,
      ...(fingerprints === undefined ? {} : { fingerprints }),
      parser,
      envelope: createEnvelope(log.envelope, log.max_line_bytes),
      maxLineBytes: log.max_line_bytes,
      ...(log.format === 'auto'
        ? {}
        : {
            watch: new FormatWatch({
              log: log.name,
              format: log.format,
              logger,
              describeKeys: log.format === 'json' && log.fields === undefined,
            }),
          }),
    });
    const source = new LogSource(
      {
        path: log.path,
        startAt: log.start_at,
        maxLineBytes: log.max_line_bytes,
        drainMs: log.rotation_drain,
        pollIntervalMs: log.poll_interval,
        now: shared.now,
        watch: this.options.watch ?? true,
        ...(saved === undefined ? {} : { saved }),
      },
      {
        line: (text) => pipeline.line(text),
        linesEnded: () => pipeline.linesEnded(),
        ...(pipeline.takesBlocks ? { lines: (block: Buffer) => pipeline.lines(block) } : {}),
        oversize: (bytes) => pipeline.oversize(bytes),
        bytes: (n) => {
          samples.bytes.value += n;
        },
        rotation: (kind) => {
          samples.rotation(kind);
          logger.info({ log: log.name, kind }, 'log rotated');
        },
        error: (reason, err) => {
          samples.followError(reason);
          logger.warn({ log: log.name, reason, err: (err as Error).message }, 'cannot follow log');
        },
      },
    );
    const rotation = log.rotate && this.#rotation(log, log.rotate, samples);
    this.#running.set(log.name, { config: log, source, ...(rotation ? { rotation } : {}) });
    await source.start();
    // No line read yet (a restart resuming at the end): the file's last write is when the log
    // last got a line, so a restart does not look like a stalled log
    if (samples.lastLine.value === 0) samples.lastLine.value = (await source.lastModified()) ?? 0;
    logger.info(
      { log: log.name, path: log.path, format: log.format, kind: parser.kind },
      'following access log',
    );
  }
}
