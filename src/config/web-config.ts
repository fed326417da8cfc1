// The exporter-toolkit web config file (`--web.config.file`), read as Prometheus exporters read
// it, so operators reuse the files they have: TLS with client-certificate policy, basic auth with
// bcrypt hashes, extra response headers. Parsing and the rules between keys are pure; reading the
// files it names is done by loadWebSettings. Relative paths are relative to the config file.
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { ConfigError } from './errors.js';
import { parseYamlAs, readConfigText } from './load.js';

export const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

const TLS_VERSIONS = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
} as const;
type TlsVersionName = keyof typeof TLS_VERSIONS;
const VERSION_NAMES = Object.keys(TLS_VERSIONS) as TlsVersionName[];

/** Go's names for the TLS 1.2 suites exporter-toolkit accepts, in OpenSSL's spelling. */
const CIPHER_SUITES: Readonly<Record<string, string>> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
};

const CURVES: Readonly<Record<string, string>> = {
  CurveP256: 'P-256',
  CurveP384: 'P-384',
  CurveP521: 'P-521',
  X25519: 'X25519',
};

/** The response headers exporter-toolkit lets a web config set. */
export const SETTABLE_HEADERS = [
  'Content-Security-Policy',
  'X-Frame-Options',
  'X-Content-Type-Options',
  'X-XSS-Protection',
  'Strict-Transport-Security',
] as const;

const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

const oneOf = <T extends string>(values: readonly T[]) =>
  z.string().refine((v): v is T => (values as readonly string[]).includes(v), {
    error: `expected one of ${values.join(', ')}`,
  });

