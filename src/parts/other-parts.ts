// The parts that stand alone: the Envoy admin readers (with their metrics), the status page's
// sampler and the logger.
import { EnvoyAdminMetrics } from '../envoy-admin/envoy-admin-metrics.js';
import { EnvoyAdminService } from '../envoy-admin/envoy-admin-service.js';
import type { LogFamilies } from '../metrics/log-families.js';
import type { Part } from '../runtime/part.js';
import { StatusSampler } from '../status/status-sampler.js';
import type { PartContext } from './context.js';

export function envoyAdminPart({ registry, logger }: PartContext): Part {
  const metrics = new EnvoyAdminMetrics();
  metrics.register(registry);
  const envoyAdmin = new EnvoyAdminService(metrics, logger);
  return {
    name: 'Envoy admin',
    apply: (next) => envoyAdmin.apply(next),
    stop: () => envoyAdmin.stop(),
  };
}

/** The status page's history of the log counters: sampled from the start, whatever the config. */
export function statusPart(families: LogFamilies): { part: Part; sampler: StatusSampler } {
  const sampler = new StatusSampler(families);
  return {
    sampler,
    part: {
      name: 'status',
      apply: (_next, previous) => {
        if (previous === undefined) sampler.start();
      },
      stop: () => sampler.stop(),
    },
  };
}

/** The log level follows every reload; what only a restart changes is said when it changes. */
export function loggerPart({ logger }: PartContext): Part {
  return {
    name: 'logger',
    apply(next, previous) {
      logger.level = next.log.level;
      if (
        previous !== undefined &&
        (next.log.format !== previous.log.format ||
          next.web.listen_address !== previous.web.listen_address ||
          next.web.config_file !== previous.web.config_file ||
          next.positions_file !== previous.positions_file)
      ) {
        logger.warn(
          { listen_address: next.web.listen_address, log_format: next.log.format },
          'web.listen_address, web.config_file, positions_file and log.format changes take effect after a restart',
        );
      }
    },
  };
}
