// Remembers recently counted connection ids so a connection's handshake is counted once even
// though an HTTP log has a line per request. Bounded: a ring of the last `capacity` ids; the
// oldest is forgotten first. (Evicting through a Set's iterator instead is O(n) per eviction in
// V8 once many entries were deleted: measured 10x slower at 1 M lines.)

export class RecentIds {
  readonly #ids = new Set<string | number>();
  readonly #ring: Array<string | number | undefined>;
  #next = 0;

  constructor(capacity: number) {
    this.#ring = new Array<string | number | undefined>(capacity).fill(undefined);
  }

  /** true the first time an id is seen (within the window of `capacity` recent ids) */
  firstTime(given: string | number): boolean {
    // Envoy's ids are integers: keep numbers, which also keeps no slice of a read chunk alive.
    const n = Number(given);
    const id = Number.isSafeInteger(n) ? n : Buffer.from(String(given)).toString();
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
