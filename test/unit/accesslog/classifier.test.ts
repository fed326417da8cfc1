import { strict as assert } from 'node:assert';
import {
  classify,
  hasFlag,
  PLAIN_FAILURE,
  type HandshakeOutcome,
} from '../../../src/accesslog/classify/classifier.js';
import { clusterMatcher } from '../../../src/accesslog/classify/tls-clusters.js';
import type { AccessLogRecord, KindSetting } from '../../../src/accesslog/record.js';

// Records as the parsers hand them over; the values are the ones Envoy and Istio write (docs/envoy.md
// §4; Envoy's failure texts in §4.3). Golden files (test/golden) pin the same rules on whole real lines.
type Case = {
  name: string;
  kind: KindSetting;
  record: AccessLogRecord;
  expected: HandshakeOutcome[];
  /** tls_clusters of the log */
  tlsClusters?: string[];
};

const NO_CERT =
  'TLS_error:|268435648:SSL_routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE:peer_did_not_provide_required_client_certificate:TLS_error_end';
const VERIFY_EXPIRED =
  'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_depth_0:_certificate_has_expired:TLS_error_end';

const cases: Case[] = [
  {
    name: 'listener: cipher and no failure reason is a success',
    kind: 'listener',
    record: {
      REQUESTED_SERVER_NAME: 'api.example.com',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
      RESPONSE_FLAGS: '-',
    },
    expected: [
      {
        direction: 'downstream',
        ok: true,
        serverName: 'api.example.com',
        tlsVersion: 'TLSv1.3',
        connectionId: undefined,
      },
    ],
  },
  {
    name: 'listener: a version without a cipher and with a failure reason is a failure (issue #44233)',
    kind: 'listener',
    record: { DOWNSTREAM_TLS_VERSION: 'TLSv1.3', DOWNSTREAM_TRANSPORT_FAILURE_REASON: NO_CERT },
    expected: [
      { direction: 'downstream', ok: false, serverName: undefined, reason: 'no_client_cert' },
    ],
  },
  {
    name: 'listener: NR + filter_chain_not_found without a server name is not a handshake',
    kind: 'listener',
    record: { RESPONSE_FLAGS: 'NR', RESPONSE_CODE_DETAILS: 'filter_chain_not_found' },
    expected: [],
  },
  {
    name: 'listener: NR + filter_chain_not_found with an SNI and no TLS text is sni_mismatch',
    kind: 'listener',
    record: {
      REQUESTED_SERVER_NAME: 'unknown.example',
      RESPONSE_FLAGS: 'NR',
      RESPONSE_CODE_DETAILS: 'filter_chain_not_found',
    },
    expected: [
      { direction: 'downstream', ok: false, serverName: 'unknown.example', reason: 'sni_mismatch' },
    ],
  },
  {
    name: 'listener: NR with the tls_inspector HTTP_REQUEST text is not_tls',
    kind: 'listener',
    record: {
      RESPONSE_FLAGS: 'NR',
      RESPONSE_CODE_DETAILS: 'filter_chain_not_found',
      DOWNSTREAM_TRANSPORT_FAILURE_REASON:
        'TLS_error|error:1000009c:SSL_routines:OPENSSL_internal:HTTP_REQUEST:TLS_error_end',
    },
    expected: [{ direction: 'downstream', ok: false, serverName: undefined, reason: 'not_tls' }],
  },
  {
    name: 'listener: transport socket timeout in termination details (spaces kept) is handshake_timeout',
    kind: 'listener',
    record: {
      REQUESTED_SERVER_NAME: 'a.svc',
      CONNECTION_TERMINATION_DETAILS: 'transport socket timeout was reached',
    },
    expected: [
      { direction: 'downstream', ok: false, serverName: 'a.svc', reason: 'handshake_timeout' },
    ],
  },
  {
    name: 'listener: SNI seen but neither cipher nor reason is aborted',
    kind: 'listener',
    record: { REQUESTED_SERVER_NAME: 'a.svc', RESPONSE_FLAGS: '-' },
    expected: [{ direction: 'downstream', ok: false, serverName: 'a.svc', reason: 'aborted' }],
  },
  {
    name: 'listener: plaintext connection (no TLS fields at all) is not a handshake',
    kind: 'listener',
    record: { RESPONSE_FLAGS: '-', CONNECTION_ID: '7' },
    expected: [],
  },
  {
    name: 'listener: an unknown non-TLS failure text is other_tls',
    kind: 'listener',
    record: { DOWNSTREAM_TRANSPORT_FAILURE_REASON: 'something_else' },
    expected: [{ direction: 'downstream', ok: false, serverName: undefined, reason: 'other_tls' }],
  },
  {
    name: 'http: downstream TLS fields give a downstream success keyed by connection id',
    kind: 'http',
    record: {
      REQUESTED_SERVER_NAME: 'api.example.com',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.2',
      CONNECTION_ID: '4711',
      RESPONSE_FLAGS: '-',
    },
    expected: [
      {
        direction: 'downstream',
        ok: true,
        serverName: 'api.example.com',
        tlsVersion: 'TLSv1.2',
        connectionId: '4711',
      },
    ],
  },
  {
    name: 'http: upstream TLS success keyed by upstream connection id, cluster as server name',
    kind: 'http',
    record: {
      UPSTREAM_TLS_VERSION: 'TLSv1.3',
      UPSTREAM_CLUSTER: 'orders_backend',
      UPSTREAM_CONNECTION_ID: '88',
      RESPONSE_FLAGS: '-',
    },
    expected: [
      {
        direction: 'upstream',
        ok: true,
        serverName: 'orders_backend',
        tlsVersion: 'TLSv1.3',
        connectionId: '88',
      },
    ],
  },
  {
    name: 'http: downstream success and upstream failure from one line (URX,UF + TLS reason)',
    kind: 'http',
    record: {
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      REQUESTED_SERVER_NAME: 'api.example.com',
      CONNECTION_ID: '5',
      RESPONSE_FLAGS: 'URX,UF',
      UPSTREAM_TRANSPORT_FAILURE_REASON: VERIFY_EXPIRED,
      UPSTREAM_CLUSTER_RAW: 'outbound|8443||orders',
    },
    expected: [
      {
        direction: 'downstream',
        ok: true,
        serverName: 'api.example.com',
        tlsVersion: 'TLSv1.3',
        connectionId: '5',
      },
      {
        direction: 'upstream',
        ok: false,
        serverName: 'outbound|8443||orders',
        reason: 'cert_expired',
      },
    ],
  },
  {
    name: 'http: UF with the reason only in response code details',
    kind: 'http',
    record: {
      RESPONSE_FLAGS: 'UF',
      RESPONSE_CODE_DETAILS:
        'upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end}',
    },
    expected: [{ direction: 'upstream', ok: false, serverName: undefined, reason: 'not_tls' }],
  },
  {
    // Envoy's default format: a 503 UF says a connect failed, not that TLS did
    name: 'http: UF with no TLS text is a plain failure, not a handshake',
    kind: 'http',
    record: { RESPONSE_FLAGS: 'UF' },
    expected: [PLAIN_FAILURE],
  },
  {
    // the app behind Istio restarted: the kernel refused the TCP connect (errno 111)
    name: 'http: UF with delayed_connect_error:_111 (connection refused) is a plain failure',
    kind: 'http',
    record: {
      RESPONSE_FLAGS: 'UF,URX',
      RESPONSE_CODE_DETAILS:
        'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}',
      UPSTREAM_TRANSPORT_FAILURE_REASON: 'delayed_connect_error:_111',
      UPSTREAM_CLUSTER_RAW: 'outbound|8000||httpbin.default.svc.cluster.local',
    },
    expected: [PLAIN_FAILURE],
  },
  {
    // a connect that timed out to a port-80 cluster: TCP, not a handshake
    name: 'http: UF with a connection timeout reset and no TLS text is a plain failure',
    kind: 'http',
    record: {
      RESPONSE_FLAGS: 'UF,URX',
      RESPONSE_CODE_DETAILS: 'upstream_reset_before_response_started{connection_timeout}',
      UPSTREAM_CLUSTER_RAW: 'outbound|80||legacy.default.svc.cluster.local',
    },
    expected: [PLAIN_FAILURE],
  },
  {
    // Istio's passthrough to an address outside the mesh: plaintext as far as Envoy knows
    name: 'auto: UF to PassthroughCluster (a TCP session) is a plain failure',
    kind: 'auto',
    record: {
      RESPONSE_FLAGS: 'UF',
      UPSTREAM_TRANSPORT_FAILURE_REASON: 'delayed_connect_error:_111',
      UPSTREAM_CLUSTER_RAW: 'PassthroughCluster',
    },
    expected: [PLAIN_FAILURE],
  },
  {
    // an inbound sidecar's local app cluster is always plaintext; the mTLS SNI on the same line
    // still proves the mesh handshake that carried the request
    name: 'auto: UF to the local app (inbound|8080||) counts the mesh handshake, not the refusal',
    kind: 'auto',
    record: {
      PROTOCOL: 'HTTP/1.1',
      RESPONSE_FLAGS: 'UF',
      RESPONSE_CODE_DETAILS:
        'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}',
      UPSTREAM_TRANSPORT_FAILURE_REASON: 'delayed_connect_error:_111',
      UPSTREAM_CLUSTER_RAW: 'inbound|8080||',
      REQUESTED_SERVER_NAME: 'outbound_.8000_._.httpbin.default.svc.cluster.local',
    },
    expected: [
      {
        direction: 'downstream',
        ok: true,
        serverName: 'outbound_.8000_._.httpbin.default.svc.cluster.local',
        tlsVersion: 'unknown',
        connectionId: undefined,
      },
      PLAIN_FAILURE,
    ],
  },
  {
    name: 'http: UF without TLS text to a cluster declared TLS is connect_failure',
    kind: 'http',
    tlsClusters: ['audit_splunk'],
    record: { RESPONSE_FLAGS: 'UF', UPSTREAM_CLUSTER: 'audit_splunk' },
    expected: [
      { direction: 'upstream', ok: false, serverName: 'audit_splunk', reason: 'connect_failure' },
    ],
  },
  {
    // Envoy's connect timeout runs until TLS is up: on a TLS cluster it covers a stalled handshake
    name: 'http: a connection timeout to a cluster declared TLS is handshake_timeout',
    kind: 'http',
    tlsClusters: ['outbound|443||**'],
    record: {
      RESPONSE_FLAGS: 'UF,URX',
      RESPONSE_CODE_DETAILS: 'upstream_reset_before_response_started{connection_timeout}',
      UPSTREAM_CLUSTER_RAW: 'outbound|443||es.logging.svc.cluster.local',
    },
    expected: [
      {
        direction: 'upstream',
        ok: false,
        serverName: 'outbound|443||es.logging.svc.cluster.local',
        reason: 'handshake_timeout',
      },
    ],
  },
  {
    name: 'http: an answer from a cluster declared TLS is an upstream success (version unknown)',
    kind: 'http',
    tlsClusters: ['audit_splunk'],
    record: {
      RESPONSE_FLAGS: '-',
      RESPONSE_CODE_DETAILS: 'via_upstream',
      UPSTREAM_CLUSTER: 'audit_splunk',
    },
    expected: [
      {
        direction: 'upstream',
        ok: true,
        serverName: 'audit_splunk',
        tlsVersion: 'unknown',
        connectionId: undefined,
      },
    ],
  },
  {
    // Istio's default format: a request with an SNI was served on a completed handshake
    name: 'auto: a request with only a server name is a downstream success, version unknown',
    kind: 'auto',
    record: {
      PROTOCOL: 'HTTP/2',
      RESPONSE_FLAGS: '-',
      RESPONSE_CODE_DETAILS: 'via_upstream',
      REQUESTED_SERVER_NAME: 'api.example.com',
    },
    expected: [
      {
        direction: 'downstream',
        ok: true,
        serverName: 'api.example.com',
        tlsVersion: 'unknown',
        connectionId: undefined,
      },
    ],
  },
  {
    // an Istio TCP session: an SNI but no cipher logged; passthrough looks the same
    name: 'auto: a TCP session with only a server name counts nothing',
    kind: 'auto',
    record: {
      RESPONSE_FLAGS: '-',
      REQUESTED_SERVER_NAME: 'outbound_.5432_._.pg.default.svc.cluster.local',
      UPSTREAM_CLUSTER_RAW: 'inbound|5432||',
    },
    expected: [],
  },
  {
    name: 'auto: a request with NR (route_not_found) is not a filter-chain miss',
    kind: 'auto',
    record: {
      PROTOCOL: 'HTTP/1.1',
      RESPONSE_FLAGS: 'NR',
      RESPONSE_CODE_DETAILS: 'route_not_found',
    },
    expected: [],
  },
  {
    // Istio and Envoy Gateway log no-match connections (NR) into the same stream
    name: 'auto: NR + filter_chain_not_found without a server name is not a handshake',
    kind: 'auto',
    record: { RESPONSE_FLAGS: 'NR', RESPONSE_CODE_DETAILS: 'filter_chain_not_found' },
    expected: [],
  },
  {
    name: 'auto: a connection record with a cipher counts once per connection id',
    kind: 'auto',
    record: {
      REQUESTED_SERVER_NAME: 'api.example.com',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
      CONNECTION_ID: 4711,
    },
    expected: [
      {
        direction: 'downstream',
        ok: true,
        serverName: 'api.example.com',
        tlsVersion: 'TLSv1.3',
        connectionId: 4711,
      },
    ],
  },
  {
    // a TCP session's upstream TLS failure in a mixed stream (Envoy Gateway TLSRoute backends)
    name: 'auto: a TCP session with an upstream TLS failure counts it',
    kind: 'auto',
    record: {
      RESPONSE_FLAGS: 'UF',
      UPSTREAM_TRANSPORT_FAILURE_REASON:
        'TLS_error:|268436504:SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end',
      UPSTREAM_CLUSTER: 'tlsroute/default/audit/rule/-1',
    },
    expected: [
      {
        direction: 'upstream',
        ok: false,
        serverName: 'tlsroute/default/audit/rule/-1',
        reason: 'unknown_ca',
      },
    ],
  },
  {
    name: 'http: URX alone (retries on 5xx) is not a handshake failure',
    kind: 'http',
    record: { RESPONSE_FLAGS: 'URX', RESPONSE_CODE_DETAILS: 'via_upstream' },
    expected: [],
  },
  {
    name: 'http: plaintext request with no TLS anywhere yields nothing',
    kind: 'http',
    record: { RESPONSE_FLAGS: '-', CONNECTION_ID: '9' },
    expected: [],
  },
  {
    name: 'http: connection id 0 means unknown, so no per-connection dedupe',
    kind: 'http',
    record: { DOWNSTREAM_TLS_VERSION: 'TLSv1.4', CONNECTION_ID: '0' },
    expected: [
      {
        direction: 'downstream',
        ok: true,
        serverName: undefined,
        tlsVersion: 'other',
        connectionId: undefined,
      },
    ],
  },
];

