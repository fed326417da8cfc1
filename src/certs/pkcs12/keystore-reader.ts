// Opens PKCS#12 keystores in worker threads: a keystore at a million PBKDF2 iterations is a
// second of hashing (kdf.ts), twenty of them would stop /-/healthy answering. A file's result is
// kept by its content and password, so a rescan of an unchanged keystore costs a hash, not a
// derivation.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { WorkPool } from '../../threads/work-pool.js';
import { BoundedMap } from '../../common/bounded-map.js';
import type { ParsedCertFile } from '../files/parsed-cert-file.js';

export interface KeystoreTask {
  readonly bytes: Uint8Array;
  readonly password: string | undefined;
}

/** results kept: far more keystores than a site has, few enough to hold (each a few kB) */
const CACHE_ENTRIES = 1_000;

export class KeystoreReader {
  readonly #pool: WorkPool<KeystoreTask, ParsedCertFile>;
  readonly #cache = new BoundedMap<Promise<ParsedCertFile>>(CACHE_ENTRIES);

  /** one core is the event loop's: by default a worker per other core, one to four */
  constructor(workers: number = Math.min(4, availableParallelism() - 1)) {
    this.#pool = new WorkPool(import.meta.url, 'pkcs12-worker', workers);
  }

  /** The keystore's certificates, or why not; never rejects. */
  read(bytes: Buffer, password: string | undefined): Promise<ParsedCertFile> {
    const key = createHash('sha256')
      .update(bytes)
      .update(password === undefined ? '\u0000' : `\u0001${password}`)
      .digest('hex');
    const known = this.#cache.get(key);
    if (known) {
      this.#cache.set(key, known); // the newest again: kept while in use
      return known;
    }
    const result = this.#pool.run({ bytes, password }).then(
      // a worker's Buffers arrive as plain Uint8Arrays
      (r): ParsedCertFile =>
        r.ok === true ? { ok: true, certs: r.certs.map((c) => Buffer.from(c)) } : r,
      (err: Error): ParsedCertFile => {
        this.#cache.delete(key); // the reader's failure, not the file's: tried again next scan
        return { ok: false, reason: 'corrupt', detail: `not read: ${err.message}` };
      },
    );
    this.#cache.set(key, result);
    return result;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

let shared: KeystoreReader | undefined;

/** The process's reader, created on first use. */
export function keystoreReader(): KeystoreReader {
  return (shared ??= new KeystoreReader());
}
