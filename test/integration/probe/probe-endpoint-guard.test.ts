// /probe is not a port scanner: every refusal is counted by reason, a token bucket and a cap on
// probes in flight answer 429 with Retry-After, and the deadline holds against a server that
// accepts the connection and never answers the handshake.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRICS } from '../../../src/metrics/catalog.js';
import { PROBE_DENIED_REASONS } from '../../../src/domain/exporter-words.js';
import { sampleValue } from '../../support/exposition.js';
import { startOnLoopback } from '../../support/exporter.js';
import { silentServer } from '../../support/tls-servers.js';
import { withTempDir } from '../../support/tmp.js';

type Silent = Awaited<ReturnType<typeof silentServer>>;

async function withGuarded(
  endpoint: string,
  fn: (url: string, silent: Silent) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const silent = await silentServer();
    const config = join(dir, 'config.yml');
    await writeFile(
      config,
      `probes:\n  endpoint: ${endpoint}\n  modules:\n    m: {timeout: 1s, allowed_targets: ['127.0.0.1:*']}\n`,
    );
    const exporter = await startOnLoopback(config);
    try {
      await fn(`http://127.0.0.1:${exporter.address.port}`, silent);
    } finally {
      await exporter.stop();
      await silent.stop();
    }
  });
}

const denied = async (url: string, reason: string): Promise<number | undefined> =>
  sampleValue(await (await fetch(`${url}/metrics`)).text(), METRICS.probeRequestsDenied.name, {
    reason,
  });

describe('/probe admission', function () {
  this.timeout(20_000);

  it('counts every refusal by reason, each from 0', async () => {
    await withGuarded('{}', async (url) => {
      for (const reason of PROBE_DENIED_REASONS) assert.equal(await denied(url, reason), 0, reason);
      const cases: ReadonlyArray<[string, number, string]> = [
        ['module=m', 400, 'missing_target'],
        ['target=127.0.0.1:1', 400, 'missing_module'],
        ['target=127.0.0.1:1&module=nope', 400, 'unknown_module'],
        ['target=no-port&module=m', 400, 'bad_target'],
        ['target=10.0.0.1:443&module=m', 403, 'target_not_allowed'],
      ];
      for (const [query, status, reason] of cases) {
        const res = await fetch(`${url}/probe?${query}`);
        assert.equal(res.status, status, query);
        assert.equal(await denied(url, reason), 1, reason);
      }
    });
  });

  it('a burst passes, then 429 with Retry-After until the bucket refills', async () => {
    await withGuarded('{requests_per_second: 0.5, burst: 2}', async (url) => {
      // port 1 on loopback refuses at once: a quick, complete probe
      for (let i = 0; i < 2; i++) {
        assert.equal((await fetch(`${url}/probe?target=127.0.0.1:1&module=m`)).status, 200);
      }
      const limited = await fetch(`${url}/probe?target=127.0.0.1:1&module=m`);
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '2');
      assert.match(await limited.text(), /at most 0\.5 per second \(burst 2\)/);
      assert.equal(await denied(url, 'rate_limited'), 1);
    });
  });

  it('caps probes in flight, and the deadline ends a handshake that never comes', async () => {
    await withGuarded('{max_concurrent: 1}', async (url, silent) => {
      const first = fetch(`${url}/probe?target=127.0.0.1:${silent.port}&module=m`);
      await silent.connected;
      const second = await fetch(`${url}/probe?target=127.0.0.1:${silent.port}&module=m`);
      assert.equal(second.status, 429);
      assert.equal(await denied(url, 'too_many_concurrent'), 1);
      const res = await first;
      assert.equal(res.status, 200);
      const body = await res.text();
      const target = `127.0.0.1:${silent.port}`;
      assert.equal(sampleValue(body, METRICS.probeSuccess.name, { name: target }), 0);
      assert.equal(
        sampleValue(body, METRICS.probeFailureInfo.name, {
          name: target,
          reason: 'timeout',
          refused_by: 'server',
        }),
        1,
      );
      // gauges only: a counter from a registry made per request would read 0 or 1
      assert.ok(!body.includes(METRICS.probeFailures.name), body);
      // the slot is free again
      assert.equal((await fetch(`${url}/probe?target=127.0.0.1:1&module=m`)).status, 200);
    });
  });
});
