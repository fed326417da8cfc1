// Fetches revocation data over HTTP(S) within the fetch policy: the URL checked before, the
// resolved address checked at connect (the connection goes to the address that was checked, so a
// name that re-resolves elsewhere cannot slip through), a deadline for the whole exchange, a size
// cap, redirects only within the same origin, a token bucket per URL, conditional GET. Never
// throws: a failure is an outcome with a reason.
import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RevocationFailure } from '../../domain/tls-words.js';
import { TokenBucket, type BucketLimits } from '../../common/token-bucket.js';
import { addressRefusal, urlRefusal, type FetchPolicy } from './fetch-policy.js';
import { BoundedMap } from '../../common/bounded-map.js';

export interface FetchRequest {
  readonly url: string;
  readonly body?: Buffer;
  readonly contentType?: string;
  readonly accept: string;
  readonly timeoutMs: number;
  readonly etag?: string;
  readonly lastModified?: string;
}

export type FetchOutcome =
  | {
      readonly ok: true;
      /** 304: the cached copy is still current */
      readonly notModified: boolean;
      readonly body: Buffer;
      readonly etag?: string;
      readonly lastModified?: string;
      readonly seconds: number;
    }
  | {
      readonly ok: false;
      readonly failure: RevocationFailure;
      readonly detail: string;
      /** absent when nothing was sent (refused by policy or the rate limit) */
      readonly seconds?: number;
    };

export interface FetcherLimits extends BucketLimits {
  readonly maxBytes: number;
}

const MAX_REDIRECTS = 3;
/** buckets kept; the least recently created go first */
const MAX_BUCKETS = 10_000;

class Refused extends Error {
  constructor(
    readonly failure: RevocationFailure,
    message: string,
  ) {
    super(message);
  }
}

export class RevocationFetcher {
  readonly #buckets = new BoundedMap<TokenBucket>(MAX_BUCKETS);

  constructor(
    private policy: FetchPolicy,
    private limits: FetcherLimits,
  ) {}

