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

  it('in Chinese for a browser that asks for it, with a switch back to English', async () => {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 1400 },
      locale: 'zh-CN',
      extraHTTPHeaders: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.5' },
    });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const response = await page.goto(demo.url);
    assert.equal(response?.headers()['content-language'], 'zh-CN');
    assert.match(response?.headers()['vary'] ?? '', /Accept-Language/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.locator('h2').first().innerText(), '证书剩余天数');
    const chat = page.locator('#probes tr[data-target="chat-api"]');
    await chat.waitFor({ timeout: 15_000 });
    // the reason and the detail stay as the probe says them; the rest is Chinese
    assert.match(await chat.innerText(), /失败[\s\S]*client_auth_not_enforced（拒绝方：探测端）/);
    assert.match(await page.locator('#probes tr[data-target="orders"]').innerText(), /已吊销/);
    assert.match(
      (await chat.locator('a').getAttribute('href')) ?? '',
      /docs\/runbook\.zh-CN\.md#tlsclientauthnotenforced$/,
    );
    assert.equal(await chat.locator('a').innerText(), '处置手册');
    assert.match(await page.locator('#probes tr').first().innerText(), /强制双向认证/);
    assert.match(await page.locator('#updated').innerText(), /^更新于 .* UTC$/);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}status-page-zh-CN.png`, fullPage: true });
    // the switch: English for this page, whatever the browser asks
    await page.locator('#lang a[hreflang="en"]').click();
    await page.waitForURL(/\?lang=en$/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('h2').first().innerText(), 'Certificates by days remaining');
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
