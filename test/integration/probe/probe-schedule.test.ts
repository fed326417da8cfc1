// The scheduled round: jitter spreads start times over the window, it does not queue a wait
// behind every probe; a reload during a round neither republishes a removed target nor leaves the
// new ones for the next tick. Real sockets (a closed loopback port refuses at once, a silent one
// holds a probe until its timeout); the clock and the jitter's wait are driven by the test.
import { strict as assert } from 'node:assert';
import { createServer, type Socket } from 'node:net';
import { parseConfigText } from '../../../src/config/load.js';
import { jitterPlan, ProbeService } from '../../../src/probe/probe-service.js';
import { ProbeStore } from '../../../src/probe/probe-store.js';
import { RevocationKeeper } from '../../../src/probe/revocation-keeper.js';
import { memoryLogger } from '../../support/logs.js';
import { closedPort } from '../../support/tls-servers.js';
import { until } from '../../support/until.js';

describe('probe round jitter', () => {
  const plans: Array<{ randoms: number[]; jitter: number; order: string[]; offsets: number[] }> = [
    { randoms: [0.9, 0.1, 0.5], jitter: 1000, order: ['a', 'b', 'c'], offsets: [100, 500, 900] },
    { randoms: [0, 0, 0], jitter: 2000, order: ['a', 'b', 'c'], offsets: [0, 0, 0] },
    { randoms: [0.5, 0.25, 0.75], jitter: 0, order: ['a', 'b', 'c'], offsets: [0, 0, 0] },
  ];
  for (const { randoms, jitter, order, offsets } of plans) {
    it(`plans starts for randoms ${randoms.join(', ')} within ${jitter} ms in the order they are due`, () => {
      const queue = [...randoms];
      const plan = jitterPlan(order, jitter, () => queue.shift() ?? 0);
      assert.deepEqual(
        plan.map((p) => p.offsetMs),
        offsets,
      );
      if (jitter === 1000)
        assert.deepEqual(
          plan.map((p) => p.item),
          ['b', 'c', 'a'],
        );
    });
  }

  it('a round of 20 targets at concurrency 1 waits once for the shared offset, not 20 times', async () => {
    const port = await closedPort();
    const targets = Array.from(
      { length: 20 },
      (_, i) =>
        `    - {name: t${i}, address: '127.0.0.1:${port}', server_name: localhost, module: m}`,
    );
    const config = parseConfigText(
      [
        'probes:',
        "  schedule: '0 0 0 1 1 *'",
        '  concurrency: 1',
        '  jitter: 1s',
        '  modules: {m: {timeout: 2s}}',
        '  targets:',
        ...targets,
        '',
      ].join('\n'),
      'round.yml',
    );
    let now = 1_000_000;
    const sleeps: number[] = [];
    const store = new ProbeStore();
    const logger = memoryLogger().logger;
    const service = new ProbeService({
      store,
      logger,
      revocation: new RevocationKeeper(logger),
      random: () => 0.5,
      clockMs: () => now,
      sleep: (ms) => {
        sleeps.push(ms);
        now += ms;
        return Promise.resolve();
      },
    });
    try {
      await service.apply(config);
      await service.runAll();
      // every target is due at +500 ms: the first start waits for it, the rest are already due
      assert.deepEqual(sleeps, [500]);
      const probed = [...store.probeResults()].filter((r) => r.reason === 'refused');
      assert.equal(probed.length, 20);
    } finally {
      await service.stop();
    }
  });
});

describe('a reload during a probe round', () => {
  it('a removed target in flight is not published again, and the new targets are probed at once', async () => {
    // a server that takes the connection and never answers the ClientHello: the probe waits
    // for its timeout while the reload happens
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port: silentPort } = silent.address() as { port: number };
    const refusing = await closedPort();
    const configWith = (name: string, port: number) =>
      parseConfigText(
        [
          'probes:',
          "  schedule: '0 0 0 1 1 *'",
          '  jitter: 0s',
          '  modules: {m: {timeout: 1s}}',
          '  targets:',
          `    - {name: ${name}, address: '127.0.0.1:${port}', server_name: localhost, module: m}`,
          '',
        ].join('\n'),
        'reload.yml',
      );
    const store = new ProbeStore();
    const logger = memoryLogger().logger;
    const service = new ProbeService({ store, logger, revocation: new RevocationKeeper(logger) });
    try {
      await service.apply(configWith('slow', silentPort));
      await until(() => Promise.resolve(held.length > 0 || undefined), 'the probe to connect');
      await service.apply(configWith('quick', refusing));
      await service.runAll();
      const targets = [...store.probeResults()].map((r) => r.target);
      assert.deepEqual(targets, ['quick']);
    } finally {
      await service.stop();
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });
});
