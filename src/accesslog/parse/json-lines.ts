// JSON-lines parser with a key map (`fields`: operator name -> JSON key). It reads only the keys it
// needs and skips the rest by structure, which is several times faster than JSON.parse of every
// line, while still checking the whole line is exactly one JSON object: a truncated line, two glued
// objects or invalid JSON are malformed. Strings with escapes are decoded by JSON.parse (exact).
// Absent values: `null`, `"-"`, `""`, `-` or a missing key. Numbers become their text.
import {
  isAbsent,
  isUsedField,
  type AccessLogRecord,
  type LogKind,
  type UsedField,
} from '../record.js';
import { MALFORMED, type LineParser, type ParseResult } from './line-parser.js';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Thrown inside the scanner only, caught in parseJsonLine: never escapes this module. */
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

/** `i` at the opening quote; returns the index after the closing quote. */
function stringEnd(s: string, i: number): number {
  let j = s.indexOf('"', i + 1);
  for (;;) {
    if (j < 0) throw new Malformed('unterminated string');
    let backslashes = 0;
    for (let k = j - 1; s.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return j + 1;
    j = s.indexOf('"', j + 1);
  }
}

function decodeString(s: string, start: number, end: number): string {
  const raw = s.slice(start + 1, end - 1);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(s.slice(start, end)) as string;
  } catch {
    throw new Malformed('invalid escape in string');
  }
}

/** `i` at `{` or `[`; returns the index after the matching close, skipping strings. */
function skipNested(s: string, i: number): number {
  const stack: number[] = [];
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(s, i);
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

type Value = { end: number; text: string | undefined; typeOk: boolean };

function readValue(s: string, i: number, wanted: boolean): Value {
  const c = s.charCodeAt(i);
  if (c === 34) {
    const end = stringEnd(s, i);
    return { end, text: wanted ? decodeString(s, i, end) : undefined, typeOk: true };
  }
  if (c === 123 || c === 91) return { end: skipNested(s, i), text: undefined, typeOk: false };
  if (s.startsWith('null', i)) return { end: i + 4, text: undefined, typeOk: true };
  // a bare `-` is not JSON, but hand-written formats print it for "absent"
  if (c === 45 && !(s.charCodeAt(i + 1) >= 48 && s.charCodeAt(i + 1) <= 57)) {
    return { end: i + 1, text: undefined, typeOk: true };
  }
  if (s.startsWith('true', i)) return { end: i + 4, text: 'true', typeOk: false };
  if (s.startsWith('false', i)) return { end: i + 5, text: 'false', typeOk: false };
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(s);
  if (m) return { end: NUMBER.lastIndex, text: m[0], typeOk: true };
  throw new Malformed(`unexpected character at ${i}`);
}

export function parseJsonLine(line: string, keys: ReadonlyMap<string, UsedField>): ParseResult {
  try {
    let i = skipWs(line, 0);
    if (line.charCodeAt(i) !== 123) return MALFORMED('not a JSON object');
    i = skipWs(line, i + 1);
    const record: AccessLogRecord = {};
    if (line.charCodeAt(i) === 125) i += 1;
    else {
      for (;;) {
        if (line.charCodeAt(i) !== 34) return MALFORMED(`expected a key at ${i}`);
        const keyEnd = stringEnd(line, i);
        const field = keys.get(decodeString(line, i, keyEnd));
        i = skipWs(line, keyEnd);
        if (line.charCodeAt(i) !== 58) return MALFORMED(`expected ":" at ${i}`);
        i = skipWs(line, i + 1);
        const value = readValue(line, i, field !== undefined);
        if (field !== undefined) {
          if (!value.typeOk) return MALFORMED(`${field}: expected a string or a number`);
          if (value.text === undefined || isAbsent(value.text)) {
            if (record[field] !== undefined) delete record[field];
          } else record[field] = value.text;
        }
        i = skipWs(line, value.end);
        const c = line.charCodeAt(i);
        if (c === 44) {
          i = skipWs(line, i + 1);
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
  } catch (err) {
    if (err instanceof Malformed) return MALFORMED(err.detail);
    throw err;
  }
}

/** `fields` maps operator names to JSON keys; operators the classifier does not use are ignored. */
export function jsonParser(fields: Readonly<Record<string, string>>, kind: LogKind): LineParser {
  const keys = new Map<string, UsedField>();
  for (const [operator, key] of Object.entries(fields)) {
    if (isUsedField(operator)) keys.set(key, operator);
  }
  return { kind, parse: (line) => parseJsonLine(line, keys) };
}
