// The rule the SLI stands on: no line without TLS evidence ever moves a handshake counter. TLS
// evidence is a TLS version or cipher, a server name, a TLS error text, Envoy's transport-socket
// timeout, a downstream transport failure reason, or an upstream cluster declared TLS. Records
// are built from every other value the fields take in real logs (flags, reset details, plain
// connect errors, cluster names, ids) and classified under every kind: none may count.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { classify } from '../../../src/accesslog/classify/classifier.js';
import { clusterMatcher } from '../../../src/accesslog/classify/tls-clusters.js';
import type { AccessLogRecord } from '../../../src/accesslog/record.js';
import { harness, total } from '../../support/pipeline-harness.js';
import { presetParser } from '../../../src/accesslog/parse/preset-parser.js';
import { istio } from '../../../src/demo/envoy-lines.js';
import { METRICS } from '../../../src/metrics/catalog.js';

/** Values seen in real logs that say nothing about TLS. */
const PLAIN = {
  RESPONSE_FLAGS: [
    '-',
    'UF',
    'URX,UF',
    'UF,URX',
    'URX',
    'NR',
    'UH',
    'UC',
    'DC',
    'UT',
    'UO',
    'LR',
    'UAEX',
  ],
  RESPONSE_CODE_DETAILS: [
    'via_upstream',
    'route_not_found',
    'filter_chain_not_found',
    'upstream_reset_before_response_started{connection_timeout}',
    'upstream_reset_before_response_started{connection_failure}',
    'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}',
    'upstream_reset_before_response_started{overflow}',
    'http2.remote_reset',
    'downstream_remote_disconnect',
    'ext_authz_denied',
  ],
  UPSTREAM_TRANSPORT_FAILURE_REASON: [
    'delayed_connect_error:_111',
    'delayed_connect_error:_Connection_refused',
    'immediate_connect_error:_Network_is_unreachable',
    'connect timeout',
  ],
  CONNECTION_TERMINATION_DETAILS: ['connection closed by peer', 'idle timeout'],
  UPSTREAM_CLUSTER: [
    'PassthroughCluster',
    'InboundPassthroughCluster',
    'BlackHoleCluster',
    'plain_backend',
  ],
  UPSTREAM_CLUSTER_RAW: ['inbound|8080||', 'outbound|80||legacy.default.svc.cluster.local'],
  CONNECTION_ID: ['0', '42', '9001'],
  UPSTREAM_CONNECTION_ID: ['0', '88'],
  PROTOCOL: ['HTTP/1.1', 'HTTP/2', 'HTTP/3'],
  FILTER_CHAIN_NAME: ['plain_http', 'virtualInbound-catchall-http'],
  START_TIME: ['2025-02-11T08:14:02.117Z'],
} as const satisfies Partial<Record<keyof AccessLogRecord, readonly string[]>>;

const plainRecord: fc.Arbitrary<AccessLogRecord> = fc.record(
  Object.fromEntries(
    Object.entries(PLAIN).map(([field, values]) => [field, fc.constantFrom(...values)]),
  ) as { [K in keyof typeof PLAIN]: fc.Arbitrary<string> },
  { requiredKeys: [] },
);

describe('TLS evidence: a line without it never moves a handshake counter', () => {
  it('property: 10,000 records of plain values, every kind, clusters declared elsewhere', () => {
    // a declared cluster that none of the plain records names
    const declared = clusterMatcher(['outbound|443||**.logging.svc.cluster.local']);
    fc.assert(
      fc.property(plainRecord, fc.constantFrom('listener', 'http', 'auto'), (record, kind) => {
        for (const outcome of classify(record, kind, declared)) {
          assert.ok(
            !outcome.ok && outcome.reason === undefined,
            JSON.stringify({ record, outcome }),
          );
        }
      }),
      { numRuns: 10_000 },
    );
  });

  // whole Istio lines through the pipeline: refused, timeout, passthrough, local inbound
  const lines: ReadonlyArray<[string, string]> = [
    [
      'refused (errno 111), app restarting',
      istio({
        RESPONSE_CODE: 503,
        RESPONSE_FLAGS: 'URX,UF',
        RESPONSE_CODE_DETAILS:
          'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}',
        UPSTREAM_TRANSPORT_FAILURE_REASON: 'delayed_connect_error:_111',
      }),
    ],
    [
      'connect timeout to a port-80 cluster',
      istio({
        RESPONSE_CODE: 503,
        RESPONSE_FLAGS: 'UF',
        RESPONSE_CODE_DETAILS: 'upstream_reset_before_response_started{connection_timeout}',
        UPSTREAM_CLUSTER_RAW: 'outbound|80||legacy.default.svc.cluster.local',
      }),
    ],
    [
      'PassthroughCluster TCP session refused',
      istio({
        'REQ(:METHOD)': undefined,
        'REQ(X-ENVOY-ORIGINAL-PATH?:PATH)': undefined,
        PROTOCOL: undefined,
        RESPONSE_CODE: 0,
        RESPONSE_FLAGS: 'UF',
        RESPONSE_CODE_DETAILS: undefined,
        UPSTREAM_CLUSTER_RAW: 'PassthroughCluster',
      }),
    ],
    [
      'local inbound app (inbound|8080||) refused, plaintext client',
      istio({
        RESPONSE_CODE: 503,
        RESPONSE_FLAGS: 'UF',
        RESPONSE_CODE_DETAILS:
          'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}',
        UPSTREAM_TRANSPORT_FAILURE_REASON: 'delayed_connect_error:_111',
        UPSTREAM_CLUSTER_RAW: 'inbound|8080||',
      }),
    ],
  ];
  for (const [name, line] of lines) {
    it(`istio: ${name} is outcome non_tls_failure, no handshake series`, async () => {
      const h = harness(presetParser('istio'));
      h.pipeline.line(line);
      const text = await h.render();
      assert.equal(total(text, METRICS.handshakeFailures.name), 0);
      assert.equal(total(text, METRICS.handshakeSuccess.name), 0);
      assert.equal(total(text, METRICS.logLines.name, { outcome: 'non_tls_failure' }), 1, text);
    });
  }
});
