// Closed lists of label values. Every series of a counter keyed by these is created at 0, so a
// ratio or an alert evaluates before the first event; nothing outside these lists is ever emitted.

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

export const PROBE_FAILURE_REASONS = [
  ...HANDSHAKE_FAILURE_REASONS,
  'timeout',
  'refused',
  'dns',
] as const;
export type ProbeFailureReason = (typeof PROBE_FAILURE_REASONS)[number];

export const CERT_SOURCES = ['probe', 'file', 'client_cert'] as const;
export type CertSource = (typeof CERT_SOURCES)[number];

export const CERT_POSITIONS = ['leaf', 'intermediate', 'root'] as const;
export type CertPosition = (typeof CERT_POSITIONS)[number];

/**
 * What became of a line: `non_tls_failure` is a connection failure without TLS evidence (a refused
 * or timed-out TCP connect to a plaintext upstream): it is not a handshake and never in the SLI.
 */
export const LINE_OUTCOMES = [
  'counted',
  'not_tls',
  'non_tls_failure',
  'malformed',
  'oversize',
  'empty',
] as const;
export type LineOutcome = (typeof LINE_OUTCOMES)[number];

export const ROTATION_KINDS = ['rename', 'truncate', 'recreate', 'symlink'] as const;
export type RotationKind = (typeof ROTATION_KINDS)[number];

export const FOLLOW_ERROR_REASONS = [
  'permission_denied',
  'not_a_file',
  'read_error',
  'watch_error',
  'glob_error',
] as const;
export type FollowErrorReason = (typeof FOLLOW_ERROR_REASONS)[number];

export const PROBE_DENIED_REASONS = [
  'missing_target',
  'missing_module',
  'unknown_module',
  'bad_target',
  'target_not_allowed',
  'rate_limited',
  'too_many_concurrent',
] as const;
export type ProbeDeniedReason = (typeof PROBE_DENIED_REASONS)[number];

export const POSITIONS_PROBLEMS = ['read', 'corrupt', 'write'] as const;
export type PositionsProblemKind = (typeof POSITIONS_PROBLEMS)[number];

export const CERT_FILE_ERROR_REASONS = [
  'unreadable',
  'too_large',
  'scan_capped',
  'corrupt',
  'no_certificate',
  'pkcs12_password',
] as const;
export type CertFileErrorReason = (typeof CERT_FILE_ERROR_REASONS)[number];
