// The part contract: a start is a reload from nothing. The same parts, in the same order, see the
// same calls at a start with B as after a start with A and a reload to B; a refused prepare keeps
// the running config with every part untouched; a failed start stops every part.
import { strict as assert } from 'node:assert';
import { defaultConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { startParts, stopParts, type Part } from '../../../src/runtime/part.js';
import { Reloader } from '../../../src/runtime/reloader.js';
import { memoryLogger } from '../../support/logs.js';

const config = (level: Config['log']['level']): Config => {
  const base = defaultConfig();
  return { ...base, log: { ...base.log, level } };
};

/** Parts that record what they are asked, each refusing or failing where told. */
function recordingParts(
  names: readonly string[],
  options: { refuse?: string; failOn?: string } = {},
): { parts: Part[]; calls: string[] } {
  const calls: string[] = [];
  const parts = names.map((name): Part => ({
    name,
    prepare(next) {
      calls.push(`${name} prepare ${next.log.level}`);
      return options.refuse === `${name} ${next.log.level}`
        ? Promise.reject(new Error(`${name} refuses ${next.log.level}`))
        : Promise.resolve();
    },
    apply(next) {
      if (options.failOn === name) throw new Error(`${name} cannot start`);
      calls.push(`${name} apply ${next.log.level}`);
    },
    stop() {
      calls.push(`${name} stop`);
    },
  }));
  return { parts, calls };
}

const reloaderOf = (initial: Config, next: Config, parts: readonly Part[]): Reloader => {
  const reloader = new Reloader(
    initial,
    () => Promise.resolve(next),
    { loaded: () => undefined, failed: () => undefined },
    memoryLogger().logger,
  );
  reloader.runs(parts);
  return reloader;
};

describe('parts: one list for start, reload and stop', () => {
  const names = ['access logs', 'probes', 'Envoy admin'];
  const pairs: ReadonlyArray<readonly [Config['log']['level'], Config['log']['level']]> = [
    ['info', 'debug'],
    ['debug', 'warn'],
    ['warn', 'warn'],
  ];
  for (const [a, b] of pairs) {
    it(`start(${a}) then reload(${b}) calls the parts as start(${b}) does, in order`, async () => {
      const started = recordingParts(names);
      await startParts(started.parts, config(a));
      started.calls.length = 0;
      assert.deepEqual(await reloaderOf(config(a), config(b), started.parts).reload(), {
        ok: true,
      });
      const fresh = recordingParts(names);
      await startParts(fresh.parts, config(b));
      assert.deepEqual(started.calls, fresh.calls);
    });
  }

  it('a refused prepare keeps the running config and applies nothing', async () => {
    const { parts, calls } = recordingParts(names, { refuse: 'probes debug' });
    await startParts(parts, config('info'));
    calls.length = 0;
    const reloader = reloaderOf(config('info'), config('debug'), parts);
    const result = await reloader.reload();
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /probes refuses debug/);
    assert.equal(reloader.current.log.level, 'info');
    assert.deepEqual(calls, ['access logs prepare debug', 'probes prepare debug']);
  });

  it('a start that fails in one part stops every part and says why', async () => {
    const { parts, calls } = recordingParts(names, { failOn: 'probes' });
    await assert.rejects(startParts(parts, config('info')), /probes cannot start/);
    assert.deepEqual(calls, [
      'access logs prepare info',
      'probes prepare info',
      'Envoy admin prepare info',
      'access logs apply info',
      'access logs stop',
      'probes stop',
      'Envoy admin stop',
    ]);
  });

  it('stop reaches every part', async () => {
    const { parts, calls } = recordingParts(names);
    await stopParts(parts);
    assert.deepEqual(calls.sort(), ['Envoy admin stop', 'access logs stop', 'probes stop']);
  });
});
