import { strict as assert } from 'node:assert';
import {
  classify,
  hasFlag,
  type HandshakeOutcome,
} from '../../../src/accesslog/classify/classifier.js';
import type { AccessLogRecord, LogKind } from '../../../src/accesslog/record.js';

type Case = { name: string; kind: LogKind; record: AccessLogRecord; expected: HandshakeOutcome[] };

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
    name: 'listener: NR + filter_chain_not_found without TLS text is sni_mismatch',
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
    name: 'http: UF with no TLS text is connect_failure (default format)',
    kind: 'http',
    record: { RESPONSE_FLAGS: 'UF' },
    expected: [
      { direction: 'upstream', ok: false, serverName: undefined, reason: 'connect_failure' },
    ],
  },
  {
    name: 'http: UF with a connection timeout reset is handshake_timeout',
    kind: 'http',
    record: {
      RESPONSE_FLAGS: 'UF,URX',
      RESPONSE_CODE_DETAILS: 'upstream_reset_before_response_started{connection_timeout}',
    },
    expected: [
      { direction: 'upstream', ok: false, serverName: undefined, reason: 'handshake_timeout' },
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
      assert.deepEqual(classify(c.record, c.kind), c.expected);
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
