// Command line: `tls-sli-exporter` serves; `check-config` validates a file. Flags carry the names
// Prometheus exporters use; each can also come from TLS_SLI_EXPORTER_<FLAG> in the environment.
// What only one command needs (the demo, the generator, the one-shot probe, bcrypt) is imported
// when that command runs: start-up time and idle memory are what a sidecar pays (issue 18).
import { Command, Option } from 'commander';
import { OVERRIDES, envName, flagOrEnv, type Env, type Flags } from './config/overrides.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './config/sections/log.js';
import { ExporterError, problemsOf } from './errors.js';
import { createLogger, type Logger } from './log/logger.js';
import { resolveConfig, startExporter, type RunningExporter } from './main.js';
import { issueText } from './config/issue-text.js';
import { DEFAULT_OPTIONS, type GeneratorOptions } from './monitoring/options.js';
import { buildInfo } from './version.js';
import type { ModuleConfig } from './config/sections/probes.js';

const CONFIG_FLAG = 'config.file';

const FLAG_HELP: Record<string, string> = {
  'web.listen-address': 'address to listen on for metrics and the web interface (default ":10087")',
  'web.telemetry-path': 'path under which to expose metrics (default "/metrics")',
  'web.config.file':
    'exporter-toolkit web config file (TLS, client certificates, basic auth, headers)',
  'log.level': `only log messages with the given severity or above: ${LOG_LEVELS.join(', ')} (default "info")`,
  'log.format': `output format of log messages: ${LOG_FORMATS.join(', ')} (default "logfmt")`,
};

/** Flags as given, keyed by their dotted name (`web.listen-address`), unset ones absent. */
function flagsOf(cmd: Command): Flags {
  const given: Record<string, string | undefined> = {};
  const opts = cmd.optsWithGlobals<Record<string, unknown>>();
  for (const option of cmd.options.concat(cmd.parent?.options ?? [])) {
    const value = opts[option.attributeName()];
    if (typeof value === 'string') given[option.long?.replace(/^--/, '') ?? option.name()] = value;
  }
  return given;
}

/** A logger for failures before the config is known: honours valid log flags, else defaults. */
function bootLogger(flags: Flags, env: Env): Logger {
  const level = flagOrEnv('log.level', flags, env)?.value;
  const format = flagOrEnv('log.format', flags, env)?.value;
  return createLogger(
    (LOG_LEVELS as readonly string[]).includes(level ?? '') ? (level as LogLevel) : 'info',
    (LOG_FORMATS as readonly string[]).includes(format ?? '') ? (format as LogFormat) : 'logfmt',
  );
}

