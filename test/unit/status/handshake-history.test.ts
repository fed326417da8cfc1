// The status page's success ratios without Prometheus: counter snapshots, differences over a
// window, failures by reason, the worst server names first.
import { strict as assert } from 'node:assert';
import { HandshakeHistory, type CounterRow } from '../../../src/status/handshake-history.js';

const row = (
  serverName: string,
  success: number,
  failures: Record<string, number> = {},
): CounterRow => ({
  log: 'ingress',
  serverName,
  success,
  failures,
});

describe('handshake history', () => {
  it('nothing recorded: no rows', () => {
    assert.deepEqual(new HandshakeHistory().window(300), []);
  });

  it('one snapshot: the counts since the start', () => {
    const h = new HandshakeHistory();
    h.record(1000, [row('a', 9, { unknown_ca: 1 })]);
    const [a] = h.window(300);
    assert.equal(a?.handshakes, 10);
    assert.equal(a?.successRatio, 0.9);
  });

  // counters at 0, 240 and 600 s; the window counts from the oldest snapshot inside it
  const cases: ReadonlyArray<readonly [string, number, number, number | undefined]> = [
    // name, window seconds, handshakes, success ratio
    // no earlier snapshot inside 5 minutes: the counts since the start, as with one snapshot
    // (the sampler samples every 15 s and on demand: only a page asked right after start sees it)
    ['5 minutes, only the latest snapshot inside: the counts since the start', 300, 100, 0.8],
    ['6 minutes: from the snapshot at 240', 360, 40, 0.75],
    ['an hour: from the oldest snapshot', 3600, 100, 0.8],
  ];
  for (const [name, seconds, handshakes, ratio] of cases)
    it(name, () => {
      const h = new HandshakeHistory();
      h.record(0, [row('a', 0)]);
      h.record(240, [row('a', 50, { unknown_ca: 10 })]);
      h.record(600, [row('a', 80, { unknown_ca: 15, cert_expired: 5 })]);
      const [a] = h.window(seconds);
      assert.equal(a?.handshakes, handshakes);
      assert.equal(a?.successRatio, ratio);
    });

  it('top reasons: at most three, most first, only those that grew in the window', () => {
    const h = new HandshakeHistory();
    h.record(0, [row('a', 0, { a: 0, b: 5, c: 0, d: 0, e: 0 })]);
    h.record(60, [row('a', 10, { a: 1, b: 5, c: 7, d: 3, e: 2 })]);
    assert.deepEqual(h.window(300)[0]?.topReasons, [
      ['c', 7],
      ['d', 3],
      ['e', 2],
    ]);
  });

  it('the worst success ratio first, names without handshakes last, ties by name', () => {
    const h = new HandshakeHistory();
    h.record(0, [row('quiet', 0), row('b', 0), row('a', 0), row('bad', 0)]);
    h.record(60, [row('quiet', 0), row('b', 10), row('a', 10), row('bad', 1, { unknown_ca: 9 })]);
    assert.deepEqual(
      h.window(300).map((s) => s.serverName),
      ['bad', 'a', 'b', 'quiet'],
    );
  });

  it('keeps a little over an hour: an older snapshot no longer anchors the hour', () => {
    const h = new HandshakeHistory();
    h.record(0, [row('a', 0)]);
    h.record(100, [row('a', 100)]);
    h.record(4100, [row('a', 200)]);
    // the snapshot at 0 is dropped (older than 3900 s); the hour starts from the one at 100
    assert.equal(h.window(100_000)[0]?.handshakes, 100);
  });
});
