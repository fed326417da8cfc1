// promtool unit tests for the generated rules, generated alongside them so they follow the
// thresholds: every alert fires on a series built to trigger it and stays silent just outside its
// threshold. promtool starts time() at 0, so expiry fixtures use small absolute timestamps.
import { METRICS } from '../metrics/catalog.js';
import { probeJobName, type GeneratorOptions } from './options.js';
import { REVOCATION_STATUSES } from '../domain/tls-words.js';
import {
  COVERAGE_FLOOR,
  LATENCY_WINDOW,
  PQ_WINDOW,
  STALE_SOON_SECONDS,
  ruleGroups,
  type AlertRule,
  type Severity,
} from './rules.js';

type Labels = Record<string, string>;

interface Series {
  readonly series: string;
  readonly values: string;
}

interface Case {
  readonly name: string;
  readonly input: readonly Series[];
  readonly evalTime: string;
  readonly alert: string;
  /** labels of each expected alert (without alertname and severity), none = silent */
  readonly fires: ReadonlyArray<{ labels: Labels; severity: Severity }>;
  /** what the annotation templates read at alert time: the alert's value, query results */
  readonly context?: TemplateContext;
}

interface TemplateContext {
  /** $value */
  readonly value?: number;
  /** what the certificate's notAfter query returns */
  readonly notAfter?: number;
  /** what the certificate's places query renders */
  readonly places?: readonly string[];
}

/** Go's `%.4g` for a value in [1, 1000): four significant digits, trailing zeros dropped. */
function fourDigits(v: number): string {
  const text = v.toPrecision(4);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** Prometheus's humanizePercentage (template.go): the value times 100, four significant digits. */
export function humanizePercentage(v: number): string {
  return `${fourDigits(v * 100)}%`;
}

/** Prometheus's humanizeDuration (template.go): days to seconds, then ms, us, … below one. */
export function humanizeDuration(v: number): string {
  if (v === 0) return '0s';
  const sign = v < 0 ? '-' : '';
  if (Math.abs(v) < 1) {
    let scaled = Math.abs(v);
    let prefix = '';
    for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
      if (scaled >= 1) break;
      prefix = p;
      scaled *= 1000;
    }
    return `${sign}${fourDigits(scaled)}${prefix}s`;
  }
  const d = Math.trunc(Math.abs(v));
  const [days, hours, minutes, seconds] = [
    Math.trunc(d / 86400),
    Math.trunc(d / 3600) % 24,
    Math.trunc(d / 60) % 60,
    d % 60,
  ];
  if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
  if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
  if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
  return `${sign}${fourDigits(Math.abs(v))}s`;
}

/** Prometheus's humanizeTimestamp: Go's default format of a UTC time.Time. */
export function humanizeTimestamp(seconds: number): string {
  return `${new Date(seconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$/, '')} +0000 UTC`;
}

const DAY = 86400;

