// docs/glossary.md is the one list of Chinese terms: every Chinese text a person reads (README,
// runbook, alert texts, board, status page) uses its terms and none of the alternatives it rules
// out, so the on-call engineer meets one word for one thing.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { DEFAULT_OPTIONS, inLanguage } from '../../../src/monitoring/options.js';
import { ruleGroups } from '../../../src/monitoring/rules.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** The glossary's rows: [English, Chinese, the alternatives not to use]. */
function glossary(): Array<[string, string, string[]]> {
  return read('docs/glossary.md')
    .split('\n')
    .filter((l) => l.startsWith('| ') && !/^\|\s*(English|-)/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map(([, en = '', zh = '', not = '']) => [en, zh, not.split('、').filter((t) => t !== '')]);
}

/** Every Chinese text a person reads, by where it is. */
function chineseTexts(): Array<[string, string]> {
  return [
    ['README.zh-CN.md', read('README.zh-CN.md')],
    ['docs/runbook.zh-CN.md', read('docs/runbook.zh-CN.md')],
    ['alert texts', stringify(ruleGroups(inLanguage(DEFAULT_OPTIONS, 'zh-CN')))],
    ['the board', read('dashboards/tls-sli.zh-CN.json')],
    ['the status page', read('src/server/status-texts.ts')],
    ['the probe failure reasons', read('docs/probe-failure-reasons.zh-CN.md')],
  ];
}

describe('glossary', () => {
  const rows = glossary();

  it('has a Chinese term for every English one', () => {
    assert.ok(rows.length >= 30, `${rows.length} rows`);
    for (const [en, zh] of rows) assert.ok(/\p{Script=Han}|SLI|SM2/u.test(zh), `${en}: ${zh}`);
  });

  for (const [where, text] of chineseTexts())
    it(`${where} uses the glossary's terms, not the alternatives it rules out`, () => {
      const found = rows.flatMap(([en, , not]) =>
        not.filter((term) => text.includes(term)).map((term) => `${term} (say: ${en})`),
      );
      assert.deepEqual(found, []);
    });

  it('the alert texts and the runbook speak of the same things with the same words', () => {
    const alerts = stringify(ruleGroups(inLanguage(DEFAULT_OPTIONS, 'zh-CN')));
    const runbook = read('docs/runbook.zh-CN.md');
    for (const term of ['握手', '证书', '双向认证', '吊销', 'OCSP 装订', '错误预算', '中间 CA'])
      for (const [where, text] of [
        ['alerts', alerts],
        ['runbook', runbook],
      ] as const)
        assert.ok(text.includes(term), `${where} never says ${term}`);
  });
});