const tlsServerSchema = z
  .strictObject({
    cert_file: z.string().min(1).optional(),
    key_file: z.string().min(1).optional(),
    client_ca_file: z.string().min(1).optional(),
    client_auth_type: oneOf(CLIENT_AUTH_TYPES).optional(),
    client_allowed_sans: z.array(z.string().min(1)).optional(),
    min_version: oneOf(VERSION_NAMES).default('TLS12'),
    max_version: oneOf(VERSION_NAMES).default('TLS13'),
    cipher_suites: z.array(oneOf(Object.keys(CIPHER_SUITES))).optional(),
    curve_preferences: z.array(oneOf(Object.keys(CURVES))).optional(),
    prefer_server_cipher_suites: z.boolean().optional(),
  })
  .superRefine((tls, ctx) => {
    for (const key of ['cert_file', 'key_file'] as const) {
      if (tls[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required for TLS` });
    }
    const auth = tls.client_auth_type;
    const verifies = auth === 'VerifyClientCertIfGiven' || auth === 'RequireAndVerifyClientCert';
    if (verifies && tls.client_ca_file === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['client_ca_file'],
        message: `client_ca_file is required with client_auth_type ${auth}`,
      });
    if (auth === 'NoClientCert' && tls.client_ca_file !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['client_auth_type'],
        message: 'client_ca_file is set but NoClientCert never asks for a client certificate',
      });
    const effective =
      auth ?? (tls.client_ca_file === undefined ? 'NoClientCert' : 'RequireAndVerifyClientCert');
    if (
      tls.client_allowed_sans !== undefined &&
      effective !== 'VerifyClientCertIfGiven' &&
      effective !== 'RequireAndVerifyClientCert'
    )
      ctx.addIssue({
        code: 'custom',
        path: ['client_allowed_sans'],
        message: 'client_allowed_sans needs a client_auth_type that verifies the certificate',
      });
    if (VERSION_NAMES.indexOf(tls.min_version) > VERSION_NAMES.indexOf(tls.max_version))
      ctx.addIssue({
        code: 'custom',
        path: ['min_version'],
        message: `min_version ${tls.min_version} is above max_version ${tls.max_version}`,
      });
  });

export const webConfigSchema = z
  .strictObject({
    tls_server_config: tlsServerSchema.optional(),
    http_server_config: z
      .strictObject({
        /** accepted for compatibility; this server speaks HTTP/1.1 */
        http2: z.boolean().optional(),
        headers: z
          .record(
            z.string().refine((h) => (SETTABLE_HEADERS as readonly string[]).includes(h), {
              error: `only these headers can be set: ${SETTABLE_HEADERS.join(', ')}`,
            }),
            z.string(),
          )
          .optional(),
      })
      .optional(),
    basic_auth_users: z
      .record(
        z.string().min(1),
        // the message never repeats the value
        z.string().regex(BCRYPT, { error: 'expected a bcrypt hash ($2a$, $2b$ or $2y$)' }),
      )
      .optional(),
  })
  .nullable()
  .transform((c) => c ?? {});

export type WebConfig = z.output<typeof webConfigSchema>;

export interface TlsSettings {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca: Buffer | undefined;
  readonly clientAuth: ClientAuthType;
  readonly allowedSans: readonly string[] | undefined;
  readonly minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly ciphers: string | undefined;
  readonly ecdhCurve: string | undefined;
  readonly honorCipherOrder: boolean;
}

export interface WebSettings {
  readonly file: string;
  readonly tls: TlsSettings | undefined;
  /** user -> bcrypt hash */
  readonly users: ReadonlyMap<string, string>;
  readonly headers: Readonly<Record<string, string>>;
  /** every file the settings came from, for change detection */
  readonly files: readonly string[];
}

export function parseWebConfig(text: string, file: string): WebConfig {
  return parseYamlAs(webConfigSchema, text, file);
}

async function readNamed(file: string, key: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(
      'CONFIG_INVALID',
      [{ file, path: `tls_server_config.${key}`, message: `cannot read ${path} (${reason})` }],
      { cause },
    );
  }
}

/** Reads and checks a web config file and every file it names. Throws ConfigError. */
export async function loadWebSettings(file: string): Promise<WebSettings> {
  const config = parseWebConfig(await readConfigText(file), file);
  const base = dirname(resolve(file));
  const at = (p: string): string => resolve(base, p);
  const files = [resolve(file)];
  let tls: TlsSettings | undefined;
  const t = config.tls_server_config;
  if (t?.cert_file !== undefined && t.key_file !== undefined) {
    const cert = await readNamed(file, 'cert_file', at(t.cert_file));
    const key = await readNamed(file, 'key_file', at(t.key_file));
    const ca =
      t.client_ca_file === undefined
        ? undefined
        : await readNamed(file, 'client_ca_file', at(t.client_ca_file));
    files.push(at(t.cert_file), at(t.key_file));
    if (t.client_ca_file !== undefined) files.push(at(t.client_ca_file));
    tls = {
      cert,
      key,
      ca,
      clientAuth:
        t.client_auth_type ?? (ca === undefined ? 'NoClientCert' : 'RequireAndVerifyClientCert'),
      allowedSans: t.client_allowed_sans,
      minVersion: TLS_VERSIONS[t.min_version],
      maxVersion: TLS_VERSIONS[t.max_version],
      ciphers: t.cipher_suites?.map((c) => CIPHER_SUITES[c]).join(':'),
      ecdhCurve: t.curve_preferences?.map((c) => CURVES[c]).join(':'),
      honorCipherOrder: t.prefer_server_cipher_suites ?? false,
    };
    try {
      createSecureContext(secureContextOptions(tls));
    } catch (cause) {
      // OpenSSL's reason names the problem, never the key material
      throw new ConfigError(
        'CONFIG_INVALID',
        [
          {
            file,
            path: 'tls_server_config',
            message: `unusable certificate, key or client CA: ${(cause as Error).message}`,
          },
        ],
        { cause },
      );
    }
  }
  return {
    file,
    tls,
    users: new Map(Object.entries(config.basic_auth_users ?? {})),
    headers: config.http_server_config?.headers ?? {},
    files,
  };
}

export function secureContextOptions(tls: TlsSettings): {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  minVersion: TlsSettings['minVersion'];
  maxVersion: TlsSettings['maxVersion'];
  ciphers?: string;
  ecdhCurve?: string;
  honorCipherOrder: boolean;
} {
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    minVersion: tls.minVersion,
    maxVersion: tls.maxVersion,
    ...(tls.ciphers === undefined ? {} : { ciphers: tls.ciphers }),
    ...(tls.ecdhCurve === undefined ? {} : { ecdhCurve: tls.ecdhCurve }),
    honorCipherOrder: tls.honorCipherOrder,
  };
}
