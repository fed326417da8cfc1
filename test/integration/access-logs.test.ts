// The whole exporter over real log files: config in, lines appended, /metrics scraped.
import { strict as assert } from 'node:assert';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { METRICS } from '../../src/metrics/catalog.js';
import { TLS, istio, listenerJson } from '../support/envoy-lines.js';
import { startOnLoopback } from '../support/exporter.js';
import { memoryLogger } from '../support/logs.js';
import { total } from '../support/pipeline-harness.js';
import { withTempDir } from '../support/tmp.js';

const OK = {
  REQUESTED_SERVER_NAME: 'audit-gw.dify.svc',
  DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
  DOWNSTREAM_TLS_CIPHER: 'TLS_AES_256_GCM_SHA384',
};

async function scrape(exporter: RunningExporter): Promise<string> {
  await exporter.pollLogs();
  return (await fetch(`http://127.0.0.1:${exporter.address.port}/metrics`)).text();
}

describe('exporter with access logs', () => {
  it('counts lines appended after start (start_at: end) and survives a reload with counts intact', async () => {
    await withTempDir(async (dir) => {
      const listener = join(dir, 'listener.log');
      await writeFile(listener, `${listenerJson(OK)}\n`);
      const config = join(dir, 'config.yml');
      const base = `access_logs:\n  - name: ingress\n    path: ${listener}\n    format: envoy_listener_json\nserver_names:\n  allow: ['*.dify.svc']\n`;
      await writeFile(config, base);
      const logs = memoryLogger();
      const exporter = await startExporter({
        configFile: config,
        flags: { 'web.listen-address': '127.0.0.1:0' },
        env: {},
        logSink: logs.sink,
        watchLogs: false,
      });
      try {
        let text = await scrape(exporter);
        assert.equal(
          total(text, METRICS.handshakeSuccess.name),
          0,
          'the line before start was counted',
        );
        await appendFile(
          listener,
          `${listenerJson(OK)}\n${listenerJson({ DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.noClientCert })}\n`,
        );
        text = await scrape(exporter);
        assert.equal(
          total(text, METRICS.handshakeSuccess.name, {
            log: 'ingress',
            server_name: 'audit-gw.dify.svc',
          }),
          1,
        );
        assert.equal(
          total(text, METRICS.handshakeFailures.name, {
            reason: 'no_client_cert',
            server_name: 'none',
          }),
          1,
        );

        // add a second log by reload; the first keeps its position and its counts
        const http = join(dir, 'istio.log');
        await writeFile(
          http,
          `${istio({ RESPONSE_FLAGS: 'UF', UPSTREAM_TRANSPORT_FAILURE_REASON: TLS.unknownCa })}\n`,
        );
        await writeFile(
          config,
          `${base.replace('server_names', `  - name: mesh\n    path: ${http}\n    format: istio\n    start_at: beginning\nserver_names`)}`,
        );
        assert.deepEqual(await exporter.reload(), { ok: true });
        await appendFile(listener, `${listenerJson(OK)}\n`);
        text = await scrape(exporter);
        assert.equal(total(text, METRICS.handshakeSuccess.name, { log: 'ingress' }), 2);
        assert.equal(
          total(text, METRICS.handshakeFailures.name, {
            log: 'mesh',
            direction: 'upstream',
            reason: 'unknown_ca',
          }),
          1,
        );
        assert.ok(
          logs.records.some(
            (r) => r['level'] === 'warn' && String(r['msg']).includes("Istio's default format"),
          ),
        );
      } finally {
        await exporter.stop();
      }
    });
  });

  it('a log that cannot be read is reported in a metric and the rest still works', async () => {
    await withTempDir(async (dir) => {
      const config = join(dir, 'config.yml');
      const good = join(dir, 'good.log');
      await writeFile(good, '');
      await writeFile(
        config,
        `access_logs:\n  - {name: broken, path: ${dir}, format: envoy_listener_json}\n  - {name: good, path: ${good}, format: envoy_listener_json}\n`,
      );
      const exporter = await startOnLoopback(config, { watchLogs: false });
      try {
        await appendFile(good, `${listenerJson(OK)}\n`);
        const text = await scrape(exporter);
        assert.equal(
          total(text, METRICS.logFollowErrors.name, { log: 'broken', reason: 'not_a_file' }),
          1,
        );
        assert.equal(total(text, METRICS.handshakeSuccess.name, { log: 'good' }), 1);
      } finally {
        await exporter.stop();
      }
    });
  });

  it('file-system events alone bring new lines in, without an explicit poll', async () => {
    await withTempDir(async (dir) => {
      const listener = join(dir, 'listener.log');
      await writeFile(listener, '');
      const config = join(dir, 'config.yml');
      await writeFile(
        config,
        `access_logs:\n  - {name: ingress, path: ${listener}, format: envoy_listener_json, poll_interval: 1h}\n`,
      );
      const exporter = await startOnLoopback(config);
      try {
        await appendFile(listener, `${listenerJson(OK)}\n`);
        const url = `http://127.0.0.1:${exporter.address.port}/metrics`;
        let seen = 0;
        for (let i = 0; i < 100 && seen === 0; i++) {
          await new Promise((r) => setTimeout(r, 50));
          seen = total(await (await fetch(url)).text(), METRICS.handshakeSuccess.name);
        }
        assert.equal(seen, 1);
      } finally {
        await exporter.stop();
      }
    });
  });
});
