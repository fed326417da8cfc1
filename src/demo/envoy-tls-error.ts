// The failure text Envoy writes into %DOWNSTREAM_TRANSPORT_FAILURE_REASON% for a TLS error:
// `TLS_error:|<code>:SSL_routines:OPENSSL_internal:<REASON>[:<detail>]:TLS_error_end`, spaces as `_`.
// The code is BoringSSL's packed error, ERR_LIB_SSL (16) << 24 | SSL_R_<REASON>, so each reason has
// its own (268435581 is CERTIFICATE_VERIFY_FAILED's, 268436504 TLSV1_ALERT_UNKNOWN_CA's, as Envoy's
// own example logs show them). A failed verification carries the validator's detail with
// OpenSSL's verify text (verifyFailedDetail). The demo's simulated log and the drill's stand-in
// both write these texts; the classifier reads the reason token.

/** BoringSSL's reason codes (include/openssl/ssl.h, SSL_R_*) for the failures the demo writes. */
const BORINGSSL_REASONS = {
  CERTIFICATE_VERIFY_FAILED: 125,
  HTTP_REQUEST: 156,
  NO_SHARED_CIPHER: 184,
  PEER_DID_NOT_RETURN_A_CERTIFICATE: 192,
  UNSUPPORTED_PROTOCOL: 240,
  WRONG_VERSION_NUMBER: 247,
  NO_APPLICATION_PROTOCOL: 307,
  SSLV3_ALERT_HANDSHAKE_FAILURE: 1040,
  SSLV3_ALERT_BAD_CERTIFICATE: 1042,
  TLSV1_ALERT_UNKNOWN_CA: 1048,
  TLSV1_ALERT_DECRYPT_ERROR: 1051,
  TLSV1_ALERT_PROTOCOL_VERSION: 1070,
} as const;

export type BoringSslReason = keyof typeof BORINGSSL_REASONS;

const ERR_LIB_SSL = 16;

/** BoringSSL's packed error code of a reason, as Envoy prints it. */
export function boringSslCode(reason: BoringSslReason): number {
  return ERR_LIB_SSL * 2 ** 24 + BORINGSSL_REASONS[reason];
}

/** Envoy's failure text for a BoringSSL reason, with an optional detail (spaces become `_`). */
export function envoyTlsError(reason: BoringSslReason, detail?: string): string {
  const text = `TLS_error:|${boringSslCode(reason)}:SSL routines:OPENSSL_internal:${reason}${detail === undefined ? '' : `:${detail}`}:TLS_error_end`;
  return text.replace(/ /g, '_');
}

/** OpenSSL's verify error texts (x509_txt.c) for the codes Node reports as authorizationError. */
const VERIFY_TEXTS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  CERT_REVOKED: 'certificate revoked',
};

/**
 * The detail Envoy's certificate validator appends to CERTIFICATE_VERIFY_FAILED for an OpenSSL
 * verify error (its code as Node names it, e.g. CERT_HAS_EXPIRED), at the leaf.
 */
export function verifyFailedDetail(code: string): string {
  const text = VERIFY_TEXTS[code] ?? code.toLowerCase().replace(/_/g, ' ');
  return `verify cert failed: X509_verify_cert: certificate verification error at depth 0: ${text}`;
}
