// The embedded demo: with no config file the exporter mints a local PKI, starts TLS endpoints
// and a simulated Envoy listener log on 127.0.0.1, writes a config for them into a temp
// directory and runs against it, so every state shows on /metrics within seconds. stop() ends
// everything and removes the temp directory.
import { appendFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagOrEnv, type Env, type Flags } from '../config/overrides.js';
import type { LineSink } from '../log/logger.js';
import { startExporter, type RunningExporter } from '../main.js';
import { startDemoEndpoints } from './endpoints.js';
import { simulateListenerLog } from './log-simulator.js';

export const DEMO_LISTEN_ADDRESS = '127.0.0.1:10087';

export interface RunningDemo extends RunningExporter {
  readonly dir: string;
}

export async function startDemo(flags: Flags, env: Env, logSink?: LineSink): Promise<RunningDemo> {
  const dir = await mkdtemp(join(tmpdir(), 'tls-sli-demo-'));
  const edgeLog = join(dir, 'edge.log');
  const endpoints = await startDemoEndpoints((line) => appendFileSync(edgeLog, `${line}\n`));
  const simulator = simulateListenerLog(join(dir, 'listener.log'));
  const cleanup = async (): Promise<void> => {
    await simulator.stop();
    await endpoints.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await mkdir(join(dir, 'certs'));
    await writeFile(join(dir, 'ca.pem'), endpoints.pki.root.pem);
    await writeFile(join(dir, 'certs', 'demo-root-ca.pem'), endpoints.pki.root.pem);
    await writeFile(join(dir, 'client.pem'), endpoints.pki.client.pem);
    await writeFile(join(dir, 'client.key'), await endpoints.pki.client.keyPem(), { mode: 0o600 });
    // the client CA, for `drill --client-ca-cert/--client-ca-key` (an expired certificate)
    await writeFile(join(dir, 'client-ca.pem'), endpoints.pki.clientCa.pem);
    await writeFile(join(dir, 'client-ca.key'), await endpoints.pki.clientCa.keyPem(), {
      mode: 0o600,
    });
    await writeFile(edgeLog, '', { flag: 'a' });
    await writeFile(join(dir, 'listener.log'), '', { flag: 'a' });
    const targets = endpoints.endpoints
      .map(
        (e) =>
          `    - {name: ${e.name}, address: '127.0.0.1:${e.port}', server_name: localhost, module: ${e.module}}`,
      )
      .join('\n');
    await writeFile(
      join(dir, 'config.yml'),
      `# written by the embedded demo
web:
  drill_notes: true # the demo is drilled (README, Drills): its notes go into its log
access_logs:
  - {name: demo-ingress, path: ${join(dir, 'listener.log')}, format: envoy_listener_json, start_at: beginning, poll_interval: 500ms, failing_fingerprints: {max_values: 5}}
  # audit-gateway's real handshakes, as Envoy's listener log would show them (tls-sli-exporter drill)
  - {name: demo-edge, path: ${edgeLog}, format: envoy_listener_json, start_at: beginning, poll_interval: 500ms}
server_names:
  allow: ['*.demo', localhost]
  max_values: 20
probes:
  schedule: '*/5 * * * * *'
  jitter: 1s
  modules:
    mtls: {ca_file: ${join(dir, 'ca.pem')}, client_cert_file: ${join(dir, 'client.pem')}, client_key_file: ${join(dir, 'client.key')}, expect_client_auth: true, ocsp: 'off', timeout: 3s}
    stapling: {ca_file: ${join(dir, 'ca.pem')}, ocsp: request, timeout: 3s}
  targets:
${targets}
cert_files:
  - {name: demo-files, paths: [${join(dir, 'certs')}]}
`,
    );
    const listen = flagOrEnv('web.listen-address', flags, env)?.value ?? DEMO_LISTEN_ADDRESS;
    const exporter = await startExporter({
      configFile: join(dir, 'config.yml'),
      flags: { ...flags, 'web.listen-address': listen },
      env,
      ...(logSink ? { logSink } : {}),
    });
    const url = `http://${exporter.address.address}:${exporter.address.port}`;
    exporter.logger.info(
      {
        url,
        metrics: `${url}/metrics`,
        dir,
        endpoints: endpoints.endpoints.map((e) => `${e.name}=127.0.0.1:${e.port}`).join(','),
      },
      'demo running: local TLS endpoints and a simulated Envoy log; Ctrl-C stops it and removes its files',
    );
    return {
      ...exporter,
      dir,
      async stop() {
        await exporter.stop();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
