// Admission for /probe: a token bucket with a burst, and a cap on probes in flight.
import assert from 'node:assert/strict';
import { ProbeGuard, type Admission } from '../../../src/probe/probe-guard.js';

type Step =
  | { readonly at: number; readonly admit: Admission }
  | { readonly at: number; readonly release: true };

const cases: ReadonlyArray<{
  readonly name: string;
  readonly limits: { ratePerSecond: number; burst: number; maxConcurrent: number };
  readonly steps: readonly Step[];
}> = [
  {
    name: 'a burst passes, the next request is rate limited, a token comes back after 1/rate s',
    limits: { ratePerSecond: 2, burst: 3, maxConcurrent: 100 },
    steps: [
      { at: 0, admit: 'ok' },
      { at: 0, admit: 'ok' },
      { at: 0, admit: 'ok' },
      { at: 0, admit: 'rate_limited' },
      { at: 499, admit: 'rate_limited' },
      { at: 500, admit: 'ok' },
      { at: 500, admit: 'rate_limited' },
    ],
  },
  {
    name: 'a long quiet spell refills up to the burst, never beyond',
    limits: { ratePerSecond: 10, burst: 2, maxConcurrent: 100 },
    steps: [
      { at: 0, admit: 'ok' },
      { at: 0, admit: 'ok' },
      { at: 60_000, admit: 'ok' },
      { at: 60_000, admit: 'ok' },
      { at: 60_000, admit: 'rate_limited' },
    ],
  },
  {
    name: 'probes in flight are capped; a release frees a slot',
    limits: { ratePerSecond: 100, burst: 100, maxConcurrent: 2 },
    steps: [
      { at: 0, admit: 'ok' },
      { at: 0, admit: 'ok' },
      { at: 0, admit: 'too_many_concurrent' },
      { at: 1, release: true },
      { at: 1, admit: 'ok' },
      { at: 1, admit: 'too_many_concurrent' },
    ],
  },
];

describe('probe guard', () => {
  for (const { name, limits, steps } of cases) {
    it(name, () => {
      let now = 0;
      const guard = new ProbeGuard(limits, () => now);
      steps.forEach((step, i) => {
        now = step.at;
        if ('release' in step) guard.release();
        else assert.equal(guard.admit(), step.admit, `step ${i} at ${step.at} ms`);
      });
    });
  }

  it('a refused request takes no slot and no token', () => {
    let now = 0;
    const guard = new ProbeGuard({ ratePerSecond: 1, burst: 1, maxConcurrent: 1 }, () => now);
    assert.equal(guard.admit(), 'ok');
    assert.equal(guard.admit(), 'too_many_concurrent');
    guard.release();
    now = 1000;
    assert.equal(guard.admit(), 'ok');
  });

  it('says when to retry, in whole seconds', () => {
    const guard = new ProbeGuard({ ratePerSecond: 0.25, burst: 1, maxConcurrent: 9 }, () => 0);
    assert.equal(guard.admit(), 'ok');
    assert.equal(guard.admit(), 'rate_limited');
    assert.equal(guard.retryAfterSeconds(), 4);
  });

  it('new limits keep earned tokens up to the new burst', () => {
    let now = 0;
    const guard = new ProbeGuard({ ratePerSecond: 1, burst: 10, maxConcurrent: 99 }, () => now);
    guard.setLimits({ ratePerSecond: 1, burst: 2, maxConcurrent: 99 });
    assert.equal(guard.admit(), 'ok');
    assert.equal(guard.admit(), 'ok');
    assert.equal(guard.admit(), 'rate_limited');
    now = 1000;
    assert.equal(guard.admit(), 'ok');
  });
});
