// Runs pure, CPU-heavy tasks (a keystore's key derivations, a large config's YAML) in worker
// threads so the event loop keeps answering /-/healthy and scrapes. Tasks queue when every
// worker is busy; a worker is started on first use, does not keep the process alive while idle,
// and is replaced when it dies (its task is rejected with WorkerLost). Inputs and outputs cross
// by structured clone: plain data only, Buffers arrive as Uint8Arrays.
import type { Worker } from 'node:worker_threads';
import type { ResultMessage, TaskMessage } from './serve.js';
import { spawnWorker } from './spawn.js';

/** A task that did not come back: its worker threw outside the task, or exited. */
export class WorkerLost extends Error {
  override readonly name = 'WorkerLost';
  readonly code = 'WORKER_LOST';
}

/** What a task threw inside the worker (its message; the worker carries on). */
export class TaskFailed extends Error {
  override readonly name = 'TaskFailed';
  readonly code = 'TASK_FAILED';
}

interface Job<I, O> {
  readonly task: TaskMessage<I>;
  resolve(output: O): void;
  reject(err: Error): void;
}

class Slot<I, O> {
  #worker: Worker | undefined;
  #job: Job<I, O> | undefined;

  constructor(
    private readonly start: () => Worker,
    private readonly next: () => Job<I, O> | undefined,
  ) {}

  get idle(): boolean {
    return this.#job === undefined;
  }

  run(job: Job<I, O>): void {
    this.#job = job;
    const worker = (this.#worker ??= this.#spawn());
    worker.ref();
    worker.postMessage(job.task);
  }

  #spawn(): Worker {
    const worker = this.start();
    let failure = '';
    worker.on('message', (m: ResultMessage<O>) =>
      this.#settle((job) =>
        'output' in m ? job.resolve(m.output) : job.reject(new TaskFailed(m.error)),
      ),
    );
    worker.on('error', (err) => (failure = `: ${err.message}`));
    worker.on('exit', (code) => {
      if (worker !== this.#worker) return; // closed on purpose
      this.#worker = undefined;
      const lost = new WorkerLost(`the worker thread stopped (exit code ${code}${failure})`);
      this.#settle((job) => job.reject(lost));
    });
    return worker;
  }

  #settle(answer: (job: Job<I, O>) => void): void {
    const job = this.#job;
    this.#job = undefined;
    if (job) answer(job);
    const more = this.next();
    if (more) this.run(more);
    else this.#worker?.unref();
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#job?.reject(new WorkerLost('the pool was closed'));
    this.#job = undefined;
    await worker?.terminate();
  }
}

export class WorkPool<I, O> {
  readonly #queue: Array<Job<I, O>> = [];
  readonly #slots: Array<Slot<I, O>>;
  #ids = 0;

  /** `caller` and `entry`: as spawnWorker takes them; the entry calls serveTasks */
  constructor(caller: string, entry: string, workers: number) {
    this.#slots = Array.from(
      { length: Math.max(1, workers) },
      () =>
        new Slot<I, O>(
          () => spawnWorker(caller, entry),
          () => this.#queue.shift(),
        ),
    );
  }

  run(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const job = { task: { id: (this.#ids += 1), input }, resolve, reject };
      const slot = this.#slots.find((s) => s.idle);
      if (slot) slot.run(job);
      else this.#queue.push(job);
    });
  }

  async close(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.reject(new WorkerLost('the pool was closed'));
    await Promise.all(this.#slots.map((s) => s.close()));
  }
}
