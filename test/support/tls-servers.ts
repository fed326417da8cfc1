// Real servers on 127.0.0.1:0 for probe tests: TLS (optionally mTLS, per-SNI certificates,
// OCSP stapling), a TCP server that never answers, a plaintext HTTP server. Each is closed by
// the returned stop(), which also ends open connections.
import { createServer as createHttpServer } from 'node:http';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  TLSSocket,
  createSecureContext,
  createServer as createTlsServer,
  type Server as TlsServer,
  type SecureContext,
  type TlsOptions,
} from 'node:tls';
import type { Issued } from './pki.js';

export interface Running {
  readonly port: number;
  stop(): Promise<void>;
}

function track(server: NetServer): Running {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function listening(server: NetServer, host = '127.0.0.1'): Promise<Running> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return track(server);
}

export interface TlsServerOptions {
  /** the certificate chain to serve: leaf first */
  readonly chain: readonly Issued[];
  /** require a client certificate issued by this CA */
  readonly clientCa?: Issued;
  /** ask for a client certificate but accept a handshake without one */
  readonly requestOnly?: boolean;
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** the key-exchange groups the server accepts (OpenSSL names, `:`-separated) */
  readonly ecdhCurve?: string;
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** the TLS 1.2 cipher suites the server accepts (OpenSSL names) */
  readonly ciphers?: string;
  /** finite-field DH parameters for DHE suites (`auto`: OpenSSL picks them by the key's size) */
  readonly dhparam?: 'auto';
  /** SNI name -> chain; an unknown name is refused */
  readonly byName?: Readonly<Record<string, readonly Issued[]>>;
  /** DER of an OCSP response to staple */
  readonly ocsp?: () => Buffer | undefined;
  readonly host?: string;
}

/** The key and PEM chain a Node TLS server is given for `chain` (leaf first). */
export async function contextOf(chain: readonly Issued[]): Promise<{ cert: string; key: string }> {
  const [leaf] = chain;
  if (!leaf) throw new Error('empty chain');
  return { cert: chain.map((c) => c.pem).join('\n'), key: await leaf.keyPem() };
}

export async function tlsServer(
  options: TlsServerOptions,
): Promise<Running & { readonly server: TlsServer }> {
  const main = await contextOf(options.chain);
  const contexts = new Map<string, SecureContext>();
  for (const [name, chain] of Object.entries(options.byName ?? {}))
    contexts.set(name, createSecureContext(await contextOf(chain)));
  const tlsOptions: TlsOptions = {
    ...main,
    ...(options.clientCa
      ? { ca: options.clientCa.pem, requestCert: true, rejectUnauthorized: !options.requestOnly }
      : {}),
    ...(options.minVersion ? { minVersion: options.minVersion } : {}),
    ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    ...(options.ecdhCurve ? { ecdhCurve: options.ecdhCurve } : {}),
    ...(options.ciphers ? { ciphers: options.ciphers } : {}),
    ...(options.dhparam ? { dhparam: options.dhparam } : {}),
    ...(options.byName
      ? {
          SNICallback: (name: string, cb: (err: Error | null, ctx?: SecureContext) => void) => {
            const ctx = contexts.get(name);
            if (ctx) cb(null, ctx);
            else cb(new Error(`unknown server name ${name}`));
          },
        }
      : {}),
  };
  const server = createTlsServer(tlsOptions, (socket) => {
    socket.on('error', () => undefined);
    socket.end('hello\n');
  });
  server.on('tlsClientError', () => undefined);
  if (options.ocsp) {
    const ocsp = options.ocsp;
    server.on(
      'OCSPRequest',
      (_cert: Buffer, _issuer: Buffer, cb: (err: Error | null, resp?: Buffer) => void) =>
        cb(null, ocsp()),
    );
  }
  return { ...(await listening(server, options.host)), server };
}

/**
 * A TLS server for a chain made outside the demo PKI (PEM text, leaf first, e.g. by the openssl
 * CLI): it completes the handshake, says hello and closes, as tlsServer does.
 */
export async function pemTlsServer(certPem: string, keyPem: string): Promise<Running> {
  const server = createTlsServer({ cert: certPem, key: keyPem }, (socket) => {
    socket.on('error', () => undefined);
    socket.end('hello\n');
  });
  server.on('tlsClientError', () => undefined);
  return listening(server);
}

/** Accepts TCP connections and never says a word; `connected` resolves at the first one. */
export async function silentServer(): Promise<Running & { connected: Promise<void> }> {
  let arrived: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (arrived = resolve));
  return { ...(await listening(createNetServer(() => arrived()))), connected };
}

/** Completes the TLS handshake, then writes raw bytes that are no TLS record at all. */
export async function garbageAfterHandshakeServer(chain: readonly Issued[]): Promise<Running> {
  const secureContext = createSecureContext(await contextOf(chain));
  return listening(
    createNetServer((raw) => {
      raw.on('error', () => undefined);
      const tls = new TLSSocket(raw, { isServer: true, secureContext });
      tls.on('error', () => undefined);
      tls.on('secure', () => raw.write(randomBytes(64 * 1024)));
    }),
  );
}

/** A plaintext HTTP server on a port a prober expects TLS on. */
export async function plaintextServer(): Promise<Running> {
  return listening(createHttpServer((_req, res) => res.end('plain\n')));
}

/** A port that was just free: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const running = await listening(createNetServer());
  await running.stop();
  return running.port;
}
