// The seam every log format implements: one line in, a record or a rejection out. Parsers never
// throw on input: a line that does not fully match its format is `malformed`, never half-counted.
import type { AccessLogRecord, LogKind } from '../record.js';

export type ParseResult =
  | { readonly ok: true; readonly record: AccessLogRecord }
  | { readonly ok: false; readonly detail: string };

export interface LineParser {
  readonly kind: LogKind;
  parse(line: string): ParseResult;
}

export const MALFORMED = (detail: string): ParseResult => ({ ok: false, detail });
