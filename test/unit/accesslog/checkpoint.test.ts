// Publish after persist: counts become visible only with the save of the positions they come
// from, and saves are at most one a second (a scrape sooner sees the last saved counts).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Checkpointer } from '../../../src/accesslog/positions/checkpoint.js';
import {
  parsePositions,
  PositionsFile,
  type FilePosition,
} from '../../../src/accesslog/positions/positions-file.js';
import { METRICS } from '../../../src/metrics/catalog.js';
import { Family } from '../../../src/metrics/family.js';
import { LogFamilies } from '../../../src/metrics/log-families.js';
import { Publication } from '../../../src/metrics/publication.js';
import { withTempDir } from '../../support/tmp.js';

const at = (offset: number): FilePosition => ({
  path: '/var/log/envoy/listener.log',
  id: '1:2',
  fingerprint: 'a'.repeat(64),
  fingerprintBytes: 256,
  offset,
});

describe('checkpoint', () => {
  it('shows counts only once their positions are saved, and saves at most once a second', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'positions.json');
      const file = new PositionsFile(path, () => assert.fail('no problem expected'));
      const family = new Family(METRICS.logLines);
      const sample = family.sample(['ingress', 'counted']);
      const publication = new Publication([family], []);
      const shown = (s = sample): number => publication.value(s);
      let offset = 0;
      let now = 10_000;
      const checkpointer = new Checkpointer(
        file,
        () => [at(offset)],
        publication,
        1_000,
        () => now,
      );
      const savedOffset = async (): Promise<number | undefined> => {
        const parsed = parsePositions(await readFile(path, 'utf8'));
        return parsed.ok ? parsed.positions[0]?.offset : undefined;
      };

      sample.value = 5;
      offset = 500;
      assert.equal(shown(), 0, 'nothing shown before a checkpoint');
      await checkpointer.checkpoint();
      assert.equal(shown(), 5);
      assert.equal(await savedOffset(), 500);

      // within the second: neither saved nor shown
      sample.value = 8;
      offset = 800;
      now += 999;
      await checkpointer.checkpoint();
      assert.equal(shown(), 5);
      assert.equal(await savedOffset(), 500);

      now += 1;
      await checkpointer.checkpoint();
      assert.equal(shown(), 8);
      assert.equal(await savedOffset(), 800);

      // a series created after a checkpoint shows 0 until the next one
      const late = family.sample(['ingress', 'malformed']);
      late.value = 3;
      assert.equal(shown(late), 0);
    });
  });

  it('the handshake-time histogram is published with the counters of the same checkpoint', async () => {
    await withTempDir(async (dir) => {
      const file = new PositionsFile(join(dir, 'p.json'), () => assert.fail('no problem expected'));
      const families = new LogFamilies();
      const success = families.success.sample(['ingress', 'downstream', 'a', 'TLSv1.3']);
      const times = families.durations.series(['ingress', 'downstream', 'a']);
      const checkpointer = new Checkpointer(file, () => [at(0)], families.publication, 0);
      const shown = (): number[] => {
        const count = [...families.durations.samples((s) => families.publication.tally(s))].find(
          (s) => s.name?.endsWith('_count'),
        );
        return [families.publication.value(success), count?.value ?? Number.NaN];
      };
      success.value = 2;
      times.observe(0.003);
      times.observe(0.004);
      assert.deepEqual(shown(), [0, 0], 'nothing shown before a checkpoint');
      await checkpointer.checkpoint();
      assert.deepEqual(shown(), [2, 2]);
      success.value = 3;
      times.observe(0.005);
      assert.deepEqual(shown(), [2, 2], 'a handshake read since is shown with its positions');
    });
  });

  it('runs concurrent checkpoints one after another, each with its own snapshot', async () => {
    await withTempDir(async (dir) => {
      const file = new PositionsFile(join(dir, 'p.json'), () => assert.fail('no problem expected'));
      const family = new Family(METRICS.logLines);
      const sample = family.sample(['ingress', 'counted']);
      const publication = new Publication([family], []);
      const shown = (): number => publication.value(sample);
      let offset = 0;
      const checkpointer = new Checkpointer(file, () => [at(offset)], publication, 0);
      sample.value = 1;
      offset = 100;
      const first = checkpointer.checkpoint();
      sample.value = 2;
      offset = 200;
      const second = checkpointer.checkpoint();
      await first;
      assert.equal(shown(), 2, 'the second snapshot was taken when it ran');
      await second;
      assert.equal(shown(), 2);
    });
  });
});
