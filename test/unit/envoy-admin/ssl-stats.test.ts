// Envoy's TLS counters from its admin statistics, in both documented formats. The fixtures are
// written as Envoy writes them: stat names from ALL_SSL_STATS (source/common/tls/stats.h in
// Envoy's current source; older releases had the same handshake and fail_verify_* counters, under
// source/common/ssl, and lack the ocsp_* and was_key_usage_invalid ones, which are not read), the listener tree
// `listener.<address>.` or `listener.<stat_prefix>.` (listener stats docs), `/stats?format=json`
// ending in its histograms element, and `/stats/prometheus` with Envoy's tag extraction
// (well_known_names.cc: a listener address, including an IPv6 one, becomes
// envoy_listener_address; a stat_prefix that is not an address stays in the metric name).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import {
  AdminStatsError,
  fromStatsJson,
  fromStatsPrometheus,
  type EnvoyHandshakeCount,
} from '../../../src/envoy-admin/ssl-stats.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/envoy-admin/${name}`, import.meta.url), 'utf8');

const sorted = (counts: EnvoyHandshakeCount[]): string[] =>
  counts.map((c) => `${c.direction} ${c.scope} ${c.outcome} ${c.value}`).sort();

const EXPECTED = [
  'downstream 0.0.0.0_8443 connection_error 7',
  'downstream 0.0.0.0_8443 fail_verify_no_cert 5',
  'downstream 0.0.0.0_8443 fail_verify_san 0',
  'downstream 0.0.0.0_8443 success 1000',
  'downstream 0.0.0.0_8443 timeout 1',
  'downstream [__]_9443 success 9',
  'downstream audit_in fail_verify_error 4',
  'downstream audit_in success 30',
  'upstream outbound|443||es.logging.svc.cluster.local connection_error 2',
  'upstream outbound|443||es.logging.svc.cluster.local fail_verify_error 3',
  'upstream outbound|443||es.logging.svc.cluster.local success 120',
];

describe("Envoy's admin statistics: TLS counters", () => {
  it('/stats?format=json: listeners by address and stat_prefix, clusters, nothing else', () => {
    assert.deepEqual(sorted(fromStatsJson(fixture('stats.json'))), EXPECTED);
  });

  it('/stats/prometheus: the same counts from the tagged names', () => {
    assert.deepEqual(sorted(fromStatsPrometheus(fixture('stats.prom'))), EXPECTED);
  });

  const broken: ReadonlyArray<readonly [string, () => unknown, RegExp]> = [
    ['HTML instead of JSON', () => fromStatsJson('<html>'), /not JSON/],
    ['the plain text format', () => fromStatsJson('{"x": 1}'), /no "stats" array/],
    [
      'JSON given to the Prometheus reader',
      () => fromStatsPrometheus('{"stats": []}'),
      /not the Prometheus text format/,
    ],
  ];
  for (const [name, read, message] of broken) {
    it(`refuses ${name}, saying what it got`, () => {
      assert.throws(
        read,
        (err: unknown) => err instanceof AdminStatsError && message.test(err.message),
      );
    });
  }

  it('an Envoy without TLS gives no counts, not an error', () => {
    assert.deepEqual(fromStatsJson('{"stats":[{"name":"server.live","value":1}]}'), []);
    assert.deepEqual(
      fromStatsPrometheus('# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n'),
      [],
    );
    assert.deepEqual(fromStatsPrometheus(''), []);
  });
});
