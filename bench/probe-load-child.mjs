// Bench load for /probe: C workers on keep-alive connections, each sending its next GET as soon as
// the last one answered, round-robin over the target ports, for S seconds after 1 s of warm-up.
// Counts answers, HTTP errors and probes that failed (a `..._success` sample of 0), the latency
// of each request, and every answer of the run (`all`). One JSON line. Runs apart from the
// exporter and the TLS servers.
import { performance } from 'node:perf_hooks';
import { Agent, get } from 'node:http';

const [base, portsJson, concurrencyText, secondsText] = process.argv.slice(2);
const ports = JSON.parse(portsJson);
const concurrency = Number(concurrencyText);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
let next = 0;
let measuring = false;
let stop = false;
const latencies = [];
let answered = 0;
// every answer, warm-up included: the prober's CPU over the whole run is divided by it
let all = 0;
let httpErrors = 0;
let probeFailures = 0;

function once(port) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const url = `${base}127.0.0.1:${port}`;
    get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        all++;
        if (measuring) {
          latencies.push(performance.now() - t0);
          answered++;
          if (res.statusCode !== 200) httpErrors++;
          else if (/^\w*probe_success(\{[^}]*\})? 0$/m.test(body)) probeFailures++;
        }
        resolve();
      });
    }).on('error', () => {
      if (measuring) httpErrors++;
      resolve();
    });
  });
}

async function worker() {
  while (!stop) await once(ports[next++ % ports.length]);
}

const workers = Array.from({ length: concurrency }, worker);
await new Promise((r) => setTimeout(r, 1000));
measuring = true;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, Number(secondsText) * 1000));
measuring = false;
const seconds = (performance.now() - t0) / 1000;
stop = true;
await Promise.all(workers);
agent.destroy();
latencies.sort((a, b) => a - b);
const at = (q) =>
  latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ perSecond: answered / seconds, answered, all, httpErrors, probeFailures, p50: at(0.5), p99: at(0.99) })}\n`,
);
