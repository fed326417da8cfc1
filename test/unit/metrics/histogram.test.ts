import { strict as assert } from 'node:assert';
import { METRICS } from '../../../src/metrics/catalog.js';
import { HistogramFamily } from '../../../src/metrics/histogram.js';

const SPEC = METRICS.handshakeDuration;

/** `le` -> cumulative count, and the sum and count, of one series. */
function read(family: HistogramFamily): {
  buckets: Map<string, number>;
  sum: number;
  count: number;
} {
  const buckets = new Map<string, number>();
  let sum = Number.NaN;
  let count = Number.NaN;
  for (const s of family.samples()) {
    if ((s.name ?? '').endsWith('_bucket')) buckets.set(s.labels.at(-1) ?? '', s.value);
    else if ((s.name ?? '').endsWith('_sum')) sum = s.value;
    else count = s.value;
  }
  return { buckets, sum, count };
}

describe('histogram family', () => {
  it('handshake buckets run from 0.5 ms to 10 s', () => {
    assert.equal(SPEC.buckets?.[0], 0.0005);
    assert.equal(SPEC.buckets?.at(-1), 10);
  });

  it('buckets are cumulative, a value on a bound is in it, +Inf holds everything', () => {
    const family = new HistogramFamily(SPEC);
    const series = family.series(['ingress', 'downstream', 'api.example.com']);
    for (const v of [0, 0.0005, 0.0006, 0.004, 0.004, 12]) series.observe(v);
    const { buckets, sum, count } = read(family);
    assert.equal(buckets.get('0.0005'), 2);
    assert.equal(buckets.get('0.001'), 3);
    assert.equal(buckets.get('0.0025'), 3);
    assert.equal(buckets.get('0.005'), 5);
    assert.equal(buckets.get('10'), 5);
    assert.equal(buckets.get('+Inf'), 6);
    assert.equal(count, 6);
    assert.ok(Math.abs(sum - 12.0091) < 1e-12, String(sum));
  });

  it('a held series and observe() by labels are the same series', () => {
    const family = new HistogramFamily(SPEC);
    family.series(['a', 'downstream', 'x']).observe(1);
    family.observe(['a', 'downstream', 'x'], 2);
    assert.equal([...family.samples()].filter((s) => (s.name ?? '').endsWith('_count')).length, 1);
    assert.equal(read(family).count, 2);
  });

  it('refuses label values of the wrong arity', () => {
    assert.throws(() => new HistogramFamily(SPEC).series(['only-one']), /expected 3 label values/);
  });
});
