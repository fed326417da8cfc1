import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { jsonParser } from '../../../src/accesslog/parse/json-lines.js';
import { textParser } from '../../../src/accesslog/parse/envoy-format.js';
import { PRESETS } from '../../../src/accesslog/parse/presets.js';
import { METRICS } from '../../../src/metrics/catalog.js';
import { HANDSHAKE_FAILURE_REASONS } from '../../../src/domain/tls-words.js';
import { TLS, httpJson, listenerJson } from '../../support/envoy-lines.js';
import { memoryLogger } from '../../support/logs.js';
import { harness, total } from '../../support/pipeline-harness.js';

const listener = () => jsonParser(PRESETS.envoy_listener_json.fields, 'listener');
const http = () => jsonParser(PRESETS.envoy_http_json.fields, 'http');
const OK = {
  REQUESTED_SERVER_NAME: 'api.example.com',
  DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
  DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
};

describe('log pipeline', () => {
  it('counts successes and failures with their labels, and every reason exists at 0', async () => {
    const h = harness(listener(), { log: 'ingress' });
    h.pipeline.line(listenerJson(OK));
    h.pipeline.line(
      listenerJson({
        ...OK,
        DOWNSTREAM_TLS_CIPHER: undefined,
        DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.noClientCert,
      }),
    );
    const text = await h.render();
    assert.equal(
      total(text, METRICS.handshakeSuccess.name, {
        log: 'ingress',
        direction: 'downstream',
        server_name: 'api.example.com',
        tls_version: 'TLSv1.3',
      }),
      1,
    );
    assert.equal(total(text, METRICS.handshakeFailures.name, { reason: 'no_client_cert' }), 1);
    const zeroSeries = (await h.samples(METRICS.handshakeFailures.name)).filter((l) =>
      l.endsWith(' 0'),
    );
    assert.equal(zeroSeries.length, HANDSHAKE_FAILURE_REASONS.length - 1);
  });

  it('directions: [upstream] leaves downstream handshakes to the listener log', async () => {
    const h = harness(http(), { directions: new Set(['upstream'] as const) });
    h.pipeline.line(httpJson({ ...OK, CONNECTION_ID: 1 }));
    h.pipeline.line(
      httpJson({
        ...OK,
        CONNECTION_ID: 2,
        UPSTREAM_CLUSTER: 'elk_ingest',
        UPSTREAM_TRANSPORT_FAILURE_REASON: TLS.unknownCa,
        RESPONSE_FLAGS: 'UF',
      }),
    );
    const text = await h.render();
    assert.equal(total(text, METRICS.handshakeSuccess.name, { direction: 'downstream' }), 0);
    assert.equal(total(text, METRICS.handshakeFailures.name, { direction: 'upstream' }), 1);
    assert.equal(total(text, METRICS.logLines.name, { outcome: 'other_direction' }), 1);
    assert.equal(total(text, METRICS.logLines.name, { outcome: 'counted' }), 1);
  });

  it('server names and upstream cluster names have their own allow-lists', async () => {
    const h = harness(http(), { allow: ['*.svc.cluster.local'], clustersAllow: ['elk_*'] });
    h.pipeline.line(httpJson({ ...OK, REQUESTED_SERVER_NAME: 'es.logging.svc.cluster.local' }));
    h.pipeline.line(httpJson({ ...OK, REQUESTED_SERVER_NAME: 'elk_ingest' }));
    h.pipeline.line(
      httpJson({
        ...OK,
        REQUESTED_SERVER_NAME: 'es.logging.svc.cluster.local',
        UPSTREAM_CLUSTER: 'elk_ingest',
        UPSTREAM_TRANSPORT_FAILURE_REASON: TLS.unknownCa,
        RESPONSE_FLAGS: 'UF',
      }),
    );
    const text = await h.render();
    // the SNI list admits a name two labels below its *, the cluster list the cluster
    assert.equal(
      total(text, METRICS.handshakeSuccess.name, {
        direction: 'downstream',
        server_name: 'es.logging.svc.cluster.local',
      }),
      2,
    );
    assert.equal(
      total(text, METRICS.handshakeSuccess.name, { direction: 'downstream', server_name: 'other' }),
      1,
      'a cluster name is not a server name',
    );
    assert.equal(
      total(text, METRICS.handshakeFailures.name, {
        direction: 'upstream',
        server_name: 'elk_ingest',
        reason: 'unknown_ca',
      }),
      1,
    );
  });

  it('the failure series exist at 0 after the first success, so the ratio evaluates', async () => {
    const h = harness(listener());
    h.pipeline.line(listenerJson(OK));
    const failures = await h.samples(METRICS.handshakeFailures.name);
    assert.equal(failures.length, HANDSHAKE_FAILURE_REASONS.length);
    assert.ok(failures.every((l) => l.endsWith(' 0')));
  });

  it('HTTP logs count a downstream handshake once per connection id', async () => {
    const h = harness(http());
    for (let i = 0; i < 5; i++) h.pipeline.line(httpJson({ ...OK, CONNECTION_ID: 7 }));
    h.pipeline.line(httpJson({ ...OK, CONNECTION_ID: 8 }));
    const text = await h.render();
    assert.equal(total(text, METRICS.handshakeSuccess.name, { direction: 'downstream' }), 2);
    assert.equal(total(text, METRICS.logLines.name, { outcome: 'counted' }), 6);
  });

  it('HTTP logs count upstream successes once per upstream connection and failures per line', async () => {
    const h = harness(http());
    const up = {
      UPSTREAM_TLS_VERSION: 'TLSv1.3',
      UPSTREAM_CLUSTER: 'orders',
      UPSTREAM_CONNECTION_ID: 88,
    };
    h.pipeline.line(httpJson(up));
    h.pipeline.line(httpJson(up));
    h.pipeline.line(
      httpJson({
        UPSTREAM_CLUSTER: 'orders',
        RESPONSE_FLAGS: 'UF',
        UPSTREAM_TRANSPORT_FAILURE_REASON: TLS.unknownCa,
      }),
    );
    h.pipeline.line(
      httpJson({
        UPSTREAM_CLUSTER: 'orders',
        RESPONSE_FLAGS: 'UF',
        UPSTREAM_TRANSPORT_FAILURE_REASON: TLS.unknownCa,
      }),
    );
    const text = await h.render();
    assert.equal(
      total(text, METRICS.handshakeSuccess.name, { direction: 'upstream', server_name: 'orders' }),
      1,
    );
    assert.equal(
      total(text, METRICS.handshakeFailures.name, {
        direction: 'upstream',
        server_name: 'orders',
        reason: 'unknown_ca',
      }),
      2,
    );
  });

  it('sorts lines into outcomes: empty, malformed, not_tls, oversize', async () => {
    const h = harness(listener());
    h.pipeline.line('');
    h.pipeline.line('   ');
    h.pipeline.line('{"sni":');
    h.pipeline.line(listenerJson({ CONNECTION_ID: 3 }));
    h.pipeline.oversize(70_000);
    const text = await h.render();
    const outcome = (o: string) => total(text, METRICS.logLines.name, { outcome: o });
    assert.deepEqual(
      ['empty', 'malformed', 'not_tls', 'oversize', 'counted'].map(outcome),
      [2, 1, 1, 1, 0],
    );
  });

  it('invalid bytes in the SNI fold it to other, and the handshake still counts', async () => {
    const h = harness(listener());
    h.pipeline.line(listenerJson({ ...OK, REQUESTED_SERVER_NAME: 'bad\ufffdname' }));
    const text = await h.render();
    assert.equal(total(text, METRICS.handshakeSuccess.name, { server_name: 'other' }), 1);
    assert.equal(total(text, METRICS.labelValuesFolded.name, { label: 'server_name' }), 1);
  });

  it('100 000 distinct SNI values keep the server_name values at max_values + 2', async () => {
    const h = harness(listener(), { maxValues: 100 });
    h.pipeline.line(listenerJson({ ...OK, REQUESTED_SERVER_NAME: undefined }));
    for (let i = 0; i < 100_000; i++)
      h.pipeline.line(listenerJson({ ...OK, REQUESTED_SERVER_NAME: `h${i}.example` }));
    const names = new Set(
      (await h.samples(METRICS.handshakeSuccess.name)).map(
        (l) => /server_name="([^"]*)"/.exec(l)?.[1],
      ),
    );
    assert.equal(names.size, 102);
    assert.equal(total(await h.render(), METRICS.handshakeSuccess.name), 100_001);
  });

  it('CRI envelope: partial pieces are joined and count as one line', async () => {
    const h = harness(listener(), { envelope: 'cri' });
    const line = listenerJson(OK);
    h.pipeline.line(`2026-11-30T00:00:00.1Z stdout P ${line.slice(0, 40)}`);
    h.pipeline.line(`2026-11-30T00:00:00.1Z stdout F ${line.slice(40)}`);
    const text = await h.render();
    assert.equal(total(text, METRICS.handshakeSuccess.name), 1);
    assert.equal(total(text, METRICS.logLines.name), 1);
  });

  it('JSON blocks of bytes (the fast path) count exactly what the same lines as text count', async () => {
    const lines = [
      listenerJson({ ...OK, CONNECTION_ID: 1, DOWNSTREAM_HANDSHAKE_DURATION: 3 }),
      listenerJson({
        REQUESTED_SERVER_NAME: 'b.example',
        DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.noClientCert,
      }),
      '{"sni":"esc\\"aped","tls_cipher":"C","tls_version":"TLSv1.2","handshake_duration":"2.5"}',
      '{"sni":"a","tls_cipher":"C","handshake_duration_us":1250,"handshake_duration":9}',
      '{"sni":"a","nested":{"k":1},"tls_cipher":"C"}',
      '{"sni":"cut',
      '',
      '  ',
      `${listenerJson(OK)}\r`,
      listenerJson({ CONNECTION_ID: 9 }),
      `{"sni":"${'x'.repeat(70_000)}","tls_cipher":"C"}`,
      '{"sni":"é.example","tls_cipher":"C"}',
    ];
    const blocks = harness(listener());
    const text = harness(listener());
    assert.ok(blocks.pipeline.takesBlocks);
    blocks.pipeline.lines(Buffer.from(lines.map((l) => `${l}\n`).join('')));
    for (const line of lines) {
      if (Buffer.byteLength(line) > 65536) text.pipeline.oversize(Buffer.byteLength(line) + 1);
      else text.pipeline.line(line.replace(/\r$/, ''));
    }
    const rendered = await blocks.render();
    assert.equal(rendered, await text.render());
    const outcome = (o: string) => total(rendered, METRICS.logLines.name, { outcome: o });
    assert.deepEqual(
      ['counted', 'empty', 'malformed', 'not_tls', 'oversize'].map(outcome),
      [7, 2, 1, 1, 1],
    );
    assert.equal(total(rendered, `${METRICS.handshakeDuration.name}_count`), 3);
  });

  it('handshake times: one observation per counted handshake, under the label the limiter gave', async () => {
    const h = harness(http(), { maxValues: 1, clustersAllow: [] });
    const upstream = (id: number | undefined, cluster: string, us: number | undefined) =>
      httpJson({
        ...OK,
        CONNECTION_ID: 7,
        UPSTREAM_CLUSTER: cluster,
        UPSTREAM_CONNECTION_ID: id,
        UPSTREAM_TLS_VERSION: 'TLSv1.3',
        'COMMON_DURATION(US_CX_END:US_HS_END:us)': us,
      });
    // Envoy repeats a connection's US_* time points on each of its requests: counted once
    h.pipeline.line(upstream(88, 'orders_backend', 1800));
    h.pipeline.line(upstream(88, 'orders_backend', 1800));
    // a second cluster past max_values is folded into "other", its time with it
    h.pipeline.line(upstream(89, 'elk_ingest', 4200));
    // a failed connect has no handshake time and observes nothing
    h.pipeline.line(
      httpJson({
        ...OK,
        CONNECTION_ID: 7,
        UPSTREAM_CLUSTER: 'orders_backend',
        UPSTREAM_TRANSPORT_FAILURE_REASON: TLS.unknownCa,
        RESPONSE_FLAGS: 'UF',
      }),
    );
    const samples = await h.samples(
      `${METRICS.handshakeDuration.name}_count`,
      `${METRICS.handshakeDuration.name}_sum`,
    );
    assert.deepEqual(samples, [
      'tls_handshake_duration_seconds_count{log="test",direction="upstream",server_name="orders_backend"} 1',
      'tls_handshake_duration_seconds_count{log="test",direction="upstream",server_name="other"} 1',
      'tls_handshake_duration_seconds_sum{log="test",direction="upstream",server_name="orders_backend"} 0.0018',
      'tls_handshake_duration_seconds_sum{log="test",direction="upstream",server_name="other"} 0.0042',
    ]);
    // the HTTP log's downstream handshakes carry no time (Envoy fills it in connection logs)
    const text = await h.render();
    assert.equal(total(text, METRICS.handshakeSuccess.name, { direction: 'downstream' }), 1);
    assert.equal(
      total(text, `${METRICS.handshakeDuration.name}_count`, { direction: 'downstream' }),
      0,
    );
  });

  it('a handshake time that is not a number: the handshake is counted, the time skipped, said once', async () => {
    const logs = memoryLogger();
    const h = harness(listener(), { logger: logs.logger });
    for (let i = 0; i < 3; i++)
      h.pipeline.line(
        listenerJson({ ...OK, CONNECTION_ID: i + 1, DOWNSTREAM_HANDSHAKE_DURATION: 'n/a' }),
      );
    const text = await h.render();
    assert.equal(total(text, METRICS.handshakeSuccess.name), 3);
    assert.equal(total(text, `${METRICS.handshakeDuration.name}_count`), 0);
    const warned = logs.records.filter((r) => String(r['msg']).includes('handshake time'));
    assert.equal(warned.length, 1);
    assert.equal(warned[0]?.['value'], 'n/a');
  });

  it('the fast path is only for JSON lines without an envelope', () => {
    assert.equal(harness(listener(), { envelope: 'cri' }).pipeline.takesBlocks, false);
    assert.equal(
      harness(textParser(PRESETS.istio.envoyFormat, 'http')).pipeline.takesBlocks,
      false,
    );
  });

  describe('properties', () => {
    const parsers = {
      json: () => jsonParser(PRESETS.envoy_listener_json.fields, 'listener'),
      text: () => textParser(PRESETS.istio.envoyFormat, 'http'),
    };
    for (const [name, make] of Object.entries(parsers)) {
      it(`${name}: arbitrary bytes never throw and outcomes sum to lines read`, async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 40 }),
            async (chunks) => {
              const h = harness(make());
              const lines = chunks.map((c) => Buffer.from(c).toString('utf8').replace(/\n/g, ''));
              for (const l of lines) h.pipeline.line(l);
              assert.equal(total(await h.render(), METRICS.logLines.name), lines.length);
            },
          ),
          { numRuns: 200 },
        );
      });
    }
    it('json: mutated valid lines never throw and never count more than one handshake', async () => {
      const base = listenerJson({ ...OK, CONNECTION_ID: 1 });
      await fc.assert(
        fc.asyncProperty(
          fc.nat(base.length),
          fc.nat(base.length),
          fc.string({ maxLength: 5 }),
          async (at, cut, insert) => {
            const h = harness(parsers.json());
            h.pipeline.line(
              base.slice(0, at) + insert + base.slice(Math.min(base.length, at + (cut % 8))),
            );
            const text = await h.render();
            assert.ok(
              total(text, METRICS.handshakeSuccess.name) +
                total(text, METRICS.handshakeFailures.name) <=
                1,
            );
            assert.equal(total(text, METRICS.logLines.name), 1);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
