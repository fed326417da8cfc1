// The default command: serve (the config file's exporter, or the embedded demo without one).
// Signals: SIGHUP reloads, SIGTERM and SIGINT stop; ones that arrive during the start wait for it.
import { flagOrEnv, type Env, type Flags } from '../config/overrides.js';
import { LOG_FORMATS, LOG_LEVELS } from '../config/sections/log.js';
import { isOneOf } from '../domain/closed-list.js';
import { ExporterError, problemsOf } from '../errors.js';
import { createLogger, type Logger } from '../log/logger.js';
import { startExporter, type RunningExporter } from '../main.js';
import { CONFIG_FLAG } from './flags.js';

/** A logger for failures before the config is known: honours valid log flags, else defaults. */
function bootLogger(flags: Flags, env: Env): Logger {
  const level = flagOrEnv('log.level', flags, env)?.value;
  const format = flagOrEnv('log.format', flags, env)?.value;
  return createLogger(
    isOneOf(LOG_LEVELS, level) ? level : 'info',
    isOneOf(LOG_FORMATS, format) ? format : 'logfmt',
  );
}

export async function serve(flags: Flags, env: Env, demo: boolean): Promise<void> {
  if (demo && flags[CONFIG_FLAG] !== undefined) {
    process.stderr.write(`--demo and --${CONFIG_FLAG} exclude each other: give one\n`);
    process.exitCode = 2;
    return;
  }
  // --demo wins over a config file from the environment (TLS_SLI_EXPORTER_CONFIG_FILE)
  const configFile = demo ? undefined : flagOrEnv(CONFIG_FLAG, flags, env)?.value;
  // Signal handlers first: the "listening" line goes out during start, and a SIGHUP or SIGTERM
  // sent on seeing it must not meet the default action (terminate). Early ones wait for the start.
  const running: { exporter?: RunningExporter } = {};
  let early: NodeJS.Signals | undefined;
  let shutdown: (signal: NodeJS.Signals) => void = (signal) => {
    early = signal === 'SIGHUP' ? (early ?? signal) : signal;
  };
  process.on('SIGHUP', () => {
    const current = running.exporter;
    if (current === undefined) {
      shutdown('SIGHUP');
      return;
    }
    current.logger.info('SIGHUP received: reloading config');
    void current.reload();
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  let exporter: RunningExporter;
  try {
    // no config file: the embedded demo (any config file turns it off)
    exporter =
      configFile === undefined
        ? await (await import('../demo/demo.js')).startDemo(flags, env)
        : await startExporter({ configFile, flags, env });
  } catch (err) {
    const logger = bootLogger(flags, env);
    const code = err instanceof ExporterError ? err.code : 'STARTUP_FAILED';
    for (const problem of problemsOf(err)) logger.error({ code, err: problem }, 'cannot start');
    process.exitCode = 1;
    process.removeAllListeners('SIGHUP').removeAllListeners('SIGTERM').removeAllListeners('SIGINT');
    return;
  }
  running.exporter = exporter;
  const { logger } = exporter;
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: String(reason) }, 'unhandled promise rejection');
  });
  let stopping = false;
  shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    exporter.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  if (early === 'SIGHUP') {
    logger.info('SIGHUP received during start: reloading config');
    void exporter.reload();
  } else if (early !== undefined) shutdown(early);
}
