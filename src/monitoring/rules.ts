// Recording and alert rules, built from the metric catalogue. Expiry alerts use the notAfter
// timestamp and time(), never the days gauge. Burn-rate alerts follow the SRE workbook's
// multi-window, multi-burn-rate table over a 30-day window, with a minimum-traffic guard.
import { POST_QUANTUM_GROUP_REGEX } from '../domain/key-exchange-group.js';
import { METRICS } from '../metrics/catalog.js';
import { checkSelector, runbookUrl, type GeneratorOptions } from './options.js';
import type { AlertName, AlertText, AlertTextInput } from './texts/alert-text-input.js';
import { ALERT_TEXTS } from './texts/alert-texts.js';

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

/** The options and every alert's text in their language, written once per rule set. */
interface Texted {
  readonly o: GeneratorOptions;
  readonly texts: Readonly<Record<AlertName, AlertText>>;
}

/** The texts from the options (and, for the burn-rate alert, one severity's burn rates). */
function texted(o: GeneratorOptions, burnRates: AlertTextInput['burnRates'] = []): Texted {
  const checks = checkSelector(o);
  const input: AlertTextInput = {
    notAfter: certNotAfter(checks),
    places: (separator) => certPlaces(checks, separator),
    objectivePercent: +(o.objective * 100).toFixed(4),
    burnRates,
    latencyWindow: LATENCY_WINDOW,
    latencyThreshold: o.handshakeP99Threshold ?? 0,
    pqWindow: PQ_WINDOW,
    pqFloorPercent: +((o.pqShareFloor ?? 0) * 100).toFixed(4),
  };
  return { o, texts: ALERT_TEXTS[o.lang ?? 'en'](input) };
}

