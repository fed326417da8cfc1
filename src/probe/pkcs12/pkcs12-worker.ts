// The worker thread that opens PKCS#12 keystores (pfx.ts) for pkcs12-workers.ts, so a million
// iterations of key derivation never hold the exporter's event loop.
import { parentPort } from 'node:worker_threads';
import { decodePkcs12 } from './pfx.js';
import type { KeystoreTask } from './pkcs12-workers.js';

parentPort?.on('message', (task: KeystoreTask) => {
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  parentPort?.postMessage({ id: task.id, result: decodePkcs12(bytes, task.password) });
});
