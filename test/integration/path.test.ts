// What the README promises about running the command from a clone after `npm ci`: `npx
// tls-sli-exporter` finds the package's own bin (the bare name is not on PATH).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('running the command from a clone', function () {
  this.timeout(60_000);

  it("npx tls-sli-exporter --version runs the clone's own bin, as the README says", () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string };
    const run = spawnSync('npx', ['--no-install', 'tls-sli-exporter', '--version'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), pkg.version);
    assert.match(readFileSync(`${root}README.md`, 'utf8'), /npx tls-sli-exporter/);
  });
});