async function serve(flags: Flags, env: Env, demo: boolean): Promise<void> {
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
        ? await (await import('./demo/demo.js')).startDemo(flags, env)
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

async function checkConfig(fileArg: string | undefined, flags: Flags, env: Env): Promise<void> {
  const file = fileArg ?? flagOrEnv(CONFIG_FLAG, flags, env)?.value;
  if (file === undefined) {
    process.stderr.write(
      `check-config: give a file, or --${CONFIG_FLAG}, or ${envName(CONFIG_FLAG)}\n`,
    );
    process.exitCode = 2;
    return;
  }
  try {
    const config = await resolveConfig(file, flags, env);
    // the files it names, as serving would read them: all problems at once
    const { fileProblems } = await import('./config/file-checks.js');
    const problems = await fileProblems(config);
    if (problems.length > 0) throw new ExporterError('CONFIG_INVALID', problems.join('\n'));
    process.stdout.write(`${file}: OK\n`);
  } catch (err) {
    for (const problem of problemsOf(err)) process.stderr.write(`${problem}\n`);
    process.stderr.write(`${file}: FAILED\n`);
    process.exitCode = 1;
  }
}

/** The password is the first line of stdin (never an argument: it would be in the shell history). */
async function hashPassword(cost: number): Promise<void> {
  if (!Number.isInteger(cost) || cost < 4 || cost > 15) {
    process.stderr.write('hash-password: --cost must be an integer from 4 to 15\n');
    process.exitCode = 2;
    return;
  }
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const password = input.split(/\r?\n/)[0] ?? '';
  if (password === '') {
    process.stderr.write('hash-password: no password on standard input\n');
    process.exitCode = 2;
    return;
  }
  const { default: bcrypt } = await import('bcryptjs');
  process.stdout.write(`${await bcrypt.hash(password, cost)}\n`);
}

interface ProbeFlags {
  readonly serverName?: string;
  readonly caFile?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly module?: string;
  readonly timeout?: string;
  readonly expectClientAuth?: boolean;
  readonly ocsp?: string;
  readonly revocationOcsp?: string;
  readonly revocationCrl?: string;
  readonly securityLevel?: string;
  readonly hostnameCnFallback?: boolean;
  readonly keyExchangeGroups?: string;
}

/** A loaded module as the config file wrote it (durations back to text), to parse again. */
function asWritten(module: ModuleConfig): Record<string, unknown> & {
  revocation?: Record<string, unknown>;
} {
  const { revocation, ...rest } = module;
  return {
    ...rest,
    timeout: `${module.timeout}ms`,
    ...(revocation === undefined
      ? {}
      : {
          revocation: {
            ...revocation,
            timeout: `${revocation.timeout}ms`,
            cache_max_age: `${revocation.cache_max_age}ms`,
          },
        }),
  };
}

async function probeCommand(
  targetArg: string,
  opts: ProbeFlags,
  flags: Flags,
  env: Env,
): Promise<void> {
  try {
    const [{ moduleSchema }, { revocationSection }, engine, { probeReport, redCertificates }] =
      await Promise.all([
        import('./config/sections/probes.js'),
        import('./config/sections/revocation.js'),
        import('./probe/probe-engine.js'),
        import('./probe/report.js'),
      ]);
    const { loadModule, probeTarget } = engine;
    const { parseHostPort } = await import('./probe/probe-target.js');
    const configFile = flagOrEnv(CONFIG_FLAG, flags, env)?.value;
    const config =
      configFile === undefined ? undefined : await resolveConfig(configFile, flags, env);
    const fromConfig = opts.module === undefined ? undefined : config?.probes.modules[opts.module];
    if (opts.module !== undefined && fromConfig === undefined) {
      throw new ExporterError(
        'FLAG_INVALID',
        `--module: no module ${JSON.stringify(opts.module)} in ${configFile ?? 'the config (give --config.file)'}`,
      );
    }
    const parsed = moduleSchema.safeParse(
      {
        // the module as loaded holds its timeout in ms: parse it again as what it was written as
        ...(fromConfig === undefined ? {} : asWritten(fromConfig)),
        ...(opts.caFile === undefined ? {} : { ca_file: opts.caFile }),
        ...(opts.cert === undefined ? {} : { client_cert_file: opts.cert }),
        ...(opts.key === undefined ? {} : { client_key_file: opts.key }),
        ...(opts.timeout === undefined ? {} : { timeout: opts.timeout }),
        ...(opts.expectClientAuth === undefined
          ? {}
          : { expect_client_auth: opts.expectClientAuth }),
        ...(opts.ocsp === undefined ? {} : { ocsp: opts.ocsp }),
        ...(opts.revocationOcsp === undefined && opts.revocationCrl === undefined
          ? {}
          : {
              revocation: {
                ...(fromConfig === undefined ? {} : asWritten(fromConfig).revocation),
                ...(opts.revocationOcsp === undefined ? {} : { ocsp: opts.revocationOcsp }),
                ...(opts.revocationCrl === undefined ? {} : { crl: opts.revocationCrl }),
              },
            }),
        ...(opts.securityLevel === undefined ? {} : { security_level: Number(opts.securityLevel) }),
        ...(opts.keyExchangeGroups === undefined
          ? {}
          : { key_exchange_groups: opts.keyExchangeGroups.split(',').map((g) => g.trim()) }),
        ...(opts.hostnameCnFallback === undefined
          ? {}
          : { hostname_cn_fallback: opts.hostnameCnFallback }),
      },
      { reportInput: true, error: issueText },
    );
    if (!parsed.success) {
      throw new ExporterError(
        'FLAG_INVALID',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
      );
    }
    const module = parsed.data;
    const { host, port } = parseHostPort(targetArg);
    // what may be fetched for revocation: the config's revocation section, else its defaults
    const settings = config?.revocation ?? revocationSection.schema.parse({});
    const { checker } = engine.revocationFromSettings(settings);
    const results = await probeTarget(
      { name: targetArg, host, port, serverName: opts.serverName ?? host },
      await loadModule(opts.module ?? 'cli', module, checker),
      () => Date.now() / 1000,
    );
    for (const result of results)
      process.stdout.write(`${probeReport(result, Date.now() / 1000)}\n`);
    // a check that failed, or a certificate in the red (below 7 days), is exit 1
    const now = Date.now() / 1000;
    process.exitCode = results.every((r) => r.success && redCertificates(r, now).length === 0)
      ? 0
      : 1;
  } catch (err) {
    for (const problem of problemsOf(err)) process.stderr.write(`probe: ${problem}\n`);
    process.exitCode = 2;
  }
}

interface GenerateFlags {
  readonly check?: boolean;
  readonly dir: string;
  readonly objective: string;
  readonly warningDays: string;
  readonly criticalDays: string;
  readonly jobSelector: string;
  readonly runbookUrlBase: string;
  readonly minHandshakes: string;
  readonly handshakeP99Threshold?: string;
  readonly testFor?: string;
}

/** A number in (0, max], or in [min, max] when a minimum is given. */
function positiveNumber(flag: string, text: string, max = Infinity, min = 0): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n < min || n > max)
    throw new ExporterError(
      'FLAG_INVALID',
      `--${flag}: expected a number in ${min > 0 ? `[${min}` : '(0'}, ${max}], got ${JSON.stringify(text)}`,
    );
  return n;
}

