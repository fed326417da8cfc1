import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RecentIds } from '../../../src/accesslog/connection-dedupe.js';

/** The obvious model: per kind, the last `capacity` distinct ids in a list. */
function model(capacity: number): (id: string | number) => boolean {
  const lists = { number: [] as number[], text: [] as string[] };
  return (given) => {
    const n = Number(given);
    const [list, id] = Number.isSafeInteger(n)
      ? [lists.number as unknown[], n]
      : [lists.text as unknown[], String(given)];
    if (list.includes(id)) return false;
    list.push(id);
    if (list.length > capacity) list.shift();
    return true;
  };
}

describe('recent connection ids', () => {
  it('says first time once per id', () => {
    const ids = new RecentIds(10);
    assert.deepEqual(
      ['a', 'b', 'a', 'c', 'b'].map((id) => ids.firstTime(id)),
      [true, true, false, true, false],
    );
  });
  it('forgets the oldest past its capacity and stays bounded', () => {
    const ids = new RecentIds(3);
    for (const id of ['1', '2', '3', '4']) ids.firstTime(id);
    assert.equal(ids.size, 3);
    assert.equal(ids.firstTime('1'), true, 'the oldest id should have been forgotten');
    assert.equal(ids.firstTime('4'), false);
  });
  it('an id as a number and as its text are the same id', () => {
    const ids = new RecentIds(10);
    assert.deepEqual(
      [7, '7', '007', 8, '8'].map((id) => ids.firstTime(id)),
      [true, false, false, true, false],
    );
  });
  it('agrees with the obvious model on any sequence (colliding slots, eviction, wrap-around)', () => {
    const id = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: 40 }).map((n) => n * 4294967296 + 3),
      fc.maxSafeNat(),
      fc.constantFrom('a', 'b', '1.5', 'x-1'),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(id, { maxLength: 300 }),
        (capacity, seq) => {
          const ids = new RecentIds(capacity);
          const expected = model(capacity);
          for (const x of seq) assert.equal(ids.firstTime(x), expected(x), `id ${x}`);
          assert.ok(ids.size <= capacity * 2);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
