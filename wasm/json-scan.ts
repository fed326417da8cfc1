// AssemblyScript, compiled to WebAssembly with SIMD by scripts/build-wasm.mjs into
// src/accesslog/parse/json-scan-wasm.ts (committed, checked for drift by the test command).
//
// The fast path for JSON access-log lines (src/accesslog/parse/json-block-scanner.ts drives it).
// It scans a block of whole lines and, per line, either reads the wanted keys' values or answers
// UNSURE, and then the exact JavaScript parser (json-lines.ts) decides. It answers OK only for a
// line that is exactly one flat JSON object whose values are strings without escapes, numbers or
// null (or a bare `-`), which the exact parser reads the same way; anything else (an escape, a
// nested value, true/false, broken or glued JSON, an empty line) is UNSURE. Finding quotes uses
// 16-byte SIMD compares; values are interned in a bounded table so JavaScript decodes each
// distinct value once.

const MAX_FIELDS: i32 = 16;
const STRIDE: i32 = 2 + 3 * MAX_FIELDS;
const MAX_LINES: i32 = 512;
const MAX_KEYS: i32 = 64;
const KEY_BYTES: i32 = 8192;
const INTERN_SLOTS: i32 = 8192; // power of two; at most half used
const ARENA_BYTES: i32 = 262144;

const ABSENT: i32 = -1;
const RAW: i32 = -2;
const INTEGER: i32 = -3;
const OK: i32 = 0;
const UNSURE: i32 = 1;

// mode per field: 0 = check only, 1 = intern, 2 = id (an integer when it is one, else a range)
const fieldMode = memory.data(MAX_FIELDS * 4);
const keyLen = memory.data(MAX_KEYS * 4);
const keyOff = memory.data(MAX_KEYS * 4);
const keyField = memory.data(MAX_KEYS * 4);
const keyNext = memory.data(MAX_KEYS * 4);
const lenHead = memory.data(256 * 4); // key index + 1 of the first key of each length
const keyText = memory.data(KEY_BYTES);
const slots = memory.data(INTERN_SLOTS * 16); // hash, arena offset, length, id + 1
const out = memory.data(MAX_LINES * STRIDE * 4);
const arena = memory.data(ARENA_BYTES);
// per field, the value it had last (arena offset, length, id + 1): consecutive lines mostly repeat
// a field's value, and comparing with it is cheaper than hashing
const lastOff = memory.data(MAX_FIELDS * 4);
const lastLen = memory.data(MAX_FIELDS * 4);
const lastId = memory.data(MAX_FIELDS * 4);

let keyCount: i32 = 0;
let keyTextUsed: i32 = 0;
let fieldCount: i32 = 0;
let interned: i32 = 0;
let arenaUsed: i32 = 0;
let inPtr: usize = 0;
let inCap: i32 = 0;
let lineEnd: usize = 0;
/** the arena offset of the value intern() returned last */
let internedAt: i32 = 0;

export function outputPtr(): usize {
  return out;
}
export function keyInputPtr(): usize {
  return keyText + <usize>keyTextUsed;
}
export function stride(): i32 {
  return STRIDE;
}

/** Reserves the input block (plus 16 bytes of padding) and returns where it starts. */
export function input(capacity: i32): usize {
  if (capacity <= inCap) return inPtr;
  const need = <i32>((<usize>capacity + 16 + __heap_base + 65535) >> 16);
  const have = memory.size();
  if (need > have) memory.grow(need - have);
  inPtr = __heap_base;
  inCap = capacity;
  return inPtr;
}

export function setFields(count: i32): void {
  fieldCount = count;
}

export function setMode(field: i32, mode: i32): void {
  store<i32>(fieldMode + <usize>(field << 2), mode);
}

/** The key's bytes were written at keyInputPtr(). false when the tables are full. */
export function addKey(len: i32, field: i32): bool {
  if (keyCount >= MAX_KEYS || len >= 256 || keyTextUsed + len > KEY_BYTES) return false;
  const k = <usize>(keyCount << 2);
  store<i32>(keyLen + k, len);
  store<i32>(keyOff + k, keyTextUsed);
  store<i32>(keyField + k, field);
  store<i32>(keyNext + k, load<i32>(lenHead + <usize>(len << 2)));
  store<i32>(lenHead + <usize>(len << 2), keyCount + 1);
  keyTextUsed += len;
  keyCount++;
  return true;
}

/** Whether the intern table is full: values past it are no longer cached. */
export function internFull(): bool {
  return interned * 2 >= INTERN_SLOTS || arenaUsed * 4 >= ARENA_BYTES * 3;
}

