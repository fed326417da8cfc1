// The exporter's health metrics that are not tied to a source: build info and config reloads.
import type { Registry } from 'prom-client';
import type { BuildInfo } from '../version.js';
import { METRICS } from './catalog.js';
import { gaugeOf } from './registry.js';

export interface ReloadRecorder {
  loaded(atSeconds: number): void;
  failed(): void;
}

export function recordBuildInfo(registry: Registry, info: BuildInfo): void {
  gaugeOf<'version' | 'revision' | 'nodejs_version'>(registry, METRICS.buildInfo)
    .labels({ version: info.version, revision: info.revision, nodejs_version: info.nodejsVersion })
    .set(1);
}

export function reloadRecorder(registry: Registry): ReloadRecorder {
  const successful = gaugeOf(registry, METRICS.configLastReloadSuccessful);
  const timestamp = gaugeOf(registry, METRICS.configLastReloadSuccessTimestamp);
  return {
    loaded(atSeconds) {
      successful.set(1);
      timestamp.set(atSeconds);
    },
    failed() {
      successful.set(0);
    },
  };
}
