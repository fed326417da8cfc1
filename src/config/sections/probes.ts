// Config section `probes`: TLS endpoints to probe on a schedule, and the modules (how to probe).
import cron from 'node-cron';
import * as z from 'zod';
import { durationBetween } from '../duration.js';
import { moduleRevocationSchema } from './revocation.js';

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):\d{1,5}$/, {
  error: 'expected host:port (IPv6 in brackets: [::1]:443)',
});

export const moduleSchema = z.strictObject({
  timeout: durationBetween(100, 300_000).default(5_000),
  /** PEM bundle of trust anchors; absent = the system roots */
  ca_file: z.string().min(1).optional(),
  client_cert_file: z.string().min(1).optional(),
  client_key_file: z.string().min(1).optional(),
  min_version: z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2'),
  /**
   * key-exchange groups the server may choose (TLS names: X25519, P-256, X25519MLKEM768,
   * ffdhe2048, …; `none` for RSA key transport); another one fails the probe. Absent: any
   */
  key_exchange_groups: z.array(z.string().min(1)).min(1).optional(),
  /**
   * OpenSSL's security level for the handshake and the chain (as `@SECLEVEL=N`): 2, the system
   * default of Debian, Ubuntu and RHEL, refuses RSA keys below 2048 bits and SHA-1 signatures;
   * 1 (Node's default) accepts RSA-1024 (as Go does) but not SHA-1; 0 accepts both
   */
  security_level: z.number().int().min(0).max(5).default(2),
  /**
   * Accept a leaf whose only name is its subject CN when it has no DNS SAN (OpenSSL's rule);
   * default false: browsers and Go refuse such certificates
   */
  hostname_cn_fallback: z.boolean().default(false),
  /**
   * the stapled OCSP response: off, request (read it) or require (a good one must be stapled);
   * kept for old configs, `revocation.ocsp` says the same and more
   */
  ocsp: z.enum(['off', 'request', 'require']).optional(),
  /** OCSP (staple and responder) and CRL checks of every certificate of the verified path */
  revocation: moduleRevocationSchema.optional(),
  /** also try without a client certificate: the server must refuse it */
  expect_client_auth: z.boolean().default(false),
  resolve: z.enum(['first', 'all']).default('first'),
  /** host:port globs /probe may reach with this module; absent = the configured targets only */
  allowed_targets: z.array(z.string().min(1)).optional(),
});

export type ModuleConfig = z.infer<typeof moduleSchema>;

const targetSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.:@-]+$/, { error: 'expected letters, digits, "_", ".", ":", "@" or "-"' }),
  address: hostPort,
  /** SNI and the name checked against the certificate; default: the host of `address` */
  server_name: z.string().min(1).optional(),
  module: z.string().min(1),
});

export type TargetConfig = z.infer<typeof targetSchema>;

export const probesSection = {
  key: 'probes',
  schema: z
    .strictObject({
      /** node-cron, with seconds: every 30 s by default */
      schedule: z
        .string()
        .refine((expr) => cron.validate(expr), {
          error: 'expected a cron expression like "*/30 * * * * *" (seconds first)',
        })
        .default('*/30 * * * * *'),
      concurrency: z.number().int().min(1).max(1024).default(16),
      /** targets start spread over this window so they do not fire together */
      jitter: durationBetween(0, 3_600_000).default(2_000),
      modules: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), moduleSchema).default({}),
      /** limits of GET /probe: a token bucket and a cap on probes in flight */
      endpoint: z
        .strictObject({
          requests_per_second: z.number().positive().max(10_000).default(100),
          burst: z.number().int().min(1).max(10_000).default(200),
          max_concurrent: z.number().int().min(1).max(1024).default(128),
        })
        .prefault({}),
      targets: z.array(targetSchema).default([]),
    })
    .superRefine((probes, ctx) => {
      const names = new Set<string>();
      probes.targets.forEach((target, i) => {
        if (!(target.module in probes.modules)) {
          const known = Object.keys(probes.modules);
          ctx.addIssue({
            code: 'custom',
            path: ['targets', i, 'module'],
            message: `unknown module "${target.module}"${known.length ? ` (modules: ${known.join(', ')})` : ' (no modules defined)'}`,
          });
        }
        if (names.has(target.name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['targets', i, 'name'],
            message: `duplicate target name "${target.name}"`,
          });
        }
        names.add(target.name);
      });
      for (const [name, module] of Object.entries(probes.modules)) {
        if (module.ocsp !== undefined && module.revocation?.ocsp !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['modules', name, 'ocsp'],
            message: 'ocsp and revocation.ocsp say the same thing: keep only revocation.ocsp',
          });
        }
        if ((module.client_cert_file === undefined) !== (module.client_key_file === undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: [
              'modules',
              name,
              module.client_cert_file === undefined ? 'client_cert_file' : 'client_key_file',
            ],
            message: 'client_cert_file and client_key_file go together',
          });
        }
      }
    })
    .prefault({}),
} as const;
