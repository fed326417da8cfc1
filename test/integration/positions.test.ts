// positions_file with the exporter in this process: a restart resumes where the last scrape left
// off (even with start_at: end), a file rotated away during the downtime is drained first, a
// reused inode is told apart by its fingerprint, and a corrupt or unwritable positions file is
// reported while the exporter keeps counting.
import { strict as assert } from 'node:assert';
import { appendFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { identityOf } from '../../src/accesslog/follow/file-follower.js';
import { parsePositions } from '../../src/accesslog/positions/positions-file.js';
import type { RunningExporter } from '../../src/main.js';
import { METRICS } from '../../src/metrics/catalog.js';
import { listenerJson } from '../support/envoy-lines.js';
import { sampleValue } from '../support/exposition.js';
import { startOnLoopback } from '../support/exporter.js';
import { withTempDir } from '../support/tmp.js';

const line = (i: number): string =>
  `${listenerJson({
    CONNECTION_ID: i,
    REQUESTED_SERVER_NAME: 'audit.example',
    DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
    DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
  })}\n`;
const lines = (from: number, count: number): string =>
  Array.from({ length: count }, (_, k) => line(from + k)).join('');

interface World {
  readonly dir: string;
  readonly log: string;
  readonly positions: string;
  readonly config: string;
}

async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const log = join(dir, 'listener.log');
    const positions = join(dir, 'state', 'positions.json');
    await writeFile(log, '');
    await mkdir(join(dir, 'state'));
    const config = join(dir, 'config.yml');
    await writeFile(
      config,
      `positions_file: ${positions}\naccess_logs:\n  - {name: ingress, path: ${log}, format: envoy_listener_json, start_at: end, rotation_drain: 0s}\n`,
    );
    await fn({ dir, log, positions, config });
  });
}

async function run(config: string): Promise<RunningExporter> {
  return startOnLoopback(config, { watchLogs: false, positionsIntervalMs: 0 });
}

/** A whole run: start, `act`, one scrape's count of handshakes, stop (whatever happened). */
async function countedInRun(
  config: string,
  act: (exporter: RunningExporter) => Promise<unknown> = () => Promise.resolve(),
): Promise<number> {
  const exporter = await run(config);
  try {
    await act(exporter);
    return (await scrape(exporter)).counted;
  } finally {
    await exporter.stop();
  }
}

/** The config's log path replaced (a glob). */
async function followPath(config: string, path: string): Promise<void> {
  await writeFile(
    config,
    (await readFile(config, 'utf8')).replace(/path: [^,]+,/, `path: ${path},`),
  );
}

/** One scrape, as Prometheus would: the handshakes counted and the positions errors. */
async function scrape(
  exporter: RunningExporter,
): Promise<{ counted: number; errors: (kind: string) => number | undefined }> {
  await exporter.pollLogs();
  const text = await (await fetch(`http://127.0.0.1:${exporter.address.port}/metrics`)).text();
  return {
    counted:
      sampleValue(text, METRICS.handshakeSuccess.name, { server_name: 'audit.example' }) ?? 0,
    errors: (kind) => sampleValue(text, METRICS.positionsErrors.name, { kind }),
  };
}

