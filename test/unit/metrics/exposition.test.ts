// The direct text-format writer and the streaming registry: escapes, values, chunking, failures.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { PROCESS_METRICS, type MetricSpec } from '../../../src/metrics/catalog.js';
import {
  escapeHelp,
  escapeLabelValue,
  formatValue,
  seriesHead,
} from '../../../src/metrics/exposition.js';
import { Family } from '../../../src/metrics/family.js';
import {
  createRegistry,
  registerComputed,
  registerFamily,
  registerScrapeErrors,
} from '../../../src/metrics/registry.js';
import { expectCollectorFailures } from '../../support/collector-failures.js';

const SPEC: MetricSpec = {
  name: 'demo_total',
  type: 'counter',
  help: 'A demo.',
  labelNames: ['server_name', 'reason'],
};

describe('exposition text', () => {
  const labelCases: Array<[string, string]> = [
    ['plain.example', 'plain.example'],
    ['a"b', 'a\\"b'],
    ['back\\slash', 'back\\\\slash'],
    ['line\nfeed', 'line\\nfeed'],
    ['\\"\n', '\\\\\\"\\n'],
    ['', ''],
  ];
  for (const [input, expected] of labelCases) {
    it(`escapes the label value ${JSON.stringify(input)}`, () => {
      assert.equal(escapeLabelValue(input), expected);
    });
  }

  it('escapes backslash and line feed in HELP, not quotes', () => {
    assert.equal(escapeHelp('a\\b\n"c"'), 'a\\\\b\\n"c"');
  });

  const valueCases: Array<[number, string]> = [
    [0, '0'],
    [42, '42'],
    [-1.5, '-1.5'],
    [1e21, '1e+21'],
    [Number.NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [input, expected] of valueCases) {
    it(`writes the value ${String(input)} as ${expected}`, () => {
      assert.equal(formatValue(input), expected);
    });
  }

  it('writes a head with every label in order, and a bare name without labels', () => {
    assert.equal(seriesHead('m', ['a', 'b'], ['x', 'y"']), 'm{a="x",b="y\\""} ');
    assert.equal(seriesHead('m', [], []), 'm ');
  });
});

describe('metrics registry', () => {
  it('streams a large family in several chunks that join to exactly one sample per series', async () => {
    const registry = createRegistry({ processMetrics: false });
    const family = new Family(SPEC);
    for (let i = 0; i < 10_000; i++) family.sample([`s${i}.example`, 'none']).value = i;
    registerFamily(registry, family);
    const chunks: string[] = [];
    for await (const chunk of registry.render()) chunks.push(chunk);
    assert.ok(chunks.length > 1, `expected several chunks, got ${chunks.length}`);
    const lines = chunks.join('').split('\n').filter(Boolean);
    assert.deepEqual(lines.slice(0, 2), ['# HELP demo_total A demo.', '# TYPE demo_total counter']);
    assert.equal(lines.length, 2 + 10_000);
    assert.equal(lines[2 + 9_999], 'demo_total{server_name="s9999.example",reason="none"} 9999');
  });

  it('a computed family of 10,000 samples gives the event loop turns while it is written, and is written whole', async () => {
    const registry = createRegistry({ processMetrics: false });
    registerComputed(registry, SPEC, function* () {
      for (let i = 0; i < 10_000; i++) yield { labels: [`s${i}.example`, 'none'], value: i };
    });
    let turns = 0;
    const tick = (): void => {
      turns += 1;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const text = await registry.text();
    done = true;
    assert.ok(turns >= 2, `${turns} turns while writing`);
    const lines = text.split('\n').filter(Boolean);
    assert.equal(lines.length, 2 + 10_000);
    assert.equal(lines.at(-1), 'demo_total{server_name="s9999.example",reason="none"} 9999');
  });

  it('writes the current value of a family sample on every scrape', async () => {
    const registry = createRegistry({ processMetrics: false });
    const family = new Family(SPEC);
    const sample = family.sample(['a', 'b']);
    registerFamily(registry, family);
    sample.value = 1;
    assert.match(await registry.text(), /^demo_total\{server_name="a",reason="b"\} 1$/m);
    sample.value = 7;
    assert.match(await registry.text(), /^demo_total\{server_name="a",reason="b"\} 7$/m);
  });

  it('serves a computed family empty when its reader throws, and the others whole; counts it and says the first of each cause', async () => {
    expectCollectorFailures(2);
    const registry = createRegistry({ processMetrics: false });
    const said: string[] = [];
    registerScrapeErrors(registry, (collector, err) =>
      said.push(`${collector}: ${(err as Error).message}`),
    );
    registerComputed(registry, SPEC, function* () {
      yield { labels: ['a', 'b'], value: 1 };
      throw new Error('reader failed');
    });
    registerComputed(registry, { ...SPEC, name: 'other_total' }, () => [
      { labels: ['c', 'd'], value: 2 },
      { labels: ['c', 'd'], value: 3 },
    ]);
    const text = await registry.text();
    // counted in the scrape it failed (the count is written after every family)
    assert.match(text, /^tls_sli_exporter_scrape_errors_total\{collector="demo_total"\} 1$/m);
    assert.doesNotMatch(text, /^demo_total\{/m);
    assert.match(text, /^# TYPE demo_total counter$/m);
    // duplicates keep the first sample
    assert.deepEqual(text.match(/^other_total.*$/gm), [
      'other_total{server_name="c",reason="d"} 2',
    ]);
    // the next scrape fails the same way: counted again, said once
    const next = await registry.text();
    assert.match(next, /^tls_sli_exporter_scrape_errors_total\{collector="demo_total"\} 2$/m);
    assert.deepEqual(said, ['demo_total: reader failed']);
  });

  it('refuses to register one metric name twice', () => {
    const registry = createRegistry({ processMetrics: false });
    registerComputed(registry, SPEC, () => []);
    assert.throws(
      () => registerComputed(registry, SPEC, () => []),
      /demo_total is registered twice/,
    );
  });

  it('includes the process metrics when asked to', async () => {
    const text = await createRegistry().text();
    assert.match(text, /^process_cpu_user_seconds_total /m);
    assert.match(text, /^nodejs_heap_size_total_bytes /m);
    // the ones the board names, so a prom-client that renamed them fails here
    for (const name of Object.values(PROCESS_METRICS))
      assert.match(text, new RegExp(`^${name} `, 'm'), name);
  });
});
