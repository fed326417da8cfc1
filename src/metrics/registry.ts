// The exporter's own prom-client registry (never the global one) and the seam the HTTP layer
// renders through. This folder is the only place that imports prom-client.
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
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

export interface ComputedSample {
  readonly labels: readonly string[];
  readonly value: number;
}

/**
 * Publishes samples computed at scrape time (`read` runs once per scrape). Reading never throws
 * into prom-client (one throwing collector would fail the whole scrape): a failure serves the
 * family empty. Duplicate label sets keep their first sample, as Prometheus rejects duplicates.
 */
export function registerComputed(
  registry: Registry,
  spec: MetricSpec,
  read: () => Iterable<ComputedSample>,
): void {
  const { name, help, type, labelNames } = spec;
  registry.registerMetric({
    name,
    help,
    type,
    get() {
      const values: Array<{ labels: Record<string, string>; value: number }> = [];
      const seen = new Set<string>();
      try {
        for (const sample of read()) {
          const key = sample.labels.join('\u0000');
          if (seen.has(key)) continue;
          seen.add(key);
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

/** Publishes a Map-backed family through the registry. */
export function registerFamily(registry: Registry, family: Family): void {
  registerComputed(registry, family.spec, () => family.samples());
}
