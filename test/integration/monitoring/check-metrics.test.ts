// `promtool check metrics` on a live scrape of the exporter with every family populated. Only
// the mandated `tls_cert_days_remaining` (days, not seconds) and prom-client's own nodejs_*_total
// gauges may be flagged.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS } from '../../../src/metrics/catalog.js';
import { listenerJson } from '../../support/envoy-lines.js';
import { startOnLoopback } from '../../support/exporter.js';
import { chain } from '../../support/pki.js';
import { closedPort, tlsServer } from '../../support/tls-servers.js';
import { withTempDir } from '../../support/tmp.js';

const ALLOWED = [
  /^tls_cert_days_remaining use base unit "seconds" instead of "days"$/,
  /^nodejs_\w+_total non-counter metrics should not have "_total" suffix$/,
];

describe('promtool check metrics on a live scrape', function () {
  this.timeout(20_000);

  it('flags nothing but the mandated exceptions', async () => {
    const check = spawnSync('promtool', ['--version']);
    assert.equal(
      check.error,
      undefined,
      'promtool is missing: the test command installs Debian package prometheus',
    );
    await withTempDir(async (dir) => {
      const c = await chain();
      const server = await tlsServer({ chain: [c.leaf, c.intermediate] });
      await writeFile(join(dir, 'ca.pem'), c.root.pem);
      await writeFile(
        join(dir, 'listener.log'),
        `${listenerJson({ REQUESTED_SERVER_NAME: 'a.svc', DOWNSTREAM_TLS_CIPHER: 'X', DOWNSTREAM_TLS_VERSION: 'TLSv1.3', DOWNSTREAM_HANDSHAKE_DURATION: 3 })}\n`,
      );
      await writeFile(join(dir, 'disk.pem'), c.leaf.pem);
      await writeFile(
        join(dir, 'config.yml'),
        `access_logs: [{name: ingress, path: ${join(dir, 'listener.log')}, format: envoy_listener_json, start_at: beginning}]\ncert_files: [{name: disk, paths: [${join(dir, 'disk.pem')}]}]\nrevocation: {allowed_urls: ['http://127.0.0.1:*/**'], allow_private_addresses: true}\nprobes:\n  jitter: 0s\n  modules: {m: {ca_file: ${join(dir, 'ca.pem')}, revocation: {crl: check, crl_urls: ['http://127.0.0.1:${await closedPort()}/ca.crl']}}}\n  targets: [{name: t, address: '127.0.0.1:${server.port}', server_name: localhost, module: m}]\n`,
      );
      const exporter = await startOnLoopback(join(dir, 'config.yml'));
      try {
        await exporter.runProbes();
        await exporter.pollLogs();
        const body = await (
          await fetch(`http://127.0.0.1:${exporter.address.port}/metrics`)
        ).text();
        for (const spec of [
          METRICS.handshakeSuccess,
          METRICS.certDaysRemaining,
          METRICS.probeSuccess,
          METRICS.ocspStapled,
          METRICS.certRevocationStatus,
          METRICS.revocationFetchFailures,
        ]) {
          assert.ok(body.includes(`\n${spec.name}{`), `${spec.name} missing from the scrape`);
        }
        assert.ok(
          body.includes(`\n${METRICS.revocationRequestDuration.name}_bucket{method="crl",`),
          'the revocation request histogram is missing',
        );
        const result = spawnSync('promtool', ['check', 'metrics'], {
          input: body,
          encoding: 'utf8',
        });
        const complaints = `${result.stdout}${result.stderr}`
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '');
        const unexpected = complaints.filter((l) => !ALLOWED.some((re) => re.test(l)));
        assert.deepEqual(unexpected, []);
      } finally {
        await exporter.stop();
        await server.stop();
      }
    });
  });
});
