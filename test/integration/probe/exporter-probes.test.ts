// The exporter with probes and certificate files configured: /metrics and /probe over HTTP.
import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningExporter } from '../../../src/main.js';
import { METRICS } from '../../../src/metrics/catalog.js';
import { sampleValue } from '../../support/exposition.js';
import { startOnLoopback } from '../../support/exporter.js';
import { chain, issue } from '../../support/pki.js';
import { tlsServer, type Running } from '../../support/tls-servers.js';
import { withTempDir } from '../../support/tmp.js';

interface World {
  exporter: RunningExporter;
  url: string;
  dir: string;
  server: Running;
  config: string;
}

async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const c = await chain({ names: ['localhost'], leaf: { notAfterDays: 3 } });
    const clientCa = await issue({ cn: 'Client CA', ca: true });
    const client = await issue({
      cn: 'probe-client',
      issuer: clientCa,
      client: true,
      notAfterDays: 20,
    });
    const server = await tlsServer({ chain: [c.leaf, c.intermediate], clientCa });
    const onDisk = await issue({ cn: 'disk.test', notAfterDays: 90 });
    await writeFile(join(dir, 'ca.pem'), c.root.pem);
    await writeFile(join(dir, 'client.pem'), client.pem);
    await writeFile(join(dir, 'client.key'), await client.keyPem());
    await writeFile(join(dir, 'disk.pem'), onDisk.pem);
    const config = join(dir, 'config.yml');
    await writeFile(
      config,
      `probes:
  jitter: 0s
  modules:
    mtls:
      ca_file: ${join(dir, 'ca.pem')}
      client_cert_file: ${join(dir, 'client.pem')}
      client_key_file: ${join(dir, 'client.key')}
      expect_client_auth: true
      timeout: 3s
      allowed_targets: ['127.0.0.1:*']
    strict:
      ca_file: ${join(dir, 'ca.pem')}
  targets:
    - {name: audit-gateway, address: '127.0.0.1:${server.port}', server_name: localhost, module: mtls}
cert_files:
  - {name: disk, paths: ['${join(dir, 'disk.pem')}']}
`,
    );
    const exporter = await startOnLoopback(config);
    try {
      await exporter.runProbes();
      await fn({ exporter, url: `http://127.0.0.1:${exporter.address.port}`, dir, server, config });
    } finally {
      await exporter.stop();
      await server.stop();
    }
  });
}

