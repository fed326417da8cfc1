// Drives the WebAssembly fast path for JSON lines (wasm/json-scan.ts) over a block of whole
// lines, straight from the bytes read: no decoding of the block, no string per line. Per line it
// hands over either a record of the fields the classifier reads, or the line's range for the
// exact parser (json-lines.ts) when the fast path is not sure (escapes, nested values, broken
// JSON). Distinct values are decoded once: the module interns them and returns small ids.
import { JSON_SCAN_WASM } from './json-scan-wasm.js';
import type { BlockScanner, BlockVisitor } from './line-parser.js';
import {
  FullRecord,
  NUMERIC_FIELDS,
  UNREAD_FIELDS,
  type AccessLogRecord,
  type NumericField,
  type UsedField,
} from '../record.js';

// Node has WebAssembly, but its typings are in lib "dom", which this project does not load: the
// two constructors used are typed here.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface ScanExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  outputPtr(): number;
  keyInputPtr(): number;
  stride(): number;
  input(capacity: number): number;
  setFields(count: number): void;
  setMode(field: number, mode: number): void;
  addKey(len: number, field: number): number;
  internFull(): number;
  resetIntern(): void;
  scan(from: number, len: number): number;
}

/** What the module does with a field's value (wasm/json-scan.ts `setMode`). */
const MODE = { check: 0, intern: 1, id: 2 } as const;
/** Field slot values other than an interned value's id (RAW: decode the range). */
const ABSENT = -1;
const INTEGER = -3;
const OK = 0;
/** fields the module reports per line (MAX_FIELDS in wasm/json-scan.ts) */
const MAX_FIELDS = 16;

let compiled: object | null | undefined;

/** The compiled module, or null where this Node cannot run it (no WebAssembly SIMD). */
function scanModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = new wasm.Module(JSON_SCAN_WASM);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export class JsonBlockScanner implements BlockScanner {
  readonly #x: ScanExports;
  /** the fields the module reports, by the index it reports them under */
  readonly #fields: UsedField[];
  /** indexes of the fields whose values go into records */
  readonly #read: number[];
  readonly #stride: number;
  readonly #outBase: number;
  /** interned values by id, decoded on first sight */
  readonly #strings: string[] = [];
  #input = 0;
  #capacity = 0;
  #bytes: Buffer;
  #out: Int32Array;

  /**
   * A scanner for these JSON keys, or undefined when the fast path cannot serve them exactly
   * (too many or too long keys, a key containing U+FFFD, no WebAssembly SIMD): the exact parser
   * then reads every line, as it always can.
   */
  static for(keys: ReadonlyMap<string, UsedField>): JsonBlockScanner | undefined {
    const module = scanModule();
    if (module === null || keys.size > MAX_FIELDS) return undefined;
    for (const key of keys.keys()) if (key.includes('\uFFFD')) return undefined;
    const exports = new wasm.Instance(module).exports as unknown as ScanExports;
    const scanner = new JsonBlockScanner(exports, keys);
    return scanner.#addKeys(keys) ? scanner : undefined;
  }

  private constructor(exports: ScanExports, keys: ReadonlyMap<string, UsedField>) {
    this.#x = exports;
    this.#fields = [...keys.values()];
    this.#read = [];
    this.#fields.forEach((field, index) => {
      const mode = UNREAD_FIELDS.has(field)
        ? MODE.check
        : NUMERIC_FIELDS.has(field)
          ? MODE.id
          : MODE.intern;
      exports.setMode(index, mode);
      if (mode !== MODE.check) this.#read.push(index);
    });
    exports.setFields(this.#fields.length);
    this.#stride = exports.stride();
    this.#outBase = exports.outputPtr() >> 2;
    this.#bytes = Buffer.from(exports.memory.buffer);
    this.#out = new Int32Array(exports.memory.buffer);
  }

  #addKeys(keys: ReadonlyMap<string, UsedField>): boolean {
    let index = 0;
    for (const key of keys.keys()) {
      const bytes = Buffer.from(key, 'utf8');
      this.#bytes.set(bytes, this.#x.keyInputPtr());
      if (this.#x.addKey(bytes.length, index) === 0) return false;
      index += 1;
    }
    return true;
  }

  /** How many distinct values are cached now (bounded: the table starts afresh when full). */
  get cachedValues(): number {
    return this.#strings.length;
  }

  /** `block` holds whole lines, each ending in '\n'. */
  scan(block: Buffer, visit: BlockVisitor): void {
    // values drift (a hostile client's SNIs, new clusters): a full table starts afresh, so the
    // values of the day keep being cached instead of decoded per line
    if (this.#x.internFull() !== 0) {
      this.#x.resetIntern();
      this.#strings.length = 0;
    }
    this.#reserve(block.length);
    const out = this.#out;
    this.#bytes.set(block, this.#input);
    let from = 0;
    while (from < block.length) {
      const lines = this.#x.scan(from, block.length);
      for (let n = 0; n < lines; n++) {
        const row = this.#outBase + n * this.#stride;
        const end = out[row] as number;
        if (out[row + 1] === OK) visit.record(this.#record(row), end - from);
        else visit.unsure(block, from, end);
        from = end + 1;
      }
      if (lines === 0) break; // cannot happen (a call reads at least one line); never spin
    }
  }

  #record(row: number): AccessLogRecord {
    const out = this.#out;
    const record: AccessLogRecord = new FullRecord();
    for (let k = 0; k < this.#read.length; k++) {
      const index = this.#read[k] as number;
      const slot = row + 2 + index * 3;
      const id = out[slot] as number;
      if (id === ABSENT) continue;
      if (id === INTEGER) {
        const high = out[slot + 2] as number;
        const low = (out[slot + 1] as number) >>> 0;
        record[this.#fields[index] as NumericField] = high * 4294967296 + low;
        continue;
      }
      let value = id >= 0 ? this.#strings[id] : undefined;
      if (value === undefined) {
        value = this.#bytes.toString(
          'utf8',
          this.#input + (out[slot + 1] as number),
          this.#input + (out[slot + 2] as number),
        );
        if (id >= 0) this.#strings[id] = value;
      }
      record[this.#fields[index] as UsedField] = value;
    }
    return record;
  }

  /** Room for `length` bytes in the module's memory (growing it renews the views). */
  #reserve(length: number): void {
    if (length <= this.#capacity) return;
    this.#input = this.#x.input(length);
    this.#capacity = length;
    this.#bytes = Buffer.from(this.#x.memory.buffer);
    this.#out = new Int32Array(this.#x.memory.buffer);
  }
}
