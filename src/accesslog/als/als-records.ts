// Envoy's gRPC access-log entries (decoded StreamAccessLogsMessage, als-definition.ts) as the
// same AccessLogRecord a file line becomes, so one classifier, limiter and set of counters serves
// both. A TCP entry (a TCP proxy session, or a listener's connection-level entry) is a connection
// record; an HTTP entry is a request (its protocol set). What ALS carries and files can: SNI,
// downstream TLS version and cipher suite (as its IANA number), both transport failure reasons,
// the upstream cluster, response flags and details, termination details. What it does not: a
// connection id (an HTTP entry's handshake is counted per request, as with Istio's default
// format), the upstream TLS version (an upstream success is seen only for a tls_clusters cluster
// answering via_upstream), handshake times. Periodic and start entries are skipped: only the
// entry that ends a connection or stream is counted, as a file logs it once. Pure.
import type { AccessLogRecord } from '../record.js';
import { RESPONSE_FLAGS } from './als-proto.js';

interface TlsProperties {
  readonly tls_version?: string;
  readonly tls_cipher_suite?: { readonly value?: number };
  readonly tls_sni_hostname?: string;
}

type ResponseFlags = Readonly<Record<string, unknown>>;

interface Common {
  readonly tls_properties?: TlsProperties;
  readonly upstream_cluster?: string;
  readonly response_flags?: ResponseFlags;
  readonly upstream_transport_failure_reason?: string;
  readonly connection_termination_details?: string;
  readonly intermediate_log_entry?: boolean;
  readonly downstream_transport_failure_reason?: string;
  readonly access_log_type?: string;
}

interface HttpEntry {
  readonly common_properties?: Common;
  readonly protocol_version?: string;
  readonly response?: { readonly response_code_details?: string };
}

interface TcpEntry {
  readonly common_properties?: Common;
}

/** A decoded StreamAccessLogsMessage (field names as in the .proto). */
export interface AlsMessage {
  readonly identifier?: { readonly log_name?: string; readonly node?: { readonly id?: string } };
  readonly http_logs?: { readonly log_entry?: readonly HttpEntry[] };
  readonly tcp_logs?: { readonly log_entry?: readonly TcpEntry[] };
}

const TLS_VERSIONS: Readonly<Record<string, string>> = {
  TLSv1: 'TLSv1',
  TLSv1_1: 'TLSv1.1',
  TLSv1_2: 'TLSv1.2',
  TLSv1_3: 'TLSv1.3',
};

const PROTOCOLS: Readonly<Record<string, string>> = {
  HTTP10: 'HTTP/1.0',
  HTTP11: 'HTTP/1.1',
  HTTP2: 'HTTP/2',
  HTTP3: 'HTTP/3',
};

/** Entries that do not end a connection or stream: a file logs the connection once, at its end. */
const NOT_FINAL = new Set([
  'TcpUpstreamConnected',
  'TcpPeriodic',
  'TcpConnectionStart',
  'DownstreamStart',
  'DownstreamPeriodic',
  'UpstreamPoolReady',
  'UpstreamPeriodic',
  'DownstreamTunnelSuccessfullyEstablished',
  'UdpTunnelUpstreamConnected',
  'UdpPeriodic',
]);

const text = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

function flagsOf(flags: ResponseFlags | undefined): string | undefined {
  if (flags === undefined) return undefined;
  const set = RESPONSE_FLAGS.filter(([field]) => flags[field] === true).map(([, , flag]) => flag);
  return set.length === 0 ? undefined : set.join(',');
}

/** The record of an entry's common properties, or undefined for an entry that is not final. */
function commonRecord(common: Common | undefined): AccessLogRecord | undefined {
  if (common === undefined) return {};
  if (common.intermediate_log_entry === true) return undefined;
  if (common.access_log_type !== undefined && NOT_FINAL.has(common.access_log_type))
    return undefined;
  const tls = common.tls_properties;
  const cipher = tls?.tls_cipher_suite?.value;
  return {
    REQUESTED_SERVER_NAME: text(tls?.tls_sni_hostname),
    DOWNSTREAM_TLS_VERSION:
      tls?.tls_version === undefined ? undefined : TLS_VERSIONS[tls.tls_version],
    DOWNSTREAM_TLS_CIPHER:
      cipher === undefined ? undefined : `0x${cipher.toString(16).toUpperCase().padStart(4, '0')}`,
    DOWNSTREAM_TRANSPORT_FAILURE_REASON: text(common.downstream_transport_failure_reason),
    UPSTREAM_TRANSPORT_FAILURE_REASON: text(common.upstream_transport_failure_reason),
    UPSTREAM_CLUSTER: text(common.upstream_cluster),
    CONNECTION_TERMINATION_DETAILS: text(common.connection_termination_details),
    RESPONSE_FLAGS: flagsOf(common.response_flags),
  };
}

/** The records of one stream message, in order (HTTP entries are requests, TCP entries not). */
export function alsRecords(message: AlsMessage): AccessLogRecord[] {
  const records: AccessLogRecord[] = [];
  for (const entry of message.http_logs?.log_entry ?? []) {
    const record = commonRecord(entry.common_properties);
    if (record === undefined) continue;
    records.push({
      ...record,
      // an entry whose version Envoy left unspecified is still a request
      PROTOCOL: PROTOCOLS[entry.protocol_version ?? ''] ?? 'HTTP',
      RESPONSE_CODE_DETAILS: text(entry.response?.response_code_details),
    });
  }
  for (const entry of message.tcp_logs?.log_entry ?? []) {
    const record = commonRecord(entry.common_properties);
    if (record !== undefined) records.push(record);
  }
  return records;
}