/** Forgets every interned value (ids start again from 0), so new values are cached again. */
export function resetIntern(): void {
  memory.fill(slots, 0, <usize>(INTERN_SLOTS * 16));
  memory.fill(lastId, 0, <usize>(MAX_FIELDS * 4));
  interned = 0;
  arenaUsed = 0;
}

function isWs(c: u32): bool {
  return c == 32 || c == 9 || c == 13;
}

function skipWs(p: usize): usize {
  while (isWs(load<u8>(p))) p++;
  return p;
}

/** The first '"', '\\' or '\n' at or after p (the block ends with '\n' and 16 bytes of padding). */
function special(p: usize): usize {
  const quote = i8x16.splat(34);
  const backslash = i8x16.splat(92);
  const newline = i8x16.splat(10);
  let m: i32 = 0;
  while (true) {
    const v = v128.load(p);
    m = i8x16.bitmask(
      v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.eq(v, newline)),
    );
    if (m != 0) break;
    p += 16;
  }
  return p + <usize>ctz<i32>(m);
}

function newline(p: usize): usize {
  const nl = i8x16.splat(10);
  let m: i32 = 0;
  while (true) {
    m = i8x16.bitmask(i8x16.eq(v128.load(p), nl));
    if (m != 0) break;
    p += 16;
  }
  return p + <usize>ctz<i32>(m);
}

/** Byte equality, 8 bytes at a time. */
function same(a: usize, b: usize, len: usize): bool {
  while (len >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    len -= 8;
  }
  while (len > 0) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++;
    b++;
    len--;
  }
  return true;
}

function keyIndex(s: usize, len: i32): i32 {
  if (len >= 256) return -1;
  let k = load<i32>(lenHead + <usize>(len << 2)) - 1;
  while (k >= 0) {
    const off = <usize>(k << 2);
    if (same(keyText + <usize>load<i32>(keyOff + off), s, <usize>len))
      return load<i32>(keyField + off);
    k = load<i32>(keyNext + off) - 1;
  }
  return -1;
}

function intern(s: usize, len: i32): i32 {
  let h: u32 = 2166136261 ^ (<u32>len);
  let i: usize = 0;
  for (; i + 4 <= <usize>len; i += 4) h = rotl<u32>((h ^ load<u32>(s + i)) * 2654435761, 13);
  for (; i < <usize>len; i++) h = (h ^ (<u32>load<u8>(s + i))) * 16777619;
  h ^= h >> 15;
  const mask: u32 = <u32>INTERN_SLOTS - 1;
  let slot = h & mask;
  for (;;) {
    const e = slots + ((<usize>slot) << 4);
    const id1 = load<i32>(e, 12);
    if (id1 == 0) break;
    if (
      load<u32>(e) == h &&
      load<i32>(e, 8) == len &&
      same(arena + <usize>load<i32>(e, 4), s, <usize>len)
    ) {
      internedAt = load<i32>(e, 4);
      return id1 - 1;
    }
    slot = (slot + 1) & mask;
  }
  if (interned * 2 >= INTERN_SLOTS || arenaUsed + len > ARENA_BYTES) return RAW;
  const e = slots + ((<usize>slot) << 4);
  memory.copy(arena + <usize>arenaUsed, s, <usize>len);
  store<u32>(e, h);
  store<i32>(e, arenaUsed, 4);
  store<i32>(e, len, 8);
  interned++;
  store<i32>(e, interned, 12);
  internedAt = arenaUsed;
  arenaUsed += len;
  return interned - 1;
}

function isDigit(c: u32): bool {
  return c - 48 < 10;
}

/** p at a number's first character; the end of a JSON number, or 0 when it is not one. */
function numberEnd(p: usize): usize {
  if (load<u8>(p) == 45) p++;
  let c = <u32>load<u8>(p);
  if (c == 48) p++;
  else if (c - 49 < 9) {
    p++;
    while (isDigit(load<u8>(p))) p++;
  } else return 0;
  if (load<u8>(p) == 46) {
    p++;
    if (!isDigit(load<u8>(p))) return 0;
    while (isDigit(load<u8>(p))) p++;
  }
  c = load<u8>(p);
  if (c == 101 || c == 69) {
    p++;
    c = load<u8>(p);
    if (c == 43 || c == 45) p++;
    if (!isDigit(load<u8>(p))) return 0;
    while (isDigit(load<u8>(p))) p++;
  }
  return p;
}

/**
 * An id written as 1 to 15 digits without a leading zero (or "0"): its value, which JavaScript's
 * Number() of the text would give too; otherwise -1.
 */
