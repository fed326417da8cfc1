// What the generator of dashboards, rules and routing examples can be told. Defaults match the
// promises to users: a 99.9 % objective over 30 days, certificates yellow below 30 days and red
// below 7.

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
   * For end-to-end tests only: every `for:` becomes this, so alerts fire within seconds. The
   * expressions, labels and thresholds stay the shipped ones.
   */
  readonly testForOverride?: string;
}

export const DEFAULT_OPTIONS: GeneratorOptions = {
  objective: 0.999,
  warningDays: 30,
  criticalDays: 7,
  jobSelector: 'job="tls-sli-exporter"',
  runbookUrlBase: 'https://github.com/tls-sli-exporter/tls-sli-exporter/blob/main/docs/runbook.md',
  minHandshakes: 10,
};

/** The anchor of a runbook section: the alert name lowercased, as GitHub renders headings. */
export function runbookUrl(options: GeneratorOptions, alert: string): string {
  return `${options.runbookUrlBase}#${alert.toLowerCase()}`;
}
