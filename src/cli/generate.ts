// `generate [--check]`: the rules, rule tests, boards, examples and manifests from the catalogue
// and the generator options; --check fails when a committed file differs.
import { Command } from 'commander';
import { ExporterError, problemsOf } from '../errors.js';
import { DEFAULT_OPTIONS, type GeneratorOptions } from '../monitoring/options.js';
import { LANGS, type Lang } from '../monitoring/texts/lang.js';
import { CONFIG_FLAG, flagsOf } from './flags.js';

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
  readonly pqShareFloor?: string;
  readonly testFor?: string;
  readonly lang: string;
}

/** --lang: languages from LANGS, comma-separated. */
function langsOf(text: string): Lang[] {
  const langs = text.split(',').map((l) => l.trim());
  const unknown = langs.filter((l) => !(LANGS as readonly string[]).includes(l));
  if (unknown.length > 0 || langs.length === 0)
    throw new ExporterError(
      'FLAG_INVALID',
      `--lang: expected ${LANGS.join(', ')} or a comma-separated list of them, got ${JSON.stringify(text)}`,
    );
  return langs as Lang[];
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

/** --objective as given; else the config's slo.objective (--config.file); else the default. */
async function objectiveOf(
  configFile: string | undefined,
  objective: string,
  given: boolean,
): Promise<number> {
  if (given || configFile === undefined) return positiveNumber('objective', objective, 0.999999);
  const { loadConfigFile } = await import('../config/load.js');
  return (await loadConfigFile(configFile)).slo.objective;
}

async function generate(opts: GenerateFlags, cmd: Command): Promise<void> {
  try {
    const options: GeneratorOptions = {
      // the global --config.file: its slo.objective unless --objective is given
      objective: await objectiveOf(
        flagsOf(cmd)[CONFIG_FLAG],
        opts.objective,
        cmd.getOptionValueSource('objective') !== 'default',
      ),
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
      ...(opts.pqShareFloor === undefined
        ? {}
        : { pqShareFloor: positiveNumber('pq-share-floor', opts.pqShareFloor, 1) }),
      ...(opts.testFor === undefined ? {} : { testForOverride: opts.testFor }),
    };
    if (options.criticalDays >= options.warningDays) {
      throw new ExporterError('FLAG_INVALID', '--critical-days must be below --warning-days');
    }
    const [{ generatedFiles }, { driftedFiles, writeGenerated }] = await Promise.all([
      import('../monitoring/generate.js'),
      import('../monitoring/write-generated.js'),
    ]);
    const files = generatedFiles(options, langsOf(opts.lang));
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

/** `generate` and its options. */
export function generateCommand(): Command {
  return new Command('generate')
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
    .option(
      '--pq-share-floor <fraction>',
      "add TLSPostQuantumShareFell: a server name's share of post-quantum key exchanges falls below this after it was at or above it in the last day (off by default)",
    )
    .option('--test-for <duration>', 'for end-to-end tests only: every alert `for:` becomes this')
    .option(
      '--lang <list>',
      `languages of the alert texts and boards (${LANGS.join(', ')}), comma-separated; English files keep their names, others carry the language (tls-sli.rules.zh-CN.yml)`,
      LANGS.join(','),
    )
    .action(async (opts: GenerateFlags, cmd: Command) => generate(opts, cmd));
}
