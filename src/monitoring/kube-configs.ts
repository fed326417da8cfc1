// The exporter configs the Kubernetes kit mounts (each from a configMapGenerator, so a change
// rolls the pods). An overlay of yours replaces one with `behavior: replace` (docs/kubernetes.md):
// targets, allow-lists and modules are yours, these files are the kit's.
import { ALS_PORT } from './kube-exporter.js';
import { accessLogsYaml, LOG_MAX_SIZE } from './kube-logs.js';

const REPLACE_NOTE = (component: string): string =>
  `# ${component}: replace this file from your overlay (configMapGenerator, behavior: replace;
# docs/kubernetes.md). Every key: docs/configuration.md.`;

/** the example Envoy's admin, on the pod's loopback (its envoy.yaml says the same) */
export const ENVOY_ADMIN = { address: '127.0.0.1', port: 9901 } as const;
const ENVOY_ADMIN_URL = `http://${ENVOY_ADMIN.address}:${ENVOY_ADMIN.port}`;
export const ISTIO_ADMIN_URL = 'http://127.0.0.1:15000';
export const ENVOY_LOG_DIR = '/var/log/envoy';
export const ISTIO_LOG_DIR = '/var/log/tls-sli';

const ANY_NAME = `server_names:
  allow: [] # any name, up to max_values; then "other"
  max_values: 100`;

const STATE = `# survives exporter container restarts (OOM kill, crash) for as long as the pod's logs do
positions_file: /var/lib/tls-sli-exporter/positions.json`;

/** Beside Envoy in its pod: both logs of docs/envoy.md §1-§2 and Envoy's own counters (§9). */
export const envoySidecarConfig = (): string => `${REPLACE_NOTE("The exporter as Envoy's sidecar")}
${STATE}
${accessLogsYaml(
  [
    { name: 'ingress', path: `${ENVOY_LOG_DIR}/listener.log`, format: 'envoy_listener_json' },
    {
      name: 'mesh',
      path: `${ENVOY_LOG_DIR}/http.log`,
      format: 'envoy_http_json',
      // the listener log counts every downstream handshake; this one the upstream ones
      directions: ['upstream'],
    },
  ],
  LOG_MAX_SIZE,
  `${ENVOY_ADMIN_URL}/reopen_logs`,
)}
# Envoy's own TLS counters from its admin on the pod's loopback: the coverage alert says when the
# logs miss handshakes (docs/envoy.md §9)
envoy_admin:
  - name: envoy
    url: ${ENVOY_ADMIN_URL}
    downstream_log: ingress
    upstream_log: mesh
${ANY_NAME}
`;

/** Beside istio-proxy: the unfiltered inbound listener log the kit's EnvoyFilter adds. */
export const istioSidecarConfig = (): string => `${REPLACE_NOTE('The exporter beside istio-proxy')}
${STATE}
${accessLogsYaml(
  [{ name: 'inbound', path: `${ISTIO_LOG_DIR}/listener.log`, format: 'envoy_listener_json' }],
  LOG_MAX_SIZE,
  `${ISTIO_ADMIN_URL}/reopen_logs`,
)}
# mesh mTLS names look like outbound_.8000_._.httpbin.default.svc.cluster.local (docs/envoy.md §3.1)
${ANY_NAME}
`;

/** The gRPC access-log receivers (docs/envoy.md §10). */
export const alsReceiverConfig = (): string => `${REPLACE_NOTE('The gRPC access-log receivers')}
# Envoys stream their access logs here (envoy.access_loggers.tcp_grpc / http_grpc); each stream
# counts under mesh_als/<its log_name>. Replicas each count what they receive; the rules and the
# board sum across them.
access_log_services:
  - name: mesh_als
    listen_address: ':${ALS_PORT}'
    max_log_names: 8
${ANY_NAME}
`;

/** The standalone prober: /probe for the Probe objects, a schedule of its own, certificate files. */
export const proberConfig = (): string => `${REPLACE_NOTE('The standalone prober')}
probes:
  modules:
    tls:
      timeout: 5s # the system's roots
    mtls:
      timeout: 5s
      ca_file: /etc/tls-sli-exporter/pki/ca.crt
      client_cert_file: /etc/tls-sli-exporter/pki/tls.crt
      client_key_file: /etc/tls-sli-exporter/pki/tls.key
      expect_client_auth: true # also try without a client certificate: it must be refused
      allowed_targets: ['*.svc.cluster.local:*'] # what /probe may reach with this module
  # probed on the exporter's own schedule as well; the Probe object lists what Prometheus asks for
  targets: []
cert_files:
  # certificates on disk: the Secret tls-sli-exporter-watched-certs, mounted here (optional)
  - name: watched
    paths: ['/etc/tls-sli-exporter/watched']
`;