function seriesText(name: string, labels: Labels): string {
  return `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}

/** The annotation as Prometheus renders it: the few template forms the rules use. */
function render(template: string, labels: Labels, context: TemplateContext = {}): string {
  return template
    .replace(
      /\{\{ range \$i, \$p := printf .*? \| query \| sortByLabel "name" \}\}\{\{ if \$i \}\}(.*?)\{\{ end \}\}.*?\(\{\{ \$p\.Labels\.position \}\}\)\{\{ end \}\}/g,
      (_, separator: string) => (context.places ?? []).join(separator),
    )
    .replace(
      /\{\{ with printf .*? \| query \}\}\{\{ \. \| first \| value \| humanizeTimestamp \}\}\{\{ end \}\}/g,
      context.notAfter === undefined ? '' : humanizeTimestamp(context.notAfter),
    )
    .replace(/\{\{ \$value \| humanizeDuration \}\}/g, () =>
      context.value === undefined ? '' : humanizeDuration(context.value),
    )
    .replace(/\{\{ \$value \| humanizePercentage \}\}/g, () =>
      context.value === undefined ? '' : humanizePercentage(context.value),
    )
    .replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, k: string) => labels[k] ?? '');
}

function alertsByName(o: GeneratorOptions): Map<string, AlertRule[]> {
  const map = new Map<string, AlertRule[]>();
  for (const group of ruleGroups(o)) {
    for (const rule of group.rules) {
      if ('alert' in rule) map.set(rule.alert, [...(map.get(rule.alert) ?? []), rule]);
    }
  }
  return map;
}

function evalSeconds(text: string): number {
  const m = /^(\d+)(m|h)$/.exec(text);
  return m ? Number(m[1]) * (m[2] === 'h' ? 3600 : 60) : 0;
}

type Gauge = (name: string, labels: Labels, value: number) => Series;
type One = (
  alert: string,
  labels: Labels,
  severity: Severity,
  input: Series[],
  name: string,
) => Case;
type None = (alert: string, input: Series[], name: string) => Case;

/** Revocation: revoked pages, unavailable and stale warn; each silent just outside. */
function revocationCases(
  cert: Labels,
  certLabels: Labels,
  target: Labels,
  now: number,
  places: readonly string[],
  gauge: Gauge,
  one: One,
  none: None,
  /** the certificate's notAfter: what "Found at" is read from */
  placed: Series,
): Case[] {
  const status = (method: string, state: string): Series[] =>
    REVOCATION_STATUSES.map((s) =>
      gauge(METRICS.certRevocationStatus.name, { ...cert, method, status: s }, s === state ? 1 : 0),
    );
  const next = (method: string, at: number): Series =>
    gauge(METRICS.certRevocationNextUpdate.name, { ...cert, method }, at);
  const soon = STALE_SOON_SECONDS;
  const withPlaces = (c: Case): Case => ({
    ...c,
    input: [...c.input, placed],
    context: { ...c.context, places },
  });
  return [
    withPlaces(
      one(
        'TLSCertificateRevoked',
        certLabels,
        'critical',
        status('crl', 'revoked'),
        'revoked by CRL',
      ),
    ),
    withPlaces(
      one(
        'TLSCertificateRevoked',
        certLabels,
        'critical',
        [...status('crl', 'good'), ...status('ocsp', 'revoked')],
        'revoked by OCSP, good by CRL: one page',
      ),
    ),
    none(
      'TLSCertificateRevoked',
      [...status('ocsp', 'unavailable'), ...status('crl', 'unknown')],
      'silent for unavailable and unknown: a responder down is never revoked',
    ),
    withPlaces(
      one(
        'TLSRevocationUnavailable',
        { ...certLabels, method: 'ocsp' },
        'warning',
        status('ocsp', 'unavailable'),
        'unavailable for 30 minutes',
      ),
    ),
    {
      name: 'unavailable for 20 minutes only',
      input: [
        {
          series: seriesText(METRICS.certRevocationStatus.name, {
            ...cert,
            method: 'ocsp',
            status: 'unavailable',
          }),
          values: '0x10 1x60',
        },
      ],
      evalTime: '30m',
      alert: 'TLSRevocationUnavailable',
      fires: [],
    },
    one(
      'TLSRevocationDataStale',
      { ...certLabels, method: 'crl' },
      'warning',
      [next('crl', now - 1200)],
      'CRL past nextUpdate for 20 minutes',
    ),
    none('TLSRevocationDataStale', [next('crl', now + 60)], 'silent before nextUpdate'),
    {
      ...one(
        'TLSRevocationDataExpiringSoon',
        { ...certLabels, method: 'crl' },
        'warning',
        [next('crl', now + soon - 1500)],
        `CRL stale in ${soon - 1500} s`,
      ),
      context: { value: soon - 1500 },
    },
    none(
      'TLSRevocationDataExpiringSoon',
      [next('ocsp', now + soon + 600)],
      `silent ${soon + 600} s before`,
    ),
    none(
      'TLSRevocationDataExpiringSoon',
      [next('crl', now - 60)],
      'silent once stale (the stale alert says it)',
    ),
    {
      ...one(
        'TLSOCSPStapleExpiringSoon',
        target,
        'warning',
        [gauge(METRICS.ocspNextUpdate.name, target, now + 1800)],
        'staple stale in 30 minutes',
      ),
      context: { value: 1800 },
    },
    none(
      'TLSOCSPStapleExpiringSoon',
      [gauge(METRICS.ocspNextUpdate.name, target, now + soon + 600)],
      'silent with a fresh staple',
    ),
  ];
}

function certCases(o: GeneratorOptions): Case[] {
  const job = { job: 'tls-sli-exporter', instance: 'exporter:10087' };
  const cert = {
    ...job,
    source: 'probe',
    name: 'audit-gateway',
    position: 'leaf',
    subject_cn: 'audit-gw.dify.svc',
    issuer_cn: 'Internal CA',
    serial: '1f',
  };
  const at = '30m';
  const now = evalSeconds(at);
  /** an expiry alert: one per certificate, labelled by the certificate alone */
  const certLabels = {
    subject_cn: cert.subject_cn,
    issuer_cn: cert.issuer_cn,
    serial: cert.serial,
  };
  const places = [`${cert.source} ${cert.name} (${cert.position})`];
  /** the same certificate, sent by the server beyond the path it verified */
  const extra = { ...cert, position: 'extra' };
  const expiry = (
    alert: string,
    severity: Severity,
    days: number,
    input: Series[],
    name: string,
    where: readonly string[] = places,
  ): Case => {
    const at30 = Math.round(now + days * DAY);
    return {
      name,
      input,
      evalTime: at,
      alert,
      fires: [{ labels: certLabels, severity }],
      context: { value: at30 - now, notAfter: at30, places: where },
    };
  };
  const notAfter = (days: number, labels: Labels = cert): Series => ({
    series: seriesText(METRICS.certNotAfter.name, labels),
    values: `${Math.round(now + days * DAY)}x60`,
  });
  const notBefore = (days: number): Series => ({
    series: seriesText(METRICS.certNotBefore.name, cert),
    values: `${Math.round(now + days * DAY)}x60`,
  });
  const target = { ...job, name: 'audit-gateway' };
  const gauge = (name: string, labels: Labels, value: number): Series => ({
    series: seriesText(name, labels),
    values: `${value}x60`,
  });
  const one = (
    alert: string,
    labels: Labels,
    severity: Severity,
    input: Series[],
    name: string,
  ): Case => ({ name, input, evalTime: at, alert, fires: [{ labels, severity }] });
  const none = (alert: string, input: Series[], name: string): Case => ({
    name,
    input,
    evalTime: at,
    alert,
    fires: [],
  });
  const w = o.warningDays;
  const c = o.criticalDays;
  return [
    expiry(
      'TLSCertificateExpiringSoon',
      'warning',
      w - 0.5,
      [notAfter(w - 0.5), notBefore(-300)],
      `expires in ${w - 0.5} days`,
    ),
    none(
      'TLSCertificateExpiringSoon',
      [notAfter(w + 0.5), notBefore(-300)],
      `silent at ${w + 0.5} days`,
    ),
    none(
      'TLSCertificateExpiringSoon',
      [notAfter(c - 0.5), notBefore(-300)],
      `silent below ${c} days (the critical alert's)`,
    ),
    expiry(
      'TLSCertificateExpiryCritical',
      'critical',
      c - 0.5,
      [notAfter(c - 0.5), notBefore(-300)],
      `expires in ${c - 0.5} days`,
    ),
    none(
      'TLSCertificateExpiryCritical',
      [notAfter(c + 0.5), notBefore(-300)],
      `silent at ${c + 0.5} days`,
    ),
    expiry(
      'TLSCertificateExpiryCritical',
      'critical',
      c - 0.5,
      [notAfter(c - 0.5, { ...cert, name: 'a' }), notAfter(c - 0.5, { ...cert, name: 'b' })],
      'one page for a certificate served by two targets',
      [`${cert.source} a (${cert.position})`, `${cert.source} b (${cert.position})`],
    ),
    expiry(
      'TLSCertificateExpiryCritical',
      'critical',
      c - 0.5,
      [notAfter(c - 0.5, { ...cert, job: probeJobName(o) })],
      'a certificate seen only through the /probe job',
    ),
    expiry(
      'TLSCertificateExpired',
      'critical',
      -1,
      [notAfter(-1), notBefore(-300)],
      'expired a day ago',
    ),
    none('TLSCertificateExpired', [notAfter(0.1), notBefore(-300)], 'silent while still valid'),
    none(
      'TLSCertificateExpired',
      [notAfter(-100, extra), notBefore(-3000)],
      'silent for an expired certificate sent beyond the verified path (an old cross-signature)',
    ),
    expiry(
      'TLSUnusedCertificateExpired',
      'info',
      -100,
      [notAfter(-100, extra)],
      'an expired certificate sent beyond the verified path: a finding of its own',
      [`${cert.source} ${cert.name} (extra)`],
    ),
    none('TLSUnusedCertificateExpired', [notAfter(100, extra)], 'silent while it is valid'),
    none(
      'TLSUnusedCertificateExpired',
      [notAfter(-1), notBefore(-300)],
      'silent for a certificate on the path (TLSCertificateExpired is its alert)',
    ),
    expiry(
      'TLSCertificateNotYetValid',
      'warning',
      300,
      [notAfter(300), notBefore(1)],
      'valid from tomorrow',
    ),
    none('TLSCertificateNotYetValid', [notAfter(300), notBefore(-0.1)], 'silent once valid'),
    expiry(
      'TLSCertificateLifetimeLow',
      'warning',
      0.25,
      [notAfter(0.25), notBefore(-0.75)],
      'a one-day certificate with 6 hours left',
    ),
    none('TLSCertificateLifetimeLow', [notAfter(0.4), notBefore(-0.6)], 'silent with 40 % left'),
    none(
      'TLSCertificateLifetimeLow',
      [notAfter(20), notBefore(-70)],
      'silent for long-lived certificates',
    ),
    one(
      'TLSClientAuthNotEnforced',
      target,
      'critical',
      [gauge(METRICS.clientAuthEnforced.name, target, 0)],
      'not enforced',
    ),
    none(
      'TLSClientAuthNotEnforced',
      [gauge(METRICS.clientAuthEnforced.name, target, 1)],
      'silent when enforced',
    ),
    one(
      'TLSCertificateChainInvalid',
      { ...job, source: 'probe', name: 'audit-gateway' },
      'warning',
      [
        gauge(
          METRICS.certChainVerified.name,
          { ...job, source: 'probe', name: 'audit-gateway' },
          0,
        ),
      ],
      'chain invalid',
    ),
    none(
      'TLSCertificateChainInvalid',
      [
        gauge(
          METRICS.certChainVerified.name,
          { ...job, source: 'probe', name: 'audit-gateway' },
          1,
        ),
      ],
      'silent when verified',
    ),
    one(
      'TLSHostnameMismatch',
      target,
      'warning',
      [gauge(METRICS.certHostnameMatch.name, target, 0)],
      'name mismatch',
    ),
    none(
      'TLSHostnameMismatch',
      [gauge(METRICS.certHostnameMatch.name, target, 1)],
      'silent when the name matches',
    ),
    {
      name: 'stapled, then stopped',
      input: [{ series: seriesText(METRICS.ocspStapled.name, target), values: '1x5 0x60' }],
      evalTime: '40m',
      alert: 'TLSOCSPStaplingMissing',
      fires: [{ labels: target, severity: 'warning' }],
    },
    none(
      'TLSOCSPStaplingMissing',
      [gauge(METRICS.ocspStapled.name, target, 0)],
      'silent for an endpoint that never stapled (a private CA without OCSP)',
    ),
    none(
      'TLSOCSPStaplingMissing',
      [gauge(METRICS.ocspStapled.name, target, 1)],
      'silent when stapled',
    ),
    one(
      'TLSOCSPRevoked',
      target,
      'critical',
      [gauge(METRICS.ocspStatus.name, target, 1)],
      'revoked',
    ),
    one(
      'TLSOCSPRevoked',
      { ...target, subject_cn: cert.subject_cn, issuer_cn: cert.issuer_cn, serial: cert.serial },
      'critical',
      [
        gauge(METRICS.ocspStatus.name, target, 1),
        gauge(METRICS.certNotAfter.name, cert, now + DAY),
      ],
      "revoked, with the leaf the probe read: the leaf's serial and issuer, one alert",
    ),
    none('TLSOCSPRevoked', [gauge(METRICS.ocspStatus.name, target, 2)], 'silent for unknown'),
    one(
      'TLSOCSPResponseStale',
      target,
      'warning',
      [gauge(METRICS.ocspNextUpdate.name, target, now - 1200)],
      'past nextUpdate for 20 minutes',
    ),
    none(
      'TLSOCSPResponseStale',
      [gauge(METRICS.ocspNextUpdate.name, target, now + 3600)],
      'silent before nextUpdate',
    ),
    ...revocationCases(cert, certLabels, target, now, places, gauge, one, none, notAfter(100)),
    one(
      'TLSProbeFailing',
      target,
      'warning',
      [gauge(METRICS.probeSuccess.name, target, 0)],
      'probe failing',
    ),
    none(
      'TLSProbeFailing',
      [gauge(METRICS.probeSuccess.name, target, 1)],
      'silent when succeeding',
    ),
    one('TLSSLIExporterDown', job, 'critical', [gauge('up', job, 0)], 'target down'),
    one(
      'TLSSLIExporterDown',
      { job: 'tls-sli-exporter' },
      'critical',
      [gauge('up', { job: 'other', instance: 'x' }, 1)],
      'not scraped at all',
    ),
    none('TLSSLIExporterDown', [gauge('up', job, 1)], 'silent when up'),
    one(
      'TLSSLIExporterLogStalled',
      { ...job, log: 'ingress' },
      'warning',
      [gauge(METRICS.logLastLine.name, { ...job, log: 'ingress' }, 0)],
      'no line ever',
    ),
    none(
      'TLSSLIExporterLogStalled',
      [
        {
          series: seriesText(METRICS.logLastLine.name, { ...job, log: 'ingress' }),
          values: '0+60x60',
        },
      ],
      'silent while lines arrive',
    ),
    one(
      'TLSSLIExporterLabelOverflow',
      { ...job, label: 'server_name' },
      'warning',
      [
        {
          series: seriesText(METRICS.labelValuesFolded.name, { ...job, label: 'server_name' }),
          values: '0+1x60',
        },
      ],
      'values folding',
    ),
    none(
      'TLSSLIExporterLabelOverflow',
      [gauge(METRICS.labelValuesFolded.name, { ...job, label: 'server_name' }, 5)],
      'silent when no new folds',
    ),
    none(
      'TLSSLIExporterLabelOverflow',
      ['fingerprint', 'group'].map((label) => ({
        series: seriesText(METRICS.labelValuesFolded.name, { ...job, label }),
        values: '0+1x60',
      })),
      'silent on folded fingerprints and group names: their limits are the design, nothing to raise',
    ),
    one(
      'TLSSLIExporterPositionsNotSaved',
      { ...job, kind: 'write' },
      'warning',
      [
        {
          series: seriesText(METRICS.positionsErrors.name, { ...job, kind: 'write' }),
          values: '0+1x60',
        },
      ],
      'saves failing',
    ),
    none(
      'TLSSLIExporterPositionsNotSaved',
      [
        {
          series: seriesText(METRICS.positionsErrors.name, { ...job, kind: 'corrupt' }),
          values: '1+0x60',
        },
        gauge(METRICS.positionsErrors.name, { ...job, kind: 'write' }, 0),
      ],
      'silent when saves work (a corrupt file at start is not a failing save)',
    ),
    one(
      'TLSSLIExporterConfigReloadFailed',
      job,
      'warning',
      [gauge(METRICS.configLastReloadSuccessful.name, job, 0)],
      'reload failed',
    ),
    none(
      'TLSSLIExporterConfigReloadFailed',
      [gauge(METRICS.configLastReloadSuccessful.name, job, 1)],
      'silent after a good reload',
    ),
  ];
}

