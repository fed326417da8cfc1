// Bench: a real exporter (compiled, dist/) whose access log holds enough distinct server names to
// publish about the requested number of series, scraped over loopback: render time per scrape,
// CPU per scrape, bytes on the wire, series count, and the worst event-loop delay seen during the
// scrapes. With `gzip` the scrapes ask for gzip as Prometheus does. One JSON line.
import { writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { listenerJson } from '../dist/demo/envoy-lines.js';
import { startQuietExporter } from './quiet-exporter.mjs';

const [dir, seriesText, scrapesText, encoding] = process.argv.slice(2);
const zip = encoding === 'gzip';
const wanted = Number(seriesText);
const scrapes = Number(scrapesText ?? 5);
// each server name publishes one success series and one per failure reason (19): 20 in all
const names = Math.ceil(wanted / 20);
const log = join(dir, `scrape-${wanted}.log`);
const lines = [];
for (let i = 0; i < names; i++) {
  lines.push(
    listenerJson({
      REQUESTED_SERVER_NAME: `svc-${i}.bench.example`,
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
    }),
  );
}
await writeFile(log, `${lines.join('\n')}\n`);
const config = join(dir, `scrape-${wanted}.yml`);
await writeFile(
  config,
  [
    `web: {listen_address: '127.0.0.1:0'}`,
    `access_logs:`,
    `  - {name: bench, path: ${JSON.stringify(log)}, format: envoy_listener_json, start_at: beginning, poll_interval: 1h}`,
    `server_names: {max_values: ${names + 10}}`,
    '',
  ].join('\n'),
);
const exporter = await startQuietExporter(config);
await exporter.pollLogs();

/** One scrape: milliseconds to the last byte, and the body (kept only when asked). */
function scrape(keep, gzip) {
  const headers = gzip ? { 'Accept-Encoding': 'gzip' } : {};
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    get({ host: '127.0.0.1', port: exporter.address.port, path: '/metrics', headers }, (res) => {
      if ((res.headers['content-encoding'] === 'gzip') !== gzip)
        reject(new Error(`gzip ${gzip}: got ${res.headers['content-encoding']}`));
      const chunks = [];
      let bytes = 0;
      res.on('data', (c) => {
        bytes += c.length;
        if (keep) chunks.push(c);
      });
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        resolve({ ms, bytes, body: keep ? Buffer.concat(chunks).toString('utf8') : '' });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

// warm-up, not measured: also counts the series (on a plain scrape)
const { body } = await scrape(true, false);
if (zip) await scrape(false, true);
let series = 0;
for (const line of body.split('\n')) if (line !== '' && !line.startsWith('#')) series++;
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const results = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < scrapes; i++) results.push(await scrape(false, zip));
const cpu = process.cpuUsage(cpu0);
delay.disable();
await exporter.stop();
process.stdout.write(
  `${JSON.stringify({
    ms: results.map((r) => r.ms),
    bytes: results[0].bytes,
    // the exporter's side and the client's (reading, not inflating) in one process
    cpuMsPerScrape: (cpu.user + cpu.system) / 1000 / scrapes,
    series,
    maxLoopDelayMs: delay.max / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
