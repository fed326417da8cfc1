// Writes a simulated Envoy listener log: steady successful handshakes for a few server names,
// occasional failures, and every so often a burst of one failure class (each class in turn), so
// the board shows every reason within minutes.
import { appendFile } from 'node:fs/promises';
import { listenerJson } from './envoy-lines.js';
import { envoyTlsError, verifyFailedDetail, type BoringSslReason } from './envoy-tls-error.js';

const SERVER_NAMES = ['audit-gw.demo', 'chat.demo', 'es.demo', 'payments.demo'];

/**
 * Handshake times in ms (%DOWNSTREAM_HANDSHAKE_DURATION%): most are quick, one in twenty waits
 * on something (an HSM, an OCSP fetch on the server); payments.demo is slow throughout.
 */
function handshakeMs(sni: string): number {
  const base = sni === 'payments.demo' ? 40 : 2;
  const slow = Math.random() < 0.05 ? 150 + Math.random() * 300 : 0;
  return Math.round(base * (1 + Math.random()) + slow);
}

/**
 * The key-exchange group a client negotiates (%DOWNSTREAM_TLS_GROUP%, Envoy 1.39): browsers and
 * current clients the hybrid post-quantum group, a share of older ones X25519; es.demo's clients
 * (an old Java shipper) never post-quantum, so the board shows a name at 0 %.
 */
function groupOf(sni: string): string {
  if (sni === 'es.demo') return Math.random() < 0.8 ? 'X25519' : 'P-256';
  return Math.random() < 0.85 ? 'X25519MLKEM768' : 'X25519';
}

/** JA4 fingerprints of the clients that fail (%TLS_JA4_FINGERPRINT%), one per client kind. */
const FAILING_CLIENTS = [
  't13d1312h1_f57a46bbacb6_ab7e3b40a677',
  't13d1516h2_8daaf6152771_02713d6af862',
  't12d5909h1_0e96cd8bf8f7_4e42bbb9b1b6',
];

/** A failure text as Envoy writes it, with BoringSSL's own code for the reason. */
const tls = (reason: BoringSslReason, detail?: string): Record<string, string> => ({
  DOWNSTREAM_TRANSPORT_FAILURE_REASON: envoyTlsError(reason, detail),
});

/** One example line per failure reason the classifier knows (every class, for the board). */
export const FAILURE_SAMPLES: ReadonlyArray<{ values: Record<string, string> }> = [
  // the detail current Envoy adds when no client certificate came (ssl_socket.cc)
  {
    values: tls(
      'PEER_DID_NOT_RETURN_A_CERTIFICATE',
      'peer did not provide required client certificate',
    ),
  },
  { values: tls('TLSV1_ALERT_UNKNOWN_CA') },
  {
    values: tls('CERTIFICATE_VERIFY_FAILED', verifyFailedDetail('CERT_HAS_EXPIRED')),
  },
  {
    values: tls('CERTIFICATE_VERIFY_FAILED', verifyFailedDetail('CERT_REVOKED')),
  },
  { values: tls('CERTIFICATE_VERIFY_FAILED', 'verify cert failed: verify SAN list') },
  { values: tls('CERTIFICATE_VERIFY_FAILED', 'verify cert failed: cert hash and spki') },
  { values: tls('CERTIFICATE_VERIFY_FAILED') },
  { values: tls('SSLV3_ALERT_BAD_CERTIFICATE') },
  { values: tls('TLSV1_ALERT_PROTOCOL_VERSION') },
  { values: tls('NO_SHARED_CIPHER') },
  { values: tls('SSLV3_ALERT_HANDSHAKE_FAILURE') },
  { values: tls('NO_APPLICATION_PROTOCOL') },
  { values: tls('WRONG_VERSION_NUMBER') },
  { values: tls('TLSV1_ALERT_DECRYPT_ERROR') },
  { values: { DOWNSTREAM_TRANSPORT_FAILURE_REASON: 'TLS_error:_Secret_is_not_supplied_by_SDS' } },
  { values: { DOWNSTREAM_TRANSPORT_FAILURE_REASON: 'delayed_connect_error:_Connection_refused' } },
  { values: { CONNECTION_TERMINATION_DETAILS: 'transport socket timeout was reached' } },
  { values: { RESPONSE_FLAGS: 'NR', RESPONSE_CODE_DETAILS: 'filter_chain_not_found' } },
  { values: {} }, // SNI seen, no cipher, no reason: the client left mid-handshake
];

export interface LogSimulator {
  stop(): Promise<void>;
}

/** Appends a batch every `intervalMs`; a burst of one failure class every `burstEvery` batches. */
export function simulateListenerLog(
  path: string,
  options: { intervalMs?: number; burstEvery?: number } = {},
): LogSimulator {
  const intervalMs = options.intervalMs ?? 500;
  const burstEvery = options.burstEvery ?? 6;
  let tick = 0;
  let connection = 1000;
  let writing: Promise<void> = Promise.resolve();
  const line = (sni: string, extra: Record<string, string | number>): string =>
    listenerJson({
      START_TIME: new Date().toISOString(),
      CONNECTION_ID: ++connection,
      FILTER_CHAIN_NAME: 'tls_mtls',
      REQUESTED_SERVER_NAME: sni,
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      ...extra,
    });
  const timer = setInterval(() => {
    tick += 1;
    const lines: string[] = [];
    for (const sni of SERVER_NAMES) {
      for (let i = 0; i < 5; i++)
        lines.push(
          line(sni, {
            DOWNSTREAM_TLS_CIPHER: 'TLS_AES_256_GCM_SHA384',
            DOWNSTREAM_HANDSHAKE_DURATION: handshakeMs(sni),
            DOWNSTREAM_TLS_GROUP: groupOf(sni),
          }),
        );
    }
    if (tick % 7 === 0)
      lines.push(
        line(SERVER_NAMES[tick % SERVER_NAMES.length] ?? 'none', FAILURE_SAMPLES[0]?.values ?? {}),
      );
    if (tick % burstEvery === 1) {
      const sample = FAILURE_SAMPLES[Math.floor(tick / burstEvery) % FAILURE_SAMPLES.length];
      const client = FAILING_CLIENTS[Math.floor(tick / burstEvery) % FAILING_CLIENTS.length];
      for (let i = 0; i < 15; i++)
        lines.push(
          line('chat.demo', {
            ...sample?.values,
            ...(client === undefined ? {} : { TLS_JA4_FINGERPRINT: client }),
          }),
        );
    }
    writing = writing.then(() => appendFile(path, `${lines.join('\n')}\n`)).catch(() => undefined);
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await writing;
    },
  };
}