describe('exporter with probes and certificate files', function () {
  this.timeout(20_000);

  it('publishes probe results and every certificate with days remaining computed at scrape time', async () => {
    await withWorld(async ({ url }) => {
      const text = await (await fetch(`${url}/metrics`)).text();
      assert.equal(sampleValue(text, METRICS.probeSuccess.name, { name: 'audit-gateway' }), 1);
      assert.equal(
        sampleValue(text, METRICS.clientAuthEnforced.name, { name: 'audit-gateway' }),
        1,
      );
      const leafDays =
        sampleValue(text, METRICS.certDaysRemaining.name, {
          source: 'probe',
          name: 'audit-gateway',
          position: 'leaf',
        }) ?? NaN;
      assert.ok(leafDays > 2.9 && leafDays <= 3, `leaf days ${leafDays}`);
      const clientDays =
        sampleValue(text, METRICS.certDaysRemaining.name, {
          source: 'client_cert',
          name: 'mtls',
        }) ?? NaN;
      assert.ok(clientDays > 19.9 && clientDays <= 20, `client days ${clientDays}`);
      const diskDays =
        sampleValue(text, METRICS.certDaysRemaining.name, {
          source: 'file',
          position: 'leaf',
          subject_cn: 'disk.test',
        }) ?? NaN;
      assert.ok(diskDays > 89.9 && diskDays <= 90, `disk days ${diskDays}`);
      const notAfter =
        sampleValue(text, METRICS.certNotAfter.name, { source: 'probe', position: 'leaf' }) ?? 0;
      assert.ok(Math.abs((notAfter - Date.now() / 1000) / 86400 - leafDays) < 0.01);
      assert.equal(
        sampleValue(text, METRICS.probeFailures.name, {
          name: 'audit-gateway',
          reason: 'timeout',
          refused_by: 'network',
        }),
        0,
      );
      assert.equal(sampleValue(text, METRICS.certFileErrors.name, { reason: 'corrupt' }), 0);
      assert.match(
        text,
        /tls_cert_info\{source="probe",name="audit-gateway",position="leaf",subject_cn="localhost",[^}]*key_algorithm="ecdsa",key_bits="256",signature_algorithm="ecdsa-with-SHA256",dns_names="localhost"\} 1/,
      );
    });
  });

  it('the handshake-time histogram counts every scheduled probe, its buckets cumulative', async () => {
    await withWorld(async ({ exporter, url }) => {
      const name = METRICS.probeHandshakeDuration.name;
      const count = async (): Promise<number> =>
        sampleValue(await (await fetch(`${url}/metrics`)).text(), `${name}_count`, {
          name: 'audit-gateway',
        }) ?? 0;
      const before = await count();
      assert.ok(before >= 1, 'the first round is counted');
      await exporter.runProbes();
      await exporter.runProbes();
      const text = await (await fetch(`${url}/metrics`)).text();
      assert.equal(await count(), before + 2);
      const buckets = [
        ...text.matchAll(
          new RegExp(`^${name}_bucket\\{name="audit-gateway",le="([^"]+)"\\} (\\d+)$`, 'gm'),
        ),
      ];
      assert.equal(buckets.length, (METRICS.probeHandshakeDuration.buckets?.length ?? 0) + 1);
      const values = buckets.map((m) => Number(m[2]));
      assert.deepEqual(
        [...values].sort((a, b) => a - b),
        values,
        'buckets are cumulative',
      );
      assert.equal(buckets.at(-1)?.[1], '+Inf');
      assert.equal(values.at(-1), before + 2);
      assert.ok((sampleValue(text, `${name}_sum`, { name: 'audit-gateway' }) ?? 0) > 0);
    });
  });

  it('/probe: probes now into a fresh registry; 400 without target or with an unknown module; 403 outside allowed_targets', async () => {
    await withWorld(async ({ url, server }) => {
      const ok = await fetch(
        `${url}/probe?target=127.0.0.1:${server.port}&module=mtls&server_name=localhost`,
        {
          headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '4' },
        },
      );
      assert.equal(ok.status, 200);
      const body = await ok.text();
      assert.equal(
        sampleValue(body, METRICS.probeSuccess.name, { name: `127.0.0.1:${server.port}` }),
        1,
      );
      assert.equal(
        sampleValue(body, 'tls_sli_exporter_build_info'),
        undefined,
        'the /probe registry is not the main one',
      );
      // the module's own client certificate is published as on /metrics; no counter (a fresh
      // registry per request would make it read 0 or 1)
      assert.ok(
        (sampleValue(body, METRICS.certDaysRemaining.name, {
          source: 'client_cert',
          name: 'mtls',
        }) ?? 0) > 0,
        body,
      );
      assert.doesNotMatch(body, /^# TYPE \S+ counter$/m);
      // no server_name: the configured target at this address lends its own (localhost), so an
      // IP target is checked against the name it is configured with, not against 127.0.0.1
      const bare = await (
        await fetch(`${url}/probe?target=127.0.0.1:${server.port}&module=mtls`)
      ).text();
      assert.equal(
        sampleValue(bare, METRICS.certHostnameMatch.name, { name: `127.0.0.1:${server.port}` }),
        1,
        bare,
      );
      const cases: ReadonlyArray<[string, number]> = [
        ['module=mtls', 400],
        [`target=127.0.0.1:${server.port}`, 400],
        [`target=127.0.0.1:${server.port}&module=nope`, 400],
        ['target=10.0.0.1:443&module=mtls', 403],
        [`target=127.0.0.1:${server.port}&module=strict`, 403],
        ['target=no-port&module=mtls', 400],
      ];
      for (const [query, status] of cases) {
        assert.equal((await fetch(`${url}/probe?${query}`)).status, status, query);
      }
    });
  });

  it('a certificate file that fails is named in a gauge until it reads again', async () => {
    await withWorld(async ({ exporter, url, dir }) => {
      const file = join(dir, 'disk.pem');
      const good = await readFile(file, 'utf8');
      await writeFile(
        file,
        '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n',
      );
      await exporter.runProbes();
      const broken = await (await fetch(`${url}/metrics`)).text();
      assert.equal(
        sampleValue(broken, METRICS.certFileError.name, { name: file, reason: 'corrupt' }),
        1,
        broken,
      );
      await writeFile(file, good);
      await exporter.runProbes();
      const fixed = await (await fetch(`${url}/metrics`)).text();
      assert.equal(sampleValue(fixed, METRICS.certFileError.name, { name: file }), undefined);
    });
  });

  it('a reload that removes a target and the files drops their series', async () => {
    await withWorld(async ({ url, exporter, config }) => {
      await writeFile(config, 'probes:\n  modules: {}\n');
      assert.deepEqual(await exporter.reload(), { ok: true });
      await exporter.runProbes();
      const text = await (await fetch(`${url}/metrics`)).text();
      assert.equal(
        sampleValue(text, METRICS.probeSuccess.name, { name: 'audit-gateway' }),
        undefined,
      );
      assert.equal(sampleValue(text, METRICS.certNotAfter.name), undefined);
    });
  });

  it('a reload naming an unreadable client certificate fails and keeps the running config', async () => {
    await withWorld(async ({ url, exporter, config, dir }) => {
      const text = (await import('node:fs/promises')).readFile(config, 'utf8');
      await writeFile(
        config,
        (await text).replace(join(dir, 'client.pem'), join(dir, 'missing.pem')),
      );
      const result = await exporter.reload();
      assert.equal(result.ok, false);
      assert.match(
        result.ok ? '' : result.error,
        /probes\.modules\.mtls\.client_cert_file: cannot read .*missing\.pem \(ENOENT\)/,
      );
      const metrics = await (await fetch(`${url}/metrics`)).text();
      assert.equal(sampleValue(metrics, METRICS.configLastReloadSuccessful.name), 0);
      assert.equal(sampleValue(metrics, METRICS.probeSuccess.name, { name: 'audit-gateway' }), 1);
    });
  });
});

