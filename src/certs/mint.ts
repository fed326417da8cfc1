// A PKI minted in memory with @peculiar/x509 on Node's WebCrypto (the demo's, and every test's):
// roots, intermediates, leaves and client certificates with chosen validity, names and key types.
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;
type EcKeyGenParams = webcrypto.EcKeyGenParams;
type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
type RsaHashedImportParams = webcrypto.RsaHashedImportParams;
type EcKeyImportParams = webcrypto.EcKeyImportParams;
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type KeyKind = 'rsa2048' | 'rsa1024' | 'p256' | 'ed25519';

type KeyAlgorithm = {
  gen: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;
  sign: Algorithm | EcdsaParams;
};

const rsa = (modulusLength: number): KeyAlgorithm => ({
  gen: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  sign: { name: 'RSASSA-PKCS1-v1_5' },
});

const ALGORITHMS: Record<KeyKind, KeyAlgorithm> = {
  rsa2048: rsa(2048),
  /** too weak for OpenSSL security level 2: tests of weak keys only */
  rsa1024: rsa(1024),
  p256: { gen: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  ed25519: { gen: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
};

export interface Issued {
  readonly cert: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
  readonly kind: KeyKind;
  /** certificate PEM */
  readonly pem: string;
  /** PKCS#8 private key PEM */
  keyPem(): Promise<string>;
}

export interface IssueOptions {
  readonly cn: string;
  readonly kind?: KeyKind;
  readonly ca?: boolean;
  readonly issuer?: Issued;
  readonly dns?: readonly string[];
  readonly ips?: readonly string[];
  /** validity relative to now, in days (negative = past) */
  readonly notBeforeDays?: number;
  readonly notAfterDays?: number;
  readonly serial?: string;
  readonly client?: boolean;
  /** extra extensions (e.g. Authority Information Access for OCSP) */
  readonly extensions?: readonly x509.Extension[];
  /** basicConstraints pathLenConstraint of a CA */
  readonly pathLength?: number;
  /** sign with SHA-1 instead of SHA-256 (tests of weak signatures only) */
  readonly sha1?: boolean;
  /** false: no keyUsage extension at all */
  readonly keyUsage?: boolean;
  /** the key pair of another certificate (a cross-signature: the same name and key, another issuer) */
  readonly keys?: CryptoKeyPair;
}

/** The issuer's signing key and algorithm, SHA-1 when asked (RSA binds the hash to the key). */
async function signingWith(
  issuer: { keys: CryptoKeyPair; kind: KeyKind },
  sha1: boolean,
): Promise<{ key: webcrypto.CryptoKey; algorithm: Algorithm | EcdsaParams }> {
  const alg = ALGORITHMS[issuer.kind];
  if (!sha1) return { key: issuer.keys.privateKey, algorithm: alg.sign };
  if (issuer.kind === 'p256')
    return {
      key: issuer.keys.privateKey,
      algorithm: { name: 'ECDSA', hash: 'SHA-1' } as EcdsaParams,
    };
  if (issuer.kind === 'ed25519') throw new Error('Ed25519 has no SHA-1 signature');
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', issuer.keys.privateKey);
  const key = await webcrypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  return { key, algorithm: alg.sign };
}

let serialCounter = 0x1000;
const DAY = 86_400_000;

export async function issue(options: IssueOptions): Promise<Issued> {
  const kind = options.kind ?? 'p256';
  const alg = ALGORITHMS[kind];
  const keys =
    options.keys ??
    (await webcrypto.subtle.generateKey(alg.gen as RsaHashedKeyGenParams, true, [
      'sign',
      'verify',
    ]));
  const now = Date.now();
  const names: x509.JsonGeneralName[] = [
    ...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.ca ?? false, options.pathLength, true),
    ...(options.keyUsage === false
      ? []
      : [
          new x509.KeyUsagesExtension(
            options.ca
              ? x509.KeyUsageFlags.keyCertSign |
                  x509.KeyUsageFlags.cRLSign |
                  x509.KeyUsageFlags.digitalSignature
              : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
            true,
          ),
        ]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ...(options.issuer
      ? [await x509.AuthorityKeyIdentifierExtension.create(options.issuer.keys.publicKey)]
      : []),
    ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
    ...(options.ca
      ? []
      : [
          new x509.ExtendedKeyUsageExtension([
            options.client ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth,
          ]),
        ]),
    ...(options.extensions ?? []),
  ];
  const issuer = options.issuer;
  const signing = await signingWith(issuer ?? { keys, kind }, options.sha1 ?? false);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: options.serial ?? (serialCounter++).toString(16).padStart(6, '0'),
    subject: `CN=${options.cn}`,
    issuer: issuer ? issuer.cert.subject : `CN=${options.cn}`,
    notBefore: new Date(Math.floor((now + (options.notBeforeDays ?? -1) * DAY) / 1000) * 1000),
    notAfter: new Date(Math.floor((now + (options.notAfterDays ?? 90) * DAY) / 1000) * 1000),
    signingAlgorithm: signing.algorithm,
    publicKey: keys.publicKey,
    signingKey: signing.key,
    extensions,
  });
  return {
    cert,
    keys,
    kind,
    pem: cert.toString('pem'),
    async keyPem() {
      const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
      return x509.PemConverter.encode(der, 'PRIVATE KEY');
    },
  };
}

