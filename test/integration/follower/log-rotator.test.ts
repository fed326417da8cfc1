// The exporter's own rotation (access_logs[].rotate) against an Envoy stand-in: a writer that
// appends as Envoy does (O_APPEND) and reopens its file on POST /reopen_logs, as Envoy's admin
// does. Real files, a real HTTP server on 127.0.0.1:0, the follower reading throughout.
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { open, stat, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  LogRotator,
  postForStatus,
  rotatedPath,
} from '../../../src/accesslog/follow/log-rotator.js';
import { assertExactly, follow, numbered } from '../../support/follow-harness.js';
import { withTempDir } from '../../support/tmp.js';

/** Envoy's side: an append-mode file, reopened at its path when the admin is asked to. */
class EnvoyStandIn {
  #file!: FileHandle;
  reopens = 0;
  server!: Server;
  constructor(
    readonly path: string,
    private readonly answer: number,
  ) {}
  async start(): Promise<string> {
    this.#file = await open(this.path, 'a');
    this.server = createServer((req, res) => {
      if (req.method !== 'POST' || req.url !== '/reopen_logs') {
        res.writeHead(404).end();
        return;
      }
      const reopen =
        this.answer === 200
          ? this.#file.close().then(async () => {
              this.#file = await open(this.path, 'a');
              this.reopens += 1;
            })
          : Promise.resolve();
      void reopen.then(() => res.writeHead(this.answer).end('OK\n'));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/reopen_logs`;
  }
  write(lines: readonly string[]): Promise<void> {
    return this.#file.appendFile(lines.map((l) => `${l}\n`).join('')).then(() => undefined);
  }
  async stop(): Promise<void> {
    await this.#file.close();
    this.server.close();
  }
}

const LINE = 'x'.repeat(100);

describe('log rotation by the exporter (rotate: max_size, reopen_url)', () => {
  it('renames at max_size, Envoy reopens, the follower reads every line exactly once across it; the file stays bounded', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'listener.log');
      await writeFile(path, '');
      const envoy = new EnvoyStandIn(path, 200);
      const url = await envoy.start();
      const reader = await follow(path, { drainMs: 10_000 });
      let clock = 0;
      const rotator = new LogRotator(
        { path, maxBytes: 20_000, reopenUrl: url, drainMs: 10_000 },
        { now: () => clock, post: postForStatus },
      );
      try {
        const expected: string[] = [];
        for (let round = 0; round < 5; round++) {
          const lines = numbered(round * 300, 300, `r${round}-${LINE}`);
          expected.push(...lines);
          await envoy.write(lines.slice(0, 150));
          await reader.poll();
          await envoy.write(lines.slice(150));
          const outcome = await rotator.check();
          assert.equal(outcome.kind, 'rotated', `round ${round}: ${JSON.stringify(outcome)}`);
          // a line Envoy had buffered lands in the renamed file after the reopen was asked
          await reader.poll(1_000);
          await reader.poll(11_000);
          clock += 11_000;
          assert.ok((await stat(path)).size < 20_000, 'the live file starts small again');
        }
        await reader.poll(11_000);
        assertExactly(reader.got.lines, expected);
        assert.equal(envoy.reopens, 5);
        assert.deepEqual(reader.got.rotations, Array(5).fill('rename'));
        assert.ok((await stat(rotatedPath(path))).size < 40_000, 'one rotated file, of one round');
      } finally {
        await reader.stop();
        await envoy.stop();
      }
    });
  });

  it('below max_size nothing happens; within rotation_drain of the last rotation it waits', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'listener.log');
      await writeFile(path, '');
      const envoy = new EnvoyStandIn(path, 200);
      const url = await envoy.start();
      let clock = 0;
      const rotator = new LogRotator(
        { path, maxBytes: 1_000, reopenUrl: url, drainMs: 10_000 },
        { now: () => clock, post: postForStatus },
      );
      try {
        await envoy.write(['short']);
        assert.deepEqual(await rotator.check(), { kind: 'below', size: 6 });
        await envoy.write(numbered(0, 20, LINE));
        assert.equal((await rotator.check()).kind, 'rotated');
        await envoy.write(numbered(20, 20, LINE));
        clock += 5_000;
        assert.equal((await rotator.check()).kind, 'draining');
        clock += 5_000;
        assert.equal((await rotator.check()).kind, 'rotated');
        assert.equal(envoy.reopens, 2);
      } finally {
        await envoy.stop();
      }
    });
  });

  for (const [name, answer] of [
    ['answers 503', 503],
    ['is not there', 0],
  ] as const)
    it(`when Envoy's admin ${name}, the file is put back where Envoy still writes and it is read on`, async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'listener.log');
        await writeFile(path, '');
        const envoy = new EnvoyStandIn(path, answer === 0 ? 200 : answer);
        const url = await envoy.start();
        if (answer === 0) envoy.server.close();
        const reader = await follow(path);
        const rotator = new LogRotator(
          { path, maxBytes: 1_000, reopenUrl: url, drainMs: 10_000 },
          { now: () => 0, post: postForStatus },
        );
        try {
          await envoy.write(numbered(0, 20, LINE));
          const outcome = await rotator.check();
          assert.equal(outcome.kind, 'reopen_failed');
          assert.match(
            outcome.kind === 'reopen_failed' ? outcome.error : '',
            answer === 0 ? /reopen_logs: fetch failed/ : /answered HTTP 503/,
          );
          await envoy.write(numbered(20, 5, LINE));
          await reader.poll(20_000);
          assertExactly(reader.got.lines, numbered(0, 25, LINE));
          assert.equal((await readFile(path, 'utf8')).split('\n').length, 26);
          await assert.rejects(stat(rotatedPath(path)), /ENOENT/);
        } finally {
          await reader.stop();
          await envoy.stop().catch(() => undefined);
        }
      });
    });
});
