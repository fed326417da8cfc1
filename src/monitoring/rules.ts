// Recording and alert rules, built from the metric catalogue. Expiry alerts use the notAfter
// timestamp and time(), never the days gauge. Burn-rate alerts follow the SRE workbook's
// multi-window, multi-burn-rate table over a 30-day window, with a minimum-traffic guard.
import { METRICS } from '../metrics/catalog.js';
import { checkSelector, runbookUrl, type GeneratorOptions } from './options.js';

/**
 * critical pages, warning goes to chat; info (a finding to clean up, never an outage) goes to the
 * routing's default receiver, chat in the shipped example
 */
export type Severity = 'critical' | 'warning' | 'info';

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { readonly severity: Severity };
  readonly annotations: {
    readonly summary: string;
    readonly description: string;
    readonly runbook_url: string;
  };
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: ReadonlyArray<AlertRule | RecordingRule>;
}

export const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type Window = (typeof WINDOWS)[number];

const BY = 'job, log, direction, server_name';
const LEVEL = 'job_log_direction_server_name';

/** Access-log coverage against Envoy's own counters: per log and direction, over an hour. */
export const COVERAGE = {
  envoy: 'job_log_direction:tls_envoy_handshakes:rate1h',
  ratio: 'job_log_direction:tls_access_log_coverage:ratio_rate1h',
} as const;

/** Below this share of Envoy's handshakes, a log is said to miss some (TLSAccessLogCoverageLow). */
export const COVERAGE_FLOOR = 0.9;

export const RECORDED = {
  success: (w: Window) => `${LEVEL}:tls_handshake_success:rate${w}`,
  failures: (w: Window) => `${LEVEL}:tls_handshake_failures:rate${w}`,
  handshakes: (w: Window) => `${LEVEL}:tls_handshakes:rate${w}`,
  failureRatio: (w: Window) => `${LEVEL}:tls_handshake_failures:ratio_rate${w}`,
} as const;

/** The burn-rate table: [severity, long window, short window, factor]. */
export const BURN_RATES: ReadonlyArray<readonly ['critical' | 'warning', Window, Window, number]> =
  [
    ['critical', '1h', '5m', 14.4],
    ['critical', '6h', '30m', 6],
    ['warning', '1d', '2h', 3],
    ['warning', '3d', '6h', 1],
  ];

const SECONDS: Record<Window, number> = {
  '5m': 300,
  '30m': 1800,
  '1h': 3600,
  '2h': 7200,
  '6h': 21600,
  '1d': 86400,
  '3d': 259200,
};

/**
 * What the access logs showed against what Envoy counted, for the logs an envoy_admin target
 * names (tls_envoy_handshakes_total carries the log; "none": not compared).
 */
function coverageRules(o: GeneratorOptions): RecordingRule[] {
  const sel = o.jobSelector;
  const ours = `${METRICS.handshakeSuccess.name}|${METRICS.handshakeFailures.name}`;
  return [
    {
      record: COVERAGE.envoy,
      expr: `sum by (job, log, direction) (rate(${METRICS.envoyHandshakes.name}{${sel},log!="none"}[1h]))`,
    },
    {
      record: COVERAGE.ratio,
      expr: `sum by (job, log, direction) (rate({__name__=~"${ours}",${sel}}[1h])) / ${COVERAGE.envoy}`,
    },
  ];
}

function recordingRules(o: GeneratorOptions): RecordingRule[] {
  const rules: RecordingRule[] = [...coverageRules(o)];
  const sel = o.jobSelector;
  for (const w of WINDOWS) {
    rules.push(
      {
        record: RECORDED.success(w),
        // a server name that only ever failed has no success series: its rate is 0, not absent
        expr: `sum by (${BY}) (rate(${METRICS.handshakeSuccess.name}{${sel}}[${w}])) or 0 * sum by (${BY}) (rate(${METRICS.handshakeFailures.name}{${sel}}[${w}]))`,
      },
      {
        record: RECORDED.failures(w),
        expr: `sum by (${BY}) (rate(${METRICS.handshakeFailures.name}{${sel}}[${w}]))`,
      },
      {
        // one sum over both counters: a server name that only ever failed still has a total
        record: RECORDED.handshakes(w),
        expr: `sum by (${BY}) (rate({__name__=~"${METRICS.handshakeSuccess.name}|${METRICS.handshakeFailures.name}",${sel}}[${w}]))`,
      },
      {
        record: RECORDED.failureRatio(w),
        expr: `${RECORDED.failures(w)} / ${RECORDED.handshakes(w)}`,
      },
    );
  }
  return rules;
}

