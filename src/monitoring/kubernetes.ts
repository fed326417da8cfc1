// The Kubernetes kit under deploy/kubernetes/, as kustomize bases, components and overlays,
// generated like the rules and the board so they never drift (docs/kubernetes.md is its guide):
//
//   base/                        the monitoring part, applied once: the PodMonitor that scrapes
//                                every exporter pod under the job the rules select, the
//                                PrometheusRule, the board as a ConfigMap for Grafana's sidecar
//   components/envoy-sidecar/    adds the exporter to your Envoy Deployments (label
//                                tls-sli-exporter.io/sidecar: envoy): a log volume shared with
//                                the container named `envoy`, rotated by the exporter through
//                                Envoy's admin so it cannot fill
//   components/istio-listener-log/ the EnvoyFilter that adds the unfiltered inbound listener log
//                                to istio-proxy (Istio's own providers untouched) and the exporter
//                                reading it (label tls-sli-exporter.io/sidecar: istio)
//   overlays/envoy-sidecar/      an Envoy ingress with the component (its envoy.yaml included)
//   overlays/istio/              a workload with the component
//   overlays/als-receiver/       two replicas receiving Envoy's gRPC access logs
//   overlays/prober/             the standalone prober: /probe, the Probe object, certificate files
//
// Inputs are kustomize's: `namespace:`, `images:`, a configMapGenerator with `behavior: replace`
// for a config, patches for the Probe's targets; nothing generated is edited by hand.
import { stringify } from 'yaml';
import {
  alsReceiverConfig,
  ENVOY_ADMIN,
  ENVOY_LOG_DIR,
  envoySidecarConfig,
  ISTIO_LOG_DIR,
  istioSidecarConfig,
  proberConfig,
} from './kube-configs.js';
import {
  ALS_PORT,
  configVolume,
  exporterContainer,
  IMAGE,
  JOB_LABEL,
  labels,
  meta,
  METRICS_PORT,
  METRICS_PORT_NAME,
  MONITORING_NAMESPACE,
  NAME,
  podMonitorLabels,
  RELEASE,
  restricted,
  SIDECAR_LABEL,
  SIDECAR_RESOURCES,
} from './kube-exporter.js';
import { fileAccessLog, httpLogFormat, listenerLogFormat, LOG_VOLUME_SIZE } from './kube-logs.js';
import type { RuleGroup } from './rules.js';

const EXAMPLE_NAMESPACE = 'dify';
const LOG_VOLUME = 'tls-sli-logs';
const STATE_VOLUME = 'tls-sli-state';
/** the state volume: the positions file lives exactly as long as the logs it points into */
const stateVolume = { name: STATE_VOLUME, emptyDir: { sizeLimit: '1Mi' } };
const stateMount = { name: STATE_VOLUME, mountPath: '/var/lib/tls-sli-exporter' };
/** the logs shared with the proxy: each live and rotated once, twice over (kube-logs.ts) */
const logVolume = { name: LOG_VOLUME, emptyDir: { sizeLimit: LOG_VOLUME_SIZE } };

/** The name the rules' job selector asks for. */
export interface KitOptions {
  readonly job: string;
  readonly probeJob: string;
  readonly groups: readonly RuleGroup[];
  readonly dashboards: ReadonlyMap<string, string>;
  /** the rules and board in another language, for its component (components/zh-CN/) */
  readonly translated?: {
    readonly lang: string;
    readonly groups: readonly RuleGroup[];
    readonly dashboards: ReadonlyMap<string, string>;
  };
}

type Doc = object;
/** path under deploy/kubernetes/ -> documents, or the text of a file kustomize reads as it is */
export type Kit = Map<string, Doc[] | string>;

const configMapGenerator = (name: string): object => ({
  name,
  files: ['config.yml'],
  options: { labels: labels('config') },
});

/** An overlay's or the base's kustomization.yaml: the kit's own namespace, then its fields. */
const kustomization = (namespace: string, fields: object): object => ({
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
  namespace,
  ...fields,
});

/** where a site's overlay points the image at its registry (kustomize's `images:`) */
const IMAGES = [{ name: NAME, newTag: IMAGE.split(':')[1] }];

function ruleObject(groups: readonly RuleGroup[]): object {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: meta(NAME, { ...labels('monitoring'), ...RELEASE }),
    spec: { groups },
  };
}

/**
 * One ConfigMap per board, labelled for Grafana's sidecar to provision; `namespace` for a
 * component's, which take none from the base they patch.
 */
