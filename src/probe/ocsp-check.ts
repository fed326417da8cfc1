// Reads a stapled OCSP response (RFC 6960) for the leaf: is it about this certificate, is it
// signed by the issuer (or a responder the issuer certified), and what does it say. The issuer
// comes from the verified path, so a server that sends only its leaf under a trust anchor is
// checked too. Pure: the time comes in as an argument.
import 'reflect-metadata';
import { createHash, verify, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicOCSPResponse,
  OCSPResponse,
  OCSPResponseStatus,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { Certificate } from '@peculiar/asn1-x509';
import type { OcspFinding } from './probe-result.js';

const HASHES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** The digest a signature algorithm OID uses, for node:crypto's verify (undefined = the key's own, e.g. Ed25519). */
const SIGNATURE_DIGESTS: Readonly<Record<string, string | undefined>> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': undefined,
};

function stripLeadingZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

function issuerKeyHash(issuer: Buffer, algorithm: string): Buffer {
  const spki = AsnConvert.parse(issuer, Certificate).tbsCertificate.subjectPublicKeyInfo;
  return createHash(algorithm).update(Buffer.from(spki.subjectPublicKey)).digest();
}

function signedBy(basic: BasicOCSPResponse, signer: X509Certificate): boolean {
  const oid = basic.signatureAlgorithm.algorithm;
  if (!(oid in SIGNATURE_DIGESTS)) return false;
  const tbs = Buffer.from(AsnConvert.serialize(basic.tbsResponseData));
  try {
    return verify(
      SIGNATURE_DIGESTS[oid] ?? null,
      tbs,
      signer.publicKey,
      Buffer.from(basic.signature),
    );
  } catch {
    return false;
  }
}

export function checkOcsp(
  response: Buffer | undefined,
  leafDer: Buffer | undefined,
  issuerDer: Buffer | undefined,
  mode: 'off' | 'request' | 'require',
  nowSeconds: number,
): OcspFinding | undefined {
  if (mode === 'off') return undefined;
  if (!response || response.length === 0)
    return { stapled: false, problem: 'no OCSP response stapled' };
  try {
    const outer = AsnConvert.parse(response, OCSPResponse);
    if (outer.responseStatus !== OCSPResponseStatus.successful || !outer.responseBytes) {
      return { stapled: true, problem: `OCSP responder status ${outer.responseStatus}` };
    }
    if (outer.responseBytes.responseType !== id_pkix_ocsp_basic) {
      return {
        stapled: true,
        problem: `unsupported OCSP response type ${outer.responseBytes.responseType}`,
      };
    }
    const basic = AsnConvert.parse(outer.responseBytes.response.buffer, BasicOCSPResponse);
    if (!leafDer || !issuerDer)
      return { stapled: true, problem: 'no issuer certificate to check the OCSP response against' };
    const leafSerial = stripLeadingZeros(
      Buffer.from(AsnConvert.parse(leafDer, Certificate).tbsCertificate.serialNumber),
    );
    const single = basic.tbsResponseData.responses.find((r) => {
      const hash = HASHES[r.certID.hashAlgorithm.algorithm];
      return (
        hash !== undefined &&
        stripLeadingZeros(Buffer.from(r.certID.serialNumber)).equals(leafSerial) &&
        Buffer.from(r.certID.issuerKeyHash.buffer).equals(issuerKeyHash(issuerDer, hash))
      );
    });
    if (!single)
      return { stapled: true, problem: 'the stapled OCSP response is about another certificate' };
    const issuer = new X509Certificate(issuerDer);
    // signed by the issuer itself, or by a responder certificate the issuer signed
    const responders = (basic.certs ?? []).map(
      (c) => new X509Certificate(Buffer.from(AsnConvert.serialize(c))),
    );
    const signer = [issuer, ...responders.filter((r) => r.verify(issuer.publicKey))].find((c) =>
      signedBy(basic, c),
    );
    if (!signer)
      return {
        stapled: true,
        problem: 'the OCSP response signature does not verify against the issuer',
      };
    const status: 0 | 1 | 2 = single.certStatus.revoked
      ? 1
      : single.certStatus.unknown !== undefined
        ? 2
        : 0;
    const nextUpdate = single.nextUpdate
      ? Math.floor(single.nextUpdate.getTime() / 1000)
      : undefined;
    if (nextUpdate !== undefined && nextUpdate < nowSeconds) {
      return {
        stapled: true,
        status,
        nextUpdate,
        problem: 'the stapled OCSP response is past its nextUpdate',
      };
    }
    return { stapled: true, status, ...(nextUpdate === undefined ? {} : { nextUpdate }) };
  } catch (err) {
    return { stapled: true, problem: `unparsable OCSP response: ${(err as Error).message}` };
  }
}
