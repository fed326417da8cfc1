// An access-log record: values keyed by Envoy command operator name, whatever the log format.
// Absent values (`-`, `"-"`, null, a missing key) are simply not present.

/** The operators the classifier and the labels read. Other operators may be parsed and ignored. */
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
] as const;

export type UsedField = (typeof USED_FIELDS)[number];

/** Connection ids: unique per connection, and numbers in Envoy's JSON. */
export type IdField = 'CONNECTION_ID' | 'UPSTREAM_CONNECTION_ID';

/**
 * Values are text; an id may also be a number (the JSON fast path reads an integer id without
 * making a string of it; Number() of the text gives the same value).
 */
export type AccessLogRecord = Partial<Record<Exclude<UsedField, IdField>, string>> &
  Partial<Record<IdField, string | number>>;

const USED = new Set<string>(USED_FIELDS);

export const ID_FIELDS: ReadonlySet<UsedField> = new Set<IdField>([
  'CONNECTION_ID',
  'UPSTREAM_CONNECTION_ID',
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
