// Generates the bench's log files: 1 M lines per preset (clean) and a hostile mix (1 % unique SNI,
// 0.2 % malformed, a 100 KB line every 100 000 lines, invalid UTF-8). Deterministic.
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { TLS, envoyDefault, httpJson, istio, listenerJson } from '../src/demo/envoy-lines.js';

export const BENCH_PRESETS = [
  'envoy_listener_json',
  'envoy_http_json',
  'envoy_default',
  'istio',
] as const;
export type BenchPreset = (typeof BENCH_PRESETS)[number];

const FAILURES = [TLS.noClientCert, TLS.unknownCa, TLS.expired, TLS.protocol, TLS.notTls];
const SNIS = [
  'audit-gw.dify.svc',
  'api.dify.svc',
  'chat.dify.svc',
  'es.logging.svc',
  'splunk-hec.example.internal',
];

/** A realistic listener record of about 650 bytes (peer DN, fingerprint, addresses). */
function listener(i: number, sni: string | undefined): string {
  const fail = i % 20 === 0 ? FAILURES[(i / 20) % FAILURES.length] : undefined;
  return listenerJson({
    START_TIME: '2026-11-30T01:22:38.598Z',
    CONNECTION_ID: 100000 + i,
    FILTER_CHAIN_NAME: 'tls_mtls',
    REQUESTED_SERVER_NAME: sni,
    DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
    DOWNSTREAM_TLS_CIPHER: fail ? undefined : 'TLS_AES_256_GCM_SHA384',
    DOWNSTREAM_TRANSPORT_FAILURE_REASON: fail,
    RESPONSE_FLAGS: undefined,
  }).replace(
    /}$/,
    `,"downstream_local_address":"10.244.1.17:8443","peer_subject":"CN=filebeat-${i % 50},OU=Logging,O=Example Hospital,L=Hangzhou,C=CN","peer_issuer":"CN=Example Hospital Internal CA G2,O=Example Hospital,C=CN","peer_fingerprint_256":"9f2c4e1a7b3d5f60812e4c9a0b7d3e6f1a2b4c5d6e7f8091a2b3c4d5e6f70819","peer_cert_v_end":"2027-09-30T12:00:00.000Z"}`,
  );
}

function http(i: number, sni: string | undefined): string {
  const fail = i % 25 === 0;
  return httpJson({
    START_TIME: '2026-11-30T01:22:38.598Z',
    CONNECTION_ID: 100000 + Math.floor(i / 4),
    REQUESTED_SERVER_NAME: sni,
    DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
    RESPONSE_FLAGS: fail ? 'URX,UF' : '-',
    RESPONSE_CODE_DETAILS: fail
      ? 'upstream_reset_before_response_started{remote_connection_failure}'
      : 'via_upstream',
    UPSTREAM_CLUSTER: 'outbound|8443||api.dify.svc.cluster.local',
    UPSTREAM_CONNECTION_ID: fail ? undefined : 5000 + (i % 64),
    UPSTREAM_TLS_VERSION: fail ? undefined : 'TLSv1.3',
    UPSTREAM_TRANSPORT_FAILURE_REASON: fail ? TLS.unknownCa : undefined,
  }).replace(
    /}$/,
    `,"path":"/v1/chat-messages","user_agent":"python-requests/2.31.0","request_id":"0f5e2c1a-4b7d-4a3e-9c1f-${String(i).padStart(12, '0')}","upstream_host":"10.244.3.21:8443"}`,
  );
}

function text(preset: 'envoy_default' | 'istio', i: number, sni: string | undefined): string {
  const fail = i % 25 === 0;
  const values = {
    RESPONSE_CODE: fail ? 503 : 200,
    RESPONSE_FLAGS: fail ? 'URX,UF' : '-',
    'REQ(X-REQUEST-ID)': `0f5e2c1a-4b7d-4a3e-9c1f-${String(i).padStart(12, '0')}`,
    REQUESTED_SERVER_NAME: sni,
    UPSTREAM_TRANSPORT_FAILURE_REASON: fail ? TLS.unknownCa : undefined,
  };
  return preset === 'istio' ? istio(values) : envoyDefault(values);
}

export function benchLine(preset: BenchPreset, i: number, hostile: boolean): string | Buffer {
  let sni: string | undefined = SNIS[i % SNIS.length];
  if (hostile) {
    if (i % 100 === 0) sni = `h${i}.attacker.example`;
    if (i % 500 === 1) return `${listener(i, sni).slice(0, 120)}`; // truncated: malformed
    if (i % 100_000 === 2) return 'x'.repeat(100 * 1024);
    if (i % 1000 === 3) sni = 'bad\u00ffname';
  }
  switch (preset) {
    case 'envoy_listener_json':
      return listener(i, sni);
    case 'envoy_http_json':
      return http(i, sni);
    default:
      return text(preset, i, sni);
  }
}

export async function writeBenchLog(
  path: string,
  preset: BenchPreset,
  lines: number,
  hostile: boolean,
): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let batch: Array<string | Buffer> = [];
  const flush = async (): Promise<void> => {
    const chunk = Buffer.concat(
      batch.map((l) =>
        typeof l === 'string' ? Buffer.from(`${l}\n`) : Buffer.concat([l, Buffer.from('\n')]),
      ),
    );
    bytes += chunk.length;
    batch = [];
    if (!out.write(chunk)) await once(out, 'drain');
  };
  for (let i = 0; i < lines; i++) {
    let line = benchLine(preset, i, hostile);
    // invalid UTF-8 in a field the classifier does not use
    if (hostile && i % 1000 === 4 && typeof line === 'string') {
      const at = line.indexOf('python-requests');
      if (at > 0)
        line = Buffer.concat([
          Buffer.from(line.slice(0, at)),
          Buffer.from([0xff, 0xfe]),
          Buffer.from(line.slice(at)),
        ]);
    }
    batch.push(line);
    if (batch.length === 10_000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  // on disk before the runs: dirty pages left to the kernel would be written back during a
  // measurement (an fsync elsewhere, the positions file's, makes the file system flush them)
  const handle = await open(path, 'r+');
  await handle.sync();
  await handle.close();
  return bytes;
}
