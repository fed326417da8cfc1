// The gRPC access-log receiver end to end in one process: a real gRPC client (@grpc/grpc-js)
// streams Envoy's StreamAccessLogsMessage to the exporter on 127.0.0.1, as an Envoy with an
// envoy.access_loggers.tcp_grpc / http_grpc logger does; the entries are counted like file lines.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentials, makeClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { ALS_SERVICE, alsDefinition } from '../../../src/accesslog/als/als-definition.js';
import { startOnLoopback } from '../../support/exporter.js';
import { TLS } from '../../support/envoy-lines.js';
import { sampleValue } from '../../support/exposition.js';
import { closedPort } from '../../support/tls-servers.js';
import { withTempDir } from '../../support/tmp.js';

type Stream = { write(m: object): boolean; end(): void };
type AlsClient = Client & {
  StreamAccessLogs(cb: (err: ServiceError | null) => void): Stream;
};

function alsClient(port: number): AlsClient {
  const definition = alsDefinition()[ALS_SERVICE] as unknown as Parameters<
    typeof makeClientConstructor
  >[0];
  const Ctor = makeClientConstructor(definition, 'AccessLogService');
  return new Ctor(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as AlsClient;
}

const tcpEntry = (sni: string, failure?: string): object => ({
  common_properties: {
    tls_properties: failure
      ? { tls_sni_hostname: sni }
      : { tls_version: 'TLSv1_3', tls_cipher_suite: { value: 0x1301 }, tls_sni_hostname: sni },
    ...(failure ? { downstream_transport_failure_reason: failure } : {}),
    access_log_type: 'TcpConnectionEnd',
  },
});

async function until<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('access_log_services: the gRPC access-log receiver', function () {
  this.timeout(30_000);

  it('counts a stream of TCP entries like listener-log lines; refuses streams past max_streams', async () => {
    await withTempDir(async (dir) => {
      const port = await closedPort();
      const config = join(dir, 'config.yml');
      await writeFile(
        config,
        `access_log_services:\n  - {name: mesh_als, listen_address: '127.0.0.1:${port}', max_streams: 1}\n`,
      );
      const exporter = await startOnLoopback(config);
      const client = alsClient(port);
      const url = `http://127.0.0.1:${exporter.address.port}/metrics`;
      try {
        const first = client.StreamAccessLogs(() => undefined);
        first.write({
          identifier: { node: { id: 'envoy-1' }, log_name: 'listener_als' },
          tcp_logs: {
            log_entry: [tcpEntry('api.example.com'), tcpEntry('api.example.com', TLS.noClientCert)],
          },
        });
        first.write({ tcp_logs: { log_entry: [tcpEntry('api.example.com')] } });
        const text = await until(async () => {
          const t = await (await fetch(url)).text();
          return sampleValue(t, 'tls_sli_exporter_log_lines_total', {
            log: 'mesh_als',
            outcome: 'counted',
          }) === 3
            ? t
            : undefined;
        }, 'three entries counted');
        assert.equal(
          sampleValue(text, 'tls_handshake_success_total', {
            log: 'mesh_als',
            direction: 'downstream',
            server_name: 'api.example.com',
            tls_version: 'TLSv1.3',
          }),
          2,
        );
        assert.equal(
          sampleValue(text, 'tls_handshake_failures_total', {
            log: 'mesh_als',
            reason: 'no_client_cert',
          }),
          1,
        );
        assert.equal(sampleValue(text, 'tls_sli_exporter_als_streams', { log: 'mesh_als' }), 1);

        // a second stream while the first is open: refused, counted, nothing of it read
        const refused = await new Promise<ServiceError | null>((resolve) => {
          const second = client.StreamAccessLogs(resolve);
          second.write({ tcp_logs: { log_entry: [tcpEntry('api.example.com')] } });
          second.end();
        });
        assert.equal(refused?.code, 8); // RESOURCE_EXHAUSTED
        const after = await (await fetch(url)).text();
        assert.equal(
          sampleValue(after, 'tls_sli_exporter_als_streams_refused_total', { log: 'mesh_als' }),
          1,
        );

        await new Promise<void>((resolve) => {
          first.end();
          setTimeout(resolve, 200);
        });
        const closed = await until(async () => {
          const t = await (await fetch(url)).text();
          return sampleValue(t, 'tls_sli_exporter_als_streams', { log: 'mesh_als' }) === 0
            ? t
            : undefined;
        }, 'the stream closed');
        assert.equal(
          sampleValue(closed, 'tls_sli_exporter_log_lines_total', {
            log: 'mesh_als',
            outcome: 'counted',
          }),
          3,
        );
      } finally {
        client.close();
        await exporter.stop();
      }
    });
  });

  it('a name shared with an access_logs entry is a config error', async () => {
    await withTempDir(async (dir) => {
      const config = join(dir, 'config.yml');
      await writeFile(
        config,
        "access_logs: [{name: ingress, path: /x.log, format: envoy_listener_json}]\naccess_log_services: [{name: ingress, listen_address: '127.0.0.1:0'}]\n",
      );
      await assert.rejects(
        startOnLoopback(config),
        /access_log_services\[0\]\.name: "ingress" is also an access_logs name/,
      );
    });
  });
});