/** The scrape labels and the SLI's aggregation key of the handshake fixtures. */
const SLI_SERIES = {
  job: { job: 'tls-sli-exporter', instance: 'exporter:10087' },
  key: {
    job: 'tls-sli-exporter',
    log: 'ingress',
    direction: 'downstream',
    server_name: 'audit-gw.dify.svc',
  },
} as const;

function burnCases(o: GeneratorOptions): Case[] {
  const { job, key } = SLI_SERIES;
  const series = (successPerMin: number, failuresPerMin: number, minutes: number): Series[] => [
    {
      series: seriesText(METRICS.handshakeSuccess.name, { ...job, ...key, tls_version: 'TLSv1.3' }),
      values: `0+${successPerMin}x${minutes}`,
    },
    {
      series: seriesText(METRICS.handshakeFailures.name, {
        ...job,
        ...key,
        reason: 'no_client_cert',
      }),
      values: `0+${failuresPerMin}x${minutes}`,
    },
  ];
  const budget = 1 - o.objective;
  // ratio r = f / (s + f); for 1000 handshakes a minute, f = r * 1000
  const failing = (ratio: number): [number, number] => [1000 - ratio * 1000, ratio * 1000];
  const fast = failing(Math.min(0.5, 20 * budget));
  const belowPage = failing(5 * budget);
  const calm = failing(0.8 * budget);
  const slow = failing(2 * budget);
  const byName = 'TLSHandshakeErrorBudgetBurn';
  return [
    {
      name: 'fast burn pages (and its ticket twin fires too)',
      input: series(...fast, 100),
      evalTime: '80m',
      alert: byName,
      fires: [
        { labels: key, severity: 'critical' },
        { labels: key, severity: 'warning' },
      ],
    },
    {
      name: '5x the budget for hours: below the 6x page, above the 3x ticket',
      input: series(...belowPage, 800),
      evalTime: '13h',
      alert: byName,
      fires: [{ labels: key, severity: 'warning' }],
    },
    {
      name: '0.8x the budget: within the objective, silent',
      input: series(...calm, 800),
      evalTime: '13h',
      alert: byName,
      fires: [],
    },
    {
      name: 'slow burn over days opens a ticket, no page',
      input: series(...slow, 3000),
      evalTime: '49h',
      alert: byName,
      fires: [{ labels: key, severity: 'warning' }],
    },
    {
      name: 'the traffic guard: 3 failures of 4 handshakes an hour at night never pages',
      input: series(0.0167, 0.05, 100),
      evalTime: '80m',
      alert: byName,
      fires: [],
    },
    {
      name: 'the same ratio with enough traffic pages',
      input: series(0.25, 0.75, 100),
      evalTime: '80m',
      alert: byName,
      fires: [
        { labels: key, severity: 'critical' },
        { labels: key, severity: 'warning' },
      ],
    },
  ];
}

