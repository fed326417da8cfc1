import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { request, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ExporterError } from '../../src/errors.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { METRICS } from '../../src/metrics/catalog.js';
import { HANDSHAKE_FAILURE_REASONS } from '../../src/domain/tls-words.js';
import { buildInfo } from '../../src/version.js';
import { listenerJson } from '../support/envoy-lines.js';
import { sampleValue } from '../support/exposition.js';
import { memoryLogger } from '../support/logs.js';
import { withTempDir } from '../support/tmp.js';

async function withExporter(
  configText: string,
  fn: (ctx: {
    url: string;
    exporter: RunningExporter;
    file: string;
    logs: Array<Record<string, unknown>>;
  }) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const file = join(dir, 'config.yml');
    await writeFile(file, configText);
    const logs = memoryLogger();
    const exporter = await startExporter({
      configFile: file,
      flags: { 'web.listen-address': '127.0.0.1:0' },
      env: {},
      logSink: logs.sink,
    });
    try {
      await fn({
        url: `http://127.0.0.1:${exporter.address.port}`,
        exporter,
        file,
        logs: logs.records,
      });
    } finally {
      await exporter.stop();
    }
  });
}

/** A request with raw bytes (fetch would decompress): status, headers, body as sent. */
function rawGet(
  url: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

/** An exporter that has read a listener log of `count` handshakes, one per server name. */
async function withServerNames(
  count: number,
  fn: (ctx: { url: string }) => Promise<void>,
): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) =>
    listenerJson({
      REQUESTED_SERVER_NAME: `svc-${i}.example`,
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
    }),
  );
  await withTempDir(async (dir) => {
    const log = join(dir, 'listener.log');
    await writeFile(log, `${lines.join('\n')}\n`);
    await withExporter(
      `access_logs:\n  - {name: ingress, path: ${log}, format: envoy_listener_json, start_at: beginning}\nserver_names: {max_values: ${2 * count}}\n`,
      async ({ url, exporter }) => {
        await exporter.pollLogs();
        await fn({ url });
      },
    );
  });
}

