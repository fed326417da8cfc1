// The seed's revocation drill, end to end: a certificate good at one probe is revoked by its CA
// (the responder's index updated, the CRL re-made) and TLSCertificateRevoked pages. Real parts
// throughout: the openssl CLI's PKI and OCSP responder (`openssl ocsp -index`), CRLs from
// `openssl ca -gencrl` served over HTTP, a TLS server, the built exporter as a child process, a
// real Prometheus with the shipped rules (only `for:` shortened), a real Alertmanager with the
// shipped routing. Also: a revoked file on disk pages; a responder that is down only warns.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Webhook } from '../support/alertmanager.js';
import {
  firingDelivery,
  startAlertingStack,
  type AlertingStack,
} from '../support/alerting-stack.js';
import { startServing, type CliProcess } from '../support/cli-process.js';
import { CrlServer } from '../support/crl-server.js';
import { sampleValue } from '../support/exposition.js';
import {
  freePort,
  twoLevelPki,
  type IssuedFile,
  type OcspResponder,
  type OpensslCa,
} from '../support/openssl-ca.js';
import type { RunningPrometheus } from '../support/prometheus.js';
import { pemTlsServer, type Running } from '../support/tls-servers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('end to end: the revocation drill', function () {
  this.timeout(300_000);
  let dir = '';
  let crls: CrlServer;
  let root: OpensslCa;
  let inter: OpensslCa;
  let responders: OcspResponder[] = [];
  const tls: Running[] = [];
  let drilled: IssuedFile;
  let onDisk: IssuedFile;
  let exporter: CliProcess & { url: string };
  let prometheus: RunningPrometheus;
  let stack: AlertingStack | undefined;
  let webhook: Webhook;

  async function restartResponders(): Promise<void> {
    for (const r of responders) await r.stop();
    responders = [await root.responder(), await inter.responder()];
  }

  async function publishCrls(): Promise<void> {
    crls.paths.set('/root.crl', { body: await root.crl() });
    crls.paths.set('/inter.crl', { body: await inter.crl() });
  }

  async function serve(chain: readonly IssuedFile[]): Promise<number> {
    const server = await pemTlsServer(chain.map((c) => c.pem).join(''), chain[0]?.keyPem ?? '');
    tls.push(server);
    return server.port;
  }

  async function expectDelivered(
    alertname: string,
    labels: Record<string, string>,
    receiver: string,
    timeoutMs = 90_000,
  ): Promise<void> {
    const t0 = Date.now();
    for (;;) {
      const hit = firingDelivery(webhook, alertname, labels);
      if (hit) {
        assert.equal(hit.receiver, receiver, `${alertname} went to ${hit.receiver}`);
        return;
      }
      if (Date.now() - t0 > timeoutMs) {
        const seen = webhook.deliveries.flatMap((d) =>
          d.alerts.map((a) => `${a.labels['alertname']} ${JSON.stringify(a.labels)}`),
        );
        assert.fail(`${alertname} never reached ${receiver}; received: ${seen.join(' | ')}`);
      }
      await sleep(250);
    }
  }

  const firing = (alertname: string, labels: Record<string, string>): boolean =>
    webhook.deliveries.some((d) =>
      d.alerts.some(
        (a) =>
          a.labels['alertname'] === alertname &&
          Object.entries(labels).every(([k, v]) => a.labels[k] === v),
      ),
    );

  before(async function () {
    this.timeout(120_000);
    dir = await mkdtemp(join(tmpdir(), 'tls-sli-drill-'));
    crls = await CrlServer.start();
    ({ root, inter } = await twoLevelPki(dir, 'Drill', (file) => crls.url(`/${file}`)));
    drilled = await inter.issue(dir, 'audit-gw.drill.test', { dns: ['audit-gw.drill.test'] });
    onDisk = await inter.issue(dir, 'filebeat-client', { eku: 'clientAuth' });
    await inter.revoke(onDisk, 'keyCompromise');
    const moduleClient = await inter.issue(dir, 'module-client', { eku: 'clientAuth' });
    await inter.revoke(moduleClient, 'affiliationChanged');
    await writeFile(join(dir, 'module-client.pem'), `${moduleClient.pem}${inter.own.pem}`);
    const deadPort = await freePort(); // nothing listens: the responder is down
    const orphan = await inter.issue(dir, 'orphan.drill.test', {
      dns: ['orphan.drill.test'],
      ocspUrl: `http://127.0.0.1:${deadPort}/`,
    });
    await publishCrls();
    await restartResponders();
    await writeFile(join(dir, 'trust.pem'), root.own.pem);
    await writeFile(join(dir, 'filebeat.pem'), `${onDisk.pem}${inter.own.pem}`);
    const drillPort = await serve([drilled, inter.own]);
    const orphanPort = await serve([orphan, inter.own]);
    await writeFile(
      join(dir, 'config.yml'),
      stringify({
        probes: {
          schedule: '* * * * * *',
          jitter: '0s',
          modules: {
            revocation: {
              ca_file: join(dir, 'trust.pem'),
              // the module's own client certificate is checked too (the server does not ask for it)
              client_cert_file: join(dir, 'module-client.pem'),
              client_key_file: moduleClient.keyPath,
              timeout: '2s',
              revocation: { ocsp: 'responder', crl: 'check', cache_max_age: '1s', timeout: '1s' },
            },
            ocsp_only: {
              ca_file: join(dir, 'trust.pem'),
              timeout: '2s',
              revocation: { ocsp: 'responder', cache_max_age: '1s', timeout: '1s' },
            },
          },
          targets: [
            {
              name: 'audit',
              address: `127.0.0.1:${drillPort}`,
              server_name: 'audit-gw.drill.test',
              module: 'revocation',
            },
            {
              name: 'orphan',
              address: `127.0.0.1:${orphanPort}`,
              server_name: 'orphan.drill.test',
              module: 'ocsp_only',
            },
          ],
        },
        cert_files: [
          {
            name: 'filebeat',
            paths: [join(dir, 'filebeat.pem')],
            revocation: { crl: 'check', cache_max_age: '1s', issuers_file: join(dir, 'trust.pem') },
          },
        ],
        revocation: { allowed_urls: ['http://127.0.0.1:*/**'], allow_private_addresses: true },
      }),
    );

    exporter = await startServing([`--config.file=${join(dir, 'config.yml')}`]);
    stack = await startAlertingStack(dir, exporter.url);
    ({ prometheus, webhook } = stack);
  });

  after(async function () {
    this.timeout(60_000);
    exporter?.child.kill('SIGTERM');
    if (exporter) await exporter.exited;
    await stack?.stop();
    for (const r of responders) await r.stop();
    for (const s of tls) await s.stop();
    await crls?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function status(labels: Record<string, string>): Promise<number | undefined> {
    const text = await (await fetch(`${exporter.url}/metrics`)).text();
    return sampleValue(text, 'tls_cert_revocation_status', labels);
  }

  async function eventually(
    what: string,
    check: () => Promise<boolean>,
    timeoutMs = 30_000,
  ): Promise<void> {
    const t0 = Date.now();
    while (!(await check())) {
      if (Date.now() - t0 > timeoutMs) assert.fail(`${what}: not within ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  it('the drilled certificate is good by OCSP and CRL before the drill', async () => {
    for (const method of ['ocsp', 'crl'])
      await eventually(
        `${method} good`,
        async () =>
          (await status({ subject_cn: 'audit-gw.drill.test', method, status: 'good' })) === 1,
      );
    assert.equal(firing('TLSCertificateRevoked', { subject_cn: 'audit-gw.drill.test' }), false);
  });

  it('a revoked client certificate on disk pages (found by its CRL)', async () => {
    await expectDelivered(
      'TLSCertificateRevoked',
      { subject_cn: 'filebeat-client', severity: 'critical' },
      'pager',
    );
  });

  it("a module's revoked client certificate pages (source client_cert)", async () => {
    await eventually(
      'client_cert revoked',
      async () =>
        (await status({
          source: 'client_cert',
          subject_cn: 'module-client',
          method: 'crl',
          status: 'revoked',
        })) === 1,
    );
    assert.equal(
      await status({
        source: 'client_cert',
        subject_cn: 'module-client',
        method: 'ocsp',
        status: 'revoked',
      }),
      1,
    );
    await expectDelivered(
      'TLSCertificateRevoked',
      { subject_cn: 'module-client', severity: 'critical' },
      'pager',
    );
  });

  it('a responder that is down warns (unavailable) and never pages revoked', async () => {
    await expectDelivered(
      'TLSRevocationUnavailable',
      { subject_cn: 'orphan.drill.test', method: 'ocsp' },
      'chat',
    );
    assert.equal(firing('TLSCertificateRevoked', { subject_cn: 'orphan.drill.test' }), false);
  });

  it('the drill: the CA revokes the certificate, the next probes see it, TLSCertificateRevoked pages', async () => {
    await inter.revoke(drilled, 'keyCompromise');
    await publishCrls();
    await restartResponders(); // openssl ocsp reads its index when it starts
    await expectDelivered(
      'TLSCertificateRevoked',
      { subject_cn: 'audit-gw.drill.test', severity: 'critical' },
      'pager',
    );
    // The page comes from whichever method said revoked first. Each probe asks both again
    // (cache_max_age 1s), and one fetch past its 1 s timeout on a loaded machine makes that
    // probe's answer by that method `unavailable` (by design), so each method's revocation time
    // is awaited rather than read from the one scrape taken when the page arrived.
    for (const method of ['ocsp', 'crl'])
      await eventually(`${method} revocation time`, async () => {
        const text = await (await fetch(`${exporter.url}/metrics`)).text();
        const at = sampleValue(text, 'tls_cert_revocation_timestamp_seconds', {
          subject_cn: 'audit-gw.drill.test',
          method,
          reason: 'key_compromise',
        });
        return (at ?? 0) > 0;
      });
    const text = await (await fetch(`${exporter.url}/metrics`)).text();
    assert.equal(
      sampleValue(text, 'tls_probe_failure_info', { name: 'audit', reason: 'cert_revoked' }),
      1,
    );
  });

  it('the request-time histogram is a real histogram to Prometheus (P99 per URL)', async () => {
    const expr =
      'histogram_quantile(0.99, sum by (method, url, le) (rate(tls_revocation_request_duration_seconds_bucket[1m])))';
    const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as {
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    const urls = body.data.result.map((r) => `${r.metric['method']} ${r.metric['url']}`);
    assert.ok(urls.includes(`ocsp ${inter.ocspUrl}`), urls.join(', '));
    assert.ok(urls.includes(`crl ${inter.crlUrl}`), urls.join(', '));
  });
});