async function generateCommand(opts: GenerateFlags): Promise<void> {
  try {
    const options: GeneratorOptions = {
      objective: positiveNumber('objective', opts.objective, 0.999999),
      warningDays: positiveNumber('warning-days', opts.warningDays),
      criticalDays: positiveNumber('critical-days', opts.criticalDays),
      jobSelector: opts.jobSelector,
      runbookUrlBase: opts.runbookUrlBase,
      minHandshakes: positiveNumber('min-handshakes', opts.minHandshakes),
      ...(opts.handshakeP99Threshold === undefined
        ? {}
        : {
            // from 1 ms (below the first buckets every handshake is "slow") to 5 s
            handshakeP99Threshold: positiveNumber(
              'handshake-p99-threshold',
              opts.handshakeP99Threshold,
              5,
              0.001,
            ),
          }),
      ...(opts.testFor === undefined ? {} : { testForOverride: opts.testFor }),
    };
    if (options.criticalDays >= options.warningDays) {
      throw new ExporterError('FLAG_INVALID', '--critical-days must be below --warning-days');
    }
    const [{ generatedFiles }, { driftedFiles, writeGenerated }] = await Promise.all([
      import('./monitoring/generate.js'),
      import('./monitoring/write-generated.js'),
    ]);
    const files = generatedFiles(options);
    if (opts.check) {
      const drifted = await driftedFiles(opts.dir, files);
      for (const path of drifted)
        process.stderr.write(
          `${path}: differs from what the generator produces; run npm run generate\n`,
        );
      if (drifted.length > 0) process.exitCode = 1;
      else process.stdout.write(`${files.size} generated files are up to date\n`);
      return;
    }
    for (const path of await writeGenerated(opts.dir, files))
      process.stdout.write(`wrote ${path}\n`);
  } catch (err) {
    for (const problem of problemsOf(err)) process.stderr.write(`generate: ${problem}\n`);
    process.exitCode = 2;
  }
}

