// Bench helper process: appends Envoy listener lines to a file at a steady rate (a batch every
// 10 ms), renames the file away halfway and carries on in a new one, as logrotate's `create`
// does. Prints its write log ([wall-clock ms, lines written so far] per batch) as one JSON line.
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { listenerJson } from '../dist/demo/envoy-lines.js';

const [file, rateText, secondsText] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const perBatch = Math.round(rate / 100);
const batches = Math.round(seconds * 100);
const now = () => performance.timeOrigin + performance.now();
const line = (i) =>
  listenerJson({
    START_TIME: new Date().toISOString(),
    CONNECTION_ID: i,
    REQUESTED_SERVER_NAME: `svc-${i % 5}.bench.example`,
    DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
    DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
  });
let fd = openSync(file, 'a');
const log = [];
let written = 0;
const start = now();
for (let b = 0; b < batches; b++) {
  const due = start + b * 10;
  const wait = due - now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  if (b === Math.floor(batches / 2)) {
    closeSync(fd);
    renameSync(file, `${file}.1`);
    fd = openSync(file, 'a');
  }
  let text = '';
  for (let k = 0; k < perBatch; k++) text += `${line(written + k)}\n`;
  writeSync(fd, text);
  written += perBatch;
  log.push([now(), written]);
}
closeSync(fd);
process.stdout.write(`${JSON.stringify({ written, log })}\n`);