function boardMaps(dashboards: ReadonlyMap<string, string>, namespace?: string): object[] {
  return [...dashboards].map(([file, json]) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      ...meta(
        `${NAME}-dashboard-${file
          .replace(/\.json$/, '')
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '-')}`,
        { ...labels('monitoring'), grafana_dashboard: '1' },
      ),
      ...(namespace === undefined ? {} : { namespace }),
    },
    data: { [file]: json },
  }));
}

/**
 * A component for the base in another language: the PrometheusRule's groups replaced by the
 * translated ones (same expressions, alert names and labels: only the texts and runbook links
 * differ), and the translated board beside the English one (a uid of its own).
 */
function languageComponent(o: KitOptions): Kit {
  const t = o.translated;
  if (t === undefined) return new Map();
  const dir = `components/${t.lang}`;
  return new Map<string, Doc[] | string>([
    [
      `${dir}/kustomization.yaml`,
      [
        {
          apiVersion: 'kustomize.config.k8s.io/v1alpha1',
          kind: 'Component',
          resources: ['dashboards.yaml'],
          patches: [{ path: 'prometheusrule.yaml' }],
        },
      ],
    ],
    [`${dir}/prometheusrule.yaml`, [ruleObject(t.groups)]],
    [`${dir}/dashboards.yaml`, boardMaps(t.dashboards, MONITORING_NAMESPACE)],
  ]);
}

function base(o: KitOptions): Kit {
  const podMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: meta(NAME, { ...labels('monitoring'), ...RELEASE }),
    spec: {
      // every exporter pod of the kit, in any namespace: sidecars live beside their workloads
      namespaceSelector: { any: true },
      selector: { matchLabels: { [JOB_LABEL]: o.job } },
      // the job is the label's value: the job the rules select, for every kind of pod
      jobLabel: JOB_LABEL,
      podMetricsEndpoints: [{ port: METRICS_PORT_NAME, path: '/metrics', interval: '30s' }],
    },
  };
  const rule = ruleObject(o.groups);
  const boards = boardMaps(o.dashboards);
  return new Map<string, Doc[] | string>([
    [
      'base/kustomization.yaml',
      [
        kustomization(MONITORING_NAMESPACE, {
          resources: ['podmonitor.yaml', 'prometheusrule.yaml', 'dashboards.yaml'],
        }),
      ],
    ],
    ['base/podmonitor.yaml', [podMonitor]],
    ['base/prometheusrule.yaml', [rule]],
    ['base/dashboards.yaml', boards],
  ]);
}

/**
 * A component whose strategic-merge patch adds the exporter to every Deployment labelled
 * `tls-sli-exporter.io/sidecar: <kind>`: the exporter reads (and rotates, so read-write) the logs
 * on a volume it shares with the proxy at `logDir`, its positions on a volume of their own.
 */
function sidecarComponent(
  kind: 'envoy' | 'istio',
  o: KitOptions,
  pod: { logDir: string; annotations?: object; proxyContainers?: object[] },
  config: string,
  extra: { resources?: string[]; files?: Map<string, Doc[]> } = {},
): Kit {
  const dir = kind === 'envoy' ? 'components/envoy-sidecar' : 'components/istio-listener-log';
  const configMap = `${NAME}-${kind}-sidecar`;
  const exporter = exporterContainer({
    configMap,
    resources: SIDECAR_RESOURCES,
    volumeMounts: [{ name: LOG_VOLUME, mountPath: pod.logDir }, stateMount],
  });
  const patch = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'any' }, // the target selector below picks the Deployments
    spec: {
      template: {
        metadata: {
          labels: { ...podMonitorLabels(o.job), [SIDECAR_LABEL]: kind },
          ...(pod.annotations ? { annotations: pod.annotations } : {}),
        },
        spec: {
          containers: [...(pod.proxyContainers ?? []), exporter],
          volumes: [logVolume, stateVolume, configVolume(configMap)],
        },
      },
    },
  };
  const component = {
    apiVersion: 'kustomize.config.k8s.io/v1alpha1',
    kind: 'Component',
    ...(extra.resources ? { resources: extra.resources } : {}),
    configMapGenerator: [configMapGenerator(configMap)],
    patches: [
      {
        path: 'sidecar.yaml',
        target: { kind: 'Deployment', labelSelector: `${SIDECAR_LABEL}=${kind}` },
      },
    ],
  };
  return new Map<string, Doc[] | string>([
    [`${dir}/kustomization.yaml`, [component]],
    [`${dir}/sidecar.yaml`, [patch]],
    [`${dir}/config.yml`, config],
    ...(extra.files ?? new Map<string, Doc[]>()),
  ]);
}

