// Every probe failure reason: who can end a probe with it, what causes it, what to do. The one
// table behind the failure counter's pre-created series, docs/metrics.md and the runbook's pointer.
import type { ProbeFailureReason, RefusedBy } from './tls-words.js';

export interface ReasonDoc {
  /** who can end a probe with this reason (each pair is a series created at 0) */
  readonly refusedBy: readonly RefusedBy[];
  readonly cause: string;
  readonly action: string;
}

const CLIENT_CERT_ACTION =
  'when refused_by="server": the server refused the module\'s client certificate (renew it, or issue it from a CA the server trusts); when "probe": fix the server\'s certificate';

export const PROBE_REASON_DOCS: Readonly<Record<ProbeFailureReason, ReasonDoc>> = {
  dns: {
    refusedBy: ['network'],
    cause: 'the target name does not resolve',
    action: 'check the name and DNS from the exporter (`getent hosts NAME`)',
  },
  refused: {
    refusedBy: ['network'],
    cause: 'the TCP connect was refused: nothing listens on the port',
    action: 'is the service up, is the port right',
  },
  timeout: {
    refusedBy: ['network', 'server'],
    cause:
      'no answer within the module timeout: no TCP connection (network), or a connection whose handshake the server never answered (server)',
    action: 'firewall, overloaded server, or a plaintext service waiting for its client to speak',
  },
  not_tls: {
    refusedBy: ['probe'],
    cause: 'the server answered with bytes that are no TLS record (a plaintext service)',
    action: 'the port serves plaintext: wrong port, or TLS is off on the listener',
  },
  aborted: {
    refusedBy: ['server'],
    cause: 'the server reset or closed the connection during the handshake',
    action:
      'the server log says why (often a client certificate it refuses without an alert, or an SNI it does not serve)',
  },
  no_client_cert: {
    refusedBy: ['server'],
    cause: 'the server requires a client certificate and the probe sent none',
    action: 'give the module client_cert_file and client_key_file',
  },
  bad_certificate: {
    refusedBy: ['server'],
    cause:
      "the server refused the probe's client certificate (alert bad_certificate, unsupported_certificate, certificate_unknown or access_denied)",
    action:
      'check the client certificate against the server: its CA, extendedKeyUsage clientAuth, its key',
  },
  handshake_failure_alert: {
    refusedBy: ['server'],
    cause:
      'the server ended the handshake with a generic handshake_failure alert (or, TLS 1.3, closed right after it: its verdict on the client certificate)',
    action: 'the server log names the cause; often the client certificate or the cipher policy',
  },
  protocol_version: {
    refusedBy: ['server', 'probe'],
    cause:
      'no common TLS version: the server refused the version offered (server), or offered one below the module min_version (probe)',
    action: 'align the server with min_version (TLS 1.2 or 1.3)',
  },
  no_shared_cipher: {
    refusedBy: ['server', 'probe'],
    cause: 'no common cipher suite, group or signature algorithm',
    action: 'compare the server cipher policy with the security_level of the module',
  },
  sni_mismatch: {
    refusedBy: ['server'],
    cause: 'the server does not serve the requested name (alert unrecognized_name)',
    action: 'set server_name to a name the server serves',
  },
  cert_expired: {
    refusedBy: ['probe', 'server'],
    cause:
      "a certificate of the server's chain is expired or not yet valid (probe), or the server refused the probe's expired client certificate (server)",
    action: 'renew the certificate named in the detail (tls-sli-exporter probe shows it)',
  },
  cert_revoked: {
    refusedBy: ['probe', 'server'],
    cause:
      "a certificate of the verified path is revoked per its stapled OCSP response, its OCSP responder or its CRL (probe), or the server says the probe's client certificate is revoked (server)",
    action: 'replace the certificate with one newly issued',
  },
  unknown_ca: {
    refusedBy: ['probe', 'server'],
    cause:
      "the server's chain does not lead to the module's trust anchors: unknown CA, missing intermediate, self-signed (probe); or the server does not trust the CA of the probe's client certificate (server)",
    action: CLIENT_CERT_ACTION,
  },
  cert_invalid_ca: {
    refusedBy: ['probe'],
    cause:
      'a certificate that signed another one is not a CA (basicConstraints CA:FALSE, or keyUsage without keyCertSign)',
    action: 'issue the chain from a real CA certificate; a leaf cannot sign other certificates',
  },
  cert_path_length: {
    refusedBy: ['probe'],
    cause: "the chain is longer than a CA's pathLenConstraint allows",
    action: 'shorten the chain or reissue the CA with a larger pathLenConstraint',
  },
  cert_purpose: {
    refusedBy: ['probe'],
    cause:
      'a certificate of the chain is not for TLS servers (extendedKeyUsage without serverAuth: often a client certificate deployed on the server)',
    action: 'reissue the server certificate with extendedKeyUsage serverAuth',
  },
  cert_weak_key: {
    refusedBy: ['probe'],
    cause: 'a key of the chain is below the module security_level (level 2: RSA below 2048 bits)',
    action: 'reissue with a stronger key, or lower security_level on purpose (documented)',
  },
  cert_weak_signature: {
    refusedBy: ['probe'],
    cause: 'a certificate of the chain is signed with SHA-1 or MD5',
    action: 'reissue it with a SHA-256 signature',
  },
  cert_verify_failed: {
    refusedBy: ['probe', 'server'],
    cause:
      "the chain does not verify for another reason (a bad signature, an unhandled critical extension, a name constraint); the detail has OpenSSL's words",
    action: 'openssl s_client -connect HOST:PORT -verify_return_error shows the same error',
  },
  san_mismatch: {
    refusedBy: ['probe'],
    cause:
      'the leaf certificate is not valid for the server name (no matching DNS or IP SAN; the CN counts only with hostname_cn_fallback)',
    action: 'reissue with the name in subjectAltName, or probe the name the certificate is for',
  },
  client_auth_not_enforced: {
    refusedBy: ['probe'],
    cause: 'expect_client_auth is set and a handshake without a client certificate was accepted',
    action: 'the server does not enforce mutual TLS: require client certificates on the listener',
  },
  ocsp_missing: {
    refusedBy: ['probe'],
    cause: 'ocsp: require, and the server stapled no OCSP response',
    action: 'the server stopped stapling: check its OCSP fetch (responder reachable from it)',
  },
  ocsp_invalid: {
    refusedBy: ['probe'],
    cause:
      'ocsp: require, and the stapled response is unusable: about another certificate, not signed by the issuer, past nextUpdate, or status unknown',
    action: 'the detail says which; the server staples a stale or foreign response',
  },
  revocation_unavailable: {
    refusedBy: ['probe'],
    cause:
      'revocation.ocsp or revocation.crl is require, and a certificate of the path has no verified "good" by that method: the responder or CRL could not be fetched, its answer is unusable (signature, stale), or it does not know the certificate',
    action:
      'tls_cert_revocation_status and tls_revocation_fetch_failures_total say which certificate and URL; the runbook has "revocation data unavailable"',
  },
  key_exchange_not_allowed: {
    refusedBy: ['probe'],
    cause:
      'key_exchange_groups is set and the server chose another group (tls_probe_key_exchange_info says which), or RSA key transport (`none`)',
    action:
      "enable the wanted group on the server (Envoy: ecdh_curves of its tls_params; X25519MLKEM768 needs a BoringSSL or OpenSSL 3.5 build), or widen the module's list",
  },
  other_tls: {
    refusedBy: ['probe', 'server'],
    cause: 'any other TLS error; the detail has the text',
    action: 'tls-sli-exporter probe shows the text; openssl s_client shows the same handshake',
  },
};
