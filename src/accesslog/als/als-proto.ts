// The parts of Envoy's gRPC Access Log Service API this exporter reads, as protobuf source: package,
// message and field names and numbers exactly as Envoy's API (v3) defines them; fields not read are
// left out (a protobuf reader skips unknown fields by their wire type, so entries from any Envoy
// decode). Read from envoyproxy/data-plane-api at 84e84367f256 (2026-01-29):
//   envoy/service/accesslog/v3/als.proto         StreamAccessLogsMessage, StreamAccessLogsResponse
//   envoy/data/accesslog/v3/accesslog.proto      TCP/HTTPAccessLogEntry, AccessLogCommon,
//                                                TLSProperties, ResponseFlags, HTTP*Properties
//   envoy/config/core/v3/base.proto              Node (id, cluster)
//   google/protobuf/wrappers.proto               UInt32Value
// downstream_transport_failure_reason (28) and access_log_type (33) are the newest fields read;
// an Envoy that predates them simply never sends them.
export const ALS_PROTO = `
syntax = "proto3";

package envoy.config.core.v3;

message Node {
  string id = 1;
  string cluster = 2;
}
`;

/**
 * ResponseFlags: field, number, and the short flag %RESPONSE_FLAGS% writes for it (Envoy's
 * access-log reference). unauthorized_details (13, UAEX) is a message, not read.
 */
export const RESPONSE_FLAGS: ReadonlyArray<readonly [string, number, string]> = [
  ['failed_local_healthcheck', 1, 'LH'],
  ['no_healthy_upstream', 2, 'UH'],
  ['upstream_request_timeout', 3, 'UT'],
  ['local_reset', 4, 'LR'],
  ['upstream_remote_reset', 5, 'UR'],
  ['upstream_connection_failure', 6, 'UF'],
  ['upstream_connection_termination', 7, 'UC'],
  ['upstream_overflow', 8, 'UO'],
  ['no_route_found', 9, 'NR'],
  ['delay_injected', 10, 'DI'],
  ['fault_injected', 11, 'FI'],
  ['rate_limited', 12, 'RL'],
  ['rate_limit_service_error', 14, 'RLSE'],
  ['downstream_connection_termination', 15, 'DC'],
  ['upstream_retry_limit_exceeded', 16, 'URX'],
  ['stream_idle_timeout', 17, 'SI'],
  ['invalid_envoy_request_headers', 18, 'IH'],
  ['downstream_protocol_error', 19, 'DPE'],
  ['upstream_max_stream_duration_reached', 20, 'UMSDR'],
  ['response_from_cache_filter', 21, 'RFCF'],
  ['no_filter_config_found', 22, 'NFCF'],
  ['duration_timeout', 23, 'DT'],
  ['upstream_protocol_error', 24, 'UPE'],
  ['no_cluster_found', 25, 'NC'],
  ['overload_manager', 26, 'OM'],
  ['dns_resolution_failure', 27, 'DF'],
  ['downstream_remote_reset', 28, 'DRR'],
];

const RESPONSE_FLAG_FIELDS = RESPONSE_FLAGS.map(
  ([field, number]) => `  bool ${field} = ${number};\n`,
).join('');

export const ALS_DATA_PROTO = `
syntax = "proto3";

package envoy.data.accesslog.v3;

enum AccessLogType {
  NotSet = 0;
  TcpUpstreamConnected = 1;
  TcpPeriodic = 2;
  TcpConnectionStart = 14;
  TcpConnectionEnd = 3;
  DownstreamStart = 4;
  DownstreamPeriodic = 5;
  DownstreamEnd = 6;
  UpstreamPoolReady = 7;
  UpstreamPeriodic = 8;
  UpstreamEnd = 9;
  DownstreamTunnelSuccessfullyEstablished = 10;
  UdpTunnelUpstreamConnected = 11;
  UdpPeriodic = 12;
  UdpSessionEnd = 13;
}

message TCPAccessLogEntry {
  AccessLogCommon common_properties = 1;
}

message HTTPAccessLogEntry {
  enum HTTPVersion {
    PROTOCOL_UNSPECIFIED = 0;
    HTTP10 = 1;
    HTTP11 = 2;
    HTTP2 = 3;
    HTTP3 = 4;
  }
  AccessLogCommon common_properties = 1;
  HTTPVersion protocol_version = 2;
  HTTPRequestProperties request = 3;
  HTTPResponseProperties response = 4;
}

message AccessLogCommon {
  TLSProperties tls_properties = 4;
  string upstream_cluster = 15;
  ResponseFlags response_flags = 16;
  string upstream_transport_failure_reason = 18;
  string connection_termination_details = 25;
  string stream_id = 26;
  bool intermediate_log_entry = 27;
  string downstream_transport_failure_reason = 28;
  AccessLogType access_log_type = 33;
}

message ResponseFlags {
${RESPONSE_FLAG_FIELDS}}

message TLSProperties {
  enum TLSVersion {
    VERSION_UNSPECIFIED = 0;
    TLSv1 = 1;
    TLSv1_1 = 2;
    TLSv1_2 = 3;
    TLSv1_3 = 4;
  }
  TLSVersion tls_version = 1;
  google.protobuf.UInt32Value tls_cipher_suite = 2;
  string tls_sni_hostname = 3;
}

message HTTPRequestProperties {
  string authority = 3;
}

message HTTPResponseProperties {
  google.protobuf.UInt32Value response_code = 1;
  string response_code_details = 6;
}
`;

export const ALS_SERVICE_PROTO = `
syntax = "proto3";

package envoy.service.accesslog.v3;

service AccessLogService {
  rpc StreamAccessLogs(stream StreamAccessLogsMessage) returns (StreamAccessLogsResponse) {}
}

message StreamAccessLogsResponse {}

message StreamAccessLogsMessage {
  message Identifier {
    envoy.config.core.v3.Node node = 1;
    string log_name = 2;
  }
  message HTTPAccessLogEntries {
    repeated envoy.data.accesslog.v3.HTTPAccessLogEntry log_entry = 1;
  }
  message TCPAccessLogEntries {
    repeated envoy.data.accesslog.v3.TCPAccessLogEntry log_entry = 1;
  }
  Identifier identifier = 1;
  oneof log_entries {
    HTTPAccessLogEntries http_logs = 2;
    TCPAccessLogEntries tcp_logs = 3;
  }
}
`;

export const WRAPPERS_PROTO = `
syntax = "proto3";

package google.protobuf;

message UInt32Value {
  uint32 value = 1;
}
`;
