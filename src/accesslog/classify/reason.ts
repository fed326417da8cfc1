// Maps an Envoy transport-failure text to the closed list of failure reasons (envoy-tls-logs.md
// §4.4). Pure. The text is normalised first (spaces to `_`, case folded) so every spelling Envoy
// has used matches: `TLS error: <code>:…` with spaces, `TLS_error:|…:TLS_error_end`,
// `TLS_error|error:…` from tls_inspector, several errors in one field, detail suffixes.
import type { HandshakeFailureReason } from '../../metrics/label-values.js';

/** Rows are evaluated top-down; the first whose any needle occurs wins. Needles are normalised. */
const RULES: ReadonlyArray<readonly [HandshakeFailureReason, readonly string[]]> = [
  ['handshake_timeout', ['transport_socket_timeout_was_reached', 'connect_timeout']],
  ['secret_not_ready', ['secret_is_not_supplied_by_sds']],
  [
    'not_tls',
    ['https_proxy_request', 'http_request', 'wrong_version_number', 'clienthellonotdetected'],
  ],
  [
    'no_client_cert',
    [
      'peer_did_not_return_a_certificate',
      'tlsv1_alert_certificate_required',
      'tlsv13_alert_certificate_required', // OpenSSL's spelling (node:tls errors)
      'sslv3_alert_no_certificate',
      'peer_did_not_provide_required_client_certificate',
    ],
  ],
  [
    'cert_expired',
    ['certificate_has_expired', 'certificate_is_not_yet_valid', 'sslv3_alert_certificate_expired'],
  ],
  ['cert_revoked', ['certificate_revoked', 'sslv3_alert_certificate_revoked', 'crl']],
  [
    'unknown_ca',
    [
      'unable_to_get_local_issuer_certificate',
      'unable_to_get_issuer_certificate',
      'self_signed',
      'self-signed',
      'tlsv1_alert_unknown_ca',
    ],
  ],
  ['san_mismatch', ['verify_san_list', 'san_matcher']],
  ['cert_pin_mismatch', ['cert_hash_and_spki', 'tlsv1_alert_bad_certificate_hash_value']],
  ['cert_verify_failed', ['certificate_verify_failed', 'empty_cert_chain']],
  [
    'bad_certificate',
    [
      'sslv3_alert_bad_certificate',
      'sslv3_alert_unsupported_certificate',
      'sslv3_alert_certificate_unknown',
      'bad_ecc_cert',
      'key_usage_bit_incorrect',
      'tlsv1_alert_access_denied',
    ],
  ],
  [
    'protocol_version',
    [
      'unsupported_protocol',
      'tlsv1_alert_protocol_version',
      'wrong_ssl_version',
      'no_supported_versions_enabled',
      'inappropriate_fallback',
    ],
  ],
  [
    'no_shared_cipher',
    [
      'no_shared_cipher',
      'no_shared_group',
      'no_common_signature_algorithms',
      'no_ciphers_available',
    ],
  ],
  ['handshake_failure_alert', ['sslv3_alert_handshake_failure']],
  ['alpn_mismatch', ['no_application_protocol']],
  ['sni_mismatch', ['tlsv1_alert_unrecognized_name', 'tlsv1_unrecognized_name']],
  ['connect_failure', ['delayed_connect_error', 'immediate_connect_error', 'connection_refused']],
  ['other_tls', ['tls_error']],
];

/** Lower case, every whitespace run to `_`: the form the needles are written in. */
export function normaliseReason(text: string): string {
  return text.trim().replace(/\s/g, '_').toLowerCase();
}

/** `crl` must not match inside other words (e.g. a hostname); it stands alone between separators. */
function containsNeedle(haystack: string, needle: string): boolean {
  if (needle !== 'crl') return haystack.includes(needle);
  return /(^|[^a-z])crl([^a-z]|$)/.test(haystack);
}

/**
 * The reason for a non-empty transport failure text, or undefined when the text names nothing
 * TLS-related (the caller decides what a non-TLS failure means in its context).
 */
export function reasonOf(text: string): HandshakeFailureReason | undefined {
  const normalised = normaliseReason(text);
  for (const [reason, needles] of RULES) {
    for (const needle of needles) if (containsNeedle(normalised, needle)) return reason;
  }
  return undefined;
}

/** The BoringSSL REASON token, for debug logs (never a label): `CERTIFICATE_VERIFY_FAILED`. */
export function reasonToken(text: string): string | undefined {
  return /OPENSSL_internal:([A-Z0-9_]+)/.exec(text.replace(/\s/g, '_'))?.[1];
}
