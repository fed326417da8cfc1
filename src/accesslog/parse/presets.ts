// Named log formats. The JSON presets use the keys of the Envoy config recommended in
// docs/envoy.md; `envoy_default` is Envoy's exact default text format; `istio`, `istio_json` and
// `istio_1_8` are Istio's default proxy access-log formats (text from 1.9 on, JSON, and text up to
// 1.8); `envoy_gateway` is Envoy Gateway's default JSON format. Each cites its source.
// Istio and Envoy Gateway write HTTP requests, TCP sessions and listener (no-route) records to one
// stdout in one format: their presets decide per line (`auto`).
import { MILLISECONDS, type TimingUnits } from '../handshake-timing.js';
import type { KindSetting, UsedField } from '../record.js';
import type { PresetName } from '../../domain/log-formats.js';

export type Preset =
  | {
      readonly format: 'json';
      readonly kind: KindSetting;
      readonly fields: Readonly<Record<string, string>>;
      readonly warning?: string;
    }
  | {
      readonly format: 'text';
      readonly kind: KindSetting;
      readonly envoyFormat: string;
      readonly warning?: string;
    };

/** Keys of the listener (connection-level) log in docs/envoy.md. */
export const LISTENER_JSON_FIELDS = {
  START_TIME: 'start_time',
  CONNECTION_ID: 'connection_id',
  FILTER_CHAIN_NAME: 'filter_chain',
  REQUESTED_SERVER_NAME: 'sni',
  DOWNSTREAM_TLS_VERSION: 'tls_version',
  DOWNSTREAM_TLS_CIPHER: 'tls_cipher',
  DOWNSTREAM_TRANSPORT_FAILURE_REASON: 'transport_failure_reason',
  CONNECTION_TERMINATION_DETAILS: 'termination_details',
  RESPONSE_FLAGS: 'response_flags',
  RESPONSE_CODE_DETAILS: 'response_code_details',
} as const;

/**
 * Handshake times the listener preset reads when a line has them (docs/envoy.md §5). Not part of
 * the preset's signature (detect-format.ts): logs written before they were recommended still fit.
 */
export const LISTENER_TIMING_FIELDS = {
  DOWNSTREAM_HANDSHAKE_DURATION: 'handshake_duration',
  'COMMON_DURATION(DS_HS_BEG:DS_HS_END:us)': 'handshake_duration_us',
} as const;

/**
 * The key-exchange group and the client's fingerprints the listener preset reads when a line has
 * them (docs/envoy.md §11: Envoy 1.39 for the group, a tls_inspector with fingerprinting on for
 * the others). Not part of the signature: older logs still fit.
 */
export const LISTENER_HANDSHAKE_FIELDS = {
  DOWNSTREAM_TLS_GROUP: 'tls_group',
  TLS_JA4_FINGERPRINT: 'ja4',
  TLS_JA3_FINGERPRINT: 'ja3',
} as const;

/** Keys of the HTTP connection manager log in docs/envoy.md. */
export const HTTP_JSON_FIELDS = {
  START_TIME: 'start_time',
  CONNECTION_ID: 'connection_id',
  RESPONSE_FLAGS: 'response_flags',
  RESPONSE_CODE_DETAILS: 'response_code_details',
  REQUESTED_SERVER_NAME: 'sni',
  DOWNSTREAM_TLS_VERSION: 'tls_version',
  DOWNSTREAM_TLS_CIPHER: 'tls_cipher',
  UPSTREAM_CLUSTER: 'upstream_cluster',
  UPSTREAM_CONNECTION_ID: 'upstream_connection_id',
  UPSTREAM_TLS_VERSION: 'upstream_tls_version',
  UPSTREAM_TRANSPORT_FAILURE_REASON: 'upstream_transport_failure_reason',
} as const;

