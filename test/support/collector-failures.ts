// Root hooks (.mocharc.json "require"): a collector that throws serves its family empty in
// production (counted and logged); in tests it fails the test that caused it, unless the test
// said it expects exactly that many (expectCollectorFailures).
import { collectorFailures } from '../../src/metrics/registry.js';

let expected = 0;

/** A test that makes collectors throw on purpose says how many times. */
export function expectCollectorFailures(n: number): void {
  expected = n;
}

export const mochaHooks = {
  beforeEach(): void {
    collectorFailures.count = 0;
    collectorFailures.last = '';
    expected = 0;
  },
  afterEach(): void {
    const { count, last } = collectorFailures;
    if (count !== expected)
      throw new Error(
        `${count} collector failure(s) during this test (expected ${expected}); the last: ${last}`,
      );
  },
};
