// WorkPool with real worker threads: answers, queueing past the pool's size, a task that throws
// (rejected, the worker carries on), a worker that dies (rejected, replaced), close.
import { strict as assert } from 'node:assert';
import { isMainThread } from 'node:worker_threads';
import { TaskFailed, WorkerLost, WorkPool } from '../../../src/threads/work-pool.js';

type Input = number | 'throw' | 'exit';
type Output = { doubled: number; thread: string };

const ECHO = '../../fixtures/threads/echo-worker';

describe('work pool', function () {
  this.timeout(20_000);
  let pool: WorkPool<Input, Output>;
  beforeEach(() => {
    pool = new WorkPool<Input, Output>(import.meta.url, ECHO, 2);
  });
  afterEach(() => pool.close());

  it('runs tasks in worker threads, more tasks than workers queued, each answered', async () => {
    assert.equal(isMainThread, true);
    const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => pool.run(i)));
    assert.deepEqual(
      answers.map((a) => a.doubled),
      [0, 2, 4, 6, 8, 10, 12, 14, 16],
    );
    assert.ok(answers.every((a) => a.thread === 'worker'));
  });

  it('a task that throws is rejected with its message; the worker carries on', async () => {
    await assert.rejects(
      pool.run('throw'),
      (err) => err instanceof TaskFailed && err.message === 'the task threw',
    );
    assert.equal((await pool.run(21)).doubled, 42);
  });

  it('a worker that dies rejects its task with WorkerLost and is replaced', async () => {
    const lost = pool.run('exit');
    const queued = [pool.run(1), pool.run(2), pool.run(3)];
    await assert.rejects(
      lost,
      (err) => err instanceof WorkerLost && /exit code 3/.test(err.message),
    );
    assert.deepEqual(
      (await Promise.all(queued)).map((a) => a.doubled),
      [2, 4, 6],
    );
  });

  it('close rejects what is queued and what runs', async () => {
    const one = new WorkPool<Input, Output>(import.meta.url, ECHO, 1);
    const running = assert.rejects(one.run(1), WorkerLost);
    const waiting = assert.rejects(one.run(2), WorkerLost);
    await one.close();
    await running;
    await waiting;
  });
});