describe('HTTP endpoints over real sockets', () => {
  it('answers gzip when the scraper asks for it (as Prometheus does), plain otherwise', async () => {
    await withServerNames(200, async ({ url }) => {
      const zipped = await rawGet(`${url}/metrics`, {
        'Accept-Encoding': 'gzip, deflate',
      });
      assert.equal(zipped.status, 200);
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.match(String(zipped.headers['vary']), /Accept-Encoding/);
      const text = gunzipSync(zipped.body).toString('utf8');
      assert.equal(
        sampleValue(text, METRICS.handshakeSuccess.name, { server_name: 'svc-199.example' }),
        1,
      );
      const plain = await rawGet(`${url}/metrics`, {});
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.match(plain.body.toString('utf8'), /^tls_handshake_success_total\{/m);
      assert.ok(
        zipped.body.length * 4 < plain.body.length,
        `gzip ${zipped.body.length} B, plain ${plain.body.length} B`,
      );
    });
  });

  it('negotiates gzip per Accept-Encoding, and a gzipped body of many chunks inflates to the plain one', async () => {
    const handshakeLines = (text: string): string[] =>
      text.split('\n').filter((l) => l.startsWith('tls_handshake_'));
    // 1,000 names × 20 series: 20,000 samples, several of the serializer's 4,096-sample chunks
    await withServerNames(1000, async ({ url }) => {
      const plain = await rawGet(`${url}/metrics`, {});
      const expected = handshakeLines(plain.body.toString('utf8'));
      assert.equal(expected.length, 20_000);
      // [Accept-Encoding, gzip expected]: what Prometheus sends, q-values, refusals
      const cases: Array<[string, boolean]> = [
        ['gzip', true],
        ['gzip, deflate', true],
        ['identity;q=0.5, gzip;q=1.0', true],
        ['gzip;q=0', false],
        ['identity', false],
        ['br', false],
      ];
      for (const [accept, zipped] of cases) {
        const res = await rawGet(`${url}/metrics`, { 'Accept-Encoding': accept });
        assert.equal(res.status, 200, accept);
        assert.equal(res.headers['content-encoding'], zipped ? 'gzip' : undefined, accept);
        const text = (zipped ? gunzipSync(res.body) : res.body).toString('utf8');
        assert.deepEqual(handshakeLines(text), expected, accept);
      }
      const head = await rawGet(`${url}/metrics`, { 'Accept-Encoding': 'gzip' }, 'HEAD');
      assert.deepEqual(
        {
          status: head.status,
          encoding: head.headers['content-encoding'],
          bytes: head.body.length,
        },
        { status: 200, encoding: undefined, bytes: 0 },
      );
    });
  });

  // Every answer's type is written in full by the exporter (not looked up in express's mime
  // table): the header, its length and HEAD's empty body are what a client reads.
  it('answers each route with its full content type and length, HEAD without a body', async () => {
    await withExporter('', async ({ url }) => {
      const cases: ReadonlyArray<[string, string, number]> = [
        ['/-/healthy', 'text/plain; charset=utf-8', 200],
        ['/-/ready', 'text/plain; charset=utf-8', 200],
        ['/', 'text/html; charset=utf-8', 200],
        ['/status.js', 'text/javascript; charset=utf-8', 200],
        ['/status.css', 'text/css; charset=utf-8', 200],
        ['/api/status', 'application/json; charset=utf-8', 200],
        ['/metrics', 'text/plain; version=0.0.4; charset=utf-8', 200],
        ['/probe?module=none&target=127.0.0.1:1', 'text/plain; charset=utf-8', 400],
        ['/nowhere', 'text/plain; charset=utf-8', 404],
      ];
      for (const [path, type, status] of cases) {
        const got = await rawGet(`${url}${path}`, {});
        const head = await rawGet(`${url}${path}`, {}, 'HEAD');
        assert.deepEqual(
          {
            status: got.status,
            type: got.headers['content-type'],
            head: [head.status, head.headers['content-type'], head.body.length],
          },
          { status, type, head: [status, type, 0] },
          path,
        );
        if (path !== '/metrics')
          assert.equal(Number(got.headers['content-length']), got.body.length, path);
      }
      const status = await rawGet(`${url}/api/status`, {});
      assert.equal(typeof JSON.parse(status.body.toString('utf8')), 'object');
      assert.equal(status.headers['cache-control'], 'no-store');
    });
  });

  it('GET /probe on its fast path answers as express does on the spellings it routes', async () => {
    await withExporter('', async ({ url }) => {
      // each fast-path request beside one express routes (another case, a trailing slash)
      const queries = [
        '?module=none&target=127.0.0.1:1',
        '?target=127.0.0.1:1',
        '?module=none',
        '?target=a:1&target=b:2&module=none',
        '',
      ];
      for (const q of queries) {
        const fast = await rawGet(`${url}/probe${q}`, {});
        for (const other of ['/Probe', '/probe/']) {
          const routed = await rawGet(`${url}${other}${q}`, {});
          assert.deepEqual(
            [fast.status, fast.headers['content-type'], fast.body.toString('utf8')],
            [routed.status, routed.headers['content-type'], routed.body.toString('utf8')],
            `${other}${q}`,
          );
        }
      }
    });
  });

  it('serves /metrics with build info, without an ETag', async () => {
    await withExporter('', async ({ url }) => {
      const res = await fetch(`${url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.equal(res.headers.get('etag'), null);
      const body = await res.text();
      const info = buildInfo();
      assert.equal(
        sampleValue(body, METRICS.buildInfo.name, {
          version: info.version,
          revision: info.revision,
          nodejs_version: process.version,
        }),
        1,
      );
      assert.equal(sampleValue(body, METRICS.configLastReloadSuccessful.name), 1);
      assert.ok((sampleValue(body, 'process_resident_memory_bytes') ?? 0) > 0);
    });
  });

  const routes: ReadonlyArray<{
    method: string;
    path: string;
    status: number;
    body?: RegExp;
    allow?: string;
  }> = [
    {
      method: 'GET',
      path: '/',
      status: 200,
      body: /tls-sli-exporter[\s\S]*href="\/metrics"[\s\S]*\/-\/healthy/,
    },
    { method: 'GET', path: '/-/healthy', status: 200, body: /^Healthy\.\n$/ },
    { method: 'GET', path: '/-/ready', status: 200, body: /^Ready\.\n$/ },
    { method: 'HEAD', path: '/metrics', status: 200 },
    { method: 'POST', path: '/metrics', status: 405, allow: 'GET, HEAD' },
    { method: 'GET', path: '/-/reload', status: 405, allow: 'POST' },
    { method: 'GET', path: '/nothing-here', status: 404, body: /^Not Found\n$/ },
    { method: 'GET', path: '/metrics/extra', status: 404 },
  ];
  for (const route of routes) {
    it(`${route.method} ${route.path} -> ${route.status}`, async () => {
      await withExporter('', async ({ url }) => {
        const res = await fetch(`${url}${route.path}`, { method: route.method });
        assert.equal(res.status, route.status);
        if (route.body) assert.match(await res.text(), route.body);
        if (route.allow) assert.equal(res.headers.get('allow'), route.allow);
      });
    });
  }

  it('streams a scrape of 20,000 log series whole, in chunks', async () => {
    await withTempDir(async (dir) => {
      const log = join(dir, 'listener.log');
      const names = Array.from({ length: 1_000 }, (_, i) => `svc-${i}.example`);
      await writeFile(
        log,
        names
          .map((n) =>
            listenerJson({
              REQUESTED_SERVER_NAME: n,
              DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
              DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
            }),
          )
          .join('\n') + '\n',
      );
      const config = [
        'access_logs:',
        `  - {name: big, path: ${JSON.stringify(log)}, format: envoy_listener_json, start_at: beginning}`,
        'server_names: {max_values: 2000}',
      ].join('\n');
      await withExporter(config, async ({ url, exporter }) => {
        await exporter.pollLogs();
        const res = await fetch(`${url}/metrics`);
        assert.equal(res.headers.get('transfer-encoding'), 'chunked');
        const lines = (await res.text()).split('\n');
        const count = (name: string): number =>
          lines.filter((l) => l.startsWith(`${name}{`)).length;
        assert.equal(count(METRICS.handshakeSuccess.name), names.length);
        // every failure reason of every server name, at 0 from its first sighting
        assert.equal(
          count(METRICS.handshakeFailures.name),
          names.length * HANDSHAKE_FAILURE_REASONS.length,
        );
        assert.equal(
          sampleValue(lines.join('\n'), METRICS.handshakeSuccess.name, {
            server_name: 'svc-999.example',
          }),
          1,
        );
      });
    });
  });

  it('the landing page shows the version', async () => {
    await withExporter('', async ({ url }) => {
      const html = await (await fetch(`${url}/`)).text();
      assert.ok(html.includes(`Version ${buildInfo().version}`));
    });
  });

  it('POST /-/drill is refused by default, saying how to turn it on; web.drill_notes takes it into the log', async () => {
    const note = '/-/drill?event=start&fault=plaintext&target=127.0.0.1:8443&handshakes=5';
    const drillLines = (logs: Array<Record<string, unknown>>): number =>
      logs.filter((r) => r['drill'] !== undefined).length;
    await withExporter('', async ({ url, logs }) => {
      const res = await fetch(`${url}${note}`, { method: 'POST' });
      assert.equal(res.status, 403);
      assert.match(
        await res.text(),
        /^drill notes are off: start the exporter with --web\.enable-drill-notes/,
      );
      assert.equal(drillLines(logs), 0, 'nothing written to the log');
    });
    await withExporter('web:\n  drill_notes: true\n', async ({ url, logs }) => {
      const res = await fetch(`${url}${note}`, { method: 'POST' });
      assert.equal(res.status, 204);
      assert.equal(drillLines(logs), 1);
    });
  });

  it('--web.enable-drill-notes (or its environment variable) turns drill notes on; a bad value names the variable', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'config.yml');
      await writeFile(file, '');
      for (const [flags, env] of [
        [{ 'web.enable-drill-notes': 'true' }, {}],
        [{}, { TLS_SLI_EXPORTER_WEB_ENABLE_DRILL_NOTES: 'true' }],
      ] as const) {
        const exporter = await startExporter({
          configFile: file,
          flags: { 'web.listen-address': '127.0.0.1:0', ...flags },
          env,
          logSink: memoryLogger().sink,
        });
        try {
          const res = await fetch(
            `http://127.0.0.1:${exporter.address.port}/-/drill?event=end&fault=plaintext&target=a:1`,
            { method: 'POST' },
          );
          assert.equal(res.status, 204, JSON.stringify(flags ?? env));
        } finally {
          await exporter.stop();
        }
      }
      await assert.rejects(
        startExporter({
          configFile: file,
          flags: { 'web.listen-address': '127.0.0.1:0' },
          env: { TLS_SLI_EXPORTER_WEB_ENABLE_DRILL_NOTES: 'yes' },
          logSink: memoryLogger().sink,
        }),
        /TLS_SLI_EXPORTER_WEB_ENABLE_DRILL_NOTES: expected true or false/,
      );
    });
  });

  it('a good reload swaps the config: the telemetry path moves', async () => {
    await withExporter('web:\n  telemetry_path: /metrics\n', async ({ url, file }) => {
      const before = await (await fetch(`${url}/metrics`)).text();
      const firstTs = sampleValue(before, METRICS.configLastReloadSuccessTimestamp.name) ?? 0;
      await writeFile(file, 'web:\n  telemetry_path: /other\n');
      const res = await fetch(`${url}/-/reload`, { method: 'POST' });
      assert.equal(res.status, 200);
      assert.equal((await fetch(`${url}/metrics`)).status, 404);
      const after = await (await fetch(`${url}/other`)).text();
      assert.equal(sampleValue(after, METRICS.configLastReloadSuccessful.name), 1);
      assert.ok((sampleValue(after, METRICS.configLastReloadSuccessTimestamp.name) ?? 0) > firstTs);
    });
  });

  it('a broken reload keeps serving the old config and sets the gauge to 0', async () => {
    await withExporter('log:\n  level: info\n', async ({ url, file, logs }) => {
      const before = await (await fetch(`${url}/metrics`)).text();
      const ts = sampleValue(before, METRICS.configLastReloadSuccessTimestamp.name);
      await writeFile(file, 'log:\n  level: chatty\n');
      const res = await fetch(`${url}/-/reload`, { method: 'POST' });
      assert.equal(res.status, 500);
      assert.match(await res.text(), /config\.yml:2:3 log\.level: expected "debug"/);
      const after = await (await fetch(`${url}/metrics`)).text();
      assert.equal(sampleValue(after, METRICS.configLastReloadSuccessful.name), 0);
      assert.equal(sampleValue(after, METRICS.configLastReloadSuccessTimestamp.name), ts);
      assert.ok(logs.some((r) => r['msg'] === 'config reload failed; keeping the running config'));
    });
  });

  it('a port already in use is a LISTEN_FAILED error naming the address', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(
        startExporter({
          configFile: undefined,
          flags: { 'web.listen-address': `127.0.0.1:${port}` },
          env: {},
          logSink: memoryLogger().sink,
        }),
        (err: unknown) => {
          assert.ok(err instanceof ExporterError);
          assert.equal(err.code, 'LISTEN_FAILED');
          assert.equal(err.message, `cannot listen on 127.0.0.1:${port}: address already in use`);
          return true;
        },
      );
    } finally {
      blocker.close();
    }
  });

  it('stop closes idle keep-alive connections and releases the port', async () => {
    const logs = memoryLogger();
    const exporter = await startExporter({
      configFile: undefined,
      flags: { 'web.listen-address': '127.0.0.1:0' },
      env: {},
      logSink: logs.sink,
    });
    const { port } = exporter.address;
    // a client that keeps its connection open after a complete answer, as Prometheus does
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const closedByServer = once(socket, 'close');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    socket.write('GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    for (let i = 0; i < 200 && !answer.includes('\r\n\r\n'); i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.match(answer, /^HTTP\/1\.1 200/);
    assert.equal(socket.destroyed, false, 'the connection is idle and open before stop');
    await exporter.stop();
    // stop() ended the idle connection itself: it closes at once, not at the client's leisure
    const timeout = new Promise<'open'>((r) => setTimeout(() => r('open'), 1_000).unref());
    assert.notEqual(await Promise.race([closedByServer.then(() => 'closed'), timeout]), 'open');
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(port, '127.0.0.1', resolve);
    });
    again.close();
  });
});
