// OpenSSL's verdict on a server's chain (what node:tls computed during the handshake against the
// module's trust anchors, purpose "TLS server", at the module's security level) as a probe
// failure reason. Pure. OpenSSL is the authority on whether a chain verifies; this only names it.
//
// Node gives a code (`CERT_HAS_EXPIRED`) for the errors it knows and `UNSPECIFIED` for the rest,
// with OpenSSL's text (X509_verify_cert_error_string) as the message, so both are matched. The
// texts are OpenSSL 3.0's (libcrypto's x509_txt.c); 1.1's spellings are listed where they differ.
import type { ProbeFailureReason } from '../../domain/tls-words.js';

export interface OpenSslVerifyError {
  /** Node's code: CERT_HAS_EXPIRED, INVALID_PURPOSE, ... or UNSPECIFIED */
  readonly code: string;
  /** OpenSSL's text: "unsuitable certificate purpose" */
  readonly message: string;
}

const BY_CODE: Readonly<Record<string, ProbeFailureReason>> = {
  CERT_HAS_EXPIRED: 'cert_expired',
  CERT_NOT_YET_VALID: 'cert_expired',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'cert_expired',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'cert_expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'unknown_ca',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown_ca',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown_ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown_ca',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown_ca',
  CERT_UNTRUSTED: 'unknown_ca',
  CERT_REJECTED: 'unknown_ca',
  CERT_REVOKED: 'cert_revoked',
  INVALID_CA: 'cert_invalid_ca',
  PATH_LENGTH_EXCEEDED: 'cert_path_length',
  INVALID_PURPOSE: 'cert_purpose',
  HOSTNAME_MISMATCH: 'san_mismatch',
};

/** Texts (lower case) for the codes Node reports as UNSPECIFIED, and every other one. */
const BY_TEXT: ReadonlyArray<readonly [ProbeFailureReason, readonly string[]]> = [
  [
    'cert_expired',
    [
      'certificate has expired',
      'certificate is not yet valid',
      "format error in certificate's notbefore field",
      "format error in certificate's notafter field",
    ],
  ],
  [
    'unknown_ca',
    [
      'self-signed certificate', // also "... in certificate chain"
      'self signed certificate', // OpenSSL 1.1
      'unable to get local issuer certificate',
      'unable to get issuer certificate',
      'unable to verify the first certificate',
      'certificate not trusted',
      'certificate rejected',
    ],
  ],
  ['cert_revoked', ['certificate revoked']],
  [
    'cert_invalid_ca',
    [
      'invalid ca certificate',
      'key usage does not include certificate signing',
      'invalid non-ca certificate',
      'path length invalid for non-ca cert',
      'key usage keycertsign invalid for non-ca cert',
      'path length given without key usage keycertsign',
      'ca cert does not include key usage extension',
    ],
  ],
  ['cert_path_length', ['path length constraint exceeded']],
  ['cert_purpose', ['unsuitable certificate purpose', 'unsupported certificate purpose']],
  ['cert_weak_key', ['ee certificate key too weak', 'ca certificate key too weak']],
  ['cert_weak_signature', ['ca signature digest algorithm too weak']],
  ['san_mismatch', ['hostname mismatch', 'ip address mismatch']],
];

export function opensslReason(error: OpenSslVerifyError): ProbeFailureReason {
  const known = BY_CODE[error.code];
  if (known) return known;
  const text = error.message.toLowerCase();
  for (const [reason, needles] of BY_TEXT) if (needles.some((n) => text.includes(n))) return reason;
  return 'cert_verify_failed';
}
