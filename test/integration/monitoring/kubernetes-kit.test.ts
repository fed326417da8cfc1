// The Kubernetes kit as users deploy it: every base and overlay under deploy/kubernetes/ rendered
// by the real `kubectl kustomize`, every object validated against its published schema
// (kubernetes-models, @kubernetes-models/prometheus-operator, @kubernetes-models/istio), and what
// the objects say to each other checked: the configs they mount are valid exporter configs whose
// files lie on the volumes mounted, the log Envoy (or istio-proxy) writes is the one the exporter
// reads in the format it reads, one PodMonitor scrapes every exporter pod under the rules' job, no
// port of ours is in Istio's reserved range. A site's own overlay on top (namespace, image, config,
// Probe targets) is rendered too: the inputs are kustomize's, never edits of generated files.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- assertions over untyped Kubernetes documents */
import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { KIT, kustomize, type Doc } from '../../support/kustomize.js';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import {
  PodMonitor,
  Probe,
  PrometheusRule,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { EnvoyFilter } from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import { parseConfigText } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { parseByteSize } from '../../../src/config/byte-size.js';
import {
  HTTP_JSON_FIELDS,
  LISTENER_JSON_FIELDS,
  LISTENER_TIMING_FIELDS,
} from '../../../src/accesslog/parse/presets.js';
import { DEFAULT_OPTIONS, jobName, probeJobName } from '../../../src/monitoring/options.js';
import { ruleGroups } from '../../../src/monitoring/rules.js';
import { isAllowed } from '../../../src/probe/probe-endpoint.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SITE = fileURLToPath(new URL('../../fixtures/kustomize/site/', import.meta.url));
/** a site's base with the kit's Chinese component, as docs/kubernetes.zh-CN.md shows it */
const ZH_CN = fileURLToPath(new URL('../../fixtures/kustomize/zh-CN/', import.meta.url));
const OVERLAYS = [
  'base',
  'overlays/envoy-sidecar',
  'overlays/istio',
  'overlays/als-receiver',
  'overlays/prober',
];

const rendered = new Map<string, Doc[]>();
const docsOf = (overlay: string): Doc[] => {
  const docs = rendered.get(overlay);
  assert.ok(docs, `${overlay} was not rendered`);
  return docs;
};
const ofKind = (docs: Doc[], kind: string): Doc[] => docs.filter((d) => d['kind'] === kind);
const one = (docs: Doc[], kind: string, name?: string): Doc => {
  const found = ofKind(docs, kind).filter((d) => name === undefined || d['metadata'].name === name);
  assert.equal(found.length, 1, `one ${kind}${name ? ` ${name}` : ''}`);
  return found[0] as Doc;
};

/** The exporter's containers in the rendered Deployments, with their pod. */
function exporterPods(
  docs: Doc[],
): Array<{ deployment: Doc; pod: Doc; container: Doc; config: Config }> {
  return ofKind(docs, 'Deployment').flatMap((deployment) => {
    const pod = deployment['spec'].template.spec;
    const container = pod.containers.find((c: Doc) => c['name'] === 'tls-sli-exporter');
    if (!container) return [];
    const mount = container.volumeMounts.find(
      (m: Doc) => m['mountPath'] === '/etc/tls-sli-exporter',
    );
    const volume = pod.volumes.find((v: Doc) => v['name'] === mount.name);
    const map = one(docs, 'ConfigMap', volume.configMap.name);
    const config = parseConfigText(map['data']['config.yml'], `${map['metadata'].name}/config.yml`);
    return [{ deployment, pod, container, config }];
  });
}

/** The volume mounted at the longest mount path that holds `path`, in `container`. */
function mountOf(container: Doc, path: string): Doc | undefined {
  return container.volumeMounts
    .filter((m: Doc) => path === m['mountPath'] || path.startsWith(`${m['mountPath']}/`))
    .sort((a: Doc, b: Doc) => b['mountPath'].length - a['mountPath'].length)[0];
}

const operatorsOf = (...maps: Array<Readonly<Record<string, string>>>): Record<string, string> =>
  Object.fromEntries(maps.flatMap((m) => Object.entries(m).map(([op, key]) => [key, `%${op}%`])));

/** a json_format's keys but the log_type marker, which no preset reads */
const withoutLogType = (format: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(format).filter(([key]) => key !== 'log_type'));

describe('the Kubernetes kit (kubectl kustomize)', function () {
  this.timeout(60_000);

  before(() => {
    for (const overlay of OVERLAYS) rendered.set(overlay, kustomize(`${KIT}${overlay}`));
    rendered.set('site', kustomize(SITE));
    rendered.set('zh-CN', kustomize(ZH_CN));
  });

  it('every object of every overlay validates against its published schema', () => {
    const models: Record<string, new (d: any) => { validate(): void }> = {
      Deployment,
      Service,
      ConfigMap,
      PodMonitor,
      Probe,
      PrometheusRule,
      EnvoyFilter,
    };
    for (const [overlay, docs] of rendered) {
      assert.ok(docs.length > 0, overlay);
      for (const doc of docs) {
        const Model = models[doc['kind']];
        assert.ok(Model, `${overlay}: no schema for ${doc['kind']}`);
        assert.doesNotThrow(
          () => new Model(doc).validate(),
          `${overlay}: ${doc['kind']} ${doc['metadata'].name}`,
        );
        assert.ok(doc['metadata'].namespace, `${overlay}: ${doc['kind']} has a namespace`);
      }
    }
  });

  it('base: the generated rule groups, the board for Grafana, one PodMonitor for every exporter pod under the job the rules select', async () => {
    const docs = docsOf('base');
    const rule = one(docs, 'PrometheusRule');
    const shipped = parse(await readFile(`${ROOT}alerts/tls-sli.rules.yml`, 'utf8')) as {
      groups: unknown;
    };
    assert.deepEqual(rule['spec'].groups, shipped.groups);
    assert.deepEqual(
      JSON.parse(JSON.stringify(rule['spec'].groups)),
      JSON.parse(JSON.stringify(ruleGroups(DEFAULT_OPTIONS))),
    );
    const board = one(docs, 'ConfigMap');
    assert.equal(board['metadata'].labels.grafana_dashboard, '1');
    assert.equal(
      board['data']['tls-sli.json'],
      await readFile(`${ROOT}dashboards/tls-sli.json`, 'utf8'),
    );
    const monitor = one(docs, 'PodMonitor')['spec'];
    for (const d of [rule, one(docs, 'PodMonitor')])
      assert.equal(d['metadata'].labels.release, 'kube-prometheus-stack');
    assert.deepEqual(monitor.namespaceSelector, { any: true });
    // every pod of every overlay that runs the exporter is selected, its job is the rules' job
    for (const overlay of OVERLAYS.slice(1)) {
      const pods = exporterPods(docsOf(overlay));
      assert.ok(pods.length > 0, `${overlay} runs the exporter`);
      for (const { deployment, pod, container } of pods) {
        const podLabels = deployment['spec'].template.metadata.labels;
        for (const [k, v] of Object.entries(monitor.selector.matchLabels as Record<string, string>))
          assert.equal(podLabels[k], v, `${overlay}: selected by the PodMonitor`);
        assert.equal(podLabels[monitor.jobLabel], jobName(DEFAULT_OPTIONS), `${overlay}: job`);
        const port = container.ports.find(
          (p: Doc) => p['name'] === monitor.podMetricsEndpoints[0].port,
        );
        assert.equal(port?.containerPort, 10087, `${overlay}: the metrics port`);
        // no other container of the pod uses the port's name
        const names = pod.containers.flatMap((c: Doc) =>
          (c['ports'] ?? []).map((p: Doc) => p['name']),
        );
        assert.equal(names.filter((n: string) => n === port.name).length, 1);
      }
    }
  });

  it('the zh-CN component: the Chinese rules in place of the English (same alerts, expressions and labels), the Chinese board beside the English', async () => {
    const docs = docsOf('zh-CN');
    const rule = one(docs, 'PrometheusRule');
    const shipped = parse(await readFile(`${ROOT}alerts/tls-sli.rules.zh-CN.yml`, 'utf8')) as {
      groups: Array<{ rules: Array<Record<string, unknown>> }>;
    };
    assert.deepEqual(rule['spec'].groups, shipped.groups);
    const english = one(docsOf('base'), 'PrometheusRule')['spec'].groups as typeof shipped.groups;
    const skeleton = (groups: typeof shipped.groups): unknown =>
      groups.map((g) => g.rules.map(({ annotations: _texts, ...rest }) => rest));
    assert.deepEqual(skeleton(rule['spec'].groups), skeleton(english));
    const boards = ofKind(docs, 'ConfigMap');
    assert.deepEqual(boards.map((b) => Object.keys(b['data'])).sort(), [
      ['tls-sli.json'],
      ['tls-sli.zh-CN.json'],
    ]);
    for (const b of boards) {
      assert.equal(b['metadata'].namespace, 'monitoring');
      assert.equal(b['metadata'].labels.grafana_dashboard, '1');
    }
    const zh = boards.find((b) => b['data']['tls-sli.zh-CN.json']);
    assert.equal(
      zh?.['data']['tls-sli.zh-CN.json'],
      await readFile(`${ROOT}dashboards/tls-sli.zh-CN.json`, 'utf8'),
    );
  });

  it('every exporter container is locked down, its config valid, every file it names on a volume it mounts; logs it rotates on a writable, bounded volume', () => {
    for (const overlay of OVERLAYS.slice(1)) {
      for (const { pod, container, config } of exporterPods(docsOf(overlay))) {
        const sc = container.securityContext;
        assert.deepEqual(sc.capabilities, { drop: ['ALL'] });
        assert.equal(sc.readOnlyRootFilesystem, true);
        assert.equal(sc.runAsNonRoot, true);
        assert.equal(sc.runAsUser, 10001, 'the image user');
        assert.equal(container.livenessProbe.httpGet.path, '/-/healthy');
        assert.equal(container.readinessProbe.httpGet.path, '/-/ready');
        const files = [
          ...(config.positions_file ? [config.positions_file] : []),
          ...config.access_logs.map((l) => l.path),
          ...Object.values(config.probes.modules).flatMap((m) =>
            [m.ca_file, m.client_cert_file, m.client_key_file].filter(
              (f): f is string => f !== undefined,
            ),
          ),
          ...config.cert_files.flatMap((c) => c.paths),
        ];
        for (const file of files) {
          const mount = mountOf(container, file);
          assert.ok(mount, `${overlay}: ${file} is on no volume of the exporter`);
          assert.ok(
            pod.volumes.some((v: Doc) => v['name'] === mount.name),
            `${overlay}: volume ${mount.name}`,
          );
        }
        if (config.positions_file)
          assert.notEqual(
            mountOf(container, config.positions_file)?.readOnly,
            true,
            'positions writable',
          );
        for (const log of config.access_logs) {
          const mount = mountOf(container, log.path) as Doc;
          const volume = pod.volumes.find((v: Doc) => v['name'] === mount.name);
          assert.ok(
            log.rotate,
            `${overlay}: ${log.name} is rotated: nothing else bounds a shared log`,
          );
          assert.notEqual(mount.readOnly, true, `${overlay}: the exporter renames ${log.path}`);
          const logs = config.access_logs.filter(
            (l) => mountOf(container, l.path)?.name === mount.name,
          );
          const needed = logs.reduce((sum, l) => sum + 2 * (l.rotate?.max_size ?? 0), 0);
          assert.ok(
            (parseByteSize(volume.emptyDir.sizeLimit) ?? 0) >= needed * 1.25,
            `${overlay}: ${volume.emptyDir.sizeLimit} holds each log live and rotated, with room`,
          );
        }
      }
    }
  });

  it("Envoy sidecar: the Envoy config writes the logs the exporter reads, in the presets' formats, on the shared volume; the exporter asks that Envoy's admin to reopen", () => {
    const docs = docsOf('overlays/envoy-sidecar');
    const [{ pod, container, config }] = exporterPods(docs) as [
      ReturnType<typeof exporterPods>[number],
    ];
    const envoyContainer = pod.containers.find((c: Doc) => c['name'] === 'envoy');
    const envoyVolume = pod.volumes.find(
      (v: Doc) => v['name'] === mountOf(envoyContainer, '/etc/envoy/envoy.yaml')?.name,
    );
    const envoy = parse(one(docs, 'ConfigMap', envoyVolume.configMap.name)['data']['envoy.yaml']);
    const listener = envoy.static_resources.listeners[0];
    const listenerLog = listener.access_log[0].typed_config;
    const hcm = listener.filter_chains[0].filters[0].typed_config;
    const httpLog = hcm.access_log[0].typed_config;
    assert.equal(listener.access_log[0].filter, undefined, 'the listener log must not be filtered');
    const listenerKeys = withoutLogType(listenerLog.log_format.json_format);
    assert.deepEqual(listenerKeys, operatorsOf(LISTENER_JSON_FIELDS, LISTENER_TIMING_FIELDS));
    const httpKeys = withoutLogType(httpLog.log_format.json_format);
    assert.deepEqual(httpKeys, operatorsOf(HTTP_JSON_FIELDS));
    const byPath = new Map(config.access_logs.map((l) => [l.path, l]));
    assert.equal(byPath.get(listenerLog.path)?.format, 'envoy_listener_json');
    assert.equal(byPath.get(httpLog.path)?.format, 'envoy_http_json');
    assert.deepEqual(
      byPath.get(httpLog.path)?.directions,
      ['upstream'],
      'no success counted twice',
    );
    for (const path of [listenerLog.path, httpLog.path])
      assert.equal(
        mountOf(envoyContainer, path)?.name,
        mountOf(container, path)?.name,
        `${path}: one volume`,
      );
    const admin = envoy.admin.address.socket_address;
    for (const log of config.access_logs)
      assert.equal(
        log.rotate?.reopen_url,
        `http://${admin.address}:${admin.port_value}/reopen_logs`,
      );
    assert.equal(config.envoy_admin[0]?.url, `http://${admin.address}:${admin.port_value}`);
    assert.equal(
      listener.filter_chains[0].transport_socket.typed_config.require_client_certificate,
      true,
    );
  });

  it("Istio: the EnvoyFilter adds an unfiltered inbound listener log in the listener preset's format, on a volume istio-proxy mounts and the exporter reads and rotates; the mesh's providers are left alone", () => {
    const docs = docsOf('overlays/istio');
    const [{ deployment, pod, container, config }] = exporterPods(docs) as [
      ReturnType<typeof exporterPods>[number],
    ];
    const filter = one(docs, 'EnvoyFilter')['spec'];
    assert.deepEqual(ofKind(docs, 'Telemetry'), [], "no Telemetry: the providers stay the mesh's");
    const [patch] = filter.configPatches;
    assert.equal(
      patch.patch.operation,
      'MERGE',
      "appended to the listener's own logs, none replaced",
    );
    assert.deepEqual(patch.match, {
      context: 'SIDECAR_INBOUND',
      listener: { name: 'virtualInbound' },
    });
    const [log] = patch.patch.value.access_log;
    assert.equal(log.filter, undefined, 'every connection, successes included');
    const keys = withoutLogType(log.typed_config.log_format.json_format);
    assert.deepEqual(keys, operatorsOf(LISTENER_JSON_FIELDS));
    const [entry] = config.access_logs;
    assert.equal(entry?.path, log.typed_config.path);
    assert.equal(entry?.format, 'envoy_listener_json');
    assert.equal(
      entry?.rotate?.reopen_url,
      'http://127.0.0.1:15000/reopen_logs',
      "istio-proxy's admin",
    );
    const podLabels = deployment['spec'].template.metadata.labels;
    for (const [k, v] of Object.entries(filter.workloadSelector.labels as Record<string, string>))
      assert.equal(podLabels[k], v, `the filter selects the pods: ${k}`);
    const annotations = deployment['spec'].template.metadata.annotations;
    const proxyMounts = JSON.parse(annotations['sidecar.istio.io/userVolumeMount']) as Doc[];
    const exporterMount = mountOf(container, log.typed_config.path) as Doc;
    assert.ok(
      proxyMounts.some(
        (m) =>
          m['name'] === exporterMount.name &&
          log.typed_config.path.startsWith(`${m['mountPath']}/`),
      ),
      'istio-proxy writes where the exporter reads',
    );
    assert.ok(pod.volumes.some((v: Doc) => v['name'] === exporterMount.name));
    assert.equal(
      annotations['traffic.sidecar.istio.io/excludeInboundPorts'],
      '10087',
      'scraped outside the mesh',
    );
  });

  it("the gRPC receivers and the prober: valid configs, Services that expose them, the Probe on the prober's Service and allowed targets", () => {
    const als = docsOf('overlays/als-receiver');
    const [receiver] = exporterPods(als);
    const alsPort = receiver?.config.access_log_services[0]?.listen_address;
    const service = one(als, 'Service', 'tls-sli-exporter-als');
    assert.equal(`:${service['spec'].ports.find((p: Doc) => p['name'] === 'als').port}`, alsPort);
    const prober = docsOf('overlays/prober');
    const probe = one(prober, 'Probe')['spec'];
    const svc = one(prober, 'Service', 'tls-sli-exporter-prober');
    assert.equal(
      probe.prober.url,
      `${svc['metadata'].name}.${svc['metadata'].namespace}.svc:10087`,
    );
    assert.equal(probe.jobName, probeJobName(DEFAULT_OPTIONS), 'the job the rules select');
    const [{ config }] = exporterPods(prober) as [ReturnType<typeof exporterPods>[number]];
    for (const target of probe.targets.staticConfig.static as string[])
      assert.ok(isAllowed(config.probes, probe.module, target), target);
  });

  it("no port of ours is in Istio's reserved 15000-15090", () => {
    for (const [overlay, docs] of rendered) {
      const ports = [
        ...ofKind(docs, 'Deployment').flatMap((d) =>
          d['spec'].template.spec.containers
            .filter((c: Doc) => c['name'] === 'tls-sli-exporter')
            .flatMap((c: Doc) => (c['ports'] ?? []).map((p: Doc) => p['containerPort'])),
        ),
        ...ofKind(docs, 'Service').flatMap((s) => s['spec'].ports.map((p: Doc) => p['port'])),
      ];
      for (const port of ports) assert.ok(port < 15000 || port > 15090, `${overlay}: port ${port}`);
    }
  });

  it('every Service of ours that docs/, the READMEs and deploy/ name (host:port, service + port, backendRefs) is a shipped object with that port', async () => {
    const services = [...rendered]
      .filter(([overlay]) => overlay !== 'site')
      .flatMap(([, docs]) => ofKind(docs, 'Service'));
    const texts: Array<[string, string]> = [];
    for (const file of ['README.md', 'README.zh-CN.md'])
      texts.push([file, await readFile(`${ROOT}${file}`, 'utf8')]);
    for (const dir of ['docs', 'deploy/kubernetes'])
      for (const entry of await readdir(`${ROOT}${dir}`, { recursive: true, withFileTypes: true }))
        if (entry.isFile() && /\.(md|ya?ml)$/.test(entry.name)) {
          const path = `${entry.parentPath}/${entry.name}`;
          texts.push([path.slice(ROOT.length), await readFile(path, 'utf8')]);
        }
    const patterns = [
      // host[:port]: NAME.NAMESPACE.svc[.cluster.local][:PORT]
      /\b(tls-sli-exporter(?:-[a-z0-9]+)*)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?(?::(\d+))?/g,
      // Istio's extension providers: service: HOST, port: PORT
      /service:\s*(tls-sli-exporter(?:-[a-z0-9]+)*)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?,\s*port:\s*(\d+)/g,
      // Gateway API backendRefs: name, namespace, port
      /name:\s*(tls-sli-exporter(?:-[a-z0-9]+)*),\s*namespace:\s*([a-z0-9-]+),\s*port:\s*(\d+)/g,
    ];
    let named = 0;
    for (const [file, text] of texts)
      for (const pattern of patterns)
        for (const [whole, name, namespace, port] of text.matchAll(pattern)) {
          named += 1;
          const service = services.find(
            (svc) => svc['metadata'].name === name && svc['metadata'].namespace === namespace,
          );
          assert.ok(service, `${file}: ${whole}: no Service ${name} in ${namespace} is shipped`);
          if (port !== undefined)
            assert.ok(
              service['spec'].ports.some((p: Doc) => p['port'] === Number(port)),
              `${file}: ${whole}: ${name} has no port ${port}`,
            );
        }
    assert.ok(named >= 8, `only ${named} references found: the patterns no longer read the docs`);
  });

  it("a site's overlay sets namespace, image, config and Probe targets without touching the kit", async () => {
    const docs = docsOf('site');
    for (const d of docs)
      assert.equal(d['metadata'].namespace, 'sre', `${d['kind']} ${d['metadata'].name}`);
    const [{ container, config }] = exporterPods(docs) as [ReturnType<typeof exporterPods>[number]];
    assert.equal(container.image, 'registry.example/sre/tls-sli-exporter:0.1.0-site');
    const own = parseConfigText(await readFile(`${SITE}config.yml`, 'utf8'), 'config.yml');
    assert.deepEqual(config, own, "the site's config replaced the kit's");
    const probe = one(docs, 'Probe')['spec'];
    assert.equal(probe.prober.url, 'tls-sli-exporter-prober.sre.svc:10087');
    assert.deepEqual(probe.targets.staticConfig.static, ['audit.sre.svc.cluster.local:6514']);
    for (const target of probe.targets.staticConfig.static as string[])
      assert.ok(isAllowed(config.probes, probe.module, target), target);
  });
});
