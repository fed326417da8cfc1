// The exporter's health metrics that are not tied to a source: build info and config reloads.
import type { BuildInfo } from '../version.js';
import { METRICS } from './catalog.js';
import { registerComputed, type MetricsRegistry } from './registry.js';

export interface ReloadRecorder {
  loaded(atSeconds: number): void;
  failed(): void;
}

export function recordBuildInfo(registry: MetricsRegistry, info: BuildInfo): void {
  const labels = [info.version, info.revision, info.nodejsVersion];
  registerComputed(registry, METRICS.buildInfo, () => [{ labels, value: 1 }]);
}

export function reloadRecorder(registry: MetricsRegistry): ReloadRecorder {
  let successful = 0;
  let timestamp = 0;
  registerComputed(registry, METRICS.configLastReloadSuccessful, () => [
    { labels: [], value: successful },
  ]);
  registerComputed(registry, METRICS.configLastReloadSuccessTimestamp, () => [
    { labels: [], value: timestamp },
  ]);
  return {
    loaded(atSeconds) {
      successful = 1;
      timestamp = atSeconds;
    },
    failed() {
      successful = 0;
    },
  };
}
