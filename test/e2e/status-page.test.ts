// The status page in a real headless Chromium (Debian's chromium, driven by playwright-core),
// against the embedded demo: it renders, the demo's certificates carry the board's colours, a
// failing check is visible, nothing is blocked by the Content-Security-Policy. Screenshots go to
// test-artifacts/.
import { strict as assert } from 'node:assert';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startServing, type CliProcess } from '../support/cli-process.js';
import { requireTool } from '../support/daemon.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

describe('the status page in Chromium', function () {
  this.timeout(90_000);
  let demo: CliProcess & { url: string };
  let browser: Browser;

  before(async () => {
    requireTool('chromium', 'chromium');
    demo = await startServing([]);
    // wait until the demo's probes have run
    for (let i = 0; i < 120; i++) {
      const status = (await (await fetch(`${demo.url}/api/status`)).json()) as {
        certificates: Array<{ name: string }>;
        probes: unknown[];
      };
      const names = new Set(status.certificates.map((c) => c.name));
      const probed = ['payments-api', 'audit-gateway', 'elasticsearch'].every((n) => names.has(n));
      if (probed && status.probes.length >= 5) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    demo?.child.kill('SIGTERM');
    if (demo) await demo.exited;
  });

  it('renders the demo with the board colours and a failing check, under a strict CSP', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const response = await page.goto(demo.url);
    assert.match(response?.headers()['content-security-policy'] ?? '', /default-src 'self'/);
    const colour = async (name: string): Promise<string> => {
      const row = page.locator(`#certificates tr[data-name="${name}"][data-position="leaf"]`);
      await row.first().waitFor({ timeout: 15_000 });
      return (await row.first().getAttribute('data-colour')) ?? '';
    };
    assert.equal(await colour('payments-api'), 'red');
    assert.equal(await colour('audit-gateway'), 'yellow');
    assert.equal(await colour('elasticsearch'), 'green');
    const background = await page.evaluate(
      `getComputedStyle(document.querySelector('#certificates tr[data-name="payments-api"][data-position="leaf"] td')).backgroundColor`,
    );
    assert.equal(background, 'rgb(248, 215, 218)');
    const chat = page.locator('#probes tr[data-target="chat-api"]');
    await chat.waitFor();
    assert.match(await chat.innerText(), /FAILING[\s\S]*mutual TLS is not enforced/);
    assert.match(await page.locator('#probes tr[data-target="orders"]').innerText(), /REVOKED/);
    // each problem links to the runbook section of the alert it raises; times say their zone
    assert.match(
      (await chat.locator('a').getAttribute('href')) ?? '',
      /docs\/runbook\.md#tlsclientauthnotenforced$/,
    );
    assert.match(
      (await page
        .locator('#certificates tr[data-name="payments-api"][data-position="leaf"] a')
        .getAttribute('href')) ?? '',
      /docs\/runbook\.md#tlscertificateexpirycritical$/,
    );
    assert.match(await page.locator('#updated').innerText(), /UTC$/);
    // the first handshake rows appear with the sampler's next look at the counters
    await page.locator('#sli tr:nth-child(2)').waitFor({ timeout: 20_000 });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}status-page.png`, fullPage: true });
    assert.deepEqual(problems, []);
  });

  it('is readable on a phone', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
    });
    await page.goto(demo.url);
    await page
      .locator('#certificates tr[data-name="payments-api"]')
      .first()
      .waitFor({ timeout: 15_000 });
    const overflow = Number(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    );
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
    await page.screenshot({ path: `${ARTIFACTS}status-page-phone.png`, fullPage: true });
  });
});
