// JSON-lines parser with a key map (`fields`: operator name -> JSON key). It reads only the keys it
// needs and skips the rest by structure, several times faster than JSON.parse of every line, while
// still checking that the whole line is exactly one JSON object: a truncated line, two glued
// objects or broken JSON are malformed. Strings with escapes are decoded by JSON.parse (exact);
// a line with no backslash at all (nearly every line) takes a path that never looks for escapes.
// Absent values: `null`, `"-"`, `""`, `-` or a missing key. Numbers become their text. Duplicate
// keys: the last wins, as with JSON.parse.
import {
  fieldOfOperatorText,
  MILLISECONDS,
  timingOperatorText,
  timingUnitsOf,
  type TimingOperator,
  type TimingUnits,
} from '../handshake-timing.js';
import { isAbsent, type AccessLogRecord, type KindSetting, type UsedField } from '../record.js';
import { JsonBlockScanner } from './json-block-scanner.js';
import { MALFORMED, type BlockScanner, type LineParser, type ParseResult } from './line-parser.js';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Thrown inside the scanner only, caught in parse(): never escapes this module. */
class Malformed extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

function skipWs(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (c === 32 || c === 9 || c === 13 || c === 10) c = s.charCodeAt(++i);
  return i;
}

/** `i` at the opening quote; the index after the closing quote. */
function stringEnd(s: string, i: number, escapes: boolean): number {
  let j = s.indexOf('"', i + 1);
  if (!escapes) {
    if (j < 0) throw new Malformed('unterminated string');
    return j + 1;
  }
  for (;;) {
    if (j < 0) throw new Malformed('unterminated string');
    let backslashes = 0;
    for (let k = j - 1; s.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return j + 1;
    j = s.indexOf('"', j + 1);
  }
}

function decodeString(s: string, start: number, end: number, escapes: boolean): string {
  const raw = s.slice(start + 1, end - 1);
  if (!escapes || !raw.includes('\\')) return raw;
  try {
    return JSON.parse(s.slice(start, end)) as string;
  } catch {
    throw new Malformed('invalid escape in string');
  }
}

/** `i` at `{` or `[`; the index after the matching close, skipping strings. */
function skipNested(s: string, i: number, escapes: boolean): number {
  const stack: number[] = [];
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(s, i, escapes);
      continue;
    }
    if (c === 123 || c === 91) stack.push(c === 123 ? 125 : 93);
    else if (c === 125 || c === 93) {
      if (stack.pop() !== c) throw new Malformed('unbalanced brackets');
      if (stack.length === 0) return i + 1;
    }
    i++;
  }
  throw new Malformed('unterminated object or array');
}

export class JsonLineParser implements LineParser {
  /** wanted keys by length, then compared in place: skipped keys never become strings */
  readonly #byLength: Array<Array<[string, UsedField]> | undefined> = [];
  readonly #byName: ReadonlyMap<string, UsedField>;
  #end = 0;
  #text: string | undefined;
  #typeOk = true;

