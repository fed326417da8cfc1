// A probe module made ready to use: trust anchors, and one SecureContext with the client
// certificate and one without, each built once and reused by every probe (a new context per
// connection costs about 30 % of throughput). Both trust the module's anchors and run at its
// security level, so OpenSSL's verdict on a server's chain is the one a client with that trust
// would reach. Reading the files is the only I/O here.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_CIPHERS,
  createSecureContext,
  rootCertificates,
  type SecureContext,
} from 'node:tls';
import type { ModuleConfig } from '../config/sections/probes.js';
import { revocationPolicy, type RevocationPolicy } from '../config/sections/revocation.js';
import { ExporterError } from '../errors.js';
import { anchorsFromPem } from '../certs/inspect/verify-chain.js';
import { positionedChain, type PositionedCert } from './probe-result.js';
import type { RevocationChecker } from '../certs/revocation/revocation-checker.js';

/** How a module checks revocation: its policy, the shared checker, extra issuers (client certs). */
export interface ModuleRevocation {
  readonly policy: RevocationPolicy;
  /** absent where nothing may be fetched (staples are still read) */
  readonly checker: RevocationChecker | undefined;
  readonly issuers: readonly X509Certificate[];
}

export interface ProbeModule {
  readonly name: string;
  readonly config: ModuleConfig;
  readonly anchors: readonly X509Certificate[];
  readonly withClientCert: SecureContext;
  readonly withoutClientCert: SecureContext;
  readonly offersClientCert: boolean;
  /** the module's own client certificate chain (DER, leaf first), published as source="client_cert" */
  readonly clientChain: readonly Buffer[];
  /** the same chain, read: published by /metrics and by /probe for this module */
  readonly clientCerts: readonly PositionedCert[];
  readonly revocation: ModuleRevocation;
}

async function read(module: string, key: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ExporterError(
      'PROBE_MODULE_INVALID',
      `probes.modules.${module}.${key}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      { cause: err },
    );
  }
}

let systemAnchors: X509Certificate[] | undefined;

/** Node's bundled roots, read once. */
export function systemRoots(): readonly X509Certificate[] {
  systemAnchors ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return systemAnchors;
}

/** PEM certificates from a file a config key names; throws naming the key when unusable. */
export async function readIssuers(
  key: string,
  path: string | undefined,
): Promise<X509Certificate[]> {
  if (path === undefined) return [];
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new ExporterError(
      'PROBE_MODULE_INVALID',
      `${key}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      { cause: err },
    );
  }
  const certs = anchorsFromPem(pem);
  if (certs.length === 0)
    throw new ExporterError('PROBE_MODULE_INVALID', `${key}: no certificate in ${path}`);
  return certs;
}

export async function loadModule(
  name: string,
  config: ModuleConfig,
  checker?: RevocationChecker,
): Promise<ProbeModule> {
  const policy = revocationPolicy(config.revocation, config.ocsp);
  const issuers = await readIssuers(
    `probes.modules.${name}.revocation.issuers_file`,
    policy.issuersFile,
  );
  const caPem =
    config.ca_file === undefined ? undefined : await read(name, 'ca_file', config.ca_file);
  const anchors = caPem === undefined ? systemRoots() : anchorsFromPem(caPem);
  if (caPem !== undefined && anchors.length === 0) {
    throw new ExporterError(
      'PROBE_MODULE_INVALID',
      `probes.modules.${name}.ca_file: no certificate in ${config.ca_file}`,
    );
  }
  // Without ca_file, Node's bundled roots (the same as `rootCertificates`) are the context's trust.
  const base = {
    minVersion: config.min_version,
    ciphers: `${DEFAULT_CIPHERS}:@SECLEVEL=${config.security_level}`,
    ...(caPem === undefined ? {} : { ca: caPem }),
  };
  let withClientCert = createSecureContext(base);
  let clientChain: Buffer[] = [];
  if (config.client_cert_file !== undefined && config.client_key_file !== undefined) {
    const cert = await read(name, 'client_cert_file', config.client_cert_file);
    const key = await read(name, 'client_key_file', config.client_key_file);
    try {
      withClientCert = createSecureContext({ ...base, cert, key });
      clientChain = anchorsFromPem(cert).map((c) => c.raw);
    } catch (err) {
      throw new ExporterError(
        'PROBE_MODULE_INVALID',
        `probes.modules.${name}: client certificate or key unusable: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  return {
    name,
    config,
    anchors,
    withClientCert,
    withoutClientCert: clientChain.length > 0 ? createSecureContext(base) : withClientCert,
    offersClientCert: clientChain.length > 0,
    clientChain,
    clientCerts: positionedChain(clientChain),
    revocation: { policy, checker, issuers },
  };
}
