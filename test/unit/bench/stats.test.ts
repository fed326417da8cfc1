// The bench report's arithmetic: percentiles, spreads, and the write-to-count lag of live tailing.
import assert from 'node:assert/strict';
import { median, percentile, spread, writeToCountLags } from '../../../bench/stats.js';

describe('bench statistics', () => {
  const cases: Array<[number[], number, number]> = [
    [[3, 1, 2], 0.5, 2],
    [[5, 1, 4, 2, 3], 0.99, 5],
    [[10, 20, 30, 40], 0.5, 30],
    [[7], 0.99, 7],
  ];
  for (const [values, q, expected] of cases) {
    it(`the ${q} percentile of ${values.join(', ')} is ${expected}`, () => {
      assert.equal(percentile(values, q), expected);
    });
  }

  it('has no median of nothing', () => {
    assert.ok(Number.isNaN(median([])));
  });

  it('writes a median with its range', () => {
    assert.equal(spread([2000, 1000, 3000], 0), '2,000 (1,000–3,000)');
    assert.equal(spread([1.5, 2.25], 1, 0.5), '4.5 (3.0–4.5)');
  });

  it('measures each batch from its write to the first count that includes it', () => {
    const writes: Array<[number, number]> = [
      [0, 100],
      [10, 200],
      [20, 300],
      [30, 400],
    ];
    const counts: Array<[number, number]> = [
      [15, 150],
      [40, 300],
    ];
    // batch 1 is in the count at 15, batches 2 and 3 at 40; batch 4 was never counted
    assert.deepEqual(writeToCountLags(writes, counts), [15, 30, 20]);
  });
});