function integer(s: usize, len: i32): i64 {
  if (len > 15 || (len > 1 && load<u8>(s) == 48)) return -1;
  let v: i64 = 0;
  for (let i = 0; i < len; i++) {
    const d = <u32>load<u8>(s + <usize>i) - 48;
    if (d > 9) return -1;
    v = v * 10 + <i64>d;
  }
  return v;
}

/**
 * Sets a field's slots: an interned id and the value's range, or ABSENT, or RAW and the range,
 * or INTEGER and the value's low and high 32 bits.
 */
function setValue(row: usize, field: i32, s: usize, e: usize): void {
  const mode = load<i32>(fieldMode + <usize>(field << 2));
  if (mode == 0) return;
  const slot = row + 8 + <usize>(field * 12);
  const len = <i32>(e - s);
  // "" and "-" mean absent
  if (len == 0 || (len == 1 && load<u8>(s) == 45)) {
    store<i32>(slot, ABSENT);
    return;
  }
  if (mode == 2) {
    const v = integer(s, len);
    if (v >= 0) {
      store<i32>(slot, INTEGER);
      store<i32>(slot, <i32>v, 4);
      store<i32>(slot, <i32>(v >> 32), 8);
      return;
    }
  }
  if (mode == 1) {
    const f = <usize>(field << 2);
    let id = load<i32>(lastId + f) - 1;
    if (
      id < 0 ||
      load<i32>(lastLen + f) != len ||
      !same(arena + <usize>load<i32>(lastOff + f), s, <usize>len)
    ) {
      id = intern(s, len);
      if (id >= 0) {
        store<i32>(lastId + f, id + 1);
        store<i32>(lastLen + f, len);
        store<i32>(lastOff + f, internedAt);
      }
    }
    store<i32>(slot, id);
  } else store<i32>(slot, RAW);
  store<i32>(slot, <i32>(s - inPtr), 4);
  store<i32>(slot, <i32>(e - inPtr), 8);
}

/** One line from p; OK with the fields set, or UNSURE. Leaves the line's newline in `lineEnd`. */
function line(p: usize, row: usize): i32 {
  for (let f = 0; f < fieldCount; f++) store<i32>(row + 8 + <usize>(f * 12), ABSENT);
  p = skipWs(p);
  if (load<u8>(p) != 123) return UNSURE;
  p = skipWs(p + 1);
  if (load<u8>(p) == 125) p++;
  else
    for (;;) {
      if (load<u8>(p) != 34) return UNSURE;
      const ks = p + 1;
      const ke = special(ks);
      if (load<u8>(ke) != 34) return UNSURE;
      const field = keyIndex(ks, <i32>(ke - ks));
      p = skipWs(ke + 1);
      if (load<u8>(p) != 58) return UNSURE;
      p = skipWs(p + 1);
      const c = <u32>load<u8>(p);
      if (c == 34) {
        const ve = special(p + 1);
        if (load<u8>(ve) != 34) return UNSURE;
        if (field >= 0) setValue(row, field, p + 1, ve);
        p = ve + 1;
      } else if (c == 110) {
        if (load<u8>(p, 1) != 117 || load<u8>(p, 2) != 108 || load<u8>(p, 3) != 108) return UNSURE;
        if (field >= 0) store<i32>(row + 8 + <usize>(field * 12), ABSENT);
        p += 4;
      } else if (c == 45 && !isDigit(load<u8>(p, 1))) {
        if (field >= 0) store<i32>(row + 8 + <usize>(field * 12), ABSENT);
        p += 1;
      } else {
        const e = numberEnd(p);
        if (e == 0) return UNSURE;
        if (field >= 0) setValue(row, field, p, e);
        p = e;
      }
      p = skipWs(p);
      const d = load<u8>(p);
      if (d == 44) {
        p = skipWs(p + 1);
        continue;
      }
      if (d != 125) return UNSURE;
      p++;
      break;
    }
  p = skipWs(p);
  if (load<u8>(p) != 10) return UNSURE;
  lineEnd = p;
  return OK;
}

/**
 * Scans whole lines of the block [from, len) (it ends with '\n'); writes per line its end and
 * status and the wanted fields; returns the number of lines written (at most MAX_LINES).
 */
export function scan(from: i32, len: i32): i32 {
  // zero padding so SIMD loads past the end find nothing
  v128.store(inPtr + <usize>len, i64x2.splat(0));
  let p = inPtr + <usize>from;
  const end = inPtr + <usize>len;
  let n = 0;
  while (p < end && n < MAX_LINES) {
    const row = out + <usize>(n * STRIDE * 4);
    const status = line(p, row);
    const nl = status == OK ? lineEnd : newline(p);
    store<i32>(row, <i32>(nl - inPtr));
    store<i32>(row, status, 4);
    p = nl + 1;
    n++;
  }
  return n;
}
