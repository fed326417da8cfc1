// A stand-in for an Envoy admin endpoint on 127.0.0.1:0: answers every request with what
// `answer()` gives at that moment (a recorded /stats response, or one built from live counts),
// and keeps the requests it was sent. Envoy itself cannot be installed here.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AdminAnswer {
  readonly status: number;
  readonly body: string;
}

export interface AdminStandIn {
  readonly url: string;
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

export async function envoyAdminStandIn(answer: () => AdminAnswer): Promise<AdminStandIn> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    const { status, body } = answer();
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A /stats?format=json body with one listener's TLS counters, as Envoy writes it. */
export function listenerStatsJson(
  address: string,
  counts: Readonly<Record<string, number>>,
): string {
  return JSON.stringify({
    stats: [
      ...Object.entries(counts).map(([counter, value]) => ({
        name: `listener.${address}.ssl.${counter}`,
        value,
      })),
      { histograms: { supported_quantiles: [0, 50, 99, 100], computed_quantiles: [] } },
    ],
  });
}
