// What scrapes show of the access-log families, read from the registry's text as a scraper
// reads it: live values until the positions checkpoint defers publication, then only what it
// staged and published; the families themselves only count.
import { strict as assert } from 'node:assert';
import { LogFamilies } from '../../../src/metrics/log-families.js';
import { createRegistry, type MetricsRegistry } from '../../../src/metrics/registry.js';
import { sampleValue } from '../../support/exposition.js';

const LINES = 'tls_sli_exporter_log_lines_total';
const TIMES = 'tls_handshake_duration_seconds_count';

function setUp(): {
  families: LogFamilies;
  registry: MetricsRegistry;
  shown: (name: string, labels: Record<string, string>) => Promise<number | undefined>;
} {
  const families = new LogFamilies();
  const registry = createRegistry({ processMetrics: false });
  families.register(registry);
  return {
    families,
    registry,
    shown: async (name, labels) => sampleValue(await registry.text(), name, labels),
  };
}

const counted = { log: 'ingress', outcome: 'counted' };
const malformed = { log: 'ingress', outcome: 'malformed' };

describe('publication of the access-log families', () => {
  it('shows live values until deferred', async () => {
    const { families, shown } = setUp();
    families.lines.sample(['ingress', 'counted']).value = 4;
    assert.equal(await shown(LINES, counted), 4);
    families.lines.sample(['ingress', 'counted']).value = 5;
    assert.equal(await shown(LINES, counted), 5);
  });

  it('deferred: the values of the moment, then only what was staged and published', async () => {
    const { families, shown } = setUp();
    const lines = families.lines.sample(['ingress', 'counted']);
    lines.value = 4;
    families.publication.defer();
    assert.equal(await shown(LINES, counted), 4, 'what was counted before deferring stays');
    lines.value = 6;
    assert.equal(await shown(LINES, counted), 4, 'nothing new before a checkpoint');
    const late = families.lines.sample(['ingress', 'malformed']);
    late.value = 2;
    assert.equal(await shown(LINES, malformed), 0, 'a new series shows 0, not its live value');
    families.publication.stage();
    lines.value = 9; // after the stage: belongs to the next checkpoint
    assert.equal(await shown(LINES, counted), 4, 'staged is not shown before publish');
    families.publication.publish();
    assert.equal(await shown(LINES, counted), 6);
    assert.equal(await shown(LINES, malformed), 2);
    families.publication.publish(); // nothing staged since: no change (no flip back)
    assert.equal(await shown(LINES, counted), 6);
    families.publication.stage();
    families.publication.publish();
    assert.equal(await shown(LINES, counted), 9);
  });

  it('the handshake-time histogram goes with the counters of the same checkpoint', async () => {
    const { families, shown } = setUp();
    const x = families.durations.series(['ingress', 'downstream', 'x']);
    x.observe(0.001);
    families.publication.defer();
    const series = (name: string): Record<string, string> => ({
      log: 'ingress',
      direction: 'downstream',
      server_name: name,
    });
    assert.equal(await shown(TIMES, series('x')), 1);
    x.observe(0.002);
    const y = families.durations.series(['ingress', 'downstream', 'y']);
    y.observe(0.003);
    assert.equal(await shown(TIMES, series('x')), 1, 'nothing new before a checkpoint');
    assert.equal(await shown(TIMES, series('y')), 0);
    families.publication.stage();
    x.observe(5); // after the stage: the next checkpoint's
    families.publication.publish();
    assert.equal(await shown(TIMES, series('x')), 2);
    assert.equal(await shown(TIMES, series('y')), 1);
  });
});
