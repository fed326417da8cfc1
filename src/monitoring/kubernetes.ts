// Kubernetes manifests, generated like the rules and the board so they never drift: Envoy with
// the exporter as a sidecar (shared emptyDir with a size limit, mounted read-only in the
// exporter; non-root, read-only root filesystem, no capabilities), a Service and one
// ServiceMonitor (with the `release:` label kube-prometheus-stack selects on; its job is the
// Service's name, the job the rules select), a Probe for /probe (job tls-sli-exporter-probe, the
// rules' second job), a PrometheusRule holding exactly the generated rule groups, and the
// dashboards as ConfigMaps labelled grafana_dashboard: "1". Everything is in NAMESPACE (change it
// with kustomize's `namespace:` and the Probe's prober URL).
import type { RuleGroup } from './rules.js';

const NAME = 'tls-sli-exporter';
export const NAMESPACE = 'dify';
const LABELS = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/component': 'exporter' };
/** the Envoy pods (the exporter is their sidecar): Envoy's own name, not the exporter's */
const ENVOY = {
  'app.kubernetes.io/name': 'envoy-ingress',
  'app.kubernetes.io/component': 'ingress',
};
const meta = (name: string, labels: Readonly<Record<string, string>>): object => ({
  name,
  namespace: NAMESPACE,
  labels,
});
/** The exporter's config file, mounted from a ConfigMap. */
const configMap = (
  name: string,
  labels: Readonly<Record<string, string>>,
  configYml: string,
): object => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: meta(name, labels),
  data: { 'config.yml': configYml },
});
const RELEASE = { release: 'kube-prometheus-stack' };
const IMAGE = 'ghcr.io/tls-sli-exporter/tls-sli-exporter:0.1.0';

const exporterConfig = `# survives exporter container restarts (OOM kill, crash) for as long as the pod's logs do
positions_file: /var/lib/tls-sli-exporter/positions.json
access_logs:
  - name: ingress
    path: /var/log/envoy/listener.log
    format: envoy_listener_json
  - name: mesh
    path: /var/log/envoy/http.log
    format: envoy_http_json
    # the listener log counts every downstream handshake; this one counts the upstream ones
    directions: [upstream]
# Envoy's own TLS counters from its admin on the pod's loopback (admin address 127.0.0.1:9901 in
# envoy.yaml): the coverage alert says when the logs miss handshakes (docs/envoy.md §9)
envoy_admin:
  - name: envoy-ingress
    url: http://127.0.0.1:9901
    downstream_log: ingress
    upstream_log: mesh
server_names:
  allow: ['*.dify.svc', '*.svc.cluster.local']
  max_values: 100
probes:
  modules:
    mtls:
      ca_file: /etc/tls-sli-exporter/pki/ca.crt
      client_cert_file: /etc/tls-sli-exporter/pki/tls.crt
      client_key_file: /etc/tls-sli-exporter/pki/tls.key
      expect_client_auth: true
      allowed_targets: ['*.svc.cluster.local:*']
  targets: []
cert_files:
  - name: envoy-certs
    paths: ['/etc/envoy/certs']
`;

/** The gRPC access-log receivers: Envoys (or Istio, Envoy Gateway) stream to them (docs/envoy.md §10). */
const ALS_NAME = `${NAME}-als`;
const ALS_LABELS = {
  'app.kubernetes.io/name': NAME,
  'app.kubernetes.io/component': 'als-receiver',
};
const ALS_PORT = 15001;

const alsConfig = `# Envoys stream their access logs here (envoy.access_loggers.tcp_grpc / http_grpc); each
# stream counts under mesh_als/<its log_name>. Replicas each count what they receive; the rules
# and the board sum across them.
access_log_services:
  - name: mesh_als
    listen_address: ':${ALS_PORT}'
    max_log_names: 8
server_names:
  allow: ['*.dify.svc', '*.svc.cluster.local']
  max_values: 100
`;

const restricted = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The exporter's container: its config from /etc/tls-sli-exporter, health on the metrics port. */
function exporterContainer(ports: object[], resources: object, volumeMounts: object[]): object {
  return {
    name: NAME,
    image: IMAGE,
    args: ['--config.file=/etc/tls-sli-exporter/config.yml', '--log.format=json'],
    ports,
    securityContext: restricted,
    resources,
    livenessProbe: { httpGet: { path: '/-/healthy', port: 'metrics' }, periodSeconds: 10 },
    readinessProbe: { httpGet: { path: '/-/ready', port: 'metrics' }, periodSeconds: 5 },
    volumeMounts,
  };
}

