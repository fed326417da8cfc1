// One cause, one page, through a real Alertmanager running the shipped example's routing and
// inhibition (receivers pointed at this test's webhook): alerts as Prometheus sends them are
// posted to its API, and what each receiver is sent is read back.
import { strict as assert } from 'node:assert';
import {
  shippedRouting,
  startAlertmanager,
  startWebhook,
  type RunningAlertmanager,
  type Webhook,
} from '../../support/alertmanager.js';
import { until } from '../../support/until.js';

const JOB = { job: 'tls-sli-exporter', instance: 'exporter:10087' };
const certA = { subject_cn: 'audit-gw.dify.svc', issuer_cn: 'Internal CA', serial: '1f' };
const certB = { subject_cn: 'es.logging.svc', issuer_cn: 'Internal CA', serial: '20' };
const revoked = { subject_cn: 'splunk.logging.svc', issuer_cn: 'Internal CA', serial: '21' };

const ALERTS: Array<Record<string, string>> = [
  // a certificate about to expire: the critical page silences every warning of that certificate
  { alertname: 'TLSCertificateExpiryCritical', severity: 'critical', ...certA },
  { alertname: 'TLSRevocationUnavailable', severity: 'warning', method: 'ocsp', ...certA },
  { alertname: 'TLSCertificateWeakKey', severity: 'warning', ...certA },
  // another certificate's warning is its own
  { alertname: 'TLSCertificateExpiringSoon', severity: 'warning', ...certB },
  // one revocation: the responder's verdict and the staple saying the same of the leaf
  { alertname: 'TLSCertificateRevoked', severity: 'critical', ...revoked },
  { alertname: 'TLSOCSPRevoked', severity: 'critical', name: 'splunk', ...revoked },
  // a staple revoked where the leaf was not read: nothing to match, it pages
  { alertname: 'TLSOCSPRevoked', severity: 'critical', name: 'elk' },
  // alerts naming no certificate are not silenced by a certificate's page, nor by each other
  { alertname: 'TLSClientAuthNotEnforced', severity: 'critical', name: 'audit-gateway' },
  { alertname: 'TLSProbeFailed', severity: 'warning', name: 'es' },
];

const key = (labels: Record<string, string>): string =>
  `${labels['alertname']}:${labels['serial'] ?? labels['name'] ?? ''}`;

describe('the shipped Alertmanager example: one cause, one page', function () {
  this.timeout(60_000);
  let webhook: Webhook;
  let alertmanager: RunningAlertmanager;
  before(async () => {
    webhook = await startWebhook();
    alertmanager = await startAlertmanager(await shippedRouting(webhook.url));
  });
  after(async () => {
    await alertmanager?.stop();
    await webhook?.stop();
  });

  it('a critical alert about a certificate silences its warnings, whatever their names; one revocation is one page', async () => {
    const startsAt = new Date().toISOString();
    const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ALERTS.map((labels) => ({ labels: { ...JOB, ...labels }, startsAt }))),
    });
    assert.equal(res.status, 200, await res.text());
    const sent = (receiver: string): string[] =>
      webhook.deliveries
        .filter((d) => d.receiver === receiver)
        .flatMap((d) => d.alerts.map((a) => key(a.labels)))
        .filter((k, i, all) => all.indexOf(k) === i)
        .sort();
    const pages = [
      'TLSCertificateExpiryCritical:1f',
      'TLSCertificateRevoked:21',
      'TLSClientAuthNotEnforced:audit-gateway',
      'TLSOCSPRevoked:elk',
    ];
    const chat = ['TLSCertificateExpiringSoon:20', 'TLSProbeFailed:es'];
    await until(
      () =>
        Promise.resolve(
          sent('pager').length >= pages.length && sent('chat').length >= chat.length
            ? true
            : undefined,
        ),
      'the pages and the chat messages',
      20_000,
    );
    // the inhibited ones are held back, not late: Alertmanager says why
    const listed = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as Array<{
      labels: Record<string, string>;
      status: { state: string; inhibitedBy: string[] };
    }>;
    const suppressed = listed
      .filter((a) => a.status.state === 'suppressed' && a.status.inhibitedBy.length > 0)
      .map((a) => key(a.labels))
      .sort();
    assert.deepEqual(suppressed, [
      'TLSCertificateWeakKey:1f',
      'TLSOCSPRevoked:21',
      'TLSRevocationUnavailable:1f',
    ]);
    assert.deepEqual(sent('pager'), pages);
    assert.deepEqual(sent('chat'), chat);
  });
});
