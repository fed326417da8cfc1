// Builds the line parser one `access_logs` entry asks for: a preset, a text format string, a JSON
// key map (flat keys or dotted paths), the conventional JSON keys (`json` without `fields`), or
// `auto`. Without a `kind`, a format that logs %PROTOCOL% is read per line (a request has a
// protocol, a connection record or TCP session has none); one without it is a listener log when it
// logs %DOWNSTREAM_TRANSPORT_FAILURE_REASON% (Envoy leaves that empty in HTTP logs), else an HTTP log.
import type { AccessLogConfig } from '../../config/sections/access-logs.js';
import type { KindSetting } from '../record.js';
import { AutoFormatParser } from './auto-format.js';
import { compileEnvoyFormat, textParser } from './envoy-format.js';
import { fieldTimingUnits, JsonLineParser, usedKeys } from './json-lines.js';
import { JsonPathParser } from './json-paths.js';
import type { LineParser } from './line-parser.js';
import { conventionalJsonParser, presetParser } from './preset-parser.js';
import { PRESETS } from './presets.js';
import { type PresetName } from '../../domain/log-formats.js';

export interface ParserChoice {
  readonly parser: LineParser;
  /** said once at start when the format cannot see everything */
  readonly warning: string | undefined;
}

/** Told what `format: auto` chose (undefined: nothing fits the first lines). */
export type FormatChoiceListener = (format: PresetName | 'json' | undefined) => void;

function inferKind(operators: readonly string[]): KindSetting {
  if (operators.includes('PROTOCOL')) return 'auto';
  return operators.includes('DOWNSTREAM_TRANSPORT_FAILURE_REASON') ? 'listener' : 'http';
}

function jsonFieldsParser(fields: Readonly<Record<string, string>>, kind: KindSetting): LineParser {
  const keys = usedKeys(fields);
  const units = fieldTimingUnits(fields);
  if (![...keys.keys()].some((key) => key.includes('.')))
    return new JsonLineParser(keys, kind, units);
  return new JsonPathParser([...keys], kind, units);
}

export function parserFor(
  log: AccessLogConfig,
  onChoice: FormatChoiceListener = () => undefined,
): ParserChoice {
  if (log.format === 'text') {
    const format = log.envoy_format ?? '';
    const kind = log.kind ?? inferKind(compileEnvoyFormat(format).operators);
    return { parser: textParser(format, kind), warning: undefined };
  }
  if (log.format === 'json') {
    if (log.fields === undefined) {
      return { parser: conventionalJsonParser(log.kind ?? 'auto'), warning: undefined };
    }
    const kind = log.kind ?? inferKind(Object.keys(log.fields));
    return { parser: jsonFieldsParser(log.fields, kind), warning: undefined };
  }
  if (log.format === 'auto') return { parser: new AutoFormatParser(onChoice), warning: undefined };
  const preset = PRESETS[log.format];
  return {
    parser: presetParser(log.format),
    warning: 'warning' in preset ? preset.warning : undefined,
  };
}
