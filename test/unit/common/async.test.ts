// The async patterns of common/async.ts, each with the overlap it exists for.
import { strict as assert } from 'node:assert';
import { firstOnly, KeyedFlights, oneAtATime } from '../../../src/common/async.js';

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
});
