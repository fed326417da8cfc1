// The alerts' runbook_url points at the repository package.json names, at a section the runbook
// has: an on-call engineer who clicks it lands on the right heading.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { DEFAULT_OPTIONS } from '../../../src/monitoring/options.js';
import { ruleGroups } from '../../../src/monitoring/rules.js';

const root = new URL('../../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  repository?: { url?: string };
};
const runbook = readFileSync(new URL('docs/runbook.md', root), 'utf8');
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('runbook links', () => {
  const repo = (pkg.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');

  it('package.json names the repository, and the README names it too', () => {
    assert.match(repo, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    assert.ok(readme.includes(repo), 'the README names the repository');
  });

  it("every alert's runbook_url is the repository's runbook, at a heading it has", () => {
    const headings = new Set(
      [...runbook.matchAll(/^## (\S+)$/gm)].map((m) => (m[1] ?? '').toLowerCase()),
    );
    for (const group of ruleGroups(DEFAULT_OPTIONS)) {
      for (const rule of group.rules) {
        if (!('alert' in rule)) continue;
        const url = rule.annotations.runbook_url;
        assert.ok(url.startsWith(`${repo}/blob/main/docs/runbook.md#`), url);
        assert.ok(headings.has(url.slice(url.indexOf('#') + 1)), `${rule.alert}: ${url}`);
      }
    }
  });
});
