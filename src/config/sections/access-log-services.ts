// Config section `access_log_services`: gRPC endpoints that receive Envoy's access-log stream
// (envoy.service.accesslog.v3.AccessLogService, as Istio's envoyHttpAls / envoyTcpAls providers and
// Envoy Gateway's ALS sink send it); each entry's entries are counted like the lines of an
// access_logs entry of that name (docs/envoy.md §10).
import * as z from 'zod';
import { entryNameSchema } from '../entry-name.js';
import { DIRECTIONS } from '../../domain/tls-words.js';
import { parseListenAddress } from '../listen-address.js';

export const accessLogServicesSection = {
  key: 'access_log_services',
  schema: z
    .array(
      z.strictObject({
        /** the `log` label of what this endpoint receives */
        name: entryNameSchema,
        /** where the gRPC server listens, host:port (plaintext: keep it on a private network) */
        listen_address: z.string().superRefine((text, ctx) => {
          const parsed = parseListenAddress(text);
          if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
        }),
        /** as access_logs[].directions */
        directions: z
          .array(z.enum(DIRECTIONS))
          .min(1)
          .default([...DIRECTIONS]),
        /** as access_logs[].tls_clusters */
        tls_clusters: z.array(z.string().min(1)).default([]),
        /**
         * 0: every stream counts under `name`; above: the stream's log_name (Envoy's
         * CommonGrpcAccessLogConfig.log_name, Istio's logName) refines it into `name/log_name`,
         * for at most this many log names (more fold into `name/other`)
         */
        max_log_names: z.number().int().min(0).max(1000).default(0),
        /** streams open at once (Envoys keep one each); more are refused and counted */
        max_streams: z.number().int().min(1).max(10_000).default(256),
        /**
         * TLS for the gRPC server, in the web config file format (docs/security.md): cert_file,
         * key_file, and client_ca_file with client_auth_type RequireAndVerifyClientCert for mTLS
         */
        tls_config_file: z.string().min(1).optional(),
        /** one stream message; a larger one ends its stream (gRPC RESOURCE_EXHAUSTED) */
        max_message_bytes: z
          .number()
          .int()
          .min(1024)
          .max(64 * 1024 * 1024)
          .default(4 * 1024 * 1024),
      }),
    )
    .default([]),
} as const;

export type AccessLogServiceConfig = z.infer<typeof accessLogServicesSection.schema>[number];
