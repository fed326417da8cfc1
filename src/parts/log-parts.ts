// The access-log parts: the followed files, the gRPC receivers (loaded only when a config asks
// for one) and the positions checkpoint's go-ahead, with the families they count into and the
// positions file they resume from.
import { AccessLogService } from '../accesslog/access-log-service.js';
import type { AlsService } from '../accesslog/als/als-service.js';
import { Checkpointer } from '../accesslog/positions/checkpoint.js';
import { PositionsFile, type FilePosition } from '../accesslog/positions/positions-file.js';
import { POSITIONS_PROBLEMS } from '../domain/exporter-words.js';
import { METRICS } from '../metrics/catalog.js';
import { LogFamilies } from '../metrics/log-families.js';
import { registerClosedCounter } from '../metrics/registry.js';
import type { Part } from '../runtime/part.js';
import type { PartContext } from './context.js';

export interface LogPartOptions {
  /** watch log directories for changes (default true) */
  readonly watch?: boolean;
  /** least time between two positions saves */
  readonly positionsIntervalMs?: number;
}

export interface LogParts {
  readonly parts: Part[];
  readonly families: LogFamilies;
  readonly accessLogs: AccessLogService;
}

/** The positions file, when configured: what the last run saved, and the file to save to. */
async function openPositions({
  initial,
  registry,
  logger,
}: PartContext): Promise<{ file: PositionsFile; saved: FilePosition[] } | undefined> {
  if (initial.positions_file === undefined) return undefined;
  const countError = registerClosedCounter(registry, METRICS.positionsErrors, POSITIONS_PROBLEMS);
  const file = new PositionsFile(initial.positions_file, (kind, detail) => {
    countError(kind);
    logger.warn(
      { kind, detail },
      kind === 'write'
        ? 'cannot write the positions file; counts are published anyway'
        : 'positions file unusable; logs start as if there were none',
    );
  });
  const saved = await file.load();
  logger.info({ file: file.path, files: saved.length }, 'positions loaded');
  return { file, saved };
}

export async function logParts(ctx: PartContext, options: LogPartOptions): Promise<LogParts> {
  const { registry, logger } = ctx;
  const families = new LogFamilies();
  families.register(registry);
  const positions = await openPositions(ctx);
  const accessLogs = new AccessLogService({
    families,
    logger,
    ...(options.watch === undefined ? {} : { watch: options.watch }),
    ...(positions === undefined ? {} : { saved: positions.saved }),
  });
  let logsStarted = false;
  if (positions !== undefined) {
    const checkpointer = new Checkpointer(
      positions.file,
      () => accessLogs.positions(),
      families.publication,
      options.positionsIntervalMs,
    );
    // before the logs are started nothing is counted and their saved positions are not in
    // hand yet: a scrape then must not replace the file
    registry.beforeRender(() => (logsStarted ? checkpointer.checkpoint() : Promise.resolve()));
  }
  let als: AlsService | undefined;
  const parts: Part[] = [
    {
      name: 'access logs',
      async apply(next) {
        await accessLogs.apply(next);
        // a log the config no longer names is no longer published (a gRPC entry's streams are
        // published as `name` or `name/log_name`)
        const files = new Set(next.access_logs.map((l) => l.name));
        const streams = next.access_log_services.map((s) => s.name);
        families.retainLogs(
          (log) => files.has(log) || streams.some((s) => log === s || log.startsWith(`${s}/`)),
        );
      },
      stop: () => accessLogs.stop(),
    },
    {
      // the gRPC receivers (and @grpc/grpc-js) are loaded only when a config asks for one
      name: 'access-log services',
      async apply(next) {
        if (als === undefined && next.access_log_services.length === 0) return;
        als ??= new (await import('../accesslog/als/als-service.js')).AlsService(
          accessLogs,
          registry,
          logger,
        );
        await als.apply(next);
      },
      stop: () => als?.stop(),
    },
    {
      // once the logs run, their saved positions are in hand and a scrape may save them
      name: 'positions',
      apply: () => {
        logsStarted = true;
      },
    },
  ];
  return { parts, families, accessLogs };
}
