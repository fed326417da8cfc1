// The config's three glob dialects, each with the examples docs/configuration.md gives (and the
// ones the README and the Kubernetes manifests ship).
import { strict as assert } from 'node:assert';
import { hostPortGlob, nameGlob, pathGlob } from '../../../src/config/globs.js';

const CASES: ReadonlyArray<readonly [string, (g: string) => RegExp, string, string, boolean]> = [
  // names: server_names.allow, server_names.clusters_allow, tls_clusters
  ['name', nameGlob, '*.dify.svc', 'api.dify.svc', true],
  ['name', nameGlob, '*.dify.svc', 'a.b.dify.svc', true],
  ['name', nameGlob, '*.svc.cluster.local', 'es.logging.svc.cluster.local', true],
  ['name', nameGlob, '*.svc.cluster.local', 'svc.cluster.local.evil', false],
  ['name', nameGlob, '**.dify.svc', 'a.b.dify.svc', true], // the old spelling still works
  ['name', nameGlob, 'audit-gw.example.internal', 'audit-gwXexample.internal', false],
  ['name', nameGlob, 'api-?.svc', 'api-1.svc', true],
  ['name', nameGlob, 'API.example', 'api.EXAMPLE', true],
  [
    'name',
    nameGlob,
    'outbound|443||*.svc.cluster.local',
    'outbound|443||es.logging.svc.cluster.local',
    true,
  ],
  ['name', nameGlob, 'elk_*', 'elk_ingest', true],
  // host:port: allowed_targets
  ['host:port', hostPortGlob, '*.dify.svc:*', 'es.logging.dify.svc:9200', true],
  [
    'host:port',
    hostPortGlob,
    '*.svc.cluster.local:*',
    'audit-gw.dify.svc.cluster.local:5044',
    true,
  ],
  ['host:port', hostPortGlob, '*.dify.svc:443', 'api.dify.svc:4430', false],
  ['host:port', hostPortGlob, '*:443', 'a.b.c:443', true],
  ['host:port', hostPortGlob, '*.dify.svc:*', 'evil.com:1.dify.svc:443', false],
  ['host:port', hostPortGlob, '127.0.0.1:*', '127.0.0.1:8443', true],
  ['host:port', hostPortGlob, '[::1]:*', '[::1]:8443', true],
  // paths: access_logs, cert_files
  ['path', pathGlob, '/var/log/envoy/*.log', '/var/log/envoy/access.log', true],
  ['path', pathGlob, '/var/log/envoy/*.log', '/var/log/envoy/old/access.log', false],
  ['path', pathGlob, '/etc/tls/**/*.pem', '/etc/tls/a/b/c.pem', true],
  ['path', pathGlob, '/etc/tls/**/*.pem', '/etc/tls/c.pem', true],
];

describe('config globs', () => {
  for (const [dialect, glob, pattern, value, matches] of CASES) {
    it(`${dialect}: ${pattern} ${matches ? 'matches' : 'does not match'} ${value}`, () => {
      assert.equal(glob(pattern).test(value), matches);
    });
  }
});
