// Runs one follower + pipeline per `access_logs` entry and keeps them in step with the config:
// on reload, entries that did not change keep running (and keep their position), removed ones
// stop, new ones start. Counters live in shared families, so a reload never resets them.
import { isDeepStrictEqual } from 'node:util';
import type { Config } from '../config/schema.js';
import type { AccessLogConfig } from '../config/sections/access-logs.js';
import { LabelLimiter } from '../limit/label-limiter.js';
import type { Logger } from '../log/logger.js';
import { logSamples, type LogFamilies } from '../metrics/log-families.js';
import { LogSource } from './follow/log-source.js';
import { createEnvelope } from './parse/envelope.js';
import { parserFor } from './parse/parser-for.js';
import { LogPipeline } from './pipeline.js';
import type { FilePosition } from './positions/positions-file.js';
import { isGlob, pathGlob } from '../config/path-glob.js';
import { basename, dirname } from 'node:path';

/** The saved positions that belong to this log: its path, or a name its glob matches. */
function savedFor(log: AccessLogConfig, saved: readonly FilePosition[]): FilePosition[] {
  const name = basename(log.path);
  if (!isGlob(name)) return saved.filter((p) => p.path === log.path);
  const matcher = pathGlob(name);
  return saved.filter(
    (p) => dirname(p.path) === dirname(log.path) && matcher.test(basename(p.path)),
  );
}

interface Running {
  readonly config: AccessLogConfig;
  readonly source: LogSource;
  /** where its files stood when it started; what it reports until its first pass is done */
  readonly resumeFrom: readonly FilePosition[];
  started: boolean;
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
  #limiterConfig: Config['server_names'] | undefined;
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
      this.#limiterConfig = config.server_names;
    }
    const wanted = new Map(config.access_logs.map((l) => [l.name, l]));
    // a log restarted by a reload carries on from where its files stand now; until its new
    // follower runs, a checkpoint keeps those positions (it stays in #running, not started)
    const carried = new Map<string, FilePosition[]>();
    for (const [name, running] of [...this.#running]) {
      const next = wanted.get(name);
      if (!next || limiterChanged || !isDeepStrictEqual(next, running.config)) {
        const positions = running.source.positions();
        carried.set(name, positions);
        this.#running.set(name, { ...running, resumeFrom: positions, started: false });
        await running.source.stop();
        if (!next) this.#running.delete(name);
      }
    }
    for (const log of config.access_logs) {
      if (this.#running.get(log.name)?.started === true) continue;
      const saved =
        this.#saved === undefined
          ? undefined
          : (carried.get(log.name) ?? savedFor(log, this.#saved));
      await this.#start(log, saved);
    }
    if (this.#saved !== undefined) this.#saved = [];
  }

  /** Where every followed file of every log stands, for the positions file. */
  positions(): FilePosition[] {
    // a log still starting has counted nothing yet: its positions are the ones it resumes from
    return [...this.#running.values()].flatMap((r) =>
      r.started ? r.source.positions() : r.resumeFrom,
    );
  }

  /** Poll every source once now (tests, and shutdown's final read). */
  async pollAll(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.source.poll()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.source.stop()));
    this.#running.clear();
  }

  async #start(log: AccessLogConfig, saved: readonly FilePosition[] | undefined): Promise<void> {
    const { families, logger } = this.options;
    const now = this.options.now ?? Date.now;
    const { parser, warning } = parserFor(log);
    if (warning) logger.warn({ log: log.name, format: log.format }, warning);
    const samples = logSamples(families, log.name);
    const pipeline = new LogPipeline({
      log: log.name,
      parser,
      envelope: createEnvelope(log.envelope, log.max_line_bytes),
      serverNames: this.#limiter ?? new LabelLimiter([], 100),
      families,
      samples,
      logger,
      now,
    });
    const source = new LogSource(
      {
        path: log.path,
        startAt: log.start_at,
        maxLineBytes: log.max_line_bytes,
        drainMs: log.rotation_drain,
        pollIntervalMs: log.poll_interval,
        now,
        watch: this.options.watch ?? true,
        ...(saved === undefined ? {} : { saved }),
      },
      {
        line: (text) => pipeline.line(text),
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
    const running: Running = { config: log, source, resumeFrom: saved ?? [], started: false };
    this.#running.set(log.name, running);
    await source.start();
    running.started = true;
    logger.info(
      { log: log.name, path: log.path, format: log.format, kind: parser.kind },
      'following access log',
    );
  }
}
