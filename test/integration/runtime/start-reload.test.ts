// Start and reload agree (the part contract, runtime/part.ts): for generated configs A and B, an
// exporter started with A and reloaded to B exposes the same series (names and label sets) as one
// started with B, and a B whose prepare refuses (a probe module naming a missing file) leaves A
// running, its series untouched. The configs draw on every kind of source: followed logs, a gRPC
// receiver, an Envoy admin target, a probe, certificate files (one unreadable). Real exporters in
// this process, real files and a minted certificate, scraped over HTTP once the probe round and
// file scan a start or reload began have finished: what the sources produced is in the series.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { issue } from '../../../src/certs/mint.js';
import { readExposition } from '../../../src/metrics/exposition-read.js';
import type { RunningExporter } from '../../../src/main.js';
import { startOnLoopback } from '../../support/exporter.js';

interface Shape {
  readonly logs: ReadonlyArray<'edge' | 'mesh' | 'gateway'>;
  readonly maxValues: number;
  readonly directions: 'both' | 'upstream';
  readonly admin: boolean;
  /** a probe module and a target (never due: the schedule is once a year) */
  readonly probes: boolean;
  /** a gRPC access-log receiver on a free loopback port */
  readonly als: boolean;
  /** certificate files: none, one readable entry, or that and an unreadable one */
  readonly files: 'none' | 'good' | 'good+broken';
}

const FORMATS = { edge: 'envoy_listener_json', mesh: 'istio', gateway: 'envoy_http_json' } as const;

function configText(dir: string, shape: Shape, refuse = false): string {
  const lines = ['access_logs:'];
  if (shape.logs.length === 0) lines[0] = 'access_logs: []';
  for (const log of shape.logs) {
    const directions = shape.directions === 'upstream' ? ', directions: [upstream]' : '';
    lines.push(
      `  - {name: ${log}, path: ${join(dir, `${log}.log`)}, format: ${FORMATS[log]}${directions}}`,
    );
  }
  lines.push(`server_names: {max_values: ${shape.maxValues}}`);
  if (shape.als)
    lines.push('access_log_services:', "  - {name: stream, listen_address: '127.0.0.1:0'}");
  if (shape.files !== 'none') {
    lines.push('cert_files:', `  - {name: good, paths: [${join(dir, 'good.pem')}]}`);
    if (shape.files === 'good+broken')
      lines.push(`  - {name: broken, paths: [${join(dir, 'broken.pem')}]}`);
  }
  // an admin endpoint nobody listens on: its series exist from the start, read or not
  if (shape.admin)
    lines.push(
      'envoy_admin:',
      '  - {name: sidecar, url: "http://127.0.0.1:9/", interval: 1h, timeout: 100ms}',
    );
  if (refuse || shape.probes) {
    lines.push('probes:', "  schedule: '0 0 1 1 *'", '  modules:', '    plain: {}');
    // a module naming files that are not there: its prepare refuses the config
    if (refuse)
      lines.push(
        `    mtls: {client_cert: {cert_file: ${join(dir, 'missing.pem')}, key_file: ${join(dir, 'missing.key')}}}`,
      );
    if (shape.probes)
      lines.push('  targets:', '    - {name: closed, address: "127.0.0.1:9", module: plain}');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Every series the exporter serves, as name and sorted labels; process metrics left out. Read
 * once the probe round and the file scan a start or reload begins have finished (a scrape in the
 * middle of one would see its target half published).
 */
async function series(exporter: RunningExporter): Promise<string[]> {
  await exporter.runProbes();
  const { address, port } = exporter.address;
  const text = await (await fetch(`http://${address}:${port}/metrics`)).text();
  return readExposition(text)
    .samples.filter((s) => !/^(process_|nodejs_|tls_sli_exporter_(config_last|build))/.test(s.name))
    .map(
      (s) =>
        `${s.name}{${[...s.labels]
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}}`,
    )
    .sort();
}

const shapes = fc.record({
  logs: fc.subarray(['edge', 'mesh', 'gateway'] as const),
  maxValues: fc.integer({ min: 1, max: 200 }),
  directions: fc.constantFrom('both', 'upstream'),
  admin: fc.boolean(),
  probes: fc.boolean(),
  als: fc.boolean(),
  files: fc.constantFrom('none', 'good', 'good+broken'),
});

describe('start and reload agree', function () {
  this.timeout(120_000);
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tls-sli-parts-'));
    for (const log of ['edge', 'mesh', 'gateway']) await writeFile(join(dir, `${log}.log`), '');
    await writeFile(join(dir, 'good.pem'), (await issue({ cn: 'parts.test' })).pem);
    await writeFile(join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nnot base64\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('start(A) then reload(B) serves the series start(B) serves; a refused B leaves A as it was', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, shapes, async (a, b) => {
        const file = join(dir, 'config.yml');
        await writeFile(file, configText(dir, b));
        const fresh = await startOnLoopback(file);
        const expected = await series(fresh).finally(() => fresh.stop());
        await writeFile(file, configText(dir, a));
        const running = await startOnLoopback(file);
        try {
          const before = await series(running);
          await writeFile(file, configText(dir, b, true));
          const refused = await running.reload();
          assert.equal(refused.ok, false);
          assert.deepEqual(await series(running), before, 'a refused reload changes nothing');
          await writeFile(file, configText(dir, b));
          assert.deepEqual(await running.reload(), { ok: true });
          assert.deepEqual(await series(running), expected);
        } finally {
          await running.stop();
        }
      }),
      { numRuns: 15 },
    );
  });
});
