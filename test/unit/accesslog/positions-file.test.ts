// The positions file format and its atomic save: what is accepted, what is corrupt, and that a
// failed write is reported without throwing.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  fingerprintOf,
  formatPositions,
  parsePositions,
  PositionsFile,
  type FilePosition,
  type PositionsProblem,
} from '../../../src/accesslog/positions/positions-file.js';
import { withTempDir } from '../../support/tmp.js';

const GOOD: FilePosition = {
  path: '/var/log/envoy/listener.log',
  id: '2049:1234567',
  fingerprint: fingerprintOf(Buffer.from('{"start_time":"2026-11-30T00:00:00Z"}\n')),
  fingerprintBytes: 38,
  offset: 1_048_576,
};

describe('positions file', () => {
  const corrupt: ReadonlyArray<[string, string, RegExp]> = [
    ['empty', '', /empty/],
    ['blank', ' \n', /empty/],
    ['not JSON', '{"version":1,', /not JSON/],
    ['another version', '{"version":2,"files":[]}', /expected \{"version": 1/],
    ['a list', '[]', /expected \{"version": 1/],
    ['files not a list', '{"version":1,"files":{}}', /files: expected a list/],
    [
      'a negative offset',
      JSON.stringify({ version: 1, files: [{ ...GOOD, offset: -1 }] }),
      /files/,
    ],
    [
      'a short fingerprint',
      JSON.stringify({ version: 1, files: [{ ...GOOD, fingerprint: 'ab' }] }),
      /files/,
    ],
    [
      'too many fingerprint bytes',
      JSON.stringify({ version: 1, files: [{ ...GOOD, fingerprintBytes: 257 }] }),
      /files/,
    ],
    [
      'an offset as text',
      JSON.stringify({ version: 1, files: [{ ...GOOD, offset: '10' }] }),
      /files/,
    ],
  ];
  for (const [name, text, detail] of corrupt) {
    it(`is corrupt when ${name}`, () => {
      const parsed = parsePositions(text);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.detail, detail);
    });
  }

  it('reads back what it writes', () => {
    assert.deepEqual(parsePositions(formatPositions([GOOD])), { ok: true, positions: [GOOD] });
  });

  it('saves atomically (no temp file left), loads it back; a first start has nothing to report', async () => {
    await withTempDir(async (dir) => {
      const problems: PositionsProblem[] = [];
      const file = new PositionsFile(join(dir, 'positions.json'), (p) => problems.push(p));
      assert.deepEqual(await file.load(), []);
      assert.equal(await file.save([GOOD]), true);
      assert.equal(await file.save([{ ...GOOD, offset: 7 }]), true);
      assert.deepEqual(await file.load(), [{ ...GOOD, offset: 7 }]);
      assert.deepEqual(await readdir(dir), ['positions.json']);
      assert.deepEqual(problems, []);
    });
  });

  it('reports a corrupt file and a failed write, and never throws', async () => {
    await withTempDir(async (dir) => {
      const problems: Array<[PositionsProblem, string]> = [];
      const path = join(dir, 'positions.json');
      await writeFile(path, 'garbage');
      const file = new PositionsFile(path, (p, detail) => problems.push([p, detail]));
      assert.deepEqual(await file.load(), []);
      // a directory that cannot hold the file (its parent is a regular file: even root fails)
      await writeFile(join(dir, 'not-a-dir'), '');
      const unwritable = new PositionsFile(join(dir, 'not-a-dir', 'positions.json'), (p, detail) =>
        problems.push([p, detail]),
      );
      assert.equal(await unwritable.save([GOOD]), false);
      assert.deepEqual(
        problems.map(([p]) => p),
        ['corrupt', 'write'],
      );
      assert.match(problems[1]?.[1] ?? '', /ENOTDIR/);
      assert.equal(await readFile(path, 'utf8'), 'garbage');
    });
  });
});
