// Maps an Envoy transport-failure text to the closed list of failure reasons (docs/envoy.md §4).
// Pure. The text is normalised first (spaces to `_`, case folded) so every spelling Envoy has
// used matches: `TLS error: <code>:…` with spaces, `TLS_error:|…:TLS_error_end`,
// `TLS_error|error:…` from tls_inspector, several errors in one field, detail suffixes.
// Some texts in the same fields are not about TLS at all (`delayed connect error: 111` is a
// refused TCP connect): tlsReasonOf() answers only for texts that carry TLS evidence.
import type { HandshakeFailureReason } from './tls-words.js';

/** Rows of texts that say nothing about TLS: a TCP connect that failed or timed out. */
type PlainRule = 'connect_timeout' | 'plain_connect_failure';
type Rule = HandshakeFailureReason | PlainRule;

function isPlain(rule: Rule): rule is PlainRule {
  return rule === 'connect_timeout' || rule === 'plain_connect_failure';
}

/**
 * Rows are evaluated top-down; the first whose any needle occurs wins. Needles are normalised.
 * The two plain rows map to handshake_timeout / connect_failure for callers that know the
 * connection was TLS (a probe, a declared TLS cluster).
 */
const RULES: ReadonlyArray<readonly [Rule, readonly string[]]> = [
  // Envoy's downstream transport-socket timeout: only a handshaking transport (TLS) has one
  ['handshake_timeout', ['transport_socket_timeout_was_reached']],
  ['connect_timeout', ['connect_timeout']],
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
  [
    'plain_connect_failure',
    ['delayed_connect_error', 'immediate_connect_error', 'connection_refused'],
  ],
  // BoringSSL's error-queue form (`<code>:SSL routines:OPENSSL_internal:<REASON>`) and Envoy's
  // `TLS_error` envelope: TLS, whatever the token
  ['other_tls', ['tls_error', 'ssl_routines', 'openssl_internal']],
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

function ruleOf(text: string): Rule | undefined {
  const normalised = normaliseReason(text);
  for (const [reason, needles] of RULES) {
    for (const needle of needles) if (containsNeedle(normalised, needle)) return reason;
  }
  return undefined;
}

/**
 * The reason for a failure text of a connection known to be TLS (a probe's error, Envoy's
 * downstream transport failure, a declared TLS cluster): a connect timeout there is a
 * handshake timeout, a refused connect a connect failure. Undefined when the text names nothing.
 */
export function reasonOf(text: string): HandshakeFailureReason | undefined {
  const rule = ruleOf(text);
  if (rule === 'connect_timeout') return 'handshake_timeout';
  if (rule === 'plain_connect_failure') return 'connect_failure';
  return rule;
}

/**
 * The reason only when the text itself is TLS evidence (a TLS error, an alert, a verify
 * failure, the SDS placeholder); undefined for texts about plain TCP connects and for nothing.
 */
export function tlsReasonOf(text: string): HandshakeFailureReason | undefined {
  const rule = ruleOf(text);
  return rule === undefined || isPlain(rule) ? undefined : rule;
}

/** The BoringSSL REASON token, for debug logs (never a label): `CERTIFICATE_VERIFY_FAILED`. */
export function reasonToken(text: string): string | undefined {
  return /OPENSSL_internal:([A-Z0-9_]+)/.exec(text.replace(/\s/g, '_'))?.[1];
}
