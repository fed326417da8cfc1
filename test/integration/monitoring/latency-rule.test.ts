// `generate --handshake-p99-threshold`: the shipped rules leave handshake latency alone (what is
// slow depends on the site); with the option the built CLI adds TLSHandshakeLatencyHigh and its
// promtool tests, and the real promtool accepts the rules and passes the tests.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { BIN, assertBuilt } from '../../support/cli-process.js';
import { alertNames, generatedWithAlert, run } from '../../support/generated-rules.js';
import { withTempDir } from '../../support/tmp.js';

describe('generate --handshake-p99-threshold', function () {
  this.timeout(60_000);
  before(assertBuilt);

  it('the shipped rules have no latency alert', async () => {
    const shipped = await readFile(new URL('../../../alerts/tls-sli.rules.yml', import.meta.url));
    assert.ok(!alertNames(shipped.toString()).includes('TLSHandshakeLatencyHigh'));
  });

  for (const threshold of ['0.25', '0.003']) {
    it(`${threshold} s: the alert and its tests, passed by promtool`, async () => {
      await withTempDir(async (dir) => {
        const tests = await generatedWithAlert(
          dir,
          ['--handshake-p99-threshold', threshold],
          'TLSHandshakeLatencyHigh',
          new RegExp(`\\) > ${threshold.replace('.', '\\.')}\\n`),
          ['tls-sli.rules.yml'],
          'handshake-latency.yml',
        );
        // the fixture that must fire really is checked: a test expecting silence there fails
        const cases = parse(await readFile(tests, 'utf8')) as {
          tests: Array<{ alert_rule_test: Array<{ exp_alerts: unknown[] }> }>;
        };
        assert.equal(cases.tests[0]?.alert_rule_test[0]?.exp_alerts.length, 1);
      });
    });
  }

  it('refuses a threshold out of range, naming the flag', () => {
    for (const bad of ['0', '0.0001', '20', 'fast']) {
      const result = run(process.execPath, [
        BIN,
        'generate',
        '--check',
        '--handshake-p99-threshold',
        bad,
      ]);
      assert.equal(result.status, 2, bad);
      assert.match(result.out, /--handshake-p99-threshold/);
    }
  });
});
