// Golden files: a sample log and the exposition it must produce, for every preset and for the
// shapes a config can ask for (JSON without fields, nested keys, envelopes, mixed streams,
// tls_clusters, format auto). Lines follow what the products write (each file says where its shape
// comes from); a line starting with `#` is a comment saying what a TLS expert reads from the next
// line, and is not fed to the pipeline. Regenerate with UPDATE_GOLDEN=1 after a deliberate
// change, and review the diff.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clusterMatcher } from '../../../src/accesslog/classify/tls-clusters.js';
import { parserFor } from '../../../src/accesslog/parse/parser-for.js';
import { PRESET_NAMES } from '../../../src/domain/log-formats.js';
import { parseConfigText } from '../../../src/config/load.js';
import { METRICS } from '../../../src/metrics/catalog.js';
import { harness, type Harness } from '../../support/pipeline-harness.js';

const DIR = fileURLToPath(new URL('../../golden/', import.meta.url));
const ALLOW = [
  '*.example.com',
  'audit-gw.example.internal',
  'orders_backend',
  'audit_splunk',
  'plain_backend',
  'outbound|*||**',
  'outbound_.*_._.**',
  'inbound|*||',
  '**.svc.cluster.local',
  'httproute/**',
  'tcproute/**',
  'passthroughcluster',
];

/** name of the .log/.prom pair -> the access_logs entry that reads it (path and name added) */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ...PRESET_NAMES.map((preset) => [preset, `format: ${preset}`] as const),
  ['json_conventional_keys', 'format: json'],
  [
    'json_nested_fields',
    'format: json, fields: {REQUESTED_SERVER_NAME: tls.sni, DOWNSTREAM_TLS_VERSION: tls.version, DOWNSTREAM_TLS_CIPHER: tls.cipher, DOWNSTREAM_TRANSPORT_FAILURE_REASON: tls.failure, CONNECTION_ID: connection.id}',
  ],
  ['istio_kubectl_timestamps', 'format: istio, envelope: kubectl_timestamps'],
  [
    'istio_tls_clusters',
    "format: istio, tls_clusters: ['outbound|443||**.logging.svc.cluster.local']",
  ],
  [
    'mixed_text_stream',
    'format: text, envoy_format: "[%START_TIME%] %CONNECTION_ID% \\"%PROTOCOL%\\" %RESPONSE_FLAGS% \\"%REQUESTED_SERVER_NAME%\\" %DOWNSTREAM_TLS_VERSION% %DOWNSTREAM_TLS_CIPHER% \\"%DOWNSTREAM_TRANSPORT_FAILURE_REASON%\\" %UPSTREAM_CLUSTER% \\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\\"\\n"',
  ],
  ['auto_envoy_gateway', 'format: auto'],
  // Envoy's handshake-time operators (docs/envoy.md §5): ms from the connection's start, and the
  // ClientHello-to-done span in ns, which wins where a line has both
  [
    'text_handshake_times',
    'format: text, envoy_format: "[%START_TIME%] %CONNECTION_ID% \\"%REQUESTED_SERVER_NAME%\\" %DOWNSTREAM_TLS_VERSION% %DOWNSTREAM_TLS_CIPHER% \\"%DOWNSTREAM_TRANSPORT_FAILURE_REASON%\\" %DOWNSTREAM_HANDSHAKE_DURATION% %COMMON_DURATION(DS_HS_BEG:DS_HS_END:ns)%\\n"',
  ],
  // the key-exchange group and the client's fingerprints (docs/envoy.md §11): in the presets'
  // keys, with failing fingerprints on (two slots), and in a text format
  [
    'listener_json_groups_fingerprints',
    'format: envoy_listener_json, failing_fingerprints: {max_values: 2}',
  ],
  ['http_json_groups', 'format: envoy_http_json'],
  [
    'text_groups_fingerprints',
    'format: text, failing_fingerprints: {}, envoy_format: "[%START_TIME%] %CONNECTION_ID% \\"%REQUESTED_SERVER_NAME%\\" %DOWNSTREAM_TLS_VERSION% %DOWNSTREAM_TLS_CIPHER% %DOWNSTREAM_TLS_GROUP% \\"%DOWNSTREAM_TRANSPORT_FAILURE_REASON%\\" %TLS_JA4_FINGERPRINT% %TLS_JA3_FINGERPRINT%\\n"',
  ],
];

describe('golden files: sample log -> exposition', () => {
  for (const [name, entry] of CASES) {
    it(name, async () => {
      const config = parseConfigText(
        `access_logs:\n  - {name: golden, path: /x, ${entry}}\n`,
        'c.yml',
      );
      const log = config.access_logs[0];
      assert.ok(log);
      const lines = readFileSync(`${DIR}${name}.log`, 'utf8').split('\n');
      lines.pop(); // the file ends with a newline
      const read = lines.filter((line) => !line.startsWith('#'));
      const fresh = (): Harness =>
        harness(parserFor(log).parser, {
          log: 'golden',
          allow: ALLOW,
          envelope: log.envelope,
          tlsCluster: clusterMatcher(log.tls_clusters),
          ...(log.failing_fingerprints === undefined
            ? {}
            : { fingerprints: log.failing_fingerprints.max_values }),
        });
      const h = fresh();
      for (const line of read) h.pipeline.line(line);
      const actual = await goldenText(h);
      const file = `${DIR}${name}.prom`;
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
      assert.equal(actual, readFileSync(file, 'utf8'));
      // a JSON preset's fast path (whole blocks of bytes) counts the same
      const blocks = fresh();
      if (blocks.pipeline.takesBlocks) {
        blocks.pipeline.lines(Buffer.from(read.map((line) => `${line}\n`).join('')));
        assert.equal(await goldenText(blocks), actual, 'the fast path over bytes');
      }
    });
  }
});

/** The samples a golden file holds: every non-zero one, and how many failure series are at 0. */
async function goldenText(h: Harness): Promise<string> {
  const samples = await h.samples(
    METRICS.handshakeSuccess.name,
    METRICS.handshakeFailures.name,
    METRICS.logLines.name,
    METRICS.labelValuesFolded.name,
    `${METRICS.handshakeDuration.name}_count`,
    `${METRICS.handshakeDuration.name}_sum`,
    METRICS.handshakeGroups.name,
    METRICS.handshakeFailureFingerprints.name,
  );
  const nonZero = samples.filter((l) => !l.endsWith(' 0'));
  const zeroFailures = samples.filter(
    (l) => l.startsWith(METRICS.handshakeFailures.name) && l.endsWith(' 0'),
  );
  return `${nonZero.join('\n')}\n# failure series at 0: ${zeroFailures.length}\n`;
}
