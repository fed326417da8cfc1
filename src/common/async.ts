// The async patterns the exporter uses in several places, written once: one run at a time, one
// pass after another until nothing is left (a call during a pass asks for one more), one run per
// key at a time, a callback that acts on its first call only, and reading again until a value
// will do or time is up. Know nothing of TLS.

/** A run that never overlaps itself; `inFlight` is the run going on now, for a stop to await. */
export interface SingleRun<T> {
  (): Promise<T>;
  readonly inFlight: Promise<T> | undefined;
}

function withInFlight<T>(
  call: () => Promise<T>,
  inFlight: () => Promise<T> | undefined,
): SingleRun<T> {
  return Object.defineProperty(call, 'inFlight', { get: inFlight }) as SingleRun<T>;
}

/**
 * `run`, never two at a time: a call while a run is in flight gets that run's promise instead of
 * starting another (a timer tick that finds the last one still busy joins it).
 */
export function oneAtATime<T>(run: () => Promise<T>): SingleRun<T> {
  let running: Promise<T> | undefined;
  return withInFlight(
    () => {
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
    () => running,
  );
}

/**
 * `pass` again and again, one loop at a time, until a pass answers false (nothing left) and no
 * call came meanwhile: a call during a pass asks for one more pass after it and gets the loop's
 * promise, so a change seen while a pass runs (a file event, a reload) is never missed, and a
 * burst of calls makes one more pass, not one each. `going()` false ends the loop (a stop).
 */
export function passesUntilDone(
  pass: () => Promise<boolean>,
  going: () => boolean = () => true,
): SingleRun<void> {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async (): Promise<void> => {
    do {
      again = false;
      if (await pass()) again = true;
    } while (again && going());
  };
  return withInFlight(
    () => {
      if (!going()) return Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      running = loop().finally(() => {
        running = undefined;
      });
      return running;
    },
    () => running,
  );
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

/**
 * `read` until `done` accepts what it gave or `timeoutMs` has passed, waiting `everyMs` between
 * reads; the last value read either way, so the caller says what falling short means.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs, everyMs }: { readonly timeoutMs: number; readonly everyMs: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await read();
  }
  return value;
}
