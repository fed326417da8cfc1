// Every dashboard query is valid PromQL: a real Prometheus (empty TSDB) evaluates each one with
// the dashboard variables filled in as Grafana would.
import { strict as assert } from 'node:assert';
import { dashboards } from '../../../src/monitoring/dashboard.js';
import { GENERATED_MARKER } from '../../../src/monitoring/generate.js';
import { DEFAULT_OPTIONS } from '../../../src/monitoring/options.js';
import { startPrometheus, type RunningPrometheus } from '../../support/prometheus.js';

function grafanaSubstitute(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', '1h')
    .replace(/\$(job|instance|log|server_name)\b/g, '.*');
}

describe('dashboard queries against a real Prometheus', function () {
  this.timeout(30_000);
  let prometheus: RunningPrometheus;
  before(async () => {
    prometheus = await startPrometheus();
  });
  after(async () => {
    await prometheus?.stop();
  });

  it('every expression parses and evaluates', async () => {
    const board = dashboards(DEFAULT_OPTIONS, GENERATED_MARKER).get('tls-sli.json') as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    };
    let checked = 0;
    for (const panel of board.panels) {
      for (const target of panel.targets ?? []) {
        const query = grafanaSubstitute(target.expr);
        const res = await fetch(
          `${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`,
        );
        const body = (await res.json()) as { status: string; error?: string };
        assert.equal(body.status, 'success', `${panel.title}: ${query}: ${body.error ?? ''}`);
        checked += 1;
      }
    }
    assert.ok(checked >= 20, `only ${checked} queries`);
  });
});
