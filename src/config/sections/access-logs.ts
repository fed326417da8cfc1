// Config section `access_logs`: which Envoy logs to follow and how to read them.
import * as z from 'zod';
import { entryNameSchema } from '../entry-name.js';
import { formatTokens, ENVELOPES, PRESET_NAMES } from '../../domain/log-formats.js';
import { DIRECTIONS } from '../../domain/tls-words.js';
import { durationBetween } from '../duration.js';
import { byteSize } from '../byte-size.js';
import { isGlob } from '../globs.js';

const OPERATOR_NAME = /^[A-Z][A-Z0-9_]*(?:\([^)]*\))?$/;

export const FORMATS = [...PRESET_NAMES, 'text', 'json', 'auto'] as const;

const accessLogSchema = z
  .strictObject({
    /** value of the `log` label */
    name: entryNameSchema,
    /** a file, or a glob in the file name part (`/var/log/envoy/*.log`) */
    path: z.string().min(1),
    format: z.enum(FORMATS),
    envoy_format: z.string().optional(),
    /** Envoy operator name -> JSON key, or a dotted path to a nested value (`upstream.cluster`) */
    fields: z.record(z.string(), z.string().min(1)).optional(),
    /**
     * Upstream clusters (globs, as in server_names.allow) that are TLS: a failed connect to them
     * counts as a TLS failure even when the line has no TLS error text. None by default.
     */
    tls_clusters: z.array(z.string().min(1)).default([]),
    /** listener (connection-level) or http; inferred for `text`/`json` when absent */
    kind: z.enum(['listener', 'http']).optional(),
    /**
     * Which handshakes this log counts. With a listener log and an HTTP log of the same Envoy,
     * give the HTTP log `[upstream]`: the listener log already counts every downstream handshake
     * (the failed ones only it can see), and counting the successes twice inflates the SLI.
     */
    directions: z
      .array(z.enum(DIRECTIONS))
      .min(1)
      .default([...DIRECTIONS]),
    /**
     * Opt-in: count failed downstream handshakes by the client's ClientHello fingerprint (JA4,
     * else JA3), the first `max_values` fingerprints of this log each a series, later ones `other`.
     * A fingerprint tells which client software failed (docs/security.md says what it reveals).
     */
    failing_fingerprints: z
      .strictObject({ max_values: z.number().int().min(1).max(50).default(5) })
      .optional(),
    envelope: z.enum(ENVELOPES).default('none'),
    start_at: z.enum(['end', 'beginning']).default('end'),
    max_line_bytes: z
      .number()
      .int()
      .min(256)
      .max(16 * 1024 * 1024)
      .default(65536),
    /** how long a renamed file is still read after rotation (Envoy flushes every 10 s) */
    rotation_drain: durationBetween(0, 3_600_000).default(10_000),
    /** poll interval, the fallback when file-system events are missed */
    poll_interval: durationBetween(10, 3_600_000).default(1_000),
    /**
     * Keep the file bounded: at `max_size` rename it to `<path>.1` and ask Envoy to reopen its
     * logs (`reopen_url`, its admin's POST /reopen_logs). For a log on a volume shared with Envoy
     * that nothing else rotates (the Kubernetes kit's sidecars).
     */
    rotate: z
      .strictObject({
        max_size: byteSize(2 ** 20, 2 ** 40),
        reopen_url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
        check_interval: durationBetween(100, 3_600_000).default(10_000),
      })
      .optional(),
  })
  .superRefine((log, ctx) => {
    if (log.format === 'text') {
      if (log.envoy_format === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['envoy_format'],
          message: 'required when format is "text"',
        });
      } else {
        try {
          formatTokens(log.envoy_format);
        } catch (err) {
          ctx.addIssue({ code: 'custom', path: ['envoy_format'], message: (err as Error).message });
        }
      }
    } else if (log.envoy_format !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['envoy_format'],
        message: 'only used when format is "text"',
      });
    }
    for (const operator of Object.keys(log.fields ?? {})) {
      if (!OPERATOR_NAME.test(operator)) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', operator],
          message:
            'keys are Envoy operators like REQUESTED_SERVER_NAME or COMMON_DURATION(DS_HS_BEG:DS_HS_END:us), values the JSON keys',
        });
      }
    }
    if (log.format === 'json') {
      if (log.fields !== undefined && Object.keys(log.fields).length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields'],
          message:
            'empty: map operator names to JSON keys, or leave fields out to read the conventional keys',
        });
      }
    } else if (log.fields !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['fields'],
        message: 'only used when format is "json"',
      });
    }
    if (log.rotate !== undefined && isGlob(log.path)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rotate'],
        message: 'rotates one file: give a path without glob characters',
      });
    }
    if (log.kind !== undefined && log.format !== 'text' && log.format !== 'json') {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message:
          log.format === 'auto'
            ? 'format "auto" takes the kind of the preset it picks'
            : `preset "${log.format}" fixes the kind`,
      });
    }
  });

export type AccessLogConfig = z.infer<typeof accessLogSchema>;

export const accessLogsSection = {
  key: 'access_logs',
  schema: z
    .array(accessLogSchema)
    .default([])
    .superRefine((logs, ctx) => {
      const seen = new Set<string>();
      logs.forEach((log, i) => {
        if (seen.has(log.name)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            message: `duplicate log name "${log.name}"`,
          });
        }
        seen.add(log.name);
      });
    }),
} as const;
