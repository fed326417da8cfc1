// `drill <target>`: inject real TLS failures against one endpoint the config allows and prove the
// monitoring sees them (docs/runbook.md, "Proving the alerts work"). Exit 0 when every fault that
// ran was seen; 1 when one went unseen, was only partly seen, or was accepted by the server; 2 when
// the flags are wrong or the target is not allowed.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { parseDurationMs } from '../config/duration.js';
import { flagOrEnv, type Env, type Flags } from '../config/overrides.js';
import { DRILL_MAX_DURATION_MS, DRILL_MAX_RATE } from '../domain/drill-words.js';
import { ExporterError, problemsOf } from '../errors.js';
import { resolveConfig } from '../main.js';
import { CONFIG_FLAG, flagsOf } from './flags.js';

interface DrillFlags {
  readonly module?: string;
  readonly serverName?: string;
  readonly wrongServerName: string;
  readonly faults?: string;
  readonly rate: string;
  readonly duration: string;
  readonly settle: string;
  readonly timeout: string;
  readonly metricsUrl?: string;
  readonly prometheusUrl?: string;
  readonly exporterUrl?: string;
  readonly job: string;
  readonly clientCaCert?: string;
  readonly clientCaKey?: string;
  readonly expiredCert?: string;
  readonly expiredKey?: string;
  readonly output: 'table' | 'json';
  readonly dryRun?: boolean;
}

function duration(flag: string, text: string, maxMs: number): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms <= 0 || ms > maxMs)
    throw new ExporterError(
      'FLAG_INVALID',
      `--${flag}: expected a duration like "30s" up to ${maxMs / 1000}s, got ${JSON.stringify(text)}`,
    );
  return ms;
}

