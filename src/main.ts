// Composition root: the only module that knows every part. It loads the config, builds the
// registry and the HTTP server, lists the parts (src/parts/) that start, reload and stop as one,
// and returns a handle the CLI (or a test) drives.
import type { AddressInfo } from 'node:net';
import { parseListenAddress } from './config/listen-address.js';
import { defaultConfig, loadConfigFile } from './config/load.js';
import { loadConfigFileInThread } from './config/load-in-thread.js';
import { applyOverrides, type Env, type Flags } from './config/overrides.js';
import type { Config } from './config/schema.js';
import { ExporterError } from './errors.js';
import { createLogger, type LineSink, type Logger } from './log/logger.js';
import { createRegistry, registerScrapeErrors, type MetricsRegistry } from './metrics/registry.js';
import { recordBuildInfo, reloadRecorder } from './metrics/self-recorder.js';
import type { PartContext } from './parts/context.js';
import { logParts } from './parts/log-parts.js';
import { envoyAdminPart, loggerPart, statusPart } from './parts/other-parts.js';
import { probeParts } from './parts/probe-parts.js';
import { webPart } from './parts/web-part.js';
import { handleProbe } from './probe/probe-endpoint.js';
import { startParts, stopParts, type Part } from './runtime/part.js';
import { Reloader, type ReloadResult } from './runtime/reloader.js';
import { createApp } from './server/app.js';
import { listen, SERVER_LIMITS } from './server/http-server.js';
import type { WebSecurity } from './server/web-security.js';
import { buildInfo } from './version.js';

export interface ExporterOptions {
  readonly configFile: string | undefined;
  readonly flags: Flags;
  readonly env: Env;
  /** where log lines go; stderr by default */
  readonly logSink?: LineSink;
  /** watch log directories for changes (default true); tests driving pollLogs() may turn it off */
  readonly watchLogs?: boolean;
  /** least time between two positions saves (default 1 s); tests that scrape at once lower it */
  readonly positionsIntervalMs?: number;
}

export interface RunningExporter {
  readonly address: AddressInfo;
  readonly logger: Logger;
  reload(): Promise<ReloadResult>;
  /** run every configured probe now and wait for the round to finish */
  runProbes(): Promise<void>;
  /** read every followed log now, instead of waiting for file events or the poll timer */
  pollLogs(): Promise<void>;
  stop(): Promise<void>;
}

export const SHUTDOWN_GRACE_MS = 4_000;

/** File (or defaults) with flags and environment on top: what the exporter runs with. */
export async function resolveConfig(
  configFile: string | undefined,
  flags: Flags,
  env: Env,
  /** how the file is read: at once, or (a reload) in a worker thread */
  load: (file: string) => Promise<Config> = loadConfigFile,
): Promise<Config> {
  const fromFile = configFile === undefined ? defaultConfig() : await load(configFile);
  return applyOverrides(fromFile, flags, env);
}

export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const initial = await resolveConfig(options.configFile, options.flags, options.env);
  const logger = createLogger(initial.log.level, initial.log.format, options.logSink);
  if (options.configFile === undefined)
    logger.info('no config file given: serving the exporter with defaults and no sources');
  const registry = exporterRegistry(logger);
  const ctx: PartContext = { registry, logger, initial };
  // the parts, each with its own metrics, in the order a start and every reload run them
  const logs = await logParts(ctx, {
    ...(options.watchLogs === undefined ? {} : { watch: options.watchLogs }),
    ...(options.positionsIntervalMs === undefined
      ? {}
      : { positionsIntervalMs: options.positionsIntervalMs }),
  });
  const probing = probeParts(ctx);
  const web = await webPart(ctx, probing.store);
  const status = statusPart(logs.families);
  const parts: Part[] = [
    ...logs.parts,
    ...probing.parts,
    envoyAdminPart(ctx),
    ...web.parts,
    status.part,
    loggerPart(ctx),
  ];
  // a reload parses in a worker thread: a large file must not stop /-/healthy answering
  const load = (): Promise<Config> =>
    resolveConfig(options.configFile, options.flags, options.env, loadConfigFileInThread);
  const reloader = new Reloader(initial, load, reloadRecorder(registry), logger);
  reloader.runs(parts);
  let ready = false;
  const app = createApp({
    metrics: registry,
    landing: () => ({
      version: buildInfo().version,
      revision: buildInfo().revision,
      telemetryPath: reloader.current.web.telemetry_path,
    }),
    ready: () => ready,
    reload: () => reloader.reload(),
    drillNotes: () => reloader.current.web.drill_notes,
    status: () =>
      status.sampler.model(
        probing.store,
        reloader.current.slo.objective,
        reloader.lastOk,
        reloader.lastError,
      ),
    probe: (query, scrapeTimeout) =>
      handleProbe(query, scrapeTimeout, {
        config: reloader.current.probes,
        service: probing.probes,
        guard: probing.guard,
        denied: probing.countDenied,
      }),
    logger,
    ...(web.security === undefined ? {} : { access: web.security }),
  });
  const http = await serve(app, initial, registry, logger, web.security);
  try {
    await startParts(parts, initial);
  } catch (err) {
    await http.close(0);
    throw err;
  }
  ready = true;
  logListening(logger, http.address, initial, web.security);
  return {
    address: http.address,
    logger,
    reload: () => reloader.reload(),
    pollLogs: () => logs.accessLogs.pollAll(),
    runProbes: () => probing.runAll(),
    async stop() {
      ready = false;
      await Promise.all([http.close(SHUTDOWN_GRACE_MS), stopParts(parts)]);
    },
  };
}

/** The registry with the exporter's own build info and the count of failed collectors. */
function exporterRegistry(logger: Logger): MetricsRegistry {
  const registry = createRegistry();
  recordBuildInfo(registry, buildInfo());
  registerScrapeErrors(registry, (collector, err) =>
    logger.error(
      { collector, err: (err as Error).message },
      'a collector failed: its family is served empty until it recovers',
    ),
  );
  return registry;
}

/** Listening on the configured address, the process metrics loading behind it. */
async function serve(
  app: Parameters<typeof listen>[0],
  initial: Config,
  registry: MetricsRegistry,
  logger: Logger,
  web: WebSecurity | undefined,
): Promise<Awaited<ReturnType<typeof listen>>> {
  const parsed = parseListenAddress(initial.web.listen_address);
  if (!parsed.ok) throw new ExporterError('CONFIG_INVALID', parsed.error);
  const http = await listen(app, parsed.value, SERVER_LIMITS, web?.serverTls());
  // loaded once listening, so a start answers /-/healthy without waiting for prom-client; a
  // scrape waits for it (and fails loudly if it could not load)
  registry.startProcessMetrics()?.catch((err: unknown) => {
    logger.error({ err }, 'loading the process metrics failed');
  });
  return http;
}

/** What protects the endpoints is said at once, so a plaintext start is seen. */
function logListening(
  logger: Logger,
  address: AddressInfo,
  initial: Config,
  web: WebSecurity | undefined,
): void {
  const { version, revision } = buildInfo();
  logger.info(
    {
      version,
      revision,
      address: `${address.address}:${address.port}`,
      telemetry_path: initial.web.telemetry_path,
      tls: web?.settings.tls !== undefined,
      client_auth: web?.settings.tls?.clientAuth ?? 'none',
      basic_auth: (web?.settings.users.size ?? 0) > 0,
    },
    'tls-sli-exporter listening',
  );
}
