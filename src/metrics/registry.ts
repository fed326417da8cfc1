// The exporter's own prom-client registry (never the global one) and the seam the HTTP layer
// renders through. This folder is the only place that imports prom-client.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricSpec } from './catalog.js';
import type { Family } from './family.js';

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

/**
 * Publishes a Map-backed family through the registry. Reading never throws into prom-client
 * (one throwing collector would fail the whole scrape): a failure serves the family empty.
 */
export function registerFamily(registry: Registry, family: Family): void {
  const { name, help, type, labelNames } = family.spec;
  registry.registerMetric({
    name,
    help,
    type,
    get() {
      const values: Array<{ labels: Record<string, string>; value: number }> = [];
      try {
        for (const sample of family.samples()) {
          const labels: Record<string, string> = {};
          labelNames.forEach((label, i) => {
            labels[label] = sample.labels[i] ?? '';
          });
          values.push({ labels, value: sample.value });
        }
      } catch {
        values.length = 0;
      }
      return { name, help, type, values, aggregator: 'sum' };
    },
  } as unknown as Parameters<Registry['registerMetric']>[0]);
}
