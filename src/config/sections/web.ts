// Config section `web`: where the exporter's own HTTP server listens and serves metrics.
import * as z from 'zod';
import { parseListenAddress } from '../listen-address.js';

export const listenAddressSchema = z.string().refine((value) => parseListenAddress(value).ok, {
  error: (issue) => {
    const parsed = parseListenAddress(String(issue.input));
    return parsed.ok ? 'invalid listen address' : parsed.error;
  },
});

export const telemetryPathSchema = z
  .string()
  .regex(/^\/[^\s?#]*$/, { error: 'expected a path starting with "/" (no spaces, "?" or "#")' })
  .refine((p) => !['/', '/-/healthy', '/-/ready', '/-/reload'].includes(p), {
    error: 'must not be "/" or one of the /-/ endpoints',
  });

export const webSection = {
  key: 'web',
  schema: z
    .strictObject({
      listen_address: listenAddressSchema.default(':10087'),
      telemetry_path: telemetryPathSchema.default('/metrics'),
      /** exporter-toolkit web config: TLS, client certificates, basic auth, headers */
      config_file: z.string().min(1).optional(),
      /**
       * Take a drill's notes (POST /-/drill) into the log. Off by default: "the failures that
       * follow are a test" in the log is what someone disguising a real attack would want on-call
       * to read (docs/security.md). Flag --web.enable-drill-notes.
       */
      drill_notes: z.boolean().default(false),
    })
    .prefault({}),
} as const;