/** TLSAccessLogCoverageLow: a log that shows half of Envoy's handshakes warns; 95 % does not. */
function coverageCases(o: GeneratorOptions): Case[] {
  const { job } = SLI_SERIES;
  const labels = { job: 'tls-sli-exporter', log: 'ingress', direction: 'downstream' };
  /** `logged` and `counted` handshakes a minute, in the log and in Envoy's counters */
  const series = (logged: number, counted: number): Series[] => [
    {
      series: seriesText(METRICS.handshakeSuccess.name, {
        ...job,
        ...labels,
        server_name: 'audit-gw.dify.svc',
        tls_version: 'TLSv1.3',
      }),
      values: `0+${logged}x150`,
    },
    {
      series: seriesText(METRICS.envoyHandshakes.name, {
        ...job,
        ...labels,
        envoy: 'edge',
        scope: '0.0.0.0_8443',
        outcome: 'success',
      }),
      values: `0+${counted}x150`,
    },
  ];
  const alert = 'TLSAccessLogCoverageLow';
  return [
    {
      name: 'the log shows half of what Envoy counted (a filtered listener log)',
      input: series(50, 100),
      evalTime: '2h',
      alert,
      fires: [{ labels, severity: 'warning' }],
      context: { value: 0.5 },
    },
    {
      name: `the log shows 95 %, above ${COVERAGE_FLOOR * 100} %: silent`,
      input: series(95, 100),
      evalTime: '2h',
      alert,
      fires: [],
    },
    {
      name: `fewer than ${o.minHandshakes} handshakes an hour: silent`,
      input: series(0.05, 0.1),
      evalTime: '2h',
      alert,
      fires: [],
    },
    {
      name: 'admin endpoint unreadable for 20 minutes',
      input: [
        {
          series: seriesText(METRICS.envoyAdminUp.name, { ...job, envoy: 'edge' }),
          values: '1x10 0x20',
        },
      ],
      evalTime: '30m',
      alert: 'TLSEnvoyAdminUnreadable',
      fires: [{ labels: { ...job, envoy: 'edge' }, severity: 'warning' }],
    },
    {
      name: 'admin endpoint unreadable for 10 minutes only',
      input: [
        {
          series: seriesText(METRICS.envoyAdminUp.name, { ...job, envoy: 'edge' }),
          values: '1x20 0x10',
        },
      ],
      evalTime: '30m',
      alert: 'TLSEnvoyAdminUnreadable',
      fires: [],
    },
  ];
}