export function kubernetesManifests(
  groups: readonly RuleGroup[],
  dashboards: ReadonlyMap<string, string>,
): Map<string, object[]> {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('envoy-ingress', ENVOY),
    spec: {
      replicas: 2,
      selector: { matchLabels: ENVOY },
      template: {
        metadata: { labels: ENVOY },
        spec: {
          securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
          containers: [
            {
              name: 'envoy',
              image: 'envoyproxy/envoy:v1.37-latest',
              args: ['-c', '/etc/envoy/envoy.yaml', '--file-flush-interval-msec', '1000'],
              securityContext: restricted,
              volumeMounts: [
                { name: 'envoy-logs', mountPath: '/var/log/envoy' },
                { name: 'envoy-config', mountPath: '/etc/envoy', readOnly: true },
                { name: 'envoy-certs', mountPath: '/etc/envoy/certs', readOnly: true },
              ],
            },
            exporterContainer(
              [{ name: 'metrics', containerPort: 10087 }],
              // from docs/performance.md (npm run bench): idle 60 MiB; 86-92 MiB peak reading a
              // log at full speed (a restart catching up); 150-190 MiB peak serving /probe at
              // concurrency 10. The request holds the log reader, the limit the /probe peak
              // with room for a scrape burst.
              { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '256Mi' } },
              [
                { name: 'envoy-logs', mountPath: '/var/log/envoy', readOnly: true },
                { name: 'exporter-config', mountPath: '/etc/tls-sli-exporter', readOnly: true },
                { name: 'exporter-pki', mountPath: '/etc/tls-sli-exporter/pki', readOnly: true },
                { name: 'envoy-certs', mountPath: '/etc/envoy/certs', readOnly: true },
                { name: 'exporter-state', mountPath: '/var/lib/tls-sli-exporter' },
              ],
            ),
          ],
          volumes: [
            { name: 'envoy-logs', emptyDir: { sizeLimit: '512Mi' } },
            // the positions file lives exactly as long as the logs it points into
            { name: 'exporter-state', emptyDir: { sizeLimit: '1Mi' } },
            { name: 'envoy-config', configMap: { name: 'envoy-ingress' } },
            { name: 'envoy-certs', secret: { secretName: 'envoy-ingress-tls' } },
            { name: 'exporter-config', configMap: { name: NAME } },
            { name: 'exporter-pki', secret: { secretName: `${NAME}-client-tls` } },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(NAME, LABELS),
    spec: { selector: ENVOY, ports: [{ name: 'metrics', port: 10087, targetPort: 'metrics' }] },
  };
  const config = configMap(NAME, LABELS, exporterConfig);
  // one monitor: a PodMonitor next to it would scrape every sidecar a second time, under a job
  // the rules do not select
  // the sidecars' Service and the receivers' Service, under one job (the one the rules select):
  // the job is the name label both carry, not each Service's name
  const monitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: meta(NAME, { ...LABELS, ...RELEASE }),
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': NAME } },
      jobLabel: 'app.kubernetes.io/name',
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    },
  };
  const alsConfigMap = configMap(ALS_NAME, ALS_LABELS, alsConfig);
  const alsDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(ALS_NAME, ALS_LABELS),
    spec: {
      replicas: 2,
      selector: { matchLabels: ALS_LABELS },
      template: {
        metadata: { labels: ALS_LABELS },
        spec: {
          securityContext: { runAsUser: 10001, runAsGroup: 10001 },
          containers: [
            exporterContainer(
              [
                { name: 'als', containerPort: ALS_PORT },
                { name: 'metrics', containerPort: 10087 },
              ],
              // docs/performance.md, gRPC access logs: 86-87 MiB peak at full speed
              { requests: { cpu: '100m', memory: '96Mi' }, limits: { memory: '192Mi' } },
              [{ name: 'config', mountPath: '/etc/tls-sli-exporter', readOnly: true }],
            ),
          ],
          volumes: [{ name: 'config', configMap: { name: ALS_NAME } }],
        },
      },
    },
  };
  const alsService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ALS_NAME, ALS_LABELS),
    spec: {
      selector: ALS_LABELS,
      ports: [
        { name: 'als', port: ALS_PORT, targetPort: 'als', appProtocol: 'grpc' },
        { name: 'metrics', port: 10087, targetPort: 'metrics' },
      ],
    },
  };
  const probe = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Probe',
    metadata: meta(`${NAME}-mtls`, { ...LABELS, ...RELEASE }),
    spec: {
      jobName: `${NAME}-probe`,
      interval: '60s',
      module: 'mtls',
      // resolved by Prometheus, from its own namespace: the Service's full name
      prober: { url: `${NAME}.${NAMESPACE}.svc:10087`, path: '/probe' },
      targets: { staticConfig: { static: ['audit-gw.dify.svc.cluster.local:5044'] } },
    },
  };
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: meta(NAME, { ...LABELS, ...RELEASE }),
    spec: { groups },
  };
  const dashboardMaps = [...dashboards].map(([file, json]) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(`${NAME}-dashboard-${file.replace(/\.json$/, '').replace(/[^a-z0-9-]/g, '-')}`, {
      ...LABELS,
      grafana_dashboard: '1',
    }),
    data: { [file]: json },
  }));
  return new Map<string, object[]>([
    ['deployment.yaml', [config, deployment, service]],
    ['als-receiver.yaml', [alsConfigMap, alsDeployment, alsService]],
    ['monitors.yaml', [monitor, probe]],
    ['prometheusrule.yaml', [rule]],
    ['dashboards.yaml', dashboardMaps],
  ]);
}
