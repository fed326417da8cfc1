// Reads each configured Envoy admin endpoint on its interval (the first read at once) and hands
// what it read to the metrics. A reload replaces the targets; stop() ends every timer.
import type { Config } from '../config/schema.js';
import type { EnvoyAdminConfig } from '../config/sections/envoy-admin.js';
import type { Logger } from '../log/logger.js';
import { AdminReadError, readAdminStats } from './admin-read.js';
import type { EnvoyAdminMetrics } from './envoy-admin-metrics.js';
import { fromStatsJson, fromStatsPrometheus } from './ssl-stats.js';
import { oneAtATime } from '../common/async.js';

export class EnvoyAdminService {
  #timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly metrics: EnvoyAdminMetrics,
    private readonly logger: Logger,
  ) {}

  apply(config: Config): void {
    this.stop();
    this.metrics.retain(new Set(config.envoy_admin.map((t) => t.name)));
    for (const target of config.envoy_admin) {
      this.metrics.started(target);
      // a read still waiting on a slow admin when the next is due is joined, never doubled
      const read = oneAtATime(() => this.readOnce(target));
      void read();
      const timer = setInterval(() => void read(), target.interval);
      timer.unref();
      this.#timers.push(timer);
    }
  }

  /** One read of one target; never throws (a failure is counted and logged). */
  async readOnce(target: EnvoyAdminConfig): Promise<void> {
    try {
      const body = await readAdminStats(target.url, target.format, target.timeout);
      const counts = target.format === 'json' ? fromStatsJson(body) : fromStatsPrometheus(body);
      this.metrics.read(target, counts);
    } catch (err) {
      // anything else a reply can make the readers throw is a reply that could not be read
      const reason = err instanceof AdminReadError ? err.reason : 'parse';
      this.metrics.failed(target, reason);
      this.logger.warn(
        { envoy: target.name, url: target.url, reason, detail: (err as Error).message },
        'cannot read the Envoy admin statistics',
      );
    }
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }
}
