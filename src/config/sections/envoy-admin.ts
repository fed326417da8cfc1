// Config section `envoy_admin`: Envoy admin endpoints whose own TLS counters are read on an
// interval and published next to the access-log counts, so a log that misses handshakes (a filter
// on the listener log, a sampled log, a log not tailed) shows as a coverage below 1
// (docs/envoy.md §9).
import * as z from 'zod';
import { ENTRY_NAME, entryNameSchema } from '../entry-name.js';
import { durationBetween } from '../duration.js';

const LOG_NAME = z
  .string()
  .regex(ENTRY_NAME, { error: 'expected the name of an access_logs entry' });

export const envoyAdminSection = {
  key: 'envoy_admin',
  schema: z
    .array(
      z.strictObject({
        /** the `envoy` label */
        name: entryNameSchema,
        /** the admin address, e.g. http://127.0.0.1:9901 (read-only: only GET /stats is sent) */
        url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
        /** json: /stats?format=json; prometheus: /stats/prometheus */
        format: z.enum(['json', 'prometheus']).default('json'),
        interval: durationBetween(1_000, 3_600_000).default(30_000),
        timeout: durationBetween(100, 60_000).default(5_000),
        /** the access log (an access_logs name) that shows this Envoy's listeners' handshakes */
        downstream_log: LOG_NAME.optional(),
        /** the access log that shows its clusters' (upstream) handshakes */
        upstream_log: LOG_NAME.optional(),
        /**
         * name globs of the listeners (address or stat_prefix) and clusters read; default all.
         * Two entries with one URL and disjoint scopes compare each listener with its own log.
         */
        scopes: z.array(z.string().min(1)).min(1).optional(),
        /** listeners and clusters published; more are summed into scope="other" */
        max_scopes: z.number().int().min(1).max(100_000).default(1000),
      }),
    )
    .default([])
    .superRefine((targets, ctx) => {
      const seen = new Set<string>();
      targets.forEach((t, i) => {
        if (seen.has(t.name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${t.name}" is used twice` });
        seen.add(t.name);
      });
    }),
} as const;

export type EnvoyAdminConfig = z.infer<typeof envoyAdminSection.schema>[number];