async function drill(targetArg: string, opts: DrillFlags, flags: Flags, env: Env): Promise<void> {
  try {
    const [{ isAllowed }, { parseHostPort }, run, { parseFaults }, observe, creds, { drillTable }] =
      await Promise.all([
        import('../probe/probe-endpoint.js'),
        import('../probe/probe-target.js'),
        import('../drill/run-drill.js'),
        import('../drill/faults.js'),
        import('../drill/observe.js'),
        import('../drill/credentials.js'),
        import('../drill/report.js'),
      ]);
    const configFile = flagOrEnv(CONFIG_FLAG, flags, env)?.value;
    if (configFile === undefined)
      throw new ExporterError(
        'FLAG_INVALID',
        `--${CONFIG_FLAG}: the drill runs only against an endpoint the config allows; give the config`,
      );
    const config = await resolveConfig(configFile, flags, env);
    // a configured target by name, or an address a module allows
    const named = config.probes.targets.find((t) => t.name === targetArg);
    const address = named?.address ?? targetArg;
    const configured = config.probes.targets.find(
      (t) => t.address.toLowerCase() === address.toLowerCase(),
    );
    const module = opts.module ?? named?.module ?? configured?.module;
    if (module === undefined || !isAllowed(config.probes, module, address))
      throw new ExporterError(
        'TARGET_NOT_ALLOWED',
        `${targetArg}: not a configured target, nor allowed by ${opts.module === undefined ? 'any module' : `module ${opts.module}'s allowed_targets`} in ${configFile}`,
      );
    const { host, port } = parseHostPort(address);
    const rate = Number(opts.rate);
    if (!Number.isFinite(rate) || rate <= 0 || rate > DRILL_MAX_RATE)
      throw new ExporterError(
        'FLAG_INVALID',
        `--rate: expected handshakes per second in (0, ${DRILL_MAX_RATE}], got ${JSON.stringify(opts.rate)}`,
      );
    if ((opts.metricsUrl === undefined) === (opts.prometheusUrl === undefined))
      throw new ExporterError(
        'FLAG_INVALID',
        'give one of --metrics-url (an exporter) or --prometheus-url (a Prometheus with the job)',
      );
    const faults = parseFaults(opts.faults);
    const serverName = opts.serverName ?? named?.server_name ?? configured?.server_name ?? host;
    const moduleConfig = config.probes.modules[module];
    const plan = {
      target: {
        host,
        port,
        timeoutMs: duration('timeout', opts.timeout, 60_000),
        verdictMs: 1_000,
      },
      serverName,
      wrongServerName: opts.wrongServerName,
      faults,
      ratePerSecond: rate,
      durationMs: duration('duration', opts.duration, DRILL_MAX_DURATION_MS),
      settleMs: duration('settle', opts.settle, 600_000),
    };
    const perFault = run.handshakesPerFault(plan);
    if (opts.dryRun) {
      process.stdout.write(
        `${[
          `drill of ${address} (module ${module}, server name ${serverName}): would send, one fault after another,`,
          ...faults.map((f) => `  ${f}: ${perFault} handshakes at ${rate}/s`),
          `then read ${opts.metricsUrl ?? opts.prometheusUrl ?? ''} until each shows (at most ${plan.settleMs / 1000}s)`,
        ].join('\n')}\n`,
      );
      return;
    }
    const { createLogger } = await import('../log/logger.js');
    const logger = createLogger(config.log.level, config.log.format);
    const observer =
      opts.metricsUrl !== undefined
        ? observe.metricsObserver(opts.metricsUrl)
        : observe.prometheusObserver(opts.prometheusUrl ?? '', opts.job);
    // the exporter to tell (its log explains the spike): given, or the origin of --metrics-url
    const exporterUrl =
      opts.exporterUrl ??
      (opts.metricsUrl === undefined ? undefined : new URL(opts.metricsUrl).origin);
    const { tellExporter } = await import('../drill/exporter-note.js');
    const report = await run.runDrill(
      {
        ...plan,
        ...(moduleConfig?.client_cert_file !== undefined &&
        moduleConfig.client_key_file !== undefined
          ? {
              valid: {
                cert: await readFile(moduleConfig.client_cert_file, 'utf8'),
                key: await readFile(moduleConfig.client_key_file, 'utf8'),
              },
            }
          : {}),
        ...(faults.includes('untrusted_client_cert')
          ? { untrusted: await creds.untrustedCredential() }
          : {}),
        ...(faults.includes('expired_client_cert')
          ? {
              expired: await creds.expiredCredential(opts),
            }
          : {}),
      },
      observer,
      logger,
      exporterUrl === undefined ? undefined : (note) => tellExporter(exporterUrl, note),
    );
    process.stdout.write(
      opts.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${drillTable(report)}\n`,
    );
    process.exitCode = report.ok ? 0 : 1;
  } catch (err) {
    for (const problem of problemsOf(err)) process.stderr.write(`drill: ${problem}\n`);
    process.exitCode = 2;
  }
}

/** `drill <target>` and its flags. */
export function drillCommand(env: Env): Command {
  return new Command('drill')
    .description(
      'inject real TLS failures against one endpoint the config allows and check the monitoring counted each; exit 1 when one went unseen',
    )
    .argument('<target>', 'a configured target name, or host:port a module allows')
    .option(
      '--module <name>',
      "the module whose allow-list admits the target (default: the target's)",
    )
    .option(
      '--server-name <name>',
      "SNI of the faults (default: the target's server_name, else the host)",
    )
    .option('--wrong-server-name <name>', 'SNI of the wrong_sni fault', 'drill-wrong-name.invalid')
    .option(
      '--faults <list>',
      'comma-separated: no_client_cert, untrusted_client_cert, expired_client_cert, wrong_sni, old_protocol, plaintext (default: all)',
    )
    .option('--rate <n>', 'handshakes per second per fault, at most 10', '1')
    .option('--duration <d>', 'how long each fault runs, at most 5m', '30s')
    .option(
      '--settle <d>',
      'how long to wait for the counts after a fault (Envoy flushes its log every 10 s by default)',
      '60s',
    )
    .option('--timeout <d>', 'deadline of one handshake', '5s')
    .option('--metrics-url <url>', "the exporter's /metrics that tails the endpoint's log")
    .option(
      '--prometheus-url <url>',
      'a Prometheus that scrapes that exporter (also reports the burn-rate alert)',
    )
    .option(
      '--exporter-url <url>',
      'the exporter whose log is told what the drill injects (default: the origin of --metrics-url)',
    )
    .option('--job <name>', "the exporter's job in Prometheus", 'tls-sli-exporter')
    .option(
      '--client-ca-cert <path>',
      'the client CA certificate: the expired fault mints under it',
    )
    .option('--client-ca-key <path>', 'its private key')
    .option('--expired-cert <path>', 'an expired client certificate to present instead')
    .option('--expired-key <path>', 'its private key')
    .addOption(
      new Option('--output <format>', 'report format').choices(['table', 'json']).default('table'),
    )
    .option('--dry-run', 'print what would be sent, send nothing')
    .action(async (target: string, opts: DrillFlags, cmd: Command) =>
      drill(target, opts, flagsOf(cmd), env),
    );
}
