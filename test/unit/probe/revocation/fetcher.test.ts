// The fetcher against a real HTTP server on the loopback: size caps (declared and streamed),
// redirects within the origin only, refusals before any request, the per-URL rate limit,
// conditional GET, and a deadline for the whole exchange.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchPolicy } from '../../../../src/certs/revocation/fetch-policy.js';
import { RevocationFetcher } from '../../../../src/certs/revocation/fetcher.js';

const LOOPBACK = fetchPolicy(['http://127.0.0.1:*/**', 'http://localhost:*/**'], true);

describe('revocation fetcher', function () {
  this.timeout(20_000);
  let server: Server;
  let base: string;
  let hits = 0;

  before(async () => {
    server = createServer((req, res) => {
      hits += 1;
      const url = req.url ?? '/';
      if (url === '/small') res.writeHead(200, { etag: '"v1"' }).end(Buffer.alloc(100, 1));
      else if (url === '/declared-big')
        res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000));
      else if (url === '/streamed-big') {
        res.writeHead(200);
        for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000));
        res.end();
      } else if (url === '/conditional')
        if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
        else res.writeHead(200, { etag: '"v1"' }).end('body');
      else if (url === '/same-origin') res.writeHead(302, { location: '/small' }).end();
      else if (url === '/other-origin')
        res
          .writeHead(302, {
            location: `http://localhost:${(server.address() as AddressInfo).port}/small`,
          })
          .end();
      else if (url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (url === '/slow') setTimeout(() => res.end('late'), 2_000);
      else if (url === '/post') {
        const parts: Buffer[] = [];
        req.on('data', (c: Buffer) => parts.push(c));
        req.on('end', () =>
          res.end(
            `${req.method} ${req.headers['content-type']} ${req.headers['content-length']} ${Buffer.concat(parts).length}`,
          ),
        );
      } else res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const fetcher = (maxBytes = 2048, ratePerSecond = 1000, burst = 1000): RevocationFetcher =>
    new RevocationFetcher(LOOPBACK, { maxBytes, ratePerSecond, burst });

  const failures: ReadonlyArray<[string, string, string]> = [
    ['/declared-big', 'too_large', '5000 bytes declared'],
    ['/streamed-big', 'too_large', 'over revocation.max_response_bytes'],
    ['/other-origin', 'redirect', 'only within'],
    ['/loop', 'redirect', 'at most 3'],
    ['/missing', 'http_status', 'HTTP 500'],
  ];
  for (const [path, failure, detail] of failures) {
    it(`${path}: ${failure}`, async () => {
      const outcome = await fetcher().fetch({
        url: `${base}${path}`,
        accept: '*/*',
        timeoutMs: 3_000,
      });
      assert.equal(outcome.ok, false);
      if (!outcome.ok) {
        assert.equal(outcome.failure, failure);
        assert.ok(outcome.detail.includes(detail), outcome.detail);
      }
    });
  }

  it('a redirect within the origin is followed', async () => {
    const outcome = await fetcher().fetch({
      url: `${base}/same-origin`,
      accept: '*/*',
      timeoutMs: 3_000,
    });
    assert.equal(outcome.ok && outcome.body.length, 100);
  });

  it('the deadline covers the whole exchange', async () => {
    const started = Date.now();
    const outcome = await fetcher().fetch({ url: `${base}/slow`, accept: '*/*', timeoutMs: 300 });
    assert.equal(!outcome.ok && outcome.failure, 'timeout');
    assert.ok(Date.now() - started < 1_500);
  });

  it('refused before any request: outside the allow-list, or a non-public address', async () => {
    const before = hits;
    const strict = new RevocationFetcher(fetchPolicy(['http://**'], false), {
      maxBytes: 2048,
      ratePerSecond: 10,
      burst: 10,
    });
    const outcome = await strict.fetch({ url: `${base}/small`, accept: '*/*', timeoutMs: 3_000 });
    assert.equal(!outcome.ok && outcome.failure, 'not_allowed');
    assert.match(!outcome.ok ? outcome.detail : '', /127\.0\.0\.1 is not a public address/);
    // a name is judged by the address it resolves to, at connect
    const port = (server.address() as AddressInfo).port;
    const named = await strict.fetch({
      url: `http://localhost:${port}/small`,
      accept: '*/*',
      timeoutMs: 3_000,
    });
    assert.equal(!named.ok && named.failure, 'not_allowed');
    assert.match(!named.ok ? named.detail : '', /not a public address/);
    const listed = await fetcher().fetch({
      url: 'http://example.com/crl',
      accept: '*/*',
      timeoutMs: 3_000,
    });
    assert.equal(!listed.ok && listed.failure, 'not_allowed');
    assert.equal(hits, before, 'a refused URL reached the server');
  });

  it('past the burst a fetch waits for its turn within its timeout', async () => {
    const paced = fetcher(2048, 20, 1); // one now, the next after 50 ms
    const started = Date.now();
    const both = await Promise.all([
      paced.fetch({ url: `${base}/small`, accept: '*/*', timeoutMs: 3_000 }),
      paced.fetch({ url: `${base}/small`, accept: '*/*', timeoutMs: 3_000 }),
    ]);
    assert.deepEqual(
      both.map((r) => r.ok),
      [true, true],
    );
    assert.ok(Date.now() - started >= 40, 'the second fetch did not wait for its token');
  });

  it('the rate limit is per URL', async () => {
    const limited = fetcher(2048, 0.001, 2);
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push(await limited.fetch({ url: `${base}/small`, accept: '*/*', timeoutMs: 3_000 }));
    assert.deepEqual(
      results.map((r) => r.ok || r.failure),
      [true, true, 'rate_limited'],
    );
    const other = await limited.fetch({
      url: `${base}/same-origin`,
      accept: '*/*',
      timeoutMs: 3_000,
    });
    assert.equal(other.ok, true);
  });

  it('a conditional GET answered 304 is "not modified"', async () => {
    const outcome = await fetcher().fetch({
      url: `${base}/conditional`,
      accept: '*/*',
      timeoutMs: 3_000,
      etag: '"v1"',
    });
    assert.equal(outcome.ok && outcome.notModified, true);
    const fresh = await fetcher().fetch({
      url: `${base}/conditional`,
      accept: '*/*',
      timeoutMs: 3_000,
    });
    assert.equal(fresh.ok && fresh.etag, '"v1"');
  });

  it('a POST carries its body with a length (responders read a sized body, not chunks)', async () => {
    const outcome = await fetcher().fetch({
      url: `${base}/post`,
      accept: '*/*',
      timeoutMs: 3_000,
      body: Buffer.alloc(77),
      contentType: 'application/ocsp-request',
    });
    assert.equal(outcome.ok && outcome.body.toString(), 'POST application/ocsp-request 77 77');
  });
});
