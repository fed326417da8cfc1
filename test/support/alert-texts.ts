// Pins the alerts' texts literally, per language: for one firing case of every alert at the
// default options (the latency alert with a threshold of 0.5 s, the post-quantum one with a floor of
// 0.5), the summary and description
// rule-tests.ts renders from the rules' own templates (what promtool then checks Prometheus
// renders too) must be the text written out in the test.
import { strict as assert } from 'node:assert';
import {
  DEFAULT_OPTIONS,
  inLanguage,
  type GeneratorOptions,
} from '../../src/monitoring/options.js';
import { ruleTestFiles } from '../../src/monitoring/rule-tests.js';
import { ruleGroups } from '../../src/monitoring/rules.js';
import type { Lang } from '../../src/monitoring/texts/lang.js';

/** promtool test name -> the summary and description its first firing alert must carry */
export type PinnedTexts = ReadonlyArray<readonly [string, string, string]>;

interface Expected {
  readonly exp_annotations: Record<string, string>;
}
interface RuleTest {
  readonly name: string;
  readonly alert_rule_test: ReadonlyArray<{ readonly exp_alerts: readonly Expected[] }>;
}

function firstFiring(options: GeneratorOptions): Map<string, Record<string, string>> {
  const found = new Map<string, Record<string, string>>();
  for (const file of ruleTestFiles(options, 'rules.yml').values())
    for (const test of (file as { tests: readonly RuleTest[] }).tests) {
      const first = test.alert_rule_test[0]?.exp_alerts[0];
      if (first) found.set(test.name, first.exp_annotations);
    }
  return found;
}

export function pinAlertTexts(lang: Lang, texts: PinnedTexts): void {
  describe(`alert texts, literally (${lang})`, () => {
    const options = inLanguage(
      { ...DEFAULT_OPTIONS, handshakeP99Threshold: 0.5, pqShareFloor: 0.5 },
      lang,
    );
    const rendered = firstFiring(options);

    for (const [test, summary, description] of texts)
      it(test, () => {
        const annotations = rendered.get(test);
        assert.ok(annotations, `no promtool test named ${test}`);
        assert.equal(annotations['summary'], summary);
        assert.equal(annotations['description'], description);
      });

    it('every alert has its texts pinned here', () => {
      const alerts = new Set(
        ruleGroups(options).flatMap((g) => g.rules.flatMap((r) => ('alert' in r ? [r.alert] : []))),
      );
      const pinned = new Set(texts.map(([test]) => test.split(':')[0]));
      assert.deepEqual(
        [...alerts].filter((a) => !pinned.has(a)),
        [],
      );
    });

    it("every runbook link goes to the language's runbook, at the alert's section", () => {
      for (const g of ruleGroups(options))
        for (const r of g.rules)
          if ('alert' in r)
            assert.equal(
              r.annotations.runbook_url,
              `https://github.com/tls-sli-exporter/tls-sli-exporter/blob/main/docs/runbook${lang === 'en' ? '' : `.${lang}`}.md#${r.alert.toLowerCase()}`,
            );
    });
  });
}