function envoySidecar(o: KitOptions): Kit {
  return sidecarComponent(
    'envoy',
    o,
    {
      logDir: ENVOY_LOG_DIR,
      // your Envoy container: it writes its logs to the shared volume
      proxyContainers: [
        { name: 'envoy', volumeMounts: [{ name: LOG_VOLUME, mountPath: ENVOY_LOG_DIR }] },
      ],
    },
    envoySidecarConfig(),
  );
}

/**
 * The EnvoyFilter: istio-proxy's inbound listener (virtualInbound) gets one more access log, every
 * connection unfiltered, in the listener preset's format; MERGE appends it to the listener's own
 * logs, so Istio's providers (the mesh's `envoy` stdout log, Telemetry) are kept as they are.
 */
function istioEnvoyFilter(job: string): object {
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: meta(`${NAME}-listener-log`, labels('istio')),
    spec: {
      workloadSelector: { labels: { [SIDECAR_LABEL]: 'istio', ...podMonitorLabels(job) } },
      configPatches: [
        {
          applyTo: 'LISTENER',
          match: { context: 'SIDECAR_INBOUND', listener: { name: 'virtualInbound' } },
          patch: {
            operation: 'MERGE',
            value: {
              access_log: [
                fileAccessLog(`${ISTIO_LOG_DIR}/listener.log`, listenerLogFormat(false)),
              ],
            },
          },
        },
      ],
    },
  };
}

function istioSidecar(o: KitOptions): Kit {
  return sidecarComponent(
    'istio',
    o,
    {
      annotations: {
        // istio-proxy is injected at admission: the shared volume reaches it through Istio's annotation
        'sidecar.istio.io/userVolumeMount': JSON.stringify([
          { name: LOG_VOLUME, mountPath: ISTIO_LOG_DIR },
        ]),
        // Prometheus scrapes the exporter directly, not through the mesh's mTLS
        'traffic.sidecar.istio.io/excludeInboundPorts': String(METRICS_PORT),
      },
      logDir: ISTIO_LOG_DIR,
    },
    istioSidecarConfig(),
    {
      resources: ['envoyfilter.yaml'],
      files: new Map([
        ['components/istio-listener-log/envoyfilter.yaml', [istioEnvoyFilter(o.job)]],
      ]),
    },
  );
}

