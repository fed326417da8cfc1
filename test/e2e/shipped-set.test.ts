// End to end: the shipped set as one product. The README's config block, the shipped
// alerts/prometheus.example.yml (both jobs), the shipped rules, alerts/alertmanager.example.yml
// and the Kubernetes ConfigMap's exporter config are used as written, with only addresses and
// file paths swapped by `localize` (test/support/shipped.ts). Two documented exceptions, timing
// only: Prometheus scrapes and evaluates every second (not 30 s), and every rule's `for:` is 1 s
// (`generate --test-for 1s`: expressions, labels and annotations as shipped); Alertmanager's
// receivers point at a local webhook and its group timers are 1 s.
// Checked against real TLS servers (mutual TLS, as the README's module expects), the built CLI,
// a real Prometheus and Alertmanager:
// - a 3-day certificate seen only through the /probe job pages, once, saying where it is;
// - the /probe job's IP target without server_name is checked against the server_name of the
//   configured target at that address (no false hostname mismatch);
// - a private CA that never stapled OCSP raises nothing;
// - a restart of the exporter does not make the log look stalled.
// (The board's SLI with the recommended listener + HTTP logs: test/e2e/mesh-defaults.test.ts.)
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { BIN, spawnCli, startServing, type CliProcess } from '../support/cli-process.js';
import { envoyAdminStandIn, listenerStatsJson, type AdminStandIn } from '../support/envoy-admin.js';
import { listenerJson } from '../support/envoy-lines.js';
import { chain, issue } from '../support/pki.js';
import {
  startAlertmanager,
  startWebhook,
  type RunningAlertmanager,
  type Webhook,
} from '../support/alertmanager.js';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.js';
import { localize, shipped, shippedBlock } from '../support/shipped.js';
import { closedPort, tlsServer, type Running } from '../support/tls-servers.js';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('end to end: the shipped set, as shipped', function () {
  this.timeout(240_000);
  let dir = '';
  let exporter: (CliProcess & { url: string }) | undefined;
  let prometheus: RunningPrometheus | undefined;
  let alertmanager: RunningAlertmanager | undefined;
  let webhook: Webhook | undefined;
  const servers: Running[] = [];
  let readmeConfig = '';
  let exporterPort = 0;
  let envoyAdmin: AdminStandIn | undefined;
  let audit: Running;
  let es: Running;

  const firing = (): Array<{
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    receiver: string;
  }> =>
    (webhook?.deliveries ?? []).flatMap((d) =>
      d.alerts.filter((a) => a.status === 'firing').map((a) => ({ ...a, receiver: d.receiver })),
    );

  /** The README config as written: it listens where its web.listen_address says. */
  async function serveReadme(): Promise<void> {
    const proc = spawnCli([`--config.file=${join(dir, 'readme.yml')}`, '--log.format=json']);
    await proc.waitForLog((l) => l.msg === 'tls-sli-exporter listening', 20_000);
    exporter = { ...proc, url: `http://127.0.0.1:${exporterPort}` };
  }

  before(async function () {
    this.timeout(120_000);
    dir = await mkdtemp(join(tmpdir(), 'tls-sli-shipped-'));
    const c = await chain({ names: ['audit-gw.dify.svc'], leaf: { notAfterDays: 3 } });
    // a private root issuing the log store's certificate directly, never stapling OCSP
    const esLeaf = await issue({
      cn: 'es.logging.svc',
      dns: ['es.logging.svc'],
      ips: ['127.0.0.1'],
      issuer: c.root,
      notAfterDays: 200,
    });
    const clientCa = await issue({ cn: 'Exporter Client CA', ca: true });
    const client = await issue({ cn: 'tls-sli-exporter', issuer: clientCa, client: true });
    audit = await tlsServer({ chain: [c.leaf, c.intermediate], clientCa });
    es = await tlsServer({ chain: [esLeaf], clientCa });
    servers.push(audit, es);
    for (const sub of ['pki', 'certs', 'tls-certs', 'secrets']) await mkdir(join(dir, sub));
    await writeFile(join(dir, 'pki', 'ca.pem'), c.root.pem);
    await writeFile(join(dir, 'pki', 'client.crt'), client.pem);
    await writeFile(join(dir, 'pki', 'client.key'), await client.keyPem());
    await writeFile(join(dir, 'secrets', 'p12-pass'), 'unused\n');
    await writeFile(
      join(dir, 'web.yml'),
      '# no TLS: the shipped Prometheus example scrapes http\n',
    );
    await writeFile(join(dir, 'listener.log'), '');
    // the README's envoy_admin entry reads this stand-in for the Envoy admin endpoint
    envoyAdmin = await envoyAdminStandIn(() => ({
      status: 200,
      body: listenerStatsJson('0.0.0.0_8443', { handshake: 0, connection_error: 0 }),
    }));
    exporterPort = await closedPort(); // a port free now, the same one after the restart
    const auditAddress = `127.0.0.1:${audit.port}`;
    readmeConfig = localize(await shippedBlock('README.md', '## Config file', 'yaml'), {
      "':10087'": `'127.0.0.1:${exporterPort}'`,
      '/var/log/envoy/listener.log': join(dir, 'listener.log'),
      '/etc/pki/ca.pem': join(dir, 'pki', 'ca.pem'),
      '/etc/pki/client.crt': join(dir, 'pki', 'client.crt'),
      '/etc/pki/client.key': join(dir, 'pki', 'client.key'),
      "['*.dify.svc:*', '*.logging.svc:*']": "['127.0.0.1:*']",
      'audit-gw.dify.svc:5044': auditAddress,
      '/etc/envoy/certs/**/*.pem': `${join(dir, 'certs')}/**/*.pem`,
      '/etc/pki/tls/certs': join(dir, 'tls-certs'),
      '/run/secrets/p12-pass': join(dir, 'secrets', 'p12-pass'),
      '/etc/tls-sli-exporter/web.yml': join(dir, 'web.yml'),
      '/var/lib/tls-sli-exporter/positions.json': join(dir, 'positions.json'),
      'http://127.0.0.1:9901': envoyAdmin.url,
    });
    await writeFile(join(dir, 'readme.yml'), readmeConfig);

    // check-config first, as the README says to
    const checked = await run(process.execPath, [BIN, 'check-config', join(dir, 'readme.yml')]);
    assert.match(checked.stdout, /: OK$/m);

    webhook = await startWebhook();
    const am = parse(
      localize(await shipped('alerts/alertmanager.example.yml'), {
        'http://pager.example.invalid/alertmanager': `${webhook.url}/pager`,
        'http://chat.example.invalid/alertmanager': `${webhook.url}/chat`,
      }),
    ) as { route: Record<string, unknown> };
    Object.assign(am.route, { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' });
    alertmanager = await startAlertmanager(stringify(am));

    await run(process.execPath, [BIN, 'generate', '--dir', join(dir, 'gen'), '--test-for', '1s']);
    const rules = await readFile(join(dir, 'gen', 'alerts', 'tls-sli.rules.yml'), 'utf8');
    const scrape = parse(
      localize(await shipped('alerts/prometheus.example.yml'), {
        'localhost:10087': `127.0.0.1:${exporterPort}`,
        'localhost:9093': alertmanager.url.replace('http://', ''),
        'audit-gw.dify.svc:5044': auditAddress,
        'es.logging.svc:9200': `127.0.0.1:${es.port}`,
      }),
    ) as { global: Record<string, string> };
    Object.assign(scrape.global, { scrape_interval: '1s', evaluation_interval: '1s' });
    await serveReadme();
    prometheus = await startPrometheus(stringify(scrape), { 'tls-sli.rules.yml': rules });
  });

  after(async function () {
    this.timeout(60_000);
    exporter?.child.kill('SIGTERM');
    if (exporter) await exporter.exited;
    await prometheus?.stop();
    await alertmanager?.stop();
    await webhook?.stop();
    for (const s of servers) await s.stop();
    await envoyAdmin?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a 3-day certificate behind /probe pages once, saying where it is; the IP target keeps its name; a never-stapling private CA is quiet', async () => {
    const t0 = Date.now();
    let page: ReturnType<typeof firing>[number] | undefined;
    while (Date.now() - t0 < 90_000 && page === undefined) {
      page = firing().find((a) => a.labels['alertname'] === 'TLSCertificateExpiryCritical');
      if (page === undefined) await sleep(500);
    }
    assert.ok(page, `no expiry page; firing: ${JSON.stringify(firing().map((a) => a.labels))}`);
    assert.equal(page.receiver, 'pager');
    assert.equal(page.labels['subject_cn'], 'audit-gw.dify.svc');
    const where = page.annotations?.['description'] ?? '';
    assert.match(where, new RegExp(`probe 127\\.0\\.0\\.1:${audit.port} \\(leaf\\)`), where);
    assert.match(where, /probe audit-gateway \(leaf\)/, where);
    // one page per certificate, however many targets serve it
    const pages = new Set(
      firing()
        .filter((a) => a.labels['alertname'] === 'TLSCertificateExpiryCritical')
        .map((a) => a.labels['serial']),
    );
    assert.equal(pages.size, 1);
    await sleep(5_000); // long enough for any wrong alert to fire with for: 1s
    const wrong = firing().filter((a) =>
      ['TLSHostnameMismatch', 'TLSOCSPStaplingMissing', 'TLSProbeFailing'].includes(
        a.labels['alertname'] ?? '',
      ),
    );
    assert.deepEqual(
      wrong.map((a) => a.labels),
      [],
      'the IP target without server_name and the never-stapling CA raise nothing',
    );
  });

  it('a restart of the exporter does not make its log look stalled', async () => {
    await writeFile(
      join(dir, 'listener.log'),
      `${listenerJson({ REQUESTED_SERVER_NAME: 'audit-gw.dify.svc', DOWNSTREAM_TLS_VERSION: 'TLSv1.3', DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256' })}\n`,
    );
    await sleep(2_000);
    exporter?.child.kill('SIGTERM');
    if (exporter) await exporter.exited;
    await serveReadme(); // start_at: end, nothing new in the log
    await sleep(6_000);
    const stalled = firing().filter((a) => a.labels['alertname'] === 'TLSSLIExporterLogStalled');
    assert.deepEqual(
      stalled.map((a) => a.labels),
      [],
    );
  });

  it("the Kubernetes kit's exporter configs pass check-config; the Envoy sidecar's serves", async () => {
    const k8s = join(dir, 'k8s');
    await mkdir(join(k8s, 'pki'), { recursive: true });
    await mkdir(join(k8s, 'state'));
    await mkdir(join(k8s, 'certs'));
    await mkdir(join(k8s, 'watched'));
    for (const f of ['ca.pem', 'client.crt', 'client.key'])
      await writeFile(join(k8s, 'pki', f), await readFile(join(dir, 'pki', f)));
    const paths = {
      '/var/lib/tls-sli-exporter/positions.json': join(k8s, 'state', 'positions.json'),
      '/var/log/envoy/listener.log': join(k8s, 'listener.log'),
      '/var/log/envoy/http.log': join(k8s, 'http.log'),
      '/var/log/tls-sli/listener.log': join(k8s, 'inbound.log'),
      '/etc/tls-sli-exporter/pki/ca.crt': join(k8s, 'pki', 'ca.pem'),
      '/etc/tls-sli-exporter/pki/tls.crt': join(k8s, 'pki', 'client.crt'),
      '/etc/tls-sli-exporter/pki/tls.key': join(k8s, 'pki', 'client.key'),
      '/etc/tls-sli-exporter/watched': join(k8s, 'watched'),
    };
    // each file names some of these paths
    const localized = (text: string): string =>
      localize(text, Object.fromEntries(Object.entries(paths).filter(([p]) => text.includes(p))));
    for (const file of [
      'components/istio-listener-log/config.yml',
      'overlays/als-receiver/config.yml',
      'overlays/prober/config.yml',
    ]) {
      await writeFile(
        join(k8s, 'checked.yml'),
        localized(await shipped(`deploy/kubernetes/${file}`)),
      );
      const checked = await run(process.execPath, [BIN, 'check-config', join(k8s, 'checked.yml')]);
      assert.match(checked.stdout, /: OK$/m, file);
    }
    const local = localized(await shipped('deploy/kubernetes/components/envoy-sidecar/config.yml'));
    await writeFile(join(k8s, 'config.yml'), local);
    const checked = await run(process.execPath, [BIN, 'check-config', join(k8s, 'config.yml')]);
    assert.match(checked.stdout, /: OK$/m);
    const served = await startServing([`--config.file=${join(k8s, 'config.yml')}`]);
    try {
      const res = await fetch(`${served.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /^tls_sli_exporter_build_info\{/m);
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  });
});
