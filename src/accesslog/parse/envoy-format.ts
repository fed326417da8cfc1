// Compiles an Envoy format string (`[%START_TIME%] "%REQ(:METHOD)% …" %RESPONSE_FLAGS% …`) into a
// parser for the lines it produces. Operators are `%NAME%`, `%NAME(arg)%` or `%NAME(arg):len%`;
// everything else is literal. The whole line must match: a truncated line, two glued records or
// another format are malformed. Pure.
import { formatTokens } from '../../domain/log-formats.js';
import {
  fieldOfOperator,
  timingOperator,
  timingUnitsOf,
  type TimingOperator,
  type TimingUnits,
} from '../handshake-timing.js';
import { isAbsent, type AccessLogRecord, type KindSetting, type UsedField } from '../record.js';
import { MALFORMED, type LineParser, type ParseResult } from './line-parser.js';

/** Operators whose values may hold spaces or any character (headers, DNs, raw details). */
function isFreeText(name: string, arg: string | undefined): boolean {
  if (/^(REQ|RESP|TRAILER|REQUEST_HEADER|RESPONSE_HEADER|RESPONSE_TRAILER)$/.test(name)) {
    // pseudo-headers and paths (`:METHOD`, `X-ENVOY-ORIGINAL-PATH?:PATH`) never hold a space
    return !(arg?.startsWith(':') || /PATH/i.test(arg ?? ''));
  }
  if (
    /(SUBJECT|ISSUER|_SAN|METADATA|FILTER_STATE|CONNECTION_TERMINATION_DETAILS|CLOSE_REASON|_CERT)$/.test(
      name,
    )
  )
    return true;
  if (name === 'RESPONSE_CODE_DETAILS' && arg === 'ALLOW_WHITESPACES') return true;
  // a date with a custom strftime pattern may contain spaces
  if (/(TIME|_V_START|_V_END)(_LOCAL)?$/.test(name) && arg !== undefined) return true;
  return false;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeClassChar(c: string): string {
  return /[\]\\^-]/.test(c) ? `\\${c}` : c;
}

export interface CompiledFormat {
  readonly operators: readonly string[];
  readonly timingUnits: TimingUnits;
  parse(line: string): ParseResult;
}

export function compileEnvoyFormat(format: string): CompiledFormat {
  const tokens = formatTokens(format);
  const operators: string[] = [];
  let source = '^';
  const anyText = tokens.some((t) => 'literal' in t && t.literal.includes('"')) ? '[^"]*' : '.*';
  // only the fields the classifier uses are captured: every other group would cost a substring
  // per line (istio's format has 24 operators and uses 4 of them)
  const slots: Array<[number, UsedField]> = [];
  const timings: TimingOperator[] = [];
  tokens.forEach((token, index) => {
    if ('literal' in token) {
      source += escapeRegex(token.literal);
      return;
    }
    operators.push(token.operator);
    let open = '(?:';
    const field = fieldOfOperator(token.operator, token.arg);
    if (field !== undefined) {
      slots.push([slots.length + 1, field]);
      open = '(';
    }
    const timing = timingOperator(token.operator, token.arg);
    if (timing !== undefined) timings.push(timing);
    const prev = tokens[index - 1];
    const next = tokens[index + 1];
    const stop = next && 'literal' in next ? next.literal[0] : undefined;
    const quoted = prev && 'literal' in prev && prev.literal.endsWith('"') && stop === '"';
    // Envoy does not escape quotes inside values, but a quoted value that holds one is rare and
    // letting it match would let two glued records pass as one: quoted values hold no quote.
    if (quoted) source += `${open}[^"]*)`;
    // In a format that quotes, no value holds a quote either, so the count of quotes pins the
    // record's shape and a glued or truncated record cannot hide inside a free-text value.
    else if (isFreeText(token.operator, token.arg)) {
      // lazy, so free text stops at the first place the rest can match; when the literal after
      // it holds a quote, the end is pinned by that quote anyway and greedy is cheaper (istio:
      // 280 -> 253 ns per line for the match)
      const pinned = anyText === '[^"]*' && next && 'literal' in next && next.literal.includes('"');
      source += `${open}${anyText}${next && !pinned ? '?' : ''})`;
    } else if (stop === undefined || /\s/.test(stop)) source += `${open}\\S*)`;
    else source += `${open}[^\\s${escapeClassChar(stop)}]*)`;
  });
  source += '$';
  // group index -> field; a field written twice: the last occurrence wins
  const regex = new RegExp(source, 's');
  return {
    operators,
    timingUnits: timingUnitsOf(timings),
    parse(line: string): ParseResult {
      const m = regex.exec(line);
      if (!m) return MALFORMED('line does not match the format');
      const record: AccessLogRecord = {};
      for (const [group, field] of slots) {
        const value = m[group];
        if (value !== undefined && !isAbsent(value)) record[field] = value;
      }
      return { ok: true, record };
    },
  };
}

export function textParser(format: string, kind: KindSetting): LineParser {
  const compiled = compileEnvoyFormat(format);
  return { kind, timingUnits: compiled.timingUnits, parse: (line) => compiled.parse(line) };
}
