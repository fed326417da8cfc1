// Which access-log operators time a TLS handshake, the record field each is read into, and its
// unit (docs/envoy.md §5, where each operator's Envoy release and meaning are written):
//   %DOWNSTREAM_HANDSHAKE_DURATION%              connection start -> downstream handshake done, ms
//   %COMMON_DURATION(DS_HS_BEG:DS_HS_END:unit)%  ClientHello received -> downstream handshake done
//   %COMMON_DURATION(US_CX_END:US_HS_END:unit)%  upstream TCP connected -> upstream handshake done
// Other %COMMON_DURATION% spans are not handshakes and are not read. Pure.
import type { Direction } from '../domain/tls-words.js';
import { isUsedField, type AccessLogRecord, type TimingField, type UsedField } from './record.js';

/** Seconds per unit of each timing field, as one log's format writes them. */
export type TimingUnits = Readonly<Record<TimingField, number>>;

const SECONDS_PER = { ms: 1e-3, us: 1e-6, ns: 1e-9 } as const;

/** Envoy's operators print milliseconds; a %COMMON_DURATION% unit overrides its field's. */
export const MILLISECONDS: TimingUnits = {
  DOWNSTREAM_HANDSHAKE_DURATION: 1e-3,
  DS_HANDSHAKE_TIME: 1e-3,
  US_HANDSHAKE_TIME: 1e-3,
};

const SPAN = /^(DS_HS_BEG:DS_HS_END|US_CX_END:US_HS_END):(ms|us|ns)$/;

export interface TimingOperator {
  readonly field: TimingField;
  /** seconds per unit written */
  readonly seconds: number;
}

/** The timing field an operator (name and argument) is read into; undefined: not a handshake time. */
export function timingOperator(name: string, arg: string | undefined): TimingOperator | undefined {
  if (name === 'DOWNSTREAM_HANDSHAKE_DURATION') {
    return arg === undefined ? { field: name, seconds: SECONDS_PER.ms } : undefined;
  }
  if (name !== 'COMMON_DURATION' || arg === undefined) return undefined;
  const m = SPAN.exec(arg);
  if (!m) return undefined;
  return {
    field: m[1] === 'DS_HS_BEG:DS_HS_END' ? 'DS_HANDSHAKE_TIME' : 'US_HANDSHAKE_TIME',
    seconds: SECONDS_PER[m[2] as keyof typeof SECONDS_PER],
  };
}

const OPERATOR_TEXT = /^([A-Z][A-Z0-9_]*)(?:\(([^)]*)\))?$/;

/** An operator as written in a `fields` key (`NAME` or `NAME(arg)`): its name and argument. */
function splitOperator(text: string): [string, string | undefined] | undefined {
  const m = OPERATOR_TEXT.exec(text);
  return m?.[1] === undefined ? undefined : [m[1], m[2]];
}

/** The same, for an operator as written in a `fields` key. */
export function timingOperatorText(text: string): TimingOperator | undefined {
  const parts = splitOperator(text);
  return parts === undefined ? undefined : timingOperator(...parts);
}

/** Record fields that no Envoy operator is named: the %COMMON_DURATION% spans are read into them. */
const SPAN_FIELDS: ReadonlySet<string> = new Set<TimingField>([
  'DS_HANDSHAKE_TIME',
  'US_HANDSHAKE_TIME',
]);

/** The record field an operator is read into, when the classifier or the timings read it. */
export function fieldOfOperator(name: string, arg: string | undefined): UsedField | undefined {
  if (name === 'DOWNSTREAM_HANDSHAKE_DURATION' || name === 'COMMON_DURATION') {
    return timingOperator(name, arg)?.field;
  }
  return isUsedField(name) && !SPAN_FIELDS.has(name) ? name : undefined;
}

/** The same, for an operator as written in a `fields` key. */
export function fieldOfOperatorText(text: string): UsedField | undefined {
  const parts = splitOperator(text);
  return parts === undefined ? undefined : fieldOfOperator(...parts);
}

/** Units of a format that writes these operators (the last of a field wins, as its value does). */
export function timingUnitsOf(operators: Iterable<TimingOperator>): TimingUnits {
  const units: Record<TimingField, number> = { ...MILLISECONDS };
  for (const { field, seconds } of operators) units[field] = seconds;
  return units;
}

const DECIMAL = /^\d+(?:\.\d+)?$/;

/** A timing value in seconds; undefined when absent; NaN when it is not a non-negative number. */
function seconds(value: string | number | undefined, unit: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value >= 0 ? value * unit : Number.NaN;
  return DECIMAL.test(value) ? Number(value) * unit : Number.NaN;
}

/**
 * How long the handshake of `direction` a record shows took, in seconds: undefined when the line
 * carries no time for it, NaN when the value is not a number. Downstream, the span from the
 * ClientHello is preferred to Envoy's time from the connection's start when a line has both.
 */
export function handshakeSeconds(
  record: AccessLogRecord,
  direction: Direction,
  units: TimingUnits,
): number | undefined {
  if (direction === 'upstream') return seconds(record.US_HANDSHAKE_TIME, units.US_HANDSHAKE_TIME);
  return (
    seconds(record.DS_HANDSHAKE_TIME, units.DS_HANDSHAKE_TIME) ??
    seconds(record.DOWNSTREAM_HANDSHAKE_DURATION, units.DOWNSTREAM_HANDSHAKE_DURATION)
  );
}
