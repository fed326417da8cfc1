import { strict as assert } from 'node:assert';
import { isOneOf } from '../../../src/domain/closed-list.js';
import { DRILL_FAULTS } from '../../../src/domain/drill-words.js';

describe('isOneOf: a word from outside, checked against a closed list', () => {
  const cases: ReadonlyArray<[string | undefined, boolean]> = [
    ['plaintext', true],
    ['wrong_sni', true],
    ['Plaintext', false],
    ['', false],
    ['plaintext ', false],
    [undefined, false],
  ];
  for (const [value, expected] of cases)
    it(`${JSON.stringify(value)} -> ${expected}`, () => {
      assert.equal(isOneOf(DRILL_FAULTS, value), expected);
    });
});
