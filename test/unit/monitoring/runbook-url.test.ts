// The alerts' runbook_url points at the repository package.json names, at a section the runbook
// has: an on-call engineer who clicks it lands on the right heading.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { DEFAULT_OPTIONS, inLanguage } from '../../../src/monitoring/options.js';
import { LANGS, langSuffix } from '../../../src/monitoring/texts/lang.js';
import { ruleGroups } from '../../../src/monitoring/rules.js';

const root = new URL('../../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  repository?: { url?: string };
};
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('runbook links', () => {
  const repo = (pkg.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');

  it('package.json names the repository, and the README names it too', () => {
    assert.match(repo, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    assert.ok(readme.includes(repo), 'the README names the repository');
  });

  for (const lang of LANGS)
    it(`${lang}: every alert's runbook_url is the repository's runbook in that language, at a heading it has`, () => {
      const file = `docs/runbook${langSuffix(lang)}.md`;
      const runbook = readFileSync(new URL(file, root), 'utf8');
      const headings = new Set(
        [...runbook.matchAll(/^## (\S+)$/gm)].map((m) => (m[1] ?? '').toLowerCase()),
      );
      for (const group of ruleGroups(inLanguage(DEFAULT_OPTIONS, lang))) {
        for (const rule of group.rules) {
          if (!('alert' in rule)) continue;
          const url = rule.annotations.runbook_url;
          assert.ok(url.startsWith(`${repo}/blob/main/${file}#`), url);
          assert.ok(headings.has(url.slice(url.indexOf('#') + 1)), `${rule.alert}: ${url}`);
        }
      }
    });
});
