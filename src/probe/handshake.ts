// One TLS handshake against one address, with its own deadline: connect, handshake, read what
// the server presented (chain, version, cipher, stapled OCSP), and on TLS 1.3 wait for the
// server's verdict on our client certificate, which arrives after the handshake completes (an
// alert or a quiet close if refused; session tickets if accepted). Never resumes a session: a
// full handshake every time. The handshake completes whatever OpenSSL thinks of the server's
// chain (so a certificate is read even when it would not verify); OpenSSL's verdict on it, computed
// against the context's trust anchors, comes back with the result. Never throws.
import type { X509Certificate } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import {
  connect as tlsConnect,
  type ConnectionOptions,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { performance } from 'node:perf_hooks';
import { reasonOf } from '../domain/tls-error-reason.js';
import {
  PROBE_FAILURE_REASONS,
  type HandshakeFailureReason,
  type ProbeFailureReason,
  type RefusedBy,
} from '../domain/tls-words.js';
import type { OpenSslVerifyError } from '../certs/inspect/openssl-verdict.js';
import { PresentedChains } from './presented-chains.js';
import { leafOfSession } from './session-leaf.js';
import { firstOnly } from '../common/async.js';

export interface HandshakeRequest {
  readonly address: string;
  readonly port: number;
  /** SNI; absent for IP targets */
  readonly servername: string | undefined;
  readonly context: SecureContext;
  /** whether `context` holds a client certificate (decides how a refusal is named) */
  readonly offersClientCert: boolean;
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
  readonly requestOcsp: boolean;
  readonly timeoutMs: number;
  /** longest wait after a TLS 1.3 handshake for the server's verdict on the client */
  readonly verdictWaitMs: number;
}

export interface HandshakeResult {
  readonly ok: boolean;
  readonly reason?: ProbeFailureReason;
  readonly refusedBy?: RefusedBy;
  readonly detail?: string;
  /**
   * OpenSSL's verdict on the server's chain against the context's trust anchors: null when it
   * verified, absent when no certificate arrived (or the verdict could not be read)
   */
  readonly verifyError?: OpenSslVerifyError | null;
  /** DER, leaf first: present whenever the server sent it, also when it then refused us */
  readonly chain: readonly Buffer[];
  /** the same chain, parsed */
  readonly certificates: readonly X509Certificate[];
  readonly protocol?: string;
  readonly cipher?: string;
  /** the negotiated key-exchange group (`X25519`, `P-256`, `ffdhe2048`, …), as keyExchangeGroup names it */
  readonly group?: string;
  readonly ocsp?: Buffer;
  readonly connectSeconds?: number;
  readonly handshakeSeconds?: number;
}

const REFUSAL_ALERTS: ReadonlySet<ProbeFailureReason> = new Set([
  'handshake_failure_alert',
  'bad_certificate',
  'no_client_cert',
]);

const PROBE_REASONS: ReadonlySet<string> = new Set(PROBE_FAILURE_REASONS);

/** OpenSSL's curve names as TLS calls the groups (RFC 8446 §4.2.7). */
const GROUP_NAMES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/**
 * The key-exchange group of a handshake from Node's ephemeral key info: an ECDHE group by its TLS
 * name (OpenSSL's curve names mapped), finite-field DHE as `ffdhe<bits>`; undefined when the
 * cipher suite has no ephemeral key exchange (TLS 1.2 RSA key transport) or Node cannot say.
 */
export function keyExchangeGroup(info: object | null | undefined): string | undefined {
  const { type, name, size } = (info ?? {}) as { type?: string; name?: string; size?: number };
  if (type === 'ECDH' && name) return GROUP_NAMES[name] ?? name;
  if (type === 'DH' && size) return `ffdhe${size}`;
  return undefined;
}

/** The probe's name for a reason read from an error text (log-only reasons are other_tls). */
function probeReason(reason: HandshakeFailureReason | undefined): ProbeFailureReason {
  if (reason === 'handshake_timeout') return 'timeout';
  if (reason === 'connect_failure') return 'refused';
  return reason !== undefined && PROBE_REASONS.has(reason)
    ? (reason as ProbeFailureReason)
    : 'other_tls';
}

const NETWORK_CODES: Readonly<Record<string, ProbeFailureReason>> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NODATA: 'dns',
  EAI_FAIL: 'dns',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'timeout',
  ENETUNREACH: 'timeout',
};

export interface Refusal {
  readonly reason: ProbeFailureReason;
  readonly refusedBy: RefusedBy;
}

/**
 * What an error of a connect or handshake means, and who ended it: the network (no TLS
 * conversation), the server (a reset, or an alert it sent: OpenSSL's texts for a received alert
 * say "alert"), or the probe's own TLS stack (anything else it refused).
 */
