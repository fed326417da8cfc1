// Generates the bench's log files, deterministic, 1 M lines per preset in three kinds of data:
// `realistic` (what a production Envoy writes: a distinct time on every line, 40 server names of
// which a few dominate, distinct peers, user agents and request ids, failures at random),
// `uniform` (the earlier data: one time on every line, 5 server names, a failure every 20th or
// 25th line, which the parsers' "same value as the last line" shortcuts hit almost always) and
// `hostile` (uniform plus 1 % unique SNI, 0.2 % malformed, a 100 KB line every 100 000 lines,
// invalid UTF-8).
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
export const BENCH_DATA = ['realistic', 'uniform', 'hostile'] as const;
export type BenchData = (typeof BENCH_DATA)[number];

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

/** mulberry32: a small seeded generator, so every run reads the same "random" data */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 40 server names with Zipf weights (s = 1.1): the first few carry most of the traffic. */
const REALISTIC_SNIS = Array.from({ length: 40 }, (_, k) =>
  k < 5 ? (SNIS[k] as string) : `svc-${k}.${['dify', 'logging', 'ehr', 'pacs'][k % 4]}.svc`,
);
const ZIPF = (() => {
  const weights = REALISTIC_SNIS.map((_, k) => 1 / (k + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  return weights.map((w) => (sum += w / total));
})();
const USER_AGENTS = [
  'python-requests/2.31.0',
  'Go-http-client/2.0',
  'Filebeat/8.11.1 (linux; amd64; 6b1f5a9)',
  'okhttp/4.12.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'curl/8.5.0',
];
const PATHS = [
  '/v1/chat-messages',
  '/v1/workflows/run',
  '/_bulk',
  '/services/collector/event',
  '/healthz',
];
const hex = (rand: () => number, digits: number): string => {
  let out = '';
  while (out.length < digits)
    out += Math.floor(rand() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, digits);
};

/**
 * Lines as a production Envoy writes them, one after the other: the clock moves by a random
 * 0–2 ms per line, connection ids grow, a random 3 % of handshakes fail (reasons weighted towards
 * missing and unknown client certificates), 2 % of clients send no SNI; the JSON logs carry the
 * recommended handshake times (docs/envoy.md §5), the key-exchange groups and the listener log
 * the client's JA4 (§11), so their parsing is in the figures.
 */
export class RealisticLines {
  readonly #rand: () => number;
  #ms = Date.parse('2026-11-30T01:22:38.598Z');
  #connection = 4_200_000;

  constructor(seed = 18) {
    this.#rand = seeded(seed);
  }

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#rand() * list.length)] as T;
  }

  #sni(): string | undefined {
    if (this.#rand() < 0.02) return undefined;
    const r = this.#rand();
    const k = ZIPF.findIndex((c) => r <= c);
    return REALISTIC_SNIS[k < 0 ? REALISTIC_SNIS.length - 1 : k];
  }

  #failure(rate: number): string | undefined {
    if (this.#rand() >= rate) return undefined;
    const r = this.#rand();
    return r < 0.4
      ? TLS.noClientCert
      : r < 0.7
        ? TLS.unknownCa
        : r < 0.85
          ? TLS.expired
          : r < 0.95
            ? TLS.notTls
            : TLS.protocol;
  }

  #tick(): string {
    this.#ms += this.#rand() * 2;
    return new Date(Math.floor(this.#ms)).toISOString();
  }

  /** A handshake time in ms: mostly 1–6, one in 20 between 20 and 220 (a slow client, an HSM). */
  #handshakeMs(): number {
    return this.#rand() < 0.05
      ? 20 + Math.floor(this.#rand() * 200)
      : 1 + Math.floor(this.#rand() * 6);
  }

  /** The key-exchange group (Envoy 1.39): most clients hybrid post-quantum, some X25519, few P-256. */
  #group(): string {
    const r = this.#rand();
    return r < 0.8 ? 'X25519MLKEM768' : r < 0.95 ? 'X25519' : 'P-256';
  }

  /** A JA4 fingerprint of one of a few dozen client builds (the tls_inspector's, docs/envoy.md §11). */
  #ja4(): string {
    const kind = Math.floor(this.#rand() * 40);
    return `t13d${1512 + (kind % 5)}h2_${hex(seeded(kind), 12)}_${hex(seeded(kind + 100), 12)}`;
  }

  #peer(): string {
    return `10.${Math.floor(this.#rand() * 4)}.${Math.floor(this.#rand() * 256)}.${Math.floor(this.#rand() * 256)}:${32768 + Math.floor(this.#rand() * 28000)}`;
  }

  #requestId(): string {
    const h = hex(this.#rand, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }

  line(preset: BenchPreset): string {
    this.#connection += 1 + Math.floor(this.#rand() * 3);
    const sni = this.#sni();
    const tls12 = this.#rand() < 0.1;
    switch (preset) {
      case 'envoy_listener_json': {
        const fail = this.#failure(0.03);
        const client = Math.floor(this.#rand() * 2000);
        return listenerJson({
          START_TIME: this.#tick(),
          CONNECTION_ID: this.#connection,
          FILTER_CHAIN_NAME: 'tls_mtls',
          REQUESTED_SERVER_NAME: sni,
          DOWNSTREAM_TLS_VERSION: fail ? undefined : tls12 ? 'TLSv1.2' : 'TLSv1.3',
          DOWNSTREAM_TLS_CIPHER: fail
            ? undefined
            : tls12
              ? 'ECDHE-RSA-AES128-GCM-SHA256'
              : 'TLS_AES_256_GCM_SHA384',
          DOWNSTREAM_TRANSPORT_FAILURE_REASON: fail,
          RESPONSE_FLAGS: undefined,
        }).replace(
          /,"downstream_remote_address":"[^"]*","duration":\d+}$/,
          `,"downstream_remote_address":"${this.#peer()}","duration":${Math.floor(this.#rand() * 900)},"handshake_duration":${fail ? 'null' : this.#handshakeMs()},"tls_group":${fail ? 'null' : `"${this.#group()}"`},"ja4":"${this.#ja4()}","downstream_local_address":"10.244.1.17:8443","peer_subject":"CN=client-${client},OU=Logging,O=Example Hospital,L=Hangzhou,C=CN","peer_issuer":"CN=Example Hospital Internal CA G2,O=Example Hospital,C=CN","peer_fingerprint_256":"${hex(seeded(client), 64)}","peer_cert_v_end":"2027-0${1 + (client % 9)}-30T12:00:00.000Z"}`,
        );
      }
      case 'envoy_http_json': {
        const fail = this.#failure(0.02);
        return httpJson({
          START_TIME: this.#tick(),
          CONNECTION_ID: this.#connection,
          REQUESTED_SERVER_NAME: sni,
          DOWNSTREAM_TLS_VERSION: tls12 ? 'TLSv1.2' : 'TLSv1.3',
          DOWNSTREAM_TLS_CIPHER: tls12 ? 'ECDHE-RSA-AES128-GCM-SHA256' : 'TLS_AES_256_GCM_SHA384',
          RESPONSE_FLAGS: fail ? 'UF' : '-',
          RESPONSE_CODE_DETAILS: fail
            ? 'upstream_reset_before_response_started{remote_connection_failure}'
            : 'via_upstream',
          UPSTREAM_CLUSTER: `outbound|8443||${sni ?? 'api.dify.svc'}.cluster.local`,
          UPSTREAM_CONNECTION_ID: fail ? undefined : 900_000 + Math.floor(this.#rand() * 400),
          UPSTREAM_TLS_VERSION: fail ? undefined : 'TLSv1.3',
          UPSTREAM_TRANSPORT_FAILURE_REASON: fail,
          'COMMON_DURATION(US_CX_END:US_HS_END:us)': fail ? undefined : this.#handshakeMs() * 1000,
          DOWNSTREAM_TLS_GROUP: this.#group(),
          UPSTREAM_TLS_GROUP: fail ? undefined : this.#group(),
        }).replace(
          /}$/,
          `,"path":"${this.#pick(PATHS)}","user_agent":"${this.#pick(USER_AGENTS)}","request_id":"${this.#requestId()}","upstream_host":"${this.#peer()}"}`,
        );
      }
      default: {
        const fail = this.#failure(0.02);
        const values = {
          START_TIME: this.#tick(),
          'REQ(:METHOD)': this.#rand() < 0.7 ? 'POST' : 'GET',
          'REQ(X-ENVOY-ORIGINAL-PATH?:PATH)': this.#pick(PATHS),
          RESPONSE_CODE: fail ? 503 : this.#rand() < 0.03 ? 404 : 200,
          RESPONSE_FLAGS: fail ? 'UF' : '-',
          RESPONSE_CODE_DETAILS: fail
            ? 'upstream_reset_before_response_started{connection_failure}'
            : 'via_upstream',
          UPSTREAM_TRANSPORT_FAILURE_REASON: fail,
          BYTES_RECEIVED: Math.floor(this.#rand() * 4000),
          BYTES_SENT: Math.floor(this.#rand() * 20000),
          DURATION: Math.floor(this.#rand() * 300),
          'RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)': Math.floor(this.#rand() * 250),
          'REQ(USER-AGENT)': this.#pick(USER_AGENTS),
          'REQ(X-REQUEST-ID)': this.#requestId(),
          'REQ(:AUTHORITY)': sni ?? 'api.dify.svc',
          UPSTREAM_HOST: this.#peer(),
          DOWNSTREAM_REMOTE_ADDRESS: this.#peer(),
          REQUESTED_SERVER_NAME: sni,
        };
        return preset === 'istio' ? istio(values) : envoyDefault(values);
      }
    }
  }
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
  data: BenchData,
): Promise<number> {
  const hostile = data === 'hostile';
  const realistic = data === 'realistic' ? new RealisticLines() : undefined;
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
    let line = realistic ? realistic.line(preset) : benchLine(preset, i, hostile);
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
