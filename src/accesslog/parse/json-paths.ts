// JSON lines whose `fields` name nested values by a dotted path (`upstream.cluster`): each line
// is read whole with JSON.parse, then each path is walked. A key that itself holds a dot is
// found too: at every level the longest key that matches the rest of the path wins. Slower than
// the flat reader (json-lines.ts), so parser-for.ts picks this one only when a path has a dot.
// Values: strings and numbers; null, `-`, `""` and a missing path are absent; anything else
// (an object, an array, true/false) at a wanted path makes the line malformed, as with flat keys.
import { MILLISECONDS, type TimingUnits } from '../handshake-timing.js';
import { isAbsent, type AccessLogRecord, type KindSetting, type UsedField } from '../record.js';
import { MALFORMED, type LineParser, type ParseResult } from './line-parser.js';

type Walk = { readonly found: false } | { readonly found: true; readonly value: unknown };
const MISSING: Walk = { found: false };

function walk(node: unknown, path: string): Walk {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return MISSING;
  const object = node as Record<string, unknown>;
  if (Object.hasOwn(object, path)) return { found: true, value: object[path] };
  // the longest key that is a prefix of the path up to a dot
  for (let dot = path.lastIndexOf('.'); dot > 0; dot = path.lastIndexOf('.', dot - 1)) {
    const key = path.slice(0, dot);
    if (Object.hasOwn(object, key)) return walk(object[key], path.slice(dot + 1));
  }
  return MISSING;
}

export class JsonPathParser implements LineParser {
  constructor(
    private readonly paths: ReadonlyArray<readonly [string, UsedField]>,
    readonly kind: KindSetting,
    readonly timingUnits: TimingUnits = MILLISECONDS,
  ) {}

  parse(line: string): ParseResult {
    let root: unknown;
    try {
      root = JSON.parse(line);
    } catch {
      return MALFORMED('invalid JSON');
    }
    if (root === null || typeof root !== 'object' || Array.isArray(root)) {
      return MALFORMED('not a JSON object');
    }
    const record: AccessLogRecord = {};
    for (const [path, field] of this.paths) {
      const at = walk(root, path);
      if (!at.found || at.value === null) continue;
      const { value } = at;
      if (typeof value !== 'string' && typeof value !== 'number') {
        return MALFORMED(`${field}: expected a string or a number at "${path}"`);
      }
      const text = String(value);
      if (!isAbsent(text)) record[field] = text;
    }
    return { ok: true, record };
  }
}
