// A plain HTTP server on 127.0.0.1:0 that serves CRLs (or anything) by path, as a CA's CRL
// distribution point does: ETag and Last-Modified, 304 for a conditional GET that matches.
// Tests swap what a path serves, make a path slow, fail or redirect, and count the requests.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Served {
  body?: Buffer;
  status?: number;
  /** hold the answer this long */
  delayMs?: number;
  /** answer 302 to this location */
  redirect?: string;
  /** send no validators (no ETag, no Last-Modified) */
  noValidators?: boolean;
}

export class CrlServer {
  readonly paths = new Map<string, Served>();
  /** requests per path, and how many were answered 304 */
  readonly requests = new Map<string, number>();
  notModified = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<CrlServer> {
    const holder: { self?: CrlServer } = {};
    const server = createServer((req, res) => holder.self?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new CrlServer(server, (server.address() as AddressInfo).port);
    return holder.self;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  count(path: string): number {
    return this.requests.get(path) ?? 0;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    this.requests.set(path, this.count(path) + 1);
    const served = this.paths.get(path);
    const answer = (): void => {
      if (!served) {
        res.writeHead(404).end();
        return;
      }
      if (served.redirect !== undefined) {
        res.writeHead(302, { location: served.redirect }).end();
        return;
      }
      if (served.status !== undefined && served.status !== 200) {
        res.writeHead(served.status).end();
        return;
      }
      const body = served.body ?? Buffer.alloc(0);
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      if (!served.noValidators && req.headers['if-none-match'] === etag) {
        this.notModified += 1;
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/pkix-crl',
        ...(served.noValidators ? {} : { etag, 'last-modified': new Date().toUTCString() }),
      });
      res.end(body);
    };
    if (served?.delayMs) setTimeout(answer, served.delayMs);
    else answer();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
