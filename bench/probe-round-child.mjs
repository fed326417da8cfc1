// Bench: a real exporter (compiled, dist/) with T scheduled probe targets spread over local TLS
// servers whose certificate is picked by SNI. Runs the scheduled round (jitter 0, so the round
// measures probing, not the spreading window) a number of times after a warm-up round and prints
// seconds per round, CPU per probe, peak RSS, failed probes, and how many certificates were parsed
// in the measured rounds (0 when the fingerprint cache holds them all). One JSON line.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startQuietExporter } from './quiet-exporter.mjs';
import { certificatesParsed } from '../dist/probe/inspect/cert-facts.js';

const [dir, portsJson, targetsText, certsText, concurrencyText, roundsText] = process.argv.slice(2);
const ports = JSON.parse(portsJson);
const targets = Number(targetsText);
const certs = Number(certsText);
const rounds = Number(roundsText);
const config = join(dir, `probes-${targets}-${concurrencyText}.yml`);
const lines = [
  `web: {listen_address: '127.0.0.1:0'}`,
  'probes:',
  `  schedule: '0 0 0 1 1 *'`,
  `  concurrency: ${concurrencyText}`,
  '  jitter: 0s',
  `  modules: {bench: {ca_file: ${JSON.stringify(join(dir, 'ca.pem'))}, timeout: 10s}}`,
  '  targets:',
];
for (let i = 0; i < targets; i++) {
  const port = ports[i % ports.length];
  lines.push(
    `    - {name: t${i}, address: '127.0.0.1:${port}', server_name: s${i % certs}.bench.test, module: bench}`,
  );
}
await writeFile(config, `${lines.join('\n')}\n`);
const exporter = await startQuietExporter(config);
await exporter.runProbes(); // the round started by the config load: warm-up, not measured
const parsed0 = certificatesParsed();
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) await exporter.runProbes();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const body = await (await fetch(`http://127.0.0.1:${exporter.address.port}/metrics`)).text();
const failures = (body.match(/^tls_probe_success\{[^}]*\} 0$/gm) ?? []).length;
await exporter.stop();
process.stdout.write(
  `${JSON.stringify({
    probes: rounds * targets,
    secondsPerRound: seconds / rounds,
    seconds,
    failures,
    certificatesParsed: certificatesParsed() - parsed0,
    warmupParsed: parsed0,
    cpuMsPerProbe: (cpu.user + cpu.system) / 1000 / (rounds * targets),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
