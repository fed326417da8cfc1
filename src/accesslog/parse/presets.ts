// Named log formats. The JSON presets use the keys of the Envoy config recommended in
// docs/envoy.md; `envoy_default` is Envoy's exact default text format; `istio` is Istio's default
// proxy access-log text format.
import type { LogKind } from '../record.js';

export type Preset =
  | {
      readonly format: 'json';
      readonly kind: LogKind;
      readonly fields: Readonly<Record<string, string>>;
    }
  | {
      readonly format: 'text';
      readonly kind: LogKind;
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

export const ENVOY_DEFAULT_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"\n';

export const ISTIO_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n';

export const PRESETS = {
  envoy_listener_json: { format: 'json', kind: 'listener', fields: LISTENER_JSON_FIELDS },
  envoy_http_json: { format: 'json', kind: 'http', fields: HTTP_JSON_FIELDS },
  envoy_default: {
    format: 'text',
    kind: 'http',
    envoyFormat: ENVOY_DEFAULT_FORMAT,
    warning:
      "Envoy's default format logs no TLS fields: only upstream connection failures (UF) are counted, and failed downstream handshakes are invisible; use a listener log (docs/envoy.md)",
  },
  istio: {
    format: 'text',
    kind: 'http',
    envoyFormat: ISTIO_FORMAT,
    warning:
      "Istio's default format is an HTTP log: failed downstream handshakes are invisible in it; add an unfiltered listener log (docs/envoy.md)",
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