/** TLSHandshakeLatencyHigh, when the generator was given a threshold. */
function latencyCases(o: GeneratorOptions, threshold: number): Case[] {
  const { job, key } = SLI_SERIES;
  const bounds = METRICS.handshakeDuration.buckets ?? [];
  /** `perMinute` handshakes a minute, every one in the bucket whose upper bound is `upper` */
  const histogram = (perMinute: number, upper: number, minutes: number): Series[] => [
    ...[...bounds.map(String), '+Inf'].map((le) => ({
      series: seriesText(`${METRICS.handshakeDuration.name}_bucket`, { ...job, ...key, le }),
      values: `0+${le === '+Inf' || Number(le) >= upper ? perMinute : 0}x${minutes}`,
    })),
    {
      series: seriesText(`${METRICS.handshakeDuration.name}_count`, { ...job, ...key }),
      values: `0+${perMinute}x${minutes}`,
    },
  ];
  // every handshake in one bucket: P99 interpolates to 99 % of the way through it
  const slowBucket = bounds.find((b) => b > threshold) ?? 10;
  const below = bounds.filter((b) => b < threshold);
  const fastBucket = below.at(-2) ?? bounds[0] ?? 0.0005;
  const lower = (upper: number): number => bounds.filter((b) => b < upper).at(-1) ?? 0;
  const p99 = (upper: number): number => lower(upper) + (upper - lower(upper)) * 0.99;
  const alert = 'TLSHandshakeLatencyHigh';
  return [
    {
      name: `P99 ${humanizeDuration(p99(slowBucket))} for 30 minutes, above ${threshold} s`,
      input: histogram(100, slowBucket, 40),
      evalTime: '40m',
      alert,
      fires: [{ labels: key, severity: 'warning' }],
      context: { value: p99(slowBucket) },
    },
    {
      name: `P99 ${humanizeDuration(p99(fastBucket))}: silent`,
      input: histogram(100, fastBucket, 40),
      evalTime: '40m',
      alert,
      fires: [],
    },
    {
      name: `slow, but fewer than ${o.minHandshakes} handshakes in ${LATENCY_WINDOW}: silent`,
      input: histogram(Math.max(0.1, (o.minHandshakes - 2) / 10), slowBucket, 40),
      evalTime: '40m',
      alert,
      fires: [],
    },
  ];
}

