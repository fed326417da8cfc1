// The gRPC access-log receiver end to end in one process: a real gRPC client (@grpc/grpc-js)
// streams Envoy's StreamAccessLogsMessage to the exporter on 127.0.0.1, as an Envoy with an
// envoy.access_loggers.tcp_grpc / http_grpc logger does; the entries are counted like file lines.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { alsClient, type AlsClient } from '../../support/als-client.js';
import { startOnLoopback } from '../../support/exporter.js';
import { TLS } from '../../support/envoy-lines.js';
import { sampleValue } from '../../support/exposition.js';
import { chain, issue } from '../../support/pki.js';
import { closedPort } from '../../support/tls-servers.js';
import { withTempDir } from '../../support/tmp.js';
import { until } from '../../support/until.js';

/** One stream of one TCP entry: the error the stream ended with, or null. */
function sendOne(client: AlsClient): Promise<ServiceError | null> {
  return new Promise((resolve) => {
    const stream = client.StreamAccessLogs(resolve);
    stream.write({ tcp_logs: { log_entry: [tcpEntry('api.example.com')] } });
    stream.end();
  });
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
          sampleValue(after, 'tls_sli_exporter_als_streams_refused_total', {
            log: 'mesh_als',
            reason: 'max_streams',
          }),
          1,
        );

        first.end();
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

  it('mTLS from a web config file: a client with a certificate of the CA is read, one without is refused', async () => {
    await withTempDir(async (dir) => {
      const pki = await chain({ names: ['localhost'] });
      const clientCa = await issue({ cn: 'Envoy Client CA', ca: true, notAfterDays: 365 });
      const envoy = await issue({
        cn: 'envoy-1',
        issuer: clientCa,
        client: true,
        notAfterDays: 30,
      });
      await writeFile(join(dir, 'server.pem'), `${pki.leaf.pem}\n${pki.intermediate.pem}`);
      await writeFile(join(dir, 'server.key'), await pki.leaf.keyPem());
      await writeFile(join(dir, 'client-ca.pem'), clientCa.pem);
      await writeFile(
        join(dir, 'als-tls.yml'),
        `tls_server_config:\n  cert_file: ${join(dir, 'server.pem')}\n  key_file: ${join(dir, 'server.key')}\n  client_ca_file: ${join(dir, 'client-ca.pem')}\n  client_auth_type: RequireAndVerifyClientCert\n`,
      );
      const port = await closedPort();
      const config = join(dir, 'config.yml');
      await writeFile(
        config,
        `access_log_services:\n  - {name: secure_als, listen_address: '127.0.0.1:${port}', tls_config_file: ${join(dir, 'als-tls.yml')}}\n`,
      );
      const exporter = await startOnLoopback(config);
      const root = Buffer.from(pki.root.pem);
      const withCert = alsClient(
        port,
        credentials.createSsl(root, Buffer.from(await envoy.keyPem()), Buffer.from(envoy.pem)),
      );
      const withoutCert = alsClient(port, credentials.createSsl(root));
      const plaintext = alsClient(port);
      try {
        assert.equal(await sendOne(withCert), null);
        assert.notEqual(await sendOne(withoutCert), null, 'no client certificate: refused');
        assert.notEqual(await sendOne(plaintext), null, 'plaintext: refused');
        const text = await (
          await fetch(`http://127.0.0.1:${exporter.address.port}/metrics`)
        ).text();
        assert.equal(
          sampleValue(text, 'tls_sli_exporter_log_lines_total', {
            log: 'secure_als',
            outcome: 'counted',
          }),
          1,
        );
      } finally {
        for (const c of [withCert, withoutCert, plaintext]) c.close();
        await exporter.stop();
      }
      // a web config the gRPC server cannot honour is refused, naming the file and why
      await writeFile(
        join(dir, 'als-tls.yml'),
        `tls_server_config:\n  cert_file: ${join(dir, 'server.pem')}\n  key_file: ${join(dir, 'server.key')}\n  client_ca_file: ${join(dir, 'client-ca.pem')}\n  client_auth_type: VerifyClientCertIfGiven\n`,
      );
      await assert.rejects(
        startOnLoopback(config),
        /client_auth_type VerifyClientCertIfGiven is not supported/,
      );
    });
  });

  it('a message over max_message_bytes ends its stream, counted; the next stream is read', async () => {
    await withTempDir(async (dir) => {
      const port = await closedPort();
      const config = join(dir, 'config.yml');
      await writeFile(
        config,
        `access_log_services:\n  - {name: small_als, listen_address: '127.0.0.1:${port}', max_message_bytes: 1024}\n`,
      );
      const exporter = await startOnLoopback(config);
      const client = alsClient(port);
      const url = `http://127.0.0.1:${exporter.address.port}/metrics`;
      try {
        const big = await new Promise<ServiceError | null>((resolve) => {
          const stream = client.StreamAccessLogs(resolve);
          stream.write({
            tcp_logs: { log_entry: Array.from({ length: 40 }, () => tcpEntry('api.example.com')) },
          });
          stream.end();
        });
        assert.equal(big?.code, 8); // RESOURCE_EXHAUSTED
        assert.equal(await sendOne(client), null);
        const text = await until(async () => {
          const t = await (await fetch(url)).text();
          return sampleValue(t, 'tls_sli_exporter_log_lines_total', {
            log: 'small_als',
            outcome: 'counted',
          }) === 1
            ? t
            : undefined;
        }, 'the small stream counted');
        assert.equal(
          sampleValue(text, 'tls_sli_exporter_als_streams_refused_total', {
            log: 'small_als',
            reason: 'stream_error',
          }),
          1,
        );
      } finally {
        client.close();
        await exporter.stop();
      }
    });
  });

  it('max_log_names: streams counted under name/log_name, past the bound under name/other', async () => {
    await withTempDir(async (dir) => {
      const port = await closedPort();
      const config = join(dir, 'config.yml');
      await writeFile(
        config,
        `access_log_services:\n  - {name: mesh, listen_address: '127.0.0.1:${port}', max_log_names: 1}\n`,
      );
      const exporter = await startOnLoopback(config);
      const client = alsClient(port);
      const stream = (logName: string): Promise<ServiceError | null> =>
        new Promise((resolve) => {
          const s = client.StreamAccessLogs(resolve);
          s.write({
            identifier: { node: { id: 'envoy-1' }, log_name: logName },
            tcp_logs: { log_entry: [tcpEntry('api.example.com')] },
          });
          s.write({ tcp_logs: { log_entry: [tcpEntry('api.example.com')] } });
          s.end();
        });
      try {
        assert.equal(await stream('listener_als'), null);
        assert.equal(await stream('gateway_als'), null);
        const text = await until(async () => {
          const t = await (await fetch(`http://127.0.0.1:${exporter.address.port}/metrics`)).text();
          return sampleValue(t, 'tls_sli_exporter_log_lines_total', {
            log: 'mesh/other',
            outcome: 'counted',
          }) === 2
            ? t
            : undefined;
        }, 'the second log name folded');
        assert.equal(
          sampleValue(text, 'tls_sli_exporter_log_lines_total', {
            log: 'mesh/listener_als',
            outcome: 'counted',
          }),
          2,
          'the identifier of the first message names the whole stream',
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