export function errorReason(
  err: NodeJS.ErrnoException,
  offersClientCert: boolean,
  certificateReceived = false,
): Refusal {
  const network = err.code === undefined ? undefined : NETWORK_CODES[err.code];
  if (network) return { reason: network, refusedBy: 'network' };
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE')
    return { reason: 'aborted', refusedBy: 'server' };
  const text = `${err.code ?? ''} ${err.message}`;
  const refusedBy: RefusedBy = /alert/i.test(err.message) ? 'server' : 'probe';
  const reason = probeReason(reasonOf(text));
  // A server that sent its certificate speaks TLS: bytes it garbles after that are a broken TLS
  // stream, not a plaintext service on a TLS port.
  if (reason === 'not_tls' && certificateReceived) return { reason: 'other_tls', refusedBy };
  // Refused for lack of a certificate we never offered: say so.
  if (!offersClientCert && REFUSAL_ALERTS.has(reason))
    return { reason: 'no_client_cert', refusedBy: 'server' };
  return { reason, refusedBy };
}

/**
 * OpenSSL's error-queue line as words: `802C…:error:0A000410:SSL routines:ssl3_read_bytes:sslv3
 * alert handshake failure:../deps/openssl/…/rec_layer_s3.c:1601:SSL alert number 40` becomes
 * `sslv3 alert handshake failure (SSL alert number 40)`; other text is kept.
 */
export function opensslText(message: string): string {
  const m = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):[^:]*:\d+:(.*)$/.exec(message.trim());
  if (!m?.[1]) return message;
  const extra = (m[2] ?? '').trim();
  return extra ? `${m[1]} (${extra})` : m[1];
}

/** OpenSSL's verdict on the peer's chain, read from the socket's handle (null: it verified). */
function verdictOf(tls: TLSSocket): OpenSslVerifyError | null | undefined {
  // `authorizationError` is public but only the code (UNSPECIFIED for many errors) and only after
  // a completed handshake; the handle's verifyError() has OpenSSL's text and also answers after
  // a handshake the server refused (TLS 1.2: the chain was verified before our certificate went).
  const handle = (
    tls as unknown as { _handle?: { verifyError?: () => (Error & { code?: string }) | null } }
  )._handle;
  if (typeof handle?.verifyError !== 'function') return undefined;
  const error = handle.verifyError();
  return error === null ? null : { code: error.code ?? 'UNSPECIFIED', message: error.message };
}

const skippedPeerCertificate = (() => ({})) as TLSSocket['getPeerCertificate'];

/** Certificates of a presented chain that are read: real chains have 2 to 4; a server that
 * sends a hundred does not get a hundred series. */
export const MAX_PRESENTED_CERTIFICATES = 16;

const presentedChains = new PresentedChains();

/** OpenSSL's verdict as one string, to tell whether it changed. */
const verdictKey = (verdict: OpenSslVerifyError | null | undefined): string =>
  verdict === undefined ? '?' : verdict === null ? 'ok' : `${verdict.code} ${verdict.message}`;

/**
 * The presented chain, leaf first, after a completed handshake: the one kept for this target when
 * the session's leaf and OpenSSL's verdict say it still stands (presented-chains.ts), else read
 * from the socket. Only after 'secureConnect': Node's getSession() serialises the session, which
 * crashes the process (i2d_SSL_SESSION) before a cipher is agreed.
 */
function presentedChain(
  tls: TLSSocket,
  request: HandshakeRequest,
  verdict: OpenSslVerifyError | null | undefined,
): X509Certificate[] {
  const leaf = leafOfSession(tls.getSession());
  const key = verdictKey(verdict);
  const kept = leaf && presentedChains.get(request, leaf, key);
  if (kept) return [...kept];
  const chain = peerChain(tls);
  if (leaf && chain[0]?.raw.equals(leaf)) presentedChains.set(request, key, chain);
  return chain;
}

/** The presented chain, leaf first, as X509Certificate objects (cheaper than getPeerCertificate). */
function peerChain(tls: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let cert: X509Certificate | undefined = tls.getPeerX509Certificate();
  while (cert && !seen.has(cert.fingerprint256) && chain.length < MAX_PRESENTED_CERTIFICATES) {
    seen.add(cert.fingerprint256);
    chain.push(cert);
    cert = cert.issuerCertificate;
  }
  return chain;
}