describe('classifier', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(classify(c.record, c.kind, clusterMatcher(c.tlsClusters ?? [])), c.expected);
    });
  }
});

describe('classifier: upstream reason from both fields', () => {
  it('the more specific of transport reason and details wins', () => {
    const outcomes = classify(
      {
        RESPONSE_FLAGS: 'URX,UF',
        UPSTREAM_TRANSPORT_FAILURE_REASON:
          'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end',
        RESPONSE_CODE_DETAILS:
          'upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_depth_0:_certificate_has_expired:TLS_error_end}',
      },
      'http',
    );
    assert.deepEqual(outcomes, [
      { direction: 'upstream', ok: false, serverName: undefined, reason: 'cert_expired' },
    ]);
  });
});

describe('response flags are a set of whole tokens', () => {
  const cases: ReadonlyArray<[string | undefined, string, boolean]> = [
    ['UF', 'UF', true],
    ['URX,UF', 'UF', true],
    ['UF,URX', 'URX', true],
    ['UFX', 'UF', false],
    ['DUF,UFF', 'UF', false],
    ['-', 'UF', false],
    [undefined, 'UF', false],
    ['NR', 'NR', true],
  ];
  for (const [flags, flag, expected] of cases) {
    it(`${String(flags)} ${expected ? 'has' : 'has not'} ${flag}`, () => {
      assert.equal(hasFlag(flags, flag), expected);
    });
  }
});
