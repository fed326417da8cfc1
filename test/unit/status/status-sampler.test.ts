// The sampler behind /api/status: samples the live counters into the history on a driven clock,
// names upstream handshakes apart, computes lines per second, and samples again when the page
// asks after more than 5 s.
import { strict as assert } from 'node:assert';
import { LogFamilies } from '../../../src/metrics/log-families.js';
import { ProbeStore } from '../../../src/probe/probe-store.js';
import { StatusSampler } from '../../../src/status/status-sampler.js';

describe('status sampler', () => {
  function setUp(): {
    families: LogFamilies;
    sampler: StatusSampler;
    clock: { now: number };
  } {
    const families = new LogFamilies();
    const clock = { now: 1_800_000_000 };
    return { families, sampler: new StatusSampler(families, () => clock.now), clock };
  }

  it('success and failures per log and server name; upstream named apart', () => {
    const { families, sampler, clock } = setUp();
    families.success.sample(['ingress', 'downstream', 'api', 'TLSv1.3']).value = 0;
    sampler.sample();
    clock.now += 60;
    families.success.sample(['ingress', 'downstream', 'api', 'TLSv1.3']).value = 8;
    families.success.sample(['ingress', 'downstream', 'api', 'TLSv1.2']).value = 1;
    families.failures.sample(['ingress', 'downstream', 'api', 'unknown_ca']).value = 1;
    families.failures.sample(['ingress', 'upstream', 'api', 'handshake_timeout']).value = 2;
    sampler.sample();
    const { sli } = sampler.model(new ProbeStore(), 0.999, true);
    const byName = new Map(sli.map((r) => [r.serverName, r]));
    assert.equal(byName.get('api')?.ratio5m, 0.9);
    assert.equal(byName.get('api')?.handshakes5m, 10);
    assert.equal(byName.get('api')?.topReasons, 'unknown_ca 1');
    assert.equal(byName.get('api (upstream)')?.ratio5m, 0);
    assert.equal(byName.get('api (upstream)')?.topReasons, 'handshake_timeout 2');
  });

  it('lines per second over the last 5 minutes, and the age of the last line', () => {
    const { families, sampler, clock } = setUp();
    const lines = families.lines.sample(['ingress', 'counted']);
    sampler.sample();
    clock.now += 100;
    lines.value = 250;
    families.lastLine.sample(['ingress']).value = clock.now - 7;
    sampler.sample();
    const [log] = sampler.model(new ProbeStore(), 0.999, true).exporter;
    assert.deepEqual(log, { log: 'ingress', linesPerSecond: 2.5, lastLineAgeSeconds: 7 });
  });

  it('the page asking more than 5 s after the last sample takes a new one; sooner it does not', () => {
    const { families, sampler, clock } = setUp();
    const success = families.success.sample(['ingress', 'downstream', 'api', 'TLSv1.3']);
    sampler.sample();
    clock.now += 5;
    success.value = 3;
    const ratio = (): number | null =>
      sampler.model(new ProbeStore(), 0.999, true).sli[0]?.handshakes5m ?? null;
    assert.equal(ratio(), 0, 'within 5 s: the last sample');
    clock.now += 1;
    assert.equal(ratio(), 3, 'after 5 s: sampled again');
  });
});
