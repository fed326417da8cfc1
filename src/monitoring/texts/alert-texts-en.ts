// The alerts' texts in English.
import { CERT_LABELS, type AlertTexts } from './alert-text-input.js';

const CERT = `CN=${CERT_LABELS.subject} (issuer CN=${CERT_LABELS.issuer}, serial ${CERT_LABELS.serial})`;

export const EN_ALERTS: AlertTexts = (p) => {
  const places = `${p.places('; ')}.`;
  const where = `Expires ${p.notAfter}. Found at: ${places}`;
  return {
    TLSCertificateExpiringSoon: {
      summary: `Certificate ${CERT} expires in {{ $value | humanizeDuration }}`,
      description: `${where} Renew it before it expires.`,
    },
    TLSCertificateExpiryCritical: {
      summary: `Certificate ${CERT} expires in {{ $value | humanizeDuration }}`,
      description: `${where} Renew and roll out the certificate now: clients will refuse it when it expires.`,
    },
    TLSCertificateExpired: {
      summary: `Certificate ${CERT} has expired`,
      description: `Expired ${p.notAfter}. Found at: ${places} Handshakes that present or verify this certificate fail. Replace it.`,
    },
    TLSCertificateNotYetValid: {
      summary: `Certificate ${CERT} is not valid yet`,
      description: `Found at: ${places} Its notBefore is in the future: a clock problem, or a certificate deployed too early.`,
    },
    TLSUnusedCertificateExpired: {
      summary: `A server sends expired certificate ${CERT} that no verified path uses`,
      description: `Found at: ${places} Clients verify the chain without it (an old cross-signature of a root, or a stale intermediate left in the bundle), so nothing fails today; some older clients may still try it. Remove it from the bundle the server sends.`,
    },
    TLSCertificateLifetimeLow: {
      summary: `Short-lived certificate ${CERT} has less than a third of its lifetime left ({{ $value | humanizeDuration }})`,
      description: `${where} Its automatic renewal should have happened by now: check the issuer (cert-manager, SPIRE, Vault).`,
    },
    TLSHandshakeErrorBudgetBurn: {
      summary:
        'TLS handshakes to {{ $labels.server_name }} ({{ $labels.direction }}, log {{ $labels.log }}) are failing fast enough to burn the error budget',
      description: `Failures burn the error budget of a ${p.objectivePercent}% success objective over 30 days faster than ${p.burnRates
        .map(([factor, window]) => `${factor}x over ${window}`)
        .join(' or ')}. Look at tls_handshake_failures_total by reason.`,
    },
    TLSHandshakeLatencyHigh: {
      summary:
        'TLS handshakes to {{ $labels.server_name }} ({{ $labels.direction }}, log {{ $labels.log }}) are slow',
      description: `The 99th percentile of the handshake times Envoy logged over ${p.latencyWindow} is {{ $value | humanizeDuration }}, above ${p.latencyThreshold} s for 15 minutes. Look at what the server does during a handshake (an OCSP fetch, a key in an HSM), the proxy's CPU, and the clients' network.`,
    },
    TLSPostQuantumShareFell: {
      summary:
        'Fewer post-quantum handshakes to {{ $labels.server_name }} ({{ $labels.direction }}, log {{ $labels.log }})',
      description: `The share of handshakes on a post-quantum key-exchange group over ${p.pqWindow} is {{ $value | humanizePercentage }}, below ${p.pqFloorPercent} % for 30 minutes after it was at or above it within the last day: a proxy, a client or a TLS library went back to classic key exchange. Look at the board's key-exchange group mix and what changed when the share fell.`,
    },
    TLSClientAuthNotEnforced: {
      summary: 'Mutual TLS is not enforced on {{ $labels.name }}',
      description:
        'A client without a certificate completed a handshake: the endpoint is one-way TLS where mutual TLS was required.',
    },
    TLSCertificateChainInvalid: {
      summary: 'The certificate chain of {{ $labels.name }} does not verify',
      description:
        'Unknown CA, missing intermediate, self-signed, expired, a signer that is not a CA, a wrong purpose or a weak key: tls_probe_failure_info has the reason, tls-sli-exporter probe the certificate.',
    },
    TLSHostnameMismatch: {
      summary: 'The certificate of {{ $labels.name }} does not match its server name',
      description: 'Clients that check the name (SAN) refuse it.',
    },
    TLSOCSPStaplingMissing: {
      summary: '{{ $labels.name }} stopped stapling OCSP responses',
      description:
        'It stapled one within the last 7 days and no longer does: often a rotated certificate or Secret whose staple was not fetched again. An endpoint that never stapled (a private CA without OCSP) does not raise this; ocsp: require in its module makes a missing staple fail the probe instead.',
    },
    TLSOCSPRevoked: {
      summary: 'The stapled OCSP response of {{ $labels.name }} says the certificate is revoked',
      description: 'Clients that check revocation refuse it. Replace the certificate.',
    },
    TLSOCSPResponseStale: {
      summary: 'The stapled OCSP response of {{ $labels.name }} is past its nextUpdate',
      description: 'The server keeps stapling an old response: its OCSP fetch is failing.',
    },
    TLSCertificateRevoked: {
      summary: `Certificate ${CERT} is revoked`,
      description: `Its OCSP responder or CRL says revoked (tls_cert_revocation_timestamp_seconds has when and why). Found at: ${places} Clients that check revocation refuse it: replace the certificate.`,
    },
    TLSRevocationUnavailable: {
      summary: `No usable {{ $labels.method }} revocation answer for certificate ${CERT} for 30 minutes`,
      description: `The responder or CRL cannot be fetched, or its answer is unusable (signature, stale): tls_revocation_fetch_failures_total says which URL and why. A revocation in this time would go unseen. Found at: ${places}`,
    },
    TLSRevocationDataStale: {
      summary: `The {{ $labels.method }} answer for certificate ${CERT} is past its nextUpdate`,
      description:
        'The CA has not published a newer OCSP response or CRL than the one in use (or it cannot be fetched): clients that require fresh revocation data refuse the certificate.',
    },
    TLSRevocationDataExpiringSoon: {
      summary: `The {{ $labels.method }} answer for certificate ${CERT} goes stale in {{ $value | humanizeDuration }}`,
      description:
        'Its nextUpdate is near and no newer OCSP response or CRL has been had: check that the CA still publishes, and that the exporter can fetch it.',
    },
    TLSOCSPStapleExpiringSoon: {
      summary:
        'The stapled OCSP response of {{ $labels.name }} goes stale in {{ $value | humanizeDuration }}',
      description:
        'Servers fetch a new staple well before nextUpdate (Envoy takes it from the Secret: renew the ocsp_staple). Once stale, clients that require stapling refuse the handshake.',
    },
    TLSProbeFailing: {
      summary: 'TLS probe of {{ $labels.name }} fails',
      description:
        'tls_probe_failure_info says why and who refused (probe, server, network); docs/metrics.md lists what to do for each reason; tls-sli-exporter probe shows the details.',
    },
    TLSSLIExporterDown: {
      summary: 'tls-sli-exporter is down or not scraped',
      description: 'Without it no TLS alert can fire.',
    },
    TLSSLIExporterLogStalled: {
      summary: 'No line read from access log {{ $labels.log }} for 15 minutes',
      description:
        'Envoy stopped logging, the log moved, or the exporter lost it: see tls_sli_exporter_log_follow_errors_total.',
    },
    TLSAccessLogCoverageLow: {
      summary:
        'Access log {{ $labels.log }} shows only {{ $value | humanizePercentage }} of the {{ $labels.direction }} TLS handshakes Envoy counted',
      description: `Over the last hour the log showed fewer handshakes than Envoy's own ssl.* counters (envoy_admin): its failures may be hidden too. Usual causes: a filter on the listener log (Istio logs only NR connections), a sampled log, a log file not tailed, or the log of another Envoy named in downstream_log/upstream_log.`,
    },
    TLSEnvoyAdminUnreadable: {
      summary: 'The Envoy admin statistics of {{ $labels.envoy }} cannot be read',
      description:
        'Without them the access-log coverage of this Envoy is not checked: see tls_envoy_admin_errors_total by reason and the exporter log.',
    },
    TLSSLIExporterLabelOverflow: {
      summary: 'Values of label {{ $labels.label }} are folded into "other"',
      description:
        'More distinct values than server_names.max_values, or values outside the allow-list: raise the limit or extend the list.',
    },
    TLSSLIExporterPositionsNotSaved: {
      summary: 'tls-sli-exporter cannot save its positions file',
      description:
        'Counts are still published, but a restart will re-read from the last saved positions and count those lines again: check the volume behind positions_file (full, read-only, missing).',
    },
    TLSSLIExporterConfigReloadFailed: {
      summary: 'tls-sli-exporter could not reload its config',
      description:
        'It keeps running the old config; its log says why (tls-sli-exporter check-config shows every problem).',
    },
  };
};
