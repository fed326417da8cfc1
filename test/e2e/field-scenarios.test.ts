// End to end: a real Prometheus scrapes the exporter (the built CLI, as a child process) and
// evaluates the generated rules; a real Alertmanager routes the alerts, with the shipped example
// routing, to webhook receivers in this test. The scenarios are the failures from the field.
import { strict as assert } from 'node:assert';
import { mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server as TlsServer } from 'node:tls';
import {
  firingDelivery,
  startAlertingStack,
  type AlertingStack,
} from '../support/alerting-stack.js';
import { execFile } from 'node:child_process';
import { BIN, startServing, type CliProcess } from '../support/cli-process.js';
import { envoyAdminStandIn, listenerStatsJson, type AdminStandIn } from '../support/envoy-admin.js';
import { TLS, listenerJson } from '../support/envoy-lines.js';
import { sampleValue } from '../support/exposition.js';
import { ocspResponse } from '../support/ocsp.js';
import { chain, issue, type Issued } from '../support/pki.js';
import type { Webhook } from '../support/alertmanager.js';
import type { RunningPrometheus } from '../support/prometheus.js';
import { closedPort, tlsServer, type Running } from '../support/tls-servers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The built CLI, run to its end: exit code and output. */
function runCli(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Row {
  scenario: string;
  expected: string;
  received: string;
  receiver: string;
  seconds: string;
}

describe('end to end: the failures from the field', function () {
  this.timeout(300_000);
  const rows: Row[] = [];
  const started = Date.now();
  let dir = '';
  let cleanup: () => Promise<void> = () => Promise.resolve();
  let exporter: CliProcess & { url: string };
  let prometheus: RunningPrometheus;
  let webhook: Webhook;
  let stack: AlertingStack | undefined;
  const servers: Record<string, Running> = {};
  let rotatedServer: Running & { server: TlsServer; swap?: () => void };
  const listenerLog = (): string => join(dir, 'listener.log');
  /** scenario 10: the subject CNs of the certificates sent beyond the verified path */
  let extraNames = { cross: '', stale: '', intermediate: '' };
  // scenario 9: the Envoy behind a filtered listener log counts every handshake; the log shows
  // what its filter lets through (Istio's listener log keeps only NR connections)
  const filteredLog = (): string => join(dir, 'filtered.log');
  let envoyCounted = { handshake: 0, fail_verify_no_cert: 0 };
  let admin: AdminStandIn | undefined;

  /** waits for a delivery with these labels to this receiver; records the row */
  async function expectAlert(
    scenario: string,
    alertname: string,
    labels: Record<string, string>,
    receiver: string,
    timeoutMs = 60_000,
    /** what the alert's annotations must say (an expiry alert names its places there) */
    says: readonly RegExp[] = [],
  ): Promise<void> {
    const t0 = Date.now();
    for (;;) {
      const hit = firingDelivery(webhook, alertname, labels, says);
      if (hit) {
        rows.push({
          scenario,
          expected: `${alertname} -> ${receiver}`,
          received: alertname,
          receiver: hit.receiver,
          seconds: ((hit.at - started) / 1000).toFixed(1),
        });
        assert.equal(hit.receiver, receiver, `${alertname} went to ${hit.receiver}`);
        return;
      }
      if (Date.now() - t0 > timeoutMs) {
        rows.push({
          scenario,
          expected: `${alertname} -> ${receiver}`,
          received: 'nothing',
          receiver: '-',
          seconds: '-',
        });
        const seen = webhook.deliveries.flatMap((d) =>
          d.alerts.map(
            (a) =>
              `${d.receiver}:${a.labels['alertname']}{${Object.entries(a.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(',')}}`,
          ),
        );
        assert.fail(
          `${alertname} ${JSON.stringify(labels)} never reached ${receiver}; received: ${[...new Set(seen)].join(' | ')}`,
        );
      }
      await sleep(250);
    }
  }

  async function promQuery(
    expr: string,
  ): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    assert.equal(body.status, 'success', `${expr}: ${body.error ?? ''}`);
    return body.data.result;
  }

  before(async function () {
    this.timeout(120_000);
    dir = await mkdtemp(join(tmpdir(), 'tls-sli-e2e-'));
    cleanup = () => rm(dir, { recursive: true, force: true });
    const c = await chain({ names: ['localhost'] });
    const leaf = (days: number, names = ['localhost']): Promise<Issued> =>
      issue({
        cn: names[0] ?? 'localhost',
        dns: names,
        issuer: c.intermediate,
        notAfterDays: days,
      });
    const clientCa = await issue({ cn: 'Log Shipper CA', ca: true, notAfterDays: 3650 });
    const client = await issue({
      cn: 'filebeat',
      issuer: clientCa,
      client: true,
      notAfterDays: 365,
    });
    await writeFile(join(dir, 'ca.pem'), c.root.pem);
    await writeFile(join(dir, 'client.pem'), client.pem);
    await writeFile(join(dir, 'client.key'), await client.keyPem());

    servers['exp3'] = await tlsServer({ chain: [await leaf(3), c.intermediate], clientCa });
    servers['exp20'] = await tlsServer({ chain: [await leaf(20), c.intermediate], clientCa });
    servers['exp90'] = await tlsServer({ chain: [await leaf(90), c.intermediate], clientCa });
    servers['audit'] = await tlsServer({
      chain: [await leaf(200), c.intermediate],
      clientCa,
      requestOnly: true,
    });
    servers['mismatch'] = await tlsServer({
      chain: [await leaf(200, ['other.example']), c.intermediate],
    });
    const revokedLeaf = await leaf(200);
    const revokedStaple = await ocspResponse(revokedLeaf, c.intermediate, 'revoked');
    servers['revoked'] = await tlsServer({
      chain: [revokedLeaf, c.intermediate],
      ocsp: () => revokedStaple,
    });
    // Secret rotated, staple gone: staples a good response until the certificate is swapped
    const before = await leaf(200);
    const after = await leaf(200);
    const goodStaple = await ocspResponse(before, c.intermediate, 'good');
    let stapling = true;
    rotatedServer = await tlsServer({
      chain: [before, c.intermediate],
      ocsp: () => (stapling ? goodStaple : undefined),
    });
    const afterContext = { cert: `${after.pem}\n${c.intermediate.pem}`, key: await after.keyPem() };
    rotatedServer.swap = () => {
      stapling = false;
      rotatedServer.server.setSecureContext(afterContext);
    };
    servers['rotated'] = rotatedServer;
    // 10. certificates sent beyond the verified path. The DST Root CA X3 shape: leaf,
    // intermediate, then the trusted root's own name and key signed by an older root, expired.
    const oldRoot = await issue({
      cn: 'Old Root CA',
      ca: true,
      notBeforeDays: -4000,
      notAfterDays: -30,
    });
    const crossSigned = await issue({
      cn: c.root.cert.subject.replace(/^CN=/, ''),
      ca: true,
      keys: c.root.keys,
      kind: c.root.kind,
      issuer: oldRoot,
      notBeforeDays: -1000,
      notAfterDays: -20,
    });
    servers['crosssigned'] = await tlsServer({
      chain: [await leaf(200), c.intermediate, crossSigned],
    });
    // a bundle with a stale, expired intermediate appended
    const stale = await issue({
      cn: 'Stale Intermediate CA',
      ca: true,
      issuer: c.root,
      notBeforeDays: -800,
      notAfterDays: -40,
    });
    servers['staleextra'] = await tlsServer({ chain: [await leaf(200), c.intermediate, stale] });
    extraNames = {
      cross: crossSigned.cert.subject.replace(/^CN=/, ''),
      stale: 'Stale Intermediate CA',
      intermediate: c.intermediate.cert.subject.replace(/^CN=/, ''),
    };
    // a CA of its own whose CRL cannot be fetched (nothing listens on its port)
    const crlDown = await chain({ names: ['localhost'] });
    await writeFile(join(dir, 'crl-down-ca.pem'), crlDown.root.pem);
    servers['crldown'] = await tlsServer({ chain: [crlDown.leaf, crlDown.intermediate] });
    const deadCrl = await closedPort();

    await writeFile(listenerLog(), '');
    await writeFile(filteredLog(), '');
    await writeFile(join(dir, 'rotating.log'), '');
    admin = await envoyAdminStandIn(() => ({
      status: 200,
      body: listenerStatsJson('0.0.0.0_15006', envoyCounted),
    }));
    const target = (name: string, module: string): string =>
      `    - {name: ${name}, address: '127.0.0.1:${servers[name]?.port}', server_name: localhost, module: ${module}}`;
    await writeFile(
      join(dir, 'config.yml'),
      [
        'access_logs:',
        `  - {name: ingress, path: ${listenerLog()}, format: envoy_listener_json, failing_fingerprints: {}}`,
        `  - {name: rotation, path: ${join(dir, 'rotating.log')}, format: envoy_listener_json, start_at: beginning, rotation_drain: 3s, poll_interval: 200ms}`,
        `  - {name: sidecar, path: ${filteredLog()}, format: envoy_listener_json, poll_interval: 200ms}`,
        'envoy_admin:',
        `  - {name: sidecar-envoy, url: '${admin.url}', interval: 1s, downstream_log: sidecar}`,
        'probes:',
        "  schedule: '* * * * * *'",
        '  jitter: 0s',
        '  modules:',
        `    mtls: {ca_file: ${join(dir, 'ca.pem')}, client_cert_file: ${join(dir, 'client.pem')}, client_key_file: ${join(dir, 'client.key')}, expect_client_auth: true, ocsp: 'off', timeout: 2s}`,
        `    stapling: {ca_file: ${join(dir, 'ca.pem')}, revocation: {ocsp: staple}, timeout: 2s}`,
        `    crlcheck: {ca_file: ${join(dir, 'crl-down-ca.pem')}, revocation: {ocsp: 'off', crl: check, crl_urls: ['http://127.0.0.1:${deadCrl}/ca.crl'], timeout: 1s, cache_max_age: 1s}, timeout: 2s}`,
        `    plain: {ca_file: ${join(dir, 'ca.pem')}, ocsp: 'off', timeout: 2s}`,
        '  targets:',
        target('exp3', 'mtls'),
        target('exp20', 'mtls'),
        target('exp90', 'mtls'),
        target('audit', 'mtls'),
        target('revoked', 'stapling'),
        target('rotated', 'stapling'),
        target('mismatch', 'plain'),
        target('crldown', 'crlcheck'),
        target('crosssigned', 'plain'),
        target('staleextra', 'plain'),
        'revocation:',
        "  allowed_urls: ['http://127.0.0.1:*/**']",
        '  allow_private_addresses: true',
        '',
      ].join('\n'),
    );

    exporter = await startServing([`--config.file=${join(dir, 'config.yml')}`]);
    // the shipped rules (every `for:` shortened) and routing
    stack = await startAlertingStack(dir, exporter.url);
    ({ prometheus, webhook } = stack);
  });

  after(async function () {
    this.timeout(60_000);
    const table = [
      '| scenario | alert expected | alert received | receiver | seconds |',
      '|---|---|---|---|---|',
      ...rows.map(
        (r) => `| ${r.scenario} | ${r.expected} | ${r.received} | ${r.receiver} | ${r.seconds} |`,
      ),
    ].join('\n');
    process.stdout.write(`\n${table}\n\n`);
    exporter?.child.kill('SIGTERM');
    if (exporter) await exporter.exited;
    await stack?.stop();
    for (const s of Object.values(servers)) await s.stop();
    await admin?.close();
    await cleanup();
  });

  it('1. expiring certificates: 3 days pages, 20 days goes to chat, 90 days raises nothing', async () => {
    // one alert per certificate: its labels name the certificate, its text the time left, the
    // exact expiry and where it is served
    await expectAlert(
      'expiring certificates',
      'TLSCertificateExpiryCritical',
      { subject_cn: 'localhost', severity: 'critical' },
      'pager',
      60_000,
      [
        /expires in 2d 23h \d+m \d+s/,
        /Expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC\. Found at: probe exp3 \(leaf\)\. /,
      ],
    );
    await expectAlert(
      'expiring certificates',
      'TLSCertificateExpiringSoon',
      { subject_cn: 'localhost', severity: 'warning' },
      'chat',
      60_000,
      [/Found at: probe exp20 \(leaf\)\. /],
    );
    const exp90 = webhook.deliveries
      .flatMap((d) => d.alerts)
      .filter(
        (a) =>
          a.labels['name'] === 'exp90' || JSON.stringify(a.annotations ?? {}).includes('exp90'),
      );
    assert.deepEqual(exp90, []);
    rows.push({
      scenario: 'expiring certificates',
      expected: 'nothing for 90 days',
      received: 'nothing',
      receiver: '-',
      seconds: '-',
    });
  });

  it('3. mTLS not enforced: TLSClientAuthNotEnforced pages', async () => {
    await expectAlert(
      'mTLS not enforced',
      'TLSClientAuthNotEnforced',
      { name: 'audit', severity: 'critical' },
      'pager',
    );
  });

  it('5. revoked: one page (TLSCertificateRevoked); the staple saying the same, TLSOCSPRevoked, is held back', async () => {
    await expectAlert('revoked', 'TLSCertificateRevoked', { subject_cn: 'localhost' }, 'pager');
    // both rules saw it in the same evaluation; Alertmanager's inhibition keeps the second page
    await sleep(3_000);
    assert.equal(firingDelivery(webhook, 'TLSOCSPRevoked', { name: 'revoked' }), undefined);
  });

  it('8. the CRL cannot be fetched: TLSRevocationUnavailable warns, never a revoked page', async () => {
    await expectAlert(
      'CRL unreachable',
      'TLSRevocationUnavailable',
      { method: 'crl', severity: 'warning' },
      'chat',
    );
    const revoked = webhook.deliveries
      .flatMap((d) => d.alerts)
      .filter((a) => a.labels['alertname'] === 'TLSCertificateRevoked');
    assert.deepEqual(
      revoked.filter((a) => JSON.stringify(a.annotations ?? {}).includes('crldown')),
      [],
    );
  });

  it('6. SNI mismatch: TLSHostnameMismatch', async () => {
    await expectAlert('SNI mismatch', 'TLSHostnameMismatch', { name: 'mismatch' }, 'chat');
  });

  it('4. Secret rotated, staple gone: TLSOCSPStaplingMissing', async () => {
    const stapled = async (): Promise<number | undefined> =>
      sampleValue(await (await fetch(`${exporter.url}/metrics`)).text(), 'tls_ocsp_stapled', {
        name: 'rotated',
      });
    assert.equal(await stapled(), 1, 'the endpoint should staple before the rotation');
    rotatedServer.swap?.();
    await expectAlert(
      'Secret rotated, staple gone',
      'TLSOCSPStaplingMissing',
      { name: 'rotated' },
      'chat',
    );
  });

  it('2. day three: the client loses its certificate, the SLI drops, the burn-rate alert pages', async () => {
    const file = await open(listenerLog(), 'a');
    // as the recommended listener format writes it, handshake time included (docs/envoy.md §5)
    const ok = listenerJson({
      REQUESTED_SERVER_NAME: 'logs.example',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TLS_CIPHER: 'TLS_AES_256_GCM_SHA384',
      DOWNSTREAM_HANDSHAKE_DURATION: 4,
      // Envoy 1.39's group and the tls_inspector's fingerprint (docs/envoy.md §11)
      DOWNSTREAM_TLS_GROUP: 'X25519MLKEM768',
      TLS_JA4_FINGERPRINT: 't13d1516h2_8daaf6152771_02713d6af862',
    });
    const failing = listenerJson({
      REQUESTED_SERVER_NAME: 'logs.example',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.noClientCert,
      // the shipper's Java runtime, without its certificate
      TLS_JA4_FINGERPRINT: 't13d1312h1_f57a46bbacb6_ab7e3b40a677',
    });
    try {
      for (let i = 0; i < 20; i++) {
        await file.write(`${ok}\n`.repeat(50));
        await sleep(100);
      }
      const writer = (async () => {
        for (let i = 0; i < 600; i++) {
          await file.write(`${failing}\n`.repeat(45) + `${ok}\n`.repeat(5));
          await sleep(100);
          if (
            webhook.deliveries.some((d) =>
              d.alerts.some((a) => a.labels['alertname'] === 'TLSHandshakeErrorBudgetBurn'),
            )
          )
            break;
        }
      })();
      await expectAlert(
        'day three',
        'TLSHandshakeErrorBudgetBurn',
        {
          server_name: 'logs.example',
          log: 'ingress',
          direction: 'downstream',
          severity: 'critical',
        },
        'pager',
      );
      await writer;
    } finally {
      await file.close();
    }
    // the board's own SLI query, variables at All, over the last five minutes
    const board = JSON.parse(
      await readFile(new URL('../../dashboards/tls-sli.json', import.meta.url), 'utf8'),
    ) as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    };
    const sli =
      board.panels.find((p) => p.title === 'Handshake success ratio')?.targets?.[0]?.expr ?? '';
    const ratio = await promQuery(
      sli.replaceAll('$__range', '5m').replace(/\$(job|instance|log|server_name)\b/g, '.*'),
    );
    assert.ok(Number(ratio[0]?.value[1]) < 0.999, `the SLI did not drop: ${JSON.stringify(ratio)}`);
  });

  it('7. rotation mid-run: the totals equal the lines written, exactly', async () => {
    const path = join(dir, 'rotating.log');
    let fd = await open(path, 'a');
    const line = listenerJson({
      REQUESTED_SERVER_NAME: 'rot.example',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TLS_CIPHER: 'X',
    });
    let written = 0;
    for (let step = 0; step < 40; step++) {
      await fd.write(`${line}\n`.repeat(50));
      written += 50;
      if (step === 20) {
        await rename(path, `${path}.1`);
        await fd.write(`${line}\n`.repeat(50)); // Envoy writes on until it reopens
        written += 50;
        await fd.close();
        fd = await open(path, 'a');
      }
      await sleep(50);
    }
    await fd.close();
    const countedNow = async (): Promise<number> =>
      sampleValue(
        await (await fetch(`${exporter.url}/metrics`)).text(),
        'tls_handshake_success_total',
        { log: 'rotation' },
      ) ?? 0;
    const t0 = Date.now();
    while (Date.now() - t0 < 30_000 && (await countedNow()) < written) await sleep(250);
    await sleep(4_000); // past the drain window: nothing more may arrive
    const counted =
      sampleValue(
        await (await fetch(`${exporter.url}/metrics`)).text(),
        'tls_handshake_success_total',
        { log: 'rotation' },
      ) ?? 0;
    rows.push({
      scenario: 'rotation mid-run',
      expected: `${written} lines counted`,
      received: `${counted} counted`,
      receiver: '-',
      seconds: ((Date.now() - started) / 1000).toFixed(1),
    });
    assert.equal(counted, written);
  });

  it("9. a filtered listener log: it shows a fifth of Envoy's handshakes, the coverage alert goes to chat", async () => {
    const file = await open(filteredLog(), 'a');
    const shown = listenerJson({
      REQUESTED_SERVER_NAME: 'mesh.example',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
    });
    try {
      const writer = (async () => {
        for (let i = 0; i < 600; i++) {
          // Envoy handshakes 50 a tick (5 without a client certificate); the log shows 10
          envoyCounted = {
            handshake: envoyCounted.handshake + 45,
            fail_verify_no_cert: envoyCounted.fail_verify_no_cert + 5,
          };
          await file.write(`${shown}\n`.repeat(10));
          await sleep(100);
          if (firingDelivery(webhook, 'TLSAccessLogCoverageLow', { log: 'sidecar' }, [])) break;
        }
      })();
      await expectAlert(
        'filtered listener log',
        'TLSAccessLogCoverageLow',
        { log: 'sidecar', direction: 'downstream', severity: 'warning' },
        'chat',
        60_000,
        [/shows only \d+(\.\d+)?% of the downstream TLS handshakes Envoy counted/],
      );
      await writer;
      const [coverage] = await promQuery(
        'job_log_direction:tls_access_log_coverage:ratio_rate1h{log="sidecar"}',
      );
      const ratio = Number(coverage?.value[1]);
      assert.ok(ratio > 0.1 && ratio < 0.35, `coverage ${ratio}, about 0.2 expected`);
    } finally {
      await file.close();
    }
  });

  it('10. an expired cross-signature or a stale intermediate sent beyond the verified path: no expiry page, a finding of its own; probe exits 0', async () => {
    for (const [name, issuerCn] of [
      [extraNames.cross, 'Old Root CA'],
      [extraNames.stale, extraNames.cross],
    ] as const)
      await expectAlert(
        'sent beyond the verified path',
        'TLSUnusedCertificateExpired',
        { subject_cn: name, issuer_cn: issuerCn, severity: 'info' },
        'chat',
      );
    // published as such, beside the path that verified (the anchor included)
    const positions = await promQuery(
      'tls_cert_not_after_timestamp_seconds{source="probe", name=~"crosssigned|staleextra"}',
    );
    const seen = positions
      .map((r) => `${r.metric['name']} ${r.metric['position']} ${r.metric['subject_cn']}`)
      .sort();
    assert.deepEqual(seen, [
      `crosssigned extra ${extraNames.cross}`,
      `crosssigned intermediate ${extraNames.intermediate}`,
      'crosssigned leaf localhost',
      `crosssigned root ${extraNames.cross}`,
      `staleextra extra ${extraNames.stale}`,
      `staleextra intermediate ${extraNames.intermediate}`,
      'staleextra leaf localhost',
      `staleextra root ${extraNames.cross}`,
    ]);
    // no expiry alert for either, ever delivered
    for (const name of [extraNames.cross, extraNames.stale])
      for (const alertname of [
        'TLSCertificateExpired',
        'TLSCertificateExpiryCritical',
        'TLSCertificateExpiringSoon',
      ])
        assert.equal(
          firingDelivery(webhook, alertname, { subject_cn: name }),
          undefined,
          alertname,
        );
    // the CLI says SUCCESS and means it: exit 0, the extra certificate named as such
    for (const target of ['crosssigned', 'staleextra']) {
      const run = await runCli([
        'probe',
        `127.0.0.1:${servers[target]?.port}`,
        '--server-name=localhost',
        `--ca-file=${join(dir, 'ca.pem')}`,
      ]);
      assert.equal(run.code, 0, `${target}: ${run.stdout}${run.stderr}`);
      assert.match(
        run.stdout,
        /extra +CN=.* sent, not on the verified path: no client uses it; EXPIRED/,
      );
    }
  });

  it('no dead panel: every dashboard query returns data with the variables at All', async () => {
    const board = JSON.parse(
      await readFile(new URL('../../dashboards/tls-sli.json', import.meta.url), 'utf8'),
    ) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
    const empty: string[] = [];
    for (const panel of board.panels) {
      for (const target of panel.targets ?? []) {
        const expr = target.expr
          .replaceAll('$__rate_interval', '1m')
          .replaceAll('$__range', '1h')
          .replace(/\$(job|instance|log|server_name)\b/g, '.*');
        if ((await promQuery(expr)).length === 0) empty.push(`${panel.title}: ${expr}`);
      }
    }
    assert.deepEqual(empty, []);
  });
});
