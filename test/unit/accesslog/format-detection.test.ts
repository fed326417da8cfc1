// Which format lines fit (format auto, and the hint when the configured format is wrong), and what
// the exporter says about a JSON log read without `fields`. Lines are the golden files' real shapes.
import { strict as assert } from 'node:assert';
import { AutoFormatParser, UNDECIDED_LIMIT } from '../../../src/accesslog/parse/auto-format.js';
import { detectFormat, formatOf } from '../../../src/accesslog/parse/detect-format.js';
import { FormatWatch, WATCHED_LINES } from '../../../src/accesslog/format-watch.js';
import { presetParser } from '../../../src/accesslog/parse/preset-parser.js';
import { memoryLogger } from '../../support/logs.js';
import { goldenLines as golden } from '../../support/golden.js';
import { harness } from '../../support/pipeline-harness.js';

describe('format detection', () => {
  const firstLines: ReadonlyArray<[string, string]> = [
    ['istio', 'istio'],
    ['istio_1_8', 'istio_1_8'],
    ['istio_json', 'istio_json'],
    ['envoy_gateway', 'envoy_gateway'],
    ['envoy_default', 'envoy_default'],
    ['envoy_listener_json', 'envoy_listener_json'],
    ['envoy_http_json', 'envoy_http_json'],
    ['json_conventional_keys', 'json'],
  ];
  for (const [file, expected] of firstLines) {
    it(`the first line of ${file}.log fits ${expected}`, () => {
      assert.equal(formatOf(golden(file)[0] ?? ''), expected);
    });
  }
  it('a line of nothing known fits nothing', () => {
    assert.equal(
      formatOf('127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200'),
      undefined,
    );
    assert.equal(formatOf('{"level":"info","msg":"started"}'), undefined);
  });
  it('kubectl --timestamps and CRI lines are found with their envelope', () => {
    const lines = golden('istio');
    assert.deepEqual(detectFormat(lines.map((l) => `2025-02-11T08:14:02.117384920Z ${l}`)), {
      format: 'istio',
      envelope: 'kubectl_timestamps',
      fit: lines.length,
    });
    assert.equal(
      detectFormat(lines.map((l) => `2025-02-11T08:14:02.117384920Z stdout F ${l}`))?.envelope,
      'cri',
    );
  });
  it('format auto: the first line that fits picks the preset, said once', () => {
    const chosen: Array<string | undefined> = [];
    const parser = new AutoFormatParser((c) => chosen.push(c));
    assert.equal(parser.parse('garbage').ok, false);
    for (const line of golden('envoy_gateway')) parser.parse(line);
    assert.deepEqual(chosen, ['envoy_gateway']);
    assert.equal(parser.kind, 'auto');
  });
  it(`format auto: after ${UNDECIDED_LIMIT} lines that fit nothing it says so, once`, () => {
    const chosen: Array<string | undefined> = [];
    const parser = new AutoFormatParser((c) => chosen.push(c));
    for (let i = 0; i < UNDECIDED_LIMIT * 2; i++) parser.parse(`line ${i}`);
    assert.deepEqual(chosen, [undefined]);
  });
});

describe('format watch: what the exporter says about the first lines', () => {
  it('Istio 1.8 lines read as istio: the warning names istio_1_8', () => {
    const { logger, records } = memoryLogger();
    const watch = new FormatWatch({ log: 'mesh', format: 'istio', logger, describeKeys: false });
    const h = harness(presetParser('istio'), { watch });
    const lines = golden('istio_1_8');
    for (let i = 0; i < WATCHED_LINES; i++) h.pipeline.line(lines[i % lines.length] ?? '');
    const warned = records.filter((r) => r['level'] === 'warn');
    assert.equal(warned.length, 1, JSON.stringify(records));
    assert.equal(warned[0]?.['fits'], 'istio_1_8');
  });
  it('lines that fit say nothing', () => {
    const { logger, records } = memoryLogger();
    const watch = new FormatWatch({ log: 'mesh', format: 'istio', logger, describeKeys: false });
    const h = harness(presetParser('istio'), { watch });
    for (const line of golden('istio')) h.pipeline.line(line);
    assert.deepEqual(
      records.filter((r) => r['level'] === 'warn'),
      [],
    );
  });
  it('JSON without fields: the keys found and the TLS operators missing are logged once', () => {
    const { logger, records } = memoryLogger();
    const watch = new FormatWatch({ log: 'gw', format: 'json', logger, describeKeys: true });
    watch.line(golden('envoy_gateway')[0] ?? '', true);
    watch.line(golden('envoy_gateway')[1] ?? '', true);
    const said = records.filter((r) => String(r['msg']).startsWith('format json'));
    assert.equal(said.length, 1);
    const mapped = said[0]?.['mapped'] as Record<string, string>;
    assert.equal(mapped['requested_server_name'], 'REQUESTED_SERVER_NAME');
    assert.equal(mapped['protocol'], 'PROTOCOL');
    assert.deepEqual(said[0]?.['missing'], [
      'DOWNSTREAM_TLS_VERSION',
      'DOWNSTREAM_TLS_CIPHER',
      'DOWNSTREAM_TRANSPORT_FAILURE_REASON',
      'CONNECTION_ID',
      'UPSTREAM_TLS_VERSION',
      'UPSTREAM_CONNECTION_ID',
    ]);
  });
});
