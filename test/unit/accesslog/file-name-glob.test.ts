import { strict as assert } from 'node:assert';
import { isGlob, pathGlob } from '../../../src/config/globs.js';

describe('file-name globs of access_logs paths', () => {
  const cases: ReadonlyArray<[string, string, boolean]> = [
    ['*.log', 'listener.log', true],
    ['*.log', 'listener.log.1', false],
    ['access.log*', 'access.log.1', true],
    ['envoy-?.log', 'envoy-1.log', true],
    ['envoy-?.log', 'envoy-12.log', false],
    ['envoy-[ab].log', 'envoy-b.log', true],
    ['envoy-[!ab].log', 'envoy-b.log', false],
    ['a+b(c).log', 'a+b(c).log', true],
  ];
  for (const [glob, name, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${name}`, () => {
      assert.equal(pathGlob(glob).test(name), expected);
    });
  }
  it('only the file-name part makes a glob', () => {
    assert.equal(isGlob('/var/log/envoy/*.log'), true);
    assert.equal(isGlob('/var/log/envoy/listener.log'), false);
  });
});
