import { strict as assert } from 'node:assert';
import { reasonOf, reasonToken, tlsReasonOf } from '../../../src/domain/tls-error-reason.js';

describe('failure reason classification: every spelling Envoy has used', () => {
  const cases: ReadonlyArray<[string, string | undefined]> = [
    // modern form, underscores
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end',
      'cert_verify_failed',
    ],
    // modern form with a space inside (503 body style) and the validator detail
    [
      'TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify cert failed: verify SAN list:TLS_error_end',
      'san_mismatch',
    ],
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_SAN_matcher,_certificate_SANs_are_[a,_b]:TLS_error_end',
      'san_mismatch',
    ],
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_cert_hash_and_spki:TLS_error_end',
      'cert_pin_mismatch',
    ],
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_empty_cert_chain:TLS_error_end',
      'cert_verify_failed',
    ],
    [
      'TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify cert failed: X509_verify_cert: certificate verification error at depth 0: unable to get local issuer certificate:TLS_error_end',
      'unknown_ca',
    ],
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_depth_0:_certificate_has_expired:TLS_error_end',
      'cert_expired',
    ],
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_depth_0:_certificate_is_not_yet_valid:TLS_error_end',
      'cert_expired',
    ],
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_depth_1:_certificate_revoked:TLS_error_end',
      'cert_revoked',
    ],
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_depth_0:_self_signed_certificate:TLS_error_end',
      'unknown_ca',
    ],
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_depth_0:_self-signed_certificate:TLS_error_end',
      'unknown_ca',
    ],
    [
      'TLS_error:|268435648:SSL_routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE:peer_did_not_provide_required_client_certificate:TLS_error_end',
      'no_client_cert',
    ],
    [
      'TLS_error:|268436572:SSL_routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED:TLS_error_end',
      'no_client_cert',
    ],
    [
      'TLS_error:|268436526:SSL_routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION:TLS_error_end',
      'protocol_version',
    ],
    [
      'TLS_error:|268435696:SSL_routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL:TLS_error_end',
      'protocol_version',
    ],
    [
      'TLS_error:|268436504:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end',
      'unknown_ca',
    ],
    [
      'TLS_error:|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end',
      'not_tls',
    ],
    ['TLS_error:|268435612:SSL_routines:OPENSSL_internal:HTTP_REQUEST:TLS_error_end', 'not_tls'],
    [
      'TLS_error:|268435611:SSL_routines:OPENSSL_internal:HTTPS_PROXY_REQUEST:TLS_error_end',
      'not_tls',
    ],
    [
      'TLS_error:|268435563:SSL_routines:OPENSSL_internal:BAD_ECC_CERT:TLS_error_end',
      'bad_certificate',
    ],
    [
      'TLS_error:|268436498:SSL_routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE:TLS_error_end',
      'bad_certificate',
    ],
    [
      'TLS_error:|268436502:SSL_routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_UNKNOWN:TLS_error_end',
      'bad_certificate',
    ],
    [
      'TLS_error:|268436501:SSL_routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED:TLS_error_end',
      'cert_expired',
    ],
    [
      'TLS_error:|268436500:SSL_routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_REVOKED:TLS_error_end',
      'cert_revoked',
    ],
    [
      'TLS_error:|268436496:SSL_routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE:TLS_error_end',
      'handshake_failure_alert',
    ],
    [
      'TLS_error:|268436568:SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNRECOGNIZED_NAME:TLS_error_end',
      'sni_mismatch',
    ],
    [
      'TLS_error:|268435640:SSL_routines:OPENSSL_internal:NO_SHARED_CIPHER:TLS_error_end',
      'no_shared_cipher',
    ],
    [
      'TLS_error:|268435722:SSL_routines:OPENSSL_internal:NO_SHARED_GROUP:TLS_error_end',
      'no_shared_cipher',
    ],
    [
      'TLS_error:|268435709:SSL_routines:OPENSSL_internal:NO_COMMON_SIGNATURE_ALGORITHMS:TLS_error_end',
      'no_shared_cipher',
    ],
    [
      'TLS_error:|268435763:SSL_routines:OPENSSL_internal:NO_APPLICATION_PROTOCOL:TLS_error_end',
      'alpn_mismatch',
    ],
    [
      'TLS_error:|268436576:SSL_routines:OPENSSL_internal:TLSV1_ALERT_NO_APPLICATION_PROTOCOL:TLS_error_end',
      'alpn_mismatch',
    ],
    [
      'TLS_error:|268436507:SSL_routines:OPENSSL_internal:TLSV1_ALERT_DECRYPT_ERROR:TLS_error_end',
      'other_tls',
    ],
    // repeated end marker
    [
      'TLS_error:|268435648:SSL_routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE:TLS_error_end:TLS_error_end',
      'no_client_cert',
    ],
    // several errors in one field: the first matching rule wins (cert problem before generic alert)
    [
      'TLS_error:|268436496:SSL_routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE|268435648:SSL_routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE:TLS_error_end',
      'no_client_cert',
    ],
    // old form with spaces, no end marker
    [
      'TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED',
      'cert_verify_failed',
    ],
    ['TLS error: 268436504:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA', 'unknown_ca'],
    [
      'TLS_error:_268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED',
      'cert_verify_failed',
    ],
    // tls_inspector form
    [
      'TLS_error|error:1000009c:SSL_routines:OPENSSL_internal:HTTP_REQUEST:TLS_error_end',
      'not_tls',
    ],
    [
      'TLS_error|error:10000116:SSL_routines:OPENSSL_internal:SOMETHING_NEW:TLS_error_end',
      'other_tls',
    ],
    // SDS placeholder, both renderings
    ['TLS error: Secret is not supplied by SDS', 'secret_not_ready'],
    ['TLS_error:_Secret_is_not_supplied_by_SDS', 'secret_not_ready'],
    // timeouts and non-TLS transport failures
    ['connect_timeout._transport_socket_timeout_was_reached', 'handshake_timeout'],
    ['delayed_connect_error:_111', 'connect_failure'],
    ['delayed connect error: Connection refused', 'connect_failure'],
    ['immediate_connect_error:_Network_is_unreachable', 'connect_failure'],
    // nothing TLS-related at all
    ['remote_connection_failure', undefined],
    ['upstream_reset_before_response_started{connection_failure}', undefined],
    // CRL stands alone, not inside a word
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_unable_to_get_CRL:TLS_error_end',
      'cert_revoked',
    ],
    [
      'TLS_error:|268435581:x:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:crlf.example:TLS_error_end',
      'cert_verify_failed',
    ],
  ];
  for (const [text, expected] of cases) {
    it(`${text.slice(0, 110)} -> ${expected ?? 'none'}`, () => {
      assert.equal(reasonOf(text), expected);
    });
  }

  // texts in the same fields that are plain TCP: reasonOf (a known-TLS connection) names them,
  // tlsReasonOf (is this text TLS evidence?) does not
  const plain: ReadonlyArray<[string, string]> = [
    ['delayed_connect_error:_111', 'connect_failure'],
    ['delayed_connect_error:_Connection_refused', 'connect_failure'],
    ['immediate_connect_error:_Network_is_unreachable', 'connect_failure'],
    ['connect timeout', 'handshake_timeout'],
    [
      'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}',
      'connect_failure',
    ],
  ];
  for (const [text, known] of plain) {
    it(`${text.slice(0, 90)} is no TLS evidence (${known} on a known TLS connection)`, () => {
      assert.equal(tlsReasonOf(text), undefined);
      assert.equal(reasonOf(text), known);
    });
  }
  const evidence: ReadonlyArray<[string, string]> = [
    [
      'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end',
      'cert_verify_failed',
    ],
    ['TLS_error:_Secret_is_not_supplied_by_SDS', 'secret_not_ready'],
    ['268435703:SSL routines:OPENSSL_internal:SOMETHING_NEW', 'other_tls'],
    ['connect_timeout._transport_socket_timeout_was_reached', 'handshake_timeout'],
  ];
  for (const [text, reason] of evidence) {
    it(`${text.slice(0, 90)} is TLS evidence: ${reason}`, () => {
      assert.equal(tlsReasonOf(text), reason);
    });
  }

  it('extracts the BoringSSL token for debug logs', () => {
    assert.equal(
      reasonToken('TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED'),
      'CERTIFICATE_VERIFY_FAILED',
    );
    assert.equal(reasonToken('delayed_connect_error:_111'), undefined);
  });
});
