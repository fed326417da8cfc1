// Revocation checking: the policy of a probe module or a `cert_files` entry (`revocation:` inside
// it), and the top-level `revocation:` section that bounds what the exporter may fetch. The URLs
// to fetch come from certificates a server sends: the section's allow-list and address rules
// keep a probed server from steering the exporter at internal hosts (docs/security.md).
import * as z from 'zod';
import { durationBetween } from '../duration.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

const policyFields = {
  crl: z.enum(['off', 'check', 'require']).default('off'),
  /** one fetch (connect to last byte) may take this long */
  timeout: durationBetween(100, 60_000).default(5_000),
  /** an answer is reused until its nextUpdate, and no longer than this */
  cache_max_age: durationBetween(0, 7 * 86_400_000).default(3_600_000),
  /** the OCSP responder to ask instead of the one the certificate names (private PKIs) */
  ocsp_responder_url: httpUrl.optional(),
  /** the CRLs to read instead of the ones the certificate names */
  crl_urls: z.array(httpUrl).min(1).optional(),
  /** send a nonce with each OCSP request (a response that echoes another one is refused) */
  ocsp_nonce: z.boolean().default(false),
  /** PEM certificates to find issuers in when the certificate's issuer is not beside it */
  issuers_file: z.string().min(1).optional(),
};

/**
 * In a probe module. `ocsp`: off; staple (read what the server staples, the default); responder
 * (the staple, else ask the responder; every other certificate of the path asks); require (as
 * responder, and a certificate without a usable "good" fails the probe).
 */
export const moduleRevocationSchema = z.strictObject({
  ocsp: z.enum(['off', 'staple', 'responder', 'require']).optional(),
  /** fail the probe when the server staples nothing (what the old `ocsp: require` meant) */
  require_staple: z.boolean().default(false),
  ...policyFields,
});

/** In a `cert_files` entry: nothing is stapled on disk, so OCSP is off or asks the responder. */
export const fileRevocationSchema = z.strictObject({
  ocsp: z.enum(['off', 'responder', 'require']).default('off'),
  ...policyFields,
});

export type ModuleRevocationConfig = z.infer<typeof moduleRevocationSchema>;
export type FileRevocationConfig = z.infer<typeof fileRevocationSchema>;

export type OcspMode = 'off' | 'staple' | 'responder' | 'require';
export type CrlMode = 'off' | 'check' | 'require';

/** What the checks run with, from either place. */
export interface RevocationPolicy {
  readonly ocsp: OcspMode;
  readonly requireStaple: boolean;
  readonly crl: CrlMode;
  readonly timeoutMs: number;
  readonly cacheMaxAgeMs: number;
  readonly ocspResponderUrl: string | undefined;
  readonly crlUrls: readonly string[] | undefined;
  readonly ocspNonce: boolean;
  readonly issuersFile: string | undefined;
}

/**
 * The module's old `ocsp:` key, kept working as it was: request = staple; require = staple with
 * require_staple (a good staple must be there; nothing is fetched).
 */
export type LegacyOcspMode = 'off' | 'request' | 'require';

export function revocationPolicy(
  config: Partial<ModuleRevocationConfig> | FileRevocationConfig | undefined,
  legacyOcsp?: LegacyOcspMode,
): RevocationPolicy {
  const c = config ?? {};
  const legacy: OcspMode | undefined =
    legacyOcsp === undefined
      ? undefined
      : { off: 'off' as const, request: 'staple' as const, require: 'staple' as const }[legacyOcsp];
  return {
    ocsp: c.ocsp ?? legacy ?? 'staple',
    requireStaple: ('require_staple' in c && c.require_staple === true) || legacyOcsp === 'require',
    crl: c.crl ?? 'off',
    timeoutMs: c.timeout ?? 5_000,
    cacheMaxAgeMs: c.cache_max_age ?? 3_600_000,
    ocspResponderUrl: c.ocsp_responder_url,
    crlUrls: c.crl_urls,
    ocspNonce: c.ocsp_nonce ?? false,
    issuersFile: c.issuers_file,
  };
}

export const revocationSection = {
  key: 'revocation',
  schema: z
    .strictObject({
      /**
       * URL globs the exporter may fetch OCSP responses and CRLs from (`*` within a path segment,
       * `**` across): matched against the whole URL
       */
      allowed_urls: z.array(z.string().min(1)).min(1).default(['http://**', 'https://**']),
      /**
       * fetch from loopback, private (RFC 1918, ULA), link-local (cloud metadata) and other
       * non-public addresses too; off by default (turn it on for a private PKI's responder, with
       * allowed_urls narrowed to it)
       */
      allow_private_addresses: z.boolean().default(false),
      /** a response (CRL or OCSP) larger than this is refused */
      max_response_bytes: z
        .number()
        .int()
        .min(1024)
        .max(256 * 1024 * 1024)
        .default(32 * 1024 * 1024),
      /** fetches per URL: a sustained rate and a burst */
      requests_per_second_per_url: z.number().positive().max(1000).default(5),
      burst_per_url: z.number().int().min(1).max(10_000).default(20),
      /** answers kept (OCSP: one per certificate; CRL: one per URL); the oldest go first */
      cache_entries: z.number().int().min(1).max(1_000_000).default(10_000),
    })
    .prefault({}),
} as const;

export type RevocationSettings = z.infer<typeof revocationSection.schema>;

/** Whether a policy checks anything (the staple alone included). */
export function checksAnything(policy: RevocationPolicy): boolean {
  return policy.ocsp !== 'off' || policy.crl !== 'off';
}

/** Whether a policy fetches anything (a staple alone is read from the handshake). */
export function fetchesAnything(policy: RevocationPolicy): boolean {
  return policy.crl !== 'off' || policy.ocsp === 'responder' || policy.ocsp === 'require';
}
