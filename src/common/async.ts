// The async patterns the exporter uses in several places, written once: one run at a time, one
// run per key at a time, and a callback that acts on its first call only. Know nothing of TLS.

/**
 * `run`, never two at a time: a call while a run is in flight gets that run's promise instead of
 * starting another (a timer tick that finds the last one still busy joins it).
 */
export function oneAtATime<T>(run: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };
}

/** One run per key at a time: a second caller for a key waits for the first one's answer. */
export class KeyedFlights {
  readonly #running = new Map<string, Promise<unknown>>();

  run<T>(key: string, run: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key) as Promise<T> | undefined;
    if (running) return running;
    const started = run().finally(() => this.#running.delete(key));
    this.#running.set(key, started);
    return started;
  }

  /** How many keys have a run in flight. */
  get size(): number {
    return this.#running.size;
  }
}

/** `act` on the first call only; every later call does nothing (settle an outcome once). */
export function firstOnly<A extends unknown[]>(act: (...args: A) => void): (...args: A) => void {
  let done = false;
  return (...args) => {
    if (done) return;
    done = true;
    act(...args);
  };
}