/** Envoy's config for the example ingress: mTLS in, both logs of docs/envoy.md, admin on loopback. */
function envoyExampleConfig(): object {
  const certs = '/etc/envoy/certs';
  return {
    admin: {
      address: { socket_address: { address: ENVOY_ADMIN.address, port_value: ENVOY_ADMIN.port } },
    },
    static_resources: {
      listeners: [
        {
          name: 'https_in',
          address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
          listener_filters: [
            {
              name: 'envoy.filters.listener.tls_inspector',
              typed_config: {
                '@type':
                  'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector',
              },
            },
          ],
          access_log: [fileAccessLog(`${ENVOY_LOG_DIR}/listener.log`, listenerLogFormat(true))],
          filter_chains: [
            {
              name: 'mtls',
              transport_socket_connect_timeout: '10s',
              transport_socket: {
                name: 'envoy.transport_sockets.tls',
                typed_config: {
                  '@type':
                    'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
                  require_client_certificate: true,
                  common_tls_context: {
                    tls_certificates: [
                      {
                        certificate_chain: { filename: `${certs}/tls.crt` },
                        private_key: { filename: `${certs}/tls.key` },
                      },
                    ],
                    validation_context: { trusted_ca: { filename: `${certs}/ca.crt` } },
                  },
                },
              },
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typed_config: {
                    '@type':
                      'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                    stat_prefix: 'ingress',
                    access_log: [fileAccessLog(`${ENVOY_LOG_DIR}/http.log`, httpLogFormat())],
                    route_config: {
                      virtual_hosts: [
                        {
                          name: 'backend',
                          domains: ['*'],
                          routes: [{ match: { prefix: '/' }, route: { cluster: 'backend' } }],
                        },
                      ],
                    },
                    http_filters: [
                      {
                        name: 'envoy.filters.http.router',
                        typed_config: {
                          '@type':
                            'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
                        },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        {
          // your service behind the ingress (a Service named backend in the same namespace)
          name: 'backend',
          type: 'STRICT_DNS',
          connect_timeout: '5s',
          load_assignment: {
            cluster_name: 'backend',
            endpoints: [
              {
                lb_endpoints: [
                  {
                    endpoint: {
                      address: { socket_address: { address: 'backend', port_value: 8443 } },
                    },
                  },
                ],
              },
            ],
          },
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: {
              '@type':
                'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
              common_tls_context: {
                tls_certificates: [
                  {
                    certificate_chain: { filename: `${certs}/tls.crt` },
                    private_key: { filename: `${certs}/tls.key` },
                  },
                ],
                validation_context: { trusted_ca: { filename: `${certs}/ca.crt` } },
              },
            },
          },
        },
      ],
    },
  };
}

const ENVOY_LABELS = { 'app.kubernetes.io/name': 'envoy-ingress' };

function envoyOverlay(): Kit {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('envoy-ingress', { ...ENVOY_LABELS, [SIDECAR_LABEL]: 'envoy' }),
    spec: {
      replicas: 2,
      selector: { matchLabels: ENVOY_LABELS },
      template: {
        metadata: { labels: ENVOY_LABELS },
        spec: {
          securityContext: { runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
          containers: [
            {
              name: 'envoy',
              image: 'envoyproxy/envoy:v1.37-latest',
              args: ['-c', '/etc/envoy/envoy.yaml', '--file-flush-interval-msec', '1000'],
              ports: [{ name: 'https', containerPort: 8443 }],
              securityContext: restricted,
              volumeMounts: [
                { name: 'envoy-config', mountPath: '/etc/envoy', readOnly: true },
                { name: 'envoy-certs', mountPath: '/etc/envoy/certs', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'envoy-config', configMap: { name: 'envoy-ingress' } },
            // kubectl create secret generic envoy-ingress-tls --from-file=tls.crt --from-file=tls.key --from-file=ca.crt
            { name: 'envoy-certs', secret: { secretName: 'envoy-ingress-tls' } },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('envoy-ingress', ENVOY_LABELS),
    spec: { selector: ENVOY_LABELS, ports: [{ name: 'https', port: 8443, targetPort: 'https' }] },
  };
  return new Map<string, Doc[] | string>([
    [
      'overlays/envoy-sidecar/kustomization.yaml',
      [
        kustomization(EXAMPLE_NAMESPACE, {
          resources: ['envoy-ingress.yaml'],
          components: ['../../components/envoy-sidecar'],
          configMapGenerator: [
            { name: 'envoy-ingress', files: ['envoy.yaml'], options: { labels: ENVOY_LABELS } },
          ],
          images: IMAGES,
        }),
      ],
    ],
    ['overlays/envoy-sidecar/envoy-ingress.yaml', [deployment, service]],
    ['overlays/envoy-sidecar/envoy.yaml', [envoyExampleConfig()]],
  ]);
}

function istioOverlay(): Kit {
  const app = { 'app.kubernetes.io/name': 'audit-gateway' };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('audit-gateway', { ...app, [SIDECAR_LABEL]: 'istio' }),
    spec: {
      replicas: 2,
      selector: { matchLabels: app },
      template: {
        metadata: { labels: app },
        spec: {
          containers: [
            {
              name: 'audit-gateway',
              // your workload: any Deployment in a namespace with Istio's sidecar injection
              image: 'registry.example/audit-gateway:1.0',
              ports: [{ name: 'https', containerPort: 5044 }],
              securityContext: restricted,
            },
          ],
        },
      },
    },
  };
  return new Map<string, Doc[] | string>([
    [
      'overlays/istio/kustomization.yaml',
      [
        kustomization(EXAMPLE_NAMESPACE, {
          resources: ['audit-gateway.yaml'],
          components: ['../../components/istio-listener-log'],
          images: IMAGES,
        }),
      ],
    ],
    ['overlays/istio/audit-gateway.yaml', [deployment]],
  ]);
}

/** A Deployment of the exporter on its own, with a Service, from a generated config. */
function standalone(
  name: string,
  component: string,
  o: KitOptions,
  options: {
    replicas: number;
    ports: object[];
    servicePorts: object[];
    resources: object;
    volumeMounts?: object[];
    volumes?: object[];
  },
): Doc[] {
  const own = labels(component);
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name, own),
      spec: {
        replicas: options.replicas,
        selector: { matchLabels: own },
        template: {
          metadata: { labels: { ...own, ...podMonitorLabels(o.job) } },
          spec: {
            containers: [
              exporterContainer({
                configMap: name,
                ports: options.ports,
                resources: options.resources,
                ...(options.volumeMounts ? { volumeMounts: options.volumeMounts } : {}),
              }),
            ],
            volumes: [configVolume(name), ...(options.volumes ?? [])],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name, own),
      spec: {
        selector: own,
        ports: [
          ...options.servicePorts,
          { name: 'metrics', port: METRICS_PORT, targetPort: METRICS_PORT_NAME },
        ],
      },
    },
  ];
}

const ALS_NAME = `${NAME}-als`;
const PROBER_NAME = `${NAME}-prober`;

function alsOverlay(o: KitOptions): Kit {
  return new Map<string, Doc[] | string>([
    [
      'overlays/als-receiver/kustomization.yaml',
      [
        kustomization(MONITORING_NAMESPACE, {
          resources: ['als-receiver.yaml'],
          configMapGenerator: [configMapGenerator(ALS_NAME)],
          images: IMAGES,
        }),
      ],
    ],
    [
      'overlays/als-receiver/als-receiver.yaml',
      standalone(ALS_NAME, 'als-receiver', o, {
        replicas: 2,
        ports: [{ name: 'als', containerPort: ALS_PORT }],
        servicePorts: [{ name: 'als', port: ALS_PORT, targetPort: 'als', appProtocol: 'grpc' }],
        // docs/performance.md, gRPC access logs: 86-87 MiB peak at full speed
        resources: { requests: { cpu: '100m', memory: '96Mi' }, limits: { memory: '192Mi' } },
      }),
    ],
    ['overlays/als-receiver/config.yml', alsReceiverConfig()],
  ]);
}

/** Prometheus resolves the prober from its own namespace: the Service's full name. */
const proberUrl = (namespace: string): string => `${PROBER_NAME}.${namespace}.svc:${METRICS_PORT}`;

/** Keeps the Probe's prober URL on the Service's namespace when an overlay changes it. */
const PROBER_URL_REPLACEMENT = {
  source: { kind: 'Service', name: PROBER_NAME, fieldPath: 'metadata.namespace' },
  targets: [
    {
      select: { kind: 'Probe', name: PROBER_NAME },
      fieldPaths: ['spec.prober.url'],
      options: { delimiter: '.', index: 1 },
    },
  ],
};

function proberOverlay(o: KitOptions): Kit {
  const probe = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Probe',
    metadata: meta(PROBER_NAME, { ...labels('prober'), ...RELEASE }),
    spec: {
      jobName: o.probeJob,
      interval: '60s',
      module: 'mtls',
      prober: { url: proberUrl(MONITORING_NAMESPACE), path: '/probe' },
      // your endpoints: patch this list from your overlay (docs/kubernetes.md)
      targets: { staticConfig: { static: ['audit-gw.dify.svc.cluster.local:5044'] } },
    },
  };
  return new Map<string, Doc[] | string>([
    [
      'overlays/prober/kustomization.yaml',
      [
        kustomization(MONITORING_NAMESPACE, {
          resources: ['prober.yaml', 'probe.yaml'],
          configMapGenerator: [configMapGenerator(PROBER_NAME)],
          images: IMAGES,
          replacements: [PROBER_URL_REPLACEMENT],
        }),
      ],
    ],
    [
      'overlays/prober/prober.yaml',
      standalone(PROBER_NAME, 'prober', o, {
        replicas: 1,
        ports: [],
        servicePorts: [],
        // docs/performance.md: 150-190 MiB peak serving /probe at concurrency 10
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        volumeMounts: [
          { name: 'pki', mountPath: '/etc/tls-sli-exporter/pki', readOnly: true },
          { name: 'watched', mountPath: '/etc/tls-sli-exporter/watched', readOnly: true },
        ],
        volumes: [
          // kubectl create secret generic tls-sli-exporter-client-tls --from-file=ca.crt --from-file=tls.crt --from-file=tls.key
          { name: 'pki', secret: { secretName: `${NAME}-client-tls` } },
          { name: 'watched', secret: { secretName: `${NAME}-watched-certs`, optional: true } },
        ],
      }),
    ],
    ['overlays/prober/probe.yaml', [probe]],
    ['overlays/prober/config.yml', proberConfig()],
  ]);
}

/** Every file of the kit, keyed by its path under deploy/kubernetes/. */
export function kubernetesKit(o: KitOptions): Kit {
  return new Map([
    ...base(o),
    ...languageComponent(o),
    ...envoySidecar(o),
    ...istioSidecar(o),
    ...envoyOverlay(),
    ...istioOverlay(),
    ...alsOverlay(o),
    ...proberOverlay(o),
  ]);
}

/** A file of the kit as written: YAML documents, or a config file's text, under the marker. */
export function kitFileText(content: Doc[] | string, marker: string): string {
  if (typeof content === 'string') return `# ${marker}\n${content}`;
  return `# ${marker}\n${content.map((d) => stringify(d, { lineWidth: 0 })).join('---\n')}`;
}
