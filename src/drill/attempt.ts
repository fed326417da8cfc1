// One attempt of a fault against the endpoint, and what the server answered: an alert (which),
// a close, or acceptance (the connection stayed open after the handshake: the server took what
// it should have refused). A TLS 1.3 server judges the client certificate after the handshake,
// so a completed handshake is only "accepted" once the server has kept it open for `verdictMs`.
// Never throws.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { firstOnly } from '../common/async.js';

export const ANSWERS = [
  'alert',
  'closed',
  'accepted',
  'timeout',
  'unreachable',
  'not_offered',
] as const;
export type AnswerKind = (typeof ANSWERS)[number];

export interface Answer {
  readonly kind: AnswerKind;
  /** the alert's name, or what happened, in a few words */
  readonly detail: string;
}

export interface AttemptTarget {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  /** how long a completed handshake must stay open to count as accepted */
  readonly verdictMs: number;
}

/** `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED` -> `certificate required` */
function alertOf(code: string | undefined): string | undefined {
  const m = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(.+)$/.exec(code ?? '');
  return m?.[1]?.toLowerCase().replace(/_/g, ' ');
}

/**
 * The one answer of an attempt on `socket`: the first `done` wins, the socket is destroyed, and
 * without an answer by the deadline it is a timeout.
 */
function answerOnce(
  socket: Socket,
  timeoutMs: number,
  resolve: (answer: Answer) => void,
): (answer: Answer) => void {
  const done = firstOnly((answer: Answer): void => {
    clearTimeout(deadline);
    socket.destroy();
    resolve(answer);
  });
  const deadline = setTimeout(
    () => done({ kind: 'timeout', detail: `no answer within ${timeoutMs} ms` }),
    timeoutMs,
  );
  return done;
}

/** A TLS handshake with these options (SNI, client certificate, versions), judged as above. */
export function tlsAttempt(target: AttemptTarget, options: ConnectionOptions): Promise<Answer> {
  return new Promise((resolve) => {
    let connected = false;
    let handshaken = false;
    const socket = tlsConnect({
      host: target.host,
      port: target.port,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      ...options,
    });
    const done = answerOnce(socket, target.timeoutMs, resolve);
    socket.once('connect', () => (connected = true));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const alert = alertOf(err.code);
      if (alert !== undefined) done({ kind: 'alert', detail: alert });
      else if (!connected) done({ kind: 'unreachable', detail: err.code ?? err.message });
      else if (/NO_PROTOCOLS_AVAILABLE|UNSUPPORTED_PROTOCOL/.test(err.code ?? ''))
        done({ kind: 'not_offered', detail: `this platform cannot offer it (${err.code})` });
      else
        done({
          kind: 'closed',
          detail: handshaken ? 'closed after the handshake' : `closed (${err.code ?? err.message})`,
        });
    });
    socket.once('close', () =>
      done({
        kind: 'closed',
        detail: handshaken ? 'closed after the handshake' : 'closed during the handshake',
      }),
    );
    socket.once('secureConnect', () => {
      handshaken = true;
      socket.resume();
      setTimeout(
        () =>
          done({ kind: 'accepted', detail: `handshake ${socket.getProtocol() ?? ''} completed` }),
        target.verdictMs,
      ).unref();
    });
  });
}

/** Plain bytes (an HTTP request) where a ClientHello is expected. */
export function plaintextAttempt(target: AttemptTarget, hostHeader: string): Promise<Answer> {
  return new Promise((resolve) => {
    let connected = false;
    const socket = netConnect({ host: target.host, port: target.port });
    const done = answerOnce(socket, target.timeoutMs, resolve);
    socket.once('connect', () => {
      connected = true;
      socket.write(`GET / HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
    });
    socket.once('data', (data: Buffer) => {
      // a TLS record of type alert (21), or an HTTP answer: the endpoint speaks plain text
      if (data[0] === 21) done({ kind: 'alert', detail: 'a TLS alert record' });
      else if (data.subarray(0, 5).toString('latin1') === 'HTTP/')
        done({ kind: 'accepted', detail: 'answered in plain HTTP' });
      else done({ kind: 'closed', detail: 'answered with bytes that are not TLS' });
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      done(
        connected
          ? { kind: 'closed', detail: `closed (${err.code ?? err.message})` }
          : { kind: 'unreachable', detail: err.code ?? err.message },
      ),
    );
    socket.once('close', () => done({ kind: 'closed', detail: 'closed without an answer' }));
  });
}
