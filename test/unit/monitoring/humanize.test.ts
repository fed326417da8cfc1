// The rule tests render expected annotations with a port of Prometheus's humanizeDuration
// (template.go): days down to seconds, then SI prefixes below one second, four significant digits.
import { strict as assert } from 'node:assert';
import { humanizeDuration } from '../../../src/monitoring/rule-tests.js';

describe('humanizeDuration, as Prometheus renders it', () => {
  const cases: ReadonlyArray<readonly [number, string]> = [
    [0, '0s'],
    [0.1, '100ms'],
    [0.12345, '123.5ms'],
    [0.4975, '497.5ms'],
    [0.0001, '100us'],
    [0.000_002_5, '2.5us'],
    [1, '1s'],
    [59.5, '59.5s'],
    [60, '1m 0s'],
    [3601, '1h 0m 1s'],
    [86_401, '1d 0h 0m 1s'],
    [-0.25, '-250ms'],
  ];
  for (const [value, text] of cases) {
    it(`${value} -> ${text}`, () => {
      assert.equal(humanizeDuration(value), text);
    });
  }
});
