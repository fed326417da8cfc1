// The load of the gRPC access-log case: STREAMS streams (as that many Envoys), each sending its
// share of ENTRIES TCP entries in messages of 100 (Envoy batches its entries by buffer size),
// then ending. The message is serialized once and its bytes sent again: the figure is the
// exporter's, not this process's. Prints one JSON line: entries sent, seconds to send them.
import { performance } from 'node:perf_hooks';
import { credentials, makeClientConstructor } from '@grpc/grpc-js';
import { ALS_SERVICE, alsDefinition } from '../dist/accesslog/als/als-definition.js';

const [port, entriesText, streamsText] = process.argv.slice(2);
const entries = Number(entriesText);
const streams = Number(streamsText);
const PER_MESSAGE = 100;

const definition = alsDefinition()[ALS_SERVICE];
const method = definition.StreamAccessLogs;
const names = ['es.logging.svc', 'audit-gw.dify.svc', 'api.dify.svc', 'splunk.logging.svc'];
const entry = (i) => ({
  common_properties: {
    tls_properties:
      i % 37 === 0
        ? { tls_sni_hostname: names[i % names.length] }
        : {
            tls_version: 'TLSv1_3',
            tls_cipher_suite: { value: 0x1302 },
            tls_sni_hostname: names[i % names.length],
          },
    ...(i % 37 === 0
      ? {
          downstream_transport_failure_reason:
            'TLS_error:|268435648:SSL_routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE:TLS_error_end',
        }
      : {}),
    access_log_type: 'TcpConnectionEnd',
  },
});
const batch = method.requestSerialize({
  tcp_logs: { log_entry: Array.from({ length: PER_MESSAGE }, (_, i) => entry(i)) },
});
// identity: the pre-serialized bytes go out as they are
const Client = makeClientConstructor(
  { StreamAccessLogs: { ...method, requestSerialize: (bytes) => bytes } },
  'AccessLogService',
);

const t0 = performance.now();
await Promise.all(
  Array.from({ length: streams }, () => {
    const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
    const messages = Math.ceil(entries / PER_MESSAGE / streams);
    return new Promise((resolve, reject) => {
      const call = client.StreamAccessLogs((err) => (err ? reject(err) : resolve(client.close())));
      let sent = 0;
      const write = () => {
        while (sent < messages) {
          sent += 1;
          if (!call.write(batch)) {
            call.once('drain', write);
            return;
          }
        }
        call.end();
      };
      write();
    });
  }),
);
const messages = Math.ceil(entries / PER_MESSAGE / streams) * streams;
process.stdout.write(
  `${JSON.stringify({ entries: messages * PER_MESSAGE, seconds: (performance.now() - t0) / 1000 })}\n`,
);
