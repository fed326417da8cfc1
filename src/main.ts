// Composition root: the only module that knows every part. It loads the config, builds the
// registry and the HTTP server, wires reload, and returns a handle the CLI (or a test) drives.
import { probeEngine } from './probe/engine-loader.js';
import type { PositionedCert } from './probe/probe-result.js';
import type { AddressInfo } from 'node:net';
import { AccessLogService } from './accesslog/access-log-service.js';
import { parseListenAddress } from './config/listen-address.js';
import { defaultConfig, loadConfigFile } from './config/load.js';
import { loadConfigFileInThread } from './config/load-in-thread.js';
import { applyOverrides, type Env, type Flags } from './config/overrides.js';
import type { Config } from './config/schema.js';
import { ExporterError } from './errors.js';
import { createLogger, type LineSink, type Logger } from './log/logger.js';
import { LogFamilies } from './metrics/log-families.js';
import { registerProbeMetrics } from './probe/probe-metrics.js';
import { RevocationMetrics } from './certs/revocation/revocation-metrics.js';
import { handleProbe } from './probe/probe-endpoint.js';
import { ProbeGuard, type GuardLimits } from './probe/probe-guard.js';
import { ProbeService } from './probe/probe-service.js';
import { ProbeStore } from './probe/probe-store.js';
import { StatusSampler } from './status/status-sampler.js';
import {
  createRegistry,
  registerClosedCounter,
  registerScrapeErrors,
  type MetricsRegistry,
} from './metrics/registry.js';
import { METRICS } from './metrics/catalog.js';
import {
  CERT_FILE_ERROR_REASONS,
  POSITIONS_PROBLEMS,
  PROBE_DENIED_REASONS,
} from './domain/exporter-words.js';
import { Checkpointer } from './accesslog/positions/checkpoint.js';
import { PositionsFile, type FilePosition } from './accesslog/positions/positions-file.js';
import { recordBuildInfo, reloadRecorder } from './metrics/self-recorder.js';
import { Reloader, type ReloadResult } from './runtime/reloader.js';
import { startParts, stopParts, type Part } from './runtime/part.js';
import { createApp } from './server/app.js';
import { listen, SERVER_LIMITS } from './server/http-server.js';
import type { WebSecurity } from './server/web-security.js';
import { buildInfo } from './version.js';
import type { AlsService } from './accesslog/als/als-service.js';
import { EnvoyAdminMetrics } from './envoy-admin/envoy-admin-metrics.js';
import { EnvoyAdminService } from './envoy-admin/envoy-admin-service.js';

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

