// The Chinese README and runbook against the English ones (issue 37): the same sections in the
// same order, the same commands and config blocks (only comments translated), the same first
// column in every table. A section added to one and not the other fails here.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { outline, slug, tableKey, withoutComments } from './markdown-outline.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

const PAIRS: ReadonlyArray<readonly [english: string, chinese: string, sameAnchors: boolean]> = [
  // the README's headings are translated; the runbook's are the alerts' names, linked by anchor
  ['README.md', 'README.zh-CN.md', false],
  ['docs/runbook.md', 'docs/runbook.zh-CN.md', true],
  ['docs/kubernetes.md', 'docs/kubernetes.zh-CN.md', false],
  ['docs/configuration.md', 'docs/configuration.zh-CN.md', true],
  ['docs/envoy.md', 'docs/envoy.zh-CN.md', true],
];

describe('translations', () => {
  for (const [english, chinese, sameAnchors] of PAIRS) {
    const en = outline(read(english));
    const zh = outline(read(chinese));

    it(`${chinese}: the sections of ${english}, in order`, () => {
      assert.deepEqual(
        zh.sections.map((s) => s.level),
        en.sections.map((s) => s.level),
      );
      // the document's title aside, every section keeps its anchor: links land in the same place
      const anchors = (o: typeof en): string[] =>
        o.sections.filter((s) => s.level > 1).map((s) => s.anchor);
      if (sameAnchors) assert.deepEqual(anchors(zh), anchors(en));
    });

    it(`${chinese}: every command and config block of ${english}, comments aside`, () => {
      assert.deepEqual(zh.code, en.code);
    });

    it(`${chinese}: every table of ${english}, row for row, the same first column where it is code`, () => {
      assert.deepEqual(
        zh.sections.map((s) => s.tableKeys),
        en.sections.map((s) => s.tableKeys),
      );
    });

    it(`${chinese} is Chinese: most of its prose is in Chinese`, () => {
      const prose = read(chinese)
        .replace(/```[\s\S]*?```/g, '')
        .replace(/`[^`]*`/g, '');
      const han = prose.match(/\p{Script=Han}/gu)?.length ?? 0;
      const latinWords = prose.match(/[A-Za-z]{3,}/g)?.length ?? 0;
      assert.ok(han > 4 * latinWords, `${han} Han characters against ${latinWords} Latin words`);
    });
  }

  it('the outline reader: anchors, comments, table keys', () => {
    assert.equal(slug('Drills: would we notice?'), 'drills-would-we-notice');
    assert.equal(slug('TLSCertificateExpired'), 'tlscertificateexpired');
    assert.equal(withoutComments('a: 1 # one\n# whole line\nb: "#x"'), 'a: 1\nb: "#x"');
    const o = outline(
      '# T\n<a id="x"></a>\n\n## 中文\n| k | v |\n|---|---|\n| `a` | 1 |\n```sh\nrun # 运行\n```\n',
    );
    assert.deepEqual(
      o.sections.map((s) => [s.level, s.anchor, s.tableKeys]),
      [
        [1, 't', []],
        [2, 'x', ['(row)', '`a`']],
      ],
    );
    assert.deepEqual(o.code, [{ lang: 'sh', text: 'run' }]);
    assert.equal(tableKey(' `--a`, `--b` '), '`--a`, `--b`');
    assert.equal(tableKey('a name only in the CN'), '(row)');
    assert.equal(tableKey('`ocsp: require` without a staple'), '(row)');
  });
});
