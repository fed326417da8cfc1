// What an alert's text is written from, and the shape every language's texts have: the template
// pieces the rules give (Go templates Prometheus renders at alert time) and the generator's
// numbers. The terms follow docs/glossary.md.
export const ALERT_NAMES = [
  'TLSCertificateExpiringSoon',
  'TLSCertificateExpiryCritical',
  'TLSCertificateExpired',
  'TLSCertificateNotYetValid',
  'TLSUnusedCertificateExpired',
  'TLSCertificateLifetimeLow',
  'TLSHandshakeErrorBudgetBurn',
  'TLSHandshakeLatencyHigh',
  'TLSPostQuantumShareFell',
  'TLSClientAuthNotEnforced',
  'TLSCertificateChainInvalid',
  'TLSHostnameMismatch',
  'TLSOCSPStaplingMissing',
  'TLSOCSPRevoked',
  'TLSOCSPResponseStale',
  'TLSCertificateRevoked',
  'TLSRevocationUnavailable',
  'TLSRevocationDataStale',
  'TLSRevocationDataExpiringSoon',
  'TLSOCSPStapleExpiringSoon',
  'TLSProbeFailing',
  'TLSSLIExporterDown',
  'TLSSLIExporterLogStalled',
  'TLSAccessLogCoverageLow',
  'TLSEnvoyAdminUnreadable',
  'TLSSLIExporterLabelOverflow',
  'TLSSLIExporterPositionsNotSaved',
  'TLSSLIExporterConfigReloadFailed',
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

export interface AlertText {
  readonly summary: string;
  readonly description: string;
}

/** What the texts are written from: template pieces and the generator's numbers. */
export interface AlertTextInput {
  /** Go template: when the certificate expires (a query at alert time) */
  readonly notAfter: string;
  /** Go template: where the certificate is found, entries joined by `separator` */
  places(separator: string): string;
  /** the SLO as a percentage, e.g. 99.9 */
  readonly objectivePercent: number;
  /** the burn-rate clauses of this severity: [factor, long window] */
  readonly burnRates: ReadonlyArray<readonly [number, string]>;
  readonly latencyWindow: string;
  readonly latencyThreshold: number;
  /** TLSPostQuantumShareFell: the window of the share, and the floor as a percentage */
  readonly pqWindow: string;
  readonly pqFloorPercent: number;
}

/** The certificate as alerts name it: Go template over its labels. */
export const CERT_LABELS = {
  subject: '{{ $labels.subject_cn }}',
  issuer: '{{ $labels.issuer_cn }}',
  serial: '{{ $labels.serial }}',
} as const;

export type AlertTexts = (input: AlertTextInput) => Readonly<Record<AlertName, AlertText>>;
