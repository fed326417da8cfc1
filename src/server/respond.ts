// A whole response with its type written in full, on node:http's own response (express's is one).
// Not express's type()/set()/send(string): each runs the type through mime-types, whose
// 2,000-type table costs a start about 30 ms and some MiB to load on the first answer (even
// /-/healthy). Headers set before (the web config's) are kept; HEAD gets no body from node:http.
import type { ServerResponse } from 'node:http';

export const TEXT = 'text/plain; charset=utf-8';

export function respond(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': type,
    'Content-Length': String(bytes.length),
  });
  res.end(bytes);
}
