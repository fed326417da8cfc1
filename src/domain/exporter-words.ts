// The exporter's own closed lists: what became of a line, a file, a probe request, a positions
// file, a certificate file, an Envoy admin read, a gRPC stream. Label values of the
// tls_sli_exporter_* self-metrics, each series created at 0.

/**
 * What became of a line: `non_tls_failure` is a connection failure without TLS evidence (a refused
 * or timed-out TCP connect to a plaintext upstream): it is not a handshake and never in the SLI.
 * `other_direction`: only handshakes of a direction this log leaves to another (`directions:`).
 */
export const LINE_OUTCOMES = [
  'counted',
  'other_direction',
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
  // the exporter's own rotation (access_logs[].rotate): the rename, or Envoy's reopen, failed
  'rotate_failed',
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
  /** a keystore asking for more key-derivation iterations than the exporter spends */
  'pkcs12_iterations',
  /** a format or algorithm the exporter does not read (a PKCS#12 cipher such as RC4) */
  'unsupported',
] as const;
export type CertFileErrorReason = (typeof CERT_FILE_ERROR_REASONS)[number];

/** Why a read of an Envoy admin endpoint gave nothing. */
export const ENVOY_ADMIN_ERRORS = [
  'connect',
  'timeout',
  'http_status',
  'too_large',
  'parse',
] as const;
export type EnvoyAdminError = (typeof ENVOY_ADMIN_ERRORS)[number];

/** Why a gRPC access-log stream was refused or broken (its entries not counted). */
export const ALS_STREAM_PROBLEMS = ['max_streams', 'stream_error'] as const;
export type AlsStreamProblem = (typeof ALS_STREAM_PROBLEMS)[number];
