// docker/ checked statically (the image itself is built and run by npm run test:image, with
// buildah: scripts/test-image.mjs): every file parses, every
// mounted file exists, ports agree, Envoy logs exactly the keys the presets read, Grafana
// provisions the generated board, the image runs as a numeric non-root user.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- assertions over untyped YAML documents */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { HTTP_JSON_FIELDS, LISTENER_JSON_FIELDS } from '../../src/accesslog/parse/presets.js';
import { parseConfigText } from '../../src/config/load.js';

const DOCKER = fileURLToPath(new URL('../../docker/', import.meta.url));
const yaml = (file: string): any => parse(readFileSync(join(DOCKER, file), 'utf8'));
const compose = yaml('compose.yml');
const envoy = yaml('envoy/envoy.yaml');

function jsonFormatOf(accessLog: any): Record<string, string> {
  return accessLog.typed_config.log_format.json_format;
}

function operatorsOf(fields: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([operator, key]) => [key, `%${operator}%`]),
  );
}

describe('docker/ (static checks)', () => {
  it('every bind-mounted file or directory exists', () => {
    for (const [name, service] of Object.entries<any>(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = String(volume).split(':')[0] ?? '';
        if (!source.startsWith('.')) continue; // a named volume
        assert.ok(existsSync(join(DOCKER, source)), `${name}: ${source} does not exist`);
      }
    }
  });

  it('the listener and HTTP logs carry exactly the keys of the presets, with the right operators', () => {
    const listener = envoy.static_resources.listeners[0];
    const listenerKeys = jsonFormatOf(listener.access_log[0]);
    assert.deepEqual(
      Object.fromEntries(Object.entries(listenerKeys).filter(([k]) => k !== 'log_type')),
      operatorsOf(LISTENER_JSON_FIELDS),
    );
    const hcm = listener.filter_chains[0].filters[0].typed_config;
    const httpKeys = jsonFormatOf(hcm.access_log[0]);
    assert.deepEqual(
      Object.fromEntries(Object.entries(httpKeys).filter(([k]) => k !== 'log_type')),
      operatorsOf(HTTP_JSON_FIELDS),
    );
    assert.equal(listener.access_log[0].filter, undefined, 'the listener log must not be filtered');
  });

  it('ports agree between Envoy, compose, the exporter, Prometheus and the image', () => {
    const envoyPort = envoy.static_resources.listeners[0].address.socket_address.port_value;
    assert.ok(compose.services.envoy.ports.includes(`${envoyPort}:${envoyPort}`));
    const exporterConfig = parseConfigText(
      readFileSync(join(DOCKER, 'exporter/config.yml'), 'utf8'),
      'config.yml',
    );
    assert.equal(exporterConfig.probes.targets[0]?.address, `envoy:${envoyPort}`);
    const prometheus = yaml('prometheus/prometheus.yml');
    assert.deepEqual(prometheus.scrape_configs[0].static_configs[0].targets, ['exporter:10087']);
    assert.ok(compose.services.exporter.ports.includes('10087:10087'));
    assert.match(readFileSync(join(DOCKER, 'Dockerfile'), 'utf8'), /^EXPOSE 10087$/m);
    assert.deepEqual(prometheus.alerting.alertmanagers[0].static_configs[0].targets, [
      'alertmanager:9093',
    ]);
    assert.ok(compose.services.alertmanager.ports.includes('9093:9093'));
  });

  it('Envoy talks mTLS to the backend on the port the backend serves', () => {
    const cluster = envoy.static_resources.clusters[0];
    const port =
      cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address
        .port_value;
    const nginx = readFileSync(join(DOCKER, 'backend/nginx.conf'), 'utf8');
    assert.match(nginx, new RegExp(`listen ${port} ssl;`));
    assert.match(nginx, /ssl_verify_client on;/);
    assert.ok(
      cluster.transport_socket.typed_config.common_tls_context.tls_certificates.length > 0,
      'Envoy presents no client certificate',
    );
  });

  it('the exporter reads the logs read-only, from the volume Envoy writes', () => {
    assert.ok(compose.services.envoy.volumes.includes('envoy-logs:/var/log/envoy'));
    assert.ok(compose.services.exporter.volumes.includes('envoy-logs:/var/log/envoy:ro'));
    assert.equal(compose.services.exporter.read_only, true);
  });

  it('the positions file is on a named volume the image prepares for its user', () => {
    const config = parseConfigText(
      readFileSync(join(DOCKER, 'exporter/config.yml'), 'utf8'),
      'config.yml',
    );
    const dir = dirname(config.positions_file ?? '');
    const volume = compose.services.exporter.volumes.find((v: string) => v.split(':')[1] === dir);
    assert.ok(volume, `a volume at ${dir}`);
    assert.ok((String(volume).split(':')[0] ?? '') in compose.volumes);
    assert.match(
      readFileSync(join(DOCKER, 'Dockerfile'), 'utf8'),
      new RegExp(`chown 10001:10001 ${dir}`),
    );
  });

  it('Grafana provisions the generated board and Prometheus loads the generated rules', () => {
    const provider = yaml('grafana/provisioning/dashboards/tls-sli.yml').providers[0];
    const mount = compose.services.grafana.volumes.find((v: string) =>
      v.startsWith('../dashboards/tls-sli.json:'),
    );
    assert.ok(mount, 'the generated board is not mounted');
    assert.ok(String(mount).split(':')[1]?.startsWith(provider.options.path));
    const rules = compose.services.prometheus.volumes.find((v: string) =>
      v.startsWith('../alerts/tls-sli.rules.yml:'),
    );
    assert.ok(yaml('prometheus/prometheus.yml').rule_files.includes(String(rules).split(':')[1]));
  });

  it('the image: two stages, the bundle and what it requires only, numeric non-root user, exec form, health check through node', () => {
    const dockerfile = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8');
    assert.equal(dockerfile.match(/^FROM /gm)?.length, 2);
    // the bundle bin/ runs, then only the packages it still requires (scripts/runtime-modules.mjs)
    assert.match(dockerfile, /node scripts\/bundle\.mjs/);
    assert.match(dockerfile, /node scripts\/runtime-modules\.mjs \/app/);
    assert.match(dockerfile, /^COPY --from=build \/app \.\/$/m);
    // the registry's CA is a build secret, never an ARG or a layer
    assert.match(dockerfile, /--mount=type=secret,id=npm_ca/);
    assert.doesNotMatch(dockerfile, /^(ARG|ENV) .*CA/m);
    assert.match(dockerfile, /^USER \d+:\d+$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["node", /m);
    assert.match(dockerfile, /^HEALTHCHECK .*CMD \["node", /m);
  });
});
