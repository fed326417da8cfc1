// Scenario-named follower tests over real files: exact counts, no loss, no duplicate.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFile,
  chmod,
  copyFile,
  mkdir,
  open,
  rename,
  symlink,
  truncate,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  assertExactly,
  follow as followFile,
  numbered,
  type FollowOptions,
} from '../../support/follow-harness.js';
import { withTempDir } from '../../support/tmp.js';

const text = (lines: readonly string[]): string => lines.map((l) => `${l}\n`).join('');

// Once with lines as text, once with whole lines handed over as bytes (the JSON fast path's way):
// what is read, held, dropped and counted must be the same.
for (const blocks of [false, true])
  describe(blocks ? 'follower scenarios, lines as byte blocks' : 'follower scenarios', () => {
    const follow = (path: string, options: FollowOptions = {}) =>
      followFile(path, { ...options, blocks });

    it('follower-rename-create: steady writes at ~10k lines/s across a rename rotation, lines still landing in the old file', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(path, '');
        const h = await follow(path);
        const written: string[] = [];
        let fd = await open(path, 'a');
        let n = 0;
        const writeBatch = async (count: number): Promise<void> => {
          const batch = numbered(n, count);
          n += count;
          written.push(...batch);
          await fd.write(text(batch));
        };
        // 1 s of traffic in 10 ms steps of 100 lines, polling as we go; rotate halfway
        for (let step = 0; step < 100; step++) {
          await writeBatch(100);
          if (step === 50) {
            await rename(path, join(dir, 'access.log.1'));
            await writeBatch(100); // Envoy writes on to its open fd until it reopens
            await h.poll(1);
            await writeBatch(100);
            await fd.close();
            fd = await open(path, 'a'); // reopen_logs: a new file at the old path
          }
          if (step % 3 === 0) await h.poll(10);
          else h.clock += 10;
        }
        await fd.close();
        await h.poll(10_000);
        await h.poll(1);
        assertExactly(h.got.lines, written);
        assert.deepEqual(h.got.rotations, ['rename']);
        await h.stop();
      });
    });

    it('follower-racing-writer: polls that run while lines are appended never see a false truncation', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(path, '');
        const h = await follow(path);
        const fd = await open(path, 'a');
        const written = numbered(0, 20_000);
        let done = false;
        const writer = (async () => {
          for (let i = 0; i < written.length; i += 100)
            await fd.write(text(written.slice(i, i + 100)));
          done = true;
        })();
        const poller = (async () => {
          while (!done) await h.poll(1);
        })();
        await Promise.all([writer, poller]);
        await fd.close();
        await h.poll(1);
        assertExactly(h.got.lines, written);
        assert.deepEqual(h.got.rotations, []);
        await h.stop();
      });
    });

    it('follower-copytruncate: the truncated file is read again from 0, nothing twice', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(path, text(numbered(0, 500)));
        const h = await follow(path);
        await h.poll();
        await copyFile(path, `${path}.1`);
        await truncate(path, 0);
        await appendFile(path, text(numbered(500, 10)));
        await h.poll();
        assertExactly(h.got.lines, numbered(0, 510));
        assert.deepEqual(h.got.rotations, ['truncate']);
        await h.stop();
      });
    });

    it('follower-recreate: delete then create reads the new file from 0', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(path, text(numbered(0, 3)));
        const h = await follow(path);
        await h.poll();
        await unlink(path);
        await h.poll();
        await writeFile(path, text(numbered(3, 4)));
        await h.poll(10_001);
        await h.poll();
        assertExactly(h.got.lines, numbered(0, 7));
        assert.deepEqual(h.got.rotations, ['recreate']);
        await h.stop();
      });
    });

    it('follower-missing-at-start: waits, then reads the file from 0 even with start_at end', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'sub', 'access.log');
        const h = await follow(path, { startAt: 'end' });
        await h.poll();
        assert.deepEqual(h.got.lines, []);
        await mkdir(join(dir, 'sub'));
        await writeFile(path, text(numbered(0, 5)));
        await h.poll();
        assertExactly(h.got.lines, numbered(0, 5));
        assert.deepEqual(h.got.errors, []);
        await h.stop();
      });
    });

    it('follower-symlink-swap: a swapped link is followed to the new target from 0', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'current.log');
        await writeFile(join(dir, 'a.log'), text(numbered(0, 2)));
        await symlink(join(dir, 'a.log'), path);
        const h = await follow(path);
        await h.poll();
        await writeFile(join(dir, 'b.log'), text(numbered(2, 3)));
        await symlink(join(dir, 'b.log'), `${path}.tmp`);
        await rename(`${path}.tmp`, path);
        await appendFile(join(dir, 'a.log'), text(numbered(100, 1)));
        await h.poll();
        await h.poll(10_001);
        assertExactly([...h.got.lines].sort(), [...numbered(0, 5), 'line-100'].sort());
        assert.deepEqual(h.got.rotations, ['symlink']);
        await h.stop();
      });
    });

    it('follower-partial-line: a line is held until its newline arrives', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(path, 'first\nsec');
        const h = await follow(path);
        await h.poll();
        assert.deepEqual(h.got.lines, ['first']);
        await appendFile(path, 'ond half');
        await h.poll();
        assert.deepEqual(h.got.lines, ['first']);
        await appendFile(path, '\nthird\n');
        await h.poll();
        assert.deepEqual(h.got.lines, ['first', 'second half', 'third']);
        await h.stop();
      });
    });

    it('follower-start-at-end: existing lines are skipped, a line cut at the start too', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(path, `${text(numbered(0, 10))}half-writ`);
        const h = await follow(path, { startAt: 'end' });
        await appendFile(path, 'ten\nnew-1\n');
        await h.poll();
        assert.deepEqual(h.got.lines, ['new-1']);
        await h.stop();
      });
    });

    it('follower-oversize: a line over max_line_bytes across reads is dropped and counted once', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        const huge = 'x'.repeat(600_000);
        await writeFile(path, `before\n${huge}\nafter\n${'y'.repeat(2000)}\n`);
        const h = await follow(path, { maxLineBytes: 1024 });
        await h.poll();
        assert.deepEqual(h.got.lines, ['before', 'after']);
        assert.deepEqual(h.got.oversize, [600_001, 2001]);
        await h.stop();
      });
    });

    it('follower-crlf: lines ending in CR LF are delivered without the CR', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(path, 'one\r\ntwo\r\n');
        const h = await follow(path);
        await h.poll();
        assert.deepEqual(h.got.lines, ['one', 'two']);
        await h.stop();
      });
    });

    it('follower-invalid-utf8: bad bytes decode to U+FFFD and never stop the follower', async () => {
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(
          path,
          Buffer.concat([
            Buffer.from('ok-1\nbad-'),
            Buffer.from([0xff, 0xfe, 0xc3]),
            Buffer.from('\nok-2\n'),
          ]),
        );
        const h = await follow(path);
        await h.poll();
        assert.deepEqual(h.got.lines, ['ok-1', 'bad-\ufffd\ufffd\ufffd', 'ok-2']);
        await h.stop();
      });
    });

    it('follower-burst: one million lines written at once are all read, once', async function () {
      this.timeout(60_000);
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        const count = 1_000_000;
        const lines = numbered(0, count);
        await writeFile(path, text(lines));
        const h = await follow(path);
        await h.poll();
        assert.equal(h.got.lines.length, count);
        assert.equal(h.got.lines[0], 'line-0');
        assert.equal(h.got.lines[count - 1], `line-${count - 1}`);
        assert.equal(new Set(h.got.lines).size, count);
        await h.stop();
      });
    });

    it('follower-glob: new matches are read from 0; a rotated name matching the glob is not read twice', async () => {
      await withTempDir(async (dir) => {
        await writeFile(join(dir, 'a.log'), text(numbered(0, 2, 'a')));
        const h = await follow(join(dir, '*.log*'), { startAt: 'end' });
        await appendFile(join(dir, 'a.log'), text(numbered(2, 1, 'a')));
        await writeFile(join(dir, 'b.log'), text(numbered(0, 2, 'b')));
        await h.poll();
        await rename(join(dir, 'a.log'), join(dir, 'a.log.1'));
        await writeFile(join(dir, 'a.log'), text(numbered(3, 1, 'a')));
        await appendFile(join(dir, 'a.log.1'), text(numbered(100, 1, 'a')));
        await h.poll();
        await h.poll(10_001);
        await appendFile(join(dir, 'a.log.1'), text(numbered(200, 1, 'a')));
        await h.poll();
        assert.deepEqual(
          [...h.got.lines].sort(),
          ['a-2', 'a-3', 'a-100', 'a-200', 'b-0', 'b-1'].sort(),
        );
        await h.stop();
      });
    });

    it('follower-unreadable: a permission error is reported once, and reading resumes when fixed', async function () {
      if (process.getuid?.() === 0) {
        // root reads any file: the follower runs as nobody (setpriv), as it would in production
        await withTempDir(async (dir) => {
          await chmod(dir, 0o755);
          const path = join(dir, 'access.log');
          await writeFile(path, 'x\n', { mode: 0o000 });
          const child = spawn(
            'setpriv',
            [
              '--reuid=65534',
              '--regid=65534',
              '--clear-groups',
              process.execPath,
              '--import',
              'tsx',
              fileURLToPath(new URL('../../support/unreadable-follower-child.ts', import.meta.url)),
              path,
            ],
            {
              stdio: ['pipe', 'pipe', 'inherit'],
              cwd: fileURLToPath(new URL('../../../', import.meta.url)),
            },
          );
          assert.ok(child.stdout && child.stdin, 'setpriv must be installed (util-linux)');
          const steps = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
          const step = async (): Promise<{ errors: string[]; lines: string[] }> =>
            JSON.parse(String((await steps.next()).value)) as { errors: string[]; lines: string[] };
          assert.deepEqual(await step(), { errors: ['permission_denied'], lines: [] });
          await chmod(path, 0o644);
          child.stdin.end('fixed\n');
          assert.deepEqual(await step(), { errors: ['permission_denied'], lines: ['x'] });
          const [code] = (await once(child, 'exit')) as [number];
          assert.equal(code, 0);
        });
        return;
      }
      await withTempDir(async (dir) => {
        const path = join(dir, 'access.log');
        await writeFile(path, 'x\n', { mode: 0o000 });
        const h = await follow(path);
        await h.poll();
        await h.poll();
        assert.deepEqual(h.got.errors, ['permission_denied']);
        await h.stop();
      });
    });
  });
