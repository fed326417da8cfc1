// The Istio overlay end to end as far as it runs here (no Istio, no Envoy): the format its
// EnvoyFilter configures for the inbound listener log, written by a real mutual-TLS server for its
// real connections as the drill's stand-in writes Envoy's lines (demo/tls-event-log.ts), is read
// by the exporter config the overlay mounts: a refused client certificate counts as the failure it
// is, a good one as a success.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- untyped Kubernetes documents */
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type ConnectionOptions, type Server } from 'node:tls';
import { parserFor } from '../../../src/accesslog/parse/parser-for.js';
import { parseConfigText } from '../../../src/config/load.js';
import { jsonLine } from '../../../src/demo/envoy-lines.js';
import { logTlsEvents } from '../../../src/demo/tls-event-log.js';
import { KIT, kustomize, type Doc } from '../../support/kustomize.js';
import { harness } from '../../support/pipeline-harness.js';
import { issue } from '../../support/pki.js';

describe('the Istio overlay: the listener log its EnvoyFilter configures, read by the config it mounts', function () {
  this.timeout(60_000);

  it("a missing and an untrusted client certificate count as failures with their reasons (the untrusted one by the verify text Envoy's validator writes), a trusted one as a success", async () => {
    const docs = kustomize(`${KIT}overlays/istio`);
    const filter = docs.find((d) => d['kind'] === 'EnvoyFilter') as Doc;
    const logger = filter['spec'].configPatches[0].patch.value.access_log[0].typed_config;
    const { log_type: logType, ...format } = logger.log_format.json_format as Record<
      string,
      string
    >;
    // the format as the operator -> key map Envoy fills
    const fields = Object.fromEntries(
      Object.entries(format).map(([key, operator]) => [operator.replace(/^%|%$/g, ''), key]),
    );
    const configMap = docs.find(
      (d) =>
        d['kind'] === 'ConfigMap' &&
        String(d['metadata'].name).startsWith('tls-sli-exporter-istio'),
    ) as Doc;
    const config = parseConfigText(configMap['data']['config.yml'] as string, 'config.yml');
    const entry = config.access_logs.find((l) => l.path === logger.path);
    assert.ok(entry, 'the exporter reads the file the EnvoyFilter writes');

    const root = await issue({ cn: 'Mesh Root', ca: true });
    const leaf = await issue({ cn: 'audit-gw.dify.svc', dns: ['audit-gw.dify.svc'], issuer: root });
    const clientCa = await issue({ cn: 'Client CA', ca: true });
    const client = await issue({ cn: 'filebeat', issuer: clientCa, client: true });
    const stranger = await issue({ cn: 'Other CA', ca: true });
    const intruder = await issue({ cn: 'intruder', issuer: stranger, client: true });
    const lines: string[] = [];
    const server: Server = createServer(
      {
        cert: leaf.pem,
        key: await leaf.keyPem(),
        ca: clientCa.pem,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (socket) => socket.resume(),
    );
    logTlsEvents(
      server,
      (line) => lines.push(line),
      'require',
      Date.now,
      (values) => jsonLine(fields, values, { log_type: logType ?? 'listener' }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const attempt = async (options: ConnectionOptions): Promise<void> => {
      const socket = connect({
        port,
        host: '127.0.0.1',
        servername: 'audit-gw.dify.svc',
        ca: root.pem,
        ...options,
      });
      socket.on('error', () => undefined);
      await once(socket, 'close');
    };
    try {
      await attempt({});
      await attempt({ cert: intruder.pem, key: await intruder.keyPem() });
      const good = connect({
        port,
        host: '127.0.0.1',
        servername: 'audit-gw.dify.svc',
        ca: root.pem,
        cert: client.pem,
        key: await client.keyPem(),
      });
      await once(good, 'secureConnect');
      good.end();
      await once(good, 'close');
      for (let i = 0; lines.length < 3 && i < 100; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      server.close();
    }
    assert.equal(lines.length, 3, lines.join('\n'));

    const { parser } = parserFor(entry);
    const h = harness(parser, { log: entry.name });
    for (const line of lines) h.pipeline.line(line);
    assert.deepEqual(
      (await h.samples('tls_handshake_failures_total')).filter((l) => !l.endsWith(' 0')),
      [
        'tls_handshake_failures_total{log="inbound",direction="downstream",server_name="audit-gw.dify.svc",reason="cert_verify_failed"} 1',
        'tls_handshake_failures_total{log="inbound",direction="downstream",server_name="audit-gw.dify.svc",reason="no_client_cert"} 1',
      ],
    );
    assert.deepEqual(await h.samples('tls_handshake_success_total'), [
      'tls_handshake_success_total{log="inbound",direction="downstream",server_name="audit-gw.dify.svc",tls_version="TLSv1.3"} 1',
    ]);
    assert.deepEqual(
      (await h.samples('tls_sli_exporter_log_lines_total')).filter((l) => !l.endsWith(' 0')),
      ['tls_sli_exporter_log_lines_total{log="inbound",outcome="counted"} 3'],
    );
  });
});