/** A root, an intermediate under it, and a server leaf for `names` under that. */
export async function chain(
  options: {
    names?: string[];
    kind?: KeyKind;
    leaf?: Partial<IssueOptions>;
    intermediate?: Partial<IssueOptions>;
    /** common names of the CAs (default: Test Root CA, Test Intermediate CA) */
    rootCn?: string;
    intermediateCn?: string;
  } = {},
): Promise<{
  root: Issued;
  intermediate: Issued;
  leaf: Issued;
}> {
  const kind = options.kind ?? 'p256';
  const root = await issue({
    cn: options.rootCn ?? 'Test Root CA',
    ca: true,
    kind,
    notAfterDays: 3650,
  });
  const intermediate = await issue({
    cn: options.intermediateCn ?? 'Test Intermediate CA',
    ca: true,
    kind,
    issuer: root,
    notAfterDays: 1825,
    ...options.intermediate,
  });
  const names = options.names ?? ['localhost'];
  const leaf = await issue({
    cn: names[0] ?? 'localhost',
    kind,
    issuer: intermediate,
    dns: names.filter((n) => !/^[\d.:]+$/.test(n)),
    ips: names.filter((n) => /^[\d.:]+$/.test(n)),
    ...options.leaf,
  });
  return { root, intermediate, leaf };
}

/** An existing CA (PEM certificate and PKCS#8 or traditional PEM key) to issue under. */
export async function loadIssuer(certPem: string, keyPem: string): Promise<Issued> {
  const cert = new x509.X509Certificate(certPem);
  const key = createPrivateKey(keyPem);
  const details = key.asymmetricKeyDetails;
  let kind: KeyKind;
  let importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  if (key.asymmetricKeyType === 'rsa') {
    kind = (details?.modulusLength ?? 2048) < 2048 ? 'rsa1024' : 'rsa2048';
    importParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') {
    kind = 'p256';
    importParams = { name: 'ECDSA', namedCurve: 'P-256' };
  } else if (key.asymmetricKeyType === 'ed25519') {
    kind = 'ed25519';
    importParams = { name: 'Ed25519' };
  } else {
    throw new Error(
      `a ${key.asymmetricKeyType ?? 'unknown'} ${details?.namedCurve ?? ''} key: only RSA, P-256 and Ed25519 CAs can issue here`,
    );
  }
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, importParams, true, ['sign']);
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const publicKey = await webcrypto.subtle.importKey('spki', spki, importParams, true, ['verify']);
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    cert,
    keys: { privateKey, publicKey },
    kind,
    pem: cert.toString('pem'),
    keyPem: () => Promise.resolve(pem),
  };
}
