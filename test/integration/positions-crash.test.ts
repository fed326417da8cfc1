// Exactly once, as Prometheus sees it: a writer appends at a steady rate while the built exporter
// is killed with SIGKILL twice and restarted (the second time the log is also rotated by rename +
// create during the downtime). A scraper polls /metrics every 200 ms; the kills land between its
// scrapes. The sum over runs of the last value scraped from each run equals the lines written.
import { strict as assert } from 'node:assert';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServing, type CliProcess } from '../support/cli-process.js';
import { listenerJson } from '../support/envoy-lines.js';
import { sampleValue } from '../support/exposition.js';
import { withTempDir } from '../support/tmp.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls one run's /metrics every 200 ms until stopped; keeps the last value it saw. */
function scraper(url: string): { stop(): Promise<number> } {
  let last = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const text = await (await fetch(`${url}/metrics`)).text();
        last =
          sampleValue(text, 'tls_handshake_success_total', { server_name: 'crash.example' }) ??
          last;
      } catch {
        // the run is gone
      }
      await sleep(200);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return last;
    },
  };
}

describe('positions file: SIGKILL mid-stream', function () {
  this.timeout(90_000);

  it('loses no line and counts none twice across two kills and a rotation', async () => {
    await withTempDir(async (dir) => {
      const log = join(dir, 'listener.log');
      await writeFile(log, '');
      const config = join(dir, 'config.yml');
      await writeFile(
        config,
        `positions_file: ${join(dir, 'positions.json')}\naccess_logs:\n  - {name: ingress, path: ${log}, format: envoy_listener_json, start_at: end, poll_interval: 250ms, rotation_drain: 2s}\n`,
      );
      let written = 0;
      let writing = true;
      const write = async (): Promise<void> => {
        while (writing) {
          let text = '';
          for (let k = 0; k < 40; k++) {
            text += `${listenerJson({
              CONNECTION_ID: written + k,
              REQUESTED_SERVER_NAME: 'crash.example',
              DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
              DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
            })}\n`;
          }
          await appendFile(log, text);
          written += 40;
          await sleep(20);
        }
      };
      let writer: Promise<void> = Promise.resolve();
      const lastValues: number[] = [];
      const runs: CliProcess[] = [];
      try {
        for (let run = 0; run < 3; run++) {
          const exporter = await startServing([`--config.file=${config}`]);
          runs.push(exporter);
          // start_at: end: the first run must be following before the first line is written
          if (run === 0) writer = write();
          const scrapes = scraper(exporter.url);
          await sleep(1_500 + Math.random() * 500);
          if (run < 2) {
            // between two scrapes, as a crash would land most of the time
            lastValues.push(await scrapes.stop());
            exporter.child.kill('SIGKILL');
            await exporter.exited;
            await sleep(300);
            if (run === 1) {
              await rename(log, `${log}.1`);
              await writeFile(log, '');
            }
            continue;
          }
          writing = false;
          await writer;
          // let the last run catch up with everything written, then read its final value
          let previous = -1;
          for (let i = 0; i < 60; i++) {
            await sleep(300);
            const text = await (await fetch(`${exporter.url}/metrics`)).text();
            const now =
              sampleValue(text, 'tls_handshake_success_total', { server_name: 'crash.example' }) ??
              0;
            if (now === previous && lastValues.reduce((a, b) => a + b, 0) + now >= written) break;
            previous = now;
          }
          lastValues.push(await scrapes.stop());
          exporter.child.kill('SIGTERM');
          await exporter.exited;
        }
      } finally {
        writing = false;
        await writer;
        for (const r of runs)
          if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
      }
      assert.equal(lastValues.length, 3);
      assert.ok(
        lastValues.every((v) => v > 0),
        `every run counted something: ${lastValues.join(', ')}`,
      );
      assert.equal(
        lastValues.reduce((a, b) => a + b, 0),
        written,
        `last values per run ${lastValues.join(' + ')} against ${written} written`,
      );
    });
  });
});
