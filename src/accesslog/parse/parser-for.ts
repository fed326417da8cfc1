// Builds the line parser one `access_logs` entry asks for: a preset, a text format string, or a
// JSON key map. The log kind of a custom format is inferred when not given: only a listener log
// carries DOWNSTREAM_TRANSPORT_FAILURE_REASON (Envoy leaves it empty in HTTP logs).
import type { AccessLogConfig } from '../../config/sections/access-logs.js';
import type { LogKind } from '../record.js';
import { jsonParser } from './json-lines.js';
import type { LineParser } from './line-parser.js';
import { compileEnvoyFormat, textParser } from './envoy-format.js';
import { PRESETS } from './presets.js';

export interface ParserChoice {
  readonly parser: LineParser;
  /** said once at start when the format cannot see everything */
  readonly warning: string | undefined;
}

function inferKind(operators: readonly string[]): LogKind {
  return operators.includes('DOWNSTREAM_TRANSPORT_FAILURE_REASON') ? 'listener' : 'http';
}

export function parserFor(log: AccessLogConfig): ParserChoice {
  if (log.format === 'text') {
    const format = log.envoy_format ?? '';
    const kind = log.kind ?? inferKind(compileEnvoyFormat(format).operators);
    return { parser: textParser(format, kind), warning: undefined };
  }
  if (log.format === 'json') {
    const fields = log.fields ?? {};
    const kind = log.kind ?? inferKind(Object.keys(fields));
    return { parser: jsonParser(fields, kind), warning: undefined };
  }
  const preset = PRESETS[log.format];
  if (preset.format === 'json')
    return { parser: jsonParser(preset.fields, preset.kind), warning: undefined };
  return {
    parser: textParser(preset.envoyFormat, preset.kind),
    warning: 'warning' in preset ? preset.warning : undefined,
  };
}
