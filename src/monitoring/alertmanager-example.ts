// The Alertmanager routing example: critical pages, warning goes to chat. One cause, one page:
// a critical alert silences its warning twin (same alert, same labels otherwise); a critical
// alert about a certificate silences every warning about the same certificate, whatever its name
// (the certificate is its serial and issuer); and a certificate revoked by its responder or CRL
// silences the stapled response saying the same of it (TLSOCSPRevoked carries the leaf's serial
// and issuer for this).
import { jobName, probeJobName, type GeneratorOptions } from './options.js';

export function alertmanagerExample(): object {
  return {
    route: {
      receiver: 'chat',
      group_by: ['alertname', 'job', 'server_name', 'name'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        { receiver: 'pager', matchers: ['severity="critical"'], continue: false },
        { receiver: 'chat', matchers: ['severity="warning"'] },
      ],
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ['alertname', 'job', 'log', 'direction', 'server_name', 'source', 'name', 'serial'],
      },
      {
        // a label absent on both sides counts as equal: both must name a certificate
        source_matchers: ['severity="critical"', 'serial=~".+"', 'issuer_cn=~".+"'],
        target_matchers: ['severity="warning"', 'serial=~".+"', 'issuer_cn=~".+"'],
        equal: ['serial', 'issuer_cn'],
      },
      {
        source_matchers: ['alertname="TLSCertificateRevoked"', 'serial=~".+"'],
        target_matchers: ['alertname="TLSOCSPRevoked"', 'serial=~".+"'],
        equal: ['serial', 'issuer_cn'],
      },
    ],
    receivers: [
      {
        name: 'pager',
        webhook_configs: [
          { url: 'http://pager.example.invalid/alertmanager', send_resolved: true },
        ],
      },
      {
        name: 'chat',
        webhook_configs: [{ url: 'http://chat.example.invalid/alertmanager', send_resolved: true }],
      },
    ],
  };
}

export function prometheusExample(o: GeneratorOptions): object {
  const job = jobName(o) ?? 'tls-sli-exporter';
  return {
    global: { scrape_interval: '30s', evaluation_interval: '30s' },
    rule_files: ['tls-sli.rules.yml'],
    alerting: { alertmanagers: [{ static_configs: [{ targets: ['localhost:9093'] }] }] },
    scrape_configs: [
      { job_name: job, static_configs: [{ targets: ['localhost:10087'] }] },
      {
        // the multi-target pattern: Prometheus asks the exporter to probe each target
        // the rules' certificate and check alerts select this job too (checkSelector)
        job_name: probeJobName(o),
        metrics_path: '/probe',
        params: { module: ['mtls'] },
        static_configs: [{ targets: ['audit-gw.dify.svc:5044', 'es.logging.svc:9200'] }],
        relabel_configs: [
          { source_labels: ['__address__'], target_label: '__param_target' },
          { source_labels: ['__param_target'], target_label: 'instance' },
          { target_label: '__address__', replacement: 'localhost:10087' },
        ],
      },
    ],
  };
}
