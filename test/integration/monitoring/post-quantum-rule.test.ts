// `generate --pq-share-floor`: the shipped rules have no post-quantum alert (not every site has
// post-quantum clients); with the option the built CLI adds TLSPostQuantumShareFell and its promtool
// tests, the real promtool accepts the rules and passes the tests, and a test that expected
// silence where the rollback is would fail.
import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { BIN, assertBuilt } from '../../support/cli-process.js';
import { alertNames, generatedWithAlert, run } from '../../support/generated-rules.js';
import { withTempDir } from '../../support/tmp.js';

const ALERT = 'TLSPostQuantumShareFell';

interface RuleTests {
  tests: Array<{ name: string; alert_rule_test: Array<{ exp_alerts: unknown[] }> }>;
}

describe('generate --pq-share-floor', function () {
  this.timeout(60_000);
  before(assertBuilt);

  it('the shipped rules, in every language, have no post-quantum alert', async () => {
    for (const file of ['tls-sli.rules.yml', 'tls-sli.rules.zh-CN.yml']) {
      const shipped = await readFile(new URL(`../../../alerts/${file}`, import.meta.url), 'utf8');
      assert.ok(!alertNames(shipped).includes(ALERT), file);
    }
  });

  for (const floor of ['0.5', '0.9']) {
    it(`${floor}: the alert and its tests, passed by promtool; the rollback case really fires`, async () => {
      await withTempDir(async (dir) => {
        const tests = await generatedWithAlert(
          dir,
          ['--pq-share-floor', floor],
          ALERT,
          new RegExp(`\\) < ${floor.replace('.', '\\.')}\\n`),
          ['tls-sli.rules.yml', 'tls-sli.rules.zh-CN.yml'],
          'post-quantum-share.yml',
        );
        // expecting silence where the share fell fails: the firing fixture is really checked
        const cases = parse(await readFile(tests, 'utf8')) as RuleTests;
        const firing = cases.tests.filter((t) => t.alert_rule_test[0]?.exp_alerts.length === 1);
        assert.equal(firing.length, 1);
        for (const t of firing) for (const a of t.alert_rule_test) a.exp_alerts = [];
        await writeFile(tests, stringify(cases, { lineWidth: 0 }));
        assert.notEqual(run('promtool', ['test', 'rules', tests]).status, 0);
      });
    });
  }

  it('refuses a floor out of range, naming the flag', () => {
    for (const bad of ['0', '1.5', '-0.2', 'most']) {
      const result = run(process.execPath, [BIN, 'generate', '--check', '--pq-share-floor', bad]);
      assert.equal(result.status, 2, bad);
      assert.match(result.out, /--pq-share-floor/);
    }
  });
});
