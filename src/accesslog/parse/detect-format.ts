// Which preset (and envelope) a few lines fit, for `format: auto` and for the hint logged when
// the first lines of a log do not fit the format configured. Pure. Text presets are matched
// whole, so a line fits at most one of them; a JSON line fits the JSON preset all of whose keys
// it has (with a key only that product writes), else `json` when it has any conventional key.
import { createEnvelope } from './envelope.js';
import { ENVELOPES, type EnvelopeName, type PresetName } from '../../domain/log-formats.js';
import type { LineParser } from './line-parser.js';
import { presetParser } from './preset-parser.js';
import {
  CONVENTIONAL_JSON_KEYS,
  ENVOY_GATEWAY_JSON_FIELDS,
  HTTP_JSON_FIELDS,
  ISTIO_JSON_FIELDS,
  LISTENER_JSON_FIELDS,
} from './presets.js';

export interface Detection {
  readonly format: PresetName | 'json';
  readonly envelope: EnvelopeName;
  /** how many of the lines fit */
  readonly fit: number;
}

const TEXT_PRESETS: readonly PresetName[] = ['istio', 'istio_1_8', 'envoy_default'];

/** Keys a line must have for each JSON preset: its fields, and one key only that product writes. */
const JSON_SIGNATURES: ReadonlyArray<readonly [PresetName, readonly string[]]> = [
  ['envoy_gateway', [...Object.values(ENVOY_GATEWAY_JSON_FIELDS), 'x-envoy-origin-path']],
  ['istio_json', [...Object.values(ISTIO_JSON_FIELDS), 'user_agent']],
  ['envoy_listener_json', Object.values(LISTENER_JSON_FIELDS)],
  ['envoy_http_json', Object.values(HTTP_JSON_FIELDS)],
];

let textParsers: ReadonlyArray<readonly [PresetName, LineParser]> | undefined;

/** The keys of a line that is one JSON object, else undefined. */
export function jsonObjectKeys(line: string): ReadonlySet<string> | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return new Set(Object.keys(value));
  } catch {
    return undefined;
  }
}

/** The preset one line (already out of its envelope) fits, if any. */
export function formatOf(line: string): PresetName | 'json' | undefined {
  const keys = jsonObjectKeys(line);
  if (keys !== undefined) {
    for (const [name, required] of JSON_SIGNATURES) {
      if (required.every((k) => keys.has(k))) return name;
    }
    for (const key of keys) if (CONVENTIONAL_JSON_KEYS.has(key)) return 'json';
    return undefined;
  }
  textParsers ??= TEXT_PRESETS.map((name) => [name, presetParser(name)] as const);
  for (const [name, parser] of textParsers) if (parser.parse(line).ok) return name;
  return undefined;
}

/**
 * The envelope and format most of `lines` fit (raw lines as read from the file), or undefined
 * when no combination fits at least half of them.
 */
export function detectFormat(lines: readonly string[]): Detection | undefined {
  let best: Detection | undefined;
  for (const envelopeName of ENVELOPES) {
    const envelope = createEnvelope(envelopeName, 1 << 20);
    const counts = new Map<PresetName | 'json', number>();
    for (const raw of lines) {
      const unwrapped = envelope.unwrap(raw);
      if (unwrapped.kind !== 'line') continue;
      const format = formatOf(unwrapped.line);
      if (format !== undefined) counts.set(format, (counts.get(format) ?? 0) + 1);
    }
    for (const [format, fit] of counts) {
      if (best === undefined || fit > best.fit) best = { format, envelope: envelopeName, fit };
    }
  }
  return best !== undefined && best.fit * 2 >= lines.length ? best : undefined;
}
