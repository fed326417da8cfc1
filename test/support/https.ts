// A GET over HTTPS to the exporter on 127.0.0.1, with the CA to trust and, when given, a client
// certificate and basic-auth credentials. Resolves with what came back; rejects when the
// connection is refused or cut (a client the server does not admit).
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Issued } from './pki.js';

export interface HttpsReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** serial of the certificate the server presented */
  readonly serial: string;
}

export function httpsGet(
  port: number,
  path: string,
  options: { ca: string; cert?: Issued; key?: string; auth?: string; method?: string },
): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        servername: 'localhost',
        ca: options.ca,
        ...(options.cert ? { cert: options.cert.pem, key: options.key } : {}),
        ...(options.auth ? { auth: options.auth } : {}),
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            serial: (res.socket as TLSSocket).getPeerCertificate().serialNumber,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
