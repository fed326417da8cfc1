// The listening socket: timeouts that stop a slow client from holding connections, a clear error
// when the address is taken, and a graceful close that lets in-flight requests finish.
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { SecureContextOptions, TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { formatListenAddress, type ListenAddress } from '../config/listen-address.js';
import { ExporterError } from '../errors.js';

export interface ServerLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeaderSize: number;
  readonly connectionsCheckingIntervalMs: number;
}

export const SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderSize: 16 * 1024,
  /** how often Node checks the header and request timeouts (its default is 30 s) */
  connectionsCheckingIntervalMs: 1_000,
};

/** Serve HTTPS: the certificate and key, whether to ask for client certificates, and who may in. */
export interface ServerTls {
  readonly context: SecureContextOptions;
  readonly requestCert: boolean;
  /** decides after the handshake; a refused connection is closed before any HTTP */
  readonly admits: (socket: TLSSocket) => boolean;
  /** the server, for swapping its certificate later */
  readonly attach: (server: HttpsServer) => void;
}

export interface HttpServer {
  readonly server: Server | HttpsServer;
  readonly address: AddressInfo;
  /** Stop accepting, let in-flight requests finish, then cut what is left after `graceMs`. */
  close(graceMs: number): Promise<void>;
}

export async function listen(
  handler: RequestListener,
  at: ListenAddress,
  limits: ServerLimits = SERVER_LIMITS,
  tls?: ServerTls,
): Promise<HttpServer> {
  const options = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxHeaderSize: limits.maxHeaderSize,
    connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
  };
  let server: Server | HttpsServer;
  if (tls === undefined) server = createServer(options, handler);
  else {
    const https = createHttpsServer(
      {
        ...options,
        ...tls.context,
        requestCert: tls.requestCert,
        // the client-certificate policy is applied after the handshake (admits), so it can
        // change on reload and so "verify if given" can be told apart from "require"
        rejectUnauthorized: false,
        handshakeTimeout: limits.headersTimeoutMs,
      },
      handler,
    );
    https.on('secureConnection', (socket: TLSSocket) => {
      if (!tls.admits(socket)) socket.destroy();
    });
    // a failed handshake is the client's problem: never an unhandled error
    https.on('tlsClientError', () => undefined);
    tls.attach(https);
    server = https;
  }
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'address already in use'
          : err.code === 'EADDRNOTAVAIL'
            ? 'address not available on this host'
            : err.code === 'EACCES'
              ? 'permission denied'
              : err.message;
      reject(
        new ExporterError('LISTEN_FAILED', `cannot listen on ${formatListenAddress(at)}: ${why}`, {
          cause: err,
        }),
      );
    };
    server.once('error', onError);
    server.listen({ host: at.host, port: at.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    server,
    address,
    close(graceMs) {
      return new Promise<void>((resolve) => {
        // A keep-alive connection goes idle once its in-flight response is sent; sweep idle
        // connections until the server is closed so shutdown does not wait for keep-alive.
        const sweep = setInterval(() => server.closeIdleConnections(), 25);
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
