// `format: auto`: the first line that fits a preset picks the parser for the rest of the log.
// Nothing is buffered (a line is counted, or not, when it is read, as with any other format):
// lines before the choice that fit nothing are malformed. The choice is said once through
// `onChoice`; after UNDECIDED_LIMIT lines without one, `onChoice(undefined)` says none fits.
import { MILLISECONDS, type TimingUnits } from '../handshake-timing.js';
import type { KindSetting } from '../record.js';
import { formatOf } from './detect-format.js';
import { MALFORMED, type LineParser, type ParseResult } from './line-parser.js';
import { conventionalJsonParser, presetParser } from './preset-parser.js';
import type { PresetName } from '../../domain/log-formats.js';

export const UNDECIDED_LIMIT = 100;

export class AutoFormatParser implements LineParser {
  #chosen: LineParser | undefined;
  #undecided = 0;

  constructor(private readonly onChoice: (format: PresetName | 'json' | undefined) => void) {}

  /** Until a format is chosen, every line is read per line as it comes. */
  get kind(): KindSetting {
    return this.#chosen?.kind ?? 'auto';
  }

  get timingUnits(): TimingUnits {
    return this.#chosen?.timingUnits ?? MILLISECONDS;
  }

  parse(line: string): ParseResult {
    if (this.#chosen !== undefined) return this.#chosen.parse(line);
    const format = formatOf(line);
    if (format === undefined) {
      this.#undecided += 1;
      if (this.#undecided === UNDECIDED_LIMIT) this.onChoice(undefined);
      return MALFORMED('fits no preset (format: auto has not chosen one yet)');
    }
    this.#chosen = format === 'json' ? conventionalJsonParser() : presetParser(format);
    this.onChoice(format);
    return this.#chosen.parse(line);
  }
}
