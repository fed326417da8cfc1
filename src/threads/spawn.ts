// Starts a worker thread from an entry module beside the caller: in the bundle the `.js` esbuild
// wrote (scripts/bundle.mjs makes each worker entry an entry point of its own), under tsx (tests,
// the bench from source) the `.ts`, with tsx's loader registered inside the worker, which does
// not inherit the main thread's.
import { Worker } from 'node:worker_threads';

/** `caller`: the import.meta.url of the module beside the entry; `entry`: its name, no extension */
export function spawnWorker(caller: string, entry: string): Worker {
  if (!caller.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, caller));
  const module = new URL(`./${entry}.ts`, caller).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = [
    `const { register } = await import(${JSON.stringify(tsx)});`,
    'register();',
    `await import(${JSON.stringify(module)});`,
  ].join(' ');
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}