  constructor(
    keys: ReadonlyMap<string, UsedField>,
    readonly kind: KindSetting,
    readonly timingUnits: TimingUnits = MILLISECONDS,
  ) {
    this.#byName = keys;
    for (const [key, field] of keys) (this.#byLength[key.length] ??= []).push([key, field]);
  }

  /** The WebAssembly fast path for these keys (a new instance per call: one per pipeline). */
  blockScanner(): BlockScanner | undefined {
    return JsonBlockScanner.for(this.#byName);
  }

  parse(line: string): ParseResult {
    try {
      return this.#parse(line, line.indexOf('\\') >= 0);
    } catch (err) {
      if (err instanceof Malformed) return MALFORMED(err.detail);
      throw err;
    }
  }

  #match(line: string, start: number, end: number, escapes: boolean): UsedField | undefined {
    const candidates = this.#byLength[end - start - 2];
    if (candidates !== undefined) {
      const first = line.charCodeAt(start + 1);
      for (let k = 0; k < candidates.length; k++) {
        const [key, field] = candidates[k] as [string, UsedField];
        if (key.charCodeAt(0) === first && line.startsWith(key, start + 1)) return field;
      }
    }
    return escapes ? this.#byName.get(decodeString(line, start, end, true)) : undefined;
  }

  /** Reads the value at `i` into #end / #text / #typeOk (no object per value). */
  #value(s: string, i: number, wanted: boolean, escapes: boolean): void {
    const c = s.charCodeAt(i);
    this.#typeOk = true;
    this.#text = undefined;
    if (c === 34) {
      this.#end = stringEnd(s, i, escapes);
      if (wanted) this.#text = decodeString(s, i, this.#end, escapes);
    } else if (c === 123 || c === 91) {
      this.#end = skipNested(s, i, escapes);
      this.#typeOk = false;
    } else if (c === 110 && s.startsWith('null', i)) this.#end = i + 4;
    else if (c === 116 && s.startsWith('true', i)) {
      this.#end = i + 4;
      this.#typeOk = false;
    } else if (c === 102 && s.startsWith('false', i)) {
      this.#end = i + 5;
      this.#typeOk = false;
    } else if (c === 45 && !(s.charCodeAt(i + 1) >= 48 && s.charCodeAt(i + 1) <= 57)) {
      // a bare `-` is not JSON, but hand-written formats print it for "absent"
      this.#end = i + 1;
    } else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(s);
      if (!m) throw new Malformed(`unexpected character at ${i}`);
      this.#end = NUMBER.lastIndex;
      if (wanted) this.#text = m[0];
    }
  }

  #parse(line: string, escapes: boolean): ParseResult {
    let i = skipWs(line, 0);
    if (line.charCodeAt(i) !== 123) return MALFORMED('not a JSON object');
    i = skipWs(line, i + 1);
    const record: AccessLogRecord = {};
    if (line.charCodeAt(i) === 125) i += 1;
    else {
      for (;;) {
        if (line.charCodeAt(i) !== 34) return MALFORMED(`expected a key at ${i}`);
        const keyEnd = stringEnd(line, i, escapes);
        const field = this.#match(line, i, keyEnd, escapes);
        // Envoy writes `"key":value,` with no spaces: check that first, skip spaces otherwise
        i = line.charCodeAt(keyEnd) === 58 ? keyEnd : skipWs(line, keyEnd);
        if (line.charCodeAt(i) !== 58) return MALFORMED(`expected ":" at ${i}`);
        i += 1;
        if (line.charCodeAt(i) <= 32) i = skipWs(line, i);
        this.#value(line, i, field !== undefined, escapes);
        if (field !== undefined) {
          if (!this.#typeOk) return MALFORMED(`${field}: expected a string or a number`);
          const text = this.#text;
          if (text === undefined || isAbsent(text)) {
            if (record[field] !== undefined) delete record[field];
          } else record[field] = text;
        }
        i = this.#end;
        let c = line.charCodeAt(i);
        if (c <= 32) {
          i = skipWs(line, i);
          c = line.charCodeAt(i);
        }
        if (c === 44) {
          i += 1;
          if (line.charCodeAt(i) <= 32) i = skipWs(line, i);
          continue;
        }
        if (c === 125) {
          i += 1;
          break;
        }
        return MALFORMED(`expected "," or "}" at ${i}`);
      }
    }
    if (skipWs(line, i) !== line.length) return MALFORMED('text after the JSON object');
    return { ok: true, record };
  }
}

/** `fields` maps operator names to JSON keys; operators the classifier does not use are ignored. */
export function jsonParser(
  fields: Readonly<Record<string, string>>,
  kind: KindSetting,
): LineParser {
  return new JsonLineParser(usedKeys(fields), kind, fieldTimingUnits(fields));
}

/** JSON key -> record field, for the operators the classifier and the timings read. */
export function usedKeys(fields: Readonly<Record<string, string>>): Map<string, UsedField> {
  const keys = new Map<string, UsedField>();
  for (const [operator, key] of Object.entries(fields)) {
    const field = fieldOfOperatorText(operator);
    if (field !== undefined) keys.set(key, field);
  }
  return keys;
}

/** The units of the handshake times a `fields` map names. */
export function fieldTimingUnits(fields: Readonly<Record<string, string>>): TimingUnits {
  const timings: TimingOperator[] = [];
  for (const operator of Object.keys(fields)) {
    const timing = timingOperatorText(operator);
    if (timing !== undefined) timings.push(timing);
  }
  return timingUnitsOf(timings);
}
