// The worker side of a WorkPool: answers each task with the function's result, or with the
// message of what it threw (the pool rejects that task with it; the worker carries on).
import { parentPort } from 'node:worker_threads';

export interface TaskMessage<I> {
  readonly id: number;
  readonly input: I;
}

export type ResultMessage<O> =
  { readonly id: number; readonly output: O } | { readonly id: number; readonly error: string };

export function serveTasks<I, O>(work: (input: I) => O): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs in a worker thread');
  port.on('message', (task: TaskMessage<I>) => {
    let answer: ResultMessage<O>;
    try {
      answer = { id: task.id, output: work(task.input) };
    } catch (err) {
      answer = { id: task.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(answer);
  });
}
