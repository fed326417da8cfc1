// The cron schedule the probe rounds and the certificate-file scans run on (`probes.schedule`):
// node-cron, never overlapping itself, its own messages sent to our logger.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log/logger.js';

export function scheduleRounds(
  schedule: string,
  name: string,
  run: () => Promise<void>,
  logger: Logger,
): ScheduledTask {
  return cron.schedule(schedule, run, {
    noOverlap: true,
    name,
    logger: {
      info: (m: string) => logger.debug({ component: 'cron' }, m),
      warn: (m: string) => logger.warn({ component: 'cron' }, m),
      error: (m: string | Error) => logger.error({ component: 'cron' }, String(m)),
      debug: (m: string | Error) => logger.debug({ component: 'cron' }, String(m)),
    },
  });
}