/** The groups the HTTP preset reads when a line has them (docs/envoy.md §11, Envoy 1.39 on). */
export const HTTP_HANDSHAKE_FIELDS = {
  DOWNSTREAM_TLS_GROUP: 'tls_group',
  UPSTREAM_TLS_GROUP: 'upstream_tls_group',
} as const;

/** The upstream handshake time the HTTP preset reads when a line has it (docs/envoy.md §5). */
export const HTTP_TIMING_FIELDS = {
  'COMMON_DURATION(US_CX_END:US_HS_END:us)': 'upstream_handshake_duration_us',
} as const;

export const ENVOY_DEFAULT_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"\n';

export const ISTIO_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n';

/** The keys the classifier reads that Istio's and Envoy Gateway's default JSON formats share. */
const MESH_JSON_FIELDS = {
  START_TIME: 'start_time',
  PROTOCOL: 'protocol',
  RESPONSE_FLAGS: 'response_flags',
  RESPONSE_CODE_DETAILS: 'response_code_details',
  CONNECTION_TERMINATION_DETAILS: 'connection_termination_details',
  UPSTREAM_TRANSPORT_FAILURE_REASON: 'upstream_transport_failure_reason',
  REQUESTED_SERVER_NAME: 'requested_server_name',
} as const;

/**
 * Istio's JSON encoding (`accessLogEncoding: JSON`), `EnvoyJSONLogFormatIstio` in
 * pilot/pkg/model/telemetry_logging.go (Istio 1.9 onwards). Its `upstream_cluster` holds
 * %UPSTREAM_CLUSTER_RAW%.
 */
export const ISTIO_JSON_FIELDS = {
  ...MESH_JSON_FIELDS,
  UPSTREAM_CLUSTER_RAW: 'upstream_cluster',
} as const;

/**
 * Envoy Gateway's default JSON access log, `EnvoyJSONLogFields` in
 * internal/xds/translator/accesslog.go (v0.6 to v1.9). Its `upstream_cluster` holds
 * %UPSTREAM_CLUSTER%.
 */
export const ENVOY_GATEWAY_JSON_FIELDS = {
  ...MESH_JSON_FIELDS,
  UPSTREAM_CLUSTER: 'upstream_cluster',
} as const;

/**
 * `format: json` without `fields`: the keys most JSON access logs use, each operator's name in
 * lower case (Istio's JSON encoding, Envoy Gateway's default, most hand-written formats) plus the
 * short keys of docs/envoy.md. Several keys may name one operator.
 */
export const CONVENTIONAL_JSON_KEYS: ReadonlyMap<string, UsedField> = new Map<string, UsedField>([
  ['requested_server_name', 'REQUESTED_SERVER_NAME'],
  ['downstream_tls_version', 'DOWNSTREAM_TLS_VERSION'],
  ['downstream_tls_cipher', 'DOWNSTREAM_TLS_CIPHER'],
  ['downstream_transport_failure_reason', 'DOWNSTREAM_TRANSPORT_FAILURE_REASON'],
  ['upstream_transport_failure_reason', 'UPSTREAM_TRANSPORT_FAILURE_REASON'],
  ['upstream_tls_version', 'UPSTREAM_TLS_VERSION'],
  ['response_flags', 'RESPONSE_FLAGS'],
  ['response_code_details', 'RESPONSE_CODE_DETAILS'],
  ['connection_termination_details', 'CONNECTION_TERMINATION_DETAILS'],
  ['upstream_cluster', 'UPSTREAM_CLUSTER'],
  ['upstream_cluster_raw', 'UPSTREAM_CLUSTER_RAW'],
  ['connection_id', 'CONNECTION_ID'],
  ['upstream_connection_id', 'UPSTREAM_CONNECTION_ID'],
  ['filter_chain_name', 'FILTER_CHAIN_NAME'],
  ['start_time', 'START_TIME'],
  ['protocol', 'PROTOCOL'],
  ['sni', 'REQUESTED_SERVER_NAME'],
  ['tls_version', 'DOWNSTREAM_TLS_VERSION'],
  ['tls_cipher', 'DOWNSTREAM_TLS_CIPHER'],
  ['transport_failure_reason', 'DOWNSTREAM_TRANSPORT_FAILURE_REASON'],
  ['termination_details', 'CONNECTION_TERMINATION_DETAILS'],
  ['filter_chain', 'FILTER_CHAIN_NAME'],
  ['downstream_handshake_duration', 'DOWNSTREAM_HANDSHAKE_DURATION'],
  ['handshake_duration', 'DOWNSTREAM_HANDSHAKE_DURATION'],
  ['handshake_duration_us', 'DS_HANDSHAKE_TIME'],
  ['upstream_handshake_duration_us', 'US_HANDSHAKE_TIME'],
  ['downstream_tls_group', 'DOWNSTREAM_TLS_GROUP'],
  ['upstream_tls_group', 'UPSTREAM_TLS_GROUP'],
  ['tls_ja3_fingerprint', 'TLS_JA3_FINGERPRINT'],
  ['tls_ja4_fingerprint', 'TLS_JA4_FINGERPRINT'],
  ['tls_group', 'DOWNSTREAM_TLS_GROUP'],
  ['ja3', 'TLS_JA3_FINGERPRINT'],
  ['ja4', 'TLS_JA4_FINGERPRINT'],
]);

