// The alerts' texts as a person reads them, written out literally. The generated promtool tests
// (alerts/tests/) expect annotations rendered by rule-tests.ts from the rules' own templates, and
// promtool checks Prometheus renders the same; this test pins what that rendering says, for one
// firing case of every alert at the default options (and the latency alert with a threshold of
// 0.5 s), so a template that says the wrong thing fails here even when both renderings agree.
import { pinAlertTexts, type PinnedTexts } from '../../support/alert-texts.js';

const TEXTS: PinnedTexts = [
  [
    'TLSAccessLogCoverageLow: the log shows half of what Envoy counted (a filtered listener log)',
    'Access log ingress shows only 50% of the downstream TLS handshakes Envoy counted',
    "Over the last hour the log showed fewer handshakes than Envoy's own ssl.* counters (envoy_admin): its failures may be hidden too. Usual causes: a filter on the listener log (Istio logs only NR connections), a sampled log, a log file not tailed, or the log of another Envoy named in downstream_log/upstream_log.",
  ],
  [
    'TLSEnvoyAdminUnreadable: admin endpoint unreadable for 20 minutes',
    'The Envoy admin statistics of edge cannot be read',
    'Without them the access-log coverage of this Envoy is not checked: see tls_envoy_admin_errors_total by reason and the exporter log.',
  ],
  [
    'TLSHandshakeErrorBudgetBurn: fast burn pages (and its ticket twin fires too)',
    'TLS handshakes to audit-gw.dify.svc (downstream, log ingress) are failing fast enough to burn the error budget',
    'Failures burn the error budget of a 99.9% success objective over 30 days faster than 14.4x over 1h or 6x over 6h. Look at tls_handshake_failures_total by reason.',
  ],
  [
    'TLSCertificateExpiringSoon: expires in 29.5 days',
    'Certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) expires in 29d 12h 0m 0s',
    'Expires 1970-01-30 12:30:00 +0000 UTC. Found at: probe audit-gateway (leaf). Renew it before it expires.',
  ],
  [
    'TLSCertificateExpiryCritical: expires in 6.5 days',
    'Certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) expires in 6d 12h 0m 0s',
    'Expires 1970-01-07 12:30:00 +0000 UTC. Found at: probe audit-gateway (leaf). Renew and roll out the certificate now: clients will refuse it when it expires.',
  ],
  [
    'TLSCertificateExpired: expired a day ago',
    'Certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) has expired',
    'Expired 1969-12-31 00:30:00 +0000 UTC. Found at: probe audit-gateway (leaf). Handshakes that present or verify this certificate fail. Replace it.',
  ],
  [
    'TLSCertificateNotYetValid: valid from tomorrow',
    'Certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) is not valid yet',
    'Found at: probe audit-gateway (leaf). Its notBefore is in the future: a clock problem, or a certificate deployed too early.',
  ],
  [
    'TLSUnusedCertificateExpired: an expired certificate sent beyond the verified path: a finding of its own',
    'A server sends expired certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) that no verified path uses',
    'Found at: probe audit-gateway (extra). Clients verify the chain without it (an old cross-signature of a root, or a stale intermediate left in the bundle), so nothing fails today; some older clients may still try it. Remove it from the bundle the server sends.',
  ],
  [
    'TLSCertificateLifetimeLow: a one-day certificate with 6 hours left',
    'Short-lived certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) has less than a third of its lifetime left (6h 0m 0s)',
    'Expires 1970-01-01 06:30:00 +0000 UTC. Found at: probe audit-gateway (leaf). Its automatic renewal should have happened by now: check the issuer (cert-manager, SPIRE, Vault).',
  ],
  [
    'TLSClientAuthNotEnforced: not enforced',
    'Mutual TLS is not enforced on audit-gateway',
    'A client without a certificate completed a handshake: the endpoint is one-way TLS where mutual TLS was required.',
  ],
  [
    'TLSCertificateChainInvalid: chain invalid',
    'The certificate chain of audit-gateway does not verify',
    'Unknown CA, missing intermediate, self-signed, expired, a signer that is not a CA, a wrong purpose or a weak key: tls_probe_failure_info has the reason, tls-sli-exporter probe the certificate.',
  ],
  [
    'TLSHostnameMismatch: name mismatch',
    'The certificate of audit-gateway does not match its server name',
    'Clients that check the name (SAN) refuse it.',
  ],
  [
    'TLSOCSPStaplingMissing: stapled, then stopped',
    'audit-gateway stopped stapling OCSP responses',
    'It stapled one within the last 7 days and no longer does: often a rotated certificate or Secret whose staple was not fetched again. An endpoint that never stapled (a private CA without OCSP) does not raise this; ocsp: require in its module makes a missing staple fail the probe instead.',
  ],
  [
    'TLSOCSPRevoked: revoked',
    'The stapled OCSP response of audit-gateway says the certificate is revoked',
    'Clients that check revocation refuse it. Replace the certificate.',
  ],
  [
    'TLSOCSPResponseStale: past nextUpdate for 20 minutes',
    'The stapled OCSP response of audit-gateway is past its nextUpdate',
    'The server keeps stapling an old response: its OCSP fetch is failing.',
  ],
  [
    'TLSCertificateRevoked: revoked by CRL',
    'Certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) is revoked',
    'Its OCSP responder or CRL says revoked (tls_cert_revocation_timestamp_seconds has when and why). Found at: probe audit-gateway (leaf). Clients that check revocation refuse it: replace the certificate.',
  ],
  [
    'TLSRevocationUnavailable: unavailable for 30 minutes',
    'No usable ocsp revocation answer for certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) for 30 minutes',
    'The responder or CRL cannot be fetched, or its answer is unusable (signature, stale): tls_revocation_fetch_failures_total says which URL and why. A revocation in this time would go unseen. Found at: probe audit-gateway (leaf).',
  ],
  [
    'TLSRevocationDataStale: CRL past nextUpdate for 20 minutes',
    'The crl answer for certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) is past its nextUpdate',
    'The CA has not published a newer OCSP response or CRL than the one in use (or it cannot be fetched): clients that require fresh revocation data refuse the certificate.',
  ],
  [
    'TLSRevocationDataExpiringSoon: CRL stale in 5700 s',
    'The crl answer for certificate CN=audit-gw.dify.svc (issuer CN=Internal CA, serial 1f) goes stale in 1h 35m 0s',
    'Its nextUpdate is near and no newer OCSP response or CRL has been had: check that the CA still publishes, and that the exporter can fetch it.',
  ],
  [
    'TLSOCSPStapleExpiringSoon: staple stale in 30 minutes',
    'The stapled OCSP response of audit-gateway goes stale in 30m 0s',
    'Servers fetch a new staple well before nextUpdate (Envoy takes it from the Secret: renew the ocsp_staple). Once stale, clients that require stapling refuse the handshake.',
  ],
  [
    'TLSProbeFailing: probe failing',
    'TLS probe of audit-gateway fails',
    'tls_probe_failure_info says why and who refused (probe, server, network); docs/metrics.md lists what to do for each reason; tls-sli-exporter probe shows the details.',
  ],
  [
    'TLSSLIExporterDown: target down',
    'tls-sli-exporter is down or not scraped',
    'Without it no TLS alert can fire.',
  ],
  [
    'TLSSLIExporterLogStalled: no line ever',
    'No line read from access log ingress for 15 minutes',
    'Envoy stopped logging, the log moved, or the exporter lost it: see tls_sli_exporter_log_follow_errors_total.',
  ],
  [
    'TLSSLIExporterLabelOverflow: values folding',
    'Values of label server_name are folded into "other"',
    'More distinct values than server_names.max_values, or values outside the allow-list: raise the limit or extend the list.',
  ],
  [
    'TLSSLIExporterPositionsNotSaved: saves failing',
    'tls-sli-exporter cannot save its positions file',
    'Counts are still published, but a restart will re-read from the last saved positions and count those lines again: check the volume behind positions_file (full, read-only, missing).',
  ],
  [
    'TLSSLIExporterConfigReloadFailed: reload failed',
    'tls-sli-exporter could not reload its config',
    'It keeps running the old config; its log says why (tls-sli-exporter check-config shows every problem).',
  ],
  [
    'TLSHandshakeLatencyHigh: P99 995ms for 30 minutes, above 0.5 s',
    'TLS handshakes to audit-gw.dify.svc (downstream, log ingress) are slow',
    "The 99th percentile of the handshake times Envoy logged over 10m is 995ms, above 0.5 s for 15 minutes. Look at what the server does during a handshake (an OCSP fetch, a key in an HSM), the proxy's CPU, and the clients' network.",
  ],
  [
    'TLSPostQuantumShareFell: post-quantum for 10 hours, then X25519 only: below 0.5 after being above it',
    'Fewer post-quantum handshakes to audit-gw.dify.svc (downstream, log ingress)',
    "The share of handshakes on a post-quantum key-exchange group over 1h is 0%, below 50 % for 30 minutes after it was at or above it within the last day: a proxy, a client or a TLS library went back to classic key exchange. Look at the board's key-exchange group mix and what changed when the share fell.",
  ],
];

pinAlertTexts('en', TEXTS);
