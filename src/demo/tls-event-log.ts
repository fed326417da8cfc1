// Envoy's listener access log for a TLS server where no Envoy runs: one envoy_listener_json line
// per connection, written from the server's real TLS events (docs/envoy.md §3.1 has the format).
// The demo's drillable endpoint uses it, and the drill's tests stand it in for Envoy.
//
// What it writes: a completed handshake with its version and server name; a refused one with the
// failure text Envoy's %DOWNSTREAM_TRANSPORT_FAILURE_REASON% holds for it, `TLS_error:|<code>:
// SSL_routines:OPENSSL_internal:<REASON>:<detail>:TLS_error_end` with spaces as `_`. The reason
// tokens and codes are BoringSSL's (include/openssl/ssl.h: SSL_R_*, packed as ERR_LIB_SSL 16 << 24
// | reason); the detail of a refused client certificate is OpenSSL's verify text, as Envoy's
// validator appends it (`verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_
// depth_0:_<text>`).
//
// Limits of the stand-in, against Envoy: Node's TLS server judges a client certificate after the
// handshake, so a missing or refused one ends in a close, not in the alert BoringSSL sends inside
// the handshake; the server name of a refused ClientHello (plain text, an old version) is not
// known; Envoy's connection ids, addresses and durations are not written.
import type { Server, TLSSocket } from 'node:tls';
import { listenerJson, type Values } from './envoy-lines.js';
import { envoyTlsError, verifyFailedDetail, type BoringSslReason } from './envoy-tls-error.js';

/** What the stand-in logs for a connection Node's TLS server refused before the handshake ended. */
function clientErrorReason(code: string | undefined): BoringSslReason {
  switch (code) {
    case 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE':
      return 'PEER_DID_NOT_RETURN_A_CERTIFICATE';
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_NO_PROTOCOLS_AVAILABLE':
      return 'UNSUPPORTED_PROTOCOL';
    case 'ERR_SSL_HTTP_REQUEST':
      return 'HTTP_REQUEST';
    default:
      return 'WRONG_VERSION_NUMBER';
  }
}

/**
 * Logs every connection of `server`. With `clientCert: 'require'` (mutual TLS) the server must
 * ask for a client certificate without rejecting it itself (`requestCert: true,
 * rejectUnauthorized: false`): a missing or unverified one is refused here, after the handshake,
 * and logged as Envoy logs it. With `'none'` every completed handshake is a success. `render`
 * writes the line in another json_format (the Kubernetes kit's tests give it the format the kit
 * configures in Envoy).
 */
export function logTlsEvents(
  server: Server,
  write: (line: string) => void,
  clientCert: 'require' | 'none' = 'require',
  nowMs: () => number = Date.now,
  /** the line for a connection's values (operator -> value): the listener preset's by default */
  render: (values: Values) => string = listenerJson,
): void {
  let connection = 0;
  const log = (values: Record<string, string | number | undefined>): void => {
    write(
      render({
        START_TIME: new Date(nowMs()).toISOString(),
        CONNECTION_ID: ++connection,
        ...values,
      }),
    );
  };
  server.on('secureConnection', (socket: TLSSocket) => {
    const sni = socket.servername || undefined;
    if (clientCert === 'none' || socket.authorized) {
      log({
        REQUESTED_SERVER_NAME: sni,
        DOWNSTREAM_TLS_VERSION: socket.getProtocol() ?? undefined,
        // Envoy logs the cipher of every completed handshake (OpenSSL's name, as BoringSSL's)
        DOWNSTREAM_TLS_CIPHER: socket.getCipher().name,
      });
      return;
    }
    const peer = socket.getPeerCertificate();
    const failure =
      peer === null || Object.keys(peer).length === 0
        ? envoyTlsError('PEER_DID_NOT_RETURN_A_CERTIFICATE')
        : envoyTlsError(
            'CERTIFICATE_VERIFY_FAILED',
            verifyFailedDetail(String(socket.authorizationError ?? '')),
          );
    log({ REQUESTED_SERVER_NAME: sni, DOWNSTREAM_TRANSPORT_FAILURE_REASON: failure });
    socket.destroy();
  });
  server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
    // a client that went away during the handshake is not a TLS failure of this server
    if (err.code === 'ECONNRESET') return;
    log({
      REQUESTED_SERVER_NAME: socket.servername || undefined,
      DOWNSTREAM_TRANSPORT_FAILURE_REASON: envoyTlsError(clientErrorReason(err.code)),
    });
  });
}
