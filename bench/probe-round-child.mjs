// Bench: a real exporter (compiled, dist/) with T scheduled probe targets spread over local TLS
// servers whose certificate is picked by SNI. Runs the scheduled round (jitter 0, so the round
// measures probing, not the spreading window) a number of times after a warm-up round and prints
// seconds per round, CPU per probe, peak RSS, failed probes, and how many certificates were parsed
// in the measured rounds (0 when the fingerprint cache holds them all). With a revocation block
// (JSON, for the module) it also counts the OCSP and CRL fetches of the warm-up round and of the
// measured ones (answers are cached: none expected in the measured rounds). One JSON line.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startQuietExporter } from './quiet-exporter.mjs';
import { certificatesParsed } from '../dist/certs/inspect/cert-facts.js';

const [dir, portsJson, targetsText, certsText, concurrencyText, roundsText, revocationJson] =
  process.argv.slice(2);
const revocation = revocationJson === undefined ? undefined : JSON.parse(revocationJson);
const ports = JSON.parse(portsJson);
const targets = Number(targetsText);
const certs = Number(certsText);
const rounds = Number(roundsText);
const config = join(
  dir,
  `probes-${targets}-${concurrencyText}-${revocation ? 'rev' : 'plain'}.yml`,
);
const lines = [
  `web: {listen_address: '127.0.0.1:0'}`,
  ...(revocation
    ? [
        // the bench's responder and CRL server listen on the loopback
        `revocation: {allowed_urls: ['http://127.0.0.1:*/**'], allow_private_addresses: true}`,
      ]
    : []),
  'probes:',
  `  schedule: '0 0 0 1 1 *'`,
  `  concurrency: ${concurrencyText}`,
  '  jitter: 0s',
  `  modules: {bench: {ca_file: ${JSON.stringify(join(dir, 'ca.pem'))}, timeout: 10s${revocation ? `, revocation: ${JSON.stringify(revocation)}` : ''}}}`,
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
/** OCSP and CRL requests so far, from the exporter's own histogram */
async function revocationFetches() {
  const text = await (await fetch(`http://127.0.0.1:${exporter.address.port}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^tls_revocation_request_duration_seconds_count\{[^}]*\} (\d+)$/gm))
    n += Number(m[1]);
  return n;
}
await exporter.runProbes(); // the round started by the config load: warm-up, not measured
// scraped only in the revocation case (a scrape of 1,000 targets costs ~90 MiB of peak RSS)
const fetches0 = revocation ? await revocationFetches() : 0;
const parsed0 = certificatesParsed();
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) await exporter.runProbes();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const body = await (await fetch(`http://127.0.0.1:${exporter.address.port}/metrics`)).text();
const failures = (body.match(/^tls_probe_success\{[^}]*\} 0$/gm) ?? []).length;

const good = (body.match(/^tls_cert_revocation_status\{[^}]*status="good"\} 1$/gm) ?? []).length;
const fetchesMeasured = revocation ? (await revocationFetches()) - fetches0 : 0;
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
    revocationFetchesWarmup: fetches0,
    revocationFetchesMeasured: fetchesMeasured,
    revocationGood: good,
  })}\n`,
);
