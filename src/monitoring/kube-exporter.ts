// The exporter as the Kubernetes kit runs it: its container (locked down, health on its metrics
// port), the labels every exporter pod carries so one PodMonitor scrapes them all under the job
// the rules select, and the names and ports the kit's objects and docs share.

export const NAME = 'tls-sli-exporter';
/** The image as the manifests name it; kustomize's `images:` points it at your registry. */
export const IMAGE = `${NAME}:0.1.0`;
/** Where the monitoring part and the shared receivers go unless an overlay says otherwise. */
export const MONITORING_NAMESPACE = 'monitoring';
export const METRICS_PORT = 10087;
/** gRPC access logs (docs/envoy.md §10); outside Istio's reserved 15000-15090 */
export const ALS_PORT = 10088;
/** a container port name: at most 15 characters, unique beside the workload's own ports */
export const METRICS_PORT_NAME = 'tls-sli-metrics';

/** Every pod that runs the exporter carries it; the PodMonitor selects on it and takes the job from it. */
export const JOB_LABEL = 'tls-sli-exporter.io/job';
/** Set on a Deployment (and so on its pods) to add the exporter as its sidecar: `envoy` or `istio`. */
export const SIDECAR_LABEL = 'tls-sli-exporter.io/sidecar';
export const RELEASE = { release: 'kube-prometheus-stack' } as const;

export const labels = (component: string): Record<string, string> => ({
  'app.kubernetes.io/name': NAME,
  'app.kubernetes.io/component': component,
});

/** metadata without a namespace: kustomize's `namespace:` sets it */
export const meta = (
  name: string,
  objectLabels: Readonly<Record<string, string>>,
): { name: string; labels: Readonly<Record<string, string>> } => ({ name, labels: objectLabels });

export const restricted = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export interface ContainerOptions {
  /** the ConfigMap (from a configMapGenerator) holding config.yml */
  readonly configMap: string;
  readonly ports?: readonly object[];
  readonly resources: object;
  readonly volumeMounts?: readonly object[];
}

/** The exporter's container: config from /etc/tls-sli-exporter, health on the metrics port. */
export function exporterContainer(o: ContainerOptions): object {
  return {
    name: NAME,
    image: IMAGE,
    args: ['--config.file=/etc/tls-sli-exporter/config.yml', '--log.format=json'],
    ports: [{ name: METRICS_PORT_NAME, containerPort: METRICS_PORT }, ...(o.ports ?? [])],
    securityContext: { ...restricted, runAsUser: 10001, runAsGroup: 10001 },
    resources: o.resources,
    livenessProbe: {
      httpGet: { path: '/-/healthy', port: METRICS_PORT_NAME },
      periodSeconds: 10,
      timeoutSeconds: 3,
    },
    readinessProbe: {
      httpGet: { path: '/-/ready', port: METRICS_PORT_NAME },
      periodSeconds: 5,
    },
    volumeMounts: [
      { name: `${NAME}-config`, mountPath: '/etc/tls-sli-exporter', readOnly: true },
      ...(o.volumeMounts ?? []),
    ],
  };
}

export const configVolume = (configMap: string): object => ({
  name: `${NAME}-config`,
  configMap: { name: configMap },
});

/** The pod template's labels for the PodMonitor: job="tls-sli-exporter", the job the rules select. */
export const podMonitorLabels = (job: string): Record<string, string> => ({ [JOB_LABEL]: job });

/**
 * Sidecar resources, from docs/performance.md (npm run bench): idle 60 MiB; 86-92 MiB peak reading
 * a log at full speed (a restart catching up); 150-190 MiB peak serving /probe at concurrency 10.
 */
export const SIDECAR_RESOURCES = {
  requests: { cpu: '50m', memory: '96Mi' },
  limits: { memory: '256Mi' },
};
