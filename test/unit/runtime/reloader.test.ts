import { strict as assert } from 'node:assert';
import { ConfigError } from '../../../src/config/errors.js';
import { defaultConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { Reloader } from '../../../src/runtime/reloader.js';
import { memoryLogger } from '../../support/logs.js';

function recorder(): { events: string[]; loaded(at: number): void; failed(): void } {
  const events: string[] = [];
  return {
    events,
    loaded: (at) => events.push(`loaded@${at}`),
    failed: () => events.push('failed'),
  };
}

function withLevel(level: Config['log']['level']): Config {
  const base = defaultConfig();
  return { ...base, log: { ...base.log, level } };
}

describe('Reloader', () => {
  it('records the initial load, then swaps in a valid config and tells listeners', async () => {
    const rec = recorder();
    const seen: string[] = [];
    const reloader = new Reloader(
      withLevel('info'),
      () => Promise.resolve(withLevel('debug')),
      rec,
      memoryLogger().logger,
      () => 7,
    );
    reloader.onChange((next, prev) => {
      seen.push(`${prev.log.level}->${next.log.level}`);
    });
    assert.deepEqual(await reloader.reload(), { ok: true });
    assert.equal(reloader.current.log.level, 'debug');
    assert.deepEqual(seen, ['info->debug']);
    assert.deepEqual(rec.events, ['loaded@7', 'loaded@7']);
  });

  it('keeps the running config when the new one is invalid, and says why', async () => {
    const rec = recorder();
    const logs = memoryLogger();
    const bad = new ConfigError('CONFIG_INVALID', [
      { file: 'c.yml', line: 2, column: 3, path: 'log.level', message: 'expected "info"' },
    ]);
    const reloader = new Reloader(
      withLevel('warn'),
      () => Promise.reject(bad),
      rec,
      logs.logger,
      () => 1,
    );
    const result = await reloader.reload();
    assert.deepEqual(result, { ok: false, error: 'c.yml:2:3 log.level: expected "info"' });
    assert.equal(reloader.current.log.level, 'warn');
    assert.deepEqual(rec.events, ['loaded@1', 'failed']);
    assert.ok(
      logs.records.some((r) => r['level'] === 'error' && String(r['err']).includes('log.level')),
    );
  });

  it('runs concurrent reloads one after another', async () => {
    let active = 0;
    let maxActive = 0;
    const reloader = new Reloader(
      defaultConfig(),
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setImmediate(r));
        active -= 1;
        return defaultConfig();
      },
      recorder(),
      memoryLogger().logger,
    );
    const results = await Promise.all([reloader.reload(), reloader.reload(), reloader.reload()]);
    assert.deepEqual(results, [{ ok: true }, { ok: true }, { ok: true }]);
    assert.equal(maxActive, 1);
  });

  it('a listener that throws does not undo the swap, is logged, and makes the reload a failure', async () => {
    const logs = memoryLogger();
    const events = recorder();
    const reloader = new Reloader(
      withLevel('info'),
      () => Promise.resolve(withLevel('error')),
      events,
      logs.logger,
    );
    let applied = false;
    reloader.onChange(() => {
      throw new Error('listener broke');
    });
    reloader.onChange(() => {
      applied = true;
    });
    const result = await reloader.reload();
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /applied in part: listener broke/);
    assert.equal(reloader.current.log.level, 'error');
    assert.equal(applied, true, 'the other listeners still run');
    assert.equal(events.events.at(-1), 'failed', 'the success gauge goes to 0');
    assert.equal(reloader.lastOk, false);
    assert.ok(logs.records.some((r) => String(r['err']).includes('listener broke')));
  });
});
