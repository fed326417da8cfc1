// Opens PKCS#12 keystores in worker threads: a keystore at a million PBKDF2 iterations is a
// second of hashing (kdf.ts), twenty of them would stop /-/healthy answering. A file's result is
// kept by its content and password, so a rescan of an unchanged keystore costs a hash, not a
// derivation. Workers are created on first use and do not keep the process alive when idle.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ParsedCertFile } from '../cert-file-parse.js';

export interface KeystoreTask {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly password: string | undefined;
}

interface Pending {
  readonly task: KeystoreTask;
  readonly resolve: (result: ParsedCertFile, keep: boolean) => void;
}

/** results kept: far more keystores than a site has, few enough to hold (each a few kB) */
const CACHE_ENTRIES = 1_000;

/**
 * The worker's entry beside this module: the bundle's .js, or under tsx (tests, `npm run bench`
 * from source) the .ts, loaded through tsx's loader registered in the worker itself.
 */
function spawn(): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./pkcs12-worker.js', import.meta.url));
  const entry = new URL('./pkcs12-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

class Slot {
  #worker: Worker | undefined;
  #current: Pending | undefined;

  constructor(private readonly next: () => Pending | undefined) {}

  get idle(): boolean {
    return this.#current === undefined;
  }

  run(job: Pending): void {
    this.#current = job;
    const worker = (this.#worker ??= this.#start());
    worker.ref();
    worker.postMessage(job.task);
  }

  #start(): Worker {
    const worker = spawn();
    let failure = '';
    worker.on('message', (m: { id: number; result: ParsedCertFile }) => this.#done(m.result, true));
    worker.on('error', (err) => (failure = `: ${err.message}`));
    worker.on('exit', (code) => {
      if (worker !== this.#worker) return;
      this.#worker = undefined;
      const detail = `the keystore reader stopped (exit code ${code}${failure})`;
      this.#done({ ok: false, reason: 'corrupt', detail }, false);
    });
    return worker;
  }

  /** `keep`: the file's own result, not a failure of the reader to be tried again */
  #done(result: ParsedCertFile, keep: boolean): void {
    const job = this.#current;
    this.#current = undefined;
    // a worker's Buffers arrive as plain Uint8Arrays
    job?.resolve(
      result.ok === true ? { ok: true, certs: result.certs.map((c) => Buffer.from(c)) } : result,
      keep,
    );
    const more = this.next();
    if (more) this.run(more);
    else this.#worker?.unref();
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined; // its exit is then no loss to report
    this.#current?.resolve({ ok: false, reason: 'corrupt', detail: 'reader closed' }, false);
    this.#current = undefined;
    await worker?.terminate();
  }
}

export class KeystoreReader {
  readonly #queue: Pending[] = [];
  readonly #slots: Slot[];
  readonly #cache = new Map<string, Promise<ParsedCertFile>>();
  #ids = 0;

  constructor(workers: number = Math.max(1, Math.min(4, availableParallelism() - 1))) {
    this.#slots = Array.from({ length: workers }, () => new Slot(() => this.#queue.shift()));
  }

  /** The keystore's certificates, or why not; never rejects. */
  read(bytes: Buffer, password: string | undefined): Promise<ParsedCertFile> {
    const key = createHash('sha256')
      .update(bytes)
      .update(password === undefined ? '\u0000' : `\u0001${password}`)
      .digest('hex');
    const known = this.#cache.get(key);
    if (known) {
      this.#cache.delete(key); // most recently used last
      this.#cache.set(key, known);
      return known;
    }
    const result = new Promise<ParsedCertFile>((resolve) => {
      const done = (r: ParsedCertFile, keep: boolean): void => {
        if (!keep) this.#cache.delete(key);
        resolve(r);
      };
      const job = { task: { id: (this.#ids += 1), bytes, password }, resolve: done };
      const slot = this.#slots.find((s) => s.idle);
      if (slot) slot.run(job);
      else this.#queue.push(job);
    });
    this.#cache.set(key, result);
    if (this.#cache.size > CACHE_ENTRIES)
      this.#cache.delete(this.#cache.keys().next().value as string);
    return result;
  }

  async close(): Promise<void> {
    const closed: ParsedCertFile = { ok: false, reason: 'corrupt', detail: 'reader closed' };
    for (const job of this.#queue.splice(0)) job.resolve(closed, false);
    await Promise.all(this.#slots.map((s) => s.close()));
  }
}

let shared: KeystoreReader | undefined;

/** The process's reader, created on first use. */
export function keystoreReader(): KeystoreReader {
  return (shared ??= new KeystoreReader());
}