/** The conventional keys' handshake times: the `_us` keys are %COMMON_DURATION(…:us)% spans. */
export const CONVENTIONAL_TIMING_UNITS: TimingUnits = {
  ...MILLISECONDS,
  DS_HANDSHAKE_TIME: 1e-6,
  US_HANDSHAKE_TIME: 1e-6,
};

/** Istio 1.8 and older (`DYNAMIC_METADATA(istio.mixer:status)` where 1.9 logs the details). */
export const ISTIO_1_8_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% "%DYNAMIC_METADATA(istio.mixer:status)%" "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n';

const MESH_WARNING =
  'logs a server name but no TLS version: downstream handshakes are counted per request (no connection id), and failed downstream handshakes are invisible in it; add an unfiltered listener log for them (docs/envoy.md)';

export const PRESETS = {
  envoy_listener_json: {
    format: 'json',
    kind: 'listener',
    fields: { ...LISTENER_JSON_FIELDS, ...LISTENER_TIMING_FIELDS, ...LISTENER_HANDSHAKE_FIELDS },
  },
  envoy_http_json: {
    format: 'json',
    kind: 'http',
    fields: { ...HTTP_JSON_FIELDS, ...HTTP_TIMING_FIELDS, ...HTTP_HANDSHAKE_FIELDS },
  },
  envoy_default: {
    format: 'text',
    kind: 'auto',
    envoyFormat: ENVOY_DEFAULT_FORMAT,
    warning:
      "Envoy's default format logs no TLS field, no server name and no failure reason: nothing in it is evidence of a TLS handshake, so it counts none; use a listener log (docs/envoy.md)",
  },
  istio: {
    format: 'text',
    kind: 'auto',
    envoyFormat: ISTIO_FORMAT,
    warning: `Istio's default format ${MESH_WARNING}`,
  },
  istio_json: {
    format: 'json',
    kind: 'auto',
    fields: ISTIO_JSON_FIELDS,
    warning: `Istio's JSON format ${MESH_WARNING}`,
  },
  istio_1_8: {
    format: 'text',
    kind: 'auto',
    envoyFormat: ISTIO_1_8_FORMAT,
    warning: `Istio's format up to 1.8 ${MESH_WARNING}`,
  },
  envoy_gateway: {
    format: 'json',
    kind: 'auto',
    fields: ENVOY_GATEWAY_JSON_FIELDS,
    warning: `Envoy Gateway's default format ${MESH_WARNING}`,
  },
} as const satisfies Record<PresetName, Preset>;
