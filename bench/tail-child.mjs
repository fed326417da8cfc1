// Bench: the compiled exporter's access-log service (dist/) following a file that a separate
// writer appends to, with fs.watch as in production. Prints "ready", then, once `expected` lines
// are counted (or a minute after the writer would be done), one JSON line: CPU seconds and wall
// seconds from the first line to the last, and [wall-clock ms, lines counted] each time the
// count changed (sampled every 20 ms), from which the parent computes the write-to-count lag.
import { performance } from 'node:perf_hooks';
import { AccessLogService } from '../dist/accesslog/access-log-service.js';
import { parseConfigText } from '../dist/config/load.js';
import { createLogger } from '../dist/log/logger.js';
import { LogFamilies } from '../dist/metrics/log-families.js';

const [path, expectedText, giveUpText] = process.argv.slice(2);
const expected = Number(expectedText);
const config = parseConfigText(
  `access_logs:\n  - {name: tail, path: ${JSON.stringify(path)}, format: envoy_listener_json, start_at: beginning}\n`,
  'tail.yml',
);
const families = new LogFamilies();
const service = new AccessLogService({
  families,
  logger: createLogger('error', 'json', { write: () => undefined }),
});
await service.apply(config);
const now = () => performance.timeOrigin + performance.now();
const counted = () => {
  let n = 0;
  for (const s of families.lines.samples()) n += s.value;
  return n;
};
const samples = [];
let last = 0;
let cpu0;
let t0 = 0;
process.stdout.write('ready\n');
const giveUp = now() + Number(giveUpText);
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const n = counted();
    if (n !== last) {
      if (last === 0) {
        cpu0 = process.cpuUsage();
        t0 = now();
      }
      last = n;
      samples.push([now(), n]);
    }
    if (n >= expected || now() > giveUp) {
      clearInterval(timer);
      resolve();
    }
  }, 20);
});
const cpu = process.cpuUsage(cpu0);
const wall = (now() - t0) / 1000;
await service.stop();
process.stdout.write(
  `${JSON.stringify({ counted: last, cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds: wall, samples, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
