// The exporter's own prom-client registry (never the global one) and the seam the HTTP layer
// renders through. This folder is the only place that imports prom-client.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricSpec } from './catalog.js';

export interface MetricsRenderer {
  readonly contentType: string;
  render(): Promise<string>;
}

export function createRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

export function renderer(registry: Registry): MetricsRenderer {
  return { contentType: registry.contentType, render: () => registry.metrics() };
}

export function gaugeOf<L extends string>(registry: Registry, spec: MetricSpec): Gauge<L> {
  return new Gauge<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames as L[],
    registers: [registry],
  });
}

export function counterOf<L extends string>(registry: Registry, spec: MetricSpec): Counter<L> {
  return new Counter<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames as L[],
    registers: [registry],
  });
}
