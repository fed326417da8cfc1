// An access-log record: values keyed by Envoy command operator name, whatever the log format.
// Absent values (`-`, `"-"`, null, a missing key) are not present, or present as undefined.

/**
 * The operators the parsers extract; the classifier and the labels read all but UNREAD_FIELDS.
 * Other operators may be parsed and ignored.
 */
export const USED_FIELDS = [
  'REQUESTED_SERVER_NAME',
  'DOWNSTREAM_TLS_VERSION',
  'DOWNSTREAM_TLS_CIPHER',
  'DOWNSTREAM_TRANSPORT_FAILURE_REASON',
  'UPSTREAM_TRANSPORT_FAILURE_REASON',
  'UPSTREAM_TLS_VERSION',
  'RESPONSE_FLAGS',
  'RESPONSE_CODE_DETAILS',
  'CONNECTION_TERMINATION_DETAILS',
  'UPSTREAM_CLUSTER',
  'UPSTREAM_CLUSTER_RAW',
  'CONNECTION_ID',
  'UPSTREAM_CONNECTION_ID',
  'FILTER_CHAIN_NAME',
  'START_TIME',
  // `HTTP/1.1`, `HTTP/2`, … on a request, absent on a connection record or TCP session
  'PROTOCOL',
  // handshake times (handshake-timing.ts): Envoy's operator, and the two %COMMON_DURATION(…)%
  // spans read into fields of their own
  'DOWNSTREAM_HANDSHAKE_DURATION',
  'DS_HANDSHAKE_TIME',
  'US_HANDSHAKE_TIME',
  // the negotiated key-exchange group (Envoy 1.39 on) and the client's ClientHello fingerprints
  // (tls_inspector with enable_ja3_fingerprinting / enable_ja4_fingerprinting)
  'DOWNSTREAM_TLS_GROUP',
  'UPSTREAM_TLS_GROUP',
  'TLS_JA3_FINGERPRINT',
  'TLS_JA4_FINGERPRINT',
] as const;

export type UsedField = (typeof USED_FIELDS)[number];

/** Connection ids: unique per connection, and numbers in Envoy's JSON. */
export type IdField = 'CONNECTION_ID' | 'UPSTREAM_CONNECTION_ID';

/** Handshake times, in the unit their operator was written with (handshake-timing.ts). */
export type TimingField =
  'DOWNSTREAM_HANDSHAKE_DURATION' | 'DS_HANDSHAKE_TIME' | 'US_HANDSHAKE_TIME';

/** Fields whose values are integers in Envoy's JSON: the fast path hands them over as numbers. */
export type NumericField = IdField | TimingField;

/**
 * Values are text; an id or a time may also be a number (the JSON fast path reads an integer
 * without making a string of it; Number() of the text gives the same value).
 */
export type AccessLogRecord = { [F in Exclude<UsedField, NumericField>]?: string | undefined } & {
  [F in NumericField]?: string | number | undefined;
};

/**
 * A record with every field there from the start, undefined until set: the JSON fast path
 * builds one per line, and one object shape for every line keeps the classifier's property
 * reads monomorphic (6 % more lines/s on envoy_http_json than adding keys as they come).
 */
export class FullRecord implements Record<UsedField, unknown> {
  REQUESTED_SERVER_NAME: string | undefined = undefined;
  DOWNSTREAM_TLS_VERSION: string | undefined = undefined;
  DOWNSTREAM_TLS_CIPHER: string | undefined = undefined;
  DOWNSTREAM_TRANSPORT_FAILURE_REASON: string | undefined = undefined;
  UPSTREAM_TRANSPORT_FAILURE_REASON: string | undefined = undefined;
  UPSTREAM_TLS_VERSION: string | undefined = undefined;
  RESPONSE_FLAGS: string | undefined = undefined;
  RESPONSE_CODE_DETAILS: string | undefined = undefined;
  CONNECTION_TERMINATION_DETAILS: string | undefined = undefined;
  UPSTREAM_CLUSTER: string | undefined = undefined;
  UPSTREAM_CLUSTER_RAW: string | undefined = undefined;
  CONNECTION_ID: string | number | undefined = undefined;
  UPSTREAM_CONNECTION_ID: string | number | undefined = undefined;
  FILTER_CHAIN_NAME: string | undefined = undefined;
  START_TIME: string | undefined = undefined;
  PROTOCOL: string | undefined = undefined;
  DOWNSTREAM_HANDSHAKE_DURATION: string | number | undefined = undefined;
  DS_HANDSHAKE_TIME: string | number | undefined = undefined;
  US_HANDSHAKE_TIME: string | number | undefined = undefined;
  DOWNSTREAM_TLS_GROUP: string | undefined = undefined;
  UPSTREAM_TLS_GROUP: string | undefined = undefined;
  TLS_JA3_FINGERPRINT: string | undefined = undefined;
  TLS_JA4_FINGERPRINT: string | undefined = undefined;
}

const USED = new Set<string>(USED_FIELDS);

/** The fields the fast path hands over as a number when their value is an integer. */
export const NUMERIC_FIELDS: ReadonlySet<UsedField> = new Set<NumericField>([
  'CONNECTION_ID',
  'UPSTREAM_CONNECTION_ID',
  'DOWNSTREAM_HANDSHAKE_DURATION',
  'DS_HANDSHAKE_TIME',
  'US_HANDSHAKE_TIME',
]);

/**
 * Parsed, so a line with a wrong type there is malformed, but read by nothing after the parser:
 * the JSON fast path checks them and leaves them out of its records.
 */
export const UNREAD_FIELDS: ReadonlySet<UsedField> = new Set(['START_TIME', 'FILTER_CHAIN_NAME']);

export function isUsedField(name: string): name is UsedField {
  return USED.has(name);
}

/** Envoy's spellings of "no value" in text and legacy JSON output. */
export function isAbsent(value: string): boolean {
  return value === '' || value === '-';
}

/**
 * What kind of log a format describes. A listener (connection-level) log has one line per
 * connection and is the only place failed downstream handshakes appear; an HTTP log has one line
 * per request.
 */
export type LogKind = 'listener' | 'http';

/** A declared kind, or `auto`: decided per line (a mixed stream, as Istio and Envoy Gateway write). */
export type KindSetting = LogKind | 'auto';
