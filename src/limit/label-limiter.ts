// Bounds a label whose values come from the wire (SNI above all). Pure and synchronous:
// lowercase; absent -> `none`; a value outside the allow-list, past `maxValues` distinct values,
// or holding bytes that were not valid UTF-8 (U+FFFD) or control characters -> `other`.
// At most maxValues + 2 distinct outputs, ever. Counts every fold but one kind: a name under the
// reserved top-level domain `.invalid` (RFC 2606: it never names a real host; the drill's wrong_sni
// sends one) is `other` without taking a slot and without counting as a fold, so a drill never
// looks like a limit to raise (TLSSLIExporterLabelOverflow).

import { nameGlob } from '../config/globs.js';

export const NONE = 'none';
export const OTHER = 'other';
const MAX_VALUE_LENGTH = 253; // a DNS name's limit; also bounds cluster names
const RESERVED_INVALID = /(^|\.)invalid\.?$/;

// eslint-disable-next-line no-control-regex -- control characters and U+FFFD make a value unusable
const UNUSABLE = /[\u0000-\u001f\u007f\ufffd"\\]/;

export class LabelLimiter {
  readonly #allow: readonly RegExp[];
  /** admitted values, lowercase, each mapped to its own copy; never more than maxValues */
  readonly #values = new Map<string, string>();
  #folded = 0;

  constructor(
    allow: readonly string[],
    private readonly maxValues: number,
  ) {
    this.#allow = allow.map(nameGlob);
  }

  /** How many values were folded into `other` so far. */
  get folded(): number {
    return this.#folded;
  }

  get distinct(): number {
    return this.#values.size;
  }

  /**
   * The label value for `raw`: itself (lowercased, once admitted), `none` when absent, or `other`
   * past the limits. A fold also adds one to `folds` when given (the caller's fold counter).
   */
  value(raw: string | undefined, folds?: { value: number }): string {
    if (raw === undefined) return NONE;
    const known = this.#values.get(raw);
    if (known !== undefined) return known;
    const lower = raw.toLowerCase();
    const knownLower = lower === raw ? undefined : this.#values.get(lower);
    if (knownLower !== undefined) return knownLower;
    if (RESERVED_INVALID.test(lower)) return OTHER;
    if (
      this.#values.size >= this.maxValues ||
      lower.length > MAX_VALUE_LENGTH ||
      lower === NONE ||
      lower === OTHER ||
      UNUSABLE.test(lower) ||
      (this.#allow.length > 0 && !this.#allow.some((r) => r.test(lower)))
    ) {
      this.#folded += 1;
      if (folds !== undefined) folds.value += 1;
      return OTHER;
    }
    // A value cut from a line may keep the whole read chunk alive; keep an independent copy.
    const copy = Buffer.from(lower, 'utf8').toString('utf8');
    this.#values.set(copy, copy);
    return copy;
  }
}
