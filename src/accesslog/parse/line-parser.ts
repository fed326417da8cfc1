// The seam every log format implements: one line in, a record or a rejection out. Parsers never
// throw on input: a line that does not fully match its format is `malformed`, never half-counted.
import type { TimingUnits } from '../handshake-timing.js';
import type { AccessLogRecord, KindSetting } from '../record.js';

export type ParseResult =
  | { readonly ok: true; readonly record: AccessLogRecord }
  | { readonly ok: false; readonly detail: string };

export interface LineParser {
  /** what the lines are; `auto`: decided per line */
  readonly kind: KindSetting;
  /** seconds per unit of the handshake times the format writes (default: milliseconds) */
  readonly timingUnits?: TimingUnits;
  parse(line: string): ParseResult;
  /**
   * A fast path over whole lines as bytes, where the format has one (JSON); it must read every
   * line it claims exactly as parse() would, and hand the others back.
   */
  blockScanner?(): BlockScanner | undefined;
}

export interface BlockVisitor {
  /** a line the fast path read; `bytes` is its length without the newline */
  record(record: AccessLogRecord, bytes: number): void;
  /** a line for parse(): bytes [start, end) of the block, without the newline */
  unsure(block: Buffer, start: number, end: number): void;
}

export interface BlockScanner {
  /** `block` holds whole lines, each ending in a newline; every line is visited once, in order */
  scan(block: Buffer, visit: BlockVisitor): void;
}

export const MALFORMED = (detail: string): ParseResult => ({ ok: false, detail });
