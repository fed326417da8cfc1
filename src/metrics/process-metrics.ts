// prom-client's standard process and Node.js metrics in a registry of their own (never its global
// one). Imported only by registry.ts, and only once the server listens: a start does not wait for
// prom-client to load (docs/performance.md, start-up).
import { Registry, collectDefaultMetrics } from 'prom-client';

export function processMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
