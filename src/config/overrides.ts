// Precedence for the settings that have flags: command-line flag, then the TLS_SLI_EXPORTER_*
// environment variable, then the YAML file, then the schema default. Pure: flags and environment
// come in as plain records, and a bad value names the flag or variable it came from.
import * as z from 'zod';
import { ExporterError } from '../errors.js';
import { issueText } from './issue-text.js';
import type { Config } from './schema.js';
import { logFormatSchema, logLevelSchema } from './sections/log.js';
import { listenAddressSchema, telemetryPathSchema } from './sections/web.js';

interface Override {
  /** flag name without the leading dashes, as Prometheus exporters spell it */
  readonly flag: string;
  /** a switch (`--web.enable-drill-notes`, no value; "true" or "false" in the environment) */
  readonly boolean?: boolean;
  readonly schema: z.ZodType<string>;
  readonly apply: (config: Config, value: string) => Config;
}

export const OVERRIDES: readonly Override[] = [
  {
    flag: 'web.listen-address',
    schema: listenAddressSchema,
    apply: (c, v) => ({ ...c, web: { ...c.web, listen_address: v } }),
  },
  {
    flag: 'web.telemetry-path',
    schema: telemetryPathSchema,
    apply: (c, v) => ({ ...c, web: { ...c.web, telemetry_path: v } }),
  },
  {
    flag: 'web.config.file',
    schema: z.string().min(1, { error: 'expected a file path' }),
    apply: (c, v) => ({ ...c, web: { ...c.web, config_file: v } }),
  },
  {
    flag: 'web.enable-drill-notes',
    boolean: true,
    schema: z.enum(['true', 'false'], { error: 'expected true or false' }),
    apply: (c, v) => ({ ...c, web: { ...c.web, drill_notes: v === 'true' } }),
  },
  {
    flag: 'log.level',
    schema: logLevelSchema,
    apply: (c, v) => ({ ...c, log: { ...c.log, level: v as Config['log']['level'] } }),
  },
  {
    flag: 'log.format',
    schema: logFormatSchema,
    apply: (c, v) => ({ ...c, log: { ...c.log, format: v as Config['log']['format'] } }),
  },
];

export const ENV_PREFIX = 'TLS_SLI_EXPORTER_';

export function envName(flag: string): string {
  return ENV_PREFIX + flag.toUpperCase().replace(/[.-]/g, '_');
}

export type Flags = Readonly<Record<string, string | undefined>>;
export type Env = Readonly<Record<string, string | undefined>>;

/** The value a flag takes from the command line or, failing that, the environment. */
export function flagOrEnv(
  flag: string,
  flags: Flags,
  env: Env,
): { value: string; from: string } | undefined {
  const fromFlag = flags[flag];
  if (fromFlag !== undefined) return { value: fromFlag, from: `--${flag}` };
  const name = envName(flag);
  const fromEnv = env[name];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, from: name };
  return undefined;
}

export function applyOverrides(config: Config, flags: Flags, env: Env): Config {
  const problems: string[] = [];
  let result = config;
  for (const override of OVERRIDES) {
    const given = flagOrEnv(override.flag, flags, env);
    if (!given) continue;
    const parsed = override.schema.safeParse(given.value, { reportInput: true, error: issueText });
    if (parsed.success) result = override.apply(result, parsed.data);
    else problems.push(`${given.from}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0) throw new ExporterError('FLAG_INVALID', problems.join('\n'));
  return result;
}
