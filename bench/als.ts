// The gRPC access-log case: the whole exporter (bin/, as users run it) receiving Envoy's
// StreamAccessLogs over one stream and over 16 (as from that many Envoys), from a load process
// (bench/als-load-child.mjs). Entries/s is from the load's start to the exporter having counted
// the last entry (its own line counter, read on /metrics every 100 ms); CPU and peak RSS are the
// exporter process's.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cpuSeconds, freePort, peakRssMiB, startHealthy, stop } from './startup.js';

export interface AlsRun {
  readonly entries: number;
  readonly entriesPerSecond: number;
  readonly cpuSecondsPerMillion: number;
  readonly peakRssMiB: number;
}

const BIN = fileURLToPath(new URL('../bin/tls-sli-exporter.js', import.meta.url));
const LOAD = fileURLToPath(new URL('./als-load-child.mjs', import.meta.url));
function counted(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        let sum = 0;
        for (const m of body.matchAll(
          /^tls_sli_exporter_log_lines_total\{log="als",[^}]*\} (\S+)$/gm,
        ))
          sum += Number(m[1]);
        resolve(sum);
      });
    }).on('error', reject);
  });
}

export async function alsRun(dir: string, entries: number, streams: number): Promise<AlsRun> {
  const port = await freePort();
  const alsPort = await freePort();
  const config = join(dir, `als-${streams}.yml`);
  await writeFile(
    config,
    `access_log_services:\n  - {name: als, listen_address: '127.0.0.1:${alsPort}'}\n`,
  );
  const { child } = await startHealthy(
    process.execPath,
    [BIN, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    port,
  );
  try {
    const pid = child.pid ?? 0;
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    const load = await promisify(execFile)(process.execPath, [
      LOAD,
      String(alsPort),
      String(entries),
      String(streams),
    ]);
    const sent = (JSON.parse(load.stdout.trim().split('\n').at(-1) ?? '{}') as { entries: number })
      .entries;
    while ((await counted(port)) < sent) {
      if (performance.now() - t0 > 300_000)
        throw new Error('the exporter never counted every entry');
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      entries: sent,
      entriesPerSecond: sent / seconds,
      cpuSecondsPerMillion: ((cpuSeconds(pid) - cpu0) / sent) * 1e6,
      peakRssMiB: peakRssMiB(child),
    };
  } finally {
    await stop(child);
  }
}