export function handshake(request: HandshakeRequest): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const start = performance.now();
    const socket: Socket = netConnect({ host: request.address, port: request.port });
    let tls: TLSSocket | undefined;
    let connectSeconds: number | undefined;
    let handshakeSeconds: number | undefined;
    let certificates: X509Certificate[] = [];
    let protocol: string | undefined;
    let cipher: string | undefined;
    let group: string | undefined;
    let ocsp: Buffer | undefined;
    let verifyError: OpenSslVerifyError | null | undefined;
    let verdictTimer: NodeJS.Timeout | undefined;

    const finish = firstOnly(
      (outcome: { ok: true } | ({ ok: false; detail: string } & Refusal)): void => {
        clearTimeout(deadline);
        if (verdictTimer) clearTimeout(verdictTimer);
        tls?.destroy();
        socket.destroy();
        resolve({
          ...outcome,
          chain: certificates.map((c) => c.raw),
          certificates,
          ...(protocol === undefined ? {} : { protocol }),
          ...(cipher === undefined ? {} : { cipher }),
          ...(group === undefined ? {} : { group }),
          ...(ocsp === undefined ? {} : { ocsp }),
          ...(verifyError === undefined ? {} : { verifyError }),
          ...(connectSeconds === undefined ? {} : { connectSeconds }),
          ...(handshakeSeconds === undefined ? {} : { handshakeSeconds }),
        });
      },
    );
    const fail = (err: NodeJS.ErrnoException): void => {
      // TLS 1.2 sends the server's certificate before the handshake fails: keep it
      if (certificates.length === 0 && tls) {
        try {
          // read whole: the session is not written before a cipher is agreed (OpenSSL crashes)
          certificates = peerChain(tls);
          if (certificates.length > 0) verifyError = verdictOf(tls);
        } catch {
          // no certificate received
        }
      }
      finish({
        ok: false,
        ...errorReason(err, request.offersClientCert, certificates.length > 0),
        detail: opensslText(err.message),
      });
    };
    const deadline = setTimeout(() => {
      finish({
        ok: false,
        reason: 'timeout',
        refusedBy: connectSeconds === undefined ? 'network' : 'server',
        detail: `no ${connectSeconds === undefined ? 'connection' : 'handshake'} within ${Math.round(request.timeoutMs)} ms`,
      });
    }, request.timeoutMs);

    // `on`, not `once`: a second error (garbage after a failure) must find a listener
    socket.on('error', fail);
    socket.once('connect', () => {
      connectSeconds = (performance.now() - start) / 1000;
      const handshakeStart = performance.now();
      // requestOCSP is honoured by Node but missing from @types/node 20
      const options: ConnectionOptions & { requestOCSP: boolean } = {
        socket,
        ...(request.servername === undefined ? {} : { servername: request.servername }),
        secureContext: request.context,
        rejectUnauthorized: false,
        // the name is checked afterwards (hostnameMatches); Node's check would also build the
        // whole chain as objects a second time
        checkServerIdentity: () => undefined,
        requestOCSP: request.requestOcsp,
        minVersion: request.minVersion,
      };
      tls = tlsConnect(options);
      // Node builds the whole peer chain as plain objects for checkServerIdentity after OpenSSL
      // verified it (measured: about 40 % of a probe's CPU); ours ignores it, and the chain is
      // read once as X509Certificate objects (peerChain)
      tls.getPeerCertificate = skippedPeerCertificate;
      tls.once('OCSPResponse', (response: Buffer) => {
        ocsp = response;
      });
      tls.on('error', fail);
      // TLS 1.3: the server judges our certificate after its Finished; session tickets or
      // application data mean it accepted us (they can arrive before 'secureConnect' fires).
      let accepted = false;
      const accept = (): void => {
        accepted = true;
        if (handshakeSeconds !== undefined) finish({ ok: true });
      };
      tls.once('session', accept);
      tls.once('data', accept);
      tls.once('close', () => {
        if (handshakeSeconds !== undefined && accepted) {
          finish({ ok: true });
        } else if (handshakeSeconds === undefined) {
          finish({
            ok: false,
            reason: 'aborted',
            refusedBy: 'server',
            detail: 'the server closed the connection during the handshake',
          });
        } else {
          finish({
            ok: false,
            reason: request.offersClientCert ? 'handshake_failure_alert' : 'no_client_cert',
            refusedBy: 'server',
            detail:
              'the server closed the connection right after the handshake (TLS 1.3 client refused)',
          });
        }
      });
      tls.once('secureConnect', () => {
        const t = tls as TLSSocket;
        handshakeSeconds = (performance.now() - handshakeStart) / 1000;
        verifyError = verdictOf(t);
        certificates = presentedChain(t, request, verifyError);
        protocol = t.getProtocol() ?? undefined;
        cipher = t.getCipher().name;
        group = keyExchangeGroup(t.getEphemeralKeyInfo());
        if (protocol !== 'TLSv1.3' || accepted) {
          finish({ ok: true });
          return;
        }
        // no verdict yet: an alert or a bare close means refused, tickets or data accepted
        t.resume();
        verdictTimer = setTimeout(() => finish({ ok: true }), request.verdictWaitMs);
      });
    });
  });
}
