// Remembers recently counted connection ids so a connection's handshake is counted once even
// though an HTTP log has a line per request. Bounded: the oldest ids are forgotten first.

export class RecentIds {
  readonly #ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** true the first time an id is seen (within the window of `capacity` recent ids) */
  firstTime(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.capacity) {
      const oldest = this.#ids.values().next().value as string;
      this.#ids.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.#ids.size;
  }
}
