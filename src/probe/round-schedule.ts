// The cron schedule the probe rounds and the certificate-file scans each run on
// (`probes.schedule`): node-cron, never overlapping itself, its messages sent to our logger, and
// one round at once whenever the schedule is (re)set, so a start or reload does not wait for it.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log/logger.js';

export class RoundSchedule {
  #task: ScheduledTask | undefined;

  constructor(
    private readonly name: string,
    private readonly round: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Rounds on `schedule` from now on, the first at once; undefined: no more rounds. */
  async set(schedule: string | undefined): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
    if (schedule === undefined) return;
    const logger = this.logger;
    this.#task = cron.schedule(schedule, this.round, {
      noOverlap: true,
      name: this.name,
      logger: {
        info: (m: string) => logger.debug({ component: 'cron' }, m),
        warn: (m: string) => logger.warn({ component: 'cron' }, m),
        error: (m: string | Error) => logger.error({ component: 'cron' }, String(m)),
        debug: (m: string | Error) => logger.debug({ component: 'cron' }, String(m)),
      },
    });
    void this.round();
  }
}