/** The positions file, when configured: what the last run saved, and the file to save to. */
async function openPositions(
  config: Config,
  registry: MetricsRegistry,
  logger: Logger,
): Promise<{ file: PositionsFile; saved: FilePosition[] } | undefined> {
  if (config.positions_file === undefined) return undefined;
  const countError = registerClosedCounter(registry, METRICS.positionsErrors, POSITIONS_PROBLEMS);
  const file = new PositionsFile(config.positions_file, (kind, detail) => {
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

/** TLS and basic auth of the endpoints (bcrypt among them), loaded only with a web config. */
async function webSecurity(file: string, logger: Logger): Promise<WebSecurity> {
  const [{ loadWebSettings }, { WebSecurity }] = await Promise.all([
    import('./config/web-config.js'),
    import('./server/web-security.js'),
  ]);
  return new WebSecurity(await loadWebSettings(file), logger);
}

export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const initial = await resolveConfig(options.configFile, options.flags, options.env);
  // a reload parses in a worker thread: a large file must not stop /-/healthy answering
  const load = (): Promise<Config> =>
    resolveConfig(options.configFile, options.flags, options.env, loadConfigFileInThread);
  const logger = createLogger(initial.log.level, initial.log.format, options.logSink);
  if (options.configFile === undefined) {
    logger.info('no config file given: serving the exporter with defaults and no sources');
  }

  const registry = createRegistry();
  const info = buildInfo();
  recordBuildInfo(registry, info);
  registerScrapeErrors(registry, (collector, err) =>
    logger.error(
      { collector, err: (err as Error).message },
      'a collector failed: its family is served empty until it recovers',
    ),
  );
  const families = new LogFamilies();
  families.register(registry);
  const positions = await openPositions(initial, registry, logger);
  const accessLogs = new AccessLogService({
    families,
    logger,
    ...(options.watchLogs === undefined ? {} : { watch: options.watchLogs }),
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
  const probeStore = new ProbeStore();
  registerProbeMetrics(registry, probeStore, () => Date.now() / 1000);
  const countCertFileError = registerClosedCounter(
    registry,
    METRICS.certFileErrors,
    CERT_FILE_ERROR_REASONS,
  );
  const revocationMetrics = new RevocationMetrics();
  revocationMetrics.register(registry);
  const envoyAdminMetrics = new EnvoyAdminMetrics();
  envoyAdminMetrics.register(registry);
  const envoyAdmin = new EnvoyAdminService(envoyAdminMetrics, logger);
  const probes = new ProbeService({
    store: probeStore,
    logger,
    revocationRecorder: revocationMetrics,
    onCertFileError: (reason) => {
      countCertFileError(reason);
    },
  });
  const countDenied = registerClosedCounter(
    registry,
    METRICS.probeRequestsDenied,
    PROBE_DENIED_REASONS,
  );
  const guardLimits = (config: Config): GuardLimits => ({
    ratePerSecond: config.probes.endpoint.requests_per_second,
    burst: config.probes.endpoint.burst,
    maxConcurrent: config.probes.endpoint.max_concurrent,
  });
  const guard = new ProbeGuard(guardLimits(initial));
  const status = new StatusSampler(families);
  // an unusable web config refuses the start (ConfigError naming the key), like a bad config
  const webFile = initial.web.config_file;
  const web = webFile === undefined ? undefined : await webSecurity(webFile, logger);
  if (web !== undefined) {
    // the exporter's own HTTPS certificate expires too: published as source="serving"
    // read once per certificate file loaded (every metric family of a scrape asks for it)
    const { anchorsFromPem, positionedChain } = await probeEngine();
    let serving: { cert: Buffer; chain: readonly PositionedCert[] } | undefined;
    probeStore.setServing(() => {
      const cert = web.settings.tls?.cert;
      if (cert === undefined) return [];
      if (serving?.cert !== cert) {
        let chain: readonly PositionedCert[] = [];
        try {
          chain = positionedChain(anchorsFromPem(cert.toString('utf8')).map((c) => c.raw));
        } catch {
          // an unreadable chain was refused when the web config loaded; nothing to publish
        }
        serving = { cert, chain };
      }
      return serving.chain;
    });
  }
  const reloader = new Reloader(initial, load, reloadRecorder(registry), logger);
  const reload = (): Promise<ReloadResult> => reloader.reload();
  if (web !== undefined) {
    // a web config that fails to reload makes the reload a failure (the running one stays)
    reloader.onReloadAlso(async () =>
      (await web.reload())
        ? undefined
        : `web config ${webFile ?? ''} not reloaded (the running one stays; the log says why)`,
    );
  }
  // the gRPC receivers (and @grpc/grpc-js) are loaded only when a config asks for one
  let als: AlsService | undefined;
  // the parts, in the order a start and every reload run them (runtime/part.ts)
  const parts: Part[] = [
    {
      name: 'access logs',
      apply: (next) => accessLogs.apply(next),
      stop: () => accessLogs.stop(),
    },
    {
      name: 'access-log services',
      async apply(next) {
        if (als === undefined && next.access_log_services.length === 0) return;
        als ??= new (await import('./accesslog/als/als-service.js')).AlsService(
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
    {
      name: 'probes',
      prepare: (next) => probes.prepare(next),
      apply: (next) => probes.apply(next),
      stop: () => probes.stop(),
    },
    { name: '/probe limits', apply: (next) => guard.setLimits(guardLimits(next)) },
    {
      name: 'Envoy admin',
      apply: (next) => envoyAdmin.apply(next),
      stop: () => envoyAdmin.stop(),
    },
    {
      name: 'logger',
      apply(next, previous) {
        logger.level = next.log.level;
        if (
          previous !== undefined &&
          (next.log.format !== previous.log.format ||
            next.web.listen_address !== previous.web.listen_address ||
            next.web.config_file !== previous.web.config_file ||
            next.positions_file !== previous.positions_file)
        ) {
          logger.warn(
            { listen_address: next.web.listen_address, log_format: next.log.format },
            'web.listen_address, web.config_file, positions_file and log.format changes take effect after a restart',
          );
        }
      },
    },
  ];
  reloader.runs(parts);

  let ready = false;
  const app = createApp({
    metrics: registry,
    landing: () => ({
      version: info.version,
      revision: info.revision,
      telemetryPath: reloader.current.web.telemetry_path,
    }),
    ready: () => ready,
    reload,
    drillNotes: () => reloader.current.web.drill_notes,
    status: () =>
      status.model(probeStore, reloader.current.slo.objective, reloader.lastOk, reloader.lastError),
    probe: (query, scrapeTimeout) =>
      handleProbe(query, scrapeTimeout, {
        config: reloader.current.probes,
        service: probes,
        guard,
        denied: countDenied,
      }),
    logger,
    ...(web === undefined ? {} : { access: web }),
  });

  const parsed = parseListenAddress(initial.web.listen_address);
  if (!parsed.ok) throw new ExporterError('CONFIG_INVALID', parsed.error);
  const http = await listen(app, parsed.value, SERVER_LIMITS, web?.serverTls());
  // loaded once listening, so a start answers /-/healthy without waiting for prom-client; a
  // scrape waits for it (and fails loudly if it could not load)
  registry.startProcessMetrics()?.catch((err: unknown) => {
    logger.error({ err }, 'loading the process metrics failed');
  });
  await web?.watch();
  try {
    await startParts(parts, initial);
  } catch (err) {
    await http.close(0);
    throw err;
  }
  status.start();
  ready = true;
  logger.info(
    {
      version: info.version,
      revision: info.revision,
      address: `${http.address.address}:${http.address.port}`,
      telemetry_path: initial.web.telemetry_path,
      // what protects the endpoints, so a plaintext start is seen at once
      tls: web?.settings.tls !== undefined,
      client_auth: web?.settings.tls?.clientAuth ?? 'none',
      basic_auth: (web?.settings.users.size ?? 0) > 0,
    },
    'tls-sli-exporter listening',
  );

  return {
    address: http.address,
    logger,
    reload,
    pollLogs: () => accessLogs.pollAll(),
    runProbes: () => probes.runAll(),
    async stop() {
      ready = false;
      status.stop();
      web?.stop();
      await Promise.all([http.close(SHUTDOWN_GRACE_MS), stopParts(parts)]);
    },
  };
}
