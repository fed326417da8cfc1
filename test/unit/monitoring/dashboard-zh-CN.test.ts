/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- assertions over the generated boards' JSON */
// The Chinese board is the English one, panel for panel (same ids, places, queries, thresholds,
// colours), with every text a person reads in Chinese: the board is translated, never rebuilt.
import { strict as assert } from 'node:assert';
import { dashboards } from '../../../src/monitoring/dashboard.js';
import { GENERATED_MARKER } from '../../../src/monitoring/generate.js';
import { DEFAULT_OPTIONS, inLanguage } from '../../../src/monitoring/options.js';
import { translateBoard } from '../../../src/monitoring/texts/board-texts.js';

const TEXT_KEYS = new Set(['title', 'description', 'label', 'text', 'displayName', 'legendFormat']);

/** The board without what a person reads: what must be the same in every language. */
function skeleton(value: any): any {
  if (Array.isArray(value)) return value.map(skeleton);
  if (value !== null && typeof value === 'object') {
    if (value.id === 'displayName') return { id: 'displayName' };
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !TEXT_KEYS.has(k) && k !== 'uid')
        .map(([k, v]) => [k, skeleton(v)]),
    );
  }
  return value;
}

/** Every text a person reads, with where it is. */
function texts(value: any, key = '', out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => texts(v, key, out));
  else if (value !== null && typeof value === 'object') {
    if (value.id === 'displayName' && typeof value.value === 'string') out.push(value.value);
    for (const [k, v] of Object.entries(value)) texts(v, k, out);
  } else if (typeof value === 'string' && TEXT_KEYS.has(key) && key !== 'legendFormat')
    out.push(value);
  return out;
}

describe('the Chinese board', () => {
  const cases = [
    ['the shipped options', DEFAULT_OPTIONS],
    [
      "a site's own options",
      { ...DEFAULT_OPTIONS, objective: 0.995, warningDays: 21, criticalDays: 5 },
    ],
  ] as const;
  for (const [name, options] of cases) {
    // as the files hold them (the SDK's objects carry functions of their own)
    const json = (board: object | undefined): any => JSON.parse(JSON.stringify(board));
    const en = json(dashboards(options, GENERATED_MARKER).get('tls-sli.json'));
    const zh = json(
      dashboards(inLanguage(options, 'zh-CN'), GENERATED_MARKER).get('tls-sli.zh-CN.json'),
    );

    it(`${name}: the English board panel for panel, under a uid of its own`, () => {
      assert.deepEqual(skeleton(zh), skeleton(en));
      assert.equal(zh.uid, 'tls-sli-zh-cn');
      assert.notEqual(zh.uid, en.uid);
    });

    it(`${name}: every title, description, column and value text in Chinese`, () => {
      const english = texts(zh).filter((t) => !/\p{Script=Han}/u.test(t));
      // names kept in English on purpose: the Prometheus label Job, the exporter's own row
      assert.deepEqual(english.sort(), ['Exporter', 'Job']);
      assert.ok(texts(zh).some((t) => t.includes(`${options.warningDays} 天`)));
    });
  }

  it('a text with no translation fails the generation, naming it', () => {
    assert.throws(
      () => translateBoard({ title: 'A panel added later' }, { exact: {}, patterns: [] }),
      /the board's title "A panel added later" has no translation/,
    );
  });
});
