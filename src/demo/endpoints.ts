// The demo's local TLS endpoints on 127.0.0.1, each showing one state of the board: certificates
// expiring in 3, 20 and 90 days (mTLS enforced), one mTLS endpoint that accepts a client without a
// certificate, one stapling a revoked OCSP response. audit-gateway also writes an Envoy listener
// log of its real handshakes (tls-event-log.ts), so `drill` can be run against the demo.
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type TlsOptions } from 'node:tls';
import { ocspResponse } from './ocsp-response.js';
import { chain, issue, type Issued } from '../certs/mint.js';
import { logTlsEvents } from './tls-event-log.js';

export interface DemoEndpoint {
  readonly name: string;
  readonly port: number;
  readonly module: 'mtls' | 'stapling';
}

export interface DemoPki {
  readonly root: Issued;
  readonly client: Issued;
  /** the CA of the client certificates the mTLS endpoints trust (drill: expired certificates) */
  readonly clientCa: Issued;
}

export interface DemoEndpoints {
  readonly endpoints: readonly DemoEndpoint[];
  readonly pki: DemoPki;
  stop(): Promise<void>;
}

async function serve(options: TlsOptions, ocsp?: Buffer): Promise<Server> {
  const server = createServer(options, (socket) => {
    socket.on('error', () => undefined);
    socket.on('end', () => socket.end());
    socket.resume();
  });
  server.on('tlsClientError', () => undefined);
  if (ocsp) {
    server.on(
      'OCSPRequest',
      (_c: Buffer, _i: Buffer, cb: (err: Error | null, r?: Buffer) => void) => cb(null, ocsp),
    );
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server;
}

/** `edgeLog` receives audit-gateway's listener log lines. */
export async function startDemoEndpoints(
  edgeLog: (line: string) => void = () => undefined,
): Promise<DemoEndpoints> {
  const { root, intermediate } = await chain({
    names: ['localhost'],
    rootCn: 'Demo Root CA',
    intermediateCn: 'Demo Issuing CA',
  });
  const clientCa = await issue({ cn: 'Demo Log Shipper CA', ca: true, notAfterDays: 3650 });
  const client = await issue({
    cn: 'demo-filebeat',
    issuer: clientCa,
    client: true,
    notAfterDays: 180,
  });
  const leaf = (cn: string, days: number): Promise<Issued> =>
    issue({ cn, dns: ['localhost'], issuer: intermediate, notAfterDays: days });
  const tls = async (l: Issued): Promise<TlsOptions> => ({
    cert: `${l.pem}\n${intermediate.pem}`,
    key: await l.keyPem(),
  });
  const mtls = { ca: clientCa.pem, requestCert: true, rejectUnauthorized: true };

  const plan: Array<{ name: string; module: DemoEndpoint['module']; make: () => Promise<Server> }> =
    [
      {
        name: 'payments-api',
        module: 'mtls',
        make: async () => serve({ ...(await tls(await leaf('payments.demo', 3))), ...mtls }),
      },
      {
        name: 'audit-gateway',
        module: 'mtls',
        make: async () => {
          // the stand-in enforces mTLS itself after the handshake, as it logs (tls-event-log.ts)
          const server = await serve({
            ...(await tls(await leaf('audit-gw.demo', 20))),
            ...mtls,
            rejectUnauthorized: false,
          });
          logTlsEvents(server, edgeLog);
          return server;
        },
      },
      {
        name: 'elasticsearch',
        module: 'mtls',
        make: async () => serve({ ...(await tls(await leaf('es.demo', 90))), ...mtls }),
      },
      {
        name: 'chat-api',
        module: 'mtls',
        make: async () =>
          serve({
            ...(await tls(await leaf('chat.demo', 200))),
            ...mtls,
            rejectUnauthorized: false,
          }),
      },
      {
        name: 'orders',
        module: 'stapling',
        make: async () => {
          const l = await leaf('orders.demo', 200);
          return serve(await tls(l), await ocspResponse(l, intermediate, 'revoked'));
        },
      },
    ];
  const servers: Server[] = [];
  const endpoints: DemoEndpoint[] = [];
  for (const p of plan) {
    const server = await p.make();
    servers.push(server);
    endpoints.push({
      name: p.name,
      module: p.module,
      port: (server.address() as AddressInfo).port,
    });
  }
  return {
    endpoints,
    pki: { root, client, clientCa },
    stop: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