  configure(policy: FetchPolicy, limits: FetcherLimits): void {
    this.policy = policy;
    this.limits = limits;
    for (const bucket of this.#buckets.values()) bucket.setLimits(limits);
  }

  /** Why this URL would be refused before any request, if it would. */
  refusal(url: string): string | undefined {
    return urlRefusal(this.policy, url);
  }

  async fetch(request: FetchRequest): Promise<FetchOutcome> {
    const refused = urlRefusal(this.policy, request.url);
    if (refused !== undefined) return { ok: false, failure: 'not_allowed', detail: refused };
    if (!(await this.#admitted(request)))
      return {
        ok: false,
        failure: 'rate_limited',
        detail: `more than ${this.limits.ratePerSecond}/s to ${request.url} (revocation.requests_per_second_per_url), and no turn within the timeout`,
      };
    const start = performance.now();
    const seconds = (): number => (performance.now() - start) / 1000;
    const deadline = start + request.timeoutMs;
    try {
      let url = new URL(request.url);
      for (let hop = 0; ; hop++) {
        const response = await this.#exchange(url, request, deadline);
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && status !== 304) {
          response.resume();
          const location = response.headers.location;
          const next = location === undefined ? undefined : new URL(location, url);
          if (next === undefined || next.origin !== url.origin || hop >= MAX_REDIRECTS)
            throw new Refused(
              'redirect',
              `HTTP ${status} to ${next?.href ?? 'nowhere'}: redirects are followed only within ${url.origin}, at most ${MAX_REDIRECTS}`,
            );
          const refusedNext = urlRefusal(this.policy, next.href);
          if (refusedNext !== undefined) throw new Refused('not_allowed', refusedNext);
          url = next;
          continue;
        }
        if (status === 304) {
          response.resume();
          return { ok: true, notModified: true, body: Buffer.alloc(0), seconds: seconds() };
        }
        if (status !== 200) {
          response.resume();
          throw new Refused('http_status', `HTTP ${status} from ${url.href}`);
        }
        const body = await this.#read(response, deadline);
        const etag = response.headers.etag;
        const lastModified = response.headers['last-modified'];
        return {
          ok: true,
          notModified: false,
          body,
          ...(etag === undefined ? {} : { etag }),
          ...(lastModified === undefined ? {} : { lastModified }),
          seconds: seconds(),
        };
      }
    } catch (err) {
      if (err instanceof Refused)
        return { ok: false, failure: err.failure, detail: err.message, seconds: seconds() };
      const e = err as NodeJS.ErrnoException;
      const failure: RevocationFailure =
        e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'dns' : 'connect';
      return {
        ok: false,
        failure,
        detail: `${request.url}: ${e.code ?? e.message}`,
        seconds: seconds(),
      };
    }
  }

  /**
   * A token for the URL, waiting for one while it comes within the request's timeout: many
   * certificates of one CA checked at once queue behind its responder instead of failing.
   */
  async #admitted(request: FetchRequest): Promise<boolean> {
    const bucket = this.#bucket(request.url);
    const deadline = performance.now() + request.timeoutMs;
    for (;;) {
      if (bucket.take()) return true;
      const wait = bucket.msUntilToken();
      if (performance.now() + wait > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
    }
  }

  #bucket(url: string): TokenBucket {
    let bucket = this.#buckets.get(url);
    if (!bucket) {
      bucket = new TokenBucket(this.limits);
      this.#buckets.set(url, bucket);
    }
    return bucket;
  }

  #exchange(url: URL, request: FetchRequest, deadline: number): Promise<IncomingMessage> {
    const policy = this.policy;
    // an address literal is never looked up: judge it here
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(literal) !== 0) {
      const refused = addressRefusal(policy, literal);
      if (refused !== undefined) return Promise.reject(new Refused('not_allowed', refused));
    }
    // resolve, then refuse a non-public address before connecting to it
    const lookup: LookupFunction = (host, options, callback) => {
      dnsLookup(host, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 4);
        const list = addresses as unknown as { address: string; family: number }[];
        const usable = list.find((a) => addressRefusal(policy, a.address) === undefined);
        if (!usable) {
          const why = addressRefusal(policy, list[0]?.address ?? host) ?? `${host} has no address`;
          return callback(new Refused('not_allowed', why), '', 4);
        }
        if ((options as { all?: boolean }).all)
          return (callback as unknown as (e: null, a: object[]) => void)(null, [usable]);
        return callback(null, usable.address, usable.family);
      });
    };
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        accept: request.accept,
        'user-agent': 'tls-sli-exporter',
      };
      if (request.contentType !== undefined) headers['content-type'] = request.contentType;
      // a length, not chunked: OCSP responders (openssl ocsp among them) read a sized body
      if (request.body !== undefined) headers['content-length'] = String(request.body.length);
      if (request.etag !== undefined) headers['if-none-match'] = request.etag;
      if (request.lastModified !== undefined) headers['if-modified-since'] = request.lastModified;
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: request.body === undefined ? 'GET' : 'POST',
        headers,
        lookup,
        agent: false,
      });
      const timer = setTimeout(
        () => req.destroy(new Refused('timeout', `no answer from ${url.href} within the timeout`)),
        Math.max(1, deadline - performance.now()),
      );
      timer.unref();
      req.on('response', (res) => {
        res.on('close', () => clearTimeout(timer));
        resolve(res);
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(request.body);
    });
  }

  #read(response: IncomingMessage, deadline: number): Promise<Buffer> {
    const max = this.limits.maxBytes;
    const declared = Number(response.headers['content-length'] ?? NaN);
    if (declared > max) {
      response.destroy();
      return Promise.reject(
        new Refused(
          'too_large',
          `${declared} bytes declared, over revocation.max_response_bytes (${max})`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      let size = 0;
      const timer = setTimeout(
        () => {
          response.destroy();
          reject(new Refused('timeout', 'the response did not finish within the timeout'));
        },
        Math.max(1, deadline - performance.now()),
      );
      timer.unref();
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) {
          clearTimeout(timer);
          response.destroy();
          reject(new Refused('too_large', `over revocation.max_response_bytes (${max}) bytes`));
          return;
        }
        parts.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(parts, size));
      });
      response.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }
}
