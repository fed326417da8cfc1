// Scale-out of the gRPC receiver: Envoys spread their streams over several exporter replicas
// behind a Service, and Prometheus sums across them. Two exporters (as the test command runs them:
// in this process, each with its own receiver on 127.0.0.1), one real Prometheus scraping both
// under one job with the shipped rules, and the same entries split unevenly between the two: the
// board's success ratio (its expression as shipped) and the shipped recording rules read one SLI,
// the one a single replica would show.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RunningExporter } from '../../src/main.js';
import { alsClient } from '../support/als-client.js';
import { TLS } from '../support/envoy-lines.js';
import { startOnLoopback } from '../support/exporter.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { shipped } from '../support/shipped.js';
import { closedPort } from '../support/tls-servers.js';
import { withTempDir } from '../support/tmp.js';

const entry = (failure?: string): object => ({
  common_properties: {
    tls_properties: failure
      ? { tls_sni_hostname: 'es.logging.svc' }
      : {
          tls_version: 'TLSv1_3',
          tls_cipher_suite: { value: 0x1301 },
          tls_sni_hostname: 'es.logging.svc',
        },
    ...(failure ? { downstream_transport_failure_reason: failure } : {}),
    access_log_type: 'TcpConnectionEnd',
  },
});

/** One Envoy's stream: `ok` completed and `failed` refused handshakes, then the stream ends. */
async function envoyStream(port: number, ok: number, failed: number): Promise<void> {
  const client = alsClient(port);
  await new Promise<void>((resolve, reject) => {
    const stream = client.StreamAccessLogs((err) => (err ? reject(err) : resolve()));
    stream.write({
      identifier: { node: { id: `envoy-${port}` }, log_name: 'listener_als' },
      tcp_logs: {
        log_entry: [
          ...Array.from({ length: ok }, () => entry()),
          ...Array.from({ length: failed }, () => entry(TLS.unknownCa)),
        ],
      },
    });
    stream.end();
  });
  client.close();
}

describe('end to end: gRPC receivers scaled out, one SLI', function () {
  this.timeout(120_000);

  it('two replicas with entries split 60/40 and 20/80 read the SLI of the whole', async () => {
    await withTempDir(async (dir) => {
      const exporters: RunningExporter[] = [];
      const alsPorts: number[] = [];
      let prometheus: RunningPrometheus | undefined;
      try {
        for (const replica of [0, 1]) {
          const port = await closedPort();
          alsPorts.push(port);
          const config = join(dir, `replica-${replica}.yml`);
          await writeFile(
            config,
            `access_log_services:\n  - {name: mesh_als, listen_address: '127.0.0.1:${port}'}\n`,
          );
          exporters.push(await startOnLoopback(config));
        }
        prometheus = await startPrometheus(
          stringify({
            global: { scrape_interval: '1s', evaluation_interval: '1s' },
            rule_files: ['rules.yml'],
            scrape_configs: [
              {
                job_name: 'tls-sli-exporter',
                static_configs: [{ targets: exporters.map((e) => `127.0.0.1:${e.address.port}`) }],
              },
            ],
          }),
          { 'rules.yml': await shipped('alerts/tls-sli.rules.yml') },
        );
        const query = async (
          expr: string,
        ): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
          const res = await fetch(
            `${prometheus?.url}/api/v1/query?query=${encodeURIComponent(expr)}`,
          );
          const body = (await res.json()) as {
            status: string;
            data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
          };
          assert.equal(body.status, 'success', expr);
          return body.data.result;
        };
        const scalar = async (expr: string): Promise<number> =>
          Number((await query(expr))[0]?.value[1] ?? Number.NaN);
        const waitFor = async (expr: string, want: number): Promise<void> => {
          const t0 = Date.now();
          while ((await scalar(expr)) !== want) {
            if (Date.now() - t0 > 60_000) assert.fail(`${expr} never reached ${want}`);
            await new Promise((r) => setTimeout(r, 500));
          }
        };
        // a first handshake on each replica, seen by Prometheus before the load: a counter first
        // scraped mid-load would hide its first value from rate()
        await envoyStream(alsPorts[0] ?? 0, 1, 1);
        await envoyStream(alsPorts[1] ?? 0, 1, 1);
        await waitFor(
          'count(tls_handshake_failures_total{log="mesh_als",reason="unknown_ca"} > 0)',
          2,
        );
        // and scraped at least twice at that value: rate() has its start on both replicas
        await waitFor(
          'count(count_over_time(tls_handshake_failures_total{log="mesh_als",reason="unknown_ca"}[1m]) >= 2)',
          2,
        );
        await envoyStream(alsPorts[0] ?? 0, 60, 20);
        await envoyStream(alsPorts[1] ?? 0, 40, 80);
        await waitFor('sum(tls_handshake_success_total{log="mesh_als"})', 102);
        await waitFor('sum(tls_handshake_failures_total{log="mesh_als"})', 102);
        // the recording rules evaluated over the final counts: one series at a half
        await waitFor(
          'count(abs(job_log_direction_server_name:tls_handshake_failures:ratio_rate5m{log="mesh_als"} - 0.5) < 0.05)',
          1,
        );

        // the board's ratio, its expression as shipped, over the last minute: 102 of 204
        const board = JSON.parse(await shipped('dashboards/tls-sli.json')) as {
          panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
        };
        const expr = board.panels.find((p) => p.title === 'Handshake success ratio')?.targets?.[0]
          ?.expr;
        assert.ok(expr);
        const ratio = await scalar(
          expr.replaceAll('$__range', '1m').replace(/\$(job|instance|log|server_name)\b/g, '.*'),
        );
        assert.ok(Math.abs(ratio - 0.5) < 0.05, `board ratio ${ratio}, 0.5 expected`);
        // the recording rules aggregate the replicas away: one series, not one per instance
        const recorded = await query(
          'job_log_direction_server_name:tls_handshake_failures:ratio_rate5m{log="mesh_als"}',
        );
        assert.equal(recorded.length, 1);
        assert.equal(recorded[0]?.metric['instance'], undefined);
        assert.ok(
          Math.abs(Number(recorded[0]?.value[1]) - 0.5) < 0.05,
          String(recorded[0]?.value[1]),
        );
        // and each replica counted only what it was sent
        const perReplica = (
          await query('sum by (instance) (tls_handshake_failures_total{log="mesh_als"})')
        )
          .map((r) => Number(r.value[1]))
          .sort((a, b) => a - b);
        assert.deepEqual(perReplica, [21, 81]);
      } finally {
        await prometheus?.stop();
        for (const e of exporters) await e.stop();
      }
    });
  });
});