function alert(
  { o, texts }: Texted,
  name: AlertName,
  severity: Severity,
  expr: string,
  forDuration: string | undefined,
): AlertRule {
  const duration = o.testForOverride ?? forDuration;
  const { summary, description } = texts[name];
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

/** A selector inside a Go template string literal: its quotes escaped. */
const inTemplate = (sel: string): string => sel.replace(/"/g, '\\"');

/**
 * Where the certificate is found, `source name (position)` joined by `separator`: every source
 * and name that has it, from a query at alert time (sorted: a query's order is not stable).
 */
function certPlaces(sel: string, separator: string): string {
  return `{{ range $i, $p := printf "${METRICS.certNotAfter.name}{${inTemplate(sel)},serial=%q,subject_cn=%q}" $labels.serial $labels.subject_cn | query | sortByLabel "name" }}{{ if $i }}${separator}{{ end }}{{ $p.Labels.source }} {{ $p.Labels.name }} ({{ $p.Labels.position }}){{ end }}`;
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
  return (['critical', 'warning'] as const).map((severity) => {
    const rates = BURN_RATES.filter((b) => b[0] === severity);
    return alert(
      texted(
        o,
        rates.map((b) => [b[3], b[1]] as const),
      ),
      'TLSHandshakeErrorBudgetBurn',
      severity,
      rates.map(clause).join('\nor\n'),
      severity === 'critical' ? '2m' : '15m',
    );
  });
}

/** The window TLSHandshakeLatencyHigh reads its P99 and its traffic guard over. */
export const LATENCY_WINDOW = '10m';

/** P99 of the logged handshake times per server name above the threshold, with enough traffic. */
function latencyAlerts(c: Texted): AlertRule[] {
  const o = c.o;
  const threshold = o.handshakeP99Threshold;
  if (threshold === undefined) return [];
  const name = METRICS.handshakeDuration.name;
  const sel = o.jobSelector;
  return [
    alert(
      c,
      'TLSHandshakeLatencyHigh',
      'warning',
      `histogram_quantile(0.99, sum by (${BY}, le) (rate(${name}_bucket{${sel}}[${LATENCY_WINDOW}]))) > ${threshold}` +
        `\nand\nsum by (${BY}) (increase(${name}_count{${sel}}[${LATENCY_WINDOW}])) >= ${o.minHandshakes}`,
      '15m',
    ),
  ];
}

/** The window TLSPostQuantumShareFell reads the share and its traffic guard over. */
export const PQ_WINDOW = '1h';

/**
 * A server name's post-quantum share below the floor, after it was at or above it within the last
 * day (a rollback; a name that never reached it is not one), with enough traffic.
 */
function postQuantumAlerts(c: Texted): AlertRule[] {
  const o = c.o;
  const floor = o.pqShareFloor;
  if (floor === undefined) return [];
  const name = METRICS.handshakeGroups.name;
  const sel = o.jobSelector;
  const share = `sum by (${BY}) (rate(${name}{${sel}, group=~"${POST_QUANTUM_GROUP_REGEX}"}[${PQ_WINDOW}])) / sum by (${BY}) (rate(${name}{${sel}}[${PQ_WINDOW}]))`;
  return [
    alert(
      c,
      'TLSPostQuantumShareFell',
      'warning',
      `(${share}) < ${floor}` +
        `\nand\nmax_over_time((${share})[1d:10m] offset ${PQ_WINDOW}) >= ${floor}` +
        `\nand\nsum by (${BY}) (increase(${name}{${sel}}[${PQ_WINDOW}])) >= ${o.minHandshakes}`,
      '30m',
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
  const c = texted(o);
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
  const alerts: AlertRule[] = [
    alert(
      c,
      'TLSCertificateExpiringSoon',
      'warning',
      `${left} < ${o.warningDays} * ${day} and ${left} >= ${o.criticalDays} * ${day}`,
      '15m',
    ),
    alert(
      c,
      'TLSCertificateExpiryCritical',
      'critical',
      `${left} < ${o.criticalDays} * ${day} and ${left} > 0`,
      '5m',
    ),
    alert(c, 'TLSCertificateExpired', 'critical', `${left} <= 0`, '1m'),
    alert(c, 'TLSCertificateNotYetValid', 'warning', `(${notBefore} - time()) > 0`, '5m'),
    alert(
      c,
      'TLSUnusedCertificateExpired',
      'info',
      `min by (${BY_CERT}) (${METRICS.certNotAfter.name}{${checks}, position="extra"}) - time() <= 0`,
      '15m',
    ),
    alert(
      c,
      'TLSCertificateLifetimeLow',
      'warning',
      `${left} < ${lifetime} / 3 and ${lifetime} < ${o.warningDays} * ${day} and ${left} > 0`,
      '15m',
    ),
    ...burnRateAlerts(o),
    alert(
      c,
      'TLSClientAuthNotEnforced',
      'critical',
      `${METRICS.clientAuthEnforced.name}{${checks}} == 0`,
      '5m',
    ),
    alert(
      c,
      'TLSCertificateChainInvalid',
      'warning',
      `${METRICS.certChainVerified.name}{${checks}} == 0`,
      '15m',
    ),
    alert(
      c,
      'TLSHostnameMismatch',
      'warning',
      `${METRICS.certHostnameMatch.name}{${checks}} == 0`,
      '15m',
    ),
    alert(
      c,
      'TLSOCSPStaplingMissing',
      'warning',
      `${METRICS.ocspStapled.name}{${checks}} == 0 and max_over_time(${METRICS.ocspStapled.name}{${checks}}[7d]) == 1`,
      '30m',
    ),
    alert(c, 'TLSOCSPRevoked', 'critical', ocspRevoked(checks), '1m'),
    alert(
      c,
      'TLSOCSPResponseStale',
      'warning',
      `${METRICS.ocspNextUpdate.name}{${checks}} - time() < 0`,
      '15m',
    ),
    alert(
      c,
      'TLSCertificateRevoked',
      'critical',
      `max by (${BY_CERT}) (${METRICS.certRevocationStatus.name}{${checks}, status="revoked"}) == 1`,
      '1m',
    ),
    alert(
      c,
      'TLSRevocationUnavailable',
      'warning',
      `max by (${BY_CERT}, method) (${METRICS.certRevocationStatus.name}{${checks}, status="unavailable"}) == 1`,
      '30m',
    ),
    alert(
      c,
      'TLSRevocationDataStale',
      'warning',
      `min by (${BY_CERT}, method) (${METRICS.certRevocationNextUpdate.name}{${checks}}) - time() < 0`,
      '15m',
    ),
    alert(
      c,
      'TLSRevocationDataExpiringSoon',
      'warning',
      `min by (${BY_CERT}, method) (${METRICS.certRevocationNextUpdate.name}{${checks}}) - time() < ${STALE_SOON_SECONDS} and min by (${BY_CERT}, method) (${METRICS.certRevocationNextUpdate.name}{${checks}}) - time() > 0`,
      '15m',
    ),
    alert(
      c,
      'TLSOCSPStapleExpiringSoon',
      'warning',
      `${METRICS.ocspNextUpdate.name}{${checks}} - time() < ${STALE_SOON_SECONDS} and ${METRICS.ocspNextUpdate.name}{${checks}} - time() > 0`,
      '15m',
    ),
    alert(c, 'TLSProbeFailing', 'warning', `${METRICS.probeSuccess.name}{${checks}} == 0`, '10m'),
    alert(c, 'TLSSLIExporterDown', 'critical', `up{${sel}} == 0 or absent(up{${sel}})`, '5m'),
    alert(
      c,
      'TLSSLIExporterLogStalled',
      'warning',
      `time() - ${METRICS.logLastLine.name}{${sel}} > 900`,
      '5m',
    ),
    alert(
      c,
      'TLSAccessLogCoverageLow',
      'warning',
      `${COVERAGE.ratio} < ${COVERAGE_FLOOR}\nand\n${COVERAGE.envoy} * 3600 >= ${o.minHandshakes}`,
      '30m',
    ),
    alert(
      c,
      'TLSEnvoyAdminUnreadable',
      'warning',
      `${METRICS.envoyAdminUp.name}{${sel}} == 0`,
      '15m',
    ),
    alert(
      c,
      'TLSSLIExporterLabelOverflow',
      'warning',
      // server names only: fingerprints and group names fold by design (docs/envoy.md §11)
      `increase(${METRICS.labelValuesFolded.name}{${sel}, label="server_name"}[1h]) > 0`,
      '15m',
    ),
    alert(
      c,
      'TLSSLIExporterPositionsNotSaved',
      'warning',
      `increase(${METRICS.positionsErrors.name}{${sel}, kind="write"}[15m]) > 0`,
      '15m',
    ),
    alert(
      c,
      'TLSSLIExporterConfigReloadFailed',
      'warning',
      `${METRICS.configLastReloadSuccessful.name}{${sel}} == 0`,
      '5m',
    ),
  ];
  return [
    { name: 'tls-sli-exporter.recording', rules: recordingRules(o) },
    {
      name: 'tls-sli-exporter.alerts',
      rules: [...alerts, ...latencyAlerts(c), ...postQuantumAlerts(c)],
    },
  ];
}