/** TLSPostQuantumShareFell, when the generator was given a floor. */
function postQuantumCases(o: GeneratorOptions, floor: number): Case[] {
  const { job, key } = SLI_SERIES;
  const group = (name: string, values: string): Series => ({
    series: seriesText(METRICS.handshakeGroups.name, { ...job, ...key, group: name }),
    values,
  });
  /** `perMinute` handshakes a minute: post-quantum for 10 h, then `after` for 2 h */
  const rollback = (perMinute: number, after: 'X25519' | 'X25519MLKEM768'): Series[] => {
    const pq = after === 'X25519MLKEM768';
    const total = perMinute * 600;
    return [
      group('X25519MLKEM768', `0+${perMinute}x600 ${total}+${pq ? perMinute : 0}x120`),
      group('X25519', `0+0x600 0+${pq ? 0 : perMinute}x120`),
    ];
  };
  const alert = 'TLSPostQuantumShareFell';
  return [
    {
      name: `post-quantum for 10 hours, then X25519 only: below ${floor} after being above it`,
      input: rollback(60, 'X25519'),
      evalTime: '720m',
      alert,
      fires: [{ labels: key, severity: 'warning' }],
      context: { value: 0 },
    },
    {
      name: 'post-quantum throughout: silent',
      input: rollback(60, 'X25519MLKEM768'),
      evalTime: '720m',
      alert,
      fires: [],
    },
    {
      name: 'never post-quantum (a name whose clients cannot): silent, it never fell',
      input: [group('X25519', '0+60x720'), group('X25519MLKEM768', '0+0x720')],
      evalTime: '720m',
      alert,
      fires: [],
    },
    {
      name: `the same rollback with fewer than ${o.minHandshakes} handshakes in ${PQ_WINDOW}: silent`,
      input: rollback(Math.max(0.05, (o.minHandshakes - 2) / 60), 'X25519'),
      evalTime: '720m',
      alert,
      fires: [],
    },
  ];
}

