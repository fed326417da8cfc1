import { strict as assert } from 'node:assert';
import { parseConfigText } from '../../../src/config/load.js';
import { EnvoyAdminMetrics } from '../../../src/envoy-admin/envoy-admin-metrics.js';
import type { EnvoyHandshakeCount } from '../../../src/envoy-admin/ssl-stats.js';
import { createRegistry } from '../../../src/metrics/registry.js';

function target(extra: string) {
  const config = parseConfigText(
    `access_logs: [{name: ingress, path: /x, format: envoy_listener_json}]\nenvoy_admin:\n  - {name: edge, url: 'http://127.0.0.1:9901', ${extra}}\n`,
    'c.yml',
  );
  const t = config.envoy_admin[0];
  assert.ok(t);
  return t;
}

const counts: EnvoyHandshakeCount[] = [
  { direction: 'downstream', scope: '0.0.0.0_8443', outcome: 'success', value: 10 },
  { direction: 'downstream', scope: '0.0.0.0_9443', outcome: 'success', value: 5 },
  { direction: 'downstream', scope: '0.0.0.0_9443', outcome: 'connection_error', value: 2 },
  { direction: 'upstream', scope: 'elk', outcome: 'success', value: 7 },
];

async function series(extra: string): Promise<string[]> {
  const metrics = new EnvoyAdminMetrics();
  const registry = createRegistry({ processMetrics: false });
  metrics.register(registry);
  metrics.read(target(extra), counts);
  return (await registry.text())
    .split('\n')
    .filter((l) => l.startsWith('tls_envoy_handshakes_total{') && !l.endsWith(' 0'))
    .sort();
}

describe('Envoy admin metrics', () => {
  it('under the logs named, "none" where no log is; every outcome of a scope at 0 first', async () => {
    const metrics = new EnvoyAdminMetrics();
    const registry = createRegistry({ processMetrics: false });
    metrics.register(registry);
    metrics.read(target('downstream_log: ingress'), counts);
    const text = await registry.text();
    assert.match(
      text,
      /tls_envoy_handshakes_total\{envoy="edge",log="ingress",direction="downstream",scope="0.0.0.0_8443",outcome="fail_verify_san"\} 0/,
    );
    assert.match(
      text,
      /tls_envoy_handshakes_total\{envoy="edge",log="none",direction="upstream",scope="elk",outcome="success"\} 7/,
    );
    assert.doesNotMatch(text, /direction="upstream",scope="elk",outcome="timeout"/);
    assert.match(text, /tls_envoy_admin_up\{envoy="edge"\} 1/);
  });

  it('scopes: only the listeners and clusters matched', async () => {
    assert.deepEqual(await series("scopes: ['*_9443']"), [
      'tls_envoy_handshakes_total{envoy="edge",log="none",direction="downstream",scope="0.0.0.0_9443",outcome="connection_error"} 2',
      'tls_envoy_handshakes_total{envoy="edge",log="none",direction="downstream",scope="0.0.0.0_9443",outcome="success"} 5',
    ]);
  });

  it('max_scopes: the rest summed into "other", nothing lost', async () => {
    const lines = await series('max_scopes: 1');
    assert.deepEqual(lines, [
      'tls_envoy_handshakes_total{envoy="edge",log="none",direction="downstream",scope="0.0.0.0_8443",outcome="success"} 10',
      'tls_envoy_handshakes_total{envoy="edge",log="none",direction="downstream",scope="other",outcome="connection_error"} 2',
      'tls_envoy_handshakes_total{envoy="edge",log="none",direction="downstream",scope="other",outcome="success"} 5',
      'tls_envoy_handshakes_total{envoy="edge",log="none",direction="upstream",scope="other",outcome="success"} 7',
    ]);
  });
});