describe('positions file', function () {
  this.timeout(30_000);

  it('a restart resumes where the last scrape left off, even with start_at: end', async () => {
    await withWorld(async ({ log, positions, config }) => {
      assert.equal(await countedInRun(config, () => appendFile(log, lines(0, 10))), 10);
      // written while the exporter is down: counted by the next run
      await appendFile(log, lines(10, 5));
      assert.equal(await countedInRun(config), 5);
      const saved = parsePositions(await readFile(positions, 'utf8'));
      assert.ok(saved.ok);
      if (saved.ok) {
        assert.equal(saved.positions[0]?.offset, (await stat(log)).size);
        assert.equal(saved.positions[0]?.id, identityOf(await stat(log)));
      }
    });
  });

  it('only what a scrape showed is taken as done: lines counted after it are counted again', async () => {
    await withWorld(async ({ log, config }) => {
      const first = await run(config);
      await appendFile(log, lines(0, 4));
      assert.equal((await scrape(first)).counted, 4);
      // counted by this run but never scraped before it stops
      await appendFile(log, lines(4, 3));
      await first.pollLogs();
      await first.stop();
      assert.equal(await countedInRun(config), 3);
    });
  });

  it('a reload that restarts a log carries on from where its files stand', async () => {
    await withWorld(async ({ log, config }) => {
      const exporter = await run(config);
      try {
        await appendFile(log, lines(0, 5));
        assert.equal((await scrape(exporter)).counted, 5);
        // appended, not yet read, when the reload restarts the log's follower
        await appendFile(log, lines(5, 3));
        await writeFile(
          config,
          (await readFile(config, 'utf8')).replace('}', ', max_line_bytes: 32768}'),
        );
        assert.deepEqual(await exporter.reload(), { ok: true });
        await appendFile(log, lines(8, 2));
        assert.equal((await scrape(exporter)).counted, 10);
      } finally {
        await exporter.stop();
      }
    });
  });

  it('a file rotated away during the downtime is drained from its offset, then the new one read from 0', async () => {
    await withWorld(async ({ log, config }) => {
      assert.equal(await countedInRun(config, () => appendFile(log, lines(0, 6))), 6);
      await appendFile(log, lines(6, 4));
      await rename(log, `${log}.1`);
      await writeFile(log, lines(10, 7));
      assert.equal(await countedInRun(config), 4 + 7);
    });
  });

  it('a glob: every matched file resumes at its own offset; a file new since then is read from 0', async () => {
    await withWorld(async ({ dir, config }) => {
      const a = join(dir, 'a.access.log');
      const b = join(dir, 'b.access.log');
      await writeFile(a, '');
      await writeFile(b, '');
      await followPath(config, join(dir, '*.access.log'));
      const written = async (): Promise<void> => {
        await appendFile(a, lines(0, 3));
        await appendFile(b, lines(3, 4));
      };
      assert.equal(await countedInRun(config, written), 7);
      await appendFile(a, lines(7, 2));
      await appendFile(b, lines(9, 1));
      await writeFile(join(dir, 'c.access.log'), lines(10, 5));
      assert.equal(await countedInRun(config), 2 + 1 + 5);
    });
  });

  it('a glob that also matches the rotated name: the rotated file is read once, from its offset', async () => {
    await withWorld(async ({ log, config }) => {
      await followPath(config, `${log}*`);
      assert.equal(await countedInRun(config, () => appendFile(log, lines(0, 6))), 6);
      await appendFile(log, lines(6, 4));
      await rename(log, `${log}.1`);
      await writeFile(log, lines(10, 7));
      assert.equal(await countedInRun(config, (e) => e.pollLogs()), 4 + 7);
    });
  });

  it('a reused inode is a new file (the fingerprint differs): read from 0', async () => {
    await withWorld(async ({ log, positions, config }) => {
      assert.equal(await countedInRun(config, () => appendFile(log, lines(0, 8))), 8);
      await rm(log);
      // longer than the old offset, so only the fingerprint can tell the files apart
      await writeFile(log, lines(100, 12));
      // the file system handed the new file the old inode (as ext4 and xfs do): say so in the
      // saved identity, keeping the old file's fingerprint and offset
      const saved = parsePositions(await readFile(positions, 'utf8'));
      assert.ok(saved.ok && saved.positions[0]);
      const reused = { ...saved.positions[0], id: identityOf(await stat(log)) };
      await writeFile(positions, JSON.stringify({ version: 1, files: [reused] }));
      assert.equal(await countedInRun(config), 12);
    });
  });

  it('a corrupt positions file is reported and treated as absent; the exporter keeps running', async () => {
    await withWorld(async ({ log, positions, config }) => {
      await writeFile(positions, '{"version": 1, "files": [');
      await appendFile(log, lines(0, 3));
      const exporter = await run(config);
      try {
        const first = await scrape(exporter);
        assert.equal(first.errors('corrupt'), 1);
        // start_at: end, as with no positions: the 3 old lines are skipped
        assert.equal(first.counted, 0);
        await appendFile(log, lines(3, 2));
        assert.equal((await scrape(exporter)).counted, 2);
        assert.ok(parsePositions(await readFile(positions, 'utf8')).ok, 'rewritten whole');
      } finally {
        await exporter.stop();
      }
    });
  });

  it('an unwritable positions file is reported; counts are still published', async () => {
    await withWorld(async ({ dir, log, config }) => {
      await writeFile(join(dir, 'blocker'), '');
      const text = (await readFile(config, 'utf8')).replace(
        /positions_file: .*/,
        `positions_file: ${join(dir, 'blocker', 'positions.json')}`,
      );
      await writeFile(config, text);
      const exporter = await run(config);
      try {
        await appendFile(log, lines(0, 5));
        const result = await scrape(exporter);
        assert.equal(result.counted, 5);
        assert.ok((result.errors('write') ?? 0) >= 1);
      } finally {
        await exporter.stop();
      }
    });
  });
});
