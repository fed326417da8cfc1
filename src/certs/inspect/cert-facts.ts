// What a certificate says, read from its DER: dates, names, serial, fingerprint, key and
// signature algorithms. Pure (no clock, no I/O). SM2 keys and SM3 signatures are named here
// because general libraries do not know their OIDs.
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import {
  AuthorityInfoAccessSyntax,
  BasicConstraints,
  CRLDistributionPoints,
  Certificate,
  ExtendedKeyUsage,
  GeneralNames,
  KeyUsage,
  id_ce_basicConstraints,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_pe_authorityInfoAccess,
  type GeneralName,
  type Name,
} from '@peculiar/asn1-x509';
import { CURVES, KEY_ALGORITHMS, OID_COMMON_NAME, SIGNATURE_ALGORITHMS } from './oids.js';
import { BoundedMap } from '../../common/bounded-map.js';

export interface CertFacts {
  readonly der: Buffer;
  readonly sha256: string;
  /** lowercase hex of the serial number, without leading zero bytes */
  readonly serial: string;
  readonly notBefore: number; // Unix seconds
  readonly notAfter: number;
  readonly subjectCN: string;
  readonly issuerCN: string;
  readonly selfIssued: boolean;
  readonly isCA: boolean;
  /** basicConstraints pathLenConstraint, when set */
  readonly pathLength: number | undefined;
  /** whether a basicConstraints extension is present (a v1 certificate has none) */
  readonly hasBasicConstraints: boolean;
  /** keyUsage bits (KeyUsageFlags); undefined without the extension (every use allowed) */
  readonly keyUsage: number | undefined;
  /** extendedKeyUsage OIDs; undefined without the extension (every purpose allowed) */
  readonly extendedKeyUsage: readonly string[] | undefined;
  readonly keyAlgorithm: string;
  /** RSA modulus bits, or the curve's bits; 0 when unknown */
  readonly keyBits: number;
  readonly curve: string | undefined;
  readonly signatureAlgorithm: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** DER of the subject and issuer Names (a CRL's issuer is compared with them byte for byte) */
  readonly subjectName: Buffer;
  readonly issuerName: Buffer;
  /** the subjectPublicKey bits (an OCSP certID hashes the issuer's) */
  readonly publicKeyBits: Buffer;
  /** OCSP responder URLs of the Authority Information Access extension */
  readonly ocspUrls: readonly string[];
  /** full-name URIs of the CRL Distribution Points extension */
  readonly crlUrls: readonly string[];
}

const ID_AD_OCSP = '1.3.6.1.5.5.7.48.1';

function uris(names: readonly GeneralName[] | undefined): string[] {
  return (names ?? []).flatMap((n) =>
    n.uniformResourceIdentifier === undefined ? [] : [n.uniformResourceIdentifier],
  );
}

function commonName(name: Name): string {
  for (const rdn of name) {
    for (const attr of rdn) {
      if (attr.type === OID_COMMON_NAME) return attr.value.toString();
    }
  }
  return '';
}

function rsaBits(subjectPublicKey: ArrayBuffer): number {
  const modulus = Buffer.from(AsnConvert.parse(subjectPublicKey, RSAPublicKey).modulus);
  let start = 0;
  while (start < modulus.length && modulus[start] === 0) start++;
  const top = modulus[start] ?? 0;
  return start === modulus.length ? 0 : (modulus.length - start - 1) * 8 + (32 - Math.clz32(top));
}

function hex(bytes: ArrayBuffer): string {
  const b = Buffer.from(bytes);
  let start = 0;
  while (start < b.length - 1 && b[start] === 0) start++;
  return b.subarray(start).toString('hex');
}

export function certFacts(der: Buffer): CertFacts {
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  const spki = tbs.subjectPublicKeyInfo;
  const keyOid = spki.algorithm.algorithm;
  const keyAlgorithmBase = KEY_ALGORITHMS[keyOid] ?? keyOid;
  let curve: string | undefined;
  let keyBits = 0;
  if (keyAlgorithmBase === 'ecdsa' && spki.algorithm.parameters) {
    const curveOid = AsnConvert.parse(spki.algorithm.parameters, ECParameters).namedCurve ?? '';
    const known = CURVES[curveOid];
    curve = known?.[0] ?? curveOid;
    keyBits = known?.[1] ?? 0;
  } else if (keyAlgorithmBase === 'rsa' || keyAlgorithmBase === 'rsa_pss') {
    keyBits = rsaBits(spki.subjectPublicKey);
  } else if (keyAlgorithmBase === 'ed25519') keyBits = 256;
  else if (keyAlgorithmBase === 'ed448') keyBits = 456;
  const keyAlgorithm = curve === 'sm2' ? 'sm2' : keyAlgorithmBase;

  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  let isCA = false;
  let hasBasicConstraints = false;
  let pathLength: number | undefined;
  let keyUsage: number | undefined;
  let extendedKeyUsage: string[] | undefined;
  const ocspUrls: string[] = [];
  const crlUrls: string[] = [];
  for (const ext of tbs.extensions ?? []) {
    if (ext.extnID === id_ce_subjectAltName) {
      for (const name of AsnConvert.parse(ext.extnValue, GeneralNames)) {
        if (name.dNSName !== undefined) dnsNames.push(name.dNSName);
        if (name.iPAddress !== undefined) ipAddresses.push(name.iPAddress); // already text
      }
    } else if (ext.extnID === id_ce_basicConstraints) {
      const bc = AsnConvert.parse(ext.extnValue, BasicConstraints);
      hasBasicConstraints = true;
      isCA = bc.cA;
      pathLength = bc.pathLenConstraint;
    } else if (ext.extnID === id_ce_keyUsage) {
      keyUsage = AsnConvert.parse(ext.extnValue, KeyUsage).toNumber();
    } else if (ext.extnID === id_ce_extKeyUsage) {
      extendedKeyUsage = [...AsnConvert.parse(ext.extnValue, ExtendedKeyUsage)];
    } else if (ext.extnID === id_pe_authorityInfoAccess) {
      for (const access of AsnConvert.parse(ext.extnValue, AuthorityInfoAccessSyntax)) {
        if (access.accessMethod === ID_AD_OCSP) ocspUrls.push(...uris([access.accessLocation]));
      }
    } else if (ext.extnID === id_ce_cRLDistributionPoints) {
      for (const point of AsnConvert.parse(ext.extnValue, CRLDistributionPoints)) {
        crlUrls.push(...uris(point.distributionPoint?.fullName));
      }
    }
  }
  const subjectName = Buffer.from(AsnConvert.serialize(tbs.subject));
  const issuerName = Buffer.from(AsnConvert.serialize(tbs.issuer));
  return {
    der,
    sha256: createHash('sha256').update(der).digest('hex'),
    serial: hex(tbs.serialNumber),
    notBefore: Math.floor(tbs.validity.notBefore.getTime().getTime() / 1000),
    notAfter: Math.floor(tbs.validity.notAfter.getTime().getTime() / 1000),
    subjectCN: commonName(tbs.subject),
    issuerCN: commonName(tbs.issuer),
    selfIssued: subjectName.equals(issuerName),
    isCA,
    pathLength,
    hasBasicConstraints,
    keyUsage,
    extendedKeyUsage,
    keyAlgorithm,
    keyBits,
    curve,
    signatureAlgorithm:
      SIGNATURE_ALGORITHMS[cert.signatureAlgorithm.algorithm] ?? cert.signatureAlgorithm.algorithm,
    dnsNames,
    ipAddresses,
    subjectName,
    issuerName,
    publicKeyBits: Buffer.from(spki.subjectPublicKey),
    ocspUrls,
    crlUrls,
  };
}

const CACHE_LIMIT = 4096;
const cache = new BoundedMap<CertFacts>(CACHE_LIMIT);
let parses = 0;

/** How many certificates were parsed (cache misses) since start: the bench reads it. */
export function certificatesParsed(): number {
  return parses;
}

/**
 * The facts of each DER buffer already looked up: a certificate object's `raw` is the same
 * buffer every time, so a chain kept between probes (and every trust anchor) skips the hash.
 */
const byBuffer = new WeakMap<Buffer, CertFacts>();

/** certFacts, remembered by fingerprint: a certificate that did not change is parsed once. */
export function cachedCertFacts(der: Buffer): CertFacts {
  const known = byBuffer.get(der);
  if (known !== undefined) return known;
  const key = createHash('sha256').update(der).digest('hex');
  let facts = cache.get(key);
  if (facts === undefined) {
    parses += 1;
    facts = certFacts(der);
    cache.set(key, facts);
  }
  byBuffer.set(der, facts);
  return facts;
}
