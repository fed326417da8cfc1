// Envoy's gRPC access-log messages, built byte by byte here (a protobuf writer of our own, not the
// library that decodes them) with Envoy's field numbers (envoy/service/accesslog/v3/als.proto,
// envoy/data/accesslog/v3/accesslog.proto), decoded by the receiver's decoder and turned into the
// records a file line would give, then counted by the same pipeline.
import { strict as assert } from 'node:assert';
import { streamAccessLogsMethod } from '../../../../src/accesslog/als/als-definition.js';
import { alsRecords, type AlsMessage } from '../../../../src/accesslog/als/als-records.js';
import { MALFORMED } from '../../../../src/accesslog/parse/line-parser.js';
import { METRICS } from '../../../../src/metrics/catalog.js';
import { TLS } from '../../../support/envoy-lines.js';
import { harness, total } from '../../../support/pipeline-harness.js';

/** protobuf wire format: varint, and (field << 3 | wire type) keys */
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const key = (field: number, wire: number): number[] => varint(field * 8 + wire);
const num = (field: number, value: number): number[] => [...key(field, 0), ...varint(value)];
const bytes = (field: number, body: readonly number[]): number[] => [
  ...key(field, 2),
  ...varint(body.length),
  ...body,
];
const str = (field: number, value: string): number[] => bytes(field, [...Buffer.from(value)]);

// AccessLogCommon of a completed handshake: tls_properties (4) {tls_version (1) = TLSv1_3 (4),
// tls_cipher_suite (2) {value (1) = 0x1301}, tls_sni_hostname (3)}, access_log_type (33) =
// TcpConnectionEnd (3)
const completed = [
  ...bytes(4, [...num(1, 4), ...bytes(2, num(1, 0x1301)), ...str(3, 'api.example.com')]),
  ...num(33, 3),
];
// a failed downstream handshake: downstream_transport_failure_reason (28), no TLS version
const failed = [...bytes(4, str(3, 'audit-gw.example.internal')), ...str(28, TLS.unknownCa)];
// a periodic entry of a long connection: not counted (the final one is)
const periodic = [...bytes(4, [...num(1, 4), ...bytes(2, num(1, 0x1301))]), ...num(33, 2)];
// StreamAccessLogsMessage: identifier (1) {node (1) {id (1)}, log_name (2)}, tcp_logs (3)
// {log_entry (1) TCPAccessLogEntry {common_properties (1)}} ×3
const tcpMessage = Buffer.from([
  ...bytes(1, [...bytes(1, str(1, 'envoy-1')), ...str(2, 'listener_als')]),
  ...bytes(3, [
    ...bytes(1, bytes(1, completed)),
    ...bytes(1, bytes(1, failed)),
    ...bytes(1, bytes(1, periodic)),
  ]),
]);
// http_logs (2) {log_entry (1) HTTPAccessLogEntry {common_properties (1) {upstream_cluster (15),
// response_flags (16) {upstream_connection_failure (6), upstream_retry_limit_exceeded (16)},
// upstream_transport_failure_reason (18)}, protocol_version (2) = HTTP2 (3), response (4)
// {response_code_details (6)}}}
const httpMessage = Buffer.from(
  bytes(2, [
    ...bytes(1, [
      ...bytes(1, [
        ...bytes(4, [...num(1, 3), ...bytes(2, num(1, 0xc02f)), ...str(3, 'api.example.com')]),
        ...str(15, 'orders_backend'),
        ...bytes(16, [...num(6, 1), ...num(16, 1)]),
        ...str(18, TLS.expired),
      ]),
      ...num(2, 3),
      ...bytes(4, str(6, 'upstream_reset_before_response_started{connection_failure}')),
    ]),
  ]),
);

const decode = (buf: Buffer): AlsMessage =>
  streamAccessLogsMethod().requestDeserialize(buf) as AlsMessage;

describe("Envoy's gRPC access-log entries", () => {
  it('a TCP message decodes field by field', () => {
    const message = decode(tcpMessage);
    assert.equal(message.identifier?.log_name, 'listener_als');
    assert.equal(message.identifier?.node?.id, 'envoy-1');
    const [first] = message.tcp_logs?.log_entry ?? [];
    assert.deepEqual(first?.common_properties?.tls_properties, {
      tls_version: 'TLSv1_3',
      tls_cipher_suite: { value: 0x1301 },
      tls_sni_hostname: 'api.example.com',
    });
    assert.equal(first?.common_properties?.access_log_type, 'TcpConnectionEnd');
  });

  it('TCP entries become connection records; the periodic one is skipped', () => {
    assert.deepEqual(
      alsRecords(decode(tcpMessage)).map((r) =>
        Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)),
      ),
      [
        {
          REQUESTED_SERVER_NAME: 'api.example.com',
          DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
          DOWNSTREAM_TLS_CIPHER: '0x1301',
        },
        {
          REQUESTED_SERVER_NAME: 'audit-gw.example.internal',
          DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.unknownCa,
        },
      ],
    );
  });

  it("an HTTP entry is a request: protocol, flags in Envoy's spelling, details", () => {
    const [record] = alsRecords(decode(httpMessage));
    assert.equal(record?.PROTOCOL, 'HTTP/2');
    assert.equal(record?.RESPONSE_FLAGS, 'UF,URX');
    assert.equal(record?.DOWNSTREAM_TLS_VERSION, 'TLSv1.2');
    assert.equal(record?.UPSTREAM_CLUSTER, 'orders_backend');
    assert.equal(
      record?.RESPONSE_CODE_DETAILS,
      'upstream_reset_before_response_started{connection_failure}',
    );
  });

  it('counted by the pipeline a file line goes through', async () => {
    const h = harness({ kind: 'auto', parse: () => MALFORMED('not a line') }, { log: 'als' });
    for (const record of [...alsRecords(decode(tcpMessage)), ...alsRecords(decode(httpMessage))])
      h.pipeline.entry(record);
    const text = await h.render();
    assert.equal(total(text, METRICS.handshakeSuccess.name, { direction: 'downstream' }), 2);
    assert.equal(
      total(text, METRICS.handshakeFailures.name, {
        server_name: 'audit-gw.example.internal',
        reason: 'unknown_ca',
      }),
      1,
    );
    assert.equal(
      total(text, METRICS.handshakeFailures.name, {
        direction: 'upstream',
        server_name: 'orders_backend',
        reason: 'cert_expired',
      }),
      1,
    );
    assert.equal(total(text, METRICS.logLines.name, { outcome: 'counted' }), 3);
  });

  it('an unknown field of a newer Envoy is skipped, not an error', () => {
    // field 99 (varint) inside AccessLogCommon, field 50 (bytes) at the top
    const newer = Buffer.from([
      ...bytes(3, bytes(1, bytes(1, [...completed, ...num(99, 7)]))),
      ...str(50, 'future'),
    ]);
    assert.equal(alsRecords(decode(newer))[0]?.REQUESTED_SERVER_NAME, 'api.example.com');
  });
});
