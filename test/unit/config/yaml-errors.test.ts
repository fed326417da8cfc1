// A YAML syntax error is reported on the line to fix: an unclosed `[`, `{` or quote where it was
// opened (the parser notices it lines later), anything else where the parser stopped.
import { strict as assert } from 'node:assert';
import { ConfigError } from '../../../src/config/errors.js';
import { parseConfigText } from '../../../src/config/load.js';

const CASES: ReadonlyArray<readonly [string, string, number]> = [
  [
    'an unclosed flow sequence on line 10',
    'log:\n  level: info\naccess_logs:\n  - name: a\n    path: /x\n    format: envoy_listener_json\n\n\nserver_names:\n  allow: [a, b\n  max_values: 5\n',
    10,
  ],
  ['an unclosed double quote on line 3', 'log:\n  level: info\n  format: "json\nprobes: {}\n', 3],
  ['an unclosed flow mapping on line 2', 'probes:\n  modules: {m: {timeout: 5s}\n', 2],
  ['a quote inside a value is not an opener', "log:\n  level: it's\n  format: [\n", 3],
  ['a tab-indented key stays where the parser stopped', 'log:\n\tlevel: info\n', 2],
];

describe('YAML syntax errors', () => {
  for (const [name, text, line] of CASES) {
    it(`${name}: reported at line ${line}`, () => {
      assert.throws(
        () => parseConfigText(text, 'c.yml'),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.equal(err.problems[0]?.line, line, err.message);
          return true;
        },
      );
    });
  }
});
