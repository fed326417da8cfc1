// The parser of a named preset, and of `format: json` without `fields` (the conventional keys).
import type { KindSetting } from '../record.js';
import { textParser } from './envoy-format.js';
import { JsonLineParser, jsonParser } from './json-lines.js';
import type { LineParser } from './line-parser.js';
import { CONVENTIONAL_JSON_KEYS, CONVENTIONAL_TIMING_UNITS, PRESETS } from './presets.js';
import { type PresetName } from '../../domain/log-formats.js';

export function presetParser(name: PresetName): LineParser {
  const preset = PRESETS[name];
  return preset.format === 'json'
    ? jsonParser(preset.fields, preset.kind)
    : textParser(preset.envoyFormat, preset.kind);
}

/** `format: json` without `fields`: every conventional key, lines decided per line by default. */
export function conventionalJsonParser(kind: KindSetting = 'auto'): LineParser {
  return new JsonLineParser(CONVENTIONAL_JSON_KEYS, kind, CONVENTIONAL_TIMING_UNITS);
}
