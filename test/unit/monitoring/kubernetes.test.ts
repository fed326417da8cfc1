/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- assertions over untyped Kubernetes YAML documents */
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { parseConfigText } from '../../../src/config/load.js';
import { DEFAULT_OPTIONS } from '../../../src/monitoring/options.js';
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

  it('monitors carry the release label and point at the metrics port', async () => {
    const all = await docs('monitors.yaml');
    assert.deepEqual(
      all.map((d) => d['kind']),
      ['PodMonitor', 'ServiceMonitor', 'Probe'],
    );
    for (const d of all) assert.equal(d['metadata'].labels.release, 'kube-prometheus-stack');
    assert.equal(all[2]?.['spec'].prober.path, '/probe');
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
