// `npm run bench`: generates the bench data, runs every case in its own process (median of 5
// runs, with min-max), prints a table with machine info and writes it to docs/performance.md.
// Nothing here is asserted: the numbers are for people. BENCH_LINES and BENCH_RUNS shrink a run.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chain } from '../src/demo/pki.js';
import { BENCH_PRESETS, writeBenchLog } from './generate.js';

const LINES = Number(process.env['BENCH_LINES'] ?? 1_000_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const CHILD = fileURLToPath(new URL('./pipeline-child.mjs', import.meta.url));
const PROBE_CHILD = fileURLToPath(new URL('./probe-child.mjs', import.meta.url));
const SERVERS_CHILD = fileURLToPath(new URL('./tls-servers-child.mjs', import.meta.url));
const ENDPOINTS = Number(process.env['BENCH_ENDPOINTS'] ?? 50);
const PROBE_ROUNDS = Number(process.env['BENCH_PROBE_ROUNDS'] ?? 4);
const ONLY = process.env['BENCH_ONLY'];
const REPORT = fileURLToPath(new URL('../docs/performance.md', import.meta.url));

interface RunResult {
  seconds: number;
  lines: number;
  bytes: number;
  cpuSeconds: number;
  maxRssBytes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function spread(values: number[], digits: number, scale = 1): string {
  const f = (v: number): string =>
    (v / scale).toLocaleString('en-US', {
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    });
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

async function logRows(): Promise<string[]> {
  const rows: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'tls-sli-bench-'));
  try {
    for (const preset of BENCH_PRESETS) {
      for (const hostile of [false, true]) {
        const file = join(dir, `${preset}${hostile ? '-hostile' : ''}.log`);
        const size = await writeBenchLog(file, preset, LINES, hostile);
        const results: RunResult[] = [];
        for (let run = 0; run < RUNS; run++) {
          const out = execFileSync(process.execPath, [CHILD, file, preset], {
            encoding: 'utf8',
            maxBuffer: 1 << 20,
          });
          results.push(JSON.parse(out) as RunResult);
        }
        await rm(file);
        const linesPerSecond = results.map((r) => r.lines / r.seconds);
        const row = [
          `${preset}${hostile ? ' (hostile)' : ''}`,
          `${(size / LINES).toFixed(0)} B`,
          spread(linesPerSecond, 0, 1),
          spread(
            results.map((r) => r.bytes / r.seconds / 1e6),
            0,
          ),
          spread(
            results.map((r) => (r.cpuSeconds / r.lines) * 1e6),
            2,
          ),
          spread(
            results.map((r) => r.maxRssBytes / 2 ** 20),
            0,
          ),
        ];
        rows.push(`| ${row.join(' | ')} |`);
        process.stdout.write(`${rows.at(-1)}\n`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

interface ProbeRun {
  probes: number;
  seconds: number;
  failures: number;
  cpuMsPerProbe: number;
  maxRssBytes: number;
}

async function probeRows(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tls-sli-bench-probe-'));
  const pki = await chain({ names: ['localhost'] });
  await writeFile(join(dir, 'chain.pem'), `${pki.leaf.pem}\n${pki.intermediate.pem}`);
  await writeFile(join(dir, 'key.pem'), await pki.leaf.keyPem());
  await writeFile(join(dir, 'ca.pem'), pki.root.pem);
  const servers = spawn(process.execPath, [SERVERS_CHILD, dir, String(ENDPOINTS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rows: string[] = [];
  try {
    const [line] = (await once(createInterface({ input: servers.stdout }), 'line')) as [string];
    for (const concurrency of [1, 10]) {
      const results: ProbeRun[] = [];
      for (let run = 0; run < RUNS; run++) {
        const out = execFileSync(
          process.execPath,
          [PROBE_CHILD, dir, line, String(concurrency), String(PROBE_ROUNDS)],
          { encoding: 'utf8' },
        );
        results.push(JSON.parse(out) as ProbeRun);
      }
      const row = [
        concurrency === 1 ? 'sequential' : `concurrency ${concurrency}`,
        String(results[0]?.probes ?? 0),
        spread(
          results.map((r) => r.probes / r.seconds),
          0,
        ),
        spread(
          results.map((r) => r.cpuMsPerProbe),
          2,
        ),
        spread(
          results.map((r) => r.maxRssBytes / 2 ** 20),
          0,
        ),
        String(results.reduce((a, r) => a + r.failures, 0)),
      ];
      rows.push(`| ${row.join(' | ')} |`);
      process.stdout.write(`${rows.at(-1)}\n`);
    }
  } finally {
    servers.kill();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

const rows = ONLY === 'probes' ? [] : await logRows();
const probeTable = ONLY === 'logs' ? [] : await probeRows();

let revision = 'unknown';
try {
  revision = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
} catch {
  // not a checkout
}

const table = [
  '| case | line size | lines/s | MB/s | CPU s per million lines | peak RSS MiB |',
  '|---|---|---|---|---|---|',
  ...rows,
].join('\n');

const report = `# Performance

Measured by \`npm run bench\` (bench/run.ts); every number is the median of ${RUNS} runs with the
minimum and maximum in brackets. Each run is a fresh process running the compiled exporter (dist/)
over a generated file of ${LINES.toLocaleString('en-US')} lines read from the beginning: follower,
line splitter, envelope, parser, classifier, label limiter and counters, everything the exporter
does for a line. Peak RSS is the whole process (Node alone with our modules loaded is about 66 MiB).

Machine: ${machine()}; revision ${revision}.

## Log pipeline, file at rest

${table}

## TLS probes

Each probe is a full handshake (never resumed) to one of ${ENDPOINTS} local TLS endpoints (served by a
separate process, ECDSA P-256 chain), with chain verification against the module's CA, hostname
check and OCSP request: ${PROBE_ROUNDS} rounds over every endpoint per run, after one warm-up round.

| mode | probes per run | probes/s | CPU ms per probe | peak RSS MiB | failed probes |
|---|---|---|---|---|---|
${probeTable.join('\n')}

For scale: blackbox_exporter did 361–374 probes/s sequential and 711–825 at concurrency 10 on this
machine kind, about 1.3 ms CPU per probe.

## Log pipeline notes

The hostile mix adds 1 % unique SNI values (folded by the limiter), 0.2 % truncated lines, a
100 KB line every 100 000 lines, and invalid UTF-8 in 0.1 % of the lines.

Targets (issue 3, this 2-core machine kind): ≥ 1,000,000 JSON lines/s, ≥ 1,500,000 text lines/s,
peak RSS ≤ 100 MiB, hostile mix within 20 % of clean. For scale: mtail reads 43 k lines/s of the
same kind of file; readline + JSON.parse 200 k.

What bounds the JSON cases (measured on 1 M listener lines of 709 B, 2026-11-30, single thread):

| step | seconds per million lines |
|---|---|
| read (1 MiB reads, next read in flight) + decode (latin1 for ASCII blocks) + split into lines | 0.74 |
| JSON.parse of every line, nothing else | 0.93 |
| the hand-written scanner that reads only the wanted keys (what the exporter uses) | about 1.2 |
| best experiment: scanner on the decoded block without per-line strings, no classification | 1.4 in all |

So one thread cannot reach 1 M lines/s of 709-byte JSON here: reading and splitting alone take
0.74 s per million. JSON.parse is as fast as the scanner, but the parsed objects push peak RSS to
118–125 MiB (over the 100 MiB target), so the scanner stays. Reaching the JSON target needs the
second core (parsing whole read blocks in a worker thread while the main thread reads and
counts), which costs an extra V8 isolate against the memory target: left for the performance
issue.
`;

await writeFile(REPORT, report);
process.stdout.write(`\nwritten to docs/performance.md\n`);
