// Watches the first lines of one log and says once, in the exporter's own log, what a user needs to
// know about the format before trusting the counters:
// - `format: json` without `fields`: which conventional keys the first line has (and so which
//   operators they carry), and which TLS operators none of its keys carries;
// - when most of the first WATCHED_LINES lines do not fit the format configured: which preset and
//   envelope they do fit (detect-format.ts), or that none does.
// Only the first lines pass through here; the pipeline drops the watch when it is done.
import type { Logger } from '../log/logger.js';
import { detectFormat, jsonObjectKeys } from './parse/detect-format.js';
import { CONVENTIONAL_JSON_KEYS } from './parse/presets.js';
import type { UsedField } from './record.js';

export const WATCHED_LINES = 20;

/** The operators without which a JSON log shows less than it could (docs/envoy.md §4). */
const TLS_OPERATORS: readonly UsedField[] = [
  'REQUESTED_SERVER_NAME',
  'DOWNSTREAM_TLS_VERSION',
  'DOWNSTREAM_TLS_CIPHER',
  'DOWNSTREAM_TRANSPORT_FAILURE_REASON',
  'CONNECTION_ID',
  'PROTOCOL',
  'UPSTREAM_CLUSTER',
  'UPSTREAM_TLS_VERSION',
  'UPSTREAM_TRANSPORT_FAILURE_REASON',
  'UPSTREAM_CONNECTION_ID',
];

export interface FormatWatchOptions {
  readonly log: string;
  readonly format: string;
  readonly logger: Logger;
  /** `format: json` without `fields`: describe the keys of the first line read */
  readonly describeKeys: boolean;
}

/** What the conventional keys of a JSON line map to, and the TLS operators it lacks. */
export function describeJsonKeys(
  line: string,
):
  | { readonly mapped: Readonly<Record<string, UsedField>>; readonly missing: UsedField[] }
  | undefined {
  const keys = jsonObjectKeys(line);
  if (keys === undefined) return undefined;
  const mapped: Record<string, UsedField> = {};
  const carried = new Set<UsedField>();
  for (const key of keys) {
    const field = CONVENTIONAL_JSON_KEYS.get(key);
    if (field === undefined) continue;
    mapped[key] = field;
    carried.add(field);
  }
  if (carried.has('UPSTREAM_CLUSTER_RAW')) carried.add('UPSTREAM_CLUSTER');
  return { mapped, missing: TLS_OPERATORS.filter((f) => !carried.has(f)) };
}

export class FormatWatch {
  #seen = 0;
  readonly #unfit: string[] = [];
  #describe: boolean;
  /** the first lines are judged (a hint said, or nothing to say) */
  #judged = false;

  constructor(private readonly options: FormatWatchOptions) {
    this.#describe = options.describeKeys;
  }

  /** True once everything there was to say is said: the caller may drop the watch. */
  get done(): boolean {
    return this.#judged && !this.#describe;
  }

  /** A line read as text; `fits`: the format read it. */
  line(text: string, fits: boolean): void {
    if (fits && this.#describe) {
      this.#describe = false;
      this.#sayKeys(text);
    }
    this.#count(fits ? undefined : text);
  }

  /** A line the fast path read (it fits, and it is not the JSON-without-fields format). */
  read(): void {
    this.#count(undefined);
  }

  #count(unfit: string | undefined): void {
    if (this.#judged) return;
    this.#seen += 1;
    if (unfit !== undefined) this.#unfit.push(unfit);
    if (this.#unfit.length * 2 > WATCHED_LINES) this.#sayUnfit();
    this.#judged ||= this.#seen >= WATCHED_LINES;
  }

  #sayKeys(line: string): void {
    const keys = describeJsonKeys(line);
    if (keys === undefined) return;
    const { log, logger } = this.options;
    logger.info(
      { log, mapped: keys.mapped, missing: keys.missing },
      keys.missing.includes('PROTOCOL')
        ? 'format json: reading the conventional keys; no "protocol" key, so every line is read as a connection record (set kind: http for a request log)'
        : 'format json: reading the conventional keys',
    );
  }

  #sayUnfit(): void {
    const { log, format, logger } = this.options;
    const found = detectFormat(this.#unfit);
    const base = { log, format, unfit: this.#unfit.length, of: this.#seen };
    if (found === undefined) {
      logger.warn(
        { ...base, sample: this.#unfit[0]?.slice(0, 300) },
        `most of the first lines do not fit format "${format}", nor any preset: check the format`,
      );
    } else {
      const envelope = found.envelope === 'none' ? '' : ` with envelope: ${found.envelope}`;
      logger.warn(
        { ...base, fits: found.format, envelope: found.envelope },
        `most of the first lines do not fit format "${format}"; they fit format: ${found.format}${envelope}`,
      );
    }
    this.#judged = true;
  }
}