export function ruleTestFiles(o: GeneratorOptions, rulesPath: string): Map<string, object> {
  const alerts = alertsByName(o);
  const toTest = (c: Case): object => {
    const rules = alerts.get(c.alert) ?? [];
    return {
      name: `${c.alert}: ${c.name}`,
      interval: '1m',
      input_series: c.input,
      alert_rule_test: [
        {
          eval_time: c.evalTime,
          alertname: c.alert,
          exp_alerts: c.fires.map(({ labels, severity }) => {
            const rule = rules.find((r) => r.labels.severity === severity);
            if (!rule) throw new Error(`no ${severity} rule named ${c.alert}`);
            const all = { ...labels, severity };
            return {
              exp_labels: all,
              exp_annotations: Object.fromEntries(
                Object.entries(rule.annotations).map(([k, v]) => [k, render(v, all, c.context)]),
              ),
            };
          }),
        },
      ],
    };
  };
  // each file: its cases, or none when the generator was not asked for its alert
  const files: ReadonlyArray<readonly [string, readonly Case[] | undefined]> = [
    ['certificates-and-checks.yml', certCases(o)],
    ['burn-rate.yml', burnCases(o)],
    ['access-log-coverage.yml', coverageCases(o)],
    [
      'handshake-latency.yml',
      o.handshakeP99Threshold === undefined ? undefined : latencyCases(o, o.handshakeP99Threshold),
    ],
    [
      'post-quantum-share.yml',
      o.pqShareFloor === undefined ? undefined : postQuantumCases(o, o.pqShareFloor),
    ],
  ];
  return new Map(
    files.flatMap(([file, cases]) =>
      cases === undefined
        ? []
        : [
            [
              file,
              { rule_files: [rulesPath], evaluation_interval: '1m', tests: cases.map(toTest) },
            ],
          ],
    ),
  );
}
