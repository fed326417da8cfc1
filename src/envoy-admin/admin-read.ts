// One GET of an Envoy admin endpoint's statistics, bounded in time and size. Read-only: nothing
// but GET /stats is ever sent (the admin API also has POST endpoints that change Envoy).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EnvoyAdminError } from '../domain/exporter-words.js';

/** Envoy's statistics of a busy mesh proxy run to a few MB; a reply past this is refused. */
export const MAX_STATS_BYTES = 64 * 1024 * 1024;

export class AdminReadError extends Error {
  constructor(
    readonly reason: EnvoyAdminError,
    message: string,
  ) {
    super(message);
  }
}

/** The path of the statistics in a format, filtered on Envoy's side to the TLS counters. */
export function statsPath(format: 'json' | 'prometheus'): string {
  const filter = encodeURIComponent('ssl\\.|transport_socket_connect_timeout');
  return format === 'json'
    ? `/stats?format=json&filter=${filter}`
    : `/stats/prometheus?filter=${filter}`;
}

export function readAdminStats(
  base: string,
  format: 'json' | 'prometheus',
  timeoutMs: number,
  maxBytes = MAX_STATS_BYTES,
): Promise<string> {
  const url = new URL(statsPath(format), base.endsWith('/') ? base : `${base}/`);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET' }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new AdminReadError('http_status', `${url.href} answered ${res.statusCode ?? '?'}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy();
          reject(new AdminReadError('too_large', `${url.href}: over ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (err) => reject(new AdminReadError('connect', err.message)));
    });
    // one deadline for the whole exchange (a socket timeout would restart on every chunk)
    const deadline = setTimeout(() => {
      req.destroy();
      reject(new AdminReadError('timeout', `${url.href}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    deadline.unref();
    req.on('error', (err) => reject(new AdminReadError('connect', `${url.href}: ${err.message}`)));
    req.on('close', () => clearTimeout(deadline));
    req.end();
  });
}
