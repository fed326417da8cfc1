// Bench: probe the given ports with the compiled exporter's probe (dist/), sequentially or at a
// concurrency, for a number of rounds; print probes/s and CPU per probe as one JSON line.
import { runPool } from '../dist/probe/probe-service.js';
import { loadModule } from '../dist/probe/module-runtime.js';
import { moduleSchema } from '../dist/config/sections/probes.js';
import { probeTarget } from '../dist/probe/tls-probe.js';

const [dir, portsJson, concurrencyText, roundsText] = process.argv.slice(2);
const ports = JSON.parse(portsJson);
const concurrency = Number(concurrencyText);
const rounds = Number(roundsText);
const module = await loadModule(
  'bench',
  moduleSchema.parse({ ca_file: `${dir}/ca.pem`, timeout: '5s' }),
);
const targets = ports.map((port) => ({
  name: `t${port}`,
  host: '127.0.0.1',
  port,
  serverName: 'localhost',
}));
const now = () => Date.now() / 1000;
let failures = 0;
// one warm-up round, not measured
await runPool(targets, concurrency, async (t) => void (await probeTarget(t, module, now)));
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) {
  await runPool(targets, concurrency, async (t) => {
    const [result] = await probeTarget(t, module, now);
    if (!result?.success) failures += 1;
  });
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const probes = rounds * targets.length;
process.stdout.write(
  `${JSON.stringify({ probes, seconds, failures, cpuMsPerProbe: (cpu.user + cpu.system) / 1000 / probes, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
