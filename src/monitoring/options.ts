// What the generator of dashboards, rules and routing examples can be told. Defaults match the
// promises to users: a 99.9 % objective over 30 days, certificates yellow below 30 days and red
// below 7.
import { DEFAULT_OBJECTIVE } from '../config/sections/slo.js';
import { langSuffix, type Lang } from './texts/lang.js';

export interface GeneratorOptions {
  /** the SLO for handshake success, over a 30-day window */
  readonly objective: number;
  readonly warningDays: number;
  readonly criticalDays: number;
  /** a PromQL label matcher selecting the exporter's series, e.g. job="tls-sli-exporter" */
  readonly jobSelector: string;
  readonly runbookUrlBase: string;
  /** fewest handshakes in a burn-rate alert's long window before it may page */
  readonly minHandshakes: number;
  /**
   * When set, TLSHandshakeLatencyHigh warns when a server name's P99 handshake time from the
   * access logs stays above this many seconds; off by default (what is slow depends on the site).
   */
  readonly handshakeP99Threshold?: number;
  /**
   * When set, TLSPostQuantumShareFell warns when a server name's post-quantum share of logged
   * key-exchange groups, at or above this fraction in the last day, falls below it (a rollback);
   * off by default (not every site has post-quantum clients).
   */
  readonly pqShareFloor?: number;
  /**
   * For end-to-end tests only: every `for:` becomes this, so alerts fire within seconds. The
   * expressions, labels and thresholds stay the shipped ones.
   */
  readonly testForOverride?: string;
  /** the language of alert texts and board titles; English when absent */
  readonly lang?: Lang;
}

/** The shipped runbook in a language: docs/runbook.md, docs/runbook.zh-CN.md (same anchors). */
export function runbookFor(lang: Lang): string {
  return `https://github.com/tls-sli-exporter/tls-sli-exporter/blob/main/docs/runbook${langSuffix(lang)}.md`;
}

export const DEFAULT_OPTIONS: GeneratorOptions = {
  // the config's slo.objective default: the status page and the rules judge by one number
  objective: DEFAULT_OBJECTIVE,
  warningDays: 30,
  criticalDays: 7,
  jobSelector: 'job="tls-sli-exporter"',
  runbookUrlBase: runbookFor('en'),
  minHandshakes: 10,
};

/** The job name in a `job="NAME"` selector, when it is one. */
export function jobName(options: GeneratorOptions): string | undefined {
  return /^job="([^"\\]+)"$/.exec(options.jobSelector)?.[1];
}

/** The job of the blackbox-style `/probe` scrapes: the exporter's job name with `-probe`. */
export function probeJobName(options: GeneratorOptions): string {
  return `${jobName(options) ?? 'tls-sli-exporter'}-probe`;
}

/**
 * What certificate, probe and check alerts select: the exporter's job and its `/probe` job (a
 * certificate seen only through `/probe` must page too). Exporter-health, log and SLI rules keep
 * the exporter's own job: a 429 on `/probe` is not the exporter being down.
 */
export function checkSelector(options: GeneratorOptions): string {
  const job = jobName(options);
  if (job === undefined) return options.jobSelector;
  const quote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');
  return `job=~"${quote(job)}|${quote(probeJobName(options))}"`;
}

/** The anchor of a runbook section: the alert name lowercased, as GitHub renders headings. */
export function runbookUrl(options: GeneratorOptions, alert: string): string {
  return `${options.runbookUrlBase}#${alert.toLowerCase()}`;
}

/**
 * The options in another language: its texts, and its runbook when the runbook is the shipped
 * English one (a site's own runbook base is kept).
 */
export function inLanguage(options: GeneratorOptions, lang: Lang): GeneratorOptions {
  const shipped = options.runbookUrlBase === runbookFor(options.lang ?? 'en');
  return { ...options, lang, ...(shipped ? { runbookUrlBase: runbookFor(lang) } : {}) };
}
