// Loads the probing engine (probe-engine.ts) on first use. Modules that run whether or not any
// probe is configured (the scheduler, main) import this file and the engine's types only.
import type * as Engine from './probe-engine.js';

export type ProbeEngine = typeof Engine;

let loading: Promise<ProbeEngine> | undefined;

/** The engine, imported once per process. */
export function probeEngine(): Promise<ProbeEngine> {
  loading ??= import('./probe-engine.js');
  return loading;
}