function alert(
  o: GeneratorOptions,
  name: string,
  severity: Severity,
  expr: string,
  forDuration: string | undefined,
  summary: string,
  description: string,
): AlertRule {
  const duration = o.testForOverride ?? forDuration;
  return {
    alert: name,
    expr,
    ...(duration === undefined ? {} : { for: duration }),
    labels: { severity },
    annotations: { summary, description, runbook_url: runbookUrl(o, name) },
  };
}

/**
 * How long before an OCSP response's or CRL's nextUpdate its staleness warns: CAs publish the
 * next one well before (Let's Encrypt at half of a 7-day OCSP lifetime, `openssl ca` CRLs daily
 * or weekly), so two hours left means the refresh has been failing for a long time.
 */
export const STALE_SOON_SECONDS = 7200;

/** One alert per certificate, wherever it is served or stored (one page, not one per target). */
const BY_CERT = 'subject_cn, issuer_cn, serial';

const CERT =
  'CN={{ $labels.subject_cn }} (issuer CN={{ $labels.issuer_cn }}, serial {{ $labels.serial }})';

/** A selector inside a Go template string literal: its quotes escaped. */
const inTemplate = (sel: string): string => sel.replace(/"/g, '\\"');

/** Where a certificate is: every source and name that has it, from a query at alert time (sorted: a query's order is not stable). */
/** Where the certificate is found, `source name (position)` joined by `; `, ended by a full stop. */
function certPlaces(sel: string): string {
  return `{{ range $i, $p := printf "${METRICS.certNotAfter.name}{${inTemplate(sel)},serial=%q,subject_cn=%q}" $labels.serial $labels.subject_cn | query | sortByLabel "name" }}{{ if $i }}; {{ end }}{{ $p.Labels.source }} {{ $p.Labels.name }} ({{ $p.Labels.position }}){{ end }}.`;
}

/** The exact expiry, from a query at alert time (the alert's value is the time left). */
function certNotAfter(sel: string): string {
  return `{{ with printf "min(${METRICS.certNotAfter.name}{${inTemplate(sel)},serial=%q,subject_cn=%q})" $labels.serial $labels.subject_cn | query }}{{ . | first | value | humanizeTimestamp }}{{ end }}`;
}

function burnRateAlerts(o: GeneratorOptions): AlertRule[] {
  const budget = 1 - o.objective;
  const clause = ([, long, short, factor]: (typeof BURN_RATES)[number]): string =>
    `(${RECORDED.failureRatio(long)} > (${factor} * ${budget.toPrecision(6)})` +
    ` and ${RECORDED.failureRatio(short)} > (${factor} * ${budget.toPrecision(6)})` +
    ` and ${RECORDED.handshakes(long)} * ${SECONDS[long]} >= ${o.minHandshakes})`;
  return (['critical', 'warning'] as const).map((severity) =>
    alert(
      o,
      'TLSHandshakeErrorBudgetBurn',
      severity,
      BURN_RATES.filter((b) => b[0] === severity)
        .map(clause)
        .join('\nor\n'),
      severity === 'critical' ? '2m' : '15m',
      'TLS handshakes to {{ $labels.server_name }} ({{ $labels.direction }}, log {{ $labels.log }}) are failing fast enough to burn the error budget',
      `Failures burn the error budget of a ${+(o.objective * 100).toFixed(4)}% success objective over 30 days faster than ${BURN_RATES.filter(
        (b) => b[0] === severity,
      )
        .map((b) => `${b[3]}x over ${b[1]}`)
        .join(' or ')}. Look at tls_handshake_failures_total by reason.`,
    ),
  );
}

/** The window TLSHandshakeLatencyHigh reads its P99 and its traffic guard over. */
export const LATENCY_WINDOW = '10m';

/** P99 of the logged handshake times per server name above the threshold, with enough traffic. */
function latencyAlerts(o: GeneratorOptions): AlertRule[] {
  const threshold = o.handshakeP99Threshold;
  if (threshold === undefined) return [];
  const name = METRICS.handshakeDuration.name;
  const sel = o.jobSelector;
  return [
    alert(
      o,
      'TLSHandshakeLatencyHigh',
      'warning',
      `histogram_quantile(0.99, sum by (${BY}, le) (rate(${name}_bucket{${sel}}[${LATENCY_WINDOW}]))) > ${threshold}` +
        `\nand\nsum by (${BY}) (increase(${name}_count{${sel}}[${LATENCY_WINDOW}])) >= ${o.minHandshakes}`,
      '15m',
      'TLS handshakes to {{ $labels.server_name }} ({{ $labels.direction }}, log {{ $labels.log }}) are slow',
      `The 99th percentile of the handshake times Envoy logged over ${LATENCY_WINDOW} is {{ $value | humanizeDuration }}, above ${threshold} s for 15 minutes. Look at what the server does during a handshake (an OCSP fetch, a key in an HSM), the proxy's CPU, and the clients' network.`,
    ),
  ];
}

/**
 * The stapled response says revoked: one series per target, carrying the leaf's subject_cn,
 * issuer_cn and serial when the probe read it, so Alertmanager can tell it is the certificate
 * TLSCertificateRevoked pages about (the shipped inhibit rule: one revocation, one page). A target
 * whose leaf was not read still fires, by the target alone.
 */
function ocspRevoked(checks: string): string {
  const revoked = `${METRICS.ocspStatus.name}{${checks}} == 1`;
  const leaf = `max by (job, instance, name, ${BY_CERT}) (${METRICS.certNotAfter.name}{${checks}, source="probe", position="leaf"})`;
  return `(${revoked}) * on (job, instance, name) group_left (${BY_CERT}) (0 * ${leaf} + 1)\nor on (job, instance, name)\n${revoked}`;
}

export function ruleGroups(o: GeneratorOptions): RuleGroup[] {
  const sel = o.jobSelector;
  const checks = checkSelector(o);
  // the expiry of what a client uses: a certificate sent beyond the verified path (`extra`) has
  // an alert of its own, never an expiry page
  const used = `${checks}, position!="extra"`;
  const notAfter = `min by (${BY_CERT}) (${METRICS.certNotAfter.name}{${used}})`;
  const notBefore = `min by (${BY_CERT}) (${METRICS.certNotBefore.name}{${used}})`;
  const left = `(${notAfter} - time())`;
  const lifetime = `(${notAfter} - ${notBefore})`;
  const day = 86400;
  const where = `Expires ${certNotAfter(checks)}. Found at: ${certPlaces(checks)}`;
  const alerts: AlertRule[] = [
    alert(
      o,
      'TLSCertificateExpiringSoon',
      'warning',
      `${left} < ${o.warningDays} * ${day} and ${left} >= ${o.criticalDays} * ${day}`,
      '15m',
      `Certificate ${CERT} expires in {{ $value | humanizeDuration }}`,
      `${where} Renew it before it expires.`,
    ),
    alert(
      o,
      'TLSCertificateExpiryCritical',
      'critical',
      `${left} < ${o.criticalDays} * ${day} and ${left} > 0`,
      '5m',
      `Certificate ${CERT} expires in {{ $value | humanizeDuration }}`,
      `${where} Renew and roll out the certificate now: clients will refuse it when it expires.`,
    ),
    alert(
      o,
      'TLSCertificateExpired',
      'critical',
      `${left} <= 0`,
      '1m',
      `Certificate ${CERT} has expired`,
      `Expired ${certNotAfter(checks)}. Found at: ${certPlaces(checks)} Handshakes that present or verify this certificate fail. Replace it.`,
    ),
    alert(
      o,
      'TLSCertificateNotYetValid',
      'warning',
      `(${notBefore} - time()) > 0`,
      '5m',
      `Certificate ${CERT} is not valid yet`,
      `Found at: ${certPlaces(checks)} Its notBefore is in the future: a clock problem, or a certificate deployed too early.`,
    ),
    alert(
      o,
      'TLSUnusedCertificateExpired',
      'info',
      `min by (${BY_CERT}) (${METRICS.certNotAfter.name}{${checks}, position="extra"}) - time() <= 0`,
      '15m',
      `A server sends expired certificate ${CERT} that no verified path uses`,
      `Found at: ${certPlaces(checks)} Clients verify the chain without it (an old cross-signature of a root, or a stale intermediate left in the bundle), so nothing fails today; some older clients may still try it. Remove it from the bundle the server sends.`,
    ),
    alert(
      o,
      'TLSCertificateLifetimeLow',
      'warning',
      `${left} < ${lifetime} / 3 and ${lifetime} < ${o.warningDays} * ${day} and ${left} > 0`,
      '15m',
      `Short-lived certificate ${CERT} has less than a third of its lifetime left ({{ $value | humanizeDuration }})`,
      `${where} Its automatic renewal should have happened by now: check the issuer (cert-manager, SPIRE, Vault).`,
    ),
    ...burnRateAlerts(o),
    alert(
      o,
      'TLSClientAuthNotEnforced',
      'critical',
      `${METRICS.clientAuthEnforced.name}{${checks}} == 0`,
      '5m',
      'Mutual TLS is not enforced on {{ $labels.name }}',
      'A client without a certificate completed a handshake: the endpoint is one-way TLS where mutual TLS was required.',
    ),
    alert(
      o,
      'TLSCertificateChainInvalid',
      'warning',
      `${METRICS.certChainVerified.name}{${checks}} == 0`,
      '15m',
      'The certificate chain of {{ $labels.name }} does not verify',
      'Unknown CA, missing intermediate, self-signed, expired, a signer that is not a CA, a wrong purpose or a weak key: tls_probe_failure_info has the reason, tls-sli-exporter probe the certificate.',
    ),
    alert(
      o,
      'TLSHostnameMismatch',
      'warning',
      `${METRICS.certHostnameMatch.name}{${checks}} == 0`,
      '15m',
      'The certificate of {{ $labels.name }} does not match its server name',
      'Clients that check the name (SAN) refuse it.',
    ),
    alert(
      o,
      'TLSOCSPStaplingMissing',
      'warning',
      `${METRICS.ocspStapled.name}{${checks}} == 0 and max_over_time(${METRICS.ocspStapled.name}{${checks}}[7d]) == 1`,
      '30m',
      '{{ $labels.name }} stopped stapling OCSP responses',
      'It stapled one within the last 7 days and no longer does: often a rotated certificate or Secret whose staple was not fetched again. An endpoint that never stapled (a private CA without OCSP) does not raise this; ocsp: require in its module makes a missing staple fail the probe instead.',
    ),
    alert(
      o,
      'TLSOCSPRevoked',
      'critical',
      ocspRevoked(checks),
      '1m',
      'The stapled OCSP response of {{ $labels.name }} says the certificate is revoked',
      'Clients that check revocation refuse it. Replace the certificate.',
    ),
    alert(
      o,
      'TLSOCSPResponseStale',
      'warning',
      `${METRICS.ocspNextUpdate.name}{${checks}} - time() < 0`,
      '15m',
      'The stapled OCSP response of {{ $labels.name }} is past its nextUpdate',
      'The server keeps stapling an old response: its OCSP fetch is failing.',
    ),
    alert(
      o,
      'TLSCertificateRevoked',
      'critical',
      `max by (${BY_CERT}) (${METRICS.certRevocationStatus.name}{${checks}, status="revoked"}) == 1`,
      '1m',
      `Certificate ${CERT} is revoked`,
      `Its OCSP responder or CRL says revoked (tls_cert_revocation_timestamp_seconds has when and why). Found at: ${certPlaces(checks)} Clients that check revocation refuse it: replace the certificate.`,
    ),
    alert(
      o,
      'TLSRevocationUnavailable',
      'warning',
      `max by (${BY_CERT}, method) (${METRICS.certRevocationStatus.name}{${checks}, status="unavailable"}) == 1`,
      '30m',
      `No usable {{ $labels.method }} revocation answer for certificate ${CERT} for 30 minutes`,
      `The responder or CRL cannot be fetched, or its answer is unusable (signature, stale): tls_revocation_fetch_failures_total says which URL and why. A revocation in this time would go unseen. Found at: ${certPlaces(checks)}`,
    ),
    alert(
      o,
      'TLSRevocationDataStale',
      'warning',
      `min by (${BY_CERT}, method) (${METRICS.certRevocationNextUpdate.name}{${checks}}) - time() < 0`,
      '15m',
      `The {{ $labels.method }} answer for certificate ${CERT} is past its nextUpdate`,
      'The CA has not published a newer OCSP response or CRL than the one in use (or it cannot be fetched): clients that require fresh revocation data refuse the certificate.',
    ),
    alert(
      o,
      'TLSRevocationDataExpiringSoon',
      'warning',
      `min by (${BY_CERT}, method) (${METRICS.certRevocationNextUpdate.name}{${checks}}) - time() < ${STALE_SOON_SECONDS} and min by (${BY_CERT}, method) (${METRICS.certRevocationNextUpdate.name}{${checks}}) - time() > 0`,
      '15m',
      `The {{ $labels.method }} answer for certificate ${CERT} goes stale in {{ $value | humanizeDuration }}`,
      'Its nextUpdate is near and no newer OCSP response or CRL has been had: check that the CA still publishes, and that the exporter can fetch it.',
    ),
    alert(
      o,
      'TLSOCSPStapleExpiringSoon',
      'warning',
      `${METRICS.ocspNextUpdate.name}{${checks}} - time() < ${STALE_SOON_SECONDS} and ${METRICS.ocspNextUpdate.name}{${checks}} - time() > 0`,
      '15m',
      'The stapled OCSP response of {{ $labels.name }} goes stale in {{ $value | humanizeDuration }}',
      'Servers fetch a new staple well before nextUpdate (Envoy takes it from the Secret: renew the ocsp_staple). Once stale, clients that require stapling refuse the handshake.',
    ),
    alert(
      o,
      'TLSProbeFailing',
      'warning',
      `${METRICS.probeSuccess.name}{${checks}} == 0`,
      '10m',
      'TLS probe of {{ $labels.name }} fails',
      'tls_probe_failure_info says why and who refused (probe, server, network); docs/metrics.md lists what to do for each reason; tls-sli-exporter probe shows the details.',
    ),
    alert(
      o,
      'TLSSLIExporterDown',
      'critical',
      `up{${sel}} == 0 or absent(up{${sel}})`,
      '5m',
      'tls-sli-exporter is down or not scraped',
      'Without it no TLS alert can fire.',
    ),
    alert(
      o,
      'TLSSLIExporterLogStalled',
      'warning',
      `time() - ${METRICS.logLastLine.name}{${sel}} > 900`,
      '5m',
      'No line read from access log {{ $labels.log }} for 15 minutes',
      'Envoy stopped logging, the log moved, or the exporter lost it: see tls_sli_exporter_log_follow_errors_total.',
    ),
    alert(
      o,
      'TLSAccessLogCoverageLow',
      'warning',
      `${COVERAGE.ratio} < ${COVERAGE_FLOOR}\nand\n${COVERAGE.envoy} * 3600 >= ${o.minHandshakes}`,
      '30m',
      'Access log {{ $labels.log }} shows only {{ $value | humanizePercentage }} of the {{ $labels.direction }} TLS handshakes Envoy counted',
      `Over the last hour the log showed fewer handshakes than Envoy's own ssl.* counters (envoy_admin): its failures may be hidden too. Usual causes: a filter on the listener log (Istio logs only NR connections), a sampled log, a log file not tailed, or the log of another Envoy named in downstream_log/upstream_log.`,
    ),
    alert(
      o,
      'TLSEnvoyAdminUnreadable',
      'warning',
      `${METRICS.envoyAdminUp.name}{${sel}} == 0`,
      '15m',
      'The Envoy admin statistics of {{ $labels.envoy }} cannot be read',
      'Without them the access-log coverage of this Envoy is not checked: see tls_envoy_admin_errors_total by reason and the exporter log.',
    ),
    alert(
      o,
      'TLSSLIExporterLabelOverflow',
      'warning',
      `increase(${METRICS.labelValuesFolded.name}{${sel}}[1h]) > 0`,
      '15m',
      'Values of label {{ $labels.label }} are folded into "other"',
      'More distinct values than server_names.max_values, or values outside the allow-list: raise the limit or extend the list.',
    ),
    alert(
      o,
      'TLSSLIExporterPositionsNotSaved',
      'warning',
      `increase(${METRICS.positionsErrors.name}{${sel}, kind="write"}[15m]) > 0`,
      '15m',
      'tls-sli-exporter cannot save its positions file',
      'Counts are still published, but a restart will re-read from the last saved positions and count those lines again: check the volume behind positions_file (full, read-only, missing).',
    ),
    alert(
      o,
      'TLSSLIExporterConfigReloadFailed',
      'warning',
      `${METRICS.configLastReloadSuccessful.name}{${sel}} == 0`,
      '5m',
      'tls-sli-exporter could not reload its config',
      'It keeps running the old config; its log says why (tls-sli-exporter check-config shows every problem).',
    ),
  ];
  return [
    { name: 'tls-sli-exporter.recording', rules: recordingRules(o) },
    { name: 'tls-sli-exporter.alerts', rules: [...alerts, ...latencyAlerts(o)] },
  ];
}
