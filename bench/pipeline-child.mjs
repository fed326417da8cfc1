// One bench run in its own process: follow a log file from the beginning through the whole
// pipeline until every byte is read, then print one JSON result (time, CPU, peak RSS, counts).
import { stat } from 'node:fs/promises';
// Runs the compiled exporter (dist/), as users run it: no TypeScript loader in the measurement.
import { AccessLogService } from '../dist/accesslog/access-log-service.js';
import { parseConfigText } from '../dist/config/load.js';
import { createLogger } from '../dist/log/logger.js';
import { LogFamilies } from '../dist/metrics/log-families.js';
import { Checkpointer } from '../dist/accesslog/positions/checkpoint.js';
import { PositionsFile } from '../dist/accesslog/positions/positions-file.js';

const [path, preset, withPositions] = process.argv.slice(2);
if (!path || !preset) throw new Error('usage: pipeline-child <log file> <preset>');
const config = parseConfigText(
  `access_logs:\n  - {name: bench, path: ${JSON.stringify(path)}, format: ${preset}, start_at: beginning, poll_interval: 1h}\nserver_names: {max_values: 100}\n`,
  'bench.yml',
);
const families = new LogFamilies();
const service = new AccessLogService({
  families,
  logger: createLogger('error', 'json', { write: () => undefined }),
  watch: false,
});
const size = (await stat(path)).size;
// `positions`: a positions file checkpointed every 250 ms while the file is read, as four
// scrapes a second would (the cost of crash-safe offsets)
let checkpoints = 0;
let timer;
if (withPositions === 'positions') {
  const file = new PositionsFile(`${path}.positions.json`, (kind, detail) => {
    throw new Error(`positions ${kind}: ${detail}`);
  });
  const checkpointer = new Checkpointer(file, () => service.positions(), families.publication, 0);
  timer = setInterval(() => {
    checkpoints += 1;
    void checkpointer.checkpoint();
  }, 250);
}
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await service.apply(config);
await service.pollAll();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
if (timer) clearInterval(timer);
const cpu = process.cpuUsage(cpu0);
let lines = 0;
for (const s of families.lines.samples()) lines += s.value;
let bytes = 0;
for (const s of families.bytes.samples()) bytes += s.value;
// handshake series published: bounded by the label limiter whatever the log holds
let series = 0;
for (const family of [families.success, families.failures]) series += [...family.samples()].length;
await service.stop();
if (bytes !== size) throw new Error(`read ${bytes} of ${size} bytes`);
process.stdout.write(
  `${JSON.stringify({ seconds, lines, bytes, series, checkpoints, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
