// The worker thread that opens PKCS#12 keystores (pfx.ts) for keystore-reader.ts, so a million
// iterations of key derivation never hold the exporter's event loop.
import { serveTasks } from '../../threads/serve.js';
import type { KeystoreTask } from './keystore-reader.js';
import { decodePkcs12 } from './pfx.js';

serveTasks((task: KeystoreTask) =>
  decodePkcs12(
    Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength),
    task.password,
  ),
);
