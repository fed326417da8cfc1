import { strict as assert } from 'node:assert';
import { parseConfigText } from '../../../src/config/load.js';
import { isAllowed } from '../../../src/probe/probe-endpoint.js';

const probesOf = (allowed: string): ReturnType<typeof parseConfigText>['probes'] =>
  parseConfigText(`probes:\n  modules: {m: {allowed_targets: ${allowed}}}\n`, 'test.yml').probes;

describe('isAllowed (the /probe allow-list)', () => {
  const cases: Array<[allowed: string, target: string, expected: boolean]> = [
    ["['*.dify.svc:*']", 'es.logging.dify.svc:9200', true],
    ["['*.dify.svc:*']", 'es.logging.dify.svc', false],
    ["['*.dify.svc:443']", 'es.logging.dify.svc:9200', false],
    ["['10.0.0.?:443', '[::1]:*']", '10.0.0.7:443', true],
    ["['10.0.0.?:443', '[::1]:*']", '[::1]:8443', true],
    ["['10.0.0.?:443', '[::1]:*']", '10.0.0.17:443', false],
    ["['API.example:*']", 'api.EXAMPLE:443', true],
  ];
  for (const [allowed, target, expected] of cases) {
    it(`${allowed} ${expected ? 'admits' : 'refuses'} ${target}, on every call`, () => {
      const probes = probesOf(allowed);
      // the compiled globs are kept per config: a second call answers as the first
      assert.equal(isAllowed(probes, 'm', target), expected);
      assert.equal(isAllowed(probes, 'm', target), expected);
    });
  }

  it('a new config (a reload) is judged by its own globs, not the ones compiled before', () => {
    const before = probesOf("['a.example:*']");
    const after = probesOf("['b.example:*']");
    assert.equal(isAllowed(before, 'm', 'a.example:443'), true);
    assert.equal(isAllowed(after, 'm', 'a.example:443'), false);
    assert.equal(isAllowed(after, 'm', 'b.example:443'), true);
    assert.equal(isAllowed(before, 'm', 'b.example:443'), false);
  });

  it('a module without allowed_targets admits only its configured targets', () => {
    const probes = parseConfigText(
      "probes:\n  modules: {m: {}}\n  targets: [{name: db, address: 'db.example:5432', module: m}]\n",
      'test.yml',
    ).probes;
    assert.equal(isAllowed(probes, 'm', 'DB.example:5432'), true);
    assert.equal(isAllowed(probes, 'm', 'db.example:5433'), false);
  });
});
