// Config section `slo`: the handshake success objective the status page judges against. The
// rules and the board take theirs from `generate --objective` (or `generate --config.file`, which
// reads this section): one number for both, so the page and the pages agree.
import * as z from 'zod';

export const DEFAULT_OBJECTIVE = 0.999;

export const sloSection = {
  key: 'slo',
  schema: z
    .strictObject({
      /** the share of handshakes that must succeed, over 30 days (0.999 = 99.9 %) */
      objective: z
        .number()
        .gt(0, { error: 'expected a ratio above 0, such as 0.999' })
        .lt(1, { error: 'expected a ratio below 1, such as 0.999 (1 leaves no error budget)' })
        .default(DEFAULT_OBJECTIVE),
    })
    .default({ objective: DEFAULT_OBJECTIVE }),
} as const;
