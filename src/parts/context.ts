// What every part is built with: the registry it registers its own metrics in, the logger, and
// the config it starts with.
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { MetricsRegistry } from '../metrics/registry.js';

export interface PartContext {
  readonly registry: MetricsRegistry;
  readonly logger: Logger;
  readonly initial: Config;
}
