/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- assertions over untyped Kubernetes YAML documents */
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { parseConfigText } from '../../../src/config/load.js';
import { DEFAULT_OPTIONS, jobName, probeJobName } from '../../../src/monitoring/options.js';
import { NAMESPACE } from '../../../src/monitoring/kubernetes.js';
import { isAllowed } from '../../../src/probe/probe-endpoint.js';
import { LabelLimiter } from '../../../src/limit/label-limiter.js';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import {
  Probe,
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { ruleGroups } from '../../../src/monitoring/rules.js';

const root = new URL('../../../', import.meta.url);

async function docs(file: string): Promise<Array<Record<string, any>>> {
  const text = await readFile(new URL(`deploy/kubernetes/${file}`, root), 'utf8');
  return parseAllDocuments(text).map((d) => {
    assert.deepEqual(d.errors, [], `${file}: YAML errors`);
    return d.toJS() as Record<string, any>;
  });
}

describe('generated Kubernetes manifests', () => {
  it('the PrometheusRule holds exactly the generated rule groups, with the release label', async () => {
    const [rule] = await docs('prometheusrule.yaml');
    const shipped = parse(await readFile(new URL('alerts/tls-sli.rules.yml', root), 'utf8')) as {
      groups: unknown;
    };
    assert.deepEqual(rule?.['spec'].groups, shipped.groups);
    assert.deepEqual(
      JSON.parse(JSON.stringify(rule?.['spec'].groups)),
      JSON.parse(JSON.stringify(ruleGroups(DEFAULT_OPTIONS))),
    );
    assert.equal(rule?.['metadata'].labels.release, 'kube-prometheus-stack');
  });

  it('the dashboard ConfigMap holds the generated board, labelled for the Grafana sidecar', async () => {
    const [map] = await docs('dashboards.yaml');
    assert.equal(map?.['metadata'].labels.grafana_dashboard, '1');
    assert.equal(
      map?.['data']['tls-sli.json'],
      await readFile(new URL('dashboards/tls-sli.json', root), 'utf8'),
    );
  });

  it('one monitor per pod (a ServiceMonitor, no PodMonitor beside it), the release label, a Probe that resolves from any namespace', async () => {
    const all = await docs('monitors.yaml');
    assert.deepEqual(
      all.map((d) => d['kind']),
      ['ServiceMonitor', 'Probe'],
    );
    for (const d of all) assert.equal(d['metadata'].labels.release, 'kube-prometheus-stack');
    const probe = all[1]?.['spec'];
    assert.equal(probe.prober.path, '/probe');
    assert.equal(probe.prober.url, `tls-sli-exporter.${NAMESPACE}.svc:10087`);
    assert.equal(probe.jobName, probeJobName(DEFAULT_OPTIONS), 'the job the rules select');
    // one job for the sidecars and the gRPC receivers: the label both Services carry
    const monitor = all[0]?.['spec'];
    assert.equal(monitor.jobLabel, 'app.kubernetes.io/name');
    const services = [
      ...(await docs('deployment.yaml')),
      ...(await docs('als-receiver.yaml')),
    ].filter((d) => d['kind'] === 'Service');
    assert.equal(services.length, 2);
    for (const svc of services) {
      assert.equal(svc['metadata'].labels['app.kubernetes.io/name'], jobName(DEFAULT_OPTIONS));
      for (const [k, v] of Object.entries(monitor.selector.matchLabels as Record<string, string>))
        assert.equal(svc['metadata'].labels[k], v, `${svc['metadata'].name} is selected`);
    }
  });

  it("the gRPC receivers' config is a valid exporter config with an access_log_services entry", async () => {
    const [configMap] = await docs('als-receiver.yaml');
    const config = parseConfigText(String(configMap?.['data']['config.yml']), 'als-receiver.yaml');
    assert.equal(config.access_log_services[0]?.listen_address, ':15001');
  });

  it('every document validates against the Kubernetes and prometheus-operator schemas', async () => {
    const models: Record<string, new (d: any) => { validate(): void }> = {
      Deployment,
      Service,
      ConfigMap,
      ServiceMonitor,
      Probe,
      PrometheusRule,
    };
    for (const file of [
      'deployment.yaml',
      'als-receiver.yaml',
      'monitors.yaml',
      'prometheusrule.yaml',
      'dashboards.yaml',
    ]) {
      for (const doc of await docs(file)) {
        const Model = models[doc['kind'] as string];
        assert.ok(Model, `${file}: no schema for ${doc['kind']}`);
        assert.doesNotThrow(() => new Model(doc).validate(), `${file}: ${doc['kind']}`);
      }
    }
  });

  it("the exporter config's allow-lists accept the manifests' own targets and names", async () => {
    const [config] = await docs('deployment.yaml');
    const parsed = parseConfigText(config?.['data']['config.yml'] as string, 'config.yml');
    const [, probe] = await docs('monitors.yaml');
    for (const target of probe?.['spec'].targets.staticConfig.static as string[]) {
      assert.ok(isAllowed(parsed.probes, probe?.['spec'].module as string, target), target);
    }
    const limiter = new LabelLimiter(parsed.server_names.allow, 10);
    assert.equal(limiter.value('es.logging.svc.cluster.local'), 'es.logging.svc.cluster.local');
  });

  it('the Envoy pods carry their own name; the Service finds them', async () => {
    const [, deployment, service] = await docs('deployment.yaml');
    const podLabels = deployment?.['spec'].template.metadata.labels;
    assert.equal(podLabels['app.kubernetes.io/name'], 'envoy-ingress');
    for (const [k, v] of Object.entries(service?.['spec'].selector as Record<string, string>))
      assert.equal(podLabels[k], v, k);
  });

  it('the sidecar is locked down and reads the shared log volume read-only; its config is valid', async () => {
    const [config, deployment] = await docs('deployment.yaml');
    parseConfigText(config?.['data']['config.yml'] as string, 'configmap config.yml');
    const pod = deployment?.['spec'].template.spec;
    const exporter = pod.containers.find((c: { name: string }) => c.name === 'tls-sli-exporter');
    assert.deepEqual(exporter.securityContext.capabilities, { drop: ['ALL'] });
    assert.equal(exporter.securityContext.readOnlyRootFilesystem, true);
    assert.equal(exporter.securityContext.runAsNonRoot, true);
    assert.equal(exporter.livenessProbe.httpGet.path, '/-/healthy');
    assert.equal(exporter.readinessProbe.httpGet.path, '/-/ready');
    const logs = exporter.volumeMounts.find((m: { name: string }) => m.name === 'envoy-logs');
    assert.equal(logs.readOnly, true);
    const volume = pod.volumes.find((v: { name: string }) => v.name === 'envoy-logs');
    assert.ok(volume.emptyDir.sizeLimit);
  });

  it('the positions file is on a writable volume of the exporter, not its read-only root', async () => {
    const [config, deployment] = await docs('deployment.yaml');
    const parsed = parseConfigText(config?.['data']['config.yml'] as string, 'config.yml');
    assert.ok(parsed.positions_file);
    const pod = deployment?.['spec'].template.spec;
    const exporter = pod.containers.find((c: { name: string }) => c.name === 'tls-sli-exporter');
    const mount = exporter.volumeMounts.find(
      (m: { mountPath: string }) => m.mountPath === dirname(parsed.positions_file ?? ''),
    );
    assert.ok(mount, 'a volume is mounted where the positions file lives');
    assert.notEqual(mount.readOnly, true);
    assert.ok(pod.volumes.some((v: { name: string }) => v.name === mount.name));
  });
});
