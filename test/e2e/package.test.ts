// The install path the README gives, as a user takes it: `npm pack` in the clone, `npm install -g`
// of the tarball into a prefix of its own, the installed command's version, and `generate --dir`
// writing the same board, rules, examples, kit and metrics doc as the repository's. The tarball
// holds what the README says it holds.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { withTempDir } from '../support/tmp.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('end to end: the package as the README installs it', function () {
  this.timeout(300_000);

  it("npm pack, npm install -g of the tarball, the command runs, generate --dir writes the repository's files", async () => {
    await withTempDir(async (dir) => {
      const { stdout } = await run(
        'npm',
        ['pack', '--json', '--ignore-scripts', '--pack-destination', dir],
        {
          cwd: ROOT,
          maxBuffer: 64 << 20,
        },
      );
      const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
        filename: string;
        files: Array<{ path: string }>;
      }>;
      assert.ok(packed);
      const outside = packed.files
        .map((f) => f.path)
        .filter((p) => !p.startsWith('dist/bundle/'))
        .sort();
      assert.deepEqual(outside, [
        'LICENSE',
        'README.md',
        'README.zh-CN.md',
        'bin/tls-sli-exporter.js',
        'package.json',
      ]);
      const prefix = join(dir, 'global');
      await run(
        'npm',
        [
          'install',
          '-g',
          '--prefix',
          prefix,
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          join(dir, packed.filename),
        ],
        { maxBuffer: 64 << 20 },
      );
      const bin = join(prefix, 'bin', 'tls-sli-exporter');
      const version = await run(bin, ['--version']);
      const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
        version: string;
      };
      assert.equal(version.stdout.trim(), pkg.version);
      const out = join(dir, 'out');
      await run(bin, ['generate', '--dir', out]);
      const written = await files(out);
      assert.ok(written.length > 20, written.join(' '));
      for (const file of written)
        assert.equal(
          await readFile(join(out, file), 'utf8'),
          await readFile(join(ROOT, file), 'utf8'),
          `${file} differs from the repository's`,
        );
    });
  });
});