describe('the probe schedule', function () {
  this.timeout(20_000);

  it('node-cron runs the probes again on its own, no explicit run', async () => {
    await withTempDir(async (dir) => {
      const c = await chain();
      const server = await tlsServer({ chain: [c.leaf, c.intermediate] });
      await writeFile(join(dir, 'ca.pem'), c.root.pem);
      const config = join(dir, 'config.yml');
      await writeFile(
        config,
        `probes:\n  schedule: '* * * * * *'\n  jitter: 0s\n  modules: {m: {ca_file: ${join(dir, 'ca.pem')}}}\n  targets: [{name: t, address: '127.0.0.1:${server.port}', server_name: localhost, module: m}]\n`,
      );
      const exporter = await startOnLoopback(config);
      try {
        const url = `http://127.0.0.1:${exporter.address.port}/metrics`;
        const lastRun = async (): Promise<number> =>
          sampleValue(await (await fetch(url)).text(), METRICS.probeLastRun.name, {
            name: 't',
          }) ?? 0;
        let first = 0;
        for (let i = 0; i < 50 && first === 0; i++) {
          await new Promise((r) => setTimeout(r, 50));
          first = await lastRun();
        }
        assert.ok(first > 0, 'the first run did not happen');
        let later = first;
        for (let i = 0; i < 60 && later === first; i++) {
          await new Promise((r) => setTimeout(r, 50));
          later = await lastRun();
        }
        assert.ok(later > first, 'the schedule did not run the probe again within 3 s');
      } finally {
        await exporter.stop();
        await server.stop();
      }
    });
  });
});
