// The registry's process and Node.js metrics (prom-client) are loaded after the server listens,
// not at import: a scrape waits for them, several scrapes load them once, a failed load fails the
// scrape instead of serving a page without them.
import { strict as assert } from 'node:assert';
import { Gauge, Registry } from 'prom-client';
import { createRegistry, MetricsRegistry } from '../../../src/metrics/registry.js';

/** A loader of a real prom-client registry holding one gauge, counting its calls. */
function loader(delayMs: number): { load: () => Promise<Registry>; calls: () => number } {
  let calls = 0;
  return {
    load: async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const registry = new Registry();
      new Gauge({ name: 'loaded_late', help: 'set by the loader', registers: [registry] }).set(7);
      return registry;
    },
    calls: () => calls,
  };
}

describe('the registry of process metrics', () => {
  it('a scrape waits for the loader; scrapes at once load it once', async () => {
    const { load, calls } = loader(20);
    const registry = new MetricsRegistry(load);
    const texts = await Promise.all([registry.text(), registry.text(), registry.text()]);
    for (const text of texts) assert.match(text, /^loaded_late 7$/m);
    assert.equal(calls(), 1);
  });

  it('startProcessMetrics starts the load the scrapes then share', async () => {
    const { load, calls } = loader(0);
    const registry = new MetricsRegistry(load);
    await registry.startProcessMetrics();
    assert.equal(calls(), 1);
    assert.match(await registry.text(), /^loaded_late 7$/m);
    assert.equal(calls(), 1);
  });

  it('a failed load fails the scrape', async () => {
    const registry = new MetricsRegistry(() => Promise.reject(new Error('no prom-client')));
    await assert.rejects(registry.text(), /no prom-client/);
  });

  it("the exporter's registry serves prom-client's process metrics; /probe's has none", async () => {
    assert.match(await createRegistry().text(), /^process_resident_memory_bytes \d+/m);
    assert.equal(await createRegistry({ processMetrics: false }).text(), '');
  });
});
