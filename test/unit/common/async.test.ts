// The async patterns of common/async.ts, each with the overlap it exists for.
import { strict as assert } from 'node:assert';
import {
  firstOnly,
  KeyedFlights,
  oneAtATime,
  passesUntilDone,
  pollUntil,
} from '../../../src/common/async.js';

/** A promise and the function that settles it. */
function gate<T>(): { promise: Promise<T>; open: (value: T) => void } {
  let open: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('common/async', () => {
  it('oneAtATime: a call during a run joins it; the next call after it starts a new run', async () => {
    let runs = 0;
    let g = gate<number>();
    const run = oneAtATime(() => {
      runs += 1;
      return g.promise;
    });
    const first = run();
    const joined = run();
    assert.equal(runs, 1);
    assert.equal(first, joined);
    g.open(7);
    assert.equal(await joined, 7);
    g = gate<number>();
    const next = run();
    assert.equal(runs, 2);
    g.open(8);
    assert.equal(await next, 8);
  });

  it('oneAtATime: a failed run is not remembered', async () => {
    let runs = 0;
    const run = oneAtATime(() => {
      runs += 1;
      return runs === 1 ? Promise.reject(new Error('first fails')) : Promise.resolve(runs);
    });
    await assert.rejects(run(), /first fails/);
    assert.equal(await run(), 2);
  });

  it('oneAtATime: inFlight is the run going on, and nothing between runs', async () => {
    const g = gate<number>();
    const run = oneAtATime(() => g.promise);
    assert.equal(run.inFlight, undefined);
    const first = run();
    assert.equal(run.inFlight, first);
    g.open(1);
    await first;
    assert.equal(run.inFlight, undefined);
  });

  it('passesUntilDone: calls during a pass make one more pass after it, sharing its promise', async () => {
    const gates: Array<ReturnType<typeof gate<boolean>>> = [];
    const passes = passesUntilDone(() => {
      const g = gate<boolean>();
      gates.push(g);
      return g.promise;
    });
    const first = passes();
    const second = passes();
    const third = passes();
    assert.equal(first, second);
    assert.equal(second, third);
    assert.equal(gates.length, 1, 'no pass starts while one runs');
    gates[0]?.open(false);
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(gates.length, 2, 'the calls during the first pass asked for one more, together');
    gates[1]?.open(false);
    await first;
    assert.equal(gates.length, 2);
    assert.equal(passes.inFlight, undefined);
  });

  it('passesUntilDone: a pass that left work makes another; a stop ends the loop', async () => {
    let left = 3;
    let passes = 0;
    const loop = passesUntilDone(() => {
      passes += 1;
      left -= 1;
      return Promise.resolve(left > 0);
    });
    await loop();
    assert.equal(passes, 3);
    let going = true;
    let stoppedAfter = 0;
    const stopping = passesUntilDone(
      () => {
        stoppedAfter += 1;
        going = false;
        return Promise.resolve(true);
      },
      () => going,
    );
    await stopping();
    assert.equal(stoppedAfter, 1, 'work left, but stopped: no second pass');
    await stopping();
    assert.equal(stoppedAfter, 1, 'a stopped loop does not start');
  });

  it('KeyedFlights: one run per key, keys apart run apart, a finished key runs again', async () => {
    const flights = new KeyedFlights();
    const started: string[] = [];
    const gates = new Map([
      ['a', gate<string>()],
      ['b', gate<string>()],
    ]);
    const fetch = (key: string): Promise<string> =>
      flights.run(key, () => {
        started.push(key);
        return gates.get(key)?.promise ?? Promise.resolve(`${key} again`);
      });
    const a1 = fetch('a');
    const a2 = fetch('a');
    const b = fetch('b');
    assert.deepEqual(started, ['a', 'b']);
    assert.equal(flights.size, 2);
    gates.get('a')?.open('A');
    gates.get('b')?.open('B');
    assert.deepEqual(await Promise.all([a1, a2, b]), ['A', 'A', 'B']);
    assert.equal(flights.size, 0);
    gates.delete('a');
    assert.equal(await fetch('a'), 'a again');
    assert.deepEqual(started, ['a', 'b', 'a']);
  });

  it('firstOnly: acts on the first call, with its arguments, and ignores the rest', () => {
    const seen: number[] = [];
    const settle = firstOnly((n: number) => seen.push(n));
    settle(1);
    settle(2);
    settle(3);
    assert.deepEqual(seen, [1]);
  });

  it('pollUntil: reads until a value will do, and gives the last read when time is up', async () => {
    let reads = 0;
    const third = await pollUntil(
      () => Promise.resolve(++reads),
      (n) => n >= 3,
      { timeoutMs: 5_000, everyMs: 1 },
    );
    assert.equal(third, 3);
    assert.equal(reads, 3, 'no read after the one that would do');
    reads = 0;
    const last = await pollUntil(
      () => Promise.resolve(++reads),
      () => false,
      { timeoutMs: 30, everyMs: 5 },
    );
    assert.ok(reads >= 2, 'read again while time was left');
    assert.equal(last, reads, 'the last value read, short of done');
  });
});
