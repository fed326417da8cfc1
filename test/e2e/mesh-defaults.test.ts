// End to end: Istio's and Envoy Gateway's default access logs, written as those products write
// them (the golden files test/golden/istio.log and envoy_gateway.log, real shapes with comments),
// followed by the built CLI with the `istio` and `envoy_gateway` presets, scraped by a real
// Prometheus. The board's own "Handshake success ratio" query, taken verbatim from
// dashboards/tls-sli.json, must give each log a ratio, and the ratio the golden counts say: plain
// TCP failures (refused, timeout, passthrough) are not in it.
import { strict as assert } from 'node:assert';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startServing, type CliProcess } from '../support/cli-process.js';
import { TLS, httpJson, listenerJson } from '../support/envoy-lines.js';
import { goldenLines } from '../support/golden.js';
import { localize, shippedBlock } from '../support/shipped.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { until } from '../support/until.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const GOOD = {
  REQUESTED_SERVER_NAME: 'audit-gw.dify.svc',
  DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
  DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
};

/** success / (success + failures) of one block, from the golden exposition of that log. */
async function goldenRatio(name: string): Promise<number> {
  const text = await readFile(new URL(`../golden/${name}.prom`, import.meta.url), 'utf8');
  let ok = 0;
  let failed = 0;
  for (const line of text.split('\n')) {
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('tls_handshake_success_total{')) ok += value;
    if (line.startsWith('tls_handshake_failures_total{')) failed += value;
  }
  return ok / (ok + failed);
}

describe('end to end: Istio and Envoy Gateway default logs give a success ratio on the board', function () {
  this.timeout(120_000);
  let dir = '';
  let exporter: CliProcess & { url: string };
  let prometheus: RunningPrometheus;

  before(async function () {
    this.timeout(60_000);
    dir = await mkdtemp(join(tmpdir(), 'tls-sli-mesh-'));
    await writeFile(join(dir, 'istio.log'), '');
    await writeFile(join(dir, 'gateway.log'), '');
    await writeFile(join(dir, 'listener.log'), '');
    await writeFile(join(dir, 'http.log'), '');
    const recommended = (
      parse(
        localize(await shippedBlock('docs/envoy.md', '`outcome="other_direction"`:', 'yaml'), {
          '/var/log/envoy/listener.log': join(dir, 'listener.log'),
          '/var/log/envoy/http.log': join(dir, 'http.log'),
        }),
      ) as { access_logs: object[] }
    ).access_logs;
    await writeFile(
      join(dir, 'config.yml'),
      stringify({
        access_logs: [
          { name: 'istio', path: join(dir, 'istio.log'), format: 'istio', poll_interval: '100ms' },
          {
            name: 'gateway',
            path: join(dir, 'gateway.log'),
            format: 'envoy_gateway',
            poll_interval: '100ms',
          },
          // the recommended pair of docs/envoy.md §3.1, as written there (paths swapped)
          ...recommended,
        ],
      }),
    );
    exporter = await startServing([`--config.file=${join(dir, 'config.yml')}`]);
    prometheus = await startPrometheus(
      stringify({
        global: { scrape_interval: '1s' },
        scrape_configs: [
          {
            job_name: 'tls-sli-exporter',
            static_configs: [{ targets: [exporter.url.replace('http://', '')] }],
          },
        ],
      }),
    );
  });

  after(async function () {
    this.timeout(30_000);
    exporter?.child.kill('SIGTERM');
    if (exporter) await exporter.exited;
    await prometheus?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the board ratio per log equals the golden counts (plain TCP failures left out)', async () => {
    const istio = goldenLines('istio');
    const gateway = goldenLines('envoy_gateway');
    // listener + HTTP log of one Envoy: per block 20 good connections (each a listener line and
    // two requests) and 20 failed handshakes (listener lines only): the truth is 50 %
    let connection = 0;
    const pairBlock = (): { listener: string[]; http: string[] } => {
      const listener: string[] = [];
      const http: string[] = [];
      for (let k = 0; k < 20; k++) {
        const good = { ...GOOD, CONNECTION_ID: ++connection };
        listener.push(listenerJson(good));
        http.push(httpJson(good), httpJson(good));
        listener.push(
          listenerJson({
            REQUESTED_SERVER_NAME: GOOD.REQUESTED_SERVER_NAME,
            CONNECTION_ID: ++connection,
            DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.noClientCert,
          }),
        );
      }
      return { listener, http };
    };
    // a block of each log every 250 ms for 12 s: steady rates for rate()
    let written = 0;
    for (let i = 0; i < 48; i++) {
      const pair = pairBlock();
      await appendFile(join(dir, 'istio.log'), `${istio.join('\n')}\n`);
      await appendFile(join(dir, 'gateway.log'), `${gateway.join('\n')}\n`);
      await appendFile(join(dir, 'listener.log'), `${pair.listener.join('\n')}\n`);
      await appendFile(join(dir, 'http.log'), `${pair.http.join('\n')}\n`);
      written += istio.length + gateway.length + pair.listener.length + pair.http.length;
      await sleep(250);
    }
    // every line written read and scraped (each line ends in exactly one outcome)
    await until(
      async () => {
        const expr = 'sum(tls_sli_exporter_log_lines_total)';
        const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`;
        const body = (await (await fetch(url)).json()) as {
          data: { result: Array<{ value: [number, string] }> };
        };
        return Number(body.data.result[0]?.value[1]) === written ? true : undefined;
      },
      `Prometheus to hold all ${written} lines`,
      30_000,
    );
    const board = JSON.parse(
      await readFile(new URL('../../dashboards/tls-sli.json', import.meta.url), 'utf8'),
    ) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
    const panel = board.panels.find((p) => p.title === 'Handshake success ratio');
    const template = panel?.targets?.[0]?.expr;
    assert.ok(template, 'the board has a "Handshake success ratio" panel with a query');
    const truth: ReadonlyArray<readonly [string, () => Promise<number>]> = [
      ['istio', () => goldenRatio('istio')],
      ['gateway', () => goldenRatio('envoy_gateway')],
      // $log at "All" over the recommended pair: each success counted once
      ['ingress|mesh', () => Promise.resolve(0.5)],
    ];
    for (const [log, golden] of truth) {
      const expr = template
        .replaceAll('$__range', '10s')
        .replace(/\$(job|instance|server_name)\b/g, '.*')
        .replaceAll('$log', log);
      const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`;
      const body = (await (await fetch(url)).json()) as {
        data: { result: Array<{ value: [number, string] }> };
      };
      const value = Number(body.data.result[0]?.value[1]);
      const expected = await golden();
      assert.ok(Number.isFinite(value), `${log}: no ratio on the board (${JSON.stringify(body)})`);
      // both counters grow by whole blocks, so the ratio of their rates is the block's ratio
      assert.ok(Math.abs(value - expected) < 0.03, `${log}: ratio ${value}, expected ${expected}`);
    }
  });
});
