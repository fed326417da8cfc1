// Config section `server_names`: bounds the `server_name` label, whose values come from the wire
// (SNI is chosen by the client).
import { z } from 'zod';

export const serverNamesSection = {
  key: 'server_names',
  schema: z
    .strictObject({
      /** globs (`*` within a label, `**` across labels); empty = accept any up to max_values */
      allow: z.array(z.string().min(1)).default([]),
      max_values: z.number().int().min(1).max(100_000).default(100),
    })
    .prefault({}),
} as const;
