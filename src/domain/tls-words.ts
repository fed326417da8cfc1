// The TLS vocabulary: the closed lists the log classifier, the prober, the revocation checker and
// the Envoy admin reader speak in, and metrics publish as label values. Every series of a counter
// keyed by these is created at 0, so a ratio or an alert evaluates before the first event; nothing
// outside these lists is ever emitted. Imports nothing: every layer may use it.

export const DIRECTIONS = ['downstream', 'upstream'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Failure reasons shared by log classification and probes (probe-only ones at the end). */
export const HANDSHAKE_FAILURE_REASONS = [
  'handshake_timeout',
  'secret_not_ready',
  'not_tls',
  'no_client_cert',
  'cert_expired',
  'cert_revoked',
  'unknown_ca',
  'san_mismatch',
  'cert_pin_mismatch',
  'cert_verify_failed',
  'bad_certificate',
  'protocol_version',
  'no_shared_cipher',
  'handshake_failure_alert',
  'alpn_mismatch',
  'sni_mismatch',
  'connect_failure',
  'other_tls',
  'aborted',
] as const;
export type HandshakeFailureReason = (typeof HANDSHAKE_FAILURE_REASONS)[number];

/**
 * What a probe found wrong: the first problem of the last probe. A closed list of its own (log
 * reasons a probe cannot meet, like secret_not_ready, are not in it); what causes each value and
 * who ends the handshake with it are in src/domain/probe-failure-reasons.ts and docs/metrics.md.
 */
export const PROBE_FAILURE_REASONS = [
  // no TLS conversation
  'dns',
  'refused',
  'timeout',
  // the server refused or broke off the handshake
  'not_tls',
  'aborted',
  'no_client_cert',
  'bad_certificate',
  'handshake_failure_alert',
  'protocol_version',
  'no_shared_cipher',
  'sni_mismatch',
  // verdicts on a certificate (the probe's on the server's chain, or the server's on ours)
  'cert_expired',
  'cert_revoked',
  'unknown_ca',
  'cert_invalid_ca',
  'cert_path_length',
  'cert_purpose',
  'cert_weak_key',
  'cert_weak_signature',
  'cert_verify_failed',
  'san_mismatch',
  // checks after the handshake
  'client_auth_not_enforced',
  'ocsp_missing',
  'ocsp_invalid',
  'revocation_unavailable',
  'key_exchange_not_allowed',
  'other_tls',
] as const;
export type ProbeFailureReason = (typeof PROBE_FAILURE_REASONS)[number];

/**
 * Who ended a failed probe: `probe` (its TLS stack or its checks refused what the server sent),
 * `server` (an alert, a reset or a close from the server), `network` (no TLS conversation: DNS,
 * a refused or unanswered TCP connect).
 */
export const REFUSED_BY = ['probe', 'server', 'network'] as const;
export type RefusedBy = (typeof REFUSED_BY)[number];

/** `serving`: the exporter's own HTTPS certificate (web config), name `web` */
export const CERT_SOURCES = ['probe', 'file', 'client_cert', 'serving'] as const;
export type CertSource = (typeof CERT_SOURCES)[number];

/**
 * Where a certificate sits. A probe whose chain verifies places the path it verified: the leaf,
 * the intermediates, the trust anchor (`root`, or `intermediate` for an anchor that is not
 * self-issued); what the server sent beyond that path is `extra` (an expired cross-signature of
 * its root, a stale intermediate left in the bundle): no client needs it, no expiry page selects it.
 */
export const CERT_POSITIONS = ['leaf', 'intermediate', 'root', 'extra'] as const;
export type CertPosition = (typeof CERT_POSITIONS)[number];

export const REVOCATION_METHODS = ['ocsp', 'crl'] as const;
export type RevocationMethod = (typeof REVOCATION_METHODS)[number];

/**
 * A certificate's revocation status by one method: `good` and `revoked` are verified answers;
 * `unknown`: the responder does not know the certificate, or nothing names where to ask;
 * `unavailable`: no usable answer (fetch failed, bad signature, stale): never `revoked`.
 */
export const REVOCATION_STATUSES = ['good', 'revoked', 'unknown', 'unavailable'] as const;
export type RevocationStatus = (typeof REVOCATION_STATUSES)[number];

/** RFC 5280 CRLReason, as label values (code 7 is unassigned). */
export const REVOCATION_REASONS = [
  'unspecified',
  'key_compromise',
  'ca_compromise',
  'affiliation_changed',
  'superseded',
  'cessation_of_operation',
  'certificate_hold',
  'remove_from_crl',
  'privilege_withdrawn',
  'aa_compromise',
] as const;

/** Why revocation data could not be had or used. */
export const REVOCATION_FAILURES = [
  'not_allowed',
  'rate_limited',
  'dns',
  'connect',
  'timeout',
  'redirect',
  'http_status',
  'too_large',
  'responder_error',
  'bad_response',
  'wrong_certificate',
  'bad_signature',
  'nonce_mismatch',
  'stale',
] as const;
export type RevocationFailure = (typeof REVOCATION_FAILURES)[number];

/**
 * What Envoy's own TLS counters say of a handshake (docs/envoy.md §9): `success` is
 * `ssl.handshake`; `connection_error` and the `fail_verify_*` are its failures, which Envoy counts
 * apart (connection_error excludes failed certificate verifications); `timeout` is the listener's
 * `downstream_cx_transport_socket_connect_timeout`.
 */
export const ENVOY_HANDSHAKE_OUTCOMES = [
  'success',
  'connection_error',
  'fail_verify_no_cert',
  'fail_verify_error',
  'fail_verify_san',
  'fail_verify_cert_hash',
  'timeout',
] as const;
export type EnvoyHandshakeOutcome = (typeof ENVOY_HANDSHAKE_OUTCOMES)[number];

/**
 * Key-exchange groups as BoringSSL names them (`SSL_get_group_name`, ssl/ssl_key_share.cc), which
 * is what Envoy's %DOWNSTREAM_TLS_GROUP% and %UPSTREAM_TLS_GROUP% print (Envoy 1.39 on).
 * X25519Kyber768Draft00 left BoringSSL in August 2026, after Envoy 1.39 shipped with it; P-224
 * left in 2025. A name outside the list is `other`, and counted as a fold.
 */
export const KEY_EXCHANGE_GROUPS = [
  'X25519',
  'P-256',
  'P-384',
  'P-521',
  'X25519MLKEM768',
  'X25519Kyber768Draft00',
  'MLKEM1024',
] as const;
export type KeyExchangeGroup = (typeof KEY_EXCHANGE_GROUPS)[number];
export type KeyExchangeGroupLabel = KeyExchangeGroup | 'other';
export const KEY_EXCHANGE_GROUP_LABELS: readonly KeyExchangeGroupLabel[] = [
  ...KEY_EXCHANGE_GROUPS,
  'other',
];

/** The groups whose secret holds against a quantum computer: hybrid ML-KEM (or Kyber) and ML-KEM alone. */
export const POST_QUANTUM_GROUPS: readonly KeyExchangeGroup[] = [
  'X25519MLKEM768',
  'X25519Kyber768Draft00',
  'MLKEM1024',
];

/** TLS client fingerprints Envoy's tls_inspector computes: JA4 preferred, JA3 when only it is logged. */
export const FINGERPRINT_KINDS = ['ja4', 'ja3', 'none'] as const;
export type FingerprintKind = (typeof FINGERPRINT_KINDS)[number];
