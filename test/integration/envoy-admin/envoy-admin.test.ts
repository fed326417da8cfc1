// The exporter reads an Envoy admin endpoint (a local HTTP server answering GET /stats with the
// recorded responses of test/fixtures/envoy-admin, in the formats Envoy documents) and publishes
// its TLS counters under the access log they compare with; a broken endpoint is counted, never
// fatal, and the last values read stay published.
import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { envoyAdminStandIn, type AdminAnswer } from '../../support/envoy-admin.js';
import { startOnLoopback } from '../../support/exporter.js';
import { sampleValue } from '../../support/exposition.js';
import { closedPort } from '../../support/tls-servers.js';
import { withTempDir } from '../../support/tmp.js';
import { until } from '../../support/until.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../../fixtures/envoy-admin/${name}`, import.meta.url), 'utf8');

describe("envoy_admin: Envoy's own TLS counters", function () {
  this.timeout(20_000);

  for (const format of ['json', 'prometheus'] as const) {
    it(`${format}: published per listener and cluster, under the logs named`, async () => {
      let answer: AdminAnswer = {
        status: 200,
        body: await fixture(format === 'json' ? 'stats.json' : 'stats.prom'),
      };
      const admin = await envoyAdminStandIn(() => answer);
      await withTempDir(async (dir) => {
        await writeFile(join(dir, 'listener.log'), '');
        await writeFile(join(dir, 'http.log'), '');
        const config = join(dir, 'config.yml');
        await writeFile(
          config,
          [
            'access_logs:',
            `  - {name: ingress, path: ${join(dir, 'listener.log')}, format: envoy_listener_json}`,
            `  - {name: mesh, path: ${join(dir, 'http.log')}, format: envoy_http_json, directions: [upstream]}`,
            'envoy_admin:',
            `  - {name: edge, url: ${JSON.stringify(admin.url)}, format: ${format}, interval: 1s, downstream_log: ingress, upstream_log: mesh}`,
            '',
          ].join('\n'),
        );
        const exporter = await startOnLoopback(config);
        const url = `http://127.0.0.1:${exporter.address.port}/metrics`;
        try {
          const text = await until(async () => {
            const t = await (await fetch(url)).text();
            return sampleValue(t, 'tls_envoy_admin_up', { envoy: 'edge' }) === 1 ? t : undefined;
          }, 'a first read');
          const count = (labels: Record<string, string>): number | undefined =>
            sampleValue(text, 'tls_envoy_handshakes_total', { envoy: 'edge', ...labels });
          assert.equal(count({ log: 'ingress', scope: '0.0.0.0_8443', outcome: 'success' }), 1000);
          assert.equal(count({ log: 'ingress', scope: '0.0.0.0_8443', outcome: 'timeout' }), 1);
          assert.equal(
            count({ log: 'ingress', scope: 'audit_in', outcome: 'fail_verify_error' }),
            4,
          );
          assert.equal(
            count({ log: 'ingress', scope: 'audit_in', outcome: 'fail_verify_no_cert' }),
            0,
            'every outcome of a scope exists from its first read',
          );
          assert.equal(
            count({
              log: 'mesh',
              direction: 'upstream',
              scope: 'outbound|443||es.logging.svc.cluster.local',
              outcome: 'success',
            }),
            120,
          );
          // read-only: GET /stats, filtered on Envoy's side, nothing else
          assert.ok(admin.requests.length >= 1);
          for (const req of admin.requests) {
            assert.equal(req.method, 'GET');
            assert.match(
              req.url ?? '',
              format === 'json' ? /^\/stats\?format=json&filter=/ : /^\/stats\/prometheus\?filter=/,
            );
          }

          // Envoy answers 503 (draining): counted, up 0, the last values still published
          answer = { status: 503, body: 'draining' };
          const failed = await until(async () => {
            const t = await (await fetch(url)).text();
            return sampleValue(t, 'tls_envoy_admin_up', { envoy: 'edge' }) === 0 ? t : undefined;
          }, 'a failed read');
          assert.ok(
            (sampleValue(failed, 'tls_envoy_admin_errors_total', {
              envoy: 'edge',
              reason: 'http_status',
            }) ?? 0) >= 1,
          );
          assert.equal(
            sampleValue(failed, 'tls_envoy_handshakes_total', {
              envoy: 'edge',
              scope: '0.0.0.0_8443',
              outcome: 'success',
            }),
            1000,
          );
          // a reply that is not the statistics: a parse error, the process lives on
          answer = { status: 200, body: '<html>login</html>' };
          await until(async () => {
            const t = await (await fetch(url)).text();
            return (sampleValue(t, 'tls_envoy_admin_errors_total', {
              envoy: 'edge',
              reason: 'parse',
            }) ?? 0) >= 1
              ? t
              : undefined;
          }, 'a parse error');
        } finally {
          await exporter.stop();
          await admin.close();
        }
      });
    });
  }

  it('nothing listening: connect errors, up 0; a log name that is no log is a config error', async () => {
    await withTempDir(async (dir) => {
      const port = await closedPort();
      const config = join(dir, 'config.yml');
      await writeFile(
        config,
        `envoy_admin:\n  - {name: gone, url: "http://127.0.0.1:${port}", interval: 1s}\n`,
      );
      const exporter = await startOnLoopback(config);
      try {
        const url = `http://127.0.0.1:${exporter.address.port}/metrics`;
        const text = await until(async () => {
          const t = await (await fetch(url)).text();
          return (sampleValue(t, 'tls_envoy_admin_errors_total', {
            envoy: 'gone',
            reason: 'connect',
          }) ?? 0) >= 1
            ? t
            : undefined;
        }, 'a connect error');
        assert.equal(sampleValue(text, 'tls_envoy_admin_up', { envoy: 'gone' }), 0);
      } finally {
        await exporter.stop();
      }
      await writeFile(
        config,
        'envoy_admin:\n  - {name: edge, url: "http://127.0.0.1:9901", downstream_log: ingres}\n',
      );
      await assert.rejects(
        startOnLoopback(config),
        /envoy_admin\[0\]\.downstream_log: no access_logs entry is named "ingres"/,
      );
    });
  });
});
