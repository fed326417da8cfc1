// Renders Envoy access-log lines the way Envoy writes them, for the formats we read: the JSON keys
// of docs/envoy.md (typed json_format: null for absent, numbers as numbers) and text formats from
// their format string (`-` for absent). Used by the demo, tests and the bench.
import {
  ENVOY_DEFAULT_FORMAT,
  HTTP_JSON_FIELDS,
  HTTP_TIMING_FIELDS,
  ISTIO_FORMAT,
  LISTENER_JSON_FIELDS,
  LISTENER_TIMING_FIELDS,
  LISTENER_HANDSHAKE_FIELDS,
  HTTP_HANDSHAKE_FIELDS,
} from '../accesslog/parse/presets.js';
import { stripTrailingNewline, tokenize } from '../domain/log-formats.js';

export type Values = Readonly<Record<string, string | number | undefined>>;

const NUMERIC = new Set([
  'CONNECTION_ID',
  'UPSTREAM_CONNECTION_ID',
  'DURATION',
  'RESPONSE_CODE',
  ...Object.keys(LISTENER_TIMING_FIELDS),
  ...Object.keys(HTTP_TIMING_FIELDS),
]);

/** The keys of `fields` whose operator has a value, as given: handshake times appear only then. */
function given(fields: Readonly<Record<string, string>>, values: Values): Values {
  const object: Record<string, string | number> = {};
  for (const [operator, key] of Object.entries(fields)) {
    const v = values[operator];
    if (v !== undefined) object[key] = v;
  }
  return object;
}

/** typed JSON as Envoy's log_format.json_format writes it */
export function jsonLine(
  fields: Readonly<Record<string, string>>,
  values: Values,
  extra: Values = {},
): string {
  const object: Record<string, unknown> = {};
  for (const [operator, key] of Object.entries(fields)) {
    const v = values[operator];
    object[key] =
      v === undefined
        ? operator === 'RESPONSE_FLAGS'
          ? '-'
          : null
        : NUMERIC.has(operator)
          ? Number(v)
          : String(v);
  }
  return JSON.stringify({ ...object, ...extra });
}

export const listenerJson = (values: Values): string =>
  jsonLine(LISTENER_JSON_FIELDS, values, {
    log_type: 'listener',
    downstream_remote_address: '203.0.113.9:51544',
    duration: 4,
    ...given(LISTENER_TIMING_FIELDS, values),
    ...given(LISTENER_HANDSHAKE_FIELDS, values),
  });

export const httpJson = (values: Values): string =>
  jsonLine(HTTP_JSON_FIELDS, values, {
    log_type: 'http',
    method: 'GET',
    authority: 'api.example.com',
    response_code: 200,
    ...given(HTTP_TIMING_FIELDS, values),
    ...given(HTTP_HANDSHAKE_FIELDS, values),
  });

/** A text line for `format`: operators from `values` (by name, or `NAME(arg)`), else a filler. */
export function textLine(format: string, values: Values): string {
  let out = '';
  for (const token of tokenize(stripTrailingNewline(format))) {
    if ('literal' in token) out += token.literal;
    else {
      const full = token.arg === undefined ? token.operator : `${token.operator}(${token.arg})`;
      const v = values[full] ?? values[token.operator];
      out += v === undefined ? '-' : String(v);
    }
  }
  return out;
}

export const envoyDefault = (values: Values): string =>
  textLine(ENVOY_DEFAULT_FORMAT, {
    START_TIME: '2025-03-05T07:22:40.002Z',
    'REQ(:METHOD)': 'GET',
    'REQ(X-ENVOY-ORIGINAL-PATH?:PATH)': '/v1/orders',
    PROTOCOL: 'HTTP/2',
    RESPONSE_CODE: 200,
    BYTES_RECEIVED: 0,
    BYTES_SENT: 98,
    DURATION: 12,
    'REQ(USER-AGENT)': 'curl/8.5.0',
    'REQ(X-REQUEST-ID)': '0f5e2c1a-4b7d-4a3e-9c1f-2d6b8e7a9f10',
    'REQ(:AUTHORITY)': 'api.example.com',
    UPSTREAM_HOST: '10.0.4.17:8443',
    ...values,
  });

export const istio = (values: Values): string =>
  textLine(ISTIO_FORMAT, {
    START_TIME: '2025-03-05T07:22:40.002Z',
    'REQ(:METHOD)': 'GET',
    'REQ(X-ENVOY-ORIGINAL-PATH?:PATH)': '/v1/orders',
    PROTOCOL: 'HTTP/1.1',
    RESPONSE_CODE: 200,
    RESPONSE_CODE_DETAILS: 'via_upstream',
    BYTES_RECEIVED: 0,
    BYTES_SENT: 344,
    DURATION: 15,
    'REQ(USER-AGENT)': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0',
    'REQ(X-REQUEST-ID)': '5d1e',
    'REQ(:AUTHORITY)': 'api.example.com',
    UPSTREAM_HOST: '10.0.4.17:8443',
    UPSTREAM_CLUSTER_RAW: 'outbound|8443||orders.svc.cluster.local',
    UPSTREAM_LOCAL_ADDRESS: '10.0.0.1:3333',
    DOWNSTREAM_LOCAL_ADDRESS: '10.0.0.5:8443',
    DOWNSTREAM_REMOTE_ADDRESS: '1.2.3.4:5555',
    ROUTE_NAME: 'default',
    ...values,
  });

export const TLS = {
  noClientCert:
    'TLS_error:|268435648:SSL_routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE:peer_did_not_provide_required_client_certificate:TLS_error_end',
  unknownCa:
    'TLS_error:|268436504:SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end',
  expired:
    'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_X509_verify_cert:_certificate_verification_error_at_depth_0:_certificate_has_expired:TLS_error_end',
  protocol:
    'TLS_error:|268436526:SSL_routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION:TLS_error_end',
  notTls: 'TLS_error:|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end',
} as const;