export function buildProgram(env: Env): Command {
  const program = new Command('tls-sli-exporter')
    .description('Prometheus exporter for TLS and mutual-TLS handshake SLIs and certificate expiry')
    .version(buildInfo().version, '--version')
    .option('--demo', 'run the embedded demo (the default when no config file is given)')
    .addOption(
      new Option(`--${CONFIG_FLAG} <path>`, `YAML config file (env ${envName(CONFIG_FLAG)})`),
    );
  for (const { flag } of OVERRIDES) {
    program.addOption(
      new Option(`--${flag} <value>`, `${FLAG_HELP[flag] ?? ''} (env ${envName(flag)})`),
    );
  }
  program.action(async (opts: { demo?: boolean }, cmd: Command) =>
    serve(flagsOf(cmd), env, opts.demo === true),
  );
  program
    .command('check-config')
    .description('validate a config file: exit 0 when valid, else list every problem and exit 1')
    .argument('[file]', `config file (default: --${CONFIG_FLAG})`)
    .action(async (file: string | undefined, _opts, cmd: Command) =>
      checkConfig(file, flagsOf(cmd), env),
    );
  program
    .command('probe')
    .description('probe one TLS endpoint now and print a report; exit 1 when a check fails')
    .argument('<target>', 'host:port ([ipv6]:port)')
    .option(
      '--server-name <name>',
      'SNI and the name checked against the certificate (default: the host)',
    )
    .option('--ca-file <path>', 'PEM trust anchors (default: the system roots)')
    .option('--cert <path>', 'client certificate (PEM)')
    .option('--key <path>', 'client private key (PEM)')
    .option('--module <name>', 'start from this module of --config.file')
    .option('--timeout <duration>', 'deadline, e.g. 5s')
    .option('--expect-client-auth', 'also try without a client certificate: it must be refused')
    .option(
      '--ocsp <mode>',
      'the staple: off, request or require (a good one must be stapled); as the module key ocsp',
    )
    .option(
      '--revocation-ocsp <mode>',
      'OCSP for every certificate of the path: off, staple, responder or require',
    )
    .option(
      '--revocation-crl <mode>',
      'CRLs for every certificate of the path: off, check or require',
    )
    .option(
      '--security-level <n>',
      'OpenSSL security level 0-5 (default 2: RSA-1024 and SHA-1 refused, as Debian clients)',
    )
    .option(
      '--key-exchange-groups <list>',
      'groups the server may choose, comma-separated (X25519,P-256,X25519MLKEM768; none = RSA key transport)',
    )
    .option(
      '--hostname-cn-fallback',
      'accept a name only in the subject CN when there is no DNS SAN (as OpenSSL; Go refuses)',
    )
    .action(async (target: string, opts: ProbeFlags, cmd: Command) =>
      probeCommand(target, opts, flagsOf(cmd), env),
    );
  program
    .command('hash-password')
    .description(
      'print the bcrypt hash of a password read from standard input, for basic_auth_users (where htpasswd is not installed)',
    )
    .option('--cost <n>', 'bcrypt cost', '10')
    .action(async (opts: { cost: string }) => hashPassword(Number(opts.cost)));
  program
    .command('generate')
    .description(
      'write the dashboards, rules, rule tests and examples (or --check them) from the metric catalogue',
    )
    .option('--check', 'fail when a file differs from what would be generated')
    .option('--dir <path>', 'repository root to write under', '.')
    .option(
      '--objective <ratio>',
      'handshake success objective over 30 days',
      String(DEFAULT_OPTIONS.objective),
    )
    .option(
      '--warning-days <days>',
      'certificate warning threshold',
      String(DEFAULT_OPTIONS.warningDays),
    )
    .option(
      '--critical-days <days>',
      'certificate critical threshold',
      String(DEFAULT_OPTIONS.criticalDays),
    )
    .option(
      '--job-selector <matcher>',
      'PromQL matcher for the exporter',
      DEFAULT_OPTIONS.jobSelector,
    )
    .option('--runbook-url-base <url>', 'base of runbook links', DEFAULT_OPTIONS.runbookUrlBase)
    .option(
      '--min-handshakes <n>',
      'fewest handshakes in a long window before a burn-rate page',
      String(DEFAULT_OPTIONS.minHandshakes),
    )
    .option(
      '--handshake-p99-threshold <seconds>',
      'add TLSHandshakeLatencyHigh: P99 of the logged handshake times per server name above this (off by default)',
    )
    .option('--test-for <duration>', 'for end-to-end tests only: every alert `for:` becomes this')
    .action(async (opts: GenerateFlags) => generateCommand(opts));
  return program;
}

export async function runCli(argv: readonly string[], env: Env): Promise<void> {
  await buildProgram(env).parseAsync(argv);
}
