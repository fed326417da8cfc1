// The stall case (issue 36): how long /-/healthy waits while the exporter does its heaviest
// certificate work at once. Twenty keystores at 1,000,000 iterations (openssl -iter), a CRL of
// 1,000,000 entries (`openssl ca -gencrl`, served over HTTP by a process of its own), 10,000
// certificate files, then a reload that adds 5,000 probe targets. /-/healthy is asked every 10 ms
// from this process, which does nothing else meanwhile, until everything is published.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { issue } from '../src/certs/mint.js';
import { opensslKeystore } from '../test/support/keystores.js';
import { OpensslCa } from '../test/support/openssl-ca.js';
import { percentile } from './stats.js';
import { freePort, startHealthy, stop } from './startup.js';

export const STALL = {
  keystores: 20,
  iterations: 1_000_000,
  crlEntries: 1_000_000,
  files: 10_000,
  targets: 5_000,
} as const;

export interface StallRun {
  readonly asks: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** from the start until every keystore, file and the CRL's verdict is published, s */
  readonly loadedS: number;
  /** from the reload's request until its answer, ms */
  readonly reloadMs: number;
}

async function makeData(dir: string, crlPort: string): Promise<string> {
  const pki = join(dir, 'pki');
  const stores = join(dir, 'stores');
  const files = join(dir, 'files');
  const crls = join(dir, 'crls');
  await Promise.all([pki, stores, files, crls].map((d) => mkdir(d, { recursive: true })));
  const ca = await OpensslCa.create(pki, 'Stall CA', {
    ocsp: 'http://127.0.0.1:1/',
    crl: `http://127.0.0.1:${crlPort}/stall.crl`,
  });
  const checked = await ca.issue(pki, 'checked.test', { ocspUrl: null });
  await writeFile(join(pki, 'checked.pem'), `${checked.pem}\n${ca.own.pem}`);
  const index: string[] = [];
  for (let i = 0; i < STALL.crlEntries; i++)
    index.push(
      `R\t301231000000Z\t261101120000Z,keyCompromise\t${(0x10_0000 + i).toString(16)}\tunknown\t/CN=c${i}`,
    );
  await writeFile(join(ca.dir, 'index.txt'), `${index.join('\n')}\n`);
  await writeFile(join(crls, 'stall.crl'), await ca.crl());
  const leaf = await issue({ cn: 'keystore.test', kind: 'rsa2048' });
  for (let i = 0; i < STALL.keystores; i += 2)
    await Promise.all(
      [i, i + 1].map((k) =>
        opensslKeystore(stores, `s${k}.p12`, leaf, 'bench', ['-iter', String(STALL.iterations)]),
      ),
    );
  await writeFile(join(dir, 'password'), 'bench\n');
  const root = await issue({ cn: 'Files CA', ca: true });
  for (let i = 0; i < STALL.files; i += 500) {
    const batch = await Promise.all(
      Array.from({ length: 500 }, (_, k) => issue({ cn: `f${i + k}.test`, issuer: root })),
    );
    await Promise.all(batch.map((c, k) => writeFile(join(files, `f${i + k}.pem`), c.pem)));
  }
  return crls;
}

function config(dir: string, targets: number): string {
  return [
    'revocation: { allow_private_addresses: true, max_response_bytes: 134217728 }',
    'cert_files:',
    `  - { name: stores, paths: ['${dir}/stores/*.p12'], password_file: ${dir}/password }`,
    `  - { name: files, paths: [${dir}/files] }`,
    `  - { name: checked, paths: [${dir}/pki/checked.pem], revocation: { crl: check } }`,
    ...(targets === 0
      ? []
      : [
          'probes:',
          '  modules: { tls: {} }',
          '  targets:',
          ...Array.from(
            { length: targets },
            (_, i) =>
              `    - { name: t${i}, address: '127.0.0.1:1', server_name: t${i}.test, module: tls }`,
          ),
        ]),
  ].join('\n');
}

async function ask(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  await res.arrayBuffer();
  return performance.now() - t0;
}

/** Everything of the first config published: each keystore, each file, the CRL's verdict. */
function loaded(metrics: string): boolean {
  const count = (re: RegExp): number => metrics.match(re)?.length ?? 0;
  return (
    count(/^tls_cert_days_remaining\{source="file",name="[^"]*\/stores\/s\d+\.p12"/gm) >=
      STALL.keystores &&
    count(/^tls_cert_days_remaining\{source="file",name="[^"]*\/files\/f\d+\.pem"/gm) >=
      STALL.files &&
    /^tls_cert_revocation_status\{[^}]*checked\.pem[^}]*method="crl",status="good"\} 1/m.test(
      metrics,
    )
  );
}

/** The CRL server and the data, made once; `run` starts a fresh exporter each time. */
export async function stallCase(
  dir: string,
): Promise<{ run(args: ExporterArgs): Promise<StallRun>; close(): void }> {
  const crlDir = join(dir, 'crls');
  await mkdir(crlDir, { recursive: true });
  const server = spawn(
    process.execPath,
    [new URL('./crl-server-child.mjs', import.meta.url).pathname, crlDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const crlPort = await new Promise<string>((resolve) =>
      server.stdout.once('data', (b: Buffer) => resolve(b.toString().trim())),
    );
    await makeData(dir, crlPort);
  } catch (err) {
    server.kill();
    throw err;
  }
  return { run: (args) => runOnce(args, dir), close: () => server.kill() };
}

/** the exporter's command line for a config file and a port */
type ExporterArgs = (config: string, port: number) => string[];

async function runOnce(args: ExporterArgs, dir: string): Promise<StallRun> {
  const file = join(dir, 'c.yml');
  await writeFile(file, config(dir, 0));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const { child } = await startHealthy(process.execPath, args(file, port), port);
  const lat: number[] = [];
  let reloadMs = 0;
  let loadedS = 0;
  const pinging = (async () => {
    while (loadedS === 0 || reloadMs === 0) {
      const started = performance.now();
      lat.push(await ask(`${base}/-/healthy`));
      await sleep(Math.max(0, 10 - (performance.now() - started)));
    }
  })();
  try {
    // the reload lands while the first config's work is still going on
    await sleep(1_000);
    await writeFile(file, config(dir, STALL.targets));
    const r0 = performance.now();
    const reload = fetch(`${base}/-/reload`, { method: 'POST' }).then(async (res) => {
      if (!res.ok) throw new Error(`reload: ${res.status} ${await res.text()}`);
      reloadMs = performance.now() - r0;
    });
    // a scrape every 2 s, as an impatient Prometheus would, until everything is published
    while (loadedS === 0) {
      await sleep(2_000);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      if (loaded(metrics)) loadedS = (performance.now() - t0) / 1000;
    }
    await reload;
    await pinging;
  } finally {
    await stop(child);
  }
  return {
    asks: lat.length,
    p50: percentile(lat, 0.5),
    p99: percentile(lat, 0.99),
    max: Math.max(...lat),
    loadedS,
    reloadMs,
  };
}
