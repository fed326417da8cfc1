// Command line: `tls-sli-exporter` serves; `check-config`, `probe`, `hash-password` and
// `generate` each live in their own file here. Flags carry the names Prometheus exporters use;
// each can also come from TLS_SLI_EXPORTER_<FLAG> in the environment. What only one command
// needs (the demo, the generator, the one-shot probe, bcrypt) is imported when that command runs:
// start-up time and idle memory are what a sidecar pays (issue 18).
import { Command, Option } from 'commander';
import { OVERRIDES, envName, type Env } from '../config/overrides.js';
import { LOG_FORMATS, LOG_LEVELS } from '../config/sections/log.js';
import { buildInfo } from '../version.js';
import { checkConfigCommand } from './check-config.js';
import { drillCommand } from './drill.js';
import { CONFIG_FLAG, flagsOf } from './flags.js';
import { generateCommand } from './generate.js';
import { hashPasswordCommand } from './hash-password.js';
import { probeCommand } from './probe.js';
import { serve } from './serve.js';

const FLAG_HELP: Record<string, string> = {
  'web.listen-address': 'address to listen on for metrics and the web interface (default ":10087")',
  'web.telemetry-path': 'path under which to expose metrics (default "/metrics")',
  'web.config.file':
    'exporter-toolkit web config file (TLS, client certificates, basic auth, headers)',
  'web.enable-drill-notes':
    'take drill notes (POST /-/drill) into the log; off by default (docs/security.md)',
  'log.level': `only log messages with the given severity or above: ${LOG_LEVELS.join(', ')} (default "info")`,
  'log.format': `output format of log messages: ${LOG_FORMATS.join(', ')} (default "logfmt")`,
};

export function buildProgram(env: Env): Command {
  const program = new Command('tls-sli-exporter')
    .description('Prometheus exporter for TLS and mutual-TLS handshake SLIs and certificate expiry')
    .version(buildInfo().version, '--version')
    .option('--demo', 'run the embedded demo (the default when no config file is given)')
    .addOption(
      new Option(`--${CONFIG_FLAG} <path>`, `YAML config file (env ${envName(CONFIG_FLAG)})`),
    );
  for (const { flag, boolean } of OVERRIDES) {
    program.addOption(
      new Option(
        boolean ? `--${flag}` : `--${flag} <value>`,
        `${FLAG_HELP[flag] ?? ''} (env ${envName(flag)}${boolean ? '=true' : ''})`,
      ),
    );
  }
  program.action(async (opts: { demo?: boolean }, cmd: Command) =>
    serve(flagsOf(cmd), env, opts.demo === true),
  );
  program
    .addCommand(checkConfigCommand(env))
    .addCommand(probeCommand(env))
    .addCommand(hashPasswordCommand())
    .addCommand(generateCommand())
    .addCommand(drillCommand(env));
  return program;
}

export async function runCli(argv: readonly string[], env: Env): Promise<void> {
  await buildProgram(env).parseAsync(argv);
}
