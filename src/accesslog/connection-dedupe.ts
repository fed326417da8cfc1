// Remembers recently counted connection ids so a connection's handshake is counted once even
// though an HTTP log has a line per request. Bounded: a ring of the last `capacity` ids; the
// oldest is forgotten first. Envoy's ids are integers: those live in an open-addressing table of
// numbers (linear probing, deletion by shifting back), several times cheaper per line than a Set
// with an entry added and one deleted per id (and a Set evicted through its iterator is O(n) per
// eviction in V8 once many entries were deleted: measured 10x slower at 1 M lines). Any other id
// (text) goes to a small Set with a ring of its own.

export class RecentIds {
  readonly #numbers: NumberRing;
  readonly #texts: TextRing;

  constructor(capacity: number) {
    this.#numbers = new NumberRing(capacity);
    this.#texts = new TextRing(capacity);
  }

  /** true the first time an id is seen (within the window of `capacity` recent ids) */
  firstTime(given: string | number): boolean {
    const n = Number(given);
    if (Number.isSafeInteger(n)) return this.#numbers.firstTime(n);
    // copied, so it keeps no slice of a read chunk alive
    return this.#texts.firstTime(Buffer.from(String(given)).toString());
  }

  get size(): number {
    return this.#numbers.size + this.#texts.size;
  }
}

class TextRing {
  readonly #ids = new Set<string>();
  readonly #ring: Array<string | undefined>;
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Array<string | undefined>(capacity).fill(undefined);
  }

  firstTime(id: string): boolean {
    if (this.#ids.has(id)) return false;
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#ids.delete(evicted);
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#ids.add(id);
    return true;
  }

  get size(): number {
    return this.#ids.size;
  }
}

class NumberRing {
  /** slots: a power of two at least twice the capacity, so probes stay short */
  readonly #keys: Float64Array;
  readonly #used: Uint8Array;
  readonly #mask: number;
  readonly #ring: Float64Array;
  #filled = 0;
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    let slots = 2;
    while (slots < capacity * 2) slots *= 2;
    this.#keys = new Float64Array(slots);
    this.#used = new Uint8Array(slots);
    this.#mask = slots - 1;
    this.#ring = new Float64Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.#size;
  }

  firstTime(id: number): boolean {
    if (this.#find(id) >= 0) return false;
    if (this.#filled === this.#ring.length) this.#delete(this.#ring[this.#next] as number);
    else this.#filled += 1;
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.#ring.length;
    let slot = this.#home(id);
    while (this.#used[slot] === 1) slot = (slot + 1) & this.#mask;
    this.#keys[slot] = id;
    this.#used[slot] = 1;
    this.#size += 1;
    return true;
  }

  /** a safe integer's slot: its low and high 32 bits mixed */
  #home(id: number): number {
    const mixed = Math.imul((id | 0) ^ ((id / 4294967296) | 0), 0x9e3779b1);
    return (mixed ^ (mixed >>> 15)) & this.#mask;
  }

  #find(id: number): number {
    let slot = this.#home(id);
    while (this.#used[slot] === 1) {
      if (this.#keys[slot] === id) return slot;
      slot = (slot + 1) & this.#mask;
    }
    return -1;
  }

  /** Removes `id` and shifts back the entries after it, so no probe chain is broken. */
  #delete(id: number): void {
    let hole = this.#find(id);
    if (hole < 0) return;
    this.#size -= 1;
    let slot = hole;
    for (;;) {
      slot = (slot + 1) & this.#mask;
      if (this.#used[slot] === 0) break;
      const home = this.#home(this.#keys[slot] as number);
      // the entry may fill the hole unless its home lies cyclically in (hole, slot]
      const between = hole <= slot ? home > hole && home <= slot : home > hole || home <= slot;
      if (between) continue;
      this.#keys[hole] = this.#keys[slot] as number;
      hole = slot;
    }
    this.#used[hole] = 0;
  }
}
