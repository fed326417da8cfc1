import { strict as assert } from 'node:assert';
import { RecentIds } from '../../../src/accesslog/connection-dedupe.js';

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
});
