// The words and grammar of Envoy's access-log formats that the settings and the parsers share:
// the preset names (each one's fields live with the parsers, in accesslog/parse/presets.ts), the
// container-runtime envelopes a line may arrive in, and the format-string grammar
// (`%NAME%`, `%NAME(arg)%`, `%NAME(arg):len%`; everything else literal). Pure; imports only
// errors.
import { ExporterError } from '../errors.js';

export const PRESET_NAMES = [
  'envoy_listener_json',
  'envoy_http_json',
  'envoy_default',
  'istio',
  'istio_json',
  'istio_1_8',
  'envoy_gateway',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const ENVELOPES = ['none', 'cri', 'docker_json', 'kubectl_timestamps'] as const;
export type EnvelopeName = (typeof ENVELOPES)[number];

export type FormatToken =
  { readonly literal: string } | { readonly operator: string; readonly arg: string | undefined };

const OPERATOR = /%([A-Z][A-Z0-9_]*)(?:\(([^)]*)\))?(?::\d+)?%/y;

/** Envoy needs the format to end in a newline; lines reach us without it. */
export function stripTrailingNewline(format: string): string {
  return format.replace(/(\r?\n|\\n)$/, '');
}

export function tokenize(format: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  let literal = '';
  let i = 0;
  while (i < format.length) {
    if (format[i] === '%') {
      OPERATOR.lastIndex = i;
      const m = OPERATOR.exec(format);
      if (m?.[1]) {
        if (literal !== '') tokens.push({ literal });
        literal = '';
        tokens.push({ operator: m[1], arg: m[2] });
        i = OPERATOR.lastIndex;
        continue;
      }
    }
    literal += format[i];
    i += 1;
  }
  if (literal !== '') tokens.push({ literal });
  return tokens;
}

/** The tokens of a format string as the settings accept it: at least one operator. */
export function formatTokens(format: string): FormatToken[] {
  const tokens = tokenize(stripTrailingNewline(format));
  if (!tokens.some((t) => 'operator' in t))
    throw new ExporterError('CONFIG_INVALID', 'the format string has no %OPERATOR%');
  return tokens;
}
